"""Both auth schemes, token issue and expiry, revocation, cross-project access, the operator token."""

from __future__ import annotations

import base64

import jwt
from fastapi.testclient import TestClient

from numberdesk.bootstrap import Container
from numberdesk.services import projects
from tests.conftest import Tenant, make_settings, new_tenant

SEARCH = "availableRegions"


def bearer(client: TestClient, tenant: Tenant) -> str:
    response = client.post("/oauth2/token", data={"grant_type": "client_credentials"}, auth=tenant.auth)
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def assert_envelope(response_json: dict[str, object], code: int, status: str) -> None:
    error = response_json["error"]
    assert isinstance(error, dict)
    assert error["code"] == code
    assert error["status"] == status
    assert isinstance(error["message"], str)
    assert isinstance(error["details"], list)


class TestBasic:
    def test_valid_key_reaches_its_project(self, client: TestClient, tenant: Tenant) -> None:
        assert client.get(tenant.url(SEARCH), auth=tenant.auth).status_code == 200

    def test_wrong_secret_is_401_in_the_envelope(self, client: TestClient, tenant: Tenant) -> None:
        response = client.get(tenant.url(SEARCH), auth=(tenant.key_id, "wrong"))
        assert response.status_code == 401
        assert_envelope(response.json(), 401, "UNAUTHENTICATED")
        assert "www-authenticate" in response.headers

    def test_unknown_key_and_missing_header_are_401(self, client: TestClient, tenant: Tenant) -> None:
        assert client.get(tenant.url(SEARCH), auth=("nobody", "x")).status_code == 401
        assert client.get(tenant.url(SEARCH)).status_code == 401
        garbage = {"Authorization": "Basic !!!not-base64"}
        assert client.get(tenant.url(SEARCH), headers=garbage).status_code == 401

    def test_project_id_is_not_the_username(self, client: TestClient, tenant: Tenant) -> None:
        assert client.get(tenant.url(SEARCH), auth=(tenant.project_id, tenant.key_secret)).status_code == 401


class TestTokens:
    def test_token_response_has_the_four_keys_and_a_real_jwt(
        self, client: TestClient, tenant: Tenant
    ) -> None:
        response = client.post("/oauth2/token", data={"grant_type": "client_credentials"}, auth=tenant.auth)
        body = response.json()
        assert set(body) == {"access_token", "expires_in", "scope", "token_type"}
        assert body["expires_in"] == 3599 and body["scope"] == "" and body["token_type"] == "bearer"
        claims = jwt.decode(body["access_token"], options={"verify_signature": False})
        assert claims["exp"] - claims["iat"] == 3599
        assert body["access_token"].startswith("eyJ")

    def test_bearer_reaches_the_project(self, client: TestClient, tenant: Tenant) -> None:
        token = bearer(client, tenant)
        response = client.get(tenant.url(SEARCH), headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200

    def test_bad_client_credentials_get_the_oauth_error_body(
        self, client: TestClient, tenant: Tenant
    ) -> None:
        response = client.post(
            "/oauth2/token", data={"grant_type": "client_credentials"}, auth=(tenant.key_id, "no")
        )
        assert response.status_code == 401
        assert response.json()["error"] == "invalid_client"
        assert response.json()["error_description"]

    def test_unsupported_grant_type(self, client: TestClient, tenant: Tenant) -> None:
        response = client.post("/oauth2/token", data={"grant_type": "password"}, auth=tenant.auth)
        assert response.status_code == 400
        assert response.json()["error"] == "unsupported_grant_type"

    def test_expired_token_is_401_with_expired_in_www_authenticate(
        self, client: TestClient, tenant: Tenant, admin_headers: dict[str, str]
    ) -> None:
        token = bearer(client, tenant)
        moved = client.post("/admin/v1/clock:advance", json={"seconds": 3600}, headers=admin_headers)
        assert moved.status_code == 200
        response = client.get(tenant.url(SEARCH), headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401
        assert "expired" in response.headers["www-authenticate"]
        assert_envelope(response.json(), 401, "UNAUTHENTICATED")
        fresh = bearer(client, tenant)
        assert client.get(tenant.url(SEARCH), headers={"Authorization": f"Bearer {fresh}"}).status_code == 200

    def test_forged_token_is_401(self, client: TestClient, tenant: Tenant) -> None:
        forged = jwt.encode(
            {"sub": tenant.key_id, "pid": tenant.project_id, "exp": 9999999999, "iss": "numberdesk"},
            "x" * 32,
            algorithm="HS256",
        )
        response = client.get(tenant.url(SEARCH), headers={"Authorization": f"Bearer {forged}"})
        assert response.status_code == 401
        assert "expired" not in response.headers["www-authenticate"]


class TestProjectIsolation:
    def test_other_project_is_403_whether_it_exists_or_not(
        self, client: TestClient, container: Container
    ) -> None:
        mine, theirs = new_tenant(container), new_tenant(container)
        existing = client.get(theirs.url(SEARCH), auth=mine.auth)
        missing = client.get(
            "/v1/projects/00000000-0000-0000-0000-000000000000/availableRegions", auth=mine.auth
        )
        assert existing.status_code == missing.status_code == 403
        assert existing.json() == missing.json()
        assert_envelope(existing.json(), 403, "PERMISSION_DENIED")

    def test_bearer_is_confined_too(self, client: TestClient, container: Container) -> None:
        mine, theirs = new_tenant(container), new_tenant(container)
        token = bearer(client, mine)
        response = client.get(theirs.url(SEARCH), headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 403


class TestRevocation:
    def test_basic_stops_at_once(self, client: TestClient, container: Container, tenant: Tenant) -> None:
        assert client.get(tenant.url(SEARCH), auth=tenant.auth).status_code == 200
        projects.revoke_key(tenant.key_id, container.uows, container.clock)
        assert client.get(tenant.url(SEARCH), auth=tenant.auth).status_code == 401
        assert (
            client.post(
                "/oauth2/token", data={"grant_type": "client_credentials"}, auth=tenant.auth
            ).status_code
            == 401
        )

    def test_issued_tokens_stop_once_the_cache_lapses(self, tmp_path, database_template: str) -> None:  # type: ignore[no-untyped-def]
        from numberdesk.api.app import create_app
        from numberdesk.bootstrap import build

        container = build(make_settings(tmp_path / "h", database_template, revocation_check_seconds=0))
        try:
            tenant = new_tenant(container)
            with TestClient(create_app(container, run_workers=False)) as client:
                token = bearer(client, tenant)
                headers = {"Authorization": f"Bearer {token}"}
                assert client.get(tenant.url(SEARCH), headers=headers).status_code == 200
                projects.revoke_key(tenant.key_id, container.uows, container.clock)
                assert client.get(tenant.url(SEARCH), headers=headers).status_code == 401
        finally:
            container.dispose()

    def test_secrets_are_stored_only_as_keyed_hashes(self, container: Container, tenant: Tenant) -> None:
        with container.uows(readonly=True) as uow:
            key = uow.keys.get(tenant.key_id)
        assert key is not None
        assert tenant.key_secret not in key.secret_hash
        assert len(key.secret_hash) == 64
        assert key.secret_hash == projects.hash_secret(container.key_pepper, tenant.key_secret)


class TestAdminToken:
    def test_admin_api_needs_the_operator_token(
        self, client: TestClient, tenant: Tenant, admin_headers: dict[str, str]
    ) -> None:
        assert client.get("/admin/v1/clock").status_code == 401
        assert client.get("/admin/v1/clock", headers={"Authorization": "Bearer nope"}).status_code == 401
        basic = base64.b64encode(f"{tenant.key_id}:{tenant.key_secret}".encode()).decode()
        assert client.get("/admin/v1/clock", headers={"Authorization": f"Basic {basic}"}).status_code == 401
        assert client.get("/admin/v1/clock", headers=admin_headers).status_code == 200

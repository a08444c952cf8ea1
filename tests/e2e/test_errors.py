"""Every error the server produces leaves in the Sinch envelope, never a framework default."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from numberdesk.adapters.db.engine import make_engine
from numberdesk.adapters.db.migrate import upgrade
from numberdesk.api.app import create_app
from numberdesk.bootstrap import Container, build
from numberdesk.config import Settings
from tests.conftest import ENCRYPTION_KEYS, Tenant, make_settings, new_tenant

ADVANCE = "/admin/v1/clock:advance"


def error_of(response) -> dict:  # type: ignore[no-untyped-def, type-arg]
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "status", "details"}, body
    assert body["error"]["code"] == response.status_code
    return body["error"]  # type: ignore[no-any-return]


def test_malformed_json(client: TestClient, admin_headers: dict[str, str]) -> None:
    response = client.post(
        ADVANCE, content=b'{"seconds": ', headers={**admin_headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert error_of(response)["status"] == "INVALID_ARGUMENT"


def test_wrong_content_type_is_415(client: TestClient, admin_headers: dict[str, str]) -> None:
    response = client.post(
        ADVANCE, content=b"seconds=5", headers={**admin_headers, "Content-Type": "text/plain"}
    )
    assert response.status_code == 415
    error_of(response)


def test_validation_failures_name_each_field(client: TestClient, admin_headers: dict[str, str]) -> None:
    response = client.post(ADVANCE, json={"seconds": -5}, headers=admin_headers)
    error = error_of(response)
    assert response.status_code == 400
    violations = error["details"][0]["fieldViolations"]
    assert [v["field"] for v in violations] == ["seconds"]
    assert error["details"][0]["type"] == "BadRequest"


def test_query_violations_one_per_bad_field(client: TestClient, tenant: Tenant) -> None:
    response = client.get(
        tenant.url("availableNumbers"),
        params={"regionCode": "ZZ", "type": "MOBILE", "size": "many"},
        auth=tenant.auth,
    )
    assert response.status_code == 400
    fields = [v["field"] for v in error_of(response)["details"][0]["fieldViolations"]]
    assert fields == ["regionCode"]
    response = client.get(
        tenant.url("availableNumbers"), params={"regionCode": "AU", "type": "XXX"}, auth=tenant.auth
    )
    assert error_of(response)["message"] == 'parsing field "type": "XXX" is not a valid value'
    response = client.get(
        tenant.url("availableNumbers"),
        params={"regionCode": "AU", "type": "MOBILE", "size": "x"},
        auth=tenant.auth,
    )
    assert [v["field"] for v in error_of(response)["details"][0]["fieldViolations"]] == ["size"]


def test_missing_required_query_fields(client: TestClient, tenant: Tenant) -> None:
    response = client.get(tenant.url("availableNumbers"), auth=tenant.auth)
    assert response.status_code == 400
    assert error_of(response)["details"][0]["fieldViolations"][0]["field"] == "regionCode"


def test_unknown_route_and_method(client: TestClient, tenant: Tenant) -> None:
    assert error_of(client.get("/v2/nothing-here"))["status"] == "NOT_FOUND"
    response = client.delete(tenant.url("availableNumbers"), auth=tenant.auth)
    assert response.status_code == 405
    error_of(response)


def test_unknown_top_level_fields_are_ignored(client: TestClient, admin_headers: dict[str, str]) -> None:
    response = client.post(ADVANCE, json={"seconds": 1, "somethingNew": {"a": 1}}, headers=admin_headers)
    assert response.status_code == 200


def test_oversized_body_is_413(
    client: TestClient, admin_headers: dict[str, str], container: Container
) -> None:
    big = b'{"seconds": 1, "pad": "' + b"x" * (container.settings.max_json_body_bytes + 10) + b'"}'
    response = client.post(
        ADVANCE, content=big, headers={**admin_headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert error_of(response)["status"] == "CONTENT_TOO_LARGE"


def test_oversized_chunked_body_is_413(
    client: TestClient, admin_headers: dict[str, str], container: Container
) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        yield b'{"seconds": 1, "pad": "'
        for _ in range(20):
            yield b"x" * (container.settings.max_json_body_bytes // 10)
        yield b'"}'

    response = client.post(
        ADVANCE, content=chunks(), headers={**admin_headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 413
    error_of(response)


def test_rate_limit_is_429_with_retry_after(tmp_path, database_template: str) -> None:  # type: ignore[no-untyped-def]
    container = build(
        make_settings(tmp_path / "h", database_template, rate_limit_per_second=1, rate_limit_burst=3)
    )
    try:
        tenant = new_tenant(container)
        with TestClient(create_app(container, run_workers=False)) as client:
            codes = [
                client.get(tenant.url("availableRegions"), auth=tenant.auth).status_code for _ in range(5)
            ]
            assert codes[:3] == [200, 200, 200]
            assert codes[-1] == 429
            response = client.get(tenant.url("availableRegions"), auth=tenant.auth)
            assert error_of(response)["status"] == "RESOURCE_EXHAUSTED"
            assert int(response.headers["retry-after"]) >= 1
    finally:
        container.dispose()


@pytest.fixture
def breakable(tmp_path) -> Iterator[Container]:  # type: ignore[no-untyped-def]
    """A private SQLite database (even in PostgreSQL runs) that a test may damage."""
    home = tmp_path / "breakable"
    home.mkdir()
    engine = make_engine(f"sqlite:///{home / 'numberdesk.db'}")
    upgrade(engine)
    engine.dispose()
    container = build(
        Settings(
            home=home,
            sandbox=True,
            run_workers=False,
            rate_limit_per_second=0,
            admin_token="a" * 20,
            secret_key="s" * 32,
            encryption_keys=ENCRYPTION_KEYS,
        )
    )
    yield container
    container.dispose()


def test_unexpected_failure_is_500_without_traceback(
    breakable: Container, caplog: pytest.LogCaptureFixture
) -> None:
    container = breakable
    tenant = new_tenant(container)
    client = TestClient(create_app(container, run_workers=False), raise_server_exceptions=False)
    with container.engine.begin() as conn:
        conn.execute(text("DROP TABLE number_suffixes"))
    response = client.get(
        tenant.url("availableNumbers"),
        params={
            "regionCode": "AU",
            "type": "MOBILE",
            "numberPattern.pattern": "12",
            "numberPattern.searchPattern": "END",
        },
        auth=tenant.auth,
    )
    assert response.status_code == 500
    error = error_of(response)
    assert error["status"] == "INTERNAL"
    assert "Traceback" not in response.text and "sqlite" not in response.text.lower()
    assert response.headers["x-request-id"] in error["message"]
    assert any(response.headers["x-request-id"] in r.getMessage() for r in caplog.records)


def test_openapi_documents_routes_with_wire_names_and_errors(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    search = paths["/v1/projects/{project_id}/availableNumbers"]["get"]
    assert search["operationId"] == "NumberService_ListAvailableNumbers"
    assert {"400", "401", "403", "404", "429", "500"} <= set(search["responses"])
    schema = spec["components"]["schemas"]["AvailableNumber"]
    assert {"phoneNumber", "capability", "setupPrice", "supportingDocumentationRequired"} <= set(
        schema["properties"]
    )
    assert "/oauth2/token" in paths and "/admin/v1/clock:advance" in paths

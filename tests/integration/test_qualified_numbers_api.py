"""Qualified numbers over HTTP: addNumbers -> eligibility -> invoice review by the operator, the voice
challenge (sandbox caller, expiry, wrong codes, VERIFICATION_BLOCKED, unblock), list/delete, and
text-enable through a hosting order up to HOSTING_DONE / HOSTING_FAILED."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from numberdesk.bootstrap import Container
from tests.conftest import Tenant
from tests.integration.imported_helpers import DIRECT_LOA, admin_rule, advance, url

A, B = "+12025550181", "+12025550182"


def state(client: TestClient, tenant: Tenant, phone: str) -> Any:
    r = client.get(url(tenant, f"qualifiedNumbers/{phone}"), auth=tenant.auth)
    assert r.status_code == 200, r.text
    return r.json()


def add(client: TestClient, tenant: Tenant, *phones: str) -> Any:
    r = client.post(
        url(tenant, "qualifiedNumbers:addNumbers"), json={"phoneNumbers": list(phones)}, auth=tenant.auth
    )
    assert r.status_code == 200, r.text
    return r.json()


def admin(client: TestClient, headers: dict[str, str], tenant: Tenant, phone: str, verb: str) -> Any:
    r = client.post(
        f"/admin/v1/imported/projects/{tenant.project_id}/qualifiedNumbers/{phone}:{verb}", headers=headers
    )
    assert r.status_code == 200, r.text
    return r.json()


def test_invoice_path_and_text_enable_to_hosting_done(
    client: TestClient, tenant: Tenant, admin_headers: dict[str, str]
) -> None:
    admin_rule(client, admin_headers, "ELIGIBILITY", B)
    body = add(client, tenant, A, B)
    assert [q["globalProcessState"] for q in body["qualifiedNumbers"]] == [
        "GLOBAL_PROCESS_STATE_ELIGIBLE_CHECK_PENDING"
    ] * 2
    assert body["qualifiedNumbers"][0]["osrEligibility"]["status"] == 1  # PENDING
    advance(client, admin_headers, 5)
    assert state(client, tenant, A)["globalProcessState"] == "GLOBAL_PROCESS_STATE_VERIFICATION_PENDING"
    assert state(client, tenant, B)["globalProcessState"] == "GLOBAL_PROCESS_STATE_NOT_ELIGIBLE"
    text = {"regionCode": "US", "numbers": [A], "servicePlanId": "plan1", "directLoaInfo": DIRECT_LOA}
    early = client.post(url(tenant, "qualifiedNumbers:textEnableNumbers"), json=text, auth=tenant.auth)
    assert early.status_code == 400  # not verified yet
    verified = admin(client, admin_headers, tenant, A, "approveInvoices")
    assert verified["globalProcessState"] == "GLOBAL_PROCESS_STATE_VERIFIED"
    r = client.post(url(tenant, "qualifiedNumbers:textEnableNumbers"), json=text, auth=tenant.auth)
    assert r.status_code == 200, r.text
    oid = r.json()["hostingOrderId"]
    assert state(client, tenant, A)["globalProcessState"] == "GLOBAL_PROCESS_STATE_HOSTING_IN_PROGRESS"
    advance(client, admin_headers, 5)
    client.post(f"/admin/v1/imported/hostingOrders/{oid}:signLoa", headers=admin_headers)
    advance(client, admin_headers, 20)
    done = state(client, tenant, A)
    assert done["globalProcessState"] == "GLOBAL_PROCESS_STATE_HOSTING_DONE"
    assert done["hostedNumber"]["status"] == 1  # HOSTED
    listing = client.get(
        url(tenant, "qualifiedNumbers"),
        params={"states": "GLOBAL_PROCESS_STATE_NOT_ELIGIBLE"},
        auth=tenant.auth,
    )
    assert [q["phoneNumber"] for q in listing.json()["qualifiedNumbers"]] == [B]
    unknown = client.post(
        url(tenant, "qualifiedNumbers:textEnableNumbers"),
        json={**text, "numbers": ["+12025550189"]},
        auth=tenant.auth,
    )
    assert unknown.status_code == 404


def test_hosting_failure_reaches_qualified_number(
    client: TestClient, tenant: Tenant, admin_headers: dict[str, str]
) -> None:
    add(client, tenant, A)
    advance(client, admin_headers, 5)
    admin(client, admin_headers, tenant, A, "approveInvoices")
    admin_rule(client, admin_headers, "PLATFORM_PROVISIONING", A)
    text = {"regionCode": "US", "numbers": [A], "servicePlanId": "plan1", "directLoaInfo": DIRECT_LOA}
    oid = client.post(url(tenant, "qualifiedNumbers:textEnableNumbers"), json=text, auth=tenant.auth).json()[
        "hostingOrderId"
    ]
    advance(client, admin_headers, 5)
    client.post(f"/admin/v1/imported/hostingOrders/{oid}:signLoa", headers=admin_headers)
    advance(client, admin_headers, 20)
    failed = state(client, tenant, A)
    assert failed["globalProcessState"] == "GLOBAL_PROCESS_STATE_HOSTING_FAILED"
    assert failed["hostedNumber"] == {"status": 2, "error": "NUMBER_PROVISIONING_FAILED"}


def test_voice_challenge_codes_expiry_and_blocking(
    client: TestClient, tenant: Tenant, admin_headers: dict[str, str]
) -> None:
    add(client, tenant, A)
    challenge = url(tenant, f"qualifiedNumbers/{A}:sendVoiceChallenge")
    verify = url(tenant, f"qualifiedNumbers/{A}:verifyVoiceChallenge")
    assert client.post(challenge, auth=tenant.auth).status_code == 409  # eligibility still pending
    advance(client, admin_headers, 5)
    assert client.post(challenge, auth=tenant.auth).status_code == 200
    code = client.get(f"/admin/v1/imported/voiceCodes/{A}", headers=admin_headers).json()["code"]
    advance(client, admin_headers, 11 * 60)  # codes expire after 10 minutes
    expired = client.post(verify, json={"code": code}, auth=tenant.auth).json()
    assert expired["globalProcessState"] == "GLOBAL_PROCESS_STATE_VERIFICATION_FAILED"
    client.post(challenge, auth=tenant.auth)
    code = client.get(f"/admin/v1/imported/voiceCodes/{A}", headers=admin_headers).json()["code"]
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(4):
        body = client.post(verify, json={"code": wrong}, auth=tenant.auth).json()
        assert body["globalProcessState"] == "GLOBAL_PROCESS_STATE_VERIFICATION_PENDING"
    blocked = client.post(verify, json={"code": wrong}, auth=tenant.auth).json()
    assert blocked["globalProcessState"] == "GLOBAL_PROCESS_STATE_VERIFICATION_BLOCKED"
    assert blocked["ownershipVerification"]["status"] == 4  # BLOCKED
    assert client.post(verify, json={"code": code}, auth=tenant.auth).status_code == 409
    assert (
        admin(client, admin_headers, tenant, A, "unblock")["globalProcessState"]
        == "GLOBAL_PROCESS_STATE_ELIGIBLE"
    )
    client.post(challenge, auth=tenant.auth)
    code = client.get(f"/admin/v1/imported/voiceCodes/{A}", headers=admin_headers).json()["code"]
    ok = client.post(verify, json={"code": code}, auth=tenant.auth).json()
    assert ok["globalProcessState"] == "GLOBAL_PROCESS_STATE_VERIFIED"


def test_invoice_rejection_validation_and_delete(
    client: TestClient, tenant: Tenant, admin_headers: dict[str, str]
) -> None:
    add(client, tenant, A)
    advance(client, admin_headers, 5)
    rejected = admin(client, admin_headers, tenant, A, "rejectInvoices")
    assert rejected["globalProcessState"] == "GLOBAL_PROCESS_STATE_VERIFICATION_FAILED"
    assert rejected["ownershipVerification"]["error"]
    bad = client.post(
        url(tenant, "qualifiedNumbers:addNumbers"), json={"phoneNumbers": ["+442071234567"]}, auth=tenant.auth
    )
    assert bad.status_code == 400  # US and CA only
    assert client.delete(url(tenant, f"qualifiedNumbers/{A}"), auth=tenant.auth).status_code == 200
    assert client.get(url(tenant, f"qualifiedNumbers/{A}"), auth=tenant.auth).status_code == 404
    assert client.delete(url(tenant, f"qualifiedNumbers/{A}"), auth=tenant.auth).status_code == 404


def test_callback_configuration_is_per_api_and_uses_the_envelope(client: TestClient, tenant: Tenant) -> None:
    path = url(tenant, "callbackConfiguration")
    assert client.get(path, auth=tenant.auth).json() == {"projectId": tenant.project_id, "hmacSecret": ""}
    secret = "a" * 40
    r = client.patch(path, json={"hmacSecret": secret}, auth=tenant.auth)
    assert r.status_code == 200 and r.json()["hmacSecret"] == secret
    assert client.get(path, auth=tenant.auth).json()["hmacSecret"] == secret
    bad = client.patch(path, json={"hmacSecret": "short"}, auth=tenant.auth)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == 400


def test_imported_secret_is_the_one_the_dispatcher_signs_with(
    client: TestClient, tenant: Tenant, container: Container
) -> None:
    from numberdesk.domain.events import CallbackApi
    from numberdesk.services import callbacks

    secret = "imported-secret-" + "x" * 20
    r = client.patch(
        f"/imported/v1/projects/{tenant.project_id}/callbackConfiguration",
        json={"hmacSecret": secret},
        auth=tenant.auth,
    )
    assert r.status_code == 200 and r.json()["hmacSecret"] == secret
    numbers_api = client.get(tenant.url("callbackConfiguration"), auth=tenant.auth).json()
    assert numbers_api["hmacSecret"] == ""  # each API has its own secret
    stored = callbacks.get_callback_configuration(
        tenant.project_id, CallbackApi.IMPORTED, container.uows, container.cipher
    )
    assert stored.hmac_secret == secret

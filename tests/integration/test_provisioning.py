"""The provisioning simulator: WAITING → IN_PROGRESS → applied/FAILED, events, failure injection, timing."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from numberdesk.bootstrap import Container
from numberdesk.services.timers import run_due_once
from tests.conftest import Tenant
from tests.integration.test_active_numbers import advance, rent, stock

PHONE = "+12025550101"


@pytest.fixture
def stocked(container: Container) -> Container:
    stock(container, [PHONE, "+12025550102"])
    return container


def events(container: Container, tenant: Tenant) -> list[tuple[str, str, str | None, str | None]]:
    with container.uows(readonly=True) as uow:
        found = uow.outbox.list_for_project(tenant.project_id)
    assert all(e.resource_type == "ACTIVE_NUMBER" and e.api.value == "NUMBERS" for e in found)
    return [(e.event_type, e.status, e.failure_code, e.callback_url) for e in found]


def state(client: TestClient, admin_headers: dict[str, str], phone: str = PHONE) -> Any:
    r = client.get(f"/admin/v1/simulator/activeNumbers/{phone}", headers=admin_headers)
    assert r.status_code == 200, r.text
    return r.json()


def test_sms_campaign_and_voice_walk_through_the_states(
    client: TestClient, tenant: Tenant, stocked: Container, admin_headers: dict[str, str]
) -> None:
    r = client.patch(
        "/admin/v1/simulator/timing",
        json={"waitingSeconds": 5, "inProgressSeconds": 7},
        headers=admin_headers,
    )
    assert r.json() == {"waitingSeconds": 5.0, "inProgressSeconds": 7.0}
    body = {
        "smsConfiguration": {"servicePlanId": "plan", "campaignId": "CAMP1"},
        "voiceConfiguration": {"type": "EST", "trunkId": "trunk"},
        "callbackUrl": "https://example.com/cb",
    }
    assert rent(client, tenant, PHONE, body).status_code == 200
    advance(client, admin_headers, 4)
    assert state(client, admin_headers)["smsConfiguration"]["scheduledProvisioning"]["status"] == "WAITING"
    advance(client, admin_headers, 2)
    now = state(client, admin_headers)
    assert now["smsConfiguration"]["scheduledProvisioning"]["status"] == "IN_PROGRESS"
    assert now["voiceConfiguration"]["scheduledVoiceProvisioning"]["status"] == "IN_PROGRESS"
    assert now["smsConfiguration"]["servicePlanId"] == ""
    assert events(stocked, tenant) == []
    advance(client, admin_headers, 7)
    done = state(client, admin_headers)
    assert done["smsConfiguration"] == {
        "servicePlanId": "plan",
        "scheduledProvisioning": None,
        "campaignId": "CAMP1",
    }
    assert done["voiceConfiguration"]["trunkId"] == "trunk" and done["voiceConfiguration"]["type"] == "EST"
    assert done["voiceConfiguration"]["scheduledVoiceProvisioning"] is None
    assert sorted(events(stocked, tenant)) == sorted(
        [
            ("PROVISIONING_TO_SMS_PLATFORM", "SUCCEEDED", None, "https://example.com/cb"),
            ("PROVISIONING_TO_CAMPAIGN", "SUCCEEDED", None, "https://example.com/cb"),
            ("PROVISIONING_TO_VOICE_PLATFORM", "SUCCEEDED", None, "https://example.com/cb"),
        ]
    )


def test_injected_campaign_failure(
    client: TestClient, tenant: Tenant, stocked: Container, admin_headers: dict[str, str]
) -> None:
    rule = client.post(
        "/admin/v1/simulator/failures",
        json={"kind": "campaign", "match": "CAMPBAD", "failureCode": "CAMPAIGN_NOT_AVAILABLE"},
        headers=admin_headers,
    )
    assert rule.status_code == 200, rule.text
    listed = client.get("/admin/v1/simulator/failures", headers=admin_headers).json()["failures"]
    assert [(r["kind"], r["match"], r["failureCode"]) for r in listed] == [
        ("campaign", "CAMPBAD", "CAMPAIGN_NOT_AVAILABLE")
    ]
    rent(client, tenant, PHONE, {"smsConfiguration": {"servicePlanId": "plan", "campaignId": "CAMPBAD"}})
    advance(client, admin_headers, 10)
    got = client.get(tenant.url(f"activeNumbers/{PHONE}"), auth=tenant.auth).json()["smsConfiguration"]
    assert got["servicePlanId"] == "plan" and got["campaignId"] == ""
    assert got["scheduledProvisioning"]["status"] == "FAILED"
    assert got["scheduledProvisioning"]["errorCodes"] == ["CAMPAIGN_NOT_AVAILABLE"]
    assert events(stocked, tenant) == [
        ("PROVISIONING_TO_SMS_PLATFORM", "SUCCEEDED", None, None),
        ("PROVISIONING_TO_CAMPAIGN", "FAILED", "CAMPAIGN_NOT_AVAILABLE", None),
    ]
    # after deleting the rule, a new request for the same campaign succeeds
    assert (
        client.delete(f"/admin/v1/simulator/failures/{rule.json()['id']}", headers=admin_headers).status_code
        == 200
    )
    assert (
        client.delete(f"/admin/v1/simulator/failures/{rule.json()['id']}", headers=admin_headers).status_code
        == 404
    )
    client.patch(
        tenant.url(f"activeNumbers/{PHONE}"),
        json={"smsConfiguration": {"servicePlanId": "plan", "campaignId": "CAMPBAD"}},
        auth=tenant.auth,
    )
    advance(client, admin_headers, 10)
    got = client.get(tenant.url(f"activeNumbers/{PHONE}"), auth=tenant.auth).json()["smsConfiguration"]
    assert got == {"servicePlanId": "plan", "scheduledProvisioning": None, "campaignId": "CAMPBAD"}


def test_injected_sms_and_voice_failures_and_deprovisioning(
    client: TestClient, tenant: Tenant, stocked: Container, admin_headers: dict[str, str]
) -> None:
    client.post(
        "/admin/v1/simulator/failures", json={"kind": "sms", "match": "badplan"}, headers=admin_headers
    )
    client.post("/admin/v1/simulator/failures", json={"kind": "voice", "match": "*"}, headers=admin_headers)
    rent(
        client,
        tenant,
        PHONE,
        {"smsConfiguration": {"servicePlanId": "badplan"}, "voiceConfiguration": {"appId": "a"}},
    )
    advance(client, admin_headers, 10)
    got = client.get(tenant.url(f"activeNumbers/{PHONE}"), auth=tenant.auth).json()
    assert got["smsConfiguration"]["servicePlanId"] == ""
    assert got["smsConfiguration"]["scheduledProvisioning"]["errorCodes"] == ["SMS_PROVISIONING_FAILED"]
    assert got["voiceConfiguration"]["appId"] == ""
    assert got["voiceConfiguration"]["scheduledVoiceProvisioning"]["status"] == "FAILED"
    assert sorted(events(stocked, tenant)) == [
        ("PROVISIONING_TO_SMS_PLATFORM", "FAILED", "SMS_PROVISIONING_FAILED", None),
        ("PROVISIONING_TO_VOICE_PLATFORM", "FAILED", "PROVISIONING_TO_VOICE_PLATFORM_FAILED", None),
    ]
    # provision fine, then unlink: DEPROVISIONING events
    rent(client, tenant, "+12025550102", {"smsConfiguration": {"servicePlanId": "p", "campaignId": "c"}})
    advance(client, admin_headers, 10)
    client.patch(
        tenant.url("activeNumbers/+12025550102"),
        json={"smsConfiguration": {"servicePlanId": "", "campaignId": ""}},
        auth=tenant.auth,
    )
    advance(client, admin_headers, 10)
    kinds = [e[0] for e in events(stocked, tenant)]
    assert "DEPROVISIONING_FROM_SMS_PLATFORM" in kinds and "DEPROVISIONING_FROM_CAMPAIGN" in kinds


def test_bad_rules_are_400(client: TestClient, admin_headers: dict[str, str]) -> None:
    bad = [
        {"kind": "fax", "match": "x"},
        {"kind": "sms", "match": ""},
        {"kind": "campaign", "match": "x", "failureCode": "NOPE"},
    ]
    for body in bad:
        assert (
            client.post("/admin/v1/simulator/failures", json=body, headers=admin_headers).status_code == 400
        )
    assert client.get("/admin/v1/simulator/failures").status_code == 401


def test_zero_delay_runs_on_the_next_worker_poll(
    client: TestClient, tenant: Tenant, stocked: Container, admin_headers: dict[str, str]
) -> None:
    client.patch(
        "/admin/v1/simulator/timing",
        json={"waitingSeconds": 0, "inProgressSeconds": 0},
        headers=admin_headers,
    )
    rent(client, tenant, PHONE, {"smsConfiguration": {"servicePlanId": "now"}})
    for _ in range(3):
        run_due_once(stocked.works, stocked.clock)
    got = client.get(tenant.url(f"activeNumbers/{PHONE}"), auth=tenant.auth).json()["smsConfiguration"]
    assert got["servicePlanId"] == "now" and got["scheduledProvisioning"] is None


def test_release_cancels_pending_provisioning(
    client: TestClient, tenant: Tenant, stocked: Container, admin_headers: dict[str, str]
) -> None:
    rent(client, tenant, PHONE, {"smsConfiguration": {"servicePlanId": "p"}})
    client.post(tenant.url(f"activeNumbers/{PHONE}:release"), auth=tenant.auth)
    advance(client, admin_headers, 10)
    got = client.get(tenant.url(f"activeNumbers/{PHONE}"), auth=tenant.auth).json()
    assert got["smsConfiguration"] == {"servicePlanId": "", "scheduledProvisioning": None, "campaignId": ""}
    assert events(stocked, tenant) == []
    r = client.patch(
        tenant.url(f"activeNumbers/{PHONE}"),
        json={"smsConfiguration": {"servicePlanId": "x"}},
        auth=tenant.auth,
    )
    assert r.status_code == 400

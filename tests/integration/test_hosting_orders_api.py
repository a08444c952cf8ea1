"""Hosting orders over HTTP: importNumbers (limit 5 unless authorised), textEnable with direct,
reseller and blanket LOAs, toll-free, the order and step state machines, scheduled OSR updates,
reports that agree with the numbers, filters, failure injection and HOSTING_ORDER_NUMBER events."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from numberdesk.bootstrap import Container
from tests.conftest import Tenant
from tests.integration.imported_helpers import DIRECT_LOA, admin_rule, advance, events, url

NUMBERS = ["+17724295286", "+17724295287"]


def order_state(client: TestClient, tenant: Tenant, order_id: str) -> Any:
    r = client.get(url(tenant, f"hostingOrders/{order_id}"), auth=tenant.auth)
    assert r.status_code == 200, r.text
    return r.json()


def numbers(client: TestClient, tenant: Tenant, order_id: str, **params: Any) -> list[dict[str, Any]]:
    r = client.get(url(tenant, f"hostingOrders/{order_id}/numbers"), params=params, auth=tenant.auth)
    assert r.status_code == 200, r.text
    return list(r.json()["numbers"])


def report(client: TestClient, tenant: Tenant, order_id: str) -> Any:
    return client.get(url(tenant, f"hostingOrders/{order_id}/report"), auth=tenant.auth).json()


def text_enable(client: TestClient, tenant: Tenant, **extra: Any) -> Any:
    body = {"regionCode": "US", "numbers": NUMBERS, "servicePlanId": "plan1", "campaignId": "CAMP1", **extra}
    body.setdefault("directLoaInfo", DIRECT_LOA) if not any(k.endswith("LoaInfo") for k in extra) else None
    return client.post(url(tenant, "hostingOrders:textEnableNumbers"), json=body, auth=tenant.auth)


def test_import_numbers_order_runs_to_completion(
    client: TestClient, tenant: Tenant, container: Container, admin_headers: dict[str, str]
) -> None:
    body = {
        "regionCode": "US",
        "numbers": NUMBERS,
        "servicePlanId": "plan1",
        "campaignId": "CAMP1",
        "callbackUrl": "https://example.com/cb",
    }
    r = client.post(url(tenant, "hostingOrders:importNumbers"), json=body, auth=tenant.auth)
    assert r.status_code == 200, r.text
    order = r.json()
    assert order["state"] == "SUBMITTED" and order["type"] == "IMPORT" and order["numberImport"] == {}
    oid = order["hostingOrderId"]
    advance(client, admin_headers, 5)
    assert order_state(client, tenant, oid)["state"] == "IN_PROGRESS"  # no LOA for imports
    assert report(client, tenant, oid) == {
        "total": 2,
        "osrUpdated": 0,
        "smsProvisioned": 0,
        "addedToCampaign": 0,
        "ongoingManualAction": 0,
    }
    advance(client, admin_headers, 5)
    assert report(client, tenant, oid)["smsProvisioned"] == 2
    assert [n["platformProvisioning"]["state"] for n in numbers(client, tenant, oid)] == ["DONE", "DONE"]
    assert "osrUpdate" not in numbers(client, tenant, oid)[0]
    advance(client, admin_headers, 5)
    assert order_state(client, tenant, oid)["state"] == "COMPLETED"
    assert report(client, tenant, oid)["addedToCampaign"] == 2
    got = client.get(url(tenant, f"importedNumbers/{NUMBERS[0]}"), auth=tenant.auth).json()
    assert (
        got["smsConfiguration"]["servicePlanId"] == "plan1"
        and got["smsConfiguration"]["campaignId"] == "CAMP1"
    )
    kinds = [(e[0], e[2], e[3]) for e in events(container, tenant)]
    assert kinds.count(("HOSTING_ORDER_NUMBER", "PROVISIONING_TO_SMS_PLATFORM", "SUCCEEDED")) == 2
    assert kinds.count(("HOSTING_ORDER_NUMBER", "LINK_TO_10DLC_CAMPAIGN", "SUCCEEDED")) == 2
    # 409 once imported
    again = client.post(url(tenant, "hostingOrders:importNumbers"), json=body, auth=tenant.auth)
    assert again.status_code == 409


def test_import_numbers_limit_is_five_unless_authorised(
    client: TestClient, tenant: Tenant, admin_headers: dict[str, str]
) -> None:
    six = [f"+1772429530{i}" for i in range(6)]
    body = {"regionCode": "US", "numbers": six, "servicePlanId": "plan1"}
    assert (
        client.post(url(tenant, "hostingOrders:importNumbers"), json=body, auth=tenant.auth).status_code
        == 400
    )
    r = client.patch(
        f"/admin/v1/imported/projects/{tenant.project_id}/settings",
        json={"importNumberLimit": 10},
        headers=admin_headers,
    )
    assert r.status_code == 200 and r.json()["importNumberLimit"] == 10
    assert (
        client.post(url(tenant, "hostingOrders:importNumbers"), json=body, auth=tenant.auth).status_code
        == 200
    )


def test_direct_loa_waits_for_signature_and_osr_schedule_moves_to_next_day(
    client: TestClient, tenant: Tenant, container: Container, admin_headers: dict[str, str]
) -> None:
    scheduled = container.clock.now() + timedelta(hours=1)
    r = text_enable(client, tenant, scheduledOsrUpdateTime=scheduled.isoformat())
    assert r.status_code == 200, r.text
    order = r.json()
    assert order["type"] == "TYPE_TEXT_ENABLE" and order["textEnableInfo"]["loaType"] == 1
    oid = order["hostingOrderId"]
    advance(client, admin_headers, 5)
    assert order_state(client, tenant, oid)["state"] == "WAITING_FOR_LOA_SIGNATURE"
    assert report(client, tenant, oid)["ongoingManualAction"] == 2
    advance(client, admin_headers, 2 * 3600)  # signed after the scheduled time
    assert order_state(client, tenant, oid)["state"] == "WAITING_FOR_LOA_SIGNATURE"
    signed = client.post(f"/admin/v1/imported/hostingOrders/{oid}:signLoa", headers=admin_headers)
    assert signed.status_code == 200, signed.text
    moved = order_state(client, tenant, oid)
    assert moved["state"] == "IN_PROGRESS"
    assert moved["scheduledOsrUpdateTime"].startswith((scheduled + timedelta(days=1)).date().isoformat())
    advance(client, admin_headers, 3600)
    assert [n["osrUpdate"]["state"] for n in numbers(client, tenant, oid)] == ["WAITING", "WAITING"]
    assert numbers(client, tenant, oid)[0]["osrUpdate"]["nnid"] == "SINCH"
    advance(client, admin_headers, 24 * 3600)
    assert order_state(client, tenant, oid)["state"] == "COMPLETED"
    assert report(client, tenant, oid) == {
        "total": 2,
        "osrUpdated": 2,
        "smsProvisioned": 2,
        "addedToCampaign": 2,
        "ongoingManualAction": 0,
    }


def test_blanket_loa_needs_approval_and_skips_signature(
    client: TestClient, tenant: Tenant, admin_headers: dict[str, str]
) -> None:
    assert text_enable(client, tenant, blanketLoaInfo={}).status_code == 400
    client.patch(
        f"/admin/v1/imported/projects/{tenant.project_id}/settings",
        json={"blanketLoaApproved": True, "nnid": "104029"},
        headers=admin_headers,
    )
    r = text_enable(client, tenant, blanketLoaInfo={})
    assert r.status_code == 200, r.text
    oid = r.json()["hostingOrderId"]
    advance(client, admin_headers, 5)
    assert order_state(client, tenant, oid)["state"] == "IN_PROGRESS"
    assert numbers(client, tenant, oid)[0]["osrUpdate"]["nnid"] == "104029"


def test_reseller_and_toll_free_and_validation(
    client: TestClient, tenant: Tenant, admin_headers: dict[str, str]
) -> None:
    reseller = {**DIRECT_LOA, "businessName": "Acme"}
    r = text_enable(client, tenant, resellerLoaInfo=reseller)
    assert r.status_code == 200 and r.json()["textEnableInfo"]["loaType"] == 2
    assert r.json()["textEnableInfo"]["businessName"] == "Acme"
    toll_free = {
        "regionCode": "US",
        "numbers": ["+18335870229"],
        "servicePlanId": "plan1",
        "directLoaInfo": DIRECT_LOA,
    }
    tf = client.post(url(tenant, "hostingOrders:textEnableTollFreeNumbers"), json=toll_free, auth=tenant.auth)
    assert tf.status_code == 200, tf.text
    not_tf = {**toll_free, "numbers": ["+17724295299"]}
    bad = client.post(url(tenant, "hostingOrders:textEnableTollFreeNumbers"), json=not_tf, auth=tenant.auth)
    assert bad.status_code == 400
    too_many = text_enable(client, tenant, numbers=[f"+1772{i:07d}" for i in range(501)])
    assert too_many.status_code == 400
    assert text_enable(client, tenant, regionCode="GB").status_code == 400
    assert text_enable(client, tenant, numbers=["17724295286"]).status_code == 400
    busy = text_enable(client, tenant, resellerLoaInfo=reseller)
    assert busy.status_code == 409  # the numbers are in an open order


def test_failures_reject_filters_and_listing(
    client: TestClient, tenant: Tenant, container: Container, admin_headers: dict[str, str]
) -> None:
    admin_rule(client, admin_headers, "OSR_UPDATE", NUMBERS[0], "INVALID_NNID")
    admin_rule(client, admin_headers, "CAMPAIGN_PROVISIONING", "CAMP1", "EXCEEDED_10DLC_LIMIT")
    oid = text_enable(client, tenant).json()["hostingOrderId"]
    advance(client, admin_headers, 5)
    client.post(f"/admin/v1/imported/hostingOrders/{oid}:signLoa", headers=admin_headers)
    advance(client, admin_headers, 30)
    assert order_state(client, tenant, oid)["state"] == "COMPLETED"
    failed = numbers(client, tenant, oid, osrUpdateState="FAILED")
    assert [n["phoneNumber"] for n in failed] == [NUMBERS[0]]
    assert failed[0]["platformProvisioning"]["state"] == "FAILED"
    assert [n["phoneNumber"] for n in numbers(client, tenant, oid, osrUpdateState=2)] == [NUMBERS[1]]
    assert [
        n["phoneNumber"] for n in numbers(client, tenant, oid, campaignProvisioningState="FAILED")
    ] == NUMBERS
    rep = report(client, tenant, oid)
    assert rep == {
        "total": 2,
        "osrUpdated": 1,
        "smsProvisioned": 1,
        "addedToCampaign": 0,
        "ongoingManualAction": 0,
    }
    codes = {(e[1], e[2]): (e[3], e[4]) for e in events(container, tenant)}
    assert codes[(NUMBERS[1], "LINK_TO_10DLC_CAMPAIGN")] == ("FAILED", "EXCEEDED_10DLC_LIMIT")
    assert codes[(NUMBERS[0], "PROVISIONING_TO_SMS_PLATFORM")] == ("FAILED", None)
    one = client.get(url(tenant, f"hostingOrders/{oid}/numbers/{NUMBERS[1]}"), auth=tenant.auth)
    assert one.status_code == 200 and one.json()["osrUpdate"]["state"] == "DONE"
    assert (
        client.get(url(tenant, f"hostingOrders/{oid}/numbers/+12025550100"), auth=tenant.auth).status_code
        == 404
    )

    other = client.post(
        url(tenant, "hostingOrders:importNumbers"),
        json={"regionCode": "US", "numbers": ["+17724295288"], "servicePlanId": "plan9"},
        auth=tenant.auth,
    ).json()["hostingOrderId"]
    rejected = client.post(
        f"/admin/v1/imported/hostingOrders/{other}:reject", json={"reason": "no"}, headers=admin_headers
    )
    assert rejected.status_code == 200 and rejected.json()["state"] == "REJECTED"
    listing = url(tenant, "hostingOrders")
    by_state = client.get(listing, params={"states": "REJECTED"}, auth=tenant.auth).json()
    assert [o["hostingOrderId"] for o in by_state["hostingOrders"]] == [other]
    by_plan = client.get(
        listing, params={"servicePlanId": "plan1", "type": "TYPE_TEXT_ENABLE"}, auth=tenant.auth
    )
    assert [o["hostingOrderId"] for o in by_plan.json()["hostingOrders"]] == [oid]
    desc = client.get(listing, params={"orderBy": "createdTime desc", "pageSize": 1}, auth=tenant.auth).json()
    assert desc["totalSize"] == 2 and desc["hostingOrders"][0]["hostingOrderId"] == other
    assert client.get(url(tenant, "hostingOrders/nope"), auth=tenant.auth).status_code == 404


def test_operator_fail_and_step(client: TestClient, tenant: Tenant, admin_headers: dict[str, str]) -> None:
    oid = client.post(
        url(tenant, "hostingOrders:importNumbers"),
        json={"regionCode": "US", "numbers": NUMBERS, "servicePlanId": "plan1"},
        auth=tenant.auth,
    ).json()["hostingOrderId"]
    advance(client, admin_headers, 5)
    failed = client.post(
        f"/admin/v1/imported/hostingOrders/{oid}/numbers/{NUMBERS[0]}:fail",
        json={"failureCode": "PARTNER_SERVICE_UNAVAILABLE"},
        headers=admin_headers,
    )
    assert failed.status_code == 200, failed.text
    stepped = client.post(f"/admin/v1/imported/hostingOrders/{oid}:step", headers=admin_headers)
    assert stepped.status_code == 200 and stepped.json()["state"] == "COMPLETED"
    assert report(client, tenant, oid)["smsProvisioned"] == 1

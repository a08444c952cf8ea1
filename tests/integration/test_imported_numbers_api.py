"""Imported numbers over HTTP: import (409, servicePlanId rule), get, list filters and paging, PATCH
with updateMask (unlink first, then link), delete, link events, base URL by prefix and by Host."""

from __future__ import annotations

from fastapi.testclient import TestClient

from numberdesk.bootstrap import Container
from tests.conftest import Tenant
from tests.integration.imported_helpers import admin_rule, advance, events, url

PHONE = "+12025550134"


def imported(client: TestClient, tenant: Tenant, phone: str = PHONE, **sms: object) -> dict[str, object]:
    body = {
        "phoneNumber": phone,
        "regionCode": "US",
        "displayName": "Mine",
        "callbackUrl": "https://example.com/cb",
        "smsConfiguration": {"servicePlanId": "plan1", **sms},
    }
    r = client.post(url(tenant, "importedNumbers"), json=body, auth=tenant.auth)
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_import_links_asynchronously_and_records_callbacks(
    client: TestClient, tenant: Tenant, container: Container, admin_headers: dict[str, str]
) -> None:
    body = imported(client, tenant, campaignId="CAMP1")
    sms = body["smsConfiguration"]
    assert isinstance(sms, dict)
    assert sms["servicePlanId"] == "" and sms["scheduledProvisioning"]["status"] == 1  # WAITING
    assert sms["scheduledProvisioning"]["servicePlanId"] == "plan1"
    advance(client, admin_headers, 5)
    got = client.get(url(tenant, f"importedNumbers/{PHONE}"), auth=tenant.auth).json()
    assert got["smsConfiguration"]["servicePlanId"] == "plan1"
    assert got["smsConfiguration"]["campaignId"] == ""
    advance(client, admin_headers, 5)
    got = client.get(url(tenant, f"importedNumbers/%2B{PHONE[1:]}"), auth=tenant.auth).json()
    assert got["smsConfiguration"]["campaignId"] == "CAMP1"
    assert "scheduledProvisioning" not in got["smsConfiguration"]
    assert events(container, tenant) == [
        ("IMPORTED_NUMBER", PHONE, "PROVISIONING_TO_SMS_PLATFORM", "SUCCEEDED", None),
        ("IMPORTED_NUMBER", PHONE, "LINK_TO_10DLC_CAMPAIGN", "SUCCEEDED", None),
    ]


def test_import_conflict_and_validation(
    client: TestClient, tenant: Tenant, admin_headers: dict[str, str]
) -> None:
    imported(client, tenant)
    again = client.post(
        url(tenant, "importedNumbers"),
        json={"phoneNumber": PHONE, "regionCode": "US", "smsConfiguration": {"servicePlanId": "plan1"}},
        auth=tenant.auth,
    )
    assert again.status_code == 409
    assert again.json()["code"] == "409" and again.json()["status"] == "ALREADY_EXISTS"
    bad_plan = client.post(
        url(tenant, "importedNumbers"),
        json={
            "phoneNumber": "+12025550135",
            "regionCode": "US",
            "smsConfiguration": {"servicePlanId": "no spaces"},
        },
        auth=tenant.auth,
    )
    assert bad_plan.status_code == 400
    body = bad_plan.json()
    assert body["status"] == "INVALID_ARGUMENT" and body["code"] == "400"
    assert body["details"][0]["fieldViolations"][0]["field"] == "smsConfiguration.servicePlanId"
    # Once the operator registers service plans, only those are accepted.
    r = client.post("/admin/v1/imported/servicePlans", json={"servicePlanId": "known"}, headers=admin_headers)
    assert r.status_code == 200
    unknown = client.post(
        url(tenant, "importedNumbers"),
        json={
            "phoneNumber": "+12025550135",
            "regionCode": "US",
            "smsConfiguration": {"servicePlanId": "plan1"},
        },
        auth=tenant.auth,
    )
    assert unknown.status_code == 400
    missing = client.get(url(tenant, "importedNumbers/+12025550199"), auth=tenant.auth)
    assert missing.status_code == 404 and missing.json()["status"] == "NOT_FOUND"


def test_patch_unlinks_before_linking_and_delete(
    client: TestClient, tenant: Tenant, container: Container, admin_headers: dict[str, str]
) -> None:
    imported(client, tenant)
    advance(client, admin_headers, 5)
    patch = url(tenant, f"importedNumbers/{PHONE}")
    no_mask = client.patch(patch, json={"displayName": "x"}, auth=tenant.auth)
    assert no_mask.status_code == 400
    renamed = client.patch(patch + "?updateMask=displayName", json={"displayName": "New"}, auth=tenant.auth)
    assert renamed.status_code == 200 and renamed.json()["displayName"] == "New"
    relink = client.patch(
        patch + "?updateMask=smsConfiguration.servicePlanId",
        json={"smsConfiguration": {"servicePlanId": "plan2"}},
        auth=tenant.auth,
    )
    assert relink.status_code == 400  # unlink first
    unlink = client.patch(
        patch + "?updateMask=smsConfiguration.servicePlanId",
        json={"smsConfiguration": {"servicePlanId": ""}},
        auth=tenant.auth,
    )
    assert unlink.status_code == 200
    advance(client, admin_headers, 5)
    link = client.patch(
        patch + "?updateMask=smsConfiguration.servicePlanId",
        json={"smsConfiguration": {"servicePlanId": "plan2"}},
        auth=tenant.auth,
    )
    assert link.status_code == 200
    advance(client, admin_headers, 5)
    assert client.get(patch, auth=tenant.auth).json()["smsConfiguration"]["servicePlanId"] == "plan2"
    assert [e[2] for e in events(container, tenant)] == [
        "PROVISIONING_TO_SMS_PLATFORM",
        "DEPROVISIONING_TO_SMS_PLATFORM",
        "PROVISIONING_TO_SMS_PLATFORM",
    ]
    assert client.delete(patch, auth=tenant.auth).status_code == 200
    assert client.get(patch, auth=tenant.auth).status_code == 404


def test_campaign_failure_injection_and_tmo_migration(
    client: TestClient, tenant: Tenant, container: Container, admin_headers: dict[str, str]
) -> None:
    admin_rule(client, admin_headers, "CAMPAIGN_PROVISIONING", "BADCAMP", "CAMPAIGN_NOT_AVAILABLE")
    admin_rule(client, admin_headers, "TMO_ASSIGNED", "*")
    imported(client, tenant, campaignId="BADCAMP")
    imported(client, tenant, "+12025550136", campaignId="GOOD")
    imported(client, tenant, "+12025550137", campaignId="GOOD", migrateToSinchTmo=True)
    # Two 5 s carrier steps per number, each due relative to when its number was imported: leave
    # room past 10 s for the wall time that passed between the imports.
    advance(client, admin_headers, 30)
    failures = {e[1]: (e[3], e[4]) for e in events(container, tenant) if e[2] == "LINK_TO_10DLC_CAMPAIGN"}
    assert failures == {
        PHONE: ("FAILED", "CAMPAIGN_NOT_AVAILABLE"),
        "+12025550136": ("FAILED", "MNO_SHARING_ERROR"),
        "+12025550137": ("SUCCEEDED", None),
    }
    got = client.get(url(tenant, f"importedNumbers/{PHONE}"), auth=tenant.auth).json()
    scheduled = got["smsConfiguration"]["scheduledProvisioning"]
    assert scheduled["status"] == 3 and scheduled["campaignId"] == "BADCAMP"  # FAILED


def test_list_filters_and_paging(client: TestClient, tenant: Tenant) -> None:
    for i in range(5):
        imported(client, tenant, f"+1202555014{i}")
    imported(client, tenant, "+13125550140", servicePlanId="other")
    listing = url(tenant, "importedNumbers")
    r = client.get(
        listing,
        params={"pageSize": 2, "numberPattern.pattern": "+1202", "numberPattern.searchPattern": "START"},
        auth=tenant.auth,
    )
    first = r.json()
    assert first["totalSize"] == 5 and len(first["importedNumbers"]) == 2 and first["nextPageToken"]
    seen = [n["phoneNumber"] for n in first["importedNumbers"]]
    token = first["nextPageToken"]
    while token:
        page = client.get(
            listing,
            params={
                "pageSize": 2,
                "pageToken": token,
                "numberPattern.pattern": "+1202",
                "numberPattern.searchPattern": "START",
            },
            auth=tenant.auth,
        ).json()
        seen += [n["phoneNumber"] for n in page["importedNumbers"]]
        token = page["nextPageToken"]
    assert seen == [f"+1202555014{i}" for i in range(5)]
    by_plan = client.get(listing, params={"servicePlanId": "other"}, auth=tenant.auth).json()
    assert [n["phoneNumber"] for n in by_plan["importedNumbers"]] == ["+13125550140"]
    assert client.get(listing, params={"pageToken": "garbage!"}, auth=tenant.auth).status_code == 400
    assert client.get(listing, params={"orderBy": "nonsense"}, auth=tenant.auth).status_code == 400


def test_host_header_base_url_and_project_confinement(
    client: TestClient, tenant: Tenant, container: Container
) -> None:
    imported(client, tenant)
    path = f"/v1/projects/{tenant.project_id}/importedNumbers/{PHONE}"
    by_host = client.get(path, auth=tenant.auth, headers={"Host": "imported.numbers.localhost"})
    assert by_host.status_code == 200 and by_host.json()["phoneNumber"] == PHONE
    # Without the imported host, the same path is the Numbers API (no such route there).
    assert client.get(path, auth=tenant.auth).status_code == 404
    from tests.conftest import new_tenant

    other = new_tenant(container)
    assert client.get(url(other, f"importedNumbers/{PHONE}"), auth=other.auth).status_code == 404
    assert client.get(url(tenant, f"importedNumbers/{PHONE}")).status_code == 401

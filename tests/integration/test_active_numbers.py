"""Rent, list, get, PATCH, release and expiry of active numbers through the HTTP API (both databases)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from numberdesk.bootstrap import Container
from numberdesk.domain.errors import NotFound
from numberdesk.domain.inventory import Capability, InventoryNumber, NumberState, NumberType, Price
from numberdesk.services import active_numbers
from numberdesk.services.active_numbers import Configuration
from tests.conftest import Tenant, new_tenant

US_LOCAL = ["+12025550101", "+12025550102", "+12025550103", "+13072074530", "+13072074531"]


def stock(
    container: Container,
    numbers: list[str],
    region: str = "US",
    kind: NumberType = NumberType.LOCAL,
    capabilities: tuple[Capability, ...] = (Capability.SMS, Capability.VOICE),
) -> None:
    with container.uows() as uow:
        uow.inventory.add_many(
            [
                InventoryNumber(
                    n, region, kind, capabilities, Price("USD", Decimal("0.5")), Price("USD", Decimal("1"))
                )
                for n in numbers
            ]
        )
        uow.commit()


@pytest.fixture
def stocked(container: Container) -> Container:
    stock(container, US_LOCAL)
    return container


def advance(client: TestClient, admin_headers: dict[str, str], seconds: float) -> None:
    r = client.post("/admin/v1/clock:advance", json={"seconds": seconds}, headers=admin_headers)
    assert r.status_code == 200, r.text


def rent(client: TestClient, tenant: Tenant, phone: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(tenant.url(f"availableNumbers/{phone}:rent"), json=body or {}, auth=tenant.auth)


def parse(ts: str) -> datetime:
    return datetime.fromisoformat(ts.replace("Z", "+00:00"))


def test_rent_returns_the_live_shape_and_takes_the_number_out_of_inventory(
    client: TestClient, tenant: Tenant, stocked: Container
) -> None:
    r = rent(client, tenant, "+13072074530", {"voiceConfiguration": {"type": "RTC", "appId": "app-1"}})
    assert r.status_code == 200, r.text
    body = r.json()
    assert list(body) == [
        "phoneNumber", "projectId", "displayName", "regionCode", "type", "capability", "money",
        "paymentIntervalMonths", "nextChargeDate", "expireAt", "smsConfiguration", "voiceConfiguration",
        "callbackUrl",
    ]  # fmt: skip
    assert body["money"] == {"currencyCode": "USD", "amount": "1.00"}
    assert body["displayName"] == "" and body["callbackUrl"] == "" and body["expireAt"] is None
    assert body["smsConfiguration"] == {"servicePlanId": "", "scheduledProvisioning": None, "campaignId": ""}
    voice = body["voiceConfiguration"]
    assert voice["appId"] == "" and voice["trunkId"] == "" and voice["serviceId"] == ""
    assert voice["lastUpdatedTime"] is None and voice["type"] == "RTC"
    scheduled = voice["scheduledVoiceProvisioning"]
    assert scheduled["appId"] == "app-1" and scheduled["status"] == "WAITING"
    assert scheduled["trunkId"] == "" and scheduled["serviceId"] == ""
    assert scheduled["lastUpdatedTime"].endswith("Z") and len(scheduled["lastUpdatedTime"]) == 27
    # nextChargeDate = rent time + 1 month
    rented = parse(scheduled["lastUpdatedTime"])
    charge = parse(body["nextChargeDate"])
    assert (charge.year * 12 + charge.month) - (rented.year * 12 + rented.month) == 1
    # gone from the inventory
    assert client.get(tenant.url("availableNumbers/+13072074530"), auth=tenant.auth).status_code == 404
    again = rent(client, tenant, "+13072074530")
    assert again.status_code == 404
    assert again.json()["error"]["details"][0]["resourceType"] == "AvailableNumber"


def test_rent_unknown_or_kyc_region(
    client: TestClient, tenant: Tenant, stocked: Container, container: Container
) -> None:
    assert rent(client, tenant, "+12025550199").status_code == 404

    # AU MOBILE has a KYC policy in the packaged catalog: rent is refused in favour of a number order.
    with container.uows() as uow:
        uow.inventory.add_many(
            [
                InventoryNumber(
                    "+61412345678",
                    "AU",
                    NumberType.MOBILE,
                    (Capability.SMS,),
                    Price("AUD", Decimal(1)),
                    Price("AUD", Decimal(2)),
                )
            ]
        )
        uow.commit()
    assert container.kyc_policies.has_policy("AU", NumberType.MOBILE)
    r = rent(client, tenant, "+61412345678")
    assert r.status_code == 400
    assert "number order" in r.json()["error"]["message"]
    r = client.post(
        tenant.url("availableNumbers:rentAny"), json={"regionCode": "AU", "type": "MOBILE"}, auth=tenant.auth
    )
    assert r.status_code == 400 and "number order" in r.json()["error"]["message"]


def test_rent_any_takes_the_first_match(client: TestClient, tenant: Tenant, stocked: Container) -> None:
    body = {
        "regionCode": "US",
        "type": "LOCAL",
        "numberPattern": {"pattern": "+1307", "searchPattern": "START"},
        "capabilities": ["SMS"],
        "smsConfiguration": {"servicePlanId": "plan-a"},
    }
    r = client.post(tenant.url("availableNumbers:rentAny"), json=body, auth=tenant.auth)
    assert r.status_code == 200, r.text
    assert r.json()["phoneNumber"] == "+13072074530"
    assert r.json()["smsConfiguration"]["scheduledProvisioning"]["servicePlanId"] == "plan-a"
    r = client.post(tenant.url("availableNumbers:rentAny"), json=body, auth=tenant.auth)
    assert r.json()["phoneNumber"] == "+13072074531"
    r = client.post(tenant.url("availableNumbers:rentAny"), json=body, auth=tenant.auth)
    assert r.status_code == 404


def test_concurrent_rents_of_one_number_have_exactly_one_winner(stocked: Container) -> None:
    tenants = [new_tenant(stocked) for _ in range(6)]
    results: list[str] = []
    barrier = threading.Barrier(len(tenants))

    def attempt(t: Tenant) -> None:
        barrier.wait()
        try:
            active_numbers.rent(
                t.project_id,
                "+12025550101",
                Configuration(),
                stocked.uows,
                stocked.clock,
                stocked.kyc_policies,
            )
            results.append("won")
        except NotFound:
            results.append("lost")

    threads = [threading.Thread(target=attempt, args=(t,)) for t in tenants]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(results) == ["lost"] * 5 + ["won"]
    with stocked.uows(readonly=True) as uow:
        number = uow.inventory.get("+12025550101")
        assert number is not None and number.state is NumberState.ACTIVE
        owner = uow.active_numbers.get("+12025550101")
        assert owner is not None and owner.project_id == number.project_id


def test_concurrent_rent_any_gives_distinct_numbers(stocked: Container) -> None:
    tenants = [new_tenant(stocked) for _ in range(4)]
    got: list[str] = []
    barrier = threading.Barrier(len(tenants))
    criteria = active_numbers.RentAny("US", NumberType.LOCAL)

    def attempt(t: Tenant) -> None:
        barrier.wait()
        n = active_numbers.rent_any(
            t.project_id, criteria, Configuration(), stocked.uows, stocked.clock, stocked.kyc_policies
        )
        got.append(n.phone_number)

    threads = [threading.Thread(target=attempt, args=(t,)) for t in tenants]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(got) == 4 and len(set(got)) == 4


def test_list_filters_orders_and_pages(client: TestClient, tenant: Tenant, stocked: Container) -> None:
    names = {"+12025550101": "b", "+12025550102": "a", "+12025550103": "b", "+13072074530": "c"}
    for phone, name in names.items():
        assert rent(client, tenant, phone).status_code == 200
        client.patch(tenant.url(f"activeNumbers/{phone}"), json={"displayName": name}, auth=tenant.auth)
    other = new_tenant(stocked)
    assert rent(client, other, "+13072074531").status_code == 200

    def page(**params: object) -> Any:
        r = client.get(tenant.url("activeNumbers"), params=params, auth=tenant.auth)
        assert r.status_code == 200, r.text
        return r.json()

    everything = page()
    assert [n["phoneNumber"] for n in everything["activeNumbers"]] == sorted(names)
    assert everything["totalSize"] == 4 and everything["nextPageToken"] == ""

    seen: list[str] = []
    token = ""
    while True:
        p = page(pageSize=3, orderBy="displayName", pageToken=token)
        assert p["totalSize"] == 4
        seen += [n["phoneNumber"] for n in p["activeNumbers"]]
        token = p["nextPageToken"]
        if not token:
            break
    assert seen == ["+12025550102", "+12025550101", "+12025550103", "+13072074530"]
    assert page(regionCode="US", type="LOCAL", **{"numberPattern.pattern": "+1307"})["totalSize"] == 1
    assert page(**{"numberPattern.pattern": "0103", "numberPattern.searchPattern": "END"})["totalSize"] == 1
    assert (
        page(**{"numberPattern.pattern": "55501", "numberPattern.searchPattern": "CONTAINS"})["totalSize"]
        == 3
    )
    assert page(capabilities="SMS")["totalSize"] == 4
    assert page(type="MOBILE")["totalSize"] == 0
    assert page(orderBy="PHONE_NUMBER")["totalSize"] == 4
    bad = client.get(tenant.url("activeNumbers"), params={"pageToken": "garbage!"}, auth=tenant.auth)
    assert bad.status_code == 400
    bad = client.get(tenant.url("activeNumbers"), params={"orderBy": "price"}, auth=tenant.auth)
    assert bad.status_code == 400


def test_list_capability_filter(client: TestClient, tenant: Tenant, container: Container) -> None:
    stock(container, ["+18005550100"], kind=NumberType.TOLL_FREE, capabilities=(Capability.VOICE,))
    stock(container, ["+12025550101"])
    assert rent(client, tenant, "+18005550100").status_code == 200
    assert rent(client, tenant, "+12025550101").status_code == 200
    r = client.get(tenant.url("activeNumbers"), params=[("capability", "SMS")], auth=tenant.auth)
    assert [n["phoneNumber"] for n in r.json()["activeNumbers"]] == ["+12025550101"]
    r = client.get(tenant.url("activeNumbers"), params=[("capabilities", "VOICE")], auth=tenant.auth)
    assert r.json()["totalSize"] == 2


def test_get_is_confined_to_the_project(client: TestClient, tenant: Tenant, stocked: Container) -> None:
    rent(client, tenant, "+12025550101")
    assert client.get(tenant.url("activeNumbers/+12025550101"), auth=tenant.auth).status_code == 200
    assert client.get(tenant.url("activeNumbers/%2B12025550101"), auth=tenant.auth).status_code == 200
    other = new_tenant(stocked)
    r = client.get(other.url("activeNumbers/+12025550101"), auth=other.auth)
    assert r.status_code == 404
    assert r.json()["error"]["details"][0]["resourceType"] == "ActiveNumber"


def test_patch_applies_name_and_url_at_once_and_schedules_the_rest(
    client: TestClient, tenant: Tenant, stocked: Container, admin_headers: dict[str, str]
) -> None:
    rent(client, tenant, "+12025550101", {"smsConfiguration": {"servicePlanId": "SpaceMonkeySquadron"}})
    advance(client, admin_headers, 10)
    url = tenant.url("activeNumbers/+12025550101")
    assert (
        client.get(url, auth=tenant.auth).json()["smsConfiguration"]["servicePlanId"] == "SpaceMonkeySquadron"
    )
    body = {
        "displayName": "Updated",
        "smsConfiguration": {"servicePlanId": "SingingMooseSociety"},
        "voiceConfiguration": {"type": "FAX", "serviceId": "FAXSERVICE"},
        "callbackUrl": "https://example.com/numbers",
    }
    r = client.patch(url, json=body, auth=tenant.auth)
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["displayName"] == "Updated" and got["callbackUrl"] == "https://example.com/numbers"
    assert got["smsConfiguration"]["servicePlanId"] == "SpaceMonkeySquadron"
    assert got["smsConfiguration"]["scheduledProvisioning"]["servicePlanId"] == "SingingMooseSociety"
    assert got["smsConfiguration"]["scheduledProvisioning"]["errorCodes"] == []
    assert got["voiceConfiguration"]["type"] == "RTC"
    assert got["voiceConfiguration"]["scheduledVoiceProvisioning"]["type"] == "FAX"
    assert got["voiceConfiguration"]["scheduledVoiceProvisioning"]["serviceId"] == "FAXSERVICE"
    advance(client, admin_headers, 10)
    settled = client.get(url, auth=tenant.auth).json()
    assert settled["smsConfiguration"] == {
        "servicePlanId": "SingingMooseSociety", "scheduledProvisioning": None, "campaignId": ""
    }  # fmt: skip
    voice = settled["voiceConfiguration"]
    assert voice["type"] == "FAX" and voice["serviceId"] == "FAXSERVICE" and voice["appId"] == ""
    assert voice["scheduledVoiceProvisioning"] is None and voice["lastUpdatedTime"].endswith("Z")
    # unlink with ""
    r = client.patch(url, json={"smsConfiguration": {"servicePlanId": ""}}, auth=tenant.auth)
    assert r.json()["smsConfiguration"]["scheduledProvisioning"]["servicePlanId"] == ""
    advance(client, admin_headers, 10)
    assert client.get(url, auth=tenant.auth).json()["smsConfiguration"]["servicePlanId"] == ""
    # clear the name and url
    r = client.patch(url, json={"displayName": "", "callbackUrl": None}, auth=tenant.auth)
    assert r.json()["displayName"] == "" and r.json()["callbackUrl"] == ""


@pytest.mark.parametrize("config", ["smsConfiguration", "voiceConfiguration"])
def test_patch_with_an_empty_configuration_is_400(
    client: TestClient, tenant: Tenant, stocked: Container, config: str
) -> None:
    rent(client, tenant, "+12025550101")
    r = client.patch(tenant.url("activeNumbers/+12025550101"), json={config: {}}, auth=tenant.auth)
    assert r.status_code == 400
    assert r.json()["error"]["status"] == "INVALID_ARGUMENT"


def test_patch_unknown_number_is_404(client: TestClient, tenant: Tenant) -> None:
    r = client.patch(tenant.url("activeNumbers/+12025550101"), json={"displayName": "x"}, auth=tenant.auth)
    assert r.status_code == 404


def test_release_keeps_the_number_until_expire_at_then_returns_it(
    client: TestClient, tenant: Tenant, stocked: Container, admin_headers: dict[str, str]
) -> None:
    rent(client, tenant, "+12025550101", {"voiceConfiguration": {"appId": "app"}})
    r = client.post(tenant.url("activeNumbers/+12025550101:release"), auth=tenant.auth)
    assert r.status_code == 200, r.text
    released = r.json()
    assert released["expireAt"] == released["nextChargeDate"]
    assert released["voiceConfiguration"]["scheduledVoiceProvisioning"] is None
    # still listed, still not available
    assert client.get(tenant.url("activeNumbers"), auth=tenant.auth).json()["totalSize"] == 1
    assert client.get(tenant.url("availableNumbers/+12025550101"), auth=tenant.auth).status_code == 404
    # a second release changes nothing
    again = client.post(tenant.url("activeNumbers/+12025550101:release"), auth=tenant.auth).json()
    assert again["expireAt"] == released["expireAt"]
    advance(client, admin_headers, 32 * 24 * 3600)
    assert client.get(tenant.url("activeNumbers"), auth=tenant.auth).json()["totalSize"] == 0
    assert client.get(tenant.url("activeNumbers/+12025550101"), auth=tenant.auth).status_code == 404
    assert client.get(tenant.url("availableNumbers/+12025550101"), auth=tenant.auth).status_code == 200
    other = new_tenant(stocked)
    assert rent(client, other, "+12025550101").status_code == 200


def test_next_charge_date_moves_forward(
    client: TestClient, tenant: Tenant, stocked: Container, admin_headers: dict[str, str]
) -> None:
    first = parse(rent(client, tenant, "+12025550101").json()["nextChargeDate"])
    advance(client, admin_headers, 40 * 24 * 3600)
    later = parse(
        client.get(tenant.url("activeNumbers/+12025550101"), auth=tenant.auth).json()["nextChargeDate"]
    )
    assert later > first
    assert (later.year * 12 + later.month) - (first.year * 12 + first.month) in (1, 2)
    assert later - first < timedelta(days=63)


def test_activate_number_inside_a_callers_unit_of_work(container: Container, tenant: Tenant) -> None:
    """What number orders call on completion: RESERVED → ACTIVE, provisioning scheduled, caller commits."""
    stock(container, ["+12025550101"])
    with container.uows() as uow:
        assert uow.inventory.move(
            "+12025550101", NumberState.AVAILABLE, NumberState.RESERVED, tenant.project_id
        )
        uow.commit()
    now = container.clock.now()
    with container.uows() as uow:
        number = active_numbers.activate_number(
            uow,
            tenant.project_id,
            "+12025550101",
            active_numbers.SmsChange("plan", "camp"),
            None,
            "https://example.com/cb",
            now,
        )
        assert number.sms_scheduled is not None and number.sms_scheduled.campaign_id == "camp"
        uow.commit()
    with container.uows(readonly=True) as uow:
        stored = uow.active_numbers.get("+12025550101")
        assert stored is not None and stored.callback_url == "https://example.com/cb"
        inv = uow.inventory.get("+12025550101")
        assert inv is not None and inv.state is NumberState.ACTIVE and inv.project_id == tenant.project_id
    with container.uows() as uow, pytest.raises(NotFound):
        active_numbers.activate_number(uow, tenant.project_id, "+12025550101", None, None, None, now)


def test_callback_urls_we_would_never_call_are_refused_at_registration(
    client: TestClient, tenant: Tenant, stocked: Container
) -> None:
    for url in ("http://169.254.169.254/latest/meta-data", "ftp://example.com/hook", "http://10.0.0.7/hook"):
        r = client.post(
            tenant.url("availableNumbers/+12025550101:rent"), json={"callbackUrl": url}, auth=tenant.auth
        )
        assert r.status_code == 400, url
        assert r.json()["error"]["details"][0]["fieldViolations"][0]["field"] == "callbackUrl"
    ok = client.post(
        tenant.url("availableNumbers/+12025550101:rent"),
        json={"callbackUrl": "https://hooks.example.com/numbers"},
        auth=tenant.auth,
    )
    assert ok.status_code == 200
    patched = client.patch(
        tenant.url("activeNumbers/+12025550101"),
        json={"callbackUrl": "http://192.168.1.1/x"},
        auth=tenant.auth,
    )
    assert patched.status_code == 400


def test_a_released_number_leaving_the_project_is_deprovisioned_with_events(
    client: TestClient, tenant: Tenant, stocked: Container, admin_headers: dict[str, str]
) -> None:
    body = {
        "smsConfiguration": {"servicePlanId": "plan", "campaignId": "CAMP1"},
        "voiceConfiguration": {"type": "RTC", "appId": "app"},
        "callbackUrl": "https://hooks.example.com/n",
    }
    rent(client, tenant, "+12025550101", body)
    advance(client, admin_headers, 60)  # provisioning settles
    client.post(tenant.url("activeNumbers/+12025550101:release"), auth=tenant.auth)
    advance(client, admin_headers, 32 * 24 * 3600)
    with stocked.uows(readonly=True) as uow:
        events = [e for e in uow.outbox.list_for_project(tenant.project_id) if e.event_type.startswith("DE")]
    assert [e.event_type for e in events] == [
        "DEPROVISIONING_FROM_CAMPAIGN",
        "DEPROVISIONING_FROM_SMS_PLATFORM",
        "DEPROVISIONING_FROM_VOICE_PLATFORM",
    ]
    assert {(e.status, e.callback_url) for e in events} == {("SUCCEEDED", "https://hooks.example.com/n")}

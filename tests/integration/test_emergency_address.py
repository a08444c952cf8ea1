"""E911 address get / validate / provision / deprovision over HTTP."""

from __future__ import annotations

from fastapi.testclient import TestClient

from numberdesk.bootstrap import Container
from tests.conftest import Tenant, new_tenant
from tests.integration.test_active_numbers import rent, stock

PHONE = "+12025550101"
ADDRESS = {
    "streetNumber": "123",
    "streetInfo": "Main Street",
    "city": "Seattle",
    "state": "wa",
    "postalCode": "98101",
}


def url(tenant: Tenant, suffix: str = "") -> str:
    return tenant.url(f"activeNumbers/{PHONE}/emergencyAddress{suffix}")


def test_emergency_address_lifecycle(client: TestClient, tenant: Tenant, container: Container) -> None:
    stock(container, [PHONE])
    assert (
        client.get(url(tenant), auth=tenant.auth).json()["error"]["details"][0]["resourceType"]
        == "ActiveNumber"
    )
    rent(client, tenant, PHONE)
    missing = client.get(url(tenant), auth=tenant.auth)
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == "Missing E911 feature"
    assert missing.json()["error"]["details"][0]["resourceType"] == "EmergencyAddress"

    v = client.post(
        url(tenant, ":validate"), json={"displayName": "HQ", "address": ADDRESS}, auth=tenant.auth
    )
    assert v.status_code == 200, v.text
    body = v.json()
    assert body["validationResult"] == "NEAR_MATCH" and body["phoneNumber"] == PHONE
    assert body["correctedAddress"]["streetInfo"] == "MAIN ST" and body["correctedAddress"]["location"] == ""
    assert body["candidateAddresses"] == []

    no = client.post(
        url(tenant, ":validate"),
        json={"displayName": "HQ", "address": ADDRESS | {"streetInfo": "Nowhere"}},
        auth=tenant.auth,
    ).json()
    assert no["validationResult"] == "NO_MATCH" and len(no["candidateAddresses"]) == 2
    assert no["correctedAddress"] == {
        "streetNumber": "", "streetInfo": "", "location": "", "city": "", "state": "", "postalCode": "",
        "postalCodePlusFour": "",
    }  # fmt: skip
    bad = client.post(
        url(tenant, ":provision"),
        json={"displayName": "HQ", "address": ADDRESS | {"streetNumber": "0"}},
        auth=tenant.auth,
    )
    assert bad.status_code == 400

    p = client.post(
        url(tenant, ":provision"), json={"displayName": "HQ", "address": ADDRESS}, auth=tenant.auth
    )
    assert p.status_code == 200, p.text
    assert p.json()["city"] == "SEATTLE" and p.json()["state"] == "WA"
    assert client.get(url(tenant), auth=tenant.auth).json() == p.json()
    other = new_tenant(container)
    assert (
        client.get(other.url(f"activeNumbers/{PHONE}/emergencyAddress"), auth=other.auth).status_code == 404
    )

    d = client.post(url(tenant, ":deprovision"), auth=tenant.auth)
    assert d.status_code == 200 and d.json() == {}
    assert client.get(url(tenant), auth=tenant.auth).status_code == 404
    assert client.post(url(tenant, ":deprovision"), auth=tenant.auth).status_code == 404
    assert (
        client.post(url(tenant, ":provision"), json={"address": ADDRESS}, auth=tenant.auth).status_code == 400
    )

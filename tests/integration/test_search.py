"""Search semantics over the real database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from numberdesk.bootstrap import Container
from numberdesk.domain.inventory import Capability, InventoryNumber, NumberState, NumberType, Price
from tests.conftest import Tenant

AU_MOBILE = [
    "+61412345678",
    "+61412399999",
    "+61498765432",
    "+61400123455",
    "+61455512345",
]


def stock(
    container: Container,
    numbers: list[str],
    number_type: NumberType = NumberType.MOBILE,
    region: str = "AU",
    capabilities: tuple[Capability, ...] = (Capability.SMS, Capability.VOICE),
) -> None:
    with container.uows() as uow:
        uow.inventory.add_many(
            [
                InventoryNumber(
                    n,
                    region,
                    number_type,
                    capabilities,
                    Price("AUD", Decimal("1.5")),
                    Price("AUD", Decimal("3")),
                )
                for n in numbers
            ]
        )
        uow.commit()


def search(client: TestClient, tenant: Tenant, **params: object) -> list[str]:
    query = {"regionCode": "AU", "type": "MOBILE", **params}
    response = client.get(tenant.url("availableNumbers"), params=query, auth=tenant.auth)
    assert response.status_code == 200, response.text
    return [n["phoneNumber"] for n in response.json()["availableNumbers"]]


@pytest.fixture
def stocked(container: Container) -> Container:
    stock(container, AU_MOBILE)
    stock(container, ["+61212345678"], NumberType.LOCAL)
    stock(container, ["+61411111111"], capabilities=(Capability.SMS,))
    return container


def test_no_pattern_lists_the_type_in_order(client: TestClient, tenant: Tenant, stocked: Container) -> None:
    assert search(client, tenant) == sorted([*AU_MOBILE, "+61411111111"])


def test_start_matches_the_e164_string_with_plus(
    client: TestClient, tenant: Tenant, stocked: Container
) -> None:
    assert search(
        client, tenant, **{"numberPattern.pattern": "+614123", "numberPattern.searchPattern": "START"}
    ) == ["+61412345678", "+61412399999"]
    assert (
        search(client, tenant, **{"numberPattern.pattern": "614123", "numberPattern.searchPattern": "START"})
        == []
    )


def test_start_is_the_default_search_pattern(client: TestClient, tenant: Tenant, stocked: Container) -> None:
    assert search(client, tenant, **{"numberPattern.pattern": "+6149"}) == ["+61498765432"]


def test_unencoded_plus_from_node_is_read_back(
    client: TestClient, tenant: Tenant, stocked: Container
) -> None:
    response = client.get(
        tenant.url("availableNumbers") + "?regionCode=AU&type=MOBILE&numberPattern.pattern=+6149",
        auth=tenant.auth,
    )
    assert [n["phoneNumber"] for n in response.json()["availableNumbers"]] == ["+61498765432"]


def test_contains(client: TestClient, tenant: Tenant, stocked: Container) -> None:
    found = search(
        client, tenant, **{"numberPattern.pattern": "2345", "numberPattern.searchPattern": "CONTAINS"}
    )
    assert found == ["+61400123455", "+61412345678", "+61455512345"]


def test_contain_is_an_alias(client: TestClient, tenant: Tenant, stocked: Container) -> None:
    found = search(
        client, tenant, **{"numberPattern.pattern": "555", "numberPattern.searchPattern": "CONTAIN"}
    )
    assert found == ["+61455512345"]


def test_contains_a_number_holding_the_pattern_twice_appears_once(
    client: TestClient, tenant: Tenant, stocked: Container
) -> None:
    assert search(
        client, tenant, **{"numberPattern.pattern": "99", "numberPattern.searchPattern": "CONTAINS"}
    ) == ["+61412399999"]


def test_end(client: TestClient, tenant: Tenant, stocked: Container) -> None:
    assert search(
        client, tenant, **{"numberPattern.pattern": "5432", "numberPattern.searchPattern": "END"}
    ) == ["+61498765432"]
    assert (
        search(client, tenant, **{"numberPattern.pattern": "543", "numberPattern.searchPattern": "END"}) == []
    )


def test_capabilities_repeated_or_comma_joined(
    client: TestClient, tenant: Tenant, stocked: Container
) -> None:
    both = search(client, tenant, capabilities=["SMS", "VOICE"])
    assert "+61411111111" not in both and len(both) == 5
    query = "?regionCode=AU&type=MOBILE&capabilities=SMS,VOICE"
    response = client.get(tenant.url("availableNumbers") + query, auth=tenant.auth)
    assert len(response.json()["availableNumbers"]) == 5
    assert "+61411111111" in search(client, tenant, capabilities="SMS")


def test_size_limits_and_bounds(client: TestClient, tenant: Tenant, stocked: Container) -> None:
    assert len(search(client, tenant, size=2)) == 2
    for bad in (0, 1001):
        response = client.get(
            tenant.url("availableNumbers"),
            params={"regionCode": "AU", "type": "MOBILE", "size": bad},
            auth=tenant.auth,
        )
        assert response.status_code == 400


def test_size_applies_to_contains_with_many_matches(
    client: TestClient, tenant: Tenant, container: Container
) -> None:
    numbers = [f"+614{i:08d}" for i in range(10_000_000, 10_000_000 + 300, 1)]
    stock(container, [n for n in numbers if len(n) == 12])
    found = search(
        client, tenant, size=50, **{"numberPattern.pattern": "1", "numberPattern.searchPattern": "CONTAINS"}
    )
    assert len(found) == 50 and len(set(found)) == 50


def test_other_types_and_regions_and_taken_numbers_are_excluded(
    client: TestClient, tenant: Tenant, stocked: Container
) -> None:
    assert search(client, tenant, type="LOCAL") == ["+61212345678"]
    assert search(client, tenant, regionCode="NZ") == []
    with stocked.uows() as uow:
        assert uow.inventory.move(
            "+61412345678", NumberState.AVAILABLE, NumberState.RESERVED, tenant.project_id
        )
        uow.commit()
    assert "+61412345678" not in search(client, tenant)


def test_shape_matches_the_reference(client: TestClient, tenant: Tenant, stocked: Container) -> None:
    response = client.get(tenant.url("availableNumbers/+61412345678"), auth=tenant.auth)
    assert response.json() == {
        "phoneNumber": "+61412345678",
        "regionCode": "AU",
        "type": "MOBILE",
        "capability": ["SMS", "VOICE"],
        "setupPrice": {"currencyCode": "AUD", "amount": "1.50"},
        "monthlyPrice": {"currencyCode": "AUD", "amount": "3.00"},
        "paymentIntervalMonths": 1,
        "supportingDocumentationRequired": True,  # AU MOBILE has a KYC policy in the catalog
    }


def test_get_raw_plus_and_percent_encoded(client: TestClient, tenant: Tenant, stocked: Container) -> None:
    raw = client.get(tenant.url("availableNumbers/+61412345678"), auth=tenant.auth)
    encoded = client.get(tenant.url("availableNumbers/%2B61412345678"), auth=tenant.auth)
    assert raw.status_code == encoded.status_code == 200
    assert raw.json() == encoded.json()


def test_get_unavailable_is_404_with_resource_info(
    client: TestClient, tenant: Tenant, stocked: Container
) -> None:
    response = client.get(tenant.url("availableNumbers/+61412345670"), auth=tenant.auth)
    assert response.status_code == 404
    detail = response.json()["error"]["details"][0]
    assert detail == {
        "type": "ResourceInfo",
        "resourceType": "AvailableNumber",
        "resourceName": "+61412345670",
        "owner": "",
        "description": detail["description"],
    }


def test_get_with_a_malformed_number_is_400(client: TestClient, tenant: Tenant) -> None:
    response = client.get(tenant.url("availableNumbers/0412345678"), auth=tenant.auth)
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["fieldViolations"][0]["field"] == "phoneNumber"


def test_available_regions_with_types_filter(client: TestClient, tenant: Tenant, stocked: Container) -> None:
    stock(stocked, ["+18005550100"], NumberType.TOLL_FREE, region="US")
    everything = client.get(tenant.url("availableRegions"), auth=tenant.auth).json()
    assert everything == {
        "availableRegions": [
            {"regionCode": "AU", "regionName": "Australia", "types": ["MOBILE", "LOCAL"]},
            {"regionCode": "US", "regionName": "United States", "types": ["TOLL_FREE"]},
        ]
    }
    toll_free = client.get(
        tenant.url("availableRegions"), params={"types": ["TOLL_FREE"]}, auth=tenant.auth
    ).json()
    assert [r["regionCode"] for r in toll_free["availableRegions"]] == ["US"]
    joined = client.get(tenant.url("availableRegions") + "?types=TOLL_FREE,LOCAL", auth=tenant.auth).json()
    assert [r["regionCode"] for r in joined["availableRegions"]] == ["AU", "US"]

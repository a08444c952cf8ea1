"""Helpers for the Imported Numbers API tests: the base URL, the clock, the outbox."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from numberdesk.bootstrap import Container
from tests.conftest import Tenant

DIRECT_LOA = {
    "authorisedPerson": {"firstName": "John", "lastName": "Smith", "email": "john@example.com"},
    "address": {
        "buildingNumber": "2433",
        "street": "Vesta Drive",
        "city": "Chicago",
        "state": "IL",
        "postalCode": "60647",
        "country": "US",
    },
    "currentVoiceCarrier": "Verizon",
}


def url(tenant: Tenant, path: str) -> str:
    return f"/imported/v1/projects/{tenant.project_id}/{path.lstrip('/')}"


def advance(client: TestClient, admin: dict[str, str], seconds: float) -> None:
    r = client.post("/admin/v1/clock:advance", json={"seconds": seconds}, headers=admin)
    assert r.status_code == 200, r.text


def events(container: Container, tenant: Tenant) -> list[tuple[str, str, str, str, str | None]]:
    with container.uows(readonly=True) as uow:
        found = uow.outbox.list_for_project(tenant.project_id, limit=1000)
    assert all(e.api.value == "IMPORTED" for e in found)
    return [(e.resource_type, e.resource_id, e.event_type, e.status, e.failure_code) for e in found]


def admin_rule(
    client: TestClient, admin: dict[str, str], step: str, match: str, code: str | None = None
) -> Any:
    body: dict[str, Any] = {"step": step, "match": match}
    if code:
        body["failureCode"] = code
    r = client.post("/admin/v1/imported/carrier/failures", json=body, headers=admin)
    assert r.status_code == 200, r.text
    return r.json()

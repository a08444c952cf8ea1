"""Shared helpers of the number-order tests: stock, the six steps over HTTP, documents, events."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from numberdesk.bootstrap import Container
from numberdesk.domain.events import CallbackEvent
from numberdesk.domain.inventory import Capability, InventoryNumber, NumberType, Price
from numberdesk.services.number_orders import OrderDeps
from tests.conftest import Tenant

AU_MOBILE = [f"+6141111111{i}" for i in range(2, 10)]
US_LOCAL = ["+12025550101", "+12025550102", "+12025550103"]
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64

AU_INDIVIDUAL: dict[str, Any] = {
    "endUserType": "INDIVIDUAL",
    "individual": {"firstName": "Jane", "lastName": "Doe", "birthDate": "1980-01-31"},
    "address": {"street": "1 Example Street", "city": "Sydney", "postalCode": "2000", "country": "AU"},
    "usage": {
        "description": "Customer notifications",
        "purpose": "One Time Password",
        "confirmValidUseCase": True,
    },
}


def stock(
    container: Container,
    numbers: list[str],
    region: str = "AU",
    kind: NumberType = NumberType.MOBILE,
    capabilities: tuple[Capability, ...] = (Capability.SMS, Capability.VOICE),
) -> None:
    with container.uows() as uow:
        uow.inventory.add_many(
            [
                InventoryNumber(
                    n, region, kind, capabilities, Price("USD", Decimal("1")), Price("USD", Decimal("2"))
                )
                for n in numbers
            ]
        )
        uow.commit()


def deps(container: Container) -> OrderDeps:
    assert container.number_orders is not None
    return container.number_orders


def create(
    client: TestClient,
    tenant: Tenant,
    phone: str | None = AU_MOBILE[0],
    *,
    region: str = "AU",
    kind: str = "MOBILE",
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Any:
    body: dict[str, Any] = {"regionCode": region, "numberType": kind, **extra}
    if phone is not None:
        body["numberOrderOption"] = {"phoneNumbers": [phone]}
    return client.post(
        tenant.url("numberOrders:createNumberOrder"), json=body, auth=tenant.auth, headers=headers or {}
    )


def order_url(tenant: Tenant, order_id: str, suffix: str = "") -> str:
    return tenant.url(f"numberOrders/{order_id}{suffix}")


def put_registration(client: TestClient, tenant: Tenant, order_id: str, details: dict[str, Any]) -> Any:
    return client.put(
        order_url(tenant, order_id, "/registration"), json={"requestDetails": details}, auth=tenant.auth
    )


def upload(
    client: TestClient,
    tenant: Tenant,
    order_id: str,
    attachment_id: str,
    content: bytes = PDF,
    *,
    filename: str = "id.pdf",
    content_type: str = "application/pdf",
    document_type: str | None = "Passport",
) -> Any:
    data = {"documentType": document_type} if document_type is not None else {}
    return client.post(
        order_url(tenant, order_id, f"/attachments/{attachment_id}"),
        files={"file": (filename, content, content_type)},
        data=data,
        auth=tenant.auth,
    )


def submit(client: TestClient, tenant: Tenant, order_id: str, headers: dict[str, str] | None = None) -> Any:
    return client.post(order_url(tenant, order_id, "/submit"), auth=tenant.auth, headers=headers or {})


def ready_au_order(client: TestClient, tenant: Tenant, phone: str = AU_MOBILE[0], **extra: Any) -> str:
    """Steps 3-5 for an AU MOBILE individual; returns the order id (CREATED, ready to submit)."""
    r = create(client, tenant, phone, **extra)
    assert r.status_code == 200, r.text
    order_id: str = r.json()["idNumberOrder"]
    assert put_registration(client, tenant, order_id, AU_INDIVIDUAL).status_code == 200
    assert upload(client, tenant, order_id, "identity-document").status_code == 200
    return order_id


def admin(
    client: TestClient, headers: dict[str, str], tenant: Tenant, order_id: str, verb: str, body: Any = None
) -> Any:
    url = f"/admin/v1/projects/{tenant.project_id}/numberOrders/{order_id}:{verb}"
    return client.post(url, json=body if body is not None else {}, headers=headers)


def advance(client: TestClient, admin_headers: dict[str, str], seconds: float) -> None:
    r = client.post("/admin/v1/clock:advance", json={"seconds": seconds}, headers=admin_headers)
    assert r.status_code == 200, r.text


def order_events(container: Container, project_id: str, order_id: str) -> list[CallbackEvent]:
    with container.uows(readonly=True) as uow:
        events = uow.outbox.list_for_project(project_id, 1000)
    return [e for e in events if e.resource_id == order_id]


def searchable(
    client: TestClient, tenant: Tenant, phone: str, region: str = "AU", kind: str = "MOBILE"
) -> bool:
    r = client.get(
        tenant.url("availableNumbers"),
        params={"regionCode": region, "type": kind, "size": 100},
        auth=tenant.auth,
    )
    assert r.status_code == 200, r.text
    return phone in [n["phoneNumber"] for n in r.json()["availableNumbers"]]

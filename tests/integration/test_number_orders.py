"""The guide's six steps over HTTP, its Error Recovery paths, review, expiry and events (both databases)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from numberdesk.bootstrap import Container
from numberdesk.domain.inventory import NumberState, NumberType
from tests.conftest import Tenant
from tests.integration.number_order_helpers import (
    AU_INDIVIDUAL,
    AU_MOBILE,
    PDF,
    US_LOCAL,
    admin,
    advance,
    create,
    order_events,
    order_url,
    put_registration,
    ready_au_order,
    searchable,
    stock,
    submit,
    upload,
)


@pytest.fixture
def stocked(container: Container) -> Container:
    stock(container, AU_MOBILE)
    stock(container, US_LOCAL, "US", NumberType.LOCAL)
    return container


def test_lookup_returns_the_schema_inline_and_by_url_and_the_documents(
    client: TestClient, tenant: Tenant
) -> None:
    r = client.post(
        tenant.url("numberOrders:lookupNumberRequirements"),
        json={"regionCode": "AU", "numberType": "MOBILE"},
        auth=tenant.auth,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    fields = body["fields"]
    assert fields["schema"]["properties"]["endUserType"]["enum"]
    assert fields["endUserTypes"] == ["BUSINESS", "INDIVIDUAL"] or set(fields["endUserTypes"]) <= {
        "BUSINESS",
        "INDIVIDUAL",
    }
    ids = [a["id"] for a in body["attachments"]]
    assert "identity-document" in ids and fields["attachments"] == body["attachments"]
    first = body["attachments"][0]
    assert {"id", "title", "description", "mandatory", "allowedMimeTypes", "allowedDocumentTypes"} <= set(
        first
    )
    schema = client.get(fields["schemaUrl"], auth=tenant.auth)
    assert schema.status_code == 200 and schema.json() == fields["schema"]


def test_lookup_without_a_policy_is_404_number_product(client: TestClient, tenant: Tenant) -> None:
    r = client.post(
        tenant.url("numberOrders:lookupNumberRequirements"),
        json={"regionCode": "US", "numberType": "LOCAL"},
        auth=tenant.auth,
    )
    assert r.status_code == 404
    error = r.json()["error"]
    assert error["status"] == "NOT_FOUND" and error["message"] == "Number requirements not found"
    assert error["details"][0]["resourceType"] == "NumberProduct"
    assert error["details"][0]["resourceName"] == "numberRequirements"


def test_the_guides_happy_path_end_to_end(
    client: TestClient, tenant: Tenant, stocked: Container, admin_headers: dict[str, str]
) -> None:
    phone = AU_MOBILE[0]
    # Step 3
    r = create(
        client,
        tenant,
        phone,
        smsConfiguration={"servicePlanId": "plan-1"},
        voiceConfiguration={"appId": "app-1"},  # no type: RTC
        callbackUrl="https://example.com/cb",
    )
    assert r.status_code == 200, r.text
    order = r.json()
    order_id = order["idNumberOrder"]
    assert order["state"] == "CREATED" and order["expireTime"]
    assert order["orderNumbers"][0]["phoneNumber"] == phone
    assert order["orderNumbers"][0]["numberPrice"]["setupPrice"] == {"currencyCode": "USD", "amount": "1.00"}
    assert order["smsConfiguration"] == {"servicePlanId": "plan-1"}
    assert order["voiceConfiguration"] == {"type": "RTC", "appId": "app-1"}
    assert order["callbackUrl"] == "https://example.com/cb"
    assert not searchable(client, tenant, phone)
    assert client.get(order_url(tenant, order_id), auth=tenant.auth).json() == order
    # Step 4: every problem at once, then fixed by a second PUT
    bad = {"endUserType": "INDIVIDUAL", "individual": {"firstName": ""}, "address": {"country": "XX"}}
    r = put_registration(client, tenant, order_id, bad)
    assert r.status_code == 400
    fields = {v["field"] for v in r.json()["error"]["details"][0]["fieldViolations"]}
    assert {"requestDetails.individual.firstName", "requestDetails.individual.lastName"} <= fields
    assert any(f.startswith("requestDetails.address.") for f in fields)
    r = put_registration(client, tenant, order_id, AU_INDIVIDUAL)
    assert r.status_code == 200, r.text
    assert r.json()["requestDetails"] == AU_INDIVIDUAL
    # Step 5
    r = upload(client, tenant, order_id, "identity-document")
    assert r.status_code == 200, r.text
    reg = client.get(order_url(tenant, order_id, "/registration"), auth=tenant.auth).json()
    assert [a["attachmentId"] for a in reg["attachments"]] == ["identity-document"]
    assert reg["attachments"][0]["mimeType"] == "application/pdf"
    assert reg["attachments"][0]["uploadStatus"] == "COMPLETED"
    assert reg["attachments"][0]["documentType"] == "Passport"
    # evaluate (extension) says ready
    r = client.post(order_url(tenant, order_id, ":evaluate"), auth=tenant.auth)
    assert r.status_code == 200 and r.json()["ready"] is True and r.json()["missing"] == []
    # Step 6
    r = submit(client, tenant, order_id)
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "IN_REVIEW"
    # the operator's queue and dossier (decrypted)
    queue = client.get("/admin/v1/reviews", headers=admin_headers).json()["numberOrders"]
    assert [o["idNumberOrder"] for o in queue] == [order_id]
    dossier = client.get(
        f"/admin/v1/projects/{tenant.project_id}/numberOrders/{order_id}", headers=admin_headers
    ).json()
    assert dossier["registration"]["requestDetails"] == AU_INDIVIDUAL
    assert dossier["evaluation"]["ready"] is True
    document = client.get(dossier["documentUrls"]["identity-document"], headers=admin_headers)
    assert document.status_code == 200 and document.content == PDF
    # approve: COMPLETED, the number is an active number with its configuration
    r = admin(client, admin_headers, tenant, order_id, "approve", {"message": "All good"})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "COMPLETED"
    active = client.get(tenant.url(f"activeNumbers/{phone}"), auth=tenant.auth)
    assert active.status_code == 200, active.text
    body = active.json()
    assert body["smsConfiguration"]["scheduledProvisioning"]["servicePlanId"] == "plan-1"
    assert body["voiceConfiguration"]["scheduledVoiceProvisioning"]["appId"] == "app-1"
    assert body["callbackUrl"] == "https://example.com/cb"
    logs = client.get(order_url(tenant, order_id, "/registration"), auth=tenant.auth).json()["logs"]
    assert logs[-1]["message"].startswith("Approved: All good")
    events = order_events(stocked, tenant.project_id, order_id)
    assert [e.status for e in events] == ["IN_REVIEW", "COMPLETED"]
    assert {(e.resource_type, e.event_type, e.callback_url) for e in events} == {
        ("NUMBER_ORDER", "NUMBER_ORDER_PROCESSING", "https://example.com/cb")
    }
    assert client.get("/admin/v1/reviews", headers=admin_headers).json()["numberOrders"] == []


def test_create_needs_exactly_one_option(client: TestClient, tenant: Tenant, stocked: Container) -> None:
    both = create(client, tenant, AU_MOBILE[0], quantityOrderOption={"requestedQuantity": 1})
    neither = create(client, tenant, None)
    for r in (both, neither):
        assert r.status_code == 400, r.text
        violations = r.json()["error"]["details"][0]["fieldViolations"]
        assert violations and violations[0]["field"] == "numberOrderOption"
    assert searchable(client, tenant, AU_MOBILE[0])


def test_recovery_step3_unavailable_number_then_another(
    client: TestClient, tenant: Tenant, stocked: Container
) -> None:
    assert create(client, tenant, AU_MOBILE[0]).status_code == 200
    r = create(client, tenant, AU_MOBILE[0])
    assert r.status_code == 404
    error = r.json()["error"]
    assert AU_MOBILE[0] in error["message"] and "not available" in error["message"]
    assert error["details"][0]["resourceType"] == "AvailableNumber"
    assert create(client, tenant, AU_MOBILE[1]).status_code == 200  # pick another: works


def test_quantity_order_reserves_matching_numbers(
    client: TestClient, tenant: Tenant, stocked: Container
) -> None:
    r = create(
        client,
        tenant,
        None,
        quantityOrderOption={
            "requestedQuantity": 3,
            "numberPattern": {"pattern": "+614111111", "searchPattern": "START"},
            "capabilities": ["SMS"],
            "sequential": True,
        },
    )
    assert r.status_code == 200, r.text
    phones = [n["phoneNumber"] for n in r.json()["orderNumbers"]]
    assert len(phones) == 3 and [int(p) for p in phones] == list(range(int(phones[0]), int(phones[0]) + 3))
    too_many = create(client, tenant, None, quantityOrderOption={"requestedQuantity": 10})
    assert too_many.status_code == 404


def test_recovery_step4_400_then_put_again_without_recreating(
    client: TestClient, tenant: Tenant, stocked: Container
) -> None:
    order_id = create(client, tenant).json()["idNumberOrder"]
    wrong = {**AU_INDIVIDUAL, "address": {**AU_INDIVIDUAL["address"], "street": "PO Box 12"}}
    r = put_registration(client, tenant, order_id, wrong)
    assert r.status_code == 400
    assert r.json()["error"]["details"][0]["fieldViolations"][0]["field"] == "requestDetails.address.street"
    reg = client.get(order_url(tenant, order_id, "/registration"), auth=tenant.auth).json()
    assert reg["requestDetails"] == {}  # an invalid registration is not stored
    assert put_registration(client, tenant, order_id, AU_INDIVIDUAL).status_code == 200


def test_registration_accepts_the_legacy_and_wrapped_data_shapes(
    client: TestClient, tenant: Tenant, stocked: Container
) -> None:
    order_id = create(client, tenant).json()["idNumberOrder"]
    url = order_url(tenant, order_id, "/registration")
    r = client.put(url, json={"data": {**AU_INDIVIDUAL, "individual": {}}}, auth=tenant.auth)
    assert r.status_code == 400
    fields = [v["field"] for v in r.json()["error"]["details"][0]["fieldViolations"]]
    assert "data.individual.firstName" in fields
    r = client.put(
        url, json={"requestDetails": {"data": {**AU_INDIVIDUAL, "individual": {}}}}, auth=tenant.auth
    )
    assert "requestDetails.data.individual.firstName" in [
        v["field"] for v in r.json()["error"]["details"][0]["fieldViolations"]
    ]
    r = client.put(url, json={"data": AU_INDIVIDUAL}, auth=tenant.auth)
    assert r.status_code == 200, r.text
    assert r.json()["requestDetails"] == {"data": AU_INDIVIDUAL}
    assert upload(client, tenant, order_id, "identity-document").status_code == 200
    assert submit(client, tenant, order_id).json()["state"] == "IN_REVIEW"


def test_submit_refuses_with_everything_missing_and_changes_nothing(
    client: TestClient, tenant: Tenant, stocked: Container
) -> None:
    order_id = create(client, tenant).json()["idNumberOrder"]
    r = submit(client, tenant, order_id)
    assert r.status_code == 400
    fields = [v["field"] for v in r.json()["error"]["details"][0]["fieldViolations"]]
    assert "requestDetails" in fields
    assert any(f.startswith("attachments.") for f in fields)
    assert client.get(order_url(tenant, order_id), auth=tenant.auth).json()["state"] == "CREATED"
    put_registration(client, tenant, order_id, AU_INDIVIDUAL)
    report = client.post(order_url(tenant, order_id, ":evaluate"), auth=tenant.auth).json()
    assert report["ready"] is False
    assert [m["field"] for m in report["missing"]] == ["attachments.identity-document"]
    check = {a["attachmentId"]: a for a in report["attachments"]}["identity-document"]
    assert check == {
        "attachmentId": "identity-document",
        "mandatory": True,
        "uploaded": False,
        "satisfied": False,
    }
    r = submit(client, tenant, order_id)
    assert [v["field"] for v in r.json()["error"]["details"][0]["fieldViolations"]] == report_fields(report)
    assert order_events_count(client, tenant, order_id) == "CREATED"


def report_fields(report: dict[str, Any]) -> list[str]:
    return [m["field"] for m in report["missing"]]


def order_events_count(client: TestClient, tenant: Tenant, order_id: str) -> str:
    state: str = client.get(order_url(tenant, order_id), auth=tenant.auth).json()["state"]
    return state


def test_recovery_rejected_frees_the_number_and_logs_coded_reasons(
    client: TestClient, tenant: Tenant, stocked: Container, admin_headers: dict[str, str]
) -> None:
    order_id = ready_au_order(client, tenant)
    assert submit(client, tenant, order_id).status_code == 200
    body = {
        "message": "Identity could not be verified",
        "reasons": [
            {"attachmentId": "identity-document", "code": "DOCUMENT_UNREADABLE", "message": "blurred"},
            {
                "field": "requestDetails.individual.birthDate",
                "code": "MISMATCH",
                "message": "differs from ID",
            },
        ],
    }
    r = admin(client, admin_headers, tenant, order_id, "reject", body)
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "REJECTED"
    assert searchable(client, tenant, AU_MOBILE[0])
    logs = client.get(order_url(tenant, order_id, "/registration"), auth=tenant.auth).json()["logs"]
    text_ = logs[-1]["message"]
    assert "Rejected: Identity could not be verified" in text_
    assert "[DOCUMENT_UNREADABLE] attachment identity-document: blurred" in text_
    assert "[MISMATCH] requestDetails.individual.birthDate: differs from ID" in text_
    # a rejected order is final: a new order is the way forward
    assert put_registration(client, tenant, order_id, AU_INDIVIDUAL).status_code == 409
    assert create(client, tenant, AU_MOBILE[0]).status_code == 200
    bad = admin(client, admin_headers, tenant, order_id, "approve")
    assert bad.status_code == 409


def test_bad_review_reasons_are_400(
    client: TestClient, tenant: Tenant, stocked: Container, admin_headers: dict[str, str]
) -> None:
    order_id = ready_au_order(client, tenant)
    submit(client, tenant, order_id)
    r = admin(
        client,
        admin_headers,
        tenant,
        order_id,
        "block",
        {"reasons": [{"attachmentId": "nope", "code": "x", "message": ""}]},
    )
    assert r.status_code == 400
    fields = {v["field"] for v in r.json()["error"]["details"][0]["fieldViolations"]}
    assert fields == {"reasons[0].code", "reasons[0].message", "reasons[0].attachmentId"}


def test_blocked_order_is_fixed_and_submitted_again(
    client: TestClient, tenant: Tenant, stocked: Container, admin_headers: dict[str, str]
) -> None:
    order_id = ready_au_order(client, tenant, callbackUrl="https://example.com/cb")
    submit(client, tenant, order_id)
    r = admin(client, admin_headers, tenant, order_id, "block", {"message": "Please send a clearer ID"})
    assert r.json()["state"] == "BLOCKED"
    assert not searchable(client, tenant, AU_MOBILE[0])  # still reserved
    assert upload(client, tenant, order_id, "identity-document", filename="new.pdf").status_code == 200
    assert submit(client, tenant, order_id).json()["state"] == "IN_REVIEW"
    assert admin(client, admin_headers, tenant, order_id, "approve").json()["state"] == "COMPLETED"
    statuses = [e.status for e in order_events(stocked, tenant.project_id, order_id)]
    assert statuses == ["IN_REVIEW", "BLOCKED", "IN_REVIEW", "COMPLETED"]


def test_recovery_expired_order_through_the_clock(
    client: TestClient, tenant: Tenant, stocked: Container, admin_headers: dict[str, str]
) -> None:
    order_id = create(client, tenant).json()["idNumberOrder"]
    advance(client, admin_headers, 47 * 3600)
    assert client.get(order_url(tenant, order_id), auth=tenant.auth).json()["state"] == "CREATED"
    advance(client, admin_headers, 3600)
    r = client.get(order_url(tenant, order_id), auth=tenant.auth)
    assert r.json()["state"] == "EXPIRED"
    assert searchable(client, tenant, AU_MOBILE[0])
    assert [e.status for e in order_events(stocked, tenant.project_id, order_id)] == ["EXPIRED"]
    for response in (
        put_registration(client, tenant, order_id, AU_INDIVIDUAL),
        upload(client, tenant, order_id, "identity-document"),
        submit(client, tenant, order_id),
    ):
        assert response.status_code == 409, response.text
        assert "expired" in response.json()["error"]["message"]
        assert response.json()["error"]["status"] == "FAILED_PRECONDITION"


def test_an_order_past_expiry_reads_expired_before_the_sweep_and_any_change_expires_it(
    client: TestClient, tenant: Tenant, stocked: Container
) -> None:
    order_id = create(client, tenant).json()["idNumberOrder"]
    with stocked.engine.begin() as conn:  # as if the clock passed expiry while no worker ran
        conn.execute(
            text("UPDATE number_orders SET expire_time = created_at WHERE id = :id"), {"id": order_id}
        )
    assert client.get(order_url(tenant, order_id), auth=tenant.auth).json()["state"] == "EXPIRED"
    assert submit(client, tenant, order_id).status_code == 409
    with stocked.uows(readonly=True) as uow:
        number = uow.inventory.get(AU_MOBILE[0])
    assert number is not None and number.state is NumberState.AVAILABLE
    assert [e.status for e in order_events(stocked, tenant.project_id, order_id)] == ["EXPIRED"]


def test_region_without_policy_completes_at_submit(
    client: TestClient, tenant: Tenant, stocked: Container
) -> None:
    r = create(client, tenant, US_LOCAL[0], region="US", kind="LOCAL")
    assert r.status_code == 200, r.text
    order_id = r.json()["idNumberOrder"]
    r = submit(client, tenant, order_id)
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "COMPLETED"
    assert client.get(tenant.url(f"activeNumbers/{US_LOCAL[0]}"), auth=tenant.auth).status_code == 200
    assert [e.status for e in order_events(stocked, tenant.project_id, order_id)] == [
        "IN_REVIEW",
        "COMPLETED",
    ]


def test_orders_are_confined_to_their_project(
    client: TestClient, tenant: Tenant, stocked: Container, container: Container
) -> None:
    from tests.conftest import new_tenant

    order_id = create(client, tenant).json()["idNumberOrder"]
    other = new_tenant(container)
    assert client.get(order_url(other, order_id), auth=other.auth).status_code == 404
    assert client.get(order_url(tenant, "01jgkbb8xywmz3hhahd76menqf"), auth=tenant.auth).status_code == 404


def test_list_orders_with_state_filter_and_paging(
    client: TestClient, tenant: Tenant, stocked: Container
) -> None:
    ids = [create(client, tenant, p).json()["idNumberOrder"] for p in AU_MOBILE[:3]]
    put_registration(client, tenant, ids[0], AU_INDIVIDUAL)
    upload(client, tenant, ids[0], "identity-document")
    submit(client, tenant, ids[0])
    page = client.get(tenant.url("numberOrders"), params={"pageSize": 2}, auth=tenant.auth).json()
    assert page["totalSize"] == 3 and len(page["numberOrders"]) == 2 and page["nextPageToken"]
    rest = client.get(
        tenant.url("numberOrders"),
        params={"pageSize": 2, "pageToken": page["nextPageToken"]},
        auth=tenant.auth,
    ).json()
    assert [o["idNumberOrder"] for o in page["numberOrders"] + rest["numberOrders"]] == sorted(ids)
    assert rest["nextPageToken"] == ""
    created = client.get(tenant.url("numberOrders"), params={"state": "CREATED"}, auth=tenant.auth).json()
    assert created["totalSize"] == 2 and ids[0] not in [o["idNumberOrder"] for o in created["numberOrders"]]


def test_a_number_that_does_not_fit_the_order_is_refused_and_stays_available(
    client: TestClient, tenant: Tenant, stocked: Container
) -> None:
    # The reservation is taken first (one UPDATE … RETURNING); a refusal must roll it back.
    r = create(client, tenant, US_LOCAL[0])  # a US LOCAL number ordered as AU MOBILE
    assert r.status_code == 400, r.text
    assert "numberOrderOption.phoneNumbers[0]" in r.text
    stock(stocked, ["+61411111199"], capabilities=())  # no SMS: the order asks for SMS below
    r = create(client, tenant, "+61411111199", smsConfiguration={"servicePlanId": "plan"})
    assert r.status_code == 400, r.text
    assert "does not support SMS" in r.text
    with stocked.uows(readonly=True) as uow:
        for phone in (US_LOCAL[0], "+61411111199"):
            number = uow.inventory.get(phone)
            assert number is not None and number.state is NumberState.AVAILABLE
            assert number.project_id is None
    assert create(client, tenant, US_LOCAL[0], region="US", kind="LOCAL").status_code == 200

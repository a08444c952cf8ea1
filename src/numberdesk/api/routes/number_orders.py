"""Number Order (KYC ordering), Steps 1 and 3-6 of the guide, plus two extensions: listing orders and
the `:evaluate` dry run. Expired orders answer 409 FAILED_PRECONDITION ("… has expired").
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Header, Request, UploadFile

from numberdesk.api import mappers_number_orders as m
from numberdesk.api.deps import ContainerDep, PrincipalDep
from numberdesk.api.params import parse_enum, parse_enums, parse_int, query_list
from numberdesk.api.routes.common import PROJECT_PREFIX, error_responses
from numberdesk.bootstrap import Container
from numberdesk.domain.inventory import NumberType
from numberdesk.domain.number_orders import NumberOrderState
from numberdesk.services import number_order_registration as registration
from numberdesk.services import number_orders
from numberdesk.services.idempotency import Idempotency
from numberdesk.services.inventory import validate_region_code
from numberdesk.services.number_orders import OrderDeps
from numberdesk.wire import number_order_extras as x
from numberdesk.wire import number_orders as w

router = APIRouter(
    prefix=PROJECT_PREFIX,
    tags=["Number Order"],
    responses=error_responses(400, 401, 403, 404, 409, 413, 415, 429, 500),
)

IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", description="retry safely: same key + same body → the first result"),
]


def deps(container: Container) -> OrderDeps:
    if container.number_orders is None:  # pragma: no cover - bootstrap always wires it
        raise RuntimeError("number orders are not wired")
    return container.number_orders


def _canonical(body: Any) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


@router.post(
    "/numberOrders:lookupNumberRequirements",
    operation_id="LookupNumberRequirements",
    response_model=w.NumberRequirements,
    summary="Step 1: the KYC fields (JSON Schema, inline and by URL) and documents a region/type needs",
)
def lookup_requirements(
    project_id: str, body: w.LookupNumberRequirementsRequest, principal: PrincipalDep, container: ContainerDep
) -> w.NumberRequirements:
    region = validate_region_code(body.region_code)
    req = number_orders.lookup_requirements(container.catalog, region, NumberType(body.number_type.value))
    return m.requirements_to_wire(principal.project_id, req)


@router.get(
    "/numberRequirements/{region_code}/{number_type}/schema.json",
    operation_id="GetNumberRequirementsSchema",
    summary="The JSON Schema (2020-12) of `requestDetails` for a region/type (extension)",
)
def requirements_schema(
    project_id: str, region_code: str, number_type: str, principal: PrincipalDep, container: ContainerDep
) -> dict[str, Any]:
    req = number_orders.lookup_requirements(
        container.catalog,
        validate_region_code(region_code),
        parse_enum(NumberType, number_type, "numberType"),
    )
    return dict(req.schema)


@router.post(
    "/numberOrders:createNumberOrder",
    operation_id="CreateNumberOrder",
    response_model=w.NumberOrder,
    summary="Step 3: reserve one number (numberOrderOption) or 1-100 matching numbers (quantityOrderOption)",
)
def create_number_order(
    project_id: str,
    body: w.CreateNumberOrderRequest,
    principal: PrincipalDep,
    container: ContainerDep,
    idempotency_key: IdempotencyKey = None,
) -> w.NumberOrder:
    command = m.create_command(body, validate_region_code(body.region_code))
    idem = Idempotency.of(idempotency_key, _canonical(body.model_dump(mode="json", exclude_unset=True)))
    order = number_orders.create_order(principal.project_id, command, deps(container), idem)
    return m.order_to_wire(order)


@router.get(
    "/numberOrders",
    operation_id="ListNumberOrders",
    response_model=w.ListNumberOrdersResponse,
    summary="List the project's number orders (extension): state filter, pageSize, pageToken",
)
def list_number_orders(
    project_id: str, request: Request, principal: PrincipalDep, container: ContainerDep
) -> w.ListNumberOrdersResponse:
    params = request.query_params
    states = parse_enums(NumberOrderState, query_list(params, "state", "states"), "state")
    limit = parse_int(params, "pageSize", number_orders.DEFAULT_PAGE_SIZE, 1, number_orders.MAX_PAGE_SIZE)
    page = number_orders.list_orders(
        principal.project_id, states, params.get("pageToken") or None, limit, deps(container)
    )
    return w.ListNumberOrdersResponse(
        number_orders=[m.order_to_wire(o) for o in page.orders],
        next_page_token=page.next_page_token,
        total_size=page.total_size,
    )


@router.post(
    "/numberOrders/{order_id}:evaluate",
    operation_id="EvaluateNumberOrder",
    response_model=x.EvaluationReport,
    summary="Dry run of submit (extension): per field and document, what is satisfied or missing",
)
def evaluate_number_order(
    project_id: str, order_id: str, principal: PrincipalDep, container: ContainerDep
) -> x.EvaluationReport:
    report = registration.evaluate(principal.project_id, order_id, deps(container))
    return m.evaluation_to_wire(report)


@router.get(
    "/numberOrders/{order_id}",
    operation_id="GetNumberOrder",
    response_model=w.NumberOrder,
    summary="Get a number order with its reserved numbers",
)
def get_number_order(
    project_id: str, order_id: str, principal: PrincipalDep, container: ContainerDep
) -> w.NumberOrder:
    return m.order_to_wire(number_orders.get_order(principal.project_id, order_id, deps(container)))


@router.put(
    "/numberOrders/{order_id}/registration",
    operation_id="UpdateNumberOrderRegistration",
    response_model=w.Registration,
    summary="Step 4: the KYC data, validated at once against the region's schema (every problem listed)",
)
def put_registration(
    project_id: str,
    order_id: str,
    body: w.UpdateNumberOrderRegistrationRequest,
    principal: PrincipalDep,
    container: ContainerDep,
) -> w.Registration:
    legacy = body.request_details is None and body.data is not None
    view = registration.put_registration(
        principal.project_id, order_id, body.effective_request_details(), deps(container), legacy=legacy
    )
    return m.registration_to_wire(view)


@router.get(
    "/numberOrders/{order_id}/registration",
    operation_id="GetNumberOrderRegistration",
    response_model=w.Registration,
    summary="The stored registration, the uploaded documents, and the reviewers' logs",
)
def get_registration(
    project_id: str, order_id: str, principal: PrincipalDep, container: ContainerDep
) -> w.Registration:
    view = registration.get_registration(principal.project_id, order_id, deps(container))
    return m.registration_to_wire(view)


@router.post(
    "/numberOrders/{order_id}/attachments/{attachment_id}",
    operation_id="UploadNumberOrderAttachment",
    summary="Step 5: upload a document (multipart `file`, optional `documentType`); a re-upload replaces",
)
def upload_attachment(
    project_id: str,
    order_id: str,
    attachment_id: str,
    file: Annotated[UploadFile, File(description="the document")],
    principal: PrincipalDep,
    container: ContainerDep,
    document_type: Annotated[str | None, Form(alias="documentType")] = None,
) -> dict[str, Any]:
    limit = container.settings.max_upload_bytes
    data = file.file.read(limit + 1)
    registration.upload_attachment(
        principal.project_id,
        order_id,
        attachment_id,
        data,
        file.content_type,
        file.filename,
        document_type or None,
        deps(container),
    )
    return {}


@router.post(
    "/numberOrders/{order_id}/submit",
    operation_id="SubmitNumberOrder",
    response_model=w.NumberOrder,
    summary="Step 6: submit for review (400 listing everything missing, and no change, if not ready)",
)
def submit_number_order(
    project_id: str,
    order_id: str,
    principal: PrincipalDep,
    container: ContainerDep,
    idempotency_key: IdempotencyKey = None,
) -> w.NumberOrder:
    idem = Idempotency.of(idempotency_key, order_id.encode())
    order = registration.submit(principal.project_id, order_id, deps(container), idem)
    return m.order_to_wire(order)

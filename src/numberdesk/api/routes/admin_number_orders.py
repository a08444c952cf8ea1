"""Operator API: review submitted number orders (queue, dossier with decrypted data, decisions).

`POST …/numberOrders/{id}:approve|:reject|:block` take
`{"message": "...", "reasons": [{"field" | "attachmentId", "code", "message"}]}`; the message and the
reasons are written to the registration `logs`, where the customer reads them.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from numberdesk.api import mappers_number_orders as m
from numberdesk.api.deps import AdminDep, ContainerDep
from numberdesk.api.params import parse_int
from numberdesk.api.routes.common import error_responses
from numberdesk.api.routes.number_orders import deps
from numberdesk.domain.number_orders import ReviewDecision
from numberdesk.services import number_order_registration as registration
from numberdesk.services import number_order_reviews as reviews
from numberdesk.wire import number_order_extras as x
from numberdesk.wire import number_orders as w

router = APIRouter(
    prefix="/admin/v1",
    tags=["Admin: number order review"],
    dependencies=[AdminDep],
    responses=error_responses(400, 401, 404, 409, 500),
)


@router.get("/reviews", response_model=x.ReviewQueue, summary="Orders in review, the soonest to expire first")
def review_queue(request: Request, container: ContainerDep) -> x.ReviewQueue:
    limit = parse_int(request.query_params, "pageSize", 100, 1, 1000)
    orders = reviews.review_queue(deps(container), limit)
    return x.ReviewQueue(number_orders=[m.order_to_wire(o) for o in orders])


def _decide(
    project_id: str,
    order_id: str,
    decision: ReviewDecision,
    body: x.ReviewDecisionIn | None,
    container: ContainerDep,
) -> w.NumberOrder:
    order = reviews.decide(project_id, order_id, m.review_command(decision, body), deps(container))
    return m.order_to_wire(order)


@router.post(
    "/projects/{project_id}/numberOrders/{order_id}:approve",
    response_model=w.NumberOrder,
    summary="Approve: COMPLETED, the numbers become active numbers of the project",
)
def approve(
    project_id: str, order_id: str, container: ContainerDep, body: x.ReviewDecisionIn | None = None
) -> w.NumberOrder:
    return _decide(project_id, order_id, ReviewDecision.APPROVE, body, container)


@router.post(
    "/projects/{project_id}/numberOrders/{order_id}:reject",
    response_model=w.NumberOrder,
    summary="Reject: REJECTED, the numbers go back to the inventory",
)
def reject(
    project_id: str, order_id: str, container: ContainerDep, body: x.ReviewDecisionIn | None = None
) -> w.NumberOrder:
    return _decide(project_id, order_id, ReviewDecision.REJECT, body, container)


@router.post(
    "/projects/{project_id}/numberOrders/{order_id}:block",
    response_model=w.NumberOrder,
    summary="Block: BLOCKED, the customer fixes the registration or documents and submits again",
)
def block(
    project_id: str, order_id: str, container: ContainerDep, body: x.ReviewDecisionIn | None = None
) -> w.NumberOrder:
    return _decide(project_id, order_id, ReviewDecision.BLOCK, body, container)


@router.get(
    "/projects/{project_id}/numberOrders/{order_id}/attachments/{attachment_id}",
    summary="Download an uploaded document, decrypted",
    response_class=Response,
)
def download_attachment(
    project_id: str, order_id: str, attachment_id: str, container: ContainerDep
) -> Response:
    meta, data = registration.read_attachment(project_id, order_id, attachment_id, deps(container))
    return Response(
        data,
        media_type=meta.mime_type,
        headers={
            "Content-Disposition": f'attachment; filename="{meta.attachment_id}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.get(
    "/projects/{project_id}/numberOrders/{order_id}",
    response_model=x.OrderDossier,
    summary="An order with its decrypted registration, documents and evaluation",
)
def get_dossier(project_id: str, order_id: str, container: ContainerDep) -> x.OrderDossier:
    d = reviews.dossier(project_id, order_id, deps(container))
    base = f"/admin/v1/projects/{project_id}/numberOrders/{order_id}/attachments/"
    return x.OrderDossier(
        number_order=m.order_to_wire(d.order),
        registration=m.registration_to_wire(d.registration),
        evaluation=m.evaluation_to_wire(d.evaluation),
        document_urls={a.attachment_id: base + a.attachment_id for a in d.registration.attachments},
    )

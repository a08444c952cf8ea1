"""Operator API: the callback delivery log (attempts, status codes, latency, next retry) and redeliver."""

from __future__ import annotations

from fastapi import APIRouter, Query

from numberdesk.api.deps import AdminDep, ContainerDep
from numberdesk.api.params import parse_enum
from numberdesk.api.routes.common import error_responses
from numberdesk.domain.callbacks import Delivery, DeliveryAttempt, DeliveryState
from numberdesk.services import callbacks
from numberdesk.wire.callback_deliveries import (
    DeliveryAttemptOut,
    DeliveryListOut,
    DeliveryLogOut,
    DeliveryOut,
)

router = APIRouter(
    prefix="/admin/v1/callbacks",
    tags=["Admin: callbacks"],
    dependencies=[AdminDep],
    responses=error_responses(400, 401, 404, 409, 500),
)


def _fields(d: Delivery) -> dict[str, object]:
    return {
        "event_id": d.event_id,
        "project_id": d.project_id,
        "api": d.api.value,
        "callback_url": d.callback_url,
        "state": d.state.value,
        "attempts": d.attempts,
        "created_at": d.created_at,
        "next_attempt_at": d.next_attempt_at,
        "last_status_code": d.last_status_code,
        "last_error": d.last_error,
        "finished_at": d.finished_at,
    }


def _attempt(a: DeliveryAttempt) -> DeliveryAttemptOut:
    return DeliveryAttemptOut(
        attempt_no=a.attempt_no,
        started_at=a.started_at,
        latency_ms=a.latency_ms,
        status_code=a.status_code,
        outcome=a.outcome,
        error=a.error,
        next_attempt_at=a.next_attempt_at,
    )


@router.get("/deliveries", response_model=DeliveryListOut, summary="Recent deliveries, newest first")
def list_deliveries(
    container: ContainerDep,
    project_id: str | None = Query(default=None, alias="projectId"),
    state: str | None = Query(default=None),
    limit: int = Query(default=100, ge=1, le=1000),
) -> dict[str, object]:
    parsed = parse_enum(DeliveryState, state, "state") if state else None
    found = callbacks.list_deliveries(container.uows, project_id, parsed, limit)
    return DeliveryListOut(deliveries=[DeliveryOut.model_validate(_fields(d)) for d in found]).to_wire()


@router.get("/deliveries/{event_id}", response_model=DeliveryLogOut, summary="One event's delivery log")
def get_delivery(event_id: str, container: ContainerDep) -> dict[str, object]:
    found = callbacks.delivery_log(event_id, container.uows)
    return DeliveryLogOut.model_validate(
        {**_fields(found.delivery), "attempt_log": [_attempt(a) for a in found.attempts]}
    ).to_wire()


@router.post(
    "/deliveries/{event_id}:redeliver",
    response_model=DeliveryOut,
    summary="Deliver the event again now (same eventId), with a fresh retry window",
)
def redeliver(event_id: str, container: ContainerDep) -> dict[str, object]:
    delivery = callbacks.redeliver(event_id, container.uows, container.clock)
    return DeliveryOut.model_validate(_fields(delivery)).to_wire()

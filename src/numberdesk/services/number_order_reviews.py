"""The operator's review of submitted orders: the queue, one order in full, and the decisions.

Approve → COMPLETED (numbers become active numbers of the project with the order's SMS/voice
configuration); reject → REJECTED (numbers back to the inventory); block → BLOCKED (the customer fixes
and submits again). Reasons are coded data per field or document, mirrored as text into the
registration `logs` (the only channel the Sinch contract has). Sandbox auto-review uses the same path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from numberdesk.domain.errors import Conflict
from numberdesk.domain.number_orders import (
    NumberOrder,
    NumberOrderState,
    RegistrationLog,
    ReviewDecision,
    ReviewReason,
    check_reasons,
)
from numberdesk.domain.registration import EvaluationReport
from numberdesk.services.number_order_registration import (
    RegistrationView,
    _evaluate,
    evaluate,
    get_registration,
)
from numberdesk.services.number_orders import OrderDeps, get_order, open_order, save_move
from numberdesk.services.ports import UnitOfWork
from numberdesk.services.timers import JobHandler

_VERB = {
    ReviewDecision.APPROVE: "Approved",
    ReviewDecision.REJECT: "Rejected",
    ReviewDecision.BLOCK: "Blocked",
}


@dataclass(frozen=True)
class ReviewCommand:
    decision: ReviewDecision
    message: str = ""
    reasons: tuple[ReviewReason, ...] = ()


@dataclass(frozen=True)
class OrderDossier:
    order: NumberOrder
    registration: RegistrationView
    evaluation: EvaluationReport


def review_queue(deps: OrderDeps, limit: int = 100) -> list[NumberOrder]:
    with deps.uows(readonly=True) as uow:
        return uow.number_orders.review_queue(limit)


def dossier(project_id: str, order_id: str, deps: OrderDeps) -> OrderDossier:
    return OrderDossier(
        get_order(project_id, order_id, deps),
        get_registration(project_id, order_id, deps),
        evaluate(project_id, order_id, deps),
    )


def _log_text(cmd: ReviewCommand) -> str:
    lines = [f"{_VERB[cmd.decision]}: {cmd.message.strip()}" if cmd.message.strip() else _VERB[cmd.decision]]
    lines += [reason.as_text() for reason in cmd.reasons]
    return "\n".join(lines)


def _reasons_json(reasons: tuple[ReviewReason, ...]) -> str:
    return json.dumps(
        [
            {"code": r.code, "message": r.message, "field": r.field, "attachmentId": r.attachment_id}
            for r in reasons
        ],
        separators=(",", ":"),
    )


def apply_decision(uow: UnitOfWork, order: NumberOrder, cmd: ReviewCommand, now: datetime) -> None:
    """Inside the caller's unit of work: move the order, log the message, free/activate numbers."""
    previous = order.decide(cmd.decision, now)
    if not save_move(uow, order, previous):
        raise Conflict(f"Number order {order.id} was changed by another request; read it and retry")
    uow.number_orders.add_log(order.id, RegistrationLog(_log_text(cmd), now), _reasons_json(cmd.reasons))


def decide(project_id: str, order_id: str, cmd: ReviewCommand, deps: OrderDeps) -> NumberOrder:
    now = deps.clock.now()  # before the transaction: the sandbox clock reads the database
    with deps.uows() as uow:
        order = open_order(uow, project_id, order_id, now)
        req = deps.catalog.get(order.region_code, order.number_type)
        known = frozenset(a.id for a in req.attachments) if req is not None else None
        check_reasons(cmd.reasons, known)
        apply_decision(uow, order, cmd, now)
        uow.commit()
    return order


def auto_review_job(deps: OrderDeps) -> JobHandler:
    """Job handler (sandbox): approve a still-valid submission; block it with the gaps otherwise."""

    def handler(uow: UnitOfWork, ref: str, now: datetime) -> None:
        order = uow.number_orders.get(ref)
        if order is None or order.state is not NumberOrderState.IN_REVIEW or order.is_past_expiry(now):
            return
        req = deps.catalog.get(order.region_code, order.number_type)
        report = _evaluate(deps, uow, order, req) if req is not None else None
        if report is None or report.ready:
            cmd = ReviewCommand(ReviewDecision.APPROVE, "automatic sandbox review")
        else:
            cmd = ReviewCommand(
                ReviewDecision.BLOCK,
                "automatic sandbox review found missing information",
                tuple(
                    ReviewReason(
                        "MISSING",
                        v.description,
                        None if v.field.startswith("attachments.") else v.field,
                        v.field.removeprefix("attachments.") if v.field.startswith("attachments.") else None,
                    )
                    for v in report.missing
                ),
            )
        apply_decision(uow, order, cmd, now)

    return handler

"""Steps 4-6 of the KYC flow: the registration (encrypted at rest), documents, evaluate and submit.

Registration data is validated synchronously against the region's schema and stored only when valid;
every problem comes back at once. Documents are sniffed, checked against the requirement, encrypted
and written to the blob store under server-made keys. `evaluate` is the dry run `submit` uses.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from numberdesk.domain.errors import Conflict, ContentTooLarge, FieldViolation, InvalidArgument, NotFound
from numberdesk.domain.kyc import RequirementSet
from numberdesk.domain.number_order_attachments import check_upload, safe_file_name
from numberdesk.domain.number_orders import (
    NumberOrder,
    RegistrationLog,
    ReviewDecision,
    StoredAttachment,
)
from numberdesk.domain.registration import ROOT, EvaluationReport, evaluate_order, validate_registration
from numberdesk.services.idempotency import Idempotency, claim_or_replay
from numberdesk.services.ids import new_id
from numberdesk.services.number_orders import (
    AUTO_REVIEW_JOB,
    OrderDeps,
    get_order,
    load,
    open_order,
    save_move,
)
from numberdesk.services.ports import UnitOfWork
from numberdesk.services.ports_number_orders import StoredRegistration

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RegistrationView:
    request_details: dict[str, Any] | None
    attachments: list[StoredAttachment]
    logs: list[RegistrationLog]


# --- requestDetails shapes ---------------------------------------------------------------------------


def effective_details(details: Mapping[str, Any]) -> tuple[Mapping[str, Any], str]:
    """The named sections to validate, and the path prefix the client used for them.

    `{"data": {...sections...}}` (the spec example's wrapper, or the legacy top-level `data`) is
    unwrapped; violation paths then point into `requestDetails.data`.
    """
    data = details.get("data")
    if set(details) == {"data"} and isinstance(data, Mapping):
        return data, f"{ROOT}.data"
    return details, ROOT


def _reprefix(violations: list[FieldViolation], prefix: str) -> list[FieldViolation]:
    if prefix == ROOT:
        return violations
    return [
        FieldViolation(prefix + v.field[len(ROOT) :] if v.field.startswith(ROOT) else v.field, v.description)
        for v in violations
    ]


def _decrypt(deps: OrderDeps, uow: UnitOfWork, order_id: str) -> dict[str, Any] | None:
    stored = uow.number_orders.get_registration(order_id)
    if stored is None:
        return None
    details: dict[str, Any] = json.loads(deps.cipher.decrypt(stored.ciphertext, order_id.encode()))
    return details


def _evaluate(deps: OrderDeps, uow: UnitOfWork, order: NumberOrder, req: RequirementSet) -> EvaluationReport:
    details = _decrypt(deps, uow, order.id)
    uploaded = {a.attachment_id for a in uow.number_orders.attachments(order.id)}
    if details is None:
        return evaluate_order(req, None, uploaded, order.phone_numbers)
    effective, prefix = effective_details(details)
    report = evaluate_order(req, effective, uploaded, order.phone_numbers)
    if prefix == ROOT:
        return report
    fields = [type(f)(prefix + f.path[len(ROOT) :], f.satisfied, f.problem) for f in report.fields]
    return EvaluationReport(report.ready, fields, report.attachments, _reprefix(report.missing, prefix))


# --- Step 4: registration ----------------------------------------------------------------------------


def put_registration(
    project_id: str, order_id: str, details: Mapping[str, Any], deps: OrderDeps, *, legacy: bool = False
) -> RegistrationView:
    """Validate and store; 400 with every violation (paths as sent) and nothing stored when invalid."""
    now = deps.clock.now()  # before the transaction: the sandbox clock reads the database
    with deps.uows() as uow:
        order = open_order(uow, project_id, order_id, now)
        order.ensure_editable(now)
        req = deps.catalog.get(order.region_code, order.number_type)
        if req is not None:
            effective, prefix = effective_details(details)
            if legacy:
                prefix = prefix.replace(f"{ROOT}.data", "data", 1)
            violations = _reprefix(validate_registration(req, effective, order.phone_numbers), prefix)
            if violations:
                raise InvalidArgument(
                    f"the registration has {len(violations)} problem(s): fix them and PUT again", violations
                )
        plaintext = json.dumps(dict(details), separators=(",", ":"), ensure_ascii=False).encode()
        ciphertext = deps.cipher.encrypt(plaintext, order.id.encode())
        uow.number_orders.put_registration(
            order.id, StoredRegistration(ciphertext, deps.cipher.key_id_of(ciphertext), now)
        )
        view = RegistrationView(
            dict(details), uow.number_orders.attachments(order.id), uow.number_orders.logs(order.id)
        )
        uow.commit()
    log.info("registration stored for number order %s", order_id)  # ids only, never values
    return view


def get_registration(project_id: str | None, order_id: str, deps: OrderDeps) -> RegistrationView:
    with deps.uows(readonly=True) as uow:
        order = load(uow, project_id, order_id)
        return RegistrationView(
            _decrypt(deps, uow, order.id),
            uow.number_orders.attachments(order.id),
            uow.number_orders.logs(order.id),
        )


# --- Step 5: documents -------------------------------------------------------------------------------


def upload_attachment(
    project_id: str,
    order_id: str,
    attachment_id: str,
    data: bytes,
    declared_type: str | None,
    file_name: str | None,
    document_type: str | None,
    deps: OrderDeps,
) -> StoredAttachment:
    limit = deps.options.max_upload_bytes
    if len(data) > limit:
        raise ContentTooLarge(attachment_id, limit)
    now = deps.clock.now()  # before the transaction: the sandbox clock reads the database
    with deps.uows() as uow:
        order = open_order(uow, project_id, order_id, now)
        order.ensure_editable(now)
        req = deps.catalog.get(order.region_code, order.number_type)
        requirement = req.attachment(attachment_id) if req is not None else None
        if requirement is None or req is None:
            known = ", ".join(a.id for a in req.attachments) if req is not None else "none"
            raise NotFound(
                "RequiredAttachment",
                attachment_id,
                f"{order.region_code} {order.number_type.value} orders take no attachment with this id "
                f"(the requirements name: {known})",
            )
        mime = check_upload(requirement, data, declared_type, document_type)
        blob_key = f"orders/{order.id}/{attachment_id}-{new_id()}"
        ciphertext = deps.cipher.encrypt(data, f"{order.id}/{attachment_id}".encode())
        deps.blobs.put(blob_key, ciphertext)
        stored = StoredAttachment(
            order_id=order.id,
            attachment_id=attachment_id,
            file_name=safe_file_name(file_name, attachment_id),
            mime_type=mime,
            document_type=document_type,
            size=len(data),
            blob_key=blob_key,
            key_id=deps.cipher.key_id_of(ciphertext),
            created_at=now,
            updated_at=now,
        )
        try:
            replaced = uow.number_orders.put_attachment(stored)
            uow.commit()
        except BaseException:
            deps.blobs.delete(blob_key)
            raise
    if replaced is not None:
        deps.blobs.delete(replaced.blob_key)
        stored = StoredAttachment(**{**stored.__dict__, "created_at": replaced.created_at})
    log.info("attachment %s stored for number order %s", attachment_id, order_id)
    return stored


def read_attachment(
    project_id: str | None, order_id: str, attachment_id: str, deps: OrderDeps
) -> tuple[StoredAttachment, bytes]:
    """The decrypted document (operator review)."""
    with deps.uows(readonly=True) as uow:
        load(uow, project_id, order_id)
        found = [a for a in uow.number_orders.attachments(order_id) if a.attachment_id == attachment_id]
    if not found:
        raise NotFound("Attachment", attachment_id, f"No attachment {attachment_id} was uploaded")
    meta = found[0]
    data = deps.cipher.decrypt(deps.blobs.get(meta.blob_key), f"{order_id}/{attachment_id}".encode())
    return meta, data


# --- evaluate and Step 6 -----------------------------------------------------------------------------


def evaluate(project_id: str | None, order_id: str, deps: OrderDeps) -> EvaluationReport:
    """Dry run of submit: per field and per document, what is satisfied and what is missing."""
    with deps.uows(readonly=True) as uow:
        order = load(uow, project_id, order_id)
        req = deps.catalog.get(order.region_code, order.number_type)
        if req is None:
            return EvaluationReport(True, [], [], [])
        return _evaluate(deps, uow, order, req)


def _auto_review_due(deps: OrderDeps, now: datetime) -> datetime | None:
    seconds = deps.options.auto_review_seconds
    return None if seconds is None else now + timedelta(seconds=seconds)


def submit(
    project_id: str, order_id: str, deps: OrderDeps, idempotency: Idempotency | None = None
) -> NumberOrder:
    """CREATED/BLOCKED → IN_REVIEW when nothing is missing (else 400 listing everything, no change).
    Without a policy (or with `reviewRequired: false`) the order completes at once if configured."""
    now = deps.clock.now()  # before the transaction: the sandbox clock reads the database
    with deps.uows() as uow:
        order = open_order(uow, project_id, order_id, now)
        replay = claim_or_replay(uow, project_id, "submitNumberOrder", idempotency, now) is not None
        if not replay:
            order.ensure_editable(now)
            req = deps.catalog.get(order.region_code, order.number_type)
            if req is not None:
                report = _evaluate(deps, uow, order, req)
                if not report.ready:
                    raise InvalidArgument(
                        f"the order is not ready to submit: {len(report.missing)} thing(s) missing",
                        report.missing,
                    )
            if not save_move(uow, order, order.submit(now)):
                raise _moved_meanwhile(order_id)
            review = req.review_required if req is not None else not deps.options.complete_without_policy
            if not review:
                uow.number_orders.add_log(
                    order.id, RegistrationLog("Completed without review: no KYC review needed", now), "[]"
                )
                if not save_move(uow, order, order.decide(ReviewDecision.APPROVE, now)):
                    raise _moved_meanwhile(order_id)
            elif (due := _auto_review_due(deps, now)) is not None:
                uow.jobs.schedule(AUTO_REVIEW_JOB, order.id, due)
            if idempotency is not None:
                uow.idempotency.complete(project_id, idempotency.key, "submitNumberOrder", order.id)
            uow.commit()
    if replay:
        return get_order(project_id, order_id, deps)
    return order


def _moved_meanwhile(order_id: str) -> Exception:
    return Conflict(f"Number order {order_id} was changed by another request; read it and retry")

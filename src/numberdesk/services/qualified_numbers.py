"""Qualified numbers: addNumbers (eligibility check, then invoice review by an operator), the voice
challenge (code spoken by the pluggable VoiceCaller), reads, delete, and the operator's actions.
Text-enabling them goes through `hosting_orders.text_enable(..., qualified=True)`.

Job `qualified.eligibility` (ref `project|phone`) is the simulated OSR eligibility check.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from numberdesk.domain.carrier_simulator import CarrierStep, first_failure
from numberdesk.domain.errors import Conflict, NotFound
from numberdesk.domain.qualified_numbers import (
    DEFAULT_CHALLENGE_TTL,
    DEFAULT_MAX_FAILED_ATTEMPTS,
    GlobalProcessState,
    QualifiedNumber,
    QualifiedNumberFilter,
    qualify_batch,
)
from numberdesk.services import carrier_simulator
from numberdesk.services.imported_events import record
from numberdesk.services.imported_paging import Page, paginate
from numberdesk.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from numberdesk.services.ports_imported import VoiceCaller

ELIGIBILITY_JOB = "qualified.eligibility"
CHALLENGE_TTL: timedelta = DEFAULT_CHALLENGE_TTL
MAX_FAILED_ATTEMPTS = DEFAULT_MAX_FAILED_ATTEMPTS


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def _ref(project_id: str, phone_number: str) -> str:
    return f"{project_id}|{phone_number}"


def _not_found(phone_number: str) -> NotFound:
    return NotFound("QualifiedNumber", phone_number, "The qualified number could not be found.")


def _owned(uow: UnitOfWork, project_id: str, phone_number: str) -> QualifiedNumber:
    number = uow.imported.qualified.get(project_id, phone_number)
    if number is None:
        raise _not_found(phone_number)
    return number


def _save(uow: UnitOfWork, number: QualifiedNumber) -> None:
    if not uow.imported.qualified.save(number):
        raise Conflict(f"qualified number {number.phone_number} changed concurrently; retry")
    record(uow, number.events, "")


def batch_create(
    project_id: str, phone_numbers: Sequence[str], uows: UnitOfWorkFactory, clock: Clock
) -> list[QualifiedNumber]:
    """New numbers start ELIGIBLE_CHECK_PENDING; numbers the project already qualifies come back
    as they are."""
    now = clock.now()
    batch = qualify_batch(project_id, phone_numbers, now)
    result = []
    with uows() as uow:
        for number in batch:
            existing = uow.imported.qualified.get(project_id, number.phone_number)
            if existing is not None:
                result.append(existing)
                continue
            uow.imported.qualified.add(number)
            uow.jobs.schedule(
                ELIGIBILITY_JOB,
                _ref(project_id, number.phone_number),
                carrier_simulator.eligibility_due(uow, now),
            )
            result.append(number)
        uow.commit()
    return result


def get(project_id: str, phone_number: str, uows: UnitOfWorkFactory) -> QualifiedNumber:
    with uows(readonly=True) as uow:
        return _owned(uow, project_id, phone_number)


ORDER_KEYS = {
    "phonenumber": lambda n: (n.phone_number,),
    "createdtime": lambda n: (n.created_time.isoformat(), n.phone_number),
    "updatedtime": lambda n: (n.updated_time.isoformat(), n.phone_number),
}


def list_numbers(
    project_id: str,
    criteria: QualifiedNumberFilter,
    order_by: str,
    descending: bool,
    page_size: int | None,
    page_token: str | None,
    uows: UnitOfWorkFactory,
) -> Page[QualifiedNumber]:
    with uows(readonly=True) as uow:
        found = [n for n in uow.imported.qualified.list_for_project(project_id) if criteria.matches(n)]
    found.sort(key=ORDER_KEYS[order_by], reverse=descending)
    return paginate(found, page_size, page_token)


def delete(project_id: str, phone_number: str, uows: UnitOfWorkFactory, clock: Clock) -> None:
    with uows() as uow:
        number = _owned(uow, project_id, phone_number)
        if number.state is GlobalProcessState.HOSTING_IN_PROGRESS:
            raise Conflict(f"{phone_number} is being hosted (order {number.hosting_order_id})")
        number.delete(clock.now())
        uow.imported.qualified.delete(project_id, phone_number)
        uow.jobs.cancel(ELIGIBILITY_JOB, _ref(project_id, phone_number))
        uow.commit()


def send_voice_challenge(
    project_id: str,
    phone_number: str,
    uows: UnitOfWorkFactory,
    clock: Clock,
    caller: VoiceCaller,
    code_factory: Callable[[], str] = new_code,
) -> QualifiedNumber:
    """Store the challenge, commit, then have the caller speak the code."""
    code = code_factory()
    with uows() as uow:
        number = _owned(uow, project_id, phone_number)
        number.send_voice_challenge(clock.now(), code, CHALLENGE_TTL)
        _save(uow, number)
        uow.commit()
    caller.call(phone_number, code)
    return number


def verify_voice_challenge(
    project_id: str, phone_number: str, code: str, uows: UnitOfWorkFactory, clock: Clock
) -> QualifiedNumber:
    """Wrong, expired or blocking codes are answered with the number (its state says why)."""
    with uows() as uow:
        number = _owned(uow, project_id, phone_number)
        number.verify_voice_challenge(clock.now(), code, max_failed_attempts=MAX_FAILED_ATTEMPTS)
        _save(uow, number)
        uow.commit()
    return number


# -- operator ------------------------------------------------------------------------------------------


def _operator(
    project_id: str,
    phone_number: str,
    action: Callable[[QualifiedNumber, datetime], None],
    uows: UnitOfWorkFactory,
    clock: Clock,
) -> QualifiedNumber:
    with uows() as uow:
        number = _owned(uow, project_id, phone_number)
        action(number, clock.now())
        _save(uow, number)
        uow.commit()
    return number


def approve_invoices(
    project_id: str, phone_number: str, uows: UnitOfWorkFactory, clock: Clock
) -> QualifiedNumber:
    return _operator(project_id, phone_number, lambda n, now: n.approve_invoices(now), uows, clock)


def reject_invoices(
    project_id: str, phone_number: str, reason: str, uows: UnitOfWorkFactory, clock: Clock
) -> QualifiedNumber:
    def act(number: QualifiedNumber, now: datetime) -> None:
        if reason:
            number.reject_invoices(now, reason)
        else:
            number.reject_invoices(now)

    return _operator(project_id, phone_number, act, uows, clock)


def unblock(project_id: str, phone_number: str, uows: UnitOfWorkFactory, clock: Clock) -> QualifiedNumber:
    return _operator(project_id, phone_number, lambda n, now: n.unblock(now), uows, clock)


def voice_code(phone_number: str, uows: UnitOfWorkFactory) -> tuple[str, datetime]:
    """The last code the sandbox voice caller spoke to `phone_number`."""
    with uows(readonly=True) as uow:
        found = uow.imported.voice_codes.get(phone_number)
    if found is None:
        raise NotFound("VoiceCode", phone_number, f"no voice challenge was sent to {phone_number}")
    return found


# -- the simulated eligibility check -------------------------------------------------------------------


def eligibility_job(uow: UnitOfWork, ref: str, now: datetime) -> None:
    project_id, _, phone_number = ref.partition("|")
    number = uow.imported.qualified.get(project_id, phone_number)
    if number is None or number.state is not GlobalProcessState.ELIGIBLE_CHECK_PENDING:
        return
    failure = first_failure(uow.imported.carrier.rules(), CarrierStep.ELIGIBILITY, phone_number)
    number.record_eligibility(now, eligible=failure is None, error=failure.value if failure else "")
    _save(uow, number)

"""The provisioning simulator: scheduled SMS/campaign/voice provisioning as timed jobs.

A request (rent, PATCH, order completion) leaves a WAITING scheduled object and a
`provisioning.<kind>.start` job due after `waitingSeconds`; that job moves it IN_PROGRESS and schedules
`provisioning.<kind>.finish` after `inProgressSeconds`, which applies it or fails it according to the
operator's failure rules, recording ACTIVE_NUMBER events in the outbox in the same transaction.
Timing and rules live in the database, so every process (API replicas, workers) sees the same.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from numberdesk.domain.active_numbers import (
    DEFAULT_FAILURE_CODES,
    SMS_ERROR_CODES,
    ActiveNumber,
    FailureKind,
    FailureRule,
    ProvisioningKind,
    ProvisioningOutcome,
    ProvisioningStatus,
    SimulatorTiming,
    first_failure,
)
from numberdesk.domain.errors import Conflict, FieldViolation, InvalidArgument, NotFound
from numberdesk.domain.events import CallbackApi, CallbackEvent
from numberdesk.services.ids import new_id
from numberdesk.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from numberdesk.services.timers import JobHandler

RESOURCE_TYPE = "ACTIVE_NUMBER"


def start_job(kind: ProvisioningKind) -> str:
    return f"provisioning.{kind.value}.start"


def finish_job(kind: ProvisioningKind) -> str:
    return f"provisioning.{kind.value}.finish"


def timing(uow: UnitOfWork) -> SimulatorTiming:
    return uow.simulator.timing() or SimulatorTiming()


def schedule(uow: UnitOfWork, number: ActiveNumber, kind: ProvisioningKind, now: datetime) -> None:
    """Queue the WAITING provisioning of `kind` (replacing any earlier one of the same kind)."""
    uow.jobs.cancel(finish_job(kind), number.phone_number)
    uow.jobs.schedule(
        start_job(kind), number.phone_number, now + timedelta(seconds=timing(uow).waiting_seconds)
    )


def cancel_all(uow: UnitOfWork, phone_number: str) -> None:
    for kind in ProvisioningKind:
        uow.jobs.cancel(start_job(kind), phone_number)
        uow.jobs.cancel(finish_job(kind), phone_number)


def record(uow: UnitOfWork, number: ActiveNumber, outcome: ProvisioningOutcome, now: datetime) -> None:
    uow.outbox.add(
        CallbackEvent(
            event_id=new_id(),
            project_id=number.project_id,
            api=CallbackApi.NUMBERS,
            resource_type=RESOURCE_TYPE,
            resource_id=number.phone_number,
            event_type=outcome.event_type.value,
            status="SUCCEEDED" if outcome.succeeded else "FAILED",
            occurred_at=now,
            callback_url=number.callback_url or None,
            failure_code=outcome.failure_code,
        )
    )


def _save(uow: UnitOfWork, number: ActiveNumber) -> None:
    if not uow.active_numbers.save(number):
        raise Conflict(f"active number {number.phone_number} changed concurrently; retry")


def _start(kind: ProvisioningKind) -> JobHandler:
    def handler(uow: UnitOfWork, ref: str, now: datetime) -> None:
        number = uow.active_numbers.get(ref)
        if number is None or number.status_of(kind) is not ProvisioningStatus.WAITING:
            return  # superseded (released, expired or re-requested)
        number.start_provisioning(kind, now)
        _save(uow, number)
        uow.jobs.schedule(finish_job(kind), ref, now + timedelta(seconds=timing(uow).in_progress_seconds))

    return handler


def _finish(kind: ProvisioningKind) -> JobHandler:
    def handler(uow: UnitOfWork, ref: str, now: datetime) -> None:
        number = uow.active_numbers.get(ref)
        if number is None or number.status_of(kind) is not ProvisioningStatus.IN_PROGRESS:
            return
        rules = uow.simulator.rules()
        if kind is ProvisioningKind.SMS:
            wanted = number.sms_scheduled
            assert wanted is not None
            sms_failure = None
            if wanted.service_plan_id != number.sms.service_plan_id:
                sms_failure = first_failure(rules, FailureKind.SMS, wanted.service_plan_id)
            campaign_failure = None
            if wanted.campaign_id != number.sms.campaign_id:
                campaign_failure = first_failure(rules, FailureKind.CAMPAIGN, wanted.campaign_id)
            outcomes = number.finish_sms(sms_failure, campaign_failure, now)
        else:
            voice = number.voice_scheduled
            assert voice is not None
            outcomes = number.finish_voice(first_failure(rules, FailureKind.VOICE, voice.id), now)
        _save(uow, number)
        for outcome in outcomes:
            record(uow, number, outcome, now)

    return handler


def job_handlers() -> dict[str, JobHandler]:
    handlers: dict[str, JobHandler] = {}
    for kind in ProvisioningKind:
        handlers[start_job(kind)] = _start(kind)
        handlers[finish_job(kind)] = _finish(kind)
    return handlers


# ------------------------------------------------------------------------------------------ operator API


def list_rules(uows: UnitOfWorkFactory) -> list[FailureRule]:
    with uows(readonly=True) as uow:
        return uow.simulator.rules()


def add_rule(
    kind: str, match: str, failure_code: str | None, uows: UnitOfWorkFactory, clock: Clock
) -> FailureRule:
    try:
        failure_kind = FailureKind(kind.strip().lower())
    except ValueError:
        raise InvalidArgument(
            f"kind {kind!r} is not one of sms, campaign, voice",
            [FieldViolation("kind", "must be one of sms, campaign, voice")],
        ) from None
    if not match.strip():
        raise InvalidArgument("match is required", [FieldViolation("match", "an id, or * for any")])
    code = (failure_code or DEFAULT_FAILURE_CODES[failure_kind]).strip().upper()
    if failure_kind is not FailureKind.VOICE and code not in SMS_ERROR_CODES:
        raise InvalidArgument(
            f"{code} is not an SMS error code",
            [FieldViolation("failureCode", "must be one of " + ", ".join(sorted(SMS_ERROR_CODES)))],
        )
    rule = FailureRule(new_id(), failure_kind, match.strip(), code, clock.now())
    with uows() as uow:
        uow.simulator.add_rule(rule)
        uow.commit()
    return rule


def delete_rule(rule_id: str, uows: UnitOfWorkFactory) -> None:
    with uows() as uow:
        if not uow.simulator.delete_rule(rule_id):
            raise NotFound("FailureRule", rule_id)
        uow.commit()


def get_timing(uows: UnitOfWorkFactory) -> SimulatorTiming:
    with uows(readonly=True) as uow:
        return timing(uow)


def set_timing(
    waiting_seconds: float | None, in_progress_seconds: float | None, uows: UnitOfWorkFactory
) -> SimulatorTiming:
    for name, value in (("waitingSeconds", waiting_seconds), ("inProgressSeconds", in_progress_seconds)):
        if value is not None and not 0 <= value <= 86400:
            raise InvalidArgument(f"{name} must be between 0 and 86400", [FieldViolation(name, "0..86400")])
    with uows() as uow:
        current = timing(uow)
        new = SimulatorTiming(
            current.waiting_seconds if waiting_seconds is None else waiting_seconds,
            current.in_progress_seconds if in_progress_seconds is None else in_progress_seconds,
        )
        uow.simulator.set_timing(new)
        uow.commit()
    return new

"""The carrier simulator's settings and operator rules, and the helpers the hosting flows use.

Every piece of simulated outside work is a timed job (`uow.jobs.schedule`), so the sandbox's
`clock:advance` fast-forwards it; the job kinds and handlers live with the flows they drive
(imported_numbers, hosting_orders, qualified_numbers).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from numberdesk.domain.carrier_simulator import (
    CarrierFailureRule,
    CarrierTiming,
    parse_rule,
    service_plan_violations,
)
from numberdesk.domain.errors import FieldViolation, InvalidArgument, NotFound
from numberdesk.domain.imported_phone_numbers import raise_if_invalid
from numberdesk.services.ids import new_id
from numberdesk.services.ports import Clock, UnitOfWork, UnitOfWorkFactory

MAX_SECONDS = 86400.0


def step_due(uow: UnitOfWork, now: datetime) -> datetime:
    return now + timedelta(seconds=uow.imported.carrier.timing().step_seconds)


def eligibility_due(uow: UnitOfWork, now: datetime) -> datetime:
    return now + timedelta(seconds=uow.imported.carrier.timing().eligibility_seconds)


def check_service_plan(uow: UnitOfWork, service_plan_id: str | None, field: str) -> None:
    raise_if_invalid(
        service_plan_violations(service_plan_id, uow.imported.service_plans.known(), field),
        f"Invalid service_plan_id {service_plan_id}",
    )


# -- operator API -----------------------------------------------------------------------------------


def list_rules(uows: UnitOfWorkFactory) -> list[CarrierFailureRule]:
    with uows(readonly=True) as uow:
        return uow.imported.carrier.rules()


def add_rule(
    step: str, match: str, failure_code: str | None, uows: UnitOfWorkFactory, clock: Clock
) -> CarrierFailureRule:
    parsed_step, parsed_match, code = parse_rule(step, match, failure_code)
    rule = CarrierFailureRule(new_id(), parsed_step, parsed_match, code, clock.now())
    with uows() as uow:
        uow.imported.carrier.add_rule(rule)
        uow.commit()
    return rule


def delete_rule(rule_id: str, uows: UnitOfWorkFactory) -> None:
    with uows() as uow:
        if not uow.imported.carrier.delete_rule(rule_id):
            raise NotFound("CarrierFailureRule", rule_id)
        uow.commit()


def get_timing(uows: UnitOfWorkFactory) -> CarrierTiming:
    with uows(readonly=True) as uow:
        return uow.imported.carrier.timing()


def set_timing(
    step_seconds: float | None, eligibility_seconds: float | None, uows: UnitOfWorkFactory
) -> CarrierTiming:
    for name, value in (("stepSeconds", step_seconds), ("eligibilitySeconds", eligibility_seconds)):
        if value is not None and not 0 <= value <= MAX_SECONDS:
            raise InvalidArgument(f"{name} must be between 0 and 86400", [FieldViolation(name, "0..86400")])
    with uows() as uow:
        current = uow.imported.carrier.timing()
        new = CarrierTiming(
            current.step_seconds if step_seconds is None else step_seconds,
            current.eligibility_seconds if eligibility_seconds is None else eligibility_seconds,
        )
        uow.imported.carrier.set_timing(new)
        uow.commit()
    return new


def list_service_plans(uows: UnitOfWorkFactory) -> list[str]:
    with uows(readonly=True) as uow:
        return sorted(uow.imported.service_plans.known())


def add_service_plan(service_plan_id: str, uows: UnitOfWorkFactory, clock: Clock) -> None:
    raise_if_invalid(
        service_plan_violations(service_plan_id or "", frozenset(), "servicePlanId")
        or ([] if service_plan_id else [FieldViolation("servicePlanId", "required")]),
        "the service plan id is not valid",
    )
    with uows() as uow:
        uow.imported.service_plans.add(service_plan_id, clock.now())
        uow.commit()


def delete_service_plan(service_plan_id: str, uows: UnitOfWorkFactory) -> None:
    with uows() as uow:
        if not uow.imported.service_plans.delete(service_plan_id):
            raise NotFound("ServicePlan", service_plan_id)
        uow.commit()

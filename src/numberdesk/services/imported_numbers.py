"""Imported numbers: list, import, get, PATCH (displayName, link/unlink), delete, and the simulated
SMS platform / campaign registry acting on pending links (job `imported.link`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from numberdesk.domain.carrier_simulator import CarrierStep, first_failure
from numberdesk.domain.errors import Conflict, NotFound
from numberdesk.domain.imported_numbers import (
    ImportedNumber,
    ImportedNumberChanges,
    ImportedNumberFilter,
    LinkState,
    SmsLinkKind,
)
from numberdesk.domain.imported_numbers_requests import SERVICE_PLAN_FIELD, parse_update_mask
from numberdesk.services import carrier_simulator
from numberdesk.services.imported_events import record
from numberdesk.services.imported_paging import Page, paginate
from numberdesk.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from numberdesk.services.timers import JobHandler

LINK_JOB = "imported.link"


@dataclass(frozen=True)
class ImportCommand:
    phone_number: str | None
    region_code: str | None
    service_plan_id: str | None
    campaign_id: str | None = None
    display_name: str | None = None
    callback_url: str | None = None
    migrate_to_sinch_tmo: bool = False


def _not_found(phone_number: str) -> NotFound:
    return NotFound("ImportedNumber", phone_number, "The imported number could not be found.")


def _owned(uow: UnitOfWork, project_id: str, phone_number: str) -> ImportedNumber:
    number = uow.imported.numbers.get(phone_number)
    if number is None or number.project_id != project_id:
        raise _not_found(phone_number)
    return number


def _save(uow: UnitOfWork, number: ImportedNumber) -> None:
    if not uow.imported.numbers.save(number):
        raise Conflict(f"imported number {number.phone_number} changed concurrently; retry")


def schedule_link(uow: UnitOfWork, number: ImportedNumber, now: datetime) -> None:
    if number.pending_link() is None:
        uow.jobs.cancel(LINK_JOB, number.phone_number)
    else:
        due = carrier_simulator.step_due(uow, now)
        uow.jobs.schedule(LINK_JOB, number.phone_number, due)


def import_number(
    project_id: str, command: ImportCommand, uows: UnitOfWorkFactory, clock: Clock
) -> ImportedNumber:
    now = clock.now()
    with uows() as uow:
        number = ImportedNumber.create(
            project_id=project_id,
            phone_number=command.phone_number,
            region_code=command.region_code,
            service_plan_id=command.service_plan_id,
            now=now,
            campaign_id=command.campaign_id,
            display_name=command.display_name,
            callback_url=command.callback_url,
            migrate_to_sinch_tmo=command.migrate_to_sinch_tmo,
        )
        carrier_simulator.check_service_plan(uow, command.service_plan_id, SERVICE_PLAN_FIELD)
        uow.imported.numbers.add(number)
        schedule_link(uow, number, now)
        record(uow, number.events, number.callback_url)
        uow.commit()
    return number


def get(project_id: str, phone_number: str, uows: UnitOfWorkFactory) -> ImportedNumber:
    with uows(readonly=True) as uow:
        return _owned(uow, project_id, phone_number)


ORDER_KEYS = {
    "phonenumber": lambda n: (n.phone_number,),
    "displayname": lambda n: (n.display_name, n.phone_number),
    "createdtime": lambda n: (n.created_time.isoformat(), n.phone_number),
}


def list_numbers(
    project_id: str,
    criteria: ImportedNumberFilter,
    order_by: str,
    page_size: int | None,
    page_token: str | None,
    uows: UnitOfWorkFactory,
) -> Page[ImportedNumber]:
    """`order_by` is a key of ORDER_KEYS (the route validates it); the phone number breaks ties."""
    with uows(readonly=True) as uow:
        numbers = [n for n in uow.imported.numbers.list_for_project(project_id) if n.matches(criteria)]
    numbers.sort(key=ORDER_KEYS[order_by])
    return paginate(numbers, page_size, page_token)


def update(
    project_id: str,
    phone_number: str,
    changes: ImportedNumberChanges,
    update_mask: str | None,
    uows: UnitOfWorkFactory,
    clock: Clock,
) -> ImportedNumber:
    now = clock.now()
    paths = parse_update_mask(update_mask)
    with uows() as uow:
        number = _owned(uow, project_id, phone_number)
        if SERVICE_PLAN_FIELD in paths and changes.service_plan_id:
            carrier_simulator.check_service_plan(uow, changes.service_plan_id, SERVICE_PLAN_FIELD)
        number.update(changes, update_mask, now)
        _save(uow, number)
        schedule_link(uow, number, now)
        record(uow, number.events, number.callback_url)
        uow.commit()
    return number


def delete(project_id: str, phone_number: str, uows: UnitOfWorkFactory, clock: Clock) -> None:
    with uows() as uow:
        number = _owned(uow, project_id, phone_number)
        number.delete(clock.now())
        if not uow.imported.numbers.delete(phone_number):
            raise Conflict(f"imported number {phone_number} changed concurrently; retry")
        uow.jobs.cancel(LINK_JOB, phone_number)
        record(uow, number.events, number.callback_url)
        uow.commit()


def add_hosted(uow: UnitOfWork, number: ImportedNumber) -> bool:
    """A completed hosting order's number becomes an imported number (unless one exists)."""
    if uow.imported.numbers.get(number.phone_number) is not None:
        return False
    uow.imported.numbers.add(number)
    return True


# -- the simulated SMS platform and campaign registry -------------------------------------------------


def job_handlers() -> dict[str, JobHandler]:
    return {LINK_JOB: link_job}


def link_job(uow: UnitOfWork, ref: str, now: datetime) -> None:
    number = uow.imported.numbers.get(ref)
    if number is None:
        return
    kind = number.pending_link()
    if kind is None:
        return
    rules = uow.imported.carrier.rules()
    if kind is SmsLinkKind.SERVICE_PLAN:
        plan = number.service_plan.target_id or number.service_plan.linked_id
        failure = first_failure(rules, CarrierStep.PLATFORM_PROVISIONING, number.phone_number, plan)
        number.record_service_plan_result(now, succeeded=failure is None)
    else:
        campaign = number.campaign.target_id or number.campaign.linked_id
        failure = first_failure(rules, CarrierStep.CAMPAIGN_PROVISIONING, number.phone_number, campaign)
        linking = number.campaign.state is LinkState.LINK_PENDING
        if failure is None and linking and not number.migrate_to_sinch_tmo:
            failure = first_failure(rules, CarrierStep.TMO_ASSIGNED, number.phone_number)
        number.record_campaign_result(now, succeeded=failure is None, failure_code=failure)
    _save(uow, number)
    schedule_link(uow, number, now)
    record(uow, number.events, number.callback_url)

"""Hosting orders: importNumbers, textEnableNumbers, textEnableTollFreeNumbers (from either base
path), reads, and the simulated carriers that move them.

Jobs: `hosting.accept` (SUBMITTED -> WAITING_FOR_LOA_SIGNATURE, or IN_PROGRESS for imports and
blanket LOAs) and `hosting.step` (each number's next step; OSR updates not before
`scheduledOsrUpdateTime`). When an order completes, its provisioned numbers become imported
numbers and the qualified numbers it hosts learn the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from numberdesk.domain.carrier_simulator import CarrierStep, first_failure
from numberdesk.domain.errors import AlreadyExists, Conflict, NotFound
from numberdesk.domain.hosting_orders import HostingOrder, HostingOrderFilter, HostingOrderState
from numberdesk.domain.hosting_orders_loa import LetterOfAuthorisation
from numberdesk.domain.hosting_orders_numbers import (
    HostingOrderNumber,
    HostingOrderNumberFilter,
    HostingOrderReport,
    NumberStep,
    StepState,
)
from numberdesk.domain.imported_events import FailureCode
from numberdesk.domain.imported_numbers import ImportedNumber
from numberdesk.domain.qualified_numbers import ensure_ready_for_hosting
from numberdesk.services import carrier_simulator, imported_numbers
from numberdesk.services.ids import new_id
from numberdesk.services.imported_events import record
from numberdesk.services.imported_paging import Page, paginate
from numberdesk.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from numberdesk.services.timers import JobHandler

ACCEPT_JOB = "hosting.accept"
STEP_JOB = "hosting.step"
# The NNID text-enable orders use unless the request or the operator (per project) names another.
DEFAULT_NNID = "SINCH"
_OPEN = frozenset(
    {HostingOrderState.SUBMITTED, HostingOrderState.WAITING_FOR_LOA_SIGNATURE, HostingOrderState.IN_PROGRESS}
)


@dataclass(frozen=True)
class ImportOrderCommand:
    region_code: str | None
    numbers: Sequence[str]
    service_plan_id: str | None
    campaign_id: str | None = None
    display_name: str | None = None
    callback_url: str | None = None
    migrate_to_sinch_tmo: bool = False


@dataclass(frozen=True)
class TextEnableCommand:
    region_code: str | None
    numbers: Sequence[str]
    service_plan_id: str | None
    loa: LetterOfAuthorisation | None
    nnid: str | None = None
    campaign_id: str | None = None
    display_name: str | None = None
    callback_url: str | None = None
    scheduled_osr_update_time: datetime | None = None
    migrate_to_sinch_tmo: bool = False
    toll_free: bool = False


def _not_found(hosting_order_id: str) -> NotFound:
    return NotFound("HostingOrder", hosting_order_id, "The hosting order could not be found.")


def _owned(uow: UnitOfWork, project_id: str, hosting_order_id: str) -> HostingOrder:
    order = uow.imported.orders.get(hosting_order_id)
    if order is None or order.project_id != project_id:
        raise _not_found(hosting_order_id)
    return order


def _save(uow: UnitOfWork, order: HostingOrder) -> None:
    if not uow.imported.orders.save(order):
        raise Conflict(f"hosting order {order.hosting_order_id} changed concurrently; retry")


def _check_free(uow: UnitOfWork, project_id: str, numbers: Sequence[str]) -> None:
    """409 when a number is imported already, or in one of the project's open orders."""
    for number in numbers:
        if uow.imported.numbers.get(number) is not None:
            raise AlreadyExists("ImportedNumber", number, f"{number} is already imported")
    busy = {
        n.phone_number
        for order in uow.imported.orders.list_for_project(project_id)
        if order.state in _OPEN
        for n in order.numbers
    }
    for number in numbers:
        if number in busy:
            raise AlreadyExists("HostingOrderNumber", number, f"{number} is in an open hosting order")


def _submit(uow: UnitOfWork, order: HostingOrder, now: datetime) -> None:
    carrier_simulator.check_service_plan(uow, order.service_plan_id, "servicePlanId")
    _check_free(uow, order.project_id, [n.phone_number for n in order.numbers])
    uow.imported.orders.add(order)
    uow.jobs.schedule(ACCEPT_JOB, order.hosting_order_id, carrier_simulator.step_due(uow, now))


def import_numbers(
    project_id: str, command: ImportOrderCommand, uows: UnitOfWorkFactory, clock: Clock
) -> HostingOrder:
    now = clock.now()
    with uows() as uow:
        limit = uow.imported.settings.get(project_id).import_number_limit
        order = HostingOrder.import_numbers(
            hosting_order_id=new_id(),
            project_id=project_id,
            region_code=command.region_code,
            numbers=command.numbers,
            service_plan_id=command.service_plan_id,
            now=now,
            campaign_id=command.campaign_id,
            display_name=command.display_name,
            callback_url=command.callback_url,
            migrate_to_sinch_tmo=command.migrate_to_sinch_tmo,
            number_limit=limit,
        )
        _submit(uow, order, now)
        record(uow, order.events, order.callback_url)
        uow.commit()
    return order


def text_enable(
    project_id: str,
    command: TextEnableCommand,
    uows: UnitOfWorkFactory,
    clock: Clock,
    *,
    qualified: bool = False,
) -> HostingOrder:
    """`qualified=True` for the qualifiedNumbers:* operations: every number must be a verified
    qualified number of the project, and moves to HOSTING_IN_PROGRESS with the order."""
    now = clock.now()
    with uows() as uow:
        settings = uow.imported.settings.get(project_id)
        order = HostingOrder.text_enable(
            hosting_order_id=new_id(),
            project_id=project_id,
            region_code=command.region_code,
            numbers=command.numbers,
            service_plan_id=command.service_plan_id,
            loa=command.loa,
            nnid=command.nnid or settings.nnid or DEFAULT_NNID,
            now=now,
            campaign_id=command.campaign_id,
            display_name=command.display_name,
            callback_url=command.callback_url,
            scheduled_osr_update_time=command.scheduled_osr_update_time,
            migrate_to_sinch_tmo=command.migrate_to_sinch_tmo,
            toll_free=command.toll_free,
            blanket_loa_approved=settings.blanket_loa_approved,
        )
        if qualified:
            found = {
                phone: q
                for phone in command.numbers
                if (q := uow.imported.qualified.get(project_id, phone)) is not None
            }
            for number in ensure_ready_for_hosting(command.numbers, found):
                number.start_hosting(order.hosting_order_id, now)
                if not uow.imported.qualified.save(number):
                    raise Conflict(f"qualified number {number.phone_number} changed concurrently; retry")
        _submit(uow, order, now)
        record(uow, order.events, order.callback_url)
        uow.commit()
    return order


# -- reads ----------------------------------------------------------------------------------------------


def get(project_id: str, hosting_order_id: str, uows: UnitOfWorkFactory) -> HostingOrder:
    with uows(readonly=True) as uow:
        return _owned(uow, project_id, hosting_order_id)


def get_any(hosting_order_id: str, uows: UnitOfWorkFactory) -> HostingOrder:
    with uows(readonly=True) as uow:
        order = uow.imported.orders.get(hosting_order_id)
    if order is None:
        raise _not_found(hosting_order_id)
    return order


def report(project_id: str, hosting_order_id: str, uows: UnitOfWorkFactory) -> HostingOrderReport:
    return get(project_id, hosting_order_id, uows).report()


ORDER_KEYS = {
    "createdtime": lambda o: (o.created_time.isoformat(), o.hosting_order_id),
    "updatedtime": lambda o: (o.updated_time.isoformat(), o.hosting_order_id),
    "displayname": lambda o: (o.display_name, o.hosting_order_id),
    "hostingorderid": lambda o: (o.hosting_order_id,),
}
NUMBER_ORDER_KEYS = {"phonenumber": lambda n: (n.phone_number,)}


def list_orders(
    project_id: str,
    criteria: HostingOrderFilter,
    order_by: str,
    descending: bool,
    page_size: int | None,
    page_token: str | None,
    uows: UnitOfWorkFactory,
) -> Page[HostingOrder]:
    with uows(readonly=True) as uow:
        orders = [o for o in uow.imported.orders.list_for_project(project_id) if criteria.matches(o)]
    orders.sort(key=ORDER_KEYS[order_by], reverse=descending)
    return paginate(orders, page_size, page_token)


def list_numbers(
    project_id: str,
    hosting_order_id: str,
    criteria: HostingOrderNumberFilter,
    descending: bool,
    page_size: int | None,
    page_token: str | None,
    uows: UnitOfWorkFactory,
) -> Page[HostingOrderNumber]:
    order = get(project_id, hosting_order_id, uows)
    numbers = sorted(
        (n for n in order.numbers if criteria.matches(n)), key=lambda n: n.phone_number, reverse=descending
    )
    return paginate(numbers, page_size, page_token)


def get_number(
    project_id: str, hosting_order_id: str, phone_number: str, uows: UnitOfWorkFactory
) -> HostingOrderNumber:
    return get(project_id, hosting_order_id, uows).number(phone_number)


# -- the order's life (carriers and the operator) -------------------------------------------------------


def _schedule_steps(uow: UnitOfWork, order: HostingOrder, now: datetime) -> None:
    if order.state is not HostingOrderState.IN_PROGRESS:
        uow.jobs.cancel(STEP_JOB, order.hosting_order_id)
        return
    due = carrier_simulator.step_due(uow, now)
    nexts = [which for n in order.numbers if (which := n.next_step()) is not None]
    osr_time = order.scheduled_osr_update_time
    if nexts and all(w is NumberStep.OSR_UPDATE for w in nexts) and osr_time is not None and osr_time > due:
        due = osr_time
    uow.jobs.schedule(STEP_JOB, order.hosting_order_id, due)


def _finish(uow: UnitOfWork, order: HostingOrder, now: datetime) -> None:
    """A completed or rejected order: provisioned numbers become imported numbers; the qualified
    numbers it hosts learn the result."""
    for number in order.numbers:
        if (
            order.state is HostingOrderState.COMPLETED
            and number.platform_provisioning.state is StepState.DONE
        ):
            campaign = number.campaign_provisioning
            hosted = ImportedNumber.hosted(
                project_id=order.project_id,
                phone_number=number.phone_number,
                region_code=order.region_code,
                service_plan_id=order.service_plan_id,
                now=now,
                campaign_id=order.campaign_id if campaign and campaign.state is StepState.DONE else "",
                display_name=order.display_name,
                callback_url=order.callback_url,
                migrate_to_sinch_tmo=order.migrate_to_sinch_tmo,
            )
            imported_numbers.add_hosted(uow, hosted)
        qualified = uow.imported.qualified.get(order.project_id, number.phone_number)
        if qualified is not None and qualified.hosting_order_id == order.hosting_order_id:
            succeeded = order.state is HostingOrderState.COMPLETED and number.succeeded
            error = "" if succeeded else (number.failure_code or FailureCode.NUMBER_PROVISIONING_FAILED).value
            qualified.record_hosting_result(now, succeeded=succeeded, error=error)
            if not uow.imported.qualified.save(qualified):
                raise Conflict(f"qualified number {qualified.phone_number} changed concurrently; retry")


def _after_change(uow: UnitOfWork, order: HostingOrder, now: datetime) -> None:
    if order.state in (HostingOrderState.COMPLETED, HostingOrderState.REJECTED):
        _finish(uow, order, now)
    _save(uow, order)
    _schedule_steps(uow, order, now)
    record(uow, order.events, order.callback_url)


def accept_job(uow: UnitOfWork, ref: str, now: datetime) -> None:
    order = uow.imported.orders.get(ref)
    if order is None or order.state is not HostingOrderState.SUBMITTED:
        return
    order.accept(now)
    _after_change(uow, order, now)


def _carrier_failure(
    order: HostingOrder, number: HostingOrderNumber, which: NumberStep, uow: UnitOfWork
) -> FailureCode | None:
    rules = uow.imported.carrier.rules()
    step = number.step(which)
    reference = step.reference if step else ""
    phone = number.phone_number
    if which is NumberStep.OSR_UPDATE:
        return first_failure(rules, CarrierStep.OSR_UPDATE, phone, reference)
    if which is NumberStep.PLATFORM_PROVISIONING:
        return first_failure(rules, CarrierStep.PLATFORM_PROVISIONING, phone, reference)
    failure = first_failure(rules, CarrierStep.CAMPAIGN_PROVISIONING, phone, reference)
    if failure is None and not order.migrate_to_sinch_tmo:
        failure = first_failure(rules, CarrierStep.TMO_ASSIGNED, phone)
    return failure


def _apply(
    order: HostingOrder, phone: str, which: NumberStep, failure: FailureCode | None, now: datetime
) -> None:
    ok = failure is None
    if which is NumberStep.OSR_UPDATE:
        order.record_osr_update(phone, now, succeeded=ok)
    elif which is NumberStep.PLATFORM_PROVISIONING:
        order.record_platform_provisioning(phone, now, succeeded=ok)
    else:
        order.record_campaign_provisioning(phone, now, succeeded=ok, failure_code=failure)


def job_handlers() -> dict[str, JobHandler]:
    return {ACCEPT_JOB: accept_job, STEP_JOB: step_job}


def step_job(uow: UnitOfWork, ref: str, now: datetime) -> None:
    """Each number's next due step, succeeding or failing by the operator's rules."""
    order = uow.imported.orders.get(ref)
    if order is None or order.state is not HostingOrderState.IN_PROGRESS:
        return
    for phone, which in order.due_steps(now):
        number = order.number(phone)
        _apply(order, phone, which, _carrier_failure(order, number, which, uow), now)
        if order.state is not HostingOrderState.IN_PROGRESS:
            break
    _after_change(uow, order, now)


def sign_loa(hosting_order_id: str, uows: UnitOfWorkFactory, clock: Clock) -> HostingOrder:
    now = clock.now()
    with uows() as uow:
        order = uow.imported.orders.get(hosting_order_id)
        if order is None:
            raise _not_found(hosting_order_id)
        order.sign_loa(now)
        _after_change(uow, order, now)
        uow.commit()
    return order


def reject(hosting_order_id: str, reason: str, uows: UnitOfWorkFactory, clock: Clock) -> HostingOrder:
    now = clock.now()
    with uows() as uow:
        order = uow.imported.orders.get(hosting_order_id)
        if order is None:
            raise _not_found(hosting_order_id)
        order.reject(now, reason)
        _after_change(uow, order, now)
        uow.commit()
    return order


def step_now(hosting_order_id: str, uows: UnitOfWorkFactory, clock: Clock) -> HostingOrder:
    """Operator: do the due steps now instead of waiting for the simulator's delay."""
    with uows() as uow:
        if uow.imported.orders.get(hosting_order_id) is None:
            raise _not_found(hosting_order_id)
        step_job(uow, hosting_order_id, clock.now())
        uow.commit()
    return get_any(hosting_order_id, uows)


def fail_step(
    hosting_order_id: str, phone_number: str, failure_code: FailureCode, uows: UnitOfWorkFactory, clock: Clock
) -> HostingOrder:
    """Operator: fail a number's next step now with `failure_code`."""
    now = clock.now()
    with uows() as uow:
        order = uow.imported.orders.get(hosting_order_id)
        if order is None:
            raise _not_found(hosting_order_id)
        which = order.number(phone_number).next_step()
        if which is None or order.state is not HostingOrderState.IN_PROGRESS:
            raise Conflict(f"{phone_number} has no step in progress")
        _apply(order, phone_number, which, failure_code, now)
        _after_change(uow, order, now)
        uow.commit()
    return order

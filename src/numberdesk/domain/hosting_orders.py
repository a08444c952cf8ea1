"""Hosting orders: a batch of numbers imported or text-enabled on the SMS platform.

DRAFT -> SUBMITTED -> WAITING_FOR_LOA_SIGNATURE -> IN_PROGRESS -> COMPLETED, with REJECTED
possible until the order completes. Import orders and blanket-LOA orders skip the signature.
While IN_PROGRESS the provider reports each number's steps (see `hosting_orders_numbers`); the
order completes once every step of every number is DONE or FAILED.

`scheduled_osr_update_time` holds the OSR updates back until it has passed. If the order only
starts (LOA signed) after that time, the updates move to the next day at the same time of day.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Final

from numberdesk.domain.errors import Conflict, FieldViolation, InvalidTransition, NotFound
from numberdesk.domain.hosting_orders_loa import LOA_FIELDS, LetterOfAuthorisation, LoaType
from numberdesk.domain.hosting_orders_numbers import (
    HostingOrderNumber,
    HostingOrderReport,
    NumberStep,
    Step,
    StepState,
    build_report,
)
from numberdesk.domain.imported_events import DomainEvent, FailureCode, ResourceType
from numberdesk.domain.imported_phone_numbers import (
    numbers_violations,
    raise_if_invalid,
    region_code_violations,
    toll_free_violations,
)

DEFAULT_IMPORT_NUMBER_LIMIT: Final = 5
MAX_TEXT_ENABLE_NUMBERS: Final = 500


class HostingOrderState(StrEnum):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    WAITING_FOR_LOA_SIGNATURE = "WAITING_FOR_LOA_SIGNATURE"
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"
    REJECTED = "REJECTED"


TRANSITIONS: Final[Mapping[HostingOrderState, frozenset[HostingOrderState]]] = {
    HostingOrderState.DRAFT: frozenset({HostingOrderState.SUBMITTED}),
    HostingOrderState.SUBMITTED: frozenset(
        {
            HostingOrderState.WAITING_FOR_LOA_SIGNATURE,
            HostingOrderState.IN_PROGRESS,
            HostingOrderState.REJECTED,
        }
    ),
    HostingOrderState.WAITING_FOR_LOA_SIGNATURE: frozenset(
        {HostingOrderState.IN_PROGRESS, HostingOrderState.REJECTED}
    ),
    HostingOrderState.IN_PROGRESS: frozenset({HostingOrderState.COMPLETED, HostingOrderState.REJECTED}),
    HostingOrderState.COMPLETED: frozenset(),
    HostingOrderState.REJECTED: frozenset(),
}

_EVENT_NAMES: Final[Mapping[HostingOrderState, str]] = {
    HostingOrderState.SUBMITTED: "HostingOrderSubmitted",
    HostingOrderState.WAITING_FOR_LOA_SIGNATURE: "LoaSignatureRequested",
    HostingOrderState.IN_PROGRESS: "HostingOrderStarted",
    HostingOrderState.COMPLETED: "HostingOrderCompleted",
    HostingOrderState.REJECTED: "HostingOrderRejected",
}


class HostingOrderType(StrEnum):
    IMPORT = "IMPORT"
    TYPE_TEXT_ENABLE = "TYPE_TEXT_ENABLE"


@dataclass(frozen=True)
class HostingOrderFilter:
    """List filters; an empty `states` matches every state."""

    states: frozenset[HostingOrderState] = frozenset()
    order_type: HostingOrderType | None = None
    service_plan_id: str | None = None
    campaign_id: str | None = None
    region_code: str | None = None

    def matches(self, order: HostingOrder) -> bool:
        return (
            (not self.states or order.state in self.states)
            and (self.order_type is None or order.order_type is self.order_type)
            and (not self.service_plan_id or order.service_plan_id == self.service_plan_id)
            and (not self.campaign_id or order.campaign_id == self.campaign_id)
            and (not self.region_code or order.region_code == self.region_code)
        )


def reschedule_osr_update(scheduled: datetime, started: datetime) -> datetime:
    """The scheduled time if it is still ahead, else the day after `started` at its time of day."""
    scheduled, started = scheduled.astimezone(UTC), started.astimezone(UTC)
    if started <= scheduled:
        return scheduled
    return datetime.combine(started.date() + timedelta(days=1), scheduled.timetz())


@dataclass(eq=False)
class HostingOrder:
    project_id: str
    hosting_order_id: str
    order_type: HostingOrderType
    region_code: str
    service_plan_id: str
    created_time: datetime
    updated_time: datetime
    display_name: str = ""
    campaign_id: str = ""
    callback_url: str = ""
    migrate_to_sinch_tmo: bool = False
    toll_free: bool = False
    nnid: str = ""
    loa: LetterOfAuthorisation | None = None
    scheduled_osr_update_time: datetime | None = None
    loa_signed_time: datetime | None = None
    rejection_reason: str = ""
    state: HostingOrderState = HostingOrderState.DRAFT
    numbers: list[HostingOrderNumber] = field(default_factory=list)
    events: list[DomainEvent] = field(default_factory=list)

    @classmethod
    def import_numbers(
        cls,
        *,
        hosting_order_id: str,
        project_id: str,
        region_code: str | None,
        numbers: Sequence[str],
        service_plan_id: str | None,
        now: datetime,
        campaign_id: str | None = None,
        display_name: str | None = None,
        callback_url: str | None = None,
        migrate_to_sinch_tmo: bool = False,
        number_limit: int = DEFAULT_IMPORT_NUMBER_LIMIT,
    ) -> HostingOrder:
        """`hostingOrders:importNumbers`. `number_limit` is 5 unless the operator raised it for the
        project. The order comes back SUBMITTED."""
        violations = region_code_violations(region_code)
        violations += numbers_violations(numbers, region_code, limit=number_limit)
        violations += _required(servicePlanId=service_plan_id)
        raise_if_invalid(violations, "the import order is not valid")
        order = cls._draft(
            HostingOrderType.IMPORT,
            hosting_order_id=hosting_order_id,
            project_id=project_id,
            region_code=region_code or "",
            service_plan_id=service_plan_id or "",
            campaign_id=campaign_id or "",
            display_name=display_name or "",
            callback_url=callback_url or "",
            migrate_to_sinch_tmo=migrate_to_sinch_tmo,
            now=now,
        )
        order._add_numbers(numbers, nnid=None)
        order._move_to(HostingOrderState.SUBMITTED, now)
        return order

    @classmethod
    def text_enable(
        cls,
        *,
        hosting_order_id: str,
        project_id: str,
        region_code: str | None,
        numbers: Sequence[str],
        service_plan_id: str | None,
        loa: LetterOfAuthorisation | None,
        nnid: str,
        now: datetime,
        campaign_id: str | None = None,
        display_name: str | None = None,
        callback_url: str | None = None,
        scheduled_osr_update_time: datetime | None = None,
        migrate_to_sinch_tmo: bool = False,
        toll_free: bool = False,
        blanket_loa_approved: bool = False,
    ) -> HostingOrder:
        """`textEnableNumbers` / `textEnableTollFreeNumbers` (either base path). `nnid` is the
        request's or the project's default; for toll-free orders pass the Zipwhip provisioning
        time as `scheduled_osr_update_time`. The order comes back SUBMITTED."""
        violations = region_code_violations(region_code)
        violations += numbers_violations(numbers, region_code, limit=MAX_TEXT_ENABLE_NUMBERS)
        violations += _required(servicePlanId=service_plan_id, nnid=nnid)
        violations += toll_free_violations(numbers, toll_free=toll_free)
        if toll_free and campaign_id:
            violations.append(FieldViolation("campaignId", "toll-free numbers have no 10DLC campaign"))
        if loa is None:
            violations.append(
                FieldViolation("directLoaInfo", "a direct, reseller or blanket LOA is required")
            )
        else:
            violations += loa.violations()
            if loa.loa_type is LoaType.BLANKET and not blanket_loa_approved:
                violations.append(
                    FieldViolation(LOA_FIELDS[LoaType.BLANKET], "the project has no approved blanket LOA")
                )
        if scheduled_osr_update_time is not None and scheduled_osr_update_time.tzinfo is None:
            violations.append(FieldViolation("scheduledOsrUpdateTime", "must be a UTC timestamp"))
        raise_if_invalid(violations, "the text-enable order is not valid")
        order = cls._draft(
            HostingOrderType.TYPE_TEXT_ENABLE,
            hosting_order_id=hosting_order_id,
            project_id=project_id,
            region_code=region_code or "",
            service_plan_id=service_plan_id or "",
            campaign_id=campaign_id or "",
            display_name=display_name or "",
            callback_url=callback_url or "",
            migrate_to_sinch_tmo=migrate_to_sinch_tmo,
            now=now,
        )
        order.toll_free, order.nnid, order.loa = toll_free, nnid, loa
        if scheduled_osr_update_time is not None:
            order.scheduled_osr_update_time = scheduled_osr_update_time.astimezone(UTC)
        order._add_numbers(numbers, nnid=nnid)
        order._move_to(HostingOrderState.SUBMITTED, now)
        return order

    # -- reading ------------------------------------------------------------------------------

    @property
    def requires_loa_signature(self) -> bool:
        return self.loa is not None and self.loa.requires_signature

    def number(self, phone_number: str) -> HostingOrderNumber:
        for number in self.numbers:
            if number.phone_number == phone_number:
                return number
        raise NotFound("HostingOrderNumber", phone_number)

    def report(self) -> HostingOrderReport:
        return build_report(
            self.numbers, awaiting_signature=self.state is HostingOrderState.WAITING_FOR_LOA_SIGNATURE
        )

    def osr_update_due(self, now: datetime) -> bool:
        return self.scheduled_osr_update_time is None or now >= self.scheduled_osr_update_time

    def due_steps(self, now: datetime) -> list[tuple[str, NumberStep]]:
        """What the provider can do now: the next step of each number, OSR updates once due."""
        if self.state is not HostingOrderState.IN_PROGRESS:
            return []
        due = []
        for number in self.numbers:
            which = number.next_step()
            if which is None or (which is NumberStep.OSR_UPDATE and not self.osr_update_due(now)):
                continue
            due.append((number.phone_number, which))
        return due

    # -- the order's life ---------------------------------------------------------------------

    def accept(self, now: datetime) -> None:
        """The provider took the order: wait for the LOA signature, or start at once."""
        if self.requires_loa_signature:
            self._move_to(HostingOrderState.WAITING_FOR_LOA_SIGNATURE, now)
        else:
            self._start(now)

    def sign_loa(self, now: datetime) -> None:
        if self.state is not HostingOrderState.WAITING_FOR_LOA_SIGNATURE:
            raise InvalidTransition("HostingOrder", self.state.value, HostingOrderState.IN_PROGRESS.value)
        self.loa_signed_time = now
        self._start(now)

    def reject(self, now: datetime, reason: str = "") -> None:
        """Reject the order; every step still waiting fails (and sends its failure callback)."""
        self._move_to(HostingOrderState.REJECTED, now)
        self.rejection_reason = reason
        for number in self.numbers:
            for which, step in number.steps:
                if step.state is StepState.WAITING:
                    code = FailureCode.NUMBER_PROVISIONING_FAILED
                    self.events.append(number._move_to(which, StepState.FAILED, now, failure_code=code))

    def record_osr_update(self, phone_number: str, now: datetime, *, succeeded: bool) -> None:
        if not self.osr_update_due(now):
            raise Conflict(f"the OSR update is scheduled for {self.scheduled_osr_update_time}")
        self._record(phone_number, NumberStep.OSR_UPDATE, now, succeeded=succeeded)

    def record_platform_provisioning(self, phone_number: str, now: datetime, *, succeeded: bool) -> None:
        self._record(phone_number, NumberStep.PLATFORM_PROVISIONING, now, succeeded=succeeded)

    def record_campaign_provisioning(
        self,
        phone_number: str,
        now: datetime,
        *,
        succeeded: bool,
        failure_code: FailureCode | None = None,
    ) -> None:
        self._record(
            phone_number,
            NumberStep.CAMPAIGN_PROVISIONING,
            now,
            succeeded=succeeded,
            failure_code=failure_code,
        )

    # -- internals ----------------------------------------------------------------------------

    @classmethod
    def _draft(
        cls,
        order_type: HostingOrderType,
        *,
        hosting_order_id: str,
        project_id: str,
        region_code: str,
        service_plan_id: str,
        campaign_id: str,
        display_name: str,
        callback_url: str,
        migrate_to_sinch_tmo: bool,
        now: datetime,
    ) -> HostingOrder:
        return cls(
            project_id=project_id,
            hosting_order_id=hosting_order_id,
            order_type=order_type,
            region_code=region_code,
            service_plan_id=service_plan_id,
            created_time=now,
            updated_time=now,
            display_name=display_name,
            campaign_id=campaign_id,
            callback_url=callback_url,
            migrate_to_sinch_tmo=migrate_to_sinch_tmo,
        )

    def _add_numbers(self, phone_numbers: Sequence[str], *, nnid: str | None) -> None:
        self.numbers = [
            HostingOrderNumber(
                project_id=self.project_id,
                hosting_order_id=self.hosting_order_id,
                phone_number=phone_number,
                osr_update=Step(nnid) if nnid is not None else None,
                platform_provisioning=Step(self.service_plan_id),
                campaign_provisioning=Step(self.campaign_id) if self.campaign_id else None,
            )
            for phone_number in phone_numbers
        ]

    def _start(self, now: datetime) -> None:
        self._move_to(HostingOrderState.IN_PROGRESS, now)
        if self.scheduled_osr_update_time is not None:
            self.scheduled_osr_update_time = reschedule_osr_update(self.scheduled_osr_update_time, now)

    def _record(
        self,
        phone_number: str,
        which: NumberStep,
        now: datetime,
        *,
        succeeded: bool,
        failure_code: FailureCode | None = None,
    ) -> None:
        if self.state is not HostingOrderState.IN_PROGRESS:
            raise Conflict(f"hosting order {self.hosting_order_id} is {self.state.value}, not IN_PROGRESS")
        number = self.number(phone_number)
        if number.next_step() is not which:
            raise Conflict(f"{phone_number} is not ready for {which.value}")
        target = StepState.DONE if succeeded else StepState.FAILED
        self.events.append(number._move_to(which, target, now, failure_code=failure_code))
        if not succeeded:  # the later steps cannot happen any more
            for later, step in number.steps:
                if step.state is StepState.WAITING:
                    code = FailureCode.NUMBER_PROVISIONING_FAILED
                    self.events.append(number._move_to(later, StepState.FAILED, now, failure_code=code))
        self.updated_time = now
        if all(n.is_settled for n in self.numbers):
            self._move_to(HostingOrderState.COMPLETED, now)

    def _move_to(self, target: HostingOrderState, now: datetime) -> None:
        previous = self.state
        if target not in TRANSITIONS[previous]:
            raise InvalidTransition("HostingOrder", previous.value, target.value)
        self.state = target
        self.updated_time = now
        self.events.append(
            DomainEvent(
                name=_EVENT_NAMES[target],
                project_id=self.project_id,
                resource_type=ResourceType.HOSTING_ORDER,
                resource_id=self.hosting_order_id,
                status=target.value,
                previous_status=previous.value,
                occurred_at=now,
                hosting_order_id=self.hosting_order_id,
            )
        )


def _required(**values: str | None) -> list[FieldViolation]:
    return [FieldViolation(name, "required") for name, value in values.items() if not value]

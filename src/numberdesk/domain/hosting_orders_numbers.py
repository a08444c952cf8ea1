"""The numbers of a hosting order: three provisioning steps each, and the report derived from them.

Each number runs `osrUpdate` (carrier records point at the NNID; text-enable orders only), then
`platformProvisioning` (link to the service plan), then `campaignProvisioning` (link to the 10DLC
campaign, when the order has one). Every step moves WAITING -> DONE | FAILED once. The report is
computed from the numbers every time; no count is ever stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final

from numberdesk.domain.errors import InvalidTransition
from numberdesk.domain.imported_events import (
    CallbackEventType,
    DomainEvent,
    FailureCode,
    ResourceType,
    outcome_status,
)


class StepState(StrEnum):
    WAITING = "WAITING"
    DONE = "DONE"
    FAILED = "FAILED"


STEP_TRANSITIONS: Final[Mapping[StepState, frozenset[StepState]]] = {
    StepState.WAITING: frozenset({StepState.DONE, StepState.FAILED}),
    StepState.DONE: frozenset(),
    StepState.FAILED: frozenset(),
}


class NumberStep(StrEnum):
    OSR_UPDATE = "OSR_UPDATE"
    PLATFORM_PROVISIONING = "PLATFORM_PROVISIONING"
    CAMPAIGN_PROVISIONING = "CAMPAIGN_PROVISIONING"


# The OSR update has no callback event type in the seed.
_CALLBACK_TYPES: Final[Mapping[NumberStep, CallbackEventType | None]] = {
    NumberStep.OSR_UPDATE: None,
    NumberStep.PLATFORM_PROVISIONING: CallbackEventType.PROVISIONING_TO_SMS_PLATFORM,
    NumberStep.CAMPAIGN_PROVISIONING: CallbackEventType.LINK_TO_10DLC_CAMPAIGN,
}
_NOUNS: Final[Mapping[NumberStep, str]] = {
    NumberStep.OSR_UPDATE: "OsrUpdate",
    NumberStep.PLATFORM_PROVISIONING: "PlatformProvisioning",
    NumberStep.CAMPAIGN_PROVISIONING: "CampaignProvisioning",
}


@dataclass
class Step:
    """`reference` is the NNID, service plan id or campaign id the step works with."""

    reference: str
    state: StepState = StepState.WAITING


@dataclass(eq=False)
class HostingOrderNumber:
    project_id: str
    hosting_order_id: str
    phone_number: str
    platform_provisioning: Step
    osr_update: Step | None = None
    campaign_provisioning: Step | None = None
    failure_code: FailureCode | None = None  # why the campaign step failed

    def step(self, which: NumberStep) -> Step | None:
        if which is NumberStep.OSR_UPDATE:
            return self.osr_update
        if which is NumberStep.PLATFORM_PROVISIONING:
            return self.platform_provisioning
        return self.campaign_provisioning

    @property
    def steps(self) -> list[tuple[NumberStep, Step]]:
        return [(which, step) for which in NumberStep if (step := self.step(which)) is not None]

    @property
    def is_settled(self) -> bool:
        return all(step.state is not StepState.WAITING for _, step in self.steps)

    @property
    def succeeded(self) -> bool:
        return all(step.state is StepState.DONE for _, step in self.steps)

    def next_step(self) -> NumberStep | None:
        """The first WAITING step, if the steps before it are DONE."""
        for which, step in self.steps:
            if step.state is StepState.WAITING:
                return which
            if step.state is StepState.FAILED:
                return None
        return None

    def _move_to(
        self,
        which: NumberStep,
        target: StepState,
        now: datetime,
        *,
        failure_code: FailureCode | None = None,
    ) -> DomainEvent:
        """The one place a step changes; the hosting order records the returned event."""
        step = self.step(which)
        current = step.state.value if step else "ABSENT"
        if step is None or target not in STEP_TRANSITIONS[step.state]:
            raise InvalidTransition(f"HostingOrderNumber.{_NOUNS[which]}", current, target.value)
        step.state = target
        succeeded = target is StepState.DONE
        campaign_failure = which is NumberStep.CAMPAIGN_PROVISIONING and not succeeded
        if campaign_failure:
            self.failure_code = failure_code or FailureCode.CAMPAIGN_PROVISIONING_FAILED
        return DomainEvent(
            name=f"{_NOUNS[which]}{'Succeeded' if succeeded else 'Failed'}",
            project_id=self.project_id,
            resource_type=ResourceType.HOSTING_ORDER_NUMBER,
            resource_id=self.phone_number,
            status=outcome_status(succeeded).value,
            previous_status=current,
            occurred_at=now,
            event_type=_CALLBACK_TYPES[which],
            failure_code=self.failure_code if campaign_failure else None,
            hosting_order_id=self.hosting_order_id,
        )


@dataclass(frozen=True)
class HostingOrderNumberFilter:
    """The list filters; a filter on a step the number does not have never matches."""

    osr_update_state: StepState | None = None
    platform_provisioning_state: StepState | None = None
    campaign_provisioning_state: StepState | None = None

    def matches(self, number: HostingOrderNumber) -> bool:
        wanted = {
            NumberStep.OSR_UPDATE: self.osr_update_state,
            NumberStep.PLATFORM_PROVISIONING: self.platform_provisioning_state,
            NumberStep.CAMPAIGN_PROVISIONING: self.campaign_provisioning_state,
        }
        for which, state in wanted.items():
            step = number.step(which)
            if state is not None and (step is None or step.state is not state):
                return False
        return True


@dataclass(frozen=True)
class HostingOrderReport:
    total: int
    osr_updated: int
    sms_provisioned: int
    added_to_campaign: int
    ongoing_manual_action: int


def build_report(numbers: Iterable[HostingOrderNumber], *, awaiting_signature: bool) -> HostingOrderReport:
    """Counts of DONE steps. `ongoing_manual_action` counts the numbers held by a person: while the
    order waits for its LOA signature, every number that still has work to do."""
    numbers = list(numbers)

    def done(which: NumberStep) -> int:
        return sum(1 for n in numbers if (step := n.step(which)) is not None and step.state is StepState.DONE)

    return HostingOrderReport(
        total=len(numbers),
        osr_updated=done(NumberStep.OSR_UPDATE),
        sms_provisioned=done(NumberStep.PLATFORM_PROVISIONING),
        added_to_campaign=done(NumberStep.CAMPAIGN_PROVISIONING),
        ongoing_manual_action=sum(1 for n in numbers if not n.is_settled) if awaiting_signature else 0,
    )

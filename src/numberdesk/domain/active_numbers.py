"""Active numbers: a project's rented number, its SMS/voice configuration and their provisioning.

Rules kept here:
- SMS and voice changes never apply at once: they wait as *scheduled provisioning* (WAITING →
  IN_PROGRESS → applied, or FAILED with error codes). The state machine is `TRANSITIONS`, moved only
  by `_move_to`, which records a past-tense event.
- Charge dates: the n-th charge is `activated_at + n * paymentIntervalMonths` months, clamped to the
  month's end (computed from the activation date, so Jan 31 → Feb 28 → Mar 31 never drifts). The next
  charge date is computed on read from the clock: the first such date after `now`.
- Release: `expireAt = nextChargeDate` at release time; pending provisioning is dropped; the number
  stays listed until `expireAt` and then goes back to the inventory.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Final

from numberdesk.domain.errors import FieldViolation, InvalidArgument, InvalidTransition
from numberdesk.domain.inventory import Capability, NumberType, Price


class VoiceType(StrEnum):
    RTC = "RTC"  # Voice API application -> appId
    EST = "EST"  # Elastic SIP Trunking -> trunkId
    FAX = "FAX"  # Fax service -> serviceId


class ProvisioningStatus(StrEnum):
    WAITING = "WAITING"
    IN_PROGRESS = "IN_PROGRESS"
    FAILED = "FAILED"
    APPLIED = "APPLIED"  # never on the wire: the scheduled object is cleared instead


TRANSITIONS: Final[Mapping[ProvisioningStatus, frozenset[ProvisioningStatus]]] = {
    ProvisioningStatus.WAITING: frozenset({ProvisioningStatus.IN_PROGRESS}),
    ProvisioningStatus.IN_PROGRESS: frozenset({ProvisioningStatus.APPLIED, ProvisioningStatus.FAILED}),
    ProvisioningStatus.FAILED: frozenset(),
    ProvisioningStatus.APPLIED: frozenset(),
}


class ProvisioningKind(StrEnum):
    SMS = "sms"  # SMS platform (servicePlanId) and, with it, the 10DLC campaign
    VOICE = "voice"


class NumberEventType(StrEnum):
    """ACTIVE_NUMBER callback event types."""

    PROVISIONING_TO_SMS_PLATFORM = "PROVISIONING_TO_SMS_PLATFORM"
    DEPROVISIONING_FROM_SMS_PLATFORM = "DEPROVISIONING_FROM_SMS_PLATFORM"
    PROVISIONING_TO_CAMPAIGN = "PROVISIONING_TO_CAMPAIGN"
    DEPROVISIONING_FROM_CAMPAIGN = "DEPROVISIONING_FROM_CAMPAIGN"
    PROVISIONING_TO_VOICE_PLATFORM = "PROVISIONING_TO_VOICE_PLATFORM"
    DEPROVISIONING_FROM_VOICE_PLATFORM = "DEPROVISIONING_FROM_VOICE_PLATFORM"


@dataclass(frozen=True)
class SmsConfig:
    service_plan_id: str = ""
    campaign_id: str = ""


@dataclass(frozen=True)
class VoiceConfig:
    type: VoiceType = VoiceType.RTC
    id: str = ""  # appId, trunkId or serviceId, depending on `type`


@dataclass(frozen=True)
class ScheduledSms:
    service_plan_id: str
    campaign_id: str
    status: ProvisioningStatus
    last_updated: datetime
    error_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScheduledVoice:
    type: VoiceType
    id: str
    status: ProvisioningStatus
    last_updated: datetime


@dataclass(frozen=True)
class ProvisioningStepped:
    """Past-tense record of a provisioning move (what the simulator did)."""

    kind: ProvisioningKind
    status: ProvisioningStatus
    at: datetime


@dataclass(frozen=True)
class ProvisioningOutcome:
    """One ACTIVE_NUMBER event the outcome of a step produced (becomes a callback)."""

    event_type: NumberEventType
    succeeded: bool
    failure_code: str | None = None


def add_months(start: datetime, months: int) -> datetime:
    """`start` plus `months` calendar months, the day clamped to the target month's last day."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)


def next_charge_date(activated_at: datetime, interval_months: int, now: datetime) -> datetime:
    """The first charge date strictly after `now` (never before the first one after activation)."""
    interval = max(1, interval_months)
    elapsed = (now.year - activated_at.year) * 12 + (now.month - activated_at.month)
    n = max(1, elapsed // interval)
    candidate = add_months(activated_at, n * interval)
    while candidate <= now:
        n += 1
        candidate = add_months(activated_at, n * interval)
    while n > 1 and add_months(activated_at, (n - 1) * interval) > now:
        n -= 1
        candidate = add_months(activated_at, n * interval)
    return candidate


@dataclass
class ActiveNumber:
    phone_number: str
    project_id: str
    region_code: str
    number_type: NumberType
    capabilities: tuple[Capability, ...]
    money: Price
    payment_interval_months: int
    activated_at: datetime
    display_name: str = ""
    callback_url: str = ""
    expire_at: datetime | None = None
    sms: SmsConfig = field(default_factory=SmsConfig)
    sms_scheduled: ScheduledSms | None = None
    voice: VoiceConfig = field(default_factory=VoiceConfig)
    voice_last_updated: datetime | None = None
    voice_scheduled: ScheduledVoice | None = None
    version: int = 0
    events: list[ProvisioningStepped] = field(default_factory=list, repr=False, compare=False)

    # ------------------------------------------------------------------ reading

    def next_charge_date(self, now: datetime) -> datetime:
        if self.expire_at is not None:
            return self.expire_at
        return next_charge_date(self.activated_at, self.payment_interval_months, now)

    def is_released(self) -> bool:
        return self.expire_at is not None

    # ------------------------------------------------------------------ requests

    def request_sms(self, wanted: SmsConfig, now: datetime) -> None:
        self._not_released("smsConfiguration")
        self.sms_scheduled = ScheduledSms(
            wanted.service_plan_id, wanted.campaign_id, ProvisioningStatus.WAITING, now
        )

    def request_voice(self, wanted: VoiceConfig, now: datetime) -> None:
        self._not_released("voiceConfiguration")
        self.voice_scheduled = ScheduledVoice(wanted.type, wanted.id, ProvisioningStatus.WAITING, now)

    def release(self, now: datetime) -> None:
        """Cancel the subscription at the next charge date (idempotent: a second call changes nothing)."""
        if self.expire_at is None:
            self.expire_at = next_charge_date(self.activated_at, self.payment_interval_months, now)
        self.sms_scheduled = None
        self.voice_scheduled = None

    def _not_released(self, field_name: str) -> None:
        if self.expire_at is not None:
            raise InvalidArgument(
                f"{self.phone_number} is released; its configuration can no longer change",
                [FieldViolation(field_name, "the number is released")],
            )

    # ------------------------------------------------------------------ provisioning state machine

    def status_of(self, kind: ProvisioningKind) -> ProvisioningStatus | None:
        scheduled = self.sms_scheduled if kind is ProvisioningKind.SMS else self.voice_scheduled
        return scheduled.status if scheduled is not None else None

    def _move_to(
        self, kind: ProvisioningKind, target: ProvisioningStatus, now: datetime, errors: tuple[str, ...] = ()
    ) -> None:
        current = self.status_of(kind)
        if current is None or target not in TRANSITIONS[current]:
            raise InvalidTransition(
                f"{kind.value} provisioning", current.value if current else "NONE", target.value
            )
        if kind is ProvisioningKind.SMS:
            assert self.sms_scheduled is not None
            if target is ProvisioningStatus.APPLIED:
                self.sms = SmsConfig(self.sms_scheduled.service_plan_id, self.sms_scheduled.campaign_id)
                self.sms_scheduled = None
            else:
                self.sms_scheduled = replace(
                    self.sms_scheduled, status=target, last_updated=now, error_codes=errors
                )
        else:
            assert self.voice_scheduled is not None
            if target is ProvisioningStatus.APPLIED:
                self.voice = VoiceConfig(self.voice_scheduled.type, self.voice_scheduled.id)
                self.voice_last_updated = now
                self.voice_scheduled = None
            else:
                self.voice_scheduled = replace(self.voice_scheduled, status=target, last_updated=now)
        self.events.append(ProvisioningStepped(kind, target, now))

    def start_provisioning(self, kind: ProvisioningKind, now: datetime) -> None:
        self._move_to(kind, ProvisioningStatus.IN_PROGRESS, now)

    def finish_sms(
        self, sms_failure: str | None, campaign_failure: str | None, now: datetime
    ) -> list[ProvisioningOutcome]:
        """Apply the scheduled SMS change: SMS platform first, then the campaign on top of it.

        A failure leaves the scheduled object FAILED with its error code; what already succeeded
        (the service plan when only the campaign failed) is applied.
        """
        scheduled = self.sms_scheduled
        if scheduled is None:
            raise InvalidTransition("sms provisioning", "NONE", ProvisioningStatus.APPLIED.value)
        outcomes: list[ProvisioningOutcome] = []
        plan_changes = scheduled.service_plan_id != self.sms.service_plan_id or sms_failure is not None
        if plan_changes:
            event = (
                NumberEventType.PROVISIONING_TO_SMS_PLATFORM
                if scheduled.service_plan_id
                else NumberEventType.DEPROVISIONING_FROM_SMS_PLATFORM
            )
            if sms_failure is not None:
                outcomes.append(ProvisioningOutcome(event, False, sms_failure))
                self._move_to(ProvisioningKind.SMS, ProvisioningStatus.FAILED, now, (sms_failure,))
                return outcomes
            outcomes.append(ProvisioningOutcome(event, True))
        if scheduled.campaign_id != self.sms.campaign_id or campaign_failure is not None:
            event = (
                NumberEventType.PROVISIONING_TO_CAMPAIGN
                if scheduled.campaign_id
                else NumberEventType.DEPROVISIONING_FROM_CAMPAIGN
            )
            if campaign_failure is not None:
                self.sms = SmsConfig(scheduled.service_plan_id, self.sms.campaign_id)
                outcomes.append(ProvisioningOutcome(event, False, campaign_failure))
                self._move_to(ProvisioningKind.SMS, ProvisioningStatus.FAILED, now, (campaign_failure,))
                return outcomes
            outcomes.append(ProvisioningOutcome(event, True))
        self._move_to(ProvisioningKind.SMS, ProvisioningStatus.APPLIED, now)
        return outcomes

    def leaving_outcomes(self) -> list[ProvisioningOutcome]:
        """What leaving the project (a released number reaching `expireAt`) takes down: the
        campaign link, then the SMS platform, then the voice platform, each only if it was set."""
        outcomes: list[ProvisioningOutcome] = []
        if self.sms.campaign_id:
            outcomes.append(ProvisioningOutcome(NumberEventType.DEPROVISIONING_FROM_CAMPAIGN, True))
        if self.sms.service_plan_id:
            outcomes.append(ProvisioningOutcome(NumberEventType.DEPROVISIONING_FROM_SMS_PLATFORM, True))
        if self.voice.id:
            outcomes.append(ProvisioningOutcome(NumberEventType.DEPROVISIONING_FROM_VOICE_PLATFORM, True))
        return outcomes

    def finish_voice(self, failure: str | None, now: datetime) -> list[ProvisioningOutcome]:
        scheduled = self.voice_scheduled
        if scheduled is None:
            raise InvalidTransition("voice provisioning", "NONE", ProvisioningStatus.APPLIED.value)
        event = (
            NumberEventType.PROVISIONING_TO_VOICE_PLATFORM
            if scheduled.id
            else NumberEventType.DEPROVISIONING_FROM_VOICE_PLATFORM
        )
        if failure is not None:
            self._move_to(ProvisioningKind.VOICE, ProvisioningStatus.FAILED, now)
            return [ProvisioningOutcome(event, False, failure)]
        self._move_to(ProvisioningKind.VOICE, ProvisioningStatus.APPLIED, now)
        return [ProvisioningOutcome(event, True)]


# ---------------------------------------------------------------------------------------- simulator rules


class FailureKind(StrEnum):
    """What a failure rule matches: the servicePlanId, the campaignId or the voice id (appId/…)."""

    SMS = "sms"
    CAMPAIGN = "campaign"
    VOICE = "voice"


DEFAULT_FAILURE_CODES: Final[Mapping[FailureKind, str]] = {
    FailureKind.SMS: "SMS_PROVISIONING_FAILED",
    FailureKind.CAMPAIGN: "CAMPAIGN_PROVISIONING_FAILED",
    FailureKind.VOICE: "PROVISIONING_TO_VOICE_PLATFORM_FAILED",
}
WILDCARD: Final = "*"
# The wire's SmsErrorCode values: what an SMS/campaign failure may put in `errorCodes`.
SMS_ERROR_CODES: Final = frozenset(
    {
        "INTERNAL_ERROR",
        "SMS_PROVISIONING_FAILED",
        "CAMPAIGN_PROVISIONING_FAILED",
        "CAMPAIGN_NOT_AVAILABLE",
        "EXCEEDED_10DLC_LIMIT",
        "NUMBER_PROVISIONING_FAILED",
        "PARTNER_SERVICE_UNAVAILABLE",
        "CAMPAIGN_PENDING_ACCEPTANCE",
        "MNO_SHARING_ERROR",
        "CAMPAIGN_EXPIRED",
        "CAMPAIGN_MNO_REJECTED",
        "CAMPAIGN_MNO_SUSPENDED",
        "CAMPAIGN_MNO_REVIEW",
        "INSUFFICIENT_BALANCE",
        "MOCK_CAMPAIGN_NOT_ALLOWED",
        "TFN_NOT_ALLOWED",
        "INVALID_NNID",
    }
)


@dataclass(frozen=True)
class FailureRule:
    """Operator-injected failure: provisioning whose `kind` id equals `match` (`*`: any id) fails."""

    id: str
    kind: FailureKind
    match: str
    failure_code: str
    created_at: datetime

    def applies(self, kind: FailureKind, value: str) -> bool:
        return kind is self.kind and bool(value) and self.match in (WILDCARD, value)


def first_failure(rules: list[FailureRule], kind: FailureKind, value: str) -> str | None:
    """The failure code for `value`: an exact-id rule beats a `*` rule; the oldest rule wins a tie."""
    for rule in sorted(rules, key=lambda r: (r.match == WILDCARD, r.created_at, r.id)):
        if rule.applies(kind, value):
            return rule.failure_code
    return None


@dataclass(frozen=True)
class SimulatorTiming:
    """Seconds a scheduled provisioning stays WAITING, then IN_PROGRESS (0 allowed)."""

    waiting_seconds: float = 2.0
    in_progress_seconds: float = 2.0

"""Qualified numbers: numbers whose eligibility and ownership are checked before hosting.

A batch (`qualifiedNumbers:addNumbers`) starts each number at ELIGIBLE_CHECK_PENDING. An eligible
number waits for an operator to review the invoices the customer e-mails (VERIFICATION_PENDING),
unless the customer proves ownership with a voice challenge instead. Codes expire; wrong codes
are counted and too many block the number. A verified number is text-enabled through a hosting
order (HOSTING_IN_PROGRESS -> HOSTING_DONE | HOSTING_FAILED).
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from numberdesk.domain.errors import Conflict, FieldViolation, InvalidArgument, InvalidTransition, NotFound
from numberdesk.domain.imported_events import DomainEvent, ResourceType
from numberdesk.domain.imported_phone_numbers import numbers_violations, raise_if_invalid, region_for

DEFAULT_CHALLENGE_TTL: Final = timedelta(minutes=10)
DEFAULT_MAX_FAILED_ATTEMPTS: Final = 5


class GlobalProcessState(StrEnum):
    ELIGIBLE_CHECK_PENDING = "GLOBAL_PROCESS_STATE_ELIGIBLE_CHECK_PENDING"
    ELIGIBLE = "GLOBAL_PROCESS_STATE_ELIGIBLE"
    NOT_ELIGIBLE = "GLOBAL_PROCESS_STATE_NOT_ELIGIBLE"
    VERIFICATION_PENDING = "GLOBAL_PROCESS_STATE_VERIFICATION_PENDING"
    VERIFICATION_FAILED = "GLOBAL_PROCESS_STATE_VERIFICATION_FAILED"
    VERIFICATION_BLOCKED = "GLOBAL_PROCESS_STATE_VERIFICATION_BLOCKED"
    VERIFIED = "GLOBAL_PROCESS_STATE_VERIFIED"
    HOSTING_IN_PROGRESS = "GLOBAL_PROCESS_STATE_HOSTING_IN_PROGRESS"
    HOSTING_DONE = "GLOBAL_PROCESS_STATE_HOSTING_DONE"
    HOSTING_FAILED = "GLOBAL_PROCESS_STATE_HOSTING_FAILED"


G = GlobalProcessState
TRANSITIONS: Final[Mapping[GlobalProcessState, frozenset[GlobalProcessState]]] = {
    G.ELIGIBLE_CHECK_PENDING: frozenset({G.ELIGIBLE, G.NOT_ELIGIBLE}),
    G.ELIGIBLE: frozenset({G.VERIFICATION_PENDING}),
    G.NOT_ELIGIBLE: frozenset(),
    G.VERIFICATION_PENDING: frozenset({G.VERIFIED, G.VERIFICATION_FAILED, G.VERIFICATION_BLOCKED}),
    G.VERIFICATION_FAILED: frozenset({G.VERIFICATION_PENDING}),
    G.VERIFICATION_BLOCKED: frozenset({G.ELIGIBLE}),  # an operator unblocks
    G.VERIFIED: frozenset({G.HOSTING_IN_PROGRESS}),
    G.HOSTING_IN_PROGRESS: frozenset({G.HOSTING_DONE, G.HOSTING_FAILED}),
    G.HOSTING_DONE: frozenset(),
    G.HOSTING_FAILED: frozenset({G.HOSTING_IN_PROGRESS}),  # text-enable again
}

_EVENT_NAMES: Final[Mapping[GlobalProcessState, str]] = {
    G.ELIGIBLE: "EligibilityConfirmed",
    G.NOT_ELIGIBLE: "EligibilityDenied",
    G.VERIFICATION_PENDING: "OwnershipVerificationStarted",
    G.VERIFICATION_FAILED: "OwnershipVerificationFailed",
    G.VERIFICATION_BLOCKED: "OwnershipVerificationBlocked",
    G.VERIFIED: "OwnershipVerified",
    G.HOSTING_IN_PROGRESS: "HostingStarted",
    G.HOSTING_DONE: "NumberHosted",
    G.HOSTING_FAILED: "HostingFailed",
}
_HOSTABLE: Final = frozenset({G.VERIFIED, G.HOSTING_FAILED})


class VerificationMethod(StrEnum):
    INVOICE = "INVOICE"
    VOICE_CHALLENGE = "VOICE_CHALLENGE"


class OsrEligibilityStatus(StrEnum):
    """Ours: the seed gives `osrEligibility.status` no values."""

    OSR_ELIGIBILITY_STATUS_PENDING = "OSR_ELIGIBILITY_STATUS_PENDING"
    OSR_ELIGIBILITY_STATUS_ELIGIBLE = "OSR_ELIGIBILITY_STATUS_ELIGIBLE"
    OSR_ELIGIBILITY_STATUS_NOT_ELIGIBLE = "OSR_ELIGIBILITY_STATUS_NOT_ELIGIBLE"


class OwnershipVerificationStatus(StrEnum):
    """Ours: the seed gives `ownershipVerification.status` no values."""

    OWNERSHIP_VERIFICATION_STATUS_UNSPECIFIED = "OWNERSHIP_VERIFICATION_STATUS_UNSPECIFIED"
    OWNERSHIP_VERIFICATION_STATUS_PENDING = "OWNERSHIP_VERIFICATION_STATUS_PENDING"
    OWNERSHIP_VERIFICATION_STATUS_VERIFIED = "OWNERSHIP_VERIFICATION_STATUS_VERIFIED"
    OWNERSHIP_VERIFICATION_STATUS_FAILED = "OWNERSHIP_VERIFICATION_STATUS_FAILED"
    OWNERSHIP_VERIFICATION_STATUS_BLOCKED = "OWNERSHIP_VERIFICATION_STATUS_BLOCKED"


class HostingStatus(StrEnum):
    """The seed's `hostedNumber.status` names."""

    HOSTING_STATUS_UNSPECIFIED = "HOSTING_STATUS_UNSPECIFIED"
    HOSTING_STATUS_HOSTED = "HOSTING_STATUS_HOSTED"
    HOSTING_STATUS_FAILED = "HOSTING_STATUS_FAILED"


class ChallengeOutcome(StrEnum):
    VERIFIED = "VERIFIED"
    WRONG_CODE = "WRONG_CODE"
    EXPIRED = "EXPIRED"
    BLOCKED = "BLOCKED"


@dataclass(frozen=True)
class VoiceChallenge:
    code: str
    sent_time: datetime
    expires_time: datetime


@dataclass(frozen=True)
class QualifiedNumberFilter:
    states: frozenset[GlobalProcessState] = frozenset()
    region_code: str | None = None

    def matches(self, number: QualifiedNumber) -> bool:
        return (not self.states or number.state in self.states) and (
            not self.region_code or number.region_code == self.region_code
        )


@dataclass(eq=False)
class QualifiedNumber:
    project_id: str
    phone_number: str
    region_code: str
    created_time: datetime
    updated_time: datetime
    state: GlobalProcessState = G.ELIGIBLE_CHECK_PENDING
    verification_method: VerificationMethod = VerificationMethod.INVOICE
    challenge: VoiceChallenge | None = None
    failed_attempts: int = 0
    eligibility_error: str = ""
    verification_error: str = ""
    hosting_error: str = ""
    hosting_order_id: str = ""
    events: list[DomainEvent] = field(default_factory=list)

    # -- what the wire shows ------------------------------------------------------------------

    @property
    def osr_eligibility_status(self) -> OsrEligibilityStatus:
        if self.state is G.ELIGIBLE_CHECK_PENDING:
            return OsrEligibilityStatus.OSR_ELIGIBILITY_STATUS_PENDING
        if self.state is G.NOT_ELIGIBLE:
            return OsrEligibilityStatus.OSR_ELIGIBILITY_STATUS_NOT_ELIGIBLE
        return OsrEligibilityStatus.OSR_ELIGIBILITY_STATUS_ELIGIBLE

    @property
    def ownership_verification_status(self) -> OwnershipVerificationStatus:
        status = {
            G.VERIFICATION_PENDING: OwnershipVerificationStatus.OWNERSHIP_VERIFICATION_STATUS_PENDING,
            G.VERIFICATION_FAILED: OwnershipVerificationStatus.OWNERSHIP_VERIFICATION_STATUS_FAILED,
            G.VERIFICATION_BLOCKED: OwnershipVerificationStatus.OWNERSHIP_VERIFICATION_STATUS_BLOCKED,
        }.get(self.state)
        if status is not None:
            return status
        if self.state in (G.VERIFIED, G.HOSTING_IN_PROGRESS, G.HOSTING_DONE, G.HOSTING_FAILED):
            return OwnershipVerificationStatus.OWNERSHIP_VERIFICATION_STATUS_VERIFIED
        return OwnershipVerificationStatus.OWNERSHIP_VERIFICATION_STATUS_UNSPECIFIED

    @property
    def hosting_status(self) -> HostingStatus:
        if self.state is G.HOSTING_DONE:
            return HostingStatus.HOSTING_STATUS_HOSTED
        if self.state is G.HOSTING_FAILED:
            return HostingStatus.HOSTING_STATUS_FAILED
        return HostingStatus.HOSTING_STATUS_UNSPECIFIED

    @property
    def ready_for_hosting(self) -> bool:
        return self.state in _HOSTABLE

    # -- eligibility and ownership ------------------------------------------------------------

    def record_eligibility(self, now: datetime, *, eligible: bool, error: str = "") -> None:
        """The OSR eligibility check's answer; an eligible number goes on to invoice review."""
        if not eligible:
            self.eligibility_error = error
            self._move_to(G.NOT_ELIGIBLE, now)
            return
        self._move_to(G.ELIGIBLE, now)
        self.await_invoice_review(now)

    def await_invoice_review(self, now: datetime) -> None:
        self._move_to(G.VERIFICATION_PENDING, now)
        self.verification_method, self.challenge, self.verification_error = (
            VerificationMethod.INVOICE,
            None,
            "",
        )

    def approve_invoices(self, now: datetime) -> None:
        self._require_method(VerificationMethod.INVOICE)
        self._move_to(G.VERIFIED, now)

    def reject_invoices(self, now: datetime, reason: str = "the invoices do not show ownership") -> None:
        self._require_method(VerificationMethod.INVOICE)
        self.verification_error = reason
        self._move_to(G.VERIFICATION_FAILED, now)

    def send_voice_challenge(self, now: datetime, code: str, ttl: timedelta = DEFAULT_CHALLENGE_TTL) -> None:
        """A new code replaces any earlier one; wrong codes keep counting across codes."""
        if not code:
            raise InvalidArgument("a voice challenge needs a code", [FieldViolation("code", "required")])
        if self.state is not G.VERIFICATION_PENDING:
            self._move_to(G.VERIFICATION_PENDING, now)
        self.verification_method = VerificationMethod.VOICE_CHALLENGE
        self.challenge = VoiceChallenge(code=code, sent_time=now, expires_time=now + ttl)
        self.verification_error = ""
        self.updated_time = now

    def verify_voice_challenge(
        self, now: datetime, code: str, *, max_failed_attempts: int = DEFAULT_MAX_FAILED_ATTEMPTS
    ) -> ChallengeOutcome:
        """Check a code. The outcome is also in the state, so callers commit and answer with the
        number whatever happened."""
        challenge = self.challenge
        if self.state is not G.VERIFICATION_PENDING or challenge is None:
            raise Conflict(f"no voice challenge is pending for {self.phone_number}")
        if now >= challenge.expires_time:
            self.challenge, self.verification_error = None, "the verification code has expired"
            self._move_to(G.VERIFICATION_FAILED, now)
            return ChallengeOutcome.EXPIRED
        if hmac.compare_digest(code.encode(), challenge.code.encode()):
            self.challenge, self.verification_error, self.failed_attempts = None, "", 0
            self._move_to(G.VERIFIED, now)
            return ChallengeOutcome.VERIFIED
        self.failed_attempts += 1
        self.updated_time = now
        if self.failed_attempts >= max_failed_attempts:
            self.challenge, self.verification_error = None, "too many wrong verification codes"
            self._move_to(G.VERIFICATION_BLOCKED, now)
            return ChallengeOutcome.BLOCKED
        self.verification_error = "the verification code is wrong"
        return ChallengeOutcome.WRONG_CODE

    def unblock(self, now: datetime) -> None:
        """An operator lifts a VERIFICATION_BLOCKED number back to ELIGIBLE."""
        self._move_to(G.ELIGIBLE, now)
        self.failed_attempts, self.verification_error = 0, ""

    # -- hosting ------------------------------------------------------------------------------

    def start_hosting(self, hosting_order_id: str, now: datetime) -> None:
        self._move_to(G.HOSTING_IN_PROGRESS, now, hosting_order_id=hosting_order_id)
        self.hosting_error = ""

    def record_hosting_result(self, now: datetime, *, succeeded: bool, error: str = "") -> None:
        self.hosting_error = "" if succeeded else error
        self._move_to(G.HOSTING_DONE if succeeded else G.HOSTING_FAILED, now)

    def delete(self, now: datetime) -> None:
        self.events.append(self._event("QualifiedNumberDeleted", "DELETED", now))

    # -- the one place the state changes ------------------------------------------------------

    def _move_to(
        self, target: GlobalProcessState, now: datetime, *, hosting_order_id: str | None = None
    ) -> None:
        previous = self.state
        if target not in TRANSITIONS[previous]:
            raise InvalidTransition("QualifiedNumber", previous.value, target.value)
        self.state = target
        if hosting_order_id is not None:
            self.hosting_order_id = hosting_order_id
        self.updated_time = now
        unblocked = previous is G.VERIFICATION_BLOCKED
        name = "OwnershipVerificationUnblocked" if unblocked else _EVENT_NAMES[target]
        self.events.append(self._event(name, target.value, now, previous=previous.value))

    def _event(self, name: str, status: str, now: datetime, previous: str | None = None) -> DomainEvent:
        return DomainEvent(
            name=name,
            project_id=self.project_id,
            resource_type=ResourceType.QUALIFIED_NUMBER,
            resource_id=self.phone_number,
            status=status,
            previous_status=previous,
            occurred_at=now,
            hosting_order_id=self.hosting_order_id or None,
        )

    def _require_method(self, method: VerificationMethod) -> None:
        if self.state is not G.VERIFICATION_PENDING or self.verification_method is not method:
            raise Conflict(f"{self.phone_number} is not waiting for {method.value.lower()} verification")


def qualify_batch(project_id: str, phone_numbers: Sequence[str], now: datetime) -> list[QualifiedNumber]:
    """`qualifiedNumbers:addNumbers`: one number per entry, each at ELIGIBLE_CHECK_PENDING. The
    caller decides what to do with numbers the project already qualifies."""
    violations = numbers_violations(phone_numbers, None, field="phoneNumbers")
    raise_if_invalid(violations, "the batch is not valid")
    return [
        QualifiedNumber(
            project_id=project_id,
            phone_number=number,
            region_code=region_for(number),
            created_time=now,
            updated_time=now,
        )
        for number in phone_numbers
    ]


def ensure_ready_for_hosting(
    requested: Sequence[str], found: Mapping[str, QualifiedNumber], *, field: str = "numbers"
) -> list[QualifiedNumber]:
    """The qualified numbers a text-enable request names, all verified (or failed hosting before).
    Unknown numbers are NotFound; numbers in other states are listed as field violations."""
    for number in requested:
        if number not in found:
            raise NotFound("QualifiedNumber", number)
    violations = [
        FieldViolation(
            f"{field}[{index}]", f"is {found[number].state.value}; only verified numbers can be hosted"
        )
        for index, number in enumerate(requested)
        if not found[number].ready_for_hosting
    ]
    raise_if_invalid(violations, "some numbers are not ready to be text-enabled")
    return [found[number] for number in requested]

"""Number orders (KYC ordering): the aggregate, its state machine, and the expiry rule.

An order reserves numbers for a while (`expire_time`), collects the registration (KYC data and
documents), is submitted for review and then completed (numbers become active), rejected (numbers go
back to the inventory), blocked (the customer fixes and resubmits) or expired (numbers freed).
Every state change goes through `_move_to`, which checks `TRANSITIONS` and records `OrderMoved`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Final

from numberdesk.domain.active_numbers import VoiceConfig
from numberdesk.domain.errors import Conflict, FieldViolation, InvalidArgument, InvalidTransition
from numberdesk.domain.inventory import Capability, NumberType, Price

RESOURCE_TYPE: Final = "NUMBER_ORDER"
EVENT_TYPE: Final = "NUMBER_ORDER_PROCESSING"


class NumberOrderState(StrEnum):
    """Wire names of `NumberOrderState`."""

    CREATED = "CREATED"
    IN_REVIEW = "IN_REVIEW"
    BLOCKED = "BLOCKED"
    COMPLETED = "COMPLETED"
    REJECTED = "REJECTED"
    EXPIRED = "EXPIRED"


S = NumberOrderState
TRANSITIONS: Final[Mapping[NumberOrderState, frozenset[NumberOrderState]]] = {
    S.CREATED: frozenset({S.IN_REVIEW, S.EXPIRED}),
    S.IN_REVIEW: frozenset({S.COMPLETED, S.REJECTED, S.BLOCKED, S.EXPIRED}),
    S.BLOCKED: frozenset({S.IN_REVIEW, S.EXPIRED}),
    S.COMPLETED: frozenset(),
    S.REJECTED: frozenset(),
    S.EXPIRED: frozenset(),
}
FINAL_STATES: Final = frozenset(s for s, targets in TRANSITIONS.items() if not targets)
# States in which the customer may still change the registration and its documents.
EDITABLE_STATES: Final = frozenset({S.CREATED, S.BLOCKED})


class OrderExpired(Conflict):
    """Any operation on an order past its `expireTime`: 409 FAILED_PRECONDITION.

    The real service documents only 404/500 for these operations; 409 says "this order exists but can
    no longer be used" more precisely than 404, and clients restart from Step 1 either way.
    """

    def __init__(self, order_id: str) -> None:
        super().__init__(
            f"Number order {order_id} has expired: its numbers were released; create a new order"
        )
        self.order_id = order_id


class OrderClosed(Conflict):
    """An operation that needs an open order on one in a state that does not allow it."""


@dataclass(frozen=True)
class OrderedNumber:
    phone_number: str
    capabilities: tuple[Capability, ...]
    setup_price: Price
    monthly_price: Price
    payment_interval_months: int = 1


@dataclass(frozen=True)
class OrderSms:
    service_plan_id: str
    campaign_id: str | None = None


@dataclass(frozen=True)
class OrderMoved:
    """Past-tense record of a state change; becomes a NUMBER_ORDER_PROCESSING event."""

    order_id: str
    project_id: str
    previous: NumberOrderState
    state: NumberOrderState
    at: datetime
    callback_url: str | None


@dataclass(frozen=True)
class RegistrationLog:
    message: str
    created_at: datetime


@dataclass(frozen=True)
class StoredAttachment:
    """Metadata of an uploaded document; the (encrypted) content lives in the blob store."""

    order_id: str
    attachment_id: str
    file_name: str
    mime_type: str
    document_type: str | None
    size: int
    blob_key: str
    key_id: str
    created_at: datetime
    updated_at: datetime


class ReviewDecision(StrEnum):
    APPROVE = "APPROVE"
    REJECT = "REJECT"
    BLOCK = "BLOCK"


DECISION_TARGET: Final[Mapping[ReviewDecision, NumberOrderState]] = {
    ReviewDecision.APPROVE: S.COMPLETED,
    ReviewDecision.REJECT: S.REJECTED,
    ReviewDecision.BLOCK: S.BLOCKED,
}

_REASON_CODE = re.compile(r"^[A-Z][A-Z0-9_]{0,63}$")


@dataclass(frozen=True)
class ReviewReason:
    """One coded reason, about a field (`requestDetails.…`) or a document (`attachment_id`)."""

    code: str
    message: str
    field: str | None = None
    attachment_id: str | None = None

    def as_text(self) -> str:
        target = self.field or (f"attachment {self.attachment_id}" if self.attachment_id else "order")
        return f"[{self.code}] {target}: {self.message}"


def check_reasons(reasons: tuple[ReviewReason, ...], known_attachments: frozenset[str] | None) -> None:
    """Reasons are data: a code in UPPER_SNAKE_CASE, a message, at most one target."""
    violations: list[FieldViolation] = []
    for i, reason in enumerate(reasons):
        if not _REASON_CODE.match(reason.code):
            violations.append(FieldViolation(f"reasons[{i}].code", "must be UPPER_SNAKE_CASE, 1-64 chars"))
        if not reason.message.strip() or len(reason.message) > 1000:
            violations.append(FieldViolation(f"reasons[{i}].message", "must be 1-1000 characters"))
        if reason.field and reason.attachment_id:
            violations.append(FieldViolation(f"reasons[{i}]", "name either field or attachmentId"))
        if (
            reason.attachment_id
            and known_attachments is not None
            and reason.attachment_id not in known_attachments
        ):
            violations.append(
                FieldViolation(f"reasons[{i}].attachmentId", "is not an attachment the requirements name")
            )
    if violations:
        raise InvalidArgument("invalid review reasons", violations)


@dataclass
class NumberOrder:
    id: str
    project_id: str
    region_code: str
    number_type: NumberType
    state: NumberOrderState
    numbers: tuple[OrderedNumber, ...]
    expire_time: datetime
    created_at: datetime
    updated_at: datetime
    sms: OrderSms | None = None
    voice: VoiceConfig | None = None
    callback_url: str | None = None
    events: list[OrderMoved] = field(default_factory=list, compare=False)

    @property
    def phone_numbers(self) -> tuple[str, ...]:
        return tuple(n.phone_number for n in self.numbers)

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES

    def is_past_expiry(self, now: datetime) -> bool:
        """Not final and `now >= expire_time`: the order must become EXPIRED."""
        return not self.is_final and now >= self.expire_time

    def state_at(self, now: datetime) -> NumberOrderState:
        """What a reader sees: EXPIRED as soon as the time has passed, even before the sweep."""
        return S.EXPIRED if self.is_past_expiry(now) else self.state

    def _move_to(self, target: NumberOrderState, now: datetime) -> NumberOrderState:
        if target not in TRANSITIONS[self.state]:
            raise InvalidTransition("NumberOrder", self.state.value, target.value)
        previous, self.state, self.updated_at = self.state, target, now
        self.events.append(OrderMoved(self.id, self.project_id, previous, target, now, self.callback_url))
        return previous

    def ensure_live(self, now: datetime) -> None:
        if self.state is S.EXPIRED or self.is_past_expiry(now):
            raise OrderExpired(self.id)

    def ensure_editable(self, now: datetime) -> None:
        self.ensure_live(now)
        if self.state not in EDITABLE_STATES:
            raise OrderClosed(
                f"Number order {self.id} is {self.state.value}: registration and documents can only "
                "change while it is CREATED or BLOCKED"
            )

    def submit(self, now: datetime) -> NumberOrderState:
        self.ensure_editable(now)
        return self._move_to(S.IN_REVIEW, now)

    def decide(self, decision: ReviewDecision, now: datetime) -> NumberOrderState:
        self.ensure_live(now)
        if self.state is not S.IN_REVIEW:
            raise OrderClosed(f"Number order {self.id} is {self.state.value}, not IN_REVIEW")
        return self._move_to(DECISION_TARGET[decision], now)

    def expire(self, now: datetime) -> NumberOrderState:
        if not self.is_past_expiry(now):
            raise InvalidTransition("NumberOrder", self.state.value, S.EXPIRED.value)
        return self._move_to(S.EXPIRED, now)


# Inventory consequences of a final state: which numbers go back (freed) or become active.
FREES_NUMBERS: Final = frozenset({S.REJECTED, S.EXPIRED})
ACTIVATES_NUMBERS: Final = frozenset({S.COMPLETED})

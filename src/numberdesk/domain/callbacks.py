"""Callback configuration and the delivery of callback events: pure data and rules.

A delivery is the dispatcher's bookkeeping for one outbox event. Its states:

    PENDING ──2xx──────────────▶ DELIVERED
       │ ├──410 Gone───────────▶ GONE        (and every queued delivery to the same URL)
       │ └──window exhausted───▶ GIVEN_UP
       └ (retry: stays PENDING, attempts+1, next_attempt_at later)
    NO_DESTINATION: the event had no callback URL (still visible to `numberdesk listen`)
    UNDELIVERABLE: the event cannot be rendered into a callback payload (a bug upstream; logged)

An operator's redeliver moves any state except NO_DESTINATION back to PENDING with a fresh window.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from numberdesk.domain.errors import FieldViolation, InvalidArgument
from numberdesk.domain.events import CallbackApi

HMAC_SECRET_PATTERN = re.compile(r"^[a-zA-Z0-9-]{32,64}$")


def validate_hmac_secret(secret: str) -> str:
    if not HMAC_SECRET_PATTERN.fullmatch(secret):
        raise InvalidArgument(
            "invalid hmacSecret",
            [FieldViolation("hmacSecret", "must be 32 to 64 letters, digits or hyphens")],
        )
    return secret


@dataclass(frozen=True)
class CallbackConfiguration:
    """The project's secret for one API's callbacks; `hmac_secret` is "" until one is set."""

    project_id: str
    api: CallbackApi
    hmac_secret: str = ""


class DeliveryState(StrEnum):
    PENDING = "PENDING"
    DELIVERED = "DELIVERED"
    GONE = "GONE"
    GIVEN_UP = "GIVEN_UP"
    NO_DESTINATION = "NO_DESTINATION"
    UNDELIVERABLE = "UNDELIVERABLE"


TRANSITIONS: Mapping[DeliveryState, frozenset[DeliveryState]] = {
    DeliveryState.PENDING: frozenset(
        {
            DeliveryState.PENDING,
            DeliveryState.DELIVERED,
            DeliveryState.GONE,
            DeliveryState.GIVEN_UP,
            DeliveryState.UNDELIVERABLE,
        }
    ),
    DeliveryState.DELIVERED: frozenset({DeliveryState.PENDING}),
    DeliveryState.GONE: frozenset({DeliveryState.PENDING}),
    DeliveryState.GIVEN_UP: frozenset({DeliveryState.PENDING}),
    DeliveryState.UNDELIVERABLE: frozenset({DeliveryState.PENDING}),
    DeliveryState.NO_DESTINATION: frozenset(),
}


def can_move(current: DeliveryState, target: DeliveryState) -> bool:
    return target in TRANSITIONS[current]


@dataclass(frozen=True)
class Delivery:
    """Where one event stands. `next_attempt_at` is set only while PENDING."""

    event_id: str
    project_id: str
    api: CallbackApi
    callback_url: str | None
    state: DeliveryState
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None
    window_started_at: datetime
    last_status_code: int | None = None
    last_error: str | None = None
    finished_at: datetime | None = None


@dataclass(frozen=True)
class DeliveryAttempt:
    """One HTTP attempt: `status_code` None means no answer (timeout, connection refused, blocked)."""

    event_id: str
    attempt_no: int
    started_at: datetime
    latency_ms: int
    status_code: int | None
    outcome: str
    error: str | None = None
    next_attempt_at: datetime | None = None

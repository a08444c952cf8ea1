"""When to try a callback delivery again, and what an attempt's outcome means. Pure rules.

Schedule: attempt n (1-based) that failed is followed by a wait of
`min(max_delay, initial * factor**(n-1))`, shortened by up to `jitter` (a fraction, drawn from the
injected `rng`) so that receivers recovering from an outage are not hit by synchronised retries. A
`Retry-After` from the receiver is a floor on that wait. Nothing is scheduled after
`first_attempt_at + window` (72 hours by default): the event is then given up.

Outcomes: 2xx delivered; 410 Gone means the receiver asks us to stop sending to that URL; anything
else — other 4xx/5xx, 3xx (redirects are never followed), timeouts and connection errors — is retried.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from enum import StrEnum


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter inside a delivery window."""

    initial: timedelta = timedelta(seconds=30)
    factor: float = 2.0
    max_delay: timedelta = timedelta(hours=1)
    window: timedelta = timedelta(hours=72)
    jitter: float = 0.2

    def __post_init__(self) -> None:
        if self.initial <= timedelta(0):
            raise ValueError("initial delay must be positive")
        if not math.isfinite(self.factor) or self.factor < 1:
            raise ValueError("factor must be a finite number >= 1")
        if self.max_delay < self.initial:
            raise ValueError("max_delay must be at least the initial delay")
        if self.window <= timedelta(0):
            raise ValueError("window must be positive")
        if not 0 <= self.jitter < 1:
            raise ValueError("jitter must be in [0, 1)")


def backoff_delay(policy: RetryPolicy, attempt_no: int, rng: random.Random) -> timedelta:
    """The wait after failed attempt `attempt_no` (1-based), jitter included, before any Retry-After."""
    if attempt_no < 1:
        raise ValueError("attempt_no starts at 1")
    try:
        raw = policy.initial.total_seconds() * policy.factor ** (attempt_no - 1)
    except OverflowError:
        raw = math.inf
    capped = min(policy.max_delay.total_seconds(), raw)
    return timedelta(seconds=capped * (1 - policy.jitter * rng.random()))


def next_attempt(
    policy: RetryPolicy,
    attempt_no: int,
    first_attempt_at: datetime,
    now: datetime,
    rng: random.Random,
    *,
    retry_after: timedelta | None = None,
) -> datetime | None:
    """When to try again after failed attempt `attempt_no` (1-based) ended at `now`.

    Returns None to give up: the next attempt would fall after `first_attempt_at + policy.window`
    (including when the receiver's Retry-After points past the window).
    """
    if first_attempt_at.tzinfo is None or now.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    delay = backoff_delay(policy, attempt_no, rng)
    if retry_after is not None:
        delay = max(delay, retry_after)
    candidate = now + delay
    if candidate > first_attempt_at + policy.window:
        return None
    return candidate


class AttemptOutcome(StrEnum):
    """What one delivery attempt means for the event and the URL."""

    DELIVERED = "DELIVERED"  # 2xx: done
    RETRY = "RETRY"  # any other status, timeout or connection error: schedule next_attempt
    GONE = "GONE"  # 410: stop delivering to this URL


@dataclass(frozen=True)
class AttemptClassification:
    outcome: AttemptOutcome
    retry_after: timedelta | None = None  # only from a 429/503 response's Retry-After header


_RETRY_AFTER_STATUSES = frozenset({429, 503})
# Longer than any sensible window; keeps absurd delta-seconds from overflowing timedelta.
_MAX_RETRY_AFTER = timedelta(days=3650)


def parse_retry_after(value: str, now: datetime) -> timedelta | None:
    """A `Retry-After` header value (delta-seconds or HTTP-date) as a wait from `now`.

    Dates in the past give zero; unparseable values give None (the header is then ignored).
    """
    text = value.strip()
    if text.isascii() and text.isdigit():
        seconds = int(text)
        return _MAX_RETRY_AFTER if seconds > _MAX_RETRY_AFTER.total_seconds() else timedelta(seconds=seconds)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000" dates parse naive; HTTP-dates are always GMT
        when = when.replace(tzinfo=UTC)
    return min(_MAX_RETRY_AFTER, max(timedelta(0), when - now))


def classify_attempt(
    status_code: int | None,
    now: datetime,
    retry_after_header: str | None = None,
) -> AttemptClassification:
    """Classify an attempt: `status_code` None means no response (timeout, connection error)."""
    if status_code is None:
        return AttemptClassification(AttemptOutcome.RETRY)
    if 200 <= status_code < 300:
        return AttemptClassification(AttemptOutcome.DELIVERED)
    if status_code == 410:
        return AttemptClassification(AttemptOutcome.GONE)
    retry_after = None
    if status_code in _RETRY_AFTER_STATUSES and retry_after_header is not None:
        retry_after = parse_retry_after(retry_after_header, now)
    return AttemptClassification(AttemptOutcome.RETRY, retry_after)

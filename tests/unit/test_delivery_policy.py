"""Retry schedule and outcome classification for callback deliveries."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from numberdesk.domain.delivery_policy import (
    AttemptClassification,
    AttemptOutcome,
    RetryPolicy,
    backoff_delay,
    classify_attempt,
    next_attempt,
    parse_retry_after,
)

T0 = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
NO_JITTER = RetryPolicy(
    initial=timedelta(seconds=10),
    factor=2.0,
    max_delay=timedelta(minutes=5),
    window=timedelta(hours=1),
    jitter=0.0,
)


def test_default_window_is_72_hours() -> None:
    policy = RetryPolicy(initial=timedelta(seconds=1), factor=2, max_delay=timedelta(seconds=60), jitter=0.1)
    assert policy.window == timedelta(hours=72)


@pytest.mark.parametrize(
    ("attempt_no", "seconds"),
    [(1, 10), (2, 20), (3, 40), (4, 80), (5, 160), (6, 300), (7, 300), (50, 300), (10_000, 300)],
)
def test_backoff_grows_exponentially_up_to_max_delay(attempt_no: int, seconds: int) -> None:
    assert backoff_delay(NO_JITTER, attempt_no, random.Random(1)) == timedelta(seconds=seconds)


def test_next_attempt_is_now_plus_backoff() -> None:
    now = T0 + timedelta(seconds=35)
    assert next_attempt(NO_JITTER, 3, T0, now, random.Random(1)) == now + timedelta(seconds=40)


def test_jitter_only_shortens_within_the_fraction_and_is_deterministic_per_seed() -> None:
    policy = RetryPolicy(
        initial=timedelta(seconds=100), factor=1.0, max_delay=timedelta(seconds=100), jitter=0.25
    )
    rng = random.Random(42)
    delays = [backoff_delay(policy, 1, rng) for _ in range(200)]
    assert all(timedelta(seconds=75) <= d <= timedelta(seconds=100) for d in delays)
    assert len(set(delays)) > 100  # actually spread out
    again = random.Random(42)
    assert delays == [backoff_delay(policy, 1, again) for _ in range(200)]


def test_jitter_never_exceeds_max_delay() -> None:
    policy = RetryPolicy(initial=timedelta(seconds=10), factor=3, max_delay=timedelta(seconds=60), jitter=0.5)
    rng = random.Random(7)
    assert all(backoff_delay(policy, 20, rng) <= timedelta(seconds=60) for _ in range(100))


def test_gives_up_when_next_attempt_would_leave_the_window() -> None:
    almost_end = T0 + timedelta(hours=1) - timedelta(seconds=299)
    assert next_attempt(NO_JITTER, 10, T0, almost_end, random.Random(1)) is None


def test_last_attempt_exactly_at_window_end_is_allowed() -> None:
    now = T0 + timedelta(hours=1) - timedelta(seconds=300)
    assert next_attempt(NO_JITTER, 10, T0, now, random.Random(1)) == T0 + timedelta(hours=1)


def test_default_policy_keeps_trying_for_72_hours_then_gives_up() -> None:
    policy = RetryPolicy()
    rng = random.Random(3)
    now = T0
    attempts = 1
    while (following := next_attempt(policy, attempts, T0, now, rng)) is not None:
        assert following > now
        now = following
        attempts += 1
    assert T0 + timedelta(hours=71) < now <= T0 + timedelta(hours=72)
    assert 70 < attempts < 200


def test_retry_after_is_a_floor_on_the_delay() -> None:
    now = T0 + timedelta(seconds=5)
    later = next_attempt(NO_JITTER, 1, T0, now, random.Random(1), retry_after=timedelta(minutes=2))
    assert later == now + timedelta(minutes=2)
    shorter = next_attempt(NO_JITTER, 1, T0, now, random.Random(1), retry_after=timedelta(seconds=1))
    assert shorter == now + timedelta(seconds=10)


def test_retry_after_past_the_window_gives_up() -> None:
    assert next_attempt(NO_JITTER, 1, T0, T0, random.Random(1), retry_after=timedelta(hours=2)) is None


def test_retry_after_may_exceed_max_delay_inside_the_window() -> None:
    assert next_attempt(
        NO_JITTER, 1, T0, T0, random.Random(1), retry_after=timedelta(minutes=30)
    ) == T0 + timedelta(minutes=30)


def test_attempt_numbers_start_at_one() -> None:
    with pytest.raises(ValueError):
        next_attempt(NO_JITTER, 0, T0, T0, random.Random(1))


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        next_attempt(NO_JITTER, 1, T0.replace(tzinfo=None), T0, random.Random(1))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"initial": timedelta(0)},
        {"factor": 0.5},
        {"factor": float("inf")},
        {"max_delay": timedelta(seconds=1), "initial": timedelta(seconds=2)},
        {"window": timedelta(0)},
        {"jitter": -0.1},
        {"jitter": 1.0},
    ],
)
def test_policy_validation(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("status", [200, 201, 202, 204, 299])
def test_2xx_is_delivered(status: int) -> None:
    assert classify_attempt(status, T0) == AttemptClassification(AttemptOutcome.DELIVERED)


def test_410_is_gone() -> None:
    assert classify_attempt(410, T0).outcome is AttemptOutcome.GONE


@pytest.mark.parametrize("status", [None, 301, 302, 400, 401, 403, 404, 408, 413, 429, 500, 502, 503, 504])
def test_everything_else_is_retried(status: int | None) -> None:
    assert classify_attempt(status, T0) == AttemptClassification(AttemptOutcome.RETRY)


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_seconds_honoured_on_429_and_503(status: int) -> None:
    result = classify_attempt(status, T0, "120")
    assert result == AttemptClassification(AttemptOutcome.RETRY, timedelta(seconds=120))


def test_retry_after_http_date_honoured() -> None:
    result = classify_attempt(503, T0, "Thu, 01 Jan 2026 12:10:00 GMT")
    assert result.retry_after == timedelta(minutes=10)


@pytest.mark.parametrize("status", [500, 408, 404])
def test_retry_after_ignored_on_other_statuses(status: int) -> None:
    assert classify_attempt(status, T0, "120").retry_after is None


def test_retry_after_ignored_on_success_and_gone() -> None:
    assert classify_attempt(200, T0, "120").retry_after is None
    assert classify_attempt(410, T0, "120").retry_after is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", timedelta(0)),
        (" 30 ", timedelta(seconds=30)),
        ("Thu, 01 Jan 2026 11:00:00 GMT", timedelta(0)),  # in the past
        ("Thu, 01 Jan 2026 12:00:05 GMT", timedelta(seconds=5)),
        ("Thursday, 01-Jan-26 12:00:05 GMT", timedelta(seconds=5)),  # obsolete RFC 850 form
        ("Thu Jan  1 12:00:05 2026", timedelta(seconds=5)),  # asctime form (no zone: GMT)
        ("soon", None),
        ("-5", None),
        ("1.5", None),
        ("", None),
        ("٣", None),  # a non-ASCII digit
    ],
)
def test_parse_retry_after(value: str, expected: timedelta | None) -> None:
    assert parse_retry_after(value, T0) == expected


def test_parse_retry_after_caps_absurd_values() -> None:
    huge = parse_retry_after("9" * 40, T0)
    assert huge is not None
    assert huge >= timedelta(days=365)
    assert next_attempt(NO_JITTER, 1, T0, T0, random.Random(1), retry_after=huge) is None

"""The callback dispatcher: delivers outbox events at least once, signed, with backoff.

One `run_due(now)` claims a batch of due deliveries with a lease (so other dispatcher processes
skip them), renders each event's body (deterministic: retries send the same bytes), signs it with
the project's current secret, POSTs them from a small thread pool (one slow receiver does not block
the others), and records every outcome in one transaction that also moves the delivery on:
DELIVERED, GONE (410; other queued events to the URL stop too), a retry at a backoff time on the
injected clock, or GIVEN_UP after the window. A process killed mid-batch leaves leased rows that
any dispatcher claims again once the lease expires: nothing is lost, an event may arrive twice
(the eventId and `webhook-id` stay the same, so receivers de-duplicate).
"""

from __future__ import annotations

import logging
import math
import random
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta

from numberdesk.domain.callbacks import DeliveryAttempt, DeliveryState
from numberdesk.domain.delivery_policy import AttemptOutcome, RetryPolicy, classify_attempt, next_attempt
from numberdesk.domain.events import CallbackEvent
from numberdesk.services.callbacks import CallbackSender, OutgoingCallback, SendResult, load_secret
from numberdesk.services.ports import AttemptResult, Cipher, ClaimedDelivery, UnitOfWorkFactory
from numberdesk.wire.callbacks import build_callback, render_callback_body
from numberdesk.wire.signing import callback_headers

log = logging.getLogger(__name__)


def render_event(event: CallbackEvent) -> bytes:
    """The exact body bytes of `event` (raises ValueError if it fits no payload schema)."""
    payload = build_callback(
        event.api.value,
        event_id=event.event_id,
        occurred_at=event.occurred_at,
        project_id=event.project_id,
        resource_type=event.resource_type,
        resource_id=event.resource_id,
        event_type=event.event_type,
        status=event.status,
        failure_code=event.failure_code,
        internal_failure_code=event.internal_failure_code,
    )
    return render_callback_body(payload)


class CallbackDispatcher:
    name = "callbacks"

    def __init__(
        self,
        uows: UnitOfWorkFactory,
        cipher: Cipher,
        sender: CallbackSender,
        policy: RetryPolicy,
        *,
        timeout_seconds: float = 10.0,
        threads: int = 16,
        batch: int = 64,
        lease: timedelta | None = None,
        rng: random.Random | None = None,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._uows = uows
        self._cipher = cipher
        self._sender = sender
        self._policy = policy
        self._batch = batch
        # The lease must outlast the whole batch, or another dispatcher could send an attempt twice.
        rounds = math.ceil(batch / threads)
        self._lease = lease or timedelta(seconds=timeout_seconds * (rounds + 1) + 30)
        self._rng = rng or random.Random()
        self._wall = wall  # Standard Webhooks timestamps are checked against the receiver's real clock
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="callback")

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        close = getattr(self._sender, "close", None)
        if callable(close):
            close()

    def next_due(self) -> datetime | None:
        with self._uows(readonly=True) as uow:
            return uow.deliveries.next_due()

    def run_due(self, now: datetime) -> int:
        token = uuid.uuid4().hex
        with self._uows() as uow:
            claimed = uow.deliveries.claim_due(now, self._batch, now + self._lease, token)
            secrets = {
                key: load_secret(uow, self._cipher, *key)
                for key in {(c.event.project_id, c.event.api) for c in claimed}
            }
            uow.commit()
        if not claimed:
            return 0
        t0 = time.monotonic()
        results: list[AttemptResult | None] = []
        outgoing: list[OutgoingCallback] = []
        for claim in claimed:
            prepared = self._prepare(claim, secrets[(claim.event.project_id, claim.event.api)], now, t0)
            if isinstance(prepared, OutgoingCallback):
                outgoing.append(prepared)
                results.append(None)
            else:
                results.append(prepared)
        sent = iter(self._send(outgoing))
        concluded = [
            result if result is not None else self._conclude(claim, next(sent), now, t0)
            for claim, result in zip(claimed, results, strict=True)
        ]
        finished = now + timedelta(seconds=time.monotonic() - t0)
        with self._uows() as uow:
            held = uow.deliveries.record_many(token, concluded, finished)
            for claim, result in zip(claimed, concluded, strict=True):
                if claim.event.event_id not in held:
                    log.warning(
                        "lease on event %s was lost; its outcome is not recorded", claim.event.event_id
                    )
                elif result.state is DeliveryState.GONE and claim.event.callback_url:
                    uow.deliveries.stop_url(claim.event.project_id, claim.event.callback_url, finished)
            uow.commit()
        return len(claimed)

    def _send(self, outgoing: list[OutgoingCallback]) -> list[SendResult]:
        if not outgoing:
            return []
        send_many = getattr(self._sender, "send_many", None)
        if callable(send_many):
            results: list[SendResult] = send_many(outgoing)
            return results
        return list(self._pool.map(self._timed_send, outgoing))

    def _timed_send(self, callback: OutgoingCallback) -> SendResult:
        began = time.monotonic()
        sent = self._sender.send(callback.url, callback.body, callback.headers)
        return replace(sent, began=began, elapsed=time.monotonic() - began)

    def _prepare(
        self, claim: ClaimedDelivery, secret: str, now: datetime, t0: float
    ) -> OutgoingCallback | AttemptResult:
        """The signed request of this attempt, or the UNDELIVERABLE result of an unrenderable event."""
        event = claim.event
        try:
            body = render_event(event)
        except ValueError as exc:
            log.error("event %s cannot be rendered as a callback: %s", event.event_id, exc)
            started_at = now + timedelta(seconds=time.monotonic() - t0)
            attempt = DeliveryAttempt(
                event.event_id, claim.attempt_no, started_at, 0, None, "UNDELIVERABLE", str(exc)[:300]
            )
            return AttemptResult(attempt, DeliveryState.UNDELIVERABLE, None)
        headers = callback_headers(secret, event.event_id, int(self._wall()), body)
        assert event.callback_url is not None  # only deliveries with a URL are PENDING
        return OutgoingCallback(event.callback_url, body, headers)

    def _conclude(self, claim: ClaimedDelivery, sent: SendResult, now: datetime, t0: float) -> AttemptResult:
        event = claim.event
        began = sent.began if sent.began is not None else t0
        elapsed = sent.elapsed if sent.elapsed is not None else 0.0
        started_at = now + timedelta(seconds=began - t0)
        ended_at = started_at + timedelta(seconds=elapsed)
        verdict = classify_attempt(sent.status_code, ended_at, sent.retry_after)
        state = DeliveryState.PENDING
        retry_at: datetime | None = None
        if verdict.outcome is AttemptOutcome.DELIVERED:
            state = DeliveryState.DELIVERED
        elif verdict.outcome is AttemptOutcome.GONE:
            state = DeliveryState.GONE
        else:
            retry_at = next_attempt(
                self._policy,
                claim.attempt_no,
                claim.window_started_at,
                ended_at,
                self._rng,
                retry_after=verdict.retry_after,
            )
            if retry_at is None:
                state = DeliveryState.GIVEN_UP
        outcome = (
            verdict.outcome.value if state is not DeliveryState.GIVEN_UP else DeliveryState.GIVEN_UP.value
        )
        attempt = DeliveryAttempt(
            event.event_id,
            claim.attempt_no,
            started_at,
            int(elapsed * 1000),
            sent.status_code,
            outcome,
            sent.error,
            retry_at,
        )
        return AttemptResult(attempt, state, retry_at)

"""Callback repositories: encrypted secrets, delivery leases, the attempt log, the events feed.

Claiming is the one place with a dialect branch (`SqlCallbackDeliveryRepository.claim_due`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, insert, or_, select, tuple_, update

from numberdesk.adapters.db import tables as t
from numberdesk.adapters.db import tables_callbacks as tc
from numberdesk.adapters.db.metadata import UtcDateTime
from numberdesk.adapters.db.repositories import SqlOutboxRepository
from numberdesk.domain.callbacks import Delivery, DeliveryAttempt, DeliveryState
from numberdesk.domain.events import CallbackApi, CallbackEvent
from numberdesk.services.ports import AttemptResult, ClaimedDelivery

_ERROR_MAX = 300


def event_from_row(r: Row[Any]) -> CallbackEvent:
    return CallbackEvent(
        event_id=r.event_id,
        project_id=r.project_id,
        api=CallbackApi(r.api),
        resource_type=r.resource_type,
        resource_id=r.resource_id,
        event_type=r.event_type,
        status=r.status,
        occurred_at=r.occurred_at,
        callback_url=r.callback_url,
        failure_code=r.failure_code,
        internal_failure_code=r.internal_failure_code,
        extra=json.loads(r.extra),
    )


class SqlCallbackOutboxRepository(SqlOutboxRepository):
    """The outbox: every event row gets its delivery row in the same transaction."""

    def add(self, event: CallbackEvent) -> None:
        super().add(event)
        has_url = bool(event.callback_url)
        self._conn.execute(
            insert(tc.callback_deliveries).values(
                event_id=event.event_id,
                project_id=event.project_id,
                api=event.api.value,
                callback_url=event.callback_url or None,
                state=(DeliveryState.PENDING if has_url else DeliveryState.NO_DESTINATION).value,
                attempts=0,
                created_at=event.occurred_at,
                window_started_at=event.occurred_at,
                next_attempt_at=event.occurred_at if has_url else None,
                finished_at=None if has_url else event.occurred_at,
            )
        )


class SqlCallbackConfigurationRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get_encrypted(self, project_id: str, api: CallbackApi) -> bytes | None:
        c = tc.callback_configurations
        value = self._conn.execute(
            select(c.c.hmac_secret).where(c.c.project_id == project_id, c.c.api == api.value)
        ).scalar()
        return bytes(value) if value is not None else None

    def put_encrypted(self, project_id: str, api: CallbackApi, ciphertext: bytes, now: datetime) -> None:
        c = tc.callback_configurations
        moved = self._conn.execute(
            update(c)
            .where(c.c.project_id == project_id, c.c.api == api.value)
            .values(hmac_secret=ciphertext, updated_at=now)
        )
        if moved.rowcount == 0:
            self._conn.execute(
                insert(c).values(project_id=project_id, api=api.value, hmac_secret=ciphertext, updated_at=now)
            )


def _delivery(r: Row[Any]) -> Delivery:
    return Delivery(
        event_id=r.event_id,
        project_id=r.project_id,
        api=CallbackApi(r.api),
        callback_url=r.callback_url,
        state=DeliveryState(r.state),
        attempts=r.attempts,
        created_at=r.created_at,
        next_attempt_at=r.next_attempt_at,
        window_started_at=r.window_started_at,
        last_status_code=r.last_status_code,
        last_error=r.last_error,
        finished_at=r.finished_at,
    )


class SqlCallbackDeliveryRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def claim_due(
        self, now: datetime, limit: int, lease_until: datetime, token: str
    ) -> list[ClaimedDelivery]:
        d = tc.callback_deliveries
        lease_free = or_(d.c.lease_until.is_(None), d.c.lease_until < now)
        due = (
            select(d.c.event_id)
            .where(d.c.state == DeliveryState.PENDING.value, d.c.next_attempt_at <= now, lease_free)
            .order_by(d.c.next_attempt_at)
            .limit(limit)
        )
        if self._conn.dialect.name == "postgresql":
            # Rows another dispatcher is claiming right now are skipped, not waited for.
            due = due.with_for_update(skip_locked=True)
        # On SQLite the write transaction began with BEGIN IMMEDIATE, so nobody else claims between
        # the SELECT and the compare-and-set UPDATE below.
        ids = [row.event_id for row in self._conn.execute(due)]
        if not ids:
            return []
        self._conn.execute(
            update(d)
            .where(d.c.event_id.in_(ids), d.c.state == DeliveryState.PENDING.value, lease_free)
            .values(lease_until=lease_until, lease_token=token, attempts=d.c.attempts + 1)
        )
        o = t.outbox_events
        rows = self._conn.execute(
            select(o, d.c.attempts, d.c.window_started_at)
            .join(d, d.c.event_id == o.c.event_id)
            .where(d.c.lease_token == token)
        )
        return [ClaimedDelivery(event_from_row(r), r.attempts, r.window_started_at, token) for r in rows]

    def next_due(self) -> datetime | None:
        d = tc.callback_deliveries
        value: datetime | None = self._conn.execute(
            select(d.c.next_attempt_at)
            .where(d.c.state == DeliveryState.PENDING.value, d.c.next_attempt_at.is_not(None))
            .order_by(d.c.next_attempt_at)
            .limit(1)
        ).scalar()
        return value

    def record(self, token: str, result: AttemptResult, now: datetime) -> bool:
        return bool(self.record_many(token, [result], now))

    def record_many(self, token: str, results: Sequence[AttemptResult], now: datetime) -> set[str]:
        d = tc.callback_deliveries
        if not results:
            return set()
        held_query = select(d.c.event_id).where(
            d.c.event_id.in_([r.attempt.event_id for r in results]), d.c.lease_token == token
        )
        if self._conn.dialect.name == "postgresql":
            held_query = held_query.with_for_update()  # SQLite: BEGIN IMMEDIATE already serialises
        held = {row.event_id for row in self._conn.execute(held_query)}
        mine = [r for r in results if r.attempt.event_id in held]
        if not mine:
            return held
        self._conn.execute(
            update(d)
            .where(d.c.event_id == bindparam("b_event_id"), d.c.lease_token == bindparam("b_token"))
            .values(
                state=bindparam("b_state"),
                next_attempt_at=bindparam("b_next", type_=UtcDateTime()),
                lease_until=None,
                lease_token=None,
                last_status_code=bindparam("b_status"),
                last_error=bindparam("b_error"),
                finished_at=bindparam("b_finished", type_=UtcDateTime()),
            )
            .execution_options(synchronize_session=False),
            [
                {
                    "b_event_id": r.attempt.event_id,
                    "b_token": token,
                    "b_state": r.state.value,
                    "b_next": r.next_attempt_at,
                    "b_status": r.attempt.status_code,
                    "b_error": r.attempt.error[:_ERROR_MAX] if r.attempt.error else None,
                    "b_finished": now if r.state is not DeliveryState.PENDING else None,
                }
                for r in mine
            ],
        )
        self._conn.execute(
            insert(tc.callback_attempts),
            [
                {
                    "event_id": a.event_id,
                    "attempt_no": a.attempt_no,
                    "started_at": a.started_at,
                    "latency_ms": a.latency_ms,
                    "status_code": a.status_code,
                    "outcome": a.outcome,
                    "error": a.error[:_ERROR_MAX] if a.error else None,
                    "next_attempt_at": a.next_attempt_at,
                }
                for a in (r.attempt for r in mine)
            ],
        )
        return held

    def stop_url(self, project_id: str, callback_url: str, now: datetime) -> int:
        d = tc.callback_deliveries
        result = self._conn.execute(
            update(d)
            .where(
                d.c.project_id == project_id,
                d.c.callback_url == callback_url,
                d.c.state == DeliveryState.PENDING.value,
                or_(d.c.lease_until.is_(None), d.c.lease_until < now),
            )
            .values(
                state=DeliveryState.GONE.value,
                next_attempt_at=None,
                finished_at=now,
                last_error="the URL answered 410 Gone to another event",
            )
        )
        return int(result.rowcount)

    def get(self, event_id: str) -> Delivery | None:
        d = tc.callback_deliveries
        row = self._conn.execute(select(d).where(d.c.event_id == event_id)).first()
        return _delivery(row) if row else None

    def attempts(self, event_id: str) -> list[DeliveryAttempt]:
        a = tc.callback_attempts
        rows = self._conn.execute(select(a).where(a.c.event_id == event_id).order_by(a.c.attempt_no, a.c.id))
        return [
            DeliveryAttempt(
                r.event_id,
                r.attempt_no,
                r.started_at,
                r.latency_ms,
                r.status_code,
                r.outcome,
                r.error,
                r.next_attempt_at,
            )
            for r in rows
        ]

    def list_recent(self, project_id: str | None, state: DeliveryState | None, limit: int) -> list[Delivery]:
        d = tc.callback_deliveries
        query = select(d)
        if project_id is not None:
            query = query.where(d.c.project_id == project_id)
        if state is not None:
            query = query.where(d.c.state == state.value)
        rows = self._conn.execute(query.order_by(d.c.created_at.desc(), d.c.event_id.desc()).limit(limit))
        return [_delivery(r) for r in rows]

    def redeliver(self, event_id: str, now: datetime) -> bool:
        d = tc.callback_deliveries
        result = self._conn.execute(
            update(d)
            .where(
                d.c.event_id == event_id,
                d.c.state != DeliveryState.NO_DESTINATION.value,
                or_(d.c.lease_until.is_(None), d.c.lease_until < now),
            )
            .values(
                state=DeliveryState.PENDING.value,
                next_attempt_at=now,
                window_started_at=now,
                lease_until=None,
                lease_token=None,
                finished_at=None,
            )
        )
        return result.rowcount == 1

    def feed(self, project_id: str, after: tuple[datetime, str] | None, limit: int) -> list[CallbackEvent]:
        o = t.outbox_events
        query = select(o).where(o.c.project_id == project_id)
        if after is not None:
            query = query.where(tuple_(o.c.occurred_at, o.c.event_id) > tuple_(*after))
        rows = self._conn.execute(query.order_by(o.c.occurred_at, o.c.event_id).limit(limit))
        return [event_from_row(r) for r in rows]

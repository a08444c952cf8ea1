"""Foundation repositories: on the unit of work's connection, never committing, returning domain objects."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Connection,
    Row,
    Select,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    tuple_,
    update,
)

from numberdesk.adapters.db import tables as t
from numberdesk.domain.events import CallbackApi, CallbackEvent
from numberdesk.domain.inventory import (
    InventoryNumber,
    NumberState,
    NumberType,
    Price,
    SearchCriteria,
    SearchPattern,
    capabilities_to_mask,
    mask_to_capabilities,
    search_suffixes,
)
from numberdesk.domain.projects import AccessKey, Project
from numberdesk.services.ports import ScheduledJob


class SqlProjectRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, project: Project) -> None:
        self._conn.execute(
            insert(t.projects).values(id=project.id, name=project.name, created_at=project.created_at)
        )

    def get(self, project_id: str) -> Project | None:
        row = self._conn.execute(select(t.projects).where(t.projects.c.id == project_id)).first()
        return Project(row.id, row.name, row.created_at) if row else None

    def find_by_name(self, name: str) -> Project | None:
        row = self._conn.execute(select(t.projects).where(t.projects.c.name == name)).first()
        return Project(row.id, row.name, row.created_at) if row else None


class SqlAccessKeyRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, key: AccessKey) -> None:
        self._conn.execute(
            insert(t.access_keys).values(
                key_id=key.key_id,
                project_id=key.project_id,
                secret_hash=key.secret_hash,
                created_at=key.created_at,
                revoked_at=key.revoked_at,
            )
        )

    def get(self, key_id: str) -> AccessKey | None:
        row = self._conn.execute(select(t.access_keys).where(t.access_keys.c.key_id == key_id)).first()
        if row is None:
            return None
        return AccessKey(row.key_id, row.project_id, row.secret_hash, row.created_at, row.revoked_at)

    def revoke(self, key_id: str, when: datetime) -> bool:
        result = self._conn.execute(
            update(t.access_keys)
            .where(t.access_keys.c.key_id == key_id, t.access_keys.c.revoked_at.is_(None))
            .values(revoked_at=when)
        )
        return result.rowcount == 1


def _number_from_row(row: Row[Any]) -> InventoryNumber:
    currency = row.currency_code
    return InventoryNumber(
        phone_number=row.phone_number,
        region_code=row.region_code,
        number_type=NumberType(row.number_type),
        capabilities=mask_to_capabilities(row.capabilities),
        setup_price=Price(currency, Decimal(row.setup_price)),
        monthly_price=Price(currency, Decimal(row.monthly_price)),
        payment_interval_months=row.payment_interval_months,
        state=NumberState(row.state),
        project_id=row.project_id,
    )


def _prefix_upper_bound(prefix: str) -> str:
    """The smallest string greater than every string that starts with `prefix` (digits and '+')."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


# Built once: the hot compare-and-set statements of reservation skip per-call statement building
# and cache-key work (a large share of a create on SQLite).
_GET_NUMBER = select(t.numbers).where(t.numbers.c.phone_number == bindparam("b_phone"))
_MOVE_NUMBER = (
    update(t.numbers)
    .where(t.numbers.c.phone_number == bindparam("b_phone"), t.numbers.c.state == bindparam("b_expected"))
    .values(state=bindparam("b_target"), project_id=bindparam("b_project"))
)
_TAKE_NUMBER = _MOVE_NUMBER.returning(*t.numbers.c)


class SqlInventoryRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add_many(self, numbers: Sequence[InventoryNumber]) -> None:
        if not numbers:
            return
        self._conn.execute(insert(t.numbers), [self._row(n) for n in numbers])
        suffixes = [
            {
                "region_code": n.region_code,
                "number_type": n.number_type.value,
                "suffix": suffix,
                "phone_number": n.phone_number,
            }
            for n in numbers
            for suffix in search_suffixes(n.phone_number)
        ]
        self._conn.execute(insert(t.number_suffixes), suffixes)

    @staticmethod
    def _row(n: InventoryNumber) -> dict[str, object]:
        return {
            "phone_number": n.phone_number,
            "region_code": n.region_code,
            "number_type": n.number_type.value,
            "capabilities": capabilities_to_mask(n.capabilities),
            "currency_code": n.setup_price.currency_code,
            "setup_price": str(n.setup_price.amount),
            "monthly_price": str(n.monthly_price.amount),
            "payment_interval_months": n.payment_interval_months,
            "state": n.state.value,
            "project_id": n.project_id,
        }

    def existing(self, phone_numbers: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(phone_numbers), 500):
            chunk = list(phone_numbers[start : start + 500])
            rows = self._conn.execute(
                select(t.numbers.c.phone_number).where(t.numbers.c.phone_number.in_(chunk))
            )
            found.update(r.phone_number for r in rows)
        return found

    def get(self, phone_number: str) -> InventoryNumber | None:
        row = self._conn.execute(_GET_NUMBER, {"b_phone": phone_number}).first()
        return _number_from_row(row) if row else None

    def search(self, criteria: SearchCriteria) -> list[InventoryNumber]:
        pattern = criteria.pattern
        if pattern is not None and pattern.pattern and pattern.search_pattern is not SearchPattern.START:
            return self._search_by_suffix(criteria)
        n = t.numbers
        query = self._available(select(n), criteria)
        if pattern is not None and pattern.pattern:
            query = query.where(
                n.c.phone_number >= pattern.pattern,
                n.c.phone_number < _prefix_upper_bound(pattern.pattern),
            )
        query = query.order_by(n.c.phone_number).limit(criteria.size)
        return [_number_from_row(r) for r in self._conn.execute(query)]

    @staticmethod
    def _available(query: Select[Any], criteria: SearchCriteria) -> Select[Any]:
        n = t.numbers
        query = query.where(
            n.c.region_code == criteria.region_code,
            n.c.number_type == criteria.number_type.value,
            n.c.state == NumberState.AVAILABLE.value,
        )
        if criteria.capabilities:
            mask = capabilities_to_mask(criteria.capabilities)
            query = query.where(n.c.capabilities.op("&")(mask) == mask)
        return query

    def _search_by_suffix(self, criteria: SearchCriteria) -> list[InventoryNumber]:
        """Walk the suffix index in its own order (so LIMIT stops early), keyset-paged.

        A number that holds the pattern twice shows up twice in the walk; it is kept once.
        """
        assert criteria.pattern is not None
        s, n = t.number_suffixes, t.numbers
        text = criteria.pattern.pattern
        if criteria.pattern.search_pattern is SearchPattern.END:
            # Written as a closed range, not `=`: with `=` SQLite's planner drives the join from
            # `numbers` and probes the suffix index per row (a scan); the range keeps the walk here.
            suffix_clause = and_(s.c.suffix >= text, s.c.suffix <= text)
        else:
            suffix_clause = and_(s.c.suffix >= text, s.c.suffix < _prefix_upper_bound(text))
        base = self._available(
            select(n, s.c.suffix.label("matched_suffix")).join(n, n.c.phone_number == s.c.phone_number),
            criteria,
        ).where(s.c.region_code == criteria.region_code, s.c.number_type == criteria.number_type.value)
        found: dict[str, InventoryNumber] = {}
        after: tuple[str, str] | None = None
        page = max(criteria.size * 2, 16)
        while len(found) < criteria.size:
            query = base.where(suffix_clause)
            if after is not None:
                query = query.where(tuple_(s.c.suffix, s.c.phone_number) > after)
            rows = list(self._conn.execute(query.order_by(s.c.suffix, s.c.phone_number).limit(page)))
            for row in rows:
                found.setdefault(row.phone_number, _number_from_row(row))
            if len(rows) < page:
                break
            after = (rows[-1].matched_suffix, rows[-1].phone_number)
        return sorted(found.values(), key=lambda x: x.phone_number)[: criteria.size]

    def products(self) -> list[tuple[str, NumberType]]:
        n = t.numbers
        rows = self._conn.execute(
            select(n.c.region_code, n.c.number_type)
            .where(n.c.state == NumberState.AVAILABLE.value)
            .group_by(n.c.region_code, n.c.number_type)
        )
        return [(r.region_code, NumberType(r.number_type)) for r in rows]

    @staticmethod
    def _move_params(
        phone_number: str, expected: NumberState, target: NumberState, project_id: str | None
    ) -> dict[str, object]:
        return {
            "b_phone": phone_number,
            "b_expected": expected.value,
            "b_target": target.value,
            "b_project": project_id,
        }

    def move(
        self, phone_number: str, expected: NumberState, target: NumberState, project_id: str | None
    ) -> bool:
        params = self._move_params(phone_number, expected, target, project_id)
        return self._conn.execute(_MOVE_NUMBER, params).rowcount == 1

    def take(
        self, phone_number: str, expected: NumberState, target: NumberState, project_id: str | None
    ) -> InventoryNumber | None:
        # One statement (UPDATE … RETURNING, SQLite >= 3.35 and PostgreSQL): the compare-and-set
        # and the read of what was taken, instead of a read then a conditional update.
        params = self._move_params(phone_number, expected, target, project_id)
        row = self._conn.execute(_TAKE_NUMBER, params).first()
        return _number_from_row(row) if row else None


class SqlJobRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self.scheduled = 0  # how many jobs this transaction scheduled (the unit of work nudges on commit)

    def schedule(self, kind: str, ref: str, due_at: datetime) -> None:
        j = t.scheduled_jobs
        self.scheduled += 1
        moved = self._conn.execute(
            update(j).where(j.c.kind == kind, j.c.ref == ref).values(due_at=due_at, lease_until=None)
        )
        if moved.rowcount == 0:
            self._conn.execute(insert(j).values(kind=kind, ref=ref, due_at=due_at, attempts=0))

    def cancel(self, kind: str, ref: str) -> None:
        j = t.scheduled_jobs
        self._conn.execute(delete(j).where(j.c.kind == kind, j.c.ref == ref))

    def next_due(self) -> datetime | None:
        value: datetime | None = self._conn.execute(select(func.min(t.scheduled_jobs.c.due_at))).scalar()
        return value

    def due(self, now: datetime, limit: int) -> list[ScheduledJob]:
        j = t.scheduled_jobs
        rows = self._conn.execute(
            select(j)
            .where(j.c.due_at <= now, or_(j.c.lease_until.is_(None), j.c.lease_until < now))
            .order_by(j.c.due_at, j.c.id)
            .limit(limit)
        )
        return [ScheduledJob(r.id, r.kind, r.ref, r.due_at, r.attempts) for r in rows]

    def claim(self, job_id: int, due_at: datetime, now: datetime, lease_until: datetime) -> bool:
        j = t.scheduled_jobs
        result = self._conn.execute(
            update(j)
            .where(
                j.c.id == job_id,
                j.c.due_at == due_at,
                or_(j.c.lease_until.is_(None), j.c.lease_until < now),
            )
            .values(lease_until=lease_until, attempts=j.c.attempts + 1)
        )
        return result.rowcount == 1

    def done(self, job_id: int, due_at: datetime) -> None:
        j = t.scheduled_jobs
        # Only the run that was claimed: a handler that rescheduled its own job moved `due_at`.
        self._conn.execute(delete(j).where(j.c.id == job_id, j.c.due_at == due_at))

    def retry(self, job_id: int, due_at: datetime, error: str) -> None:
        j = t.scheduled_jobs
        self._conn.execute(
            update(j).where(j.c.id == job_id).values(due_at=due_at, lease_until=None, last_error=error[:500])
        )


class SqlOutboxRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self.added = 0  # events recorded in this transaction (the unit of work nudges on commit)

    def add(self, event: CallbackEvent) -> None:
        self.added += 1
        self._conn.execute(
            insert(t.outbox_events).values(
                event_id=event.event_id,
                project_id=event.project_id,
                api=event.api.value,
                resource_type=event.resource_type,
                resource_id=event.resource_id,
                event_type=event.event_type,
                status=event.status,
                failure_code=event.failure_code,
                internal_failure_code=event.internal_failure_code,
                extra=json.dumps(dict(event.extra), separators=(",", ":")),
                callback_url=event.callback_url,
                occurred_at=event.occurred_at,
            )
        )

    def list_for_project(self, project_id: str, limit: int = 100) -> list[CallbackEvent]:
        o = t.outbox_events
        rows = self._conn.execute(
            select(o).where(o.c.project_id == project_id).order_by(o.c.occurred_at, o.c.event_id).limit(limit)
        )
        return [
            CallbackEvent(
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
            for r in rows
        ]


class SqlSandboxClockRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def offset_microseconds(self) -> int:
        value = self._conn.execute(
            select(t.sandbox_clock.c.offset_us).where(t.sandbox_clock.c.id == 1)
        ).scalar()
        return int(value or 0)

    def set_offset_microseconds(self, offset: int) -> None:
        c = t.sandbox_clock
        if self._conn.execute(update(c).where(c.c.id == 1).values(offset_us=offset)).rowcount == 0:
            self._conn.execute(insert(c).values(id=1, offset_us=offset))

"""Number-order repositories: SQLAlchemy Core on the unit of work's connection, never committing.

Races are settled here: state changes are `UPDATE … WHERE id = :id AND state = :expected` (checked by
row count), a number can hold only one live reservation (primary key), and an idempotency key is
claimed with `INSERT … ON CONFLICT DO NOTHING` (PostgreSQL waits for a concurrent holder's commit).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, bindparam, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from numberdesk.adapters.db import tables_number_orders as t
from numberdesk.domain.active_numbers import VoiceConfig, VoiceType
from numberdesk.domain.inventory import NumberType, Price, capabilities_to_mask, mask_to_capabilities
from numberdesk.domain.number_orders import (
    FINAL_STATES,
    NumberOrder,
    NumberOrderState,
    OrderedNumber,
    OrderSms,
    RegistrationLog,
    StoredAttachment,
)
from numberdesk.services.ports_number_orders import OrderQuery, StoredRegistration


def _order_row(o: NumberOrder) -> dict[str, object]:
    return {
        "id": o.id,
        "project_id": o.project_id,
        "region_code": o.region_code,
        "number_type": o.number_type.value,
        "state": o.state.value,
        "sms_service_plan_id": o.sms.service_plan_id if o.sms else None,
        "sms_campaign_id": o.sms.campaign_id if o.sms else None,
        "voice_type": o.voice.type.value if o.voice else None,
        "voice_id": o.voice.id if o.voice else None,
        "callback_url": o.callback_url,
        "expire_time": o.expire_time,
        "created_at": o.created_at,
        "updated_at": o.updated_at,
    }


def _number(r: Row[Any]) -> OrderedNumber:
    return OrderedNumber(
        phone_number=r.phone_number,
        capabilities=mask_to_capabilities(r.capabilities),
        setup_price=Price(r.currency_code, Decimal(r.setup_price)),
        monthly_price=Price(r.currency_code, Decimal(r.monthly_price)),
        payment_interval_months=r.payment_interval_months,
    )


def _order(r: Row[Any], numbers: Sequence[OrderedNumber]) -> NumberOrder:
    return NumberOrder(
        id=r.id,
        project_id=r.project_id,
        region_code=r.region_code,
        number_type=NumberType(r.number_type),
        state=NumberOrderState(r.state),
        numbers=tuple(numbers),
        expire_time=r.expire_time,
        created_at=r.created_at,
        updated_at=r.updated_at,
        sms=OrderSms(r.sms_service_plan_id, r.sms_campaign_id) if r.sms_service_plan_id is not None else None,
        voice=VoiceConfig(VoiceType(r.voice_type), r.voice_id or "") if r.voice_type else None,
        callback_url=r.callback_url,
    )


# Built once: executing a prepared statement with parameters skips SQLAlchemy's per-call statement
# building and cache-key work (about half the cost of a create on SQLite).
_INSERT_ORDER = insert(t.number_orders)
_INSERT_NUMBER = insert(t.number_order_numbers)
_INSERT_RESERVATION = insert(t.number_reservations)
_GET_ORDER = select(t.number_orders).where(t.number_orders.c.id == bindparam("b_id"))
_GET_NUMBERS = (
    select(t.number_order_numbers)
    .where(t.number_order_numbers.c.order_id == bindparam("b_id"))
    .order_by(t.number_order_numbers.c.position)
)
_MOVE = (
    update(t.number_orders)
    .where(t.number_orders.c.id == bindparam("b_id"), t.number_orders.c.state == bindparam("b_expected"))
    .values(
        state=bindparam("b_state"),
        updated_at=bindparam("b_updated", type_=t.number_orders.c.updated_at.type),
    )
)
_LIVE_STATES = tuple(s.value for s in NumberOrderState if s not in FINAL_STATES)
# One index probe per live state on (state, expire_time): the earliest expiry.
_NEXT_EXPIRY = (
    select(t.number_orders.c.expire_time)
    .where(t.number_orders.c.state == bindparam("b_state"))
    .order_by(t.number_orders.c.expire_time)
    .limit(1)
)
_EXPIRING = (
    select(t.number_orders.c.id)
    .where(
        t.number_orders.c.state.in_(_LIVE_STATES),
        t.number_orders.c.expire_time <= bindparam("b_now", type_=t.number_orders.c.expire_time.type),
    )
    .order_by(t.number_orders.c.expire_time, t.number_orders.c.id)
    .limit(bindparam("b_limit"))
)
_RELEASE = delete(t.number_reservations).where(t.number_reservations.c.order_id == bindparam("b_id"))


class SqlNumberOrderRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, order: NumberOrder) -> None:
        self._conn.execute(_INSERT_ORDER, _order_row(order))
        if not order.numbers:
            return
        self._conn.execute(
            _INSERT_NUMBER,
            [
                {
                    "order_id": order.id,
                    "position": i,
                    "phone_number": n.phone_number,
                    "capabilities": capabilities_to_mask(n.capabilities),
                    "currency_code": n.setup_price.currency_code,
                    "setup_price": str(n.setup_price.amount),
                    "monthly_price": str(n.monthly_price.amount),
                    "payment_interval_months": n.payment_interval_months,
                }
                for i, n in enumerate(order.numbers)
            ],
        )
        self._conn.execute(
            _INSERT_RESERVATION, [{"phone_number": p, "order_id": order.id} for p in order.phone_numbers]
        )

    def _with_numbers(self, rows: Sequence[Row[Any]]) -> list[NumberOrder]:
        if not rows:
            return []
        n = t.number_order_numbers
        numbers: dict[str, list[OrderedNumber]] = {}
        ids = [r.id for r in rows]
        for start in range(0, len(ids), 500):
            query = (
                select(n)
                .where(n.c.order_id.in_(ids[start : start + 500]))
                .order_by(n.c.order_id, n.c.position)
            )
            for row in self._conn.execute(query):
                numbers.setdefault(row.order_id, []).append(_number(row))
        return [_order(r, numbers.get(r.id, [])) for r in rows]

    def get(self, order_id: str) -> NumberOrder | None:
        row = self._conn.execute(_GET_ORDER, {"b_id": order_id}).first()
        if row is None:
            return None
        return _order(row, [_number(n) for n in self._conn.execute(_GET_NUMBERS, {"b_id": order_id})])

    def move(self, order: NumberOrder, expected: NumberOrderState) -> bool:
        params = {
            "b_id": order.id,
            "b_expected": expected.value,
            "b_state": order.state.value,
            "b_updated": order.updated_at,
        }
        if self._conn.execute(_MOVE, params).rowcount != 1:
            return False
        if order.state in FINAL_STATES:
            self._conn.execute(_RELEASE, {"b_id": order.id})
        return True

    def _filtered(self, query: OrderQuery) -> Any:
        o = t.number_orders
        stmt = select(o).where(o.c.project_id == query.project_id)
        if query.states:
            stmt = stmt.where(o.c.state.in_([s.value for s in query.states]))
        return stmt

    def find(self, query: OrderQuery) -> list[NumberOrder]:
        o = t.number_orders
        stmt = self._filtered(query)
        if query.after:
            stmt = stmt.where(o.c.id > query.after)
        rows = list(self._conn.execute(stmt.order_by(o.c.id).limit(query.limit)))
        return self._with_numbers(rows)

    def count(self, query: OrderQuery) -> int:
        stmt = self._filtered(query).with_only_columns(func.count())
        return int(self._conn.execute(stmt).scalar() or 0)

    def review_queue(self, limit: int) -> list[NumberOrder]:
        o = t.number_orders
        rows = list(
            self._conn.execute(
                select(o)
                .where(o.c.state == NumberOrderState.IN_REVIEW.value)
                .order_by(o.c.expire_time, o.c.id)
                .limit(limit)
            )
        )
        return self._with_numbers(rows)

    def next_expiry(self) -> datetime | None:
        found = [self._conn.execute(_NEXT_EXPIRY, {"b_state": state}).scalar() for state in _LIVE_STATES]
        return min((when for when in found if when is not None), default=None)

    def expiring(self, now: datetime, limit: int) -> list[str]:
        return list(self._conn.execute(_EXPIRING, {"b_now": now, "b_limit": limit}).scalars())

    def get_registration(self, order_id: str) -> StoredRegistration | None:
        r = t.number_order_registrations
        row = self._conn.execute(select(r).where(r.c.order_id == order_id)).first()
        return StoredRegistration(bytes(row.ciphertext), row.key_id, row.updated_at) if row else None

    def put_registration(self, order_id: str, registration: StoredRegistration) -> None:
        r = t.number_order_registrations
        values = {
            "ciphertext": registration.ciphertext,
            "key_id": registration.key_id,
            "updated_at": registration.updated_at,
        }
        if self._conn.execute(update(r).where(r.c.order_id == order_id).values(**values)).rowcount == 0:
            self._conn.execute(insert(r).values(order_id=order_id, **values))

    def add_log(self, order_id: str, log: RegistrationLog, reasons_json: str) -> None:
        self._conn.execute(
            insert(t.number_order_logs).values(
                order_id=order_id, message=log.message, reasons=reasons_json, created_at=log.created_at
            )
        )

    def logs(self, order_id: str) -> list[RegistrationLog]:
        lg = t.number_order_logs
        rows = self._conn.execute(select(lg).where(lg.c.order_id == order_id).order_by(lg.c.id))
        return [RegistrationLog(r.message, r.created_at) for r in rows]

    def put_attachment(self, attachment: StoredAttachment) -> StoredAttachment | None:
        a = t.number_order_attachments
        where = (a.c.order_id == attachment.order_id, a.c.attachment_id == attachment.attachment_id)
        old_row = self._conn.execute(select(a).where(*where)).first()
        values = {
            "file_name": attachment.file_name,
            "mime_type": attachment.mime_type,
            "document_type": attachment.document_type,
            "size": attachment.size,
            "blob_key": attachment.blob_key,
            "key_id": attachment.key_id,
            "updated_at": attachment.updated_at,
        }
        if old_row is None:
            self._conn.execute(
                insert(a).values(
                    order_id=attachment.order_id,
                    attachment_id=attachment.attachment_id,
                    created_at=attachment.created_at,
                    **values,
                )
            )
            return None
        self._conn.execute(update(a).where(*where).values(**values))
        return _attachment(old_row)

    def attachments(self, order_id: str) -> list[StoredAttachment]:
        a = t.number_order_attachments
        rows = self._conn.execute(select(a).where(a.c.order_id == order_id).order_by(a.c.attachment_id))
        return [_attachment(r) for r in rows]


def _attachment(r: Row[Any]) -> StoredAttachment:
    return StoredAttachment(
        order_id=r.order_id,
        attachment_id=r.attachment_id,
        file_name=r.file_name,
        mime_type=r.mime_type,
        document_type=r.document_type,
        size=r.size,
        blob_key=r.blob_key,
        key_id=r.key_id,
        created_at=r.created_at,
        updated_at=r.updated_at,
    )


def reasons_to_json(reasons: Sequence[dict[str, str | None]]) -> str:
    return json.dumps(list(reasons), separators=(",", ":"))


class SqlIdempotencyRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def claim(self, project_id: str, key: str, operation: str, request_hash: str, now: datetime) -> bool:
        values = {
            "project_id": project_id,
            "key": key,
            "operation": operation,
            "request_hash": request_hash,
            "created_at": now,
        }
        table = t.idempotency_keys
        dialect = self._conn.dialect.name
        if dialect == "postgresql":
            stmt: Any = postgresql.insert(table).values(**values).on_conflict_do_nothing()
        elif dialect == "sqlite":
            stmt = sqlite.insert(table).values(**values).on_conflict_do_nothing()
        else:  # pragma: no cover - only the two supported dialects
            raise RuntimeError(f"unsupported dialect {dialect}")
        # RETURNING, not rowcount: psycopg reports no row count for ON CONFLICT DO NOTHING inserts.
        return self._conn.execute(stmt.returning(table.c.key)).first() is not None

    def complete(self, project_id: str, key: str, operation: str, result: str) -> None:
        k = t.idempotency_keys
        self._conn.execute(
            update(k)
            .where(k.c.project_id == project_id, k.c.key == key, k.c.operation == operation)
            .values(result=result)
        )

    def get(self, project_id: str, key: str, operation: str) -> tuple[str, str | None] | None:
        k = t.idempotency_keys
        row = self._conn.execute(
            select(k.c.request_hash, k.c.result).where(
                k.c.project_id == project_id, k.c.key == key, k.c.operation == operation
            )
        ).first()
        return (row.request_hash, row.result) if row else None

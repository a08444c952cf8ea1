"""Repositories of active numbers, E911 addresses and the provisioning simulator (SQLAlchemy Core)."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, Select, delete, func, insert, or_, select, tuple_, update

from numberdesk.adapters.db import tables_active_numbers as t
from numberdesk.domain.active_numbers import (
    ActiveNumber,
    FailureKind,
    FailureRule,
    ProvisioningStatus,
    ScheduledSms,
    ScheduledVoice,
    SimulatorTiming,
    SmsConfig,
    VoiceConfig,
    VoiceType,
)
from numberdesk.domain.emergency_address import Address, EmergencyAddress
from numberdesk.domain.inventory import (
    NumberType,
    Price,
    SearchPattern,
    capabilities_to_mask,
    mask_to_capabilities,
)
from numberdesk.services.ports_active_numbers import ActiveNumberOrder, ActiveNumberQuery


def _sms_to_json(s: ScheduledSms | None) -> str | None:
    if s is None:
        return None
    return json.dumps(
        {
            "servicePlanId": s.service_plan_id,
            "campaignId": s.campaign_id,
            "status": s.status.value,
            "lastUpdated": s.last_updated.isoformat(),
            "errorCodes": list(s.error_codes),
        }
    )


def _sms_from_json(text: str | None) -> ScheduledSms | None:
    if not text:
        return None
    d = json.loads(text)
    return ScheduledSms(
        d["servicePlanId"],
        d["campaignId"],
        ProvisioningStatus(d["status"]),
        datetime.fromisoformat(d["lastUpdated"]),
        tuple(d["errorCodes"]),
    )


def _voice_to_json(s: ScheduledVoice | None) -> str | None:
    if s is None:
        return None
    return json.dumps(
        {
            "type": s.type.value,
            "id": s.id,
            "status": s.status.value,
            "lastUpdated": s.last_updated.isoformat(),
        }
    )


def _voice_from_json(text: str | None) -> ScheduledVoice | None:
    if not text:
        return None
    d = json.loads(text)
    return ScheduledVoice(
        VoiceType(d["type"]),
        d["id"],
        ProvisioningStatus(d["status"]),
        datetime.fromisoformat(d["lastUpdated"]),
    )


def _row(n: ActiveNumber) -> dict[str, object]:
    return {
        "phone_number": n.phone_number,
        "project_id": n.project_id,
        "region_code": n.region_code,
        "number_type": n.number_type.value,
        "capabilities": capabilities_to_mask(n.capabilities),
        "currency_code": n.money.currency_code,
        "monthly_price": str(n.money.amount),
        "payment_interval_months": n.payment_interval_months,
        "activated_at": n.activated_at,
        "expire_at": n.expire_at,
        "display_name": n.display_name,
        "callback_url": n.callback_url,
        "sms_service_plan_id": n.sms.service_plan_id,
        "sms_campaign_id": n.sms.campaign_id,
        "sms_scheduled": _sms_to_json(n.sms_scheduled),
        "voice_type": n.voice.type.value,
        "voice_id": n.voice.id,
        "voice_last_updated": n.voice_last_updated,
        "voice_scheduled": _voice_to_json(n.voice_scheduled),
        "version": n.version,
    }


def _from_row(r: Row[Any]) -> ActiveNumber:
    return ActiveNumber(
        phone_number=r.phone_number,
        project_id=r.project_id,
        region_code=r.region_code,
        number_type=NumberType(r.number_type),
        capabilities=mask_to_capabilities(r.capabilities),
        money=Price(r.currency_code, Decimal(r.monthly_price)),
        payment_interval_months=r.payment_interval_months,
        activated_at=r.activated_at,
        display_name=r.display_name,
        callback_url=r.callback_url,
        expire_at=r.expire_at,
        sms=SmsConfig(r.sms_service_plan_id, r.sms_campaign_id),
        sms_scheduled=_sms_from_json(r.sms_scheduled),
        voice=VoiceConfig(VoiceType(r.voice_type), r.voice_id),
        voice_last_updated=r.voice_last_updated,
        voice_scheduled=_voice_from_json(r.voice_scheduled),
        version=r.version,
    )


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class SqlActiveNumberRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, number: ActiveNumber) -> None:
        self._conn.execute(insert(t.active_numbers).values(**_row(number)))

    def get(self, phone_number: str) -> ActiveNumber | None:
        a = t.active_numbers
        row = self._conn.execute(select(a).where(a.c.phone_number == phone_number)).first()
        return _from_row(row) if row else None

    def save(self, number: ActiveNumber) -> bool:
        a = t.active_numbers
        values = _row(number)
        values["version"] = number.version + 1
        result = self._conn.execute(
            update(a)
            .where(a.c.phone_number == number.phone_number, a.c.version == number.version)
            .values(**values)
        )
        if result.rowcount == 1:
            number.version += 1
            return True
        return False

    def delete(self, phone_number: str) -> None:
        self._conn.execute(delete(t.active_numbers).where(t.active_numbers.c.phone_number == phone_number))

    def _filtered(self, query: Select[Any], q: ActiveNumberQuery) -> Select[Any]:
        a = t.active_numbers
        query = query.where(
            a.c.project_id == q.project_id, or_(a.c.expire_at.is_(None), a.c.expire_at > q.now)
        )
        if q.region_code:
            query = query.where(a.c.region_code == q.region_code)
        if q.number_type is not None:
            query = query.where(a.c.number_type == q.number_type.value)
        if q.capabilities:
            mask = capabilities_to_mask(q.capabilities)
            query = query.where(a.c.capabilities.op("&")(mask) == mask)
        if q.pattern is not None and q.pattern.pattern:
            text = _like_escape(q.pattern.pattern)
            like = {
                SearchPattern.START: f"{text}%",
                SearchPattern.END: f"%{text}",
                SearchPattern.CONTAINS: f"%{text}%",
            }[q.pattern.search_pattern]
            query = query.where(a.c.phone_number.like(like, escape="\\"))
        return query

    def list(self, query: ActiveNumberQuery) -> list[ActiveNumber]:
        a = t.active_numbers
        stmt = self._filtered(select(a), query)
        if query.order_by is ActiveNumberOrder.DISPLAY_NAME:
            if query.after is not None:
                stmt = stmt.where(tuple_(a.c.display_name, a.c.phone_number) > tuple(query.after))
            stmt = stmt.order_by(a.c.display_name, a.c.phone_number)
        else:
            if query.after is not None:
                stmt = stmt.where(a.c.phone_number > query.after[-1])
            stmt = stmt.order_by(a.c.phone_number)
        return [_from_row(r) for r in self._conn.execute(stmt.limit(query.limit))]

    def count(self, query: ActiveNumberQuery) -> int:
        stmt = self._filtered(select(func.count()).select_from(t.active_numbers), query)
        return int(self._conn.execute(stmt).scalar_one())


class SqlEmergencyAddressRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, phone_number: str) -> EmergencyAddress | None:
        e = t.emergency_addresses
        r = self._conn.execute(select(e).where(e.c.phone_number == phone_number)).first()
        if r is None:
            return None
        address = Address(
            street_number=r.street_number,
            street_info=r.street_info,
            city=r.city,
            state=r.state,
            postal_code=r.postal_code,
            location=r.location,
            postal_code_plus_four=r.postal_code_plus_four,
        )
        return EmergencyAddress(r.phone_number, r.project_id, r.display_name, address)

    def put(self, address: EmergencyAddress, now: datetime) -> None:
        e = t.emergency_addresses
        a = address.address
        values = {
            "project_id": address.project_id,
            "display_name": address.display_name,
            "street_number": a.street_number,
            "street_info": a.street_info,
            "location": a.location,
            "city": a.city,
            "state": a.state,
            "postal_code": a.postal_code,
            "postal_code_plus_four": a.postal_code_plus_four,
            "updated_at": now,
        }
        moved = self._conn.execute(update(e).where(e.c.phone_number == address.phone_number).values(**values))
        if moved.rowcount == 0:
            self._conn.execute(insert(e).values(phone_number=address.phone_number, **values))

    def delete(self, phone_number: str) -> bool:
        e = t.emergency_addresses
        return self._conn.execute(delete(e).where(e.c.phone_number == phone_number)).rowcount == 1


class SqlSimulatorRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def rules(self) -> list[FailureRule]:
        f = t.simulator_failure_rules
        rows = self._conn.execute(select(f).order_by(f.c.created_at, f.c.id))
        return [FailureRule(r.id, FailureKind(r.kind), r.match, r.failure_code, r.created_at) for r in rows]

    def add_rule(self, rule: FailureRule) -> None:
        self._conn.execute(
            insert(t.simulator_failure_rules).values(
                id=rule.id,
                kind=rule.kind.value,
                match=rule.match,
                failure_code=rule.failure_code,
                created_at=rule.created_at,
            )
        )

    def delete_rule(self, rule_id: str) -> bool:
        f = t.simulator_failure_rules
        return self._conn.execute(delete(f).where(f.c.id == rule_id)).rowcount == 1

    def timing(self) -> SimulatorTiming | None:
        s = t.simulator_settings
        r = self._conn.execute(select(s).where(s.c.id == 1)).first()
        return SimulatorTiming(r.waiting_seconds, r.in_progress_seconds) if r else None

    def set_timing(self, timing: SimulatorTiming) -> None:
        s = t.simulator_settings
        values = {
            "waiting_seconds": timing.waiting_seconds,
            "in_progress_seconds": timing.in_progress_seconds,
        }
        if self._conn.execute(update(s).where(s.c.id == 1).values(**values)).rowcount == 0:
            self._conn.execute(insert(s).values(id=1, **values))

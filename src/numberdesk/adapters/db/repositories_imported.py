"""Repositories of imported numbers, hosting orders, qualified numbers and the carrier simulator."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, insert, select, update

from numberdesk.adapters.db import codec_imported as codec
from numberdesk.adapters.db import tables_imported as t
from numberdesk.domain.carrier_simulator import CarrierFailureRule, CarrierStep, CarrierTiming
from numberdesk.domain.errors import AlreadyExists
from numberdesk.domain.hosting_orders import HostingOrder
from numberdesk.domain.imported_events import FailureCode
from numberdesk.domain.imported_numbers import ImportedNumber
from numberdesk.domain.qualified_numbers import QualifiedNumber
from numberdesk.services.ports_imported import ImportedProjectSettings


class SqlImportedNumberRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._versions: dict[str, int] = {}

    def get(self, phone_number: str) -> ImportedNumber | None:
        row = self._conn.execute(
            select(t.imported_numbers.c.document, t.imported_numbers.c.version).where(
                t.imported_numbers.c.phone_number == phone_number
            )
        ).first()
        if row is None:
            return None
        self._versions[phone_number] = row.version
        return codec.imported_number_from(row.document)

    def add(self, number: ImportedNumber) -> None:
        if self._conn.execute(
            select(t.imported_numbers.c.phone_number).where(
                t.imported_numbers.c.phone_number == number.phone_number
            )
        ).first():
            raise AlreadyExists("ImportedNumber", number.phone_number, "The imported number already exists.")
        self._conn.execute(
            insert(t.imported_numbers).values(
                phone_number=number.phone_number,
                project_id=number.project_id,
                region_code=number.region_code,
                created_time=number.created_time,
                document=codec.imported_number_document(number),
                version=1,
            )
        )
        self._versions[number.phone_number] = 1

    def save(self, number: ImportedNumber) -> bool:
        loaded = self._versions[number.phone_number]
        c = t.imported_numbers.c
        result = self._conn.execute(
            update(t.imported_numbers)
            .where(c.phone_number == number.phone_number, c.version == loaded)
            .values(document=codec.imported_number_document(number), version=loaded + 1)
        )
        self._versions[number.phone_number] = loaded + 1
        return result.rowcount == 1

    def delete(self, phone_number: str) -> bool:
        c = t.imported_numbers.c
        stmt = delete(t.imported_numbers).where(c.phone_number == phone_number)
        if phone_number in self._versions:
            stmt = stmt.where(c.version == self._versions[phone_number])
        return self._conn.execute(stmt).rowcount == 1

    def list_for_project(self, project_id: str) -> list[ImportedNumber]:
        c = t.imported_numbers.c
        rows = self._conn.execute(
            select(c.document).where(c.project_id == project_id).order_by(c.phone_number)
        )
        return [codec.imported_number_from(r.document) for r in rows]


class SqlHostingOrderRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._versions: dict[str, int] = {}

    def get(self, hosting_order_id: str) -> HostingOrder | None:
        c = t.hosting_orders.c
        row = self._conn.execute(
            select(c.document, c.version).where(c.hosting_order_id == hosting_order_id)
        ).first()
        if row is None:
            return None
        self._versions[hosting_order_id] = row.version
        return codec.hosting_order_from(row.document)

    def add(self, order: HostingOrder) -> None:
        self._conn.execute(
            insert(t.hosting_orders).values(
                hosting_order_id=order.hosting_order_id,
                project_id=order.project_id,
                state=order.state.value,
                order_type=order.order_type.value,
                created_time=order.created_time,
                document=codec.hosting_order_document(order),
                version=1,
            )
        )
        self._versions[order.hosting_order_id] = 1

    def save(self, order: HostingOrder) -> bool:
        loaded = self._versions[order.hosting_order_id]
        c = t.hosting_orders.c
        result = self._conn.execute(
            update(t.hosting_orders)
            .where(c.hosting_order_id == order.hosting_order_id, c.version == loaded)
            .values(document=codec.hosting_order_document(order), state=order.state.value, version=loaded + 1)
        )
        self._versions[order.hosting_order_id] = loaded + 1
        return result.rowcount == 1

    def list_for_project(self, project_id: str) -> list[HostingOrder]:
        c = t.hosting_orders.c
        rows = self._conn.execute(
            select(c.document).where(c.project_id == project_id).order_by(c.created_time, c.hosting_order_id)
        )
        return [codec.hosting_order_from(r.document) for r in rows]


class SqlQualifiedNumberRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._versions: dict[tuple[str, str], int] = {}

    def get(self, project_id: str, phone_number: str) -> QualifiedNumber | None:
        c = t.qualified_numbers.c
        row = self._conn.execute(
            select(c.document, c.version).where(c.project_id == project_id, c.phone_number == phone_number)
        ).first()
        if row is None:
            return None
        self._versions[(project_id, phone_number)] = row.version
        return codec.qualified_number_from(row.document)

    def add(self, number: QualifiedNumber) -> None:
        self._conn.execute(
            insert(t.qualified_numbers).values(
                project_id=number.project_id,
                phone_number=number.phone_number,
                state=number.state.value,
                created_time=number.created_time,
                document=codec.qualified_number_document(number),
                version=1,
            )
        )
        self._versions[(number.project_id, number.phone_number)] = 1

    def save(self, number: QualifiedNumber) -> bool:
        key = (number.project_id, number.phone_number)
        loaded = self._versions[key]
        c = t.qualified_numbers.c
        result = self._conn.execute(
            update(t.qualified_numbers)
            .where(c.project_id == key[0], c.phone_number == key[1], c.version == loaded)
            .values(
                document=codec.qualified_number_document(number),
                state=number.state.value,
                version=loaded + 1,
            )
        )
        self._versions[key] = loaded + 1
        return result.rowcount == 1

    def delete(self, project_id: str, phone_number: str) -> bool:
        c = t.qualified_numbers.c
        return (
            self._conn.execute(
                delete(t.qualified_numbers).where(c.project_id == project_id, c.phone_number == phone_number)
            ).rowcount
            == 1
        )

    def list_for_project(self, project_id: str) -> list[QualifiedNumber]:
        c = t.qualified_numbers.c
        rows = self._conn.execute(
            select(c.document).where(c.project_id == project_id).order_by(c.phone_number)
        )
        return [codec.qualified_number_from(r.document) for r in rows]


class SqlImportedSettingsRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, project_id: str) -> ImportedProjectSettings:
        s = t.imported_project_settings
        row = self._conn.execute(select(s).where(s.c.project_id == project_id)).first()
        if row is None:
            return ImportedProjectSettings(project_id)
        return ImportedProjectSettings(
            project_id, row.import_number_limit, bool(row.blanket_loa_approved), row.nnid, row.hmac_secret
        )

    def put(self, settings: ImportedProjectSettings) -> None:
        s = t.imported_project_settings
        values = {
            "import_number_limit": settings.import_number_limit,
            "blanket_loa_approved": settings.blanket_loa_approved,
            "nnid": settings.nnid,
            "hmac_secret": settings.hmac_secret,
        }
        updated = self._conn.execute(
            update(s).where(s.c.project_id == settings.project_id).values(**values)
        ).rowcount
        if not updated:
            self._conn.execute(insert(s).values(project_id=settings.project_id, **values))


class SqlServicePlanRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def known(self) -> frozenset[str]:
        c = t.imported_service_plans.c
        return frozenset(r.service_plan_id for r in self._conn.execute(select(c.service_plan_id)))

    def add(self, service_plan_id: str, now: datetime) -> None:
        if service_plan_id not in self.known():
            self._conn.execute(
                insert(t.imported_service_plans).values(service_plan_id=service_plan_id, created_at=now)
            )

    def delete(self, service_plan_id: str) -> bool:
        c = t.imported_service_plans.c
        return (
            self._conn.execute(
                delete(t.imported_service_plans).where(c.service_plan_id == service_plan_id)
            ).rowcount
            == 1
        )


class SqlCarrierSimulatorRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def rules(self) -> list[CarrierFailureRule]:
        r = t.carrier_failure_rules
        rows = self._conn.execute(select(r).order_by(r.c.created_at, r.c.id))
        return [
            CarrierFailureRule(
                row.id, CarrierStep(row.step), row.match, FailureCode(row.failure_code), row.created_at
            )
            for row in rows
        ]

    def add_rule(self, rule: CarrierFailureRule) -> None:
        self._conn.execute(
            insert(t.carrier_failure_rules).values(
                id=rule.id,
                step=rule.step.value,
                match=rule.match,
                failure_code=rule.failure_code.value,
                created_at=rule.created_at,
            )
        )

    def delete_rule(self, rule_id: str) -> bool:
        r = t.carrier_failure_rules
        return self._conn.execute(delete(r).where(r.c.id == rule_id)).rowcount == 1

    def timing(self) -> CarrierTiming:
        s = t.carrier_settings
        row = self._conn.execute(select(s).where(s.c.id == 1)).first()
        return CarrierTiming() if row is None else CarrierTiming(row.step_seconds, row.eligibility_seconds)

    def set_timing(self, timing: CarrierTiming) -> None:
        s = t.carrier_settings
        values = {"step_seconds": timing.step_seconds, "eligibility_seconds": timing.eligibility_seconds}
        if not self._conn.execute(update(s).where(s.c.id == 1).values(**values)).rowcount:
            self._conn.execute(insert(s).values(id=1, **values))


class SqlVoiceCodeRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def record(self, phone_number: str, code: str, at: datetime) -> None:
        v = t.sandbox_voice_codes
        if not self._conn.execute(
            update(v).where(v.c.phone_number == phone_number).values(code=code, called_at=at)
        ).rowcount:
            self._conn.execute(insert(v).values(phone_number=phone_number, code=code, called_at=at))

    def get(self, phone_number: str) -> tuple[str, datetime] | None:
        v = t.sandbox_voice_codes
        row = self._conn.execute(select(v).where(v.c.phone_number == phone_number)).first()
        return None if row is None else (row.code, row.called_at)


class SqlImportedRepositories:
    """Everything of the Imported Numbers API on one connection (`uow.imported`)."""

    def __init__(self, conn: Connection) -> None:
        self.numbers = SqlImportedNumberRepository(conn)
        self.orders = SqlHostingOrderRepository(conn)
        self.qualified = SqlQualifiedNumberRepository(conn)
        self.settings = SqlImportedSettingsRepository(conn)
        self.service_plans = SqlServicePlanRepository(conn)
        self.carrier = SqlCarrierSimulatorRepository(conn)
        self.voice_codes = SqlVoiceCodeRepository(conn)

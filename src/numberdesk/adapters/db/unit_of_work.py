"""The SQL unit of work: one connection, one transaction, every repository on it.

Only `commit()` commits; leaving the block without it rolls back. State changes and their outbox
rows are written by repositories on the same connection, so they land together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine, RootTransaction

from numberdesk.adapters.db.engine import READONLY
from numberdesk.adapters.db.repositories import (
    SqlAccessKeyRepository,
    SqlInventoryRepository,
    SqlJobRepository,
    SqlProjectRepository,
    SqlSandboxClockRepository,
)
from numberdesk.adapters.db.repositories_active_numbers import (
    SqlActiveNumberRepository,
    SqlEmergencyAddressRepository,
    SqlSimulatorRepository,
)
from numberdesk.adapters.db.repositories_callbacks import (
    SqlCallbackConfigurationRepository,
    SqlCallbackDeliveryRepository,
    SqlCallbackOutboxRepository,
)
from numberdesk.adapters.db.repositories_imported import SqlImportedRepositories
from numberdesk.adapters.db.repositories_number_orders import (
    SqlIdempotencyRepository,
    SqlNumberOrderRepository,
)


class SqlUnitOfWork:
    def __init__(
        self, engine: Engine, *, readonly: bool = False, nudge: Callable[[], None] | None = None
    ) -> None:
        self._engine = engine.execution_options(**{READONLY: True}) if readonly else engine
        self._nudge = nudge
        self._conn: Connection | None = None
        self._tx: RootTransaction | None = None

    @property
    def connection(self) -> Connection:
        if self._conn is None:
            raise RuntimeError("unit of work used outside its `with` block")
        return self._conn

    def __enter__(self) -> Self:
        self._conn = self._engine.connect()
        self._tx = self._conn.begin()
        conn = self._conn
        self.projects = SqlProjectRepository(conn)
        self.keys = SqlAccessKeyRepository(conn)
        self.inventory = SqlInventoryRepository(conn)
        self.jobs = SqlJobRepository(conn)
        self.outbox = SqlCallbackOutboxRepository(conn)
        self.sandbox_clock = SqlSandboxClockRepository(conn)
        self.active_numbers = SqlActiveNumberRepository(conn)
        self.emergency_addresses = SqlEmergencyAddressRepository(conn)
        self.simulator = SqlSimulatorRepository(conn)
        self.callback_configurations = SqlCallbackConfigurationRepository(conn)
        self.deliveries = SqlCallbackDeliveryRepository(conn)
        self.imported = SqlImportedRepositories(conn)
        self.number_orders = SqlNumberOrderRepository(conn)
        self.idempotency = SqlIdempotencyRepository(conn)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if self._tx is not None and self._tx.is_active:
                self._tx.rollback()
        finally:
            if self._conn is not None:
                self._conn.close()
            self._conn = None
            self._tx = None

    def commit(self) -> None:
        if self._tx is None:
            raise RuntimeError("unit of work used outside its `with` block")
        self._tx.commit()
        if self._nudge is not None and (self.outbox.added or self.jobs.scheduled):
            self._nudge()


class SqlUnitOfWorkFactory:
    def __init__(self, engine: Engine, nudge: Callable[[], None] | None = None) -> None:
        self.engine = engine
        self._nudge = nudge

    def __call__(self, *, readonly: bool = False) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, readonly=readonly, nudge=self._nudge)

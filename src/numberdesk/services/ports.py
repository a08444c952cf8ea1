"""Ports: what the use cases need from the outside, as Protocols. Adapters implement them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from numberdesk.domain.callbacks import Delivery, DeliveryAttempt, DeliveryState
from numberdesk.domain.events import CallbackApi, CallbackEvent
from numberdesk.domain.inventory import InventoryNumber, NumberState, NumberType, SearchCriteria
from numberdesk.domain.projects import AccessKey, Project
from numberdesk.services.ports_active_numbers import (
    ActiveNumberRepository,
    EmergencyAddressRepository,
    SimulatorRepository,
)
from numberdesk.services.ports_imported import ImportedRepositories
from numberdesk.services.ports_number_orders import IdempotencyRepository, NumberOrderRepository


class Clock(Protocol):
    def now(self) -> datetime: ...


class MovableClock(Clock, Protocol):
    """The sandbox clock: it can only move forward."""

    def set(self, when: datetime) -> None: ...


class ProjectRepository(Protocol):
    def add(self, project: Project) -> None: ...
    def get(self, project_id: str) -> Project | None: ...
    def find_by_name(self, name: str) -> Project | None: ...


class AccessKeyRepository(Protocol):
    def add(self, key: AccessKey) -> None: ...
    def get(self, key_id: str) -> AccessKey | None: ...
    def revoke(self, key_id: str, when: datetime) -> bool: ...


class InventoryRepository(Protocol):
    def add_many(self, numbers: Sequence[InventoryNumber]) -> None: ...
    def existing(self, phone_numbers: Sequence[str]) -> set[str]: ...
    def get(self, phone_number: str) -> InventoryNumber | None: ...
    def search(self, criteria: SearchCriteria) -> list[InventoryNumber]: ...
    def products(self) -> list[tuple[str, NumberType]]: ...
    def move(
        self, phone_number: str, expected: NumberState, target: NumberState, project_id: str | None
    ) -> bool:
        """Compare-and-set on state: True only if the number was `expected` and is now `target`."""
        ...

    def take(
        self, phone_number: str, expected: NumberState, target: NumberState, project_id: str | None
    ) -> InventoryNumber | None:
        """`move` that returns the number as it now is (None: it was not `expected`)."""
        ...


@dataclass(frozen=True)
class ScheduledJob:
    id: int
    kind: str
    ref: str
    due_at: datetime
    attempts: int


class JobRepository(Protocol):
    def schedule(self, kind: str, ref: str, due_at: datetime) -> None:
        """Create or move the one job for (kind, ref)."""
        ...

    def cancel(self, kind: str, ref: str) -> None: ...
    def next_due(self) -> datetime | None: ...
    def due(self, now: datetime, limit: int) -> list[ScheduledJob]: ...
    def claim(self, job_id: int, due_at: datetime, now: datetime, lease_until: datetime) -> bool:
        """Lease this run of the job (this `due_at`), unless another worker holds it."""
        ...

    def done(self, job_id: int, due_at: datetime) -> None:
        """Remove the job run that was claimed (not a later reschedule of it)."""
        ...

    def retry(self, job_id: int, due_at: datetime, error: str) -> None: ...


class OutboxRepository(Protocol):
    def add(self, event: CallbackEvent) -> None: ...
    def list_for_project(self, project_id: str, limit: int = 100) -> list[CallbackEvent]: ...


class CallbackConfigurationRepository(Protocol):
    """Per-project, per-API callback secrets, stored encrypted (the service encrypts/decrypts)."""

    def get_encrypted(self, project_id: str, api: CallbackApi) -> bytes | None: ...
    def put_encrypted(self, project_id: str, api: CallbackApi, ciphertext: bytes, now: datetime) -> None: ...


@dataclass(frozen=True)
class ClaimedDelivery:
    """A delivery leased to one dispatcher for one attempt (`attempt_no`), identified by `token`."""

    event: CallbackEvent
    attempt_no: int
    window_started_at: datetime
    token: str


@dataclass(frozen=True)
class AttemptResult:
    """What to record after an attempt: the log line, and where the delivery goes next."""

    attempt: DeliveryAttempt
    state: DeliveryState
    next_attempt_at: datetime | None


class CallbackDeliveryRepository(Protocol):
    def claim_due(
        self, now: datetime, limit: int, lease_until: datetime, token: str
    ) -> list[ClaimedDelivery]:
        """Lease up to `limit` PENDING deliveries due at `now` whose lease is free; never the same
        row to two callers (SKIP LOCKED on PostgreSQL, serialised compare-and-set on SQLite)."""
        ...

    def next_due(self) -> datetime | None: ...
    def record(self, token: str, result: AttemptResult, now: datetime) -> bool:
        """Log the attempt and move the delivery, only if `token` still holds its lease."""
        ...

    def record_many(self, token: str, results: Sequence[AttemptResult], now: datetime) -> set[str]:
        """`record` for a batch in a few statements; returns the event ids whose lease held."""
        ...

    def stop_url(self, project_id: str, callback_url: str, now: datetime) -> int:
        """Mark every queued, unleased delivery to this URL GONE (after a 410)."""
        ...

    def get(self, event_id: str) -> Delivery | None: ...
    def attempts(self, event_id: str) -> list[DeliveryAttempt]: ...
    def list_recent(
        self, project_id: str | None, state: DeliveryState | None, limit: int
    ) -> list[Delivery]: ...
    def redeliver(self, event_id: str, now: datetime) -> bool: ...
    def feed(
        self, project_id: str, after: tuple[datetime, str] | None, limit: int
    ) -> list[CallbackEvent]: ...


class SandboxClockRepository(Protocol):
    def offset_microseconds(self) -> int: ...
    def set_offset_microseconds(self, offset: int) -> None: ...


class UnitOfWork(Protocol):
    """A transaction. Only `commit()` makes changes (and their outbox rows) visible."""

    @property
    def projects(self) -> ProjectRepository: ...
    @property
    def keys(self) -> AccessKeyRepository: ...
    @property
    def inventory(self) -> InventoryRepository: ...
    @property
    def jobs(self) -> JobRepository: ...
    @property
    def outbox(self) -> OutboxRepository: ...
    @property
    def sandbox_clock(self) -> SandboxClockRepository: ...
    @property
    def active_numbers(self) -> ActiveNumberRepository: ...
    @property
    def emergency_addresses(self) -> EmergencyAddressRepository: ...
    @property
    def simulator(self) -> SimulatorRepository: ...
    @property
    def callback_configurations(self) -> CallbackConfigurationRepository: ...
    @property
    def deliveries(self) -> CallbackDeliveryRepository: ...
    @property
    def imported(self) -> ImportedRepositories: ...
    @property
    def number_orders(self) -> NumberOrderRepository: ...
    @property
    def idempotency(self) -> IdempotencyRepository: ...

    def __enter__(self) -> Self: ...
    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...
    def commit(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    """Makes a fresh unit of work; `readonly=True` lets SQLite readers skip the write lock."""

    def __call__(self, *, readonly: bool = False) -> UnitOfWork: ...


class Cipher(Protocol):
    """Authenticated encryption for data at rest; the key id travels inside the ciphertext."""

    def encrypt(self, plaintext: bytes, associated_data: bytes) -> bytes: ...
    def decrypt(self, ciphertext: bytes, associated_data: bytes) -> bytes: ...
    def key_id_of(self, ciphertext: bytes) -> str: ...


class KycPolicies(Protocol):
    def has_policy(self, region_code: str, number_type: NumberType) -> bool: ...

"""Ports of the number-order feature: orders and their registration, idempotency keys, blobs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from numberdesk.domain.number_orders import (
    NumberOrder,
    NumberOrderState,
    RegistrationLog,
    StoredAttachment,
)


@dataclass(frozen=True)
class OrderQuery:
    project_id: str
    states: tuple[NumberOrderState, ...] = ()
    after: str | None = None  # keyset: the last order id of the previous page
    limit: int = 100


@dataclass(frozen=True)
class StoredRegistration:
    ciphertext: bytes
    key_id: str
    updated_at: datetime


class NumberOrderRepository(Protocol):
    def add(self, order: NumberOrder) -> None:
        """Insert the order, its numbers and one live reservation per number (unique per number)."""
        ...

    def get(self, order_id: str) -> NumberOrder | None: ...

    def move(self, order: NumberOrder, expected: NumberOrderState) -> bool:
        """Compare-and-set: write `order.state`/`updated_at` only if the row is still `expected`.
        Leaving a live state also drops the order's reservations."""
        ...

    def find(self, query: OrderQuery) -> list[NumberOrder]: ...
    def count(self, query: OrderQuery) -> int: ...
    def review_queue(self, limit: int) -> list[NumberOrder]:
        """IN_REVIEW orders of every project, the soonest to expire first."""
        ...

    def next_expiry(self) -> datetime | None:
        """The earliest `expire_time` of a live (not final) order of any project."""
        ...

    def expiring(self, now: datetime, limit: int) -> list[str]:
        """Ids of live orders whose `expire_time` is at or before `now`, the earliest first."""
        ...

    def get_registration(self, order_id: str) -> StoredRegistration | None: ...
    def put_registration(self, order_id: str, registration: StoredRegistration) -> None: ...
    def add_log(self, order_id: str, log: RegistrationLog, reasons_json: str) -> None: ...
    def logs(self, order_id: str) -> list[RegistrationLog]: ...
    def put_attachment(self, attachment: StoredAttachment) -> StoredAttachment | None:
        """Insert or replace; returns the replaced one (its blob is now garbage)."""
        ...

    def attachments(self, order_id: str) -> list[StoredAttachment]: ...


class IdempotencyRepository(Protocol):
    def claim(self, project_id: str, key: str, operation: str, request_hash: str, now: datetime) -> bool:
        """Insert the key; False when it exists already (waits for a concurrent holder to finish)."""
        ...

    def complete(self, project_id: str, key: str, operation: str, result: str) -> None: ...
    def get(self, project_id: str, key: str, operation: str) -> tuple[str, str | None] | None:
        """(request_hash, result) of a stored key."""
        ...


class BlobStore(Protocol):
    """Opaque bytes under path-like keys made by the server (never from client input)."""

    def put(self, key: str, data: bytes) -> None: ...
    def get(self, key: str) -> bytes: ...
    def delete(self, key: str) -> None: ...


class OrderRepositories(Protocol):
    """What a unit of work must offer the number-order use cases (besides the foundation's)."""

    @property
    def number_orders(self) -> NumberOrderRepository: ...
    @property
    def idempotency(self) -> IdempotencyRepository: ...


def phone_list(orders: Sequence[NumberOrder]) -> list[str]:
    return [p for o in orders for p in o.phone_numbers]

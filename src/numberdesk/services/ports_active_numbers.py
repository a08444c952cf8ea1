"""Ports of the active-number feature: active numbers, E911 addresses, the provisioning simulator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from numberdesk.domain.active_numbers import ActiveNumber, FailureRule, SimulatorTiming
from numberdesk.domain.emergency_address import EmergencyAddress
from numberdesk.domain.inventory import Capability, NumberPattern, NumberType


class ActiveNumberOrder(StrEnum):
    PHONE_NUMBER = "phoneNumber"
    DISPLAY_NAME = "displayName"


@dataclass(frozen=True)
class ActiveNumberQuery:
    """A project's numbers still listed at `now` (not past `expireAt`), filtered, in a stable order.

    `after` is the sort key of the last row of the previous page: `(phone,)` or `(displayName, phone)`.
    """

    project_id: str
    now: datetime
    region_code: str | None = None
    number_type: NumberType | None = None
    pattern: NumberPattern | None = None
    capabilities: tuple[Capability, ...] = ()
    order_by: ActiveNumberOrder = ActiveNumberOrder.PHONE_NUMBER
    after: tuple[str, ...] | None = None
    limit: int = 100


class ActiveNumberRepository(Protocol):
    def add(self, number: ActiveNumber) -> None: ...
    def get(self, phone_number: str) -> ActiveNumber | None: ...
    def save(self, number: ActiveNumber) -> bool:
        """Write back `number` if nobody changed it since it was read (version CAS); bumps the version."""
        ...

    def delete(self, phone_number: str) -> None: ...
    def list(self, query: ActiveNumberQuery) -> list[ActiveNumber]: ...
    def count(self, query: ActiveNumberQuery) -> int: ...


class EmergencyAddressRepository(Protocol):
    def get(self, phone_number: str) -> EmergencyAddress | None: ...
    def put(self, address: EmergencyAddress, now: datetime) -> None: ...
    def delete(self, phone_number: str) -> bool: ...


class SimulatorRepository(Protocol):
    def rules(self) -> list[FailureRule]: ...
    def add_rule(self, rule: FailureRule) -> None: ...
    def delete_rule(self, rule_id: str) -> bool: ...
    def timing(self) -> SimulatorTiming | None: ...
    def set_timing(self, timing: SimulatorTiming) -> None: ...

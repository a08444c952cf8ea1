"""The number inventory: what an operator sells, and how a search is expressed.

A number is AVAILABLE (searchable), RESERVED (held by a live number order), or ACTIVE (a
project's number). Moves between these states race, so the database settles them with
conditional updates (see the inventory repository); this module only states the rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Final


class NumberType(StrEnum):
    MOBILE = "MOBILE"
    LOCAL = "LOCAL"
    TOLL_FREE = "TOLL_FREE"


class Capability(StrEnum):
    SMS = "SMS"
    VOICE = "VOICE"


class SearchPattern(StrEnum):
    START = "START"
    CONTAINS = "CONTAINS"
    END = "END"


class NumberState(StrEnum):
    AVAILABLE = "AVAILABLE"
    RESERVED = "RESERVED"
    ACTIVE = "ACTIVE"


NUMBER_TRANSITIONS: Final[Mapping[NumberState, frozenset[NumberState]]] = {
    NumberState.AVAILABLE: frozenset({NumberState.RESERVED, NumberState.ACTIVE}),
    NumberState.RESERVED: frozenset({NumberState.AVAILABLE, NumberState.ACTIVE}),
    NumberState.ACTIVE: frozenset({NumberState.AVAILABLE}),
}

_CAPABILITY_BITS: Final[Mapping[Capability, int]] = {Capability.SMS: 1, Capability.VOICE: 2}


def capabilities_to_mask(capabilities: Iterable[Capability]) -> int:
    mask = 0
    for capability in capabilities:
        mask |= _CAPABILITY_BITS[capability]
    return mask


def mask_to_capabilities(mask: int) -> tuple[Capability, ...]:
    return tuple(c for c, bit in _CAPABILITY_BITS.items() if mask & bit)


@dataclass(frozen=True)
class Price:
    currency_code: str
    amount: Decimal

    def wire_amount(self) -> str:
        return f"{self.amount:.2f}"


@dataclass(frozen=True)
class InventoryNumber:
    phone_number: str
    region_code: str
    number_type: NumberType
    capabilities: tuple[Capability, ...]
    setup_price: Price
    monthly_price: Price
    payment_interval_months: int = 1
    state: NumberState = NumberState.AVAILABLE
    project_id: str | None = None


@dataclass(frozen=True)
class NumberPattern:
    """A search on the E.164 string, `+` included (the live service matches `START +1307`, not `1307`)."""

    pattern: str
    search_pattern: SearchPattern = SearchPattern.START

    def matches(self, phone_number: str) -> bool:
        if self.search_pattern is SearchPattern.START:
            return phone_number.startswith(self.pattern)
        if self.search_pattern is SearchPattern.END:
            return phone_number.endswith(self.pattern)
        return self.pattern in phone_number


@dataclass(frozen=True)
class SearchCriteria:
    region_code: str
    number_type: NumberType
    pattern: NumberPattern | None = None
    capabilities: tuple[Capability, ...] = ()
    size: int = 30

    def accepts(self, number: InventoryNumber) -> bool:
        return (
            number.state is NumberState.AVAILABLE
            and number.region_code == self.region_code
            and number.number_type is self.number_type
            and set(self.capabilities) <= set(number.capabilities)
            and (self.pattern is None or self.pattern.matches(number.phone_number))
        )


def search_suffixes(phone_number: str) -> list[str]:
    """Every suffix of the E.164 string: CONTAINS p is a prefix of one of them, END p equals one."""
    return [phone_number[i:] for i in range(len(phone_number))]


@dataclass(frozen=True)
class RegionProduct:
    """A region and number type the operator sells, with the types it has numbers for."""

    region_code: str
    region_name: str
    types: tuple[NumberType, ...]

"""Shared Numbers API enums and value objects (provisional: the full set lands with the wire models)."""

from __future__ import annotations

from enum import StrEnum

from numberdesk.wire.base import WireResponse


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


class Money(WireResponse):
    currency_code: str
    amount: str

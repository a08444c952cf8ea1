"""Constrained scalars shared by the Imported Numbers / Hosting Orders / Qualified Numbers models.

The seed states these rules in prose: numbers are "e.164 format with leading +", hosting is
"only available for the US and Canada, so you must enter either US or CA", timestamps "need to
be from UTC zone". Requests that break them fail validation.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, TypeVar

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

E164_PATTERN = r"^\+[1-9][0-9]{1,14}$"

PhoneNumberE164 = Annotated[str, StringConstraints(pattern=E164_PATTERN)]


class RegionCode(StrEnum):
    US = "US"
    CA = "CA"


def _as_utc(value: datetime) -> datetime:
    """Naive timestamps are taken as UTC (the seed asks for UTC); aware ones are converted."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_as_utc)]

# "The maximum number of items to return, server can enforce an upper limit and overwrite the value."
PageSize = Annotated[int, Field(ge=0)]

E = TypeVar("E", bound=StrEnum)


def enum_name_or_number(enum: type[E]) -> Callable[[object], object]:
    """Query parameters the seed types as `integer, format: enum`: accept the name, or the proto
    number (declaration order, the UNSPECIFIED member being 0)."""
    members = list(enum)

    def parse(value: object) -> object:
        if isinstance(value, int) and not isinstance(value, bool):
            return members[value] if 0 <= value < len(members) else value
        if isinstance(value, str) and value.isdigit():
            number = int(value)
            return members[number] if number < len(members) else value
        return value

    return parse


def lenient_enum(enum: type[E]) -> BeforeValidator:
    return BeforeValidator(enum_name_or_number(enum))

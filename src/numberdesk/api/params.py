"""Query-string conventions the SDKs use: arrays as repeated keys or comma-joined, enums by name."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from starlette.datastructures import QueryParams

from numberdesk.domain.errors import FieldViolation, InvalidArgument

E = TypeVar("E", bound=StrEnum)


def query_list(params: QueryParams, *names: str) -> list[str]:
    """All values of the first of `names` present; `a=1&a=2` and `a=1,2` are the same."""
    values: list[str] = []
    for name in names:
        for raw in params.getlist(name):
            values.extend(v.strip() for v in raw.split(",") if v.strip())
    return values


def parse_enum(enum: type[E], value: str, field: str) -> E:
    try:
        return enum(value.strip().upper())
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise InvalidArgument(
            f'parsing field "{field}": "{value}" is not a valid value',
            [FieldViolation(field, f"must be one of {allowed}")],
        ) from None


def parse_enums(enum: type[E], values: list[str], field: str) -> tuple[E, ...]:
    return tuple(dict.fromkeys(parse_enum(enum, v, field) for v in values))


def parse_int(params: QueryParams, name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidArgument(
            f'parsing field "{name}": "{raw}" is not a number', [FieldViolation(name, "must be an integer")]
        ) from None
    if not low <= value <= high:
        raise InvalidArgument(
            f"{name} must be between {low} and {high}",
            [FieldViolation(name, f"must be between {low} and {high}")],
        )
    return value


def required(params: QueryParams, name: str) -> str:
    value = params.get(name)
    if value is None or not value.strip():
        raise InvalidArgument(f"{name} is required", [FieldViolation(name, "is required")])
    return value


def search_text(raw: str) -> str:
    """A pattern as the client meant it: an unencoded `+` (the Node SDK sends `+1307` raw) arrives
    as a leading space after form decoding, so a leading space before digits is read back as `+`."""
    if raw[:1] == " " and raw.strip().isdigit():
        return "+" + raw.strip()
    return raw.strip()

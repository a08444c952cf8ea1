"""Phone-number and region rules shared by imported numbers, hosting orders and qualified numbers.

Hosting is for the US and Canada only, so every number is E.164 in the North American plan
(`+1` and ten digits). When the numbering plan tells the country (area code), it must be the
order's region; toll-free codes are shared by both countries; unknown area codes are accepted
(the seed's own import example uses `+11234567890`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

import phonenumbers

from numberdesk.domain.errors import FieldViolation, InvalidArgument

SUPPORTED_REGIONS: Final = frozenset({"US", "CA"})
TOLL_FREE_AREA_CODES: Final = frozenset({"800", "833", "844", "855", "866", "877", "888"})

_E164: Final = re.compile(r"\+[1-9][0-9]{1,14}")
_NANP: Final = re.compile(r"\+1[0-9]{10}")


def is_nanp(phone_number: str) -> bool:
    return bool(_NANP.fullmatch(phone_number))


def is_toll_free(phone_number: str) -> bool:
    return is_nanp(phone_number) and phone_number[2:5] in TOLL_FREE_AREA_CODES


def nanp_region(phone_number: str) -> str | None:
    """The country the area code belongs to (`US`, `CA`, `JM`…), or None if unknown or toll-free."""
    if not _NANP.fullmatch(phone_number) or is_toll_free(phone_number):
        return None
    try:
        parsed = phonenumbers.parse(phone_number)
    except phonenumbers.NumberParseException:
        return None
    region: str | None = phonenumbers.region_code_for_number(parsed)
    return region


def region_for(phone_number: str) -> str:
    """The hosting region of a number whose region nobody gave (qualified numbers): US by default."""
    region = nanp_region(phone_number)
    return region if region in SUPPORTED_REGIONS else "US"


def region_code_violations(region_code: str | None, field: str = "regionCode") -> list[FieldViolation]:
    if not region_code:
        return [FieldViolation(field, "a region code is required (US or CA)")]
    if region_code not in SUPPORTED_REGIONS:
        return [FieldViolation(field, f"{region_code} is not supported; hosting is available in US and CA")]
    return []


def phone_number_violations(
    phone_number: str | None, field: str, region_code: str | None = None
) -> list[FieldViolation]:
    if not phone_number:
        return [FieldViolation(field, "a phone number is required")]
    if not _E164.fullmatch(phone_number):
        return [FieldViolation(field, "must be in E.164 format with a leading +")]
    if not _NANP.fullmatch(phone_number):
        return [FieldViolation(field, "only US and CA numbers (+1 and ten digits) can be hosted")]
    region = nanp_region(phone_number)
    if region is not None and region not in SUPPORTED_REGIONS:
        return [FieldViolation(field, f"is a {region} number; only US and CA numbers can be hosted")]
    if region is not None and region_code in SUPPORTED_REGIONS and region != region_code:
        return [FieldViolation(field, f"is a {region} number, not {region_code}")]
    return []


def numbers_violations(
    numbers: Sequence[str],
    region_code: str | None,
    *,
    field: str = "numbers",
    limit: int | None = None,
) -> list[FieldViolation]:
    """A list of numbers for one order: not empty, within `limit`, no repeats, each valid."""
    if not numbers:
        return [FieldViolation(field, "at least one number is required")]
    if limit is not None and len(numbers) > limit:
        return [FieldViolation(field, f"at most {limit} numbers are allowed, got {len(numbers)}")]
    violations: list[FieldViolation] = []
    first_seen: dict[str, int] = {}
    for index, number in enumerate(numbers):
        where = f"{field}[{index}]"
        if number in first_seen:
            violations.append(FieldViolation(where, f"repeats {field}[{first_seen[number]}]"))
            continue
        first_seen[number] = index
        violations += phone_number_violations(number, where, region_code)
    return violations


def toll_free_violations(
    numbers: Sequence[str], *, toll_free: bool, field: str = "numbers"
) -> list[FieldViolation]:
    """Toll-free orders take toll-free numbers only, and the other orders none."""
    violations = []
    for index, number in enumerate(numbers):
        if not is_nanp(number):
            continue  # reported as malformed already
        if toll_free and not is_toll_free(number):
            violations.append(FieldViolation(f"{field}[{index}]", "is not a toll-free number"))
        elif not toll_free and is_toll_free(number):
            violations.append(
                FieldViolation(f"{field}[{index}]", "is toll-free; use textEnableTollFreeNumbers")
            )
    return violations


def raise_if_invalid(violations: Sequence[FieldViolation], message: str) -> None:
    if violations:
        raise InvalidArgument(message, list(violations))

"""E.164 parsing and the number-type rules of the numbering plans (via phonenumbers)."""

from __future__ import annotations

import random
from typing import Final

import phonenumbers
from phonenumbers import PhoneNumberType

from numberdesk.domain.errors import FieldViolation, InvalidArgument
from numberdesk.domain.inventory import NumberType

_ACCEPTED_TYPES: Final[dict[NumberType, frozenset[int]]] = {
    NumberType.MOBILE: frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}),
    NumberType.LOCAL: frozenset({PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE}),
    NumberType.TOLL_FREE: frozenset({PhoneNumberType.TOLL_FREE}),
}
_PLAN_TYPES: Final[dict[NumberType, int]] = {
    NumberType.MOBILE: PhoneNumberType.MOBILE,
    NumberType.LOCAL: PhoneNumberType.FIXED_LINE,
    NumberType.TOLL_FREE: PhoneNumberType.TOLL_FREE,
}


def parse_e164(text: str, field: str = "phoneNumber") -> str:
    """The canonical E.164 form of `text`, which must already be E.164 (leading `+`, digits only)."""
    candidate = text.strip()
    problem = InvalidArgument(
        f"{text!r} is not a valid E.164 phone number",
        [FieldViolation(field, "must be a valid phone number in E.164 format, e.g. +61412345678")],
    )
    if not candidate.startswith("+") or not candidate[1:].isdigit() or len(candidate) > 16:
        raise problem
    try:
        parsed = phonenumbers.parse(candidate, None)
    except phonenumbers.NumberParseException as exc:
        raise problem from exc
    if not phonenumbers.is_valid_number(parsed):
        raise problem
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def region_of(e164: str) -> str | None:
    return phonenumbers.region_code_for_number(phonenumbers.parse(e164, None))


def type_of(e164: str) -> NumberType | None:
    kind = phonenumbers.number_type(phonenumbers.parse(e164, None))
    for number_type, accepted in _ACCEPTED_TYPES.items():
        if kind in accepted and kind != PhoneNumberType.FIXED_LINE_OR_MOBILE:
            return number_type
    if kind == PhoneNumberType.FIXED_LINE_OR_MOBILE:
        # Plans that do not tell mobile from fixed (NANP) sell such numbers as LOCAL.
        return NumberType.LOCAL
    return None


def is_of_type(e164: str, region_code: str, number_type: NumberType) -> bool:
    parsed = phonenumbers.parse(e164, None)
    return (
        phonenumbers.is_valid_number_for_region(parsed, region_code)
        and phonenumbers.number_type(parsed) in _ACCEPTED_TYPES[number_type]
    )


def has_plan(region_code: str, number_type: NumberType) -> bool:
    return phonenumbers.example_number_for_type(region_code, _PLAN_TYPES[number_type]) is not None


class NumberGenerator:
    """Makes numbers that the numbering plan accepts for a region and type, spread over many ranges.

    It first learns a set of valid leading-digit stems by sampling the plan, then fills the
    remaining digits at random and keeps only numbers the plan accepts.
    """

    def __init__(self, region_code: str, number_type: NumberType, rng: random.Random) -> None:
        example = phonenumbers.example_number_for_type(region_code, _PLAN_TYPES[number_type])
        if example is None:
            raise InvalidArgument(
                f"the numbering plan of {region_code} has no {number_type.value} numbers",
                [FieldViolation("type", f"{number_type.value} is not sold in {region_code}")],
            )
        self._region = region_code
        self._type = number_type
        self._rng = rng
        self._cc = example.country_code
        self._length = len(phonenumbers.national_significant_number(example))
        self._stems = self._learn_stems(phonenumbers.national_significant_number(example))

    def _learn_stems(self, example_nsn: str, wanted: int = 64, tries: int = 20_000) -> list[str]:
        stem_length = max(1, self._length - 4)
        stems = {example_nsn[:stem_length]}
        lead = example_nsn[:1]
        for _ in range(tries):
            if len(stems) >= wanted:
                break
            digits = lead + "".join(self._rng.choice("0123456789") for _ in range(self._length - 1))
            if self._valid(digits):
                stems.add(digits[:stem_length])
        return sorted(stems)

    def _valid(self, nsn: str) -> bool:
        e164 = f"+{self._cc}{nsn}"
        try:
            return is_of_type(e164, self._region, self._type)
        except phonenumbers.NumberParseException:
            return False

    def generate(
        self, count: int, exclude: set[str] | None = None, max_tries: int | None = None
    ) -> list[str]:
        taken = set(exclude or ())
        made: list[str] = []
        tries = max_tries if max_tries is not None else count * 50 + 1000
        for _ in range(tries):
            if len(made) >= count:
                break
            stem = self._rng.choice(self._stems)
            nsn = stem + "".join(self._rng.choice("0123456789") for _ in range(self._length - len(stem)))
            e164 = f"+{self._cc}{nsn}"
            if e164 not in taken and self._valid(nsn):
                taken.add(e164)
                made.append(e164)
        return made

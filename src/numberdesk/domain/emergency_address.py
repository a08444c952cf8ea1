"""E911 emergency addresses and the sandbox's deterministic address validator.

Validator rules (documented for users, so each outcome can be triggered on purpose):
- NO_MATCH: the street number is `0` or `00000`, or the street text contains `NOWHERE`. Candidates:
  the same address with street numbers 1 and 100 and `MAIN ST`.
- NEAR_MATCH: the street text has an unabbreviated suffix (STREET, AVENUE, ROAD, BOULEVARD, DRIVE,
  LANE, COURT, PLACE) or any lowercase letters, or the postal code is 9 digits with no
  `postalCodePlusFour`. The corrected address upper-cases, abbreviates the suffix (`Main Street` →
  `MAIN ST`) and splits a 9-digit ZIP into `postalCode` + `postalCodePlusFour`.
- EXACT_MATCH: anything else (e.g. `123`, `MAIN ST`, `SEATTLE`, `WA`, `98101`).
Only an address that validates (EXACT or NEAR match; NEAR provisions the corrected form) can be provisioned.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Final


class ValidationResult(StrEnum):
    EXACT_MATCH = "EXACT_MATCH"
    NEAR_MATCH = "NEAR_MATCH"
    NO_MATCH = "NO_MATCH"


@dataclass(frozen=True)
class Address:
    street_number: str
    street_info: str
    city: str
    state: str
    postal_code: str
    location: str = ""
    postal_code_plus_four: str = ""


@dataclass(frozen=True)
class EmergencyAddress:
    phone_number: str
    project_id: str
    display_name: str
    address: Address


@dataclass(frozen=True)
class Validation:
    result: ValidationResult
    message: str
    corrected: Address | None = None
    candidates: tuple[Address, ...] = ()


SUFFIXES: Final[dict[str, str]] = {
    "STREET": "ST",
    "AVENUE": "AVE",
    "ROAD": "RD",
    "BOULEVARD": "BLVD",
    "DRIVE": "DR",
    "LANE": "LN",
    "COURT": "CT",
    "PLACE": "PL",
}


def _normalise_street(text: str) -> str:
    words = text.upper().split()
    return " ".join(SUFFIXES.get(word, word) for word in words)


def validate_address(address: Address) -> Validation:
    street = address.street_info
    if address.street_number.strip() in {"0", "00000"} or "NOWHERE" in street.upper():
        candidates = tuple(
            replace(address, street_number=n, street_info="MAIN ST", city=address.city.upper())
            for n in ("1", "100")
        )
        return Validation(ValidationResult.NO_MATCH, "Address not found", None, candidates)
    messages: list[str] = []
    corrected = address
    normalised = _normalise_street(street)
    if any(word in SUFFIXES for word in street.upper().split()):
        messages.append("Corrected address abbreviations")
    if (
        street != street.upper()
        or address.city != address.city.upper()
        or address.state != address.state.upper()
    ):
        messages.append("Corrected to valid address")
    corrected = replace(
        corrected,
        street_info=normalised,
        city=address.city.upper(),
        state=address.state.upper(),
        location=address.location.upper(),
    )
    zip_digits = address.postal_code.replace("-", "")
    if len(zip_digits) == 9 and zip_digits.isdigit() and not address.postal_code_plus_four:
        corrected = replace(corrected, postal_code=zip_digits[:5], postal_code_plus_four=zip_digits[5:])
        messages.append("Corrected postal code")
    if corrected == address:
        return Validation(ValidationResult.EXACT_MATCH, "Address validated", address)
    if "Corrected to valid address" in messages:
        messages.remove("Corrected to valid address")
        messages.insert(0, "Corrected to valid address")
    return Validation(ValidationResult.NEAR_MATCH, "|".join(messages), corrected)

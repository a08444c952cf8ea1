"""The KYC requirements catalog: what a (region, number type) asks of the end user.

A `RequirementSet` is the policy behind `numberOrders:lookupNumberRequirements`: a JSON Schema for the
registration's `requestDetails`, the documents to upload, and the semantic rules a schema cannot say
(check digits, an address inside the ordered number's local area). The data lives in
`numberdesk/catalog/regions/<RC>.json` and is loaded by `numberdesk.adapters.kyc_catalog`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Final

import pycountry

from numberdesk.domain.errors import DomainError

# Sinch's number types. A shared `NumberType` StrEnum compares equal to these strings, so either works
# as a key for `Catalog.get`.
NUMBER_TYPES: Final = ("MOBILE", "LOCAL", "TOLL_FREE")
END_USER_TYPES: Final = ("BUSINESS", "INDIVIDUAL")
DEFAULT_RESERVATION_HOURS: Final = 48


class CatalogError(DomainError):
    """A catalog file is unreadable or breaks the catalog format; names the file and the field."""

    def __init__(self, file: str, field: str, problem: str) -> None:
        super().__init__(f"{file}: {field or '(file)'}: {problem}")
        self.file = file
        self.field = field
        self.problem = problem


class CheckKind(StrEnum):
    """Semantic checks a JSON Schema cannot express; `CHECKS` below implements each."""

    BR_CPF = "BR_CPF"  # Brazilian individual taxpayer number, two mod-11 check digits
    BR_CNPJ = "BR_CNPJ"  # Brazilian legal-entity number, two mod-11 check digits
    ES_NIF = "ES_NIF"  # Spanish DNI/NIE, mod-23 check letter
    ES_CIF = "ES_CIF"  # Spanish company tax code, control digit or letter
    FR_SIRET = "FR_SIRET"  # French establishment number, Luhn
    IT_CODICE_FISCALE = "IT_CODICE_FISCALE"  # Italian personal tax code, check letter
    AU_ABN = "AU_ABN"  # Australian Business Number, mod-89 weighted sum
    AU_ACN = "AU_ACN"  # Australian Company Number, mod-10 complement
    ZA_ID_NUMBER = "ZA_ID_NUMBER"  # South African identity number, Luhn
    COUNTRY_CODE = "COUNTRY_CODE"  # a real ISO 3166-1 alpha-2 code
    NO_PO_BOX = "NO_PO_BOX"  # an address line that is not a post-office box


class UnmatchedArea(StrEnum):
    """What a local-address rule does with a number whose area the rule does not list."""

    ACCEPT = "ACCEPT"  # nothing to check against; the human review decides
    REJECT = "REJECT"


@dataclass(frozen=True)
class FieldRule:
    """Run `check` on the value at `path` (dotted, inside `requestDetails`) when it is present."""

    check: CheckKind
    path: str


@dataclass(frozen=True)
class LocalArea:
    """One local network area: numbers whose national significant number starts with `area_code`."""

    area_code: str
    name: str
    postal_code_prefixes: tuple[str, ...]

    def contains(self, postal_code: str) -> bool:
        compact = postal_code.replace(" ", "").upper()
        return any(compact.startswith(prefix) for prefix in self.postal_code_prefixes)


@dataclass(frozen=True)
class LocalAddressRule:
    """The address must lie in the local area of the ordered number (e.g. DE `Ortsnetz`).

    Areas are matched by the longest `area_code` prefix of the number's national significant number
    (German area codes are prefix-free, so the longest match is the only one).
    """

    postal_code_path: str
    areas: tuple[LocalArea, ...]
    unmatched_area: UnmatchedArea = UnmatchedArea.ACCEPT

    def area_for(self, national_number: str) -> LocalArea | None:
        matches = [area for area in self.areas if national_number.startswith(area.area_code)]
        return max(matches, key=lambda area: len(area.area_code), default=None)


@dataclass(frozen=True)
class AttachmentTemplate:
    name: str
    url: str


@dataclass(frozen=True)
class AttachmentRequirement:
    """A document the end user uploads; `applies_to` empty means every end-user type."""

    id: str
    title: str
    description: str
    mandatory: bool
    allowed_mime_types: tuple[str, ...]
    allowed_document_types: tuple[str, ...]
    templates: tuple[AttachmentTemplate, ...] = ()
    applies_to: frozenset[str] = frozenset()

    def required_for(self, end_user_type: str | None) -> bool:
        """Mandatory for this end user; with the type not known yet, every mandatory one counts."""
        if not self.mandatory:
            return False
        return end_user_type is None or not self.applies_to or end_user_type in self.applies_to


@dataclass(frozen=True)
class RequirementSet:
    """The KYC policy for one (region, number type)."""

    region_code: str
    number_type: str
    schema: Mapping[str, object] = field(hash=False)
    attachments: tuple[AttachmentRequirement, ...] = ()
    reservation_hours: int = DEFAULT_RESERVATION_HOURS
    review_required: bool = True
    local_address_rule: LocalAddressRule | None = None
    checks: tuple[FieldRule, ...] = ()
    example: Mapping[str, object] | None = field(default=None, hash=False)
    confidence: str = ""
    sources: tuple[str, ...] = ()
    comment: str = ""

    @property
    def end_user_types(self) -> tuple[str, ...]:
        """The `endUserType` values the schema admits (every catalog schema declares them)."""
        properties = self.schema.get("properties")
        end_user = properties.get("endUserType") if isinstance(properties, Mapping) else None
        values = end_user.get("enum") if isinstance(end_user, Mapping) else None
        if isinstance(values, list | tuple):
            return tuple(str(value) for value in values)
        return END_USER_TYPES

    def attachment(self, attachment_id: str) -> AttachmentRequirement | None:
        return next((a for a in self.attachments if a.id == attachment_id), None)


class Catalog:
    """All requirement sets, keyed by (region code, number type). Immutable once built."""

    def __init__(self, sets: Iterable[RequirementSet]) -> None:
        self._sets: dict[tuple[str, str], RequirementSet] = {(s.region_code, s.number_type): s for s in sets}

    def get(self, region_code: str, number_type: str) -> RequirementSet | None:
        """The policy, or None where there is none (the real service answers 404, e.g. US LOCAL)."""
        return self._sets.get((region_code.upper(), str(number_type)))

    def has_policy(self, region_code: str, number_type: str) -> bool:
        return self.get(region_code, number_type) is not None

    def regions(self) -> tuple[str, ...]:
        return tuple(sorted({region for region, _ in self._sets}))

    def number_types(self, region_code: str) -> tuple[str, ...]:
        region = region_code.upper()
        return tuple(t for t in NUMBER_TYPES if (region, t) in self._sets)

    def sets(self) -> tuple[RequirementSet, ...]:
        return tuple(self._sets[key] for key in sorted(self._sets))

    def __len__(self) -> int:
        return len(self._sets)


# --- The checks behind CheckKind: each takes the submitted string and returns a problem or None ----


def _digits(value: str, separators: str) -> str | None:
    compact = value.translate({ord(c): None for c in separators})
    return compact if compact.isdigit() else None


def _mod11_check_digit(digits: str, weights: Sequence[int]) -> int:
    remainder = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return 0 if remainder < 2 else 11 - remainder


def _luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        n = int(char) * (2 if index % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def check_cpf(value: str) -> str | None:
    d = _digits(value, ".-")
    if d is None or len(d) != 11 or len(set(d)) == 1:
        return "must be a CPF of 11 digits"
    first = _mod11_check_digit(d[:9], range(10, 1, -1))
    second = _mod11_check_digit(d[:10], range(11, 1, -1))
    return None if d[9:] == f"{first}{second}" else "is not a valid CPF (check digits do not match)"


def check_cnpj(value: str) -> str | None:
    d = _digits(value, "./-")
    if d is None or len(d) != 14 or len(set(d)) == 1:
        return "must be a CNPJ of 14 digits"
    weights = (5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
    first = _mod11_check_digit(d[:12], weights)
    second = _mod11_check_digit(d[:13], (6, *weights))
    return None if d[12:] == f"{first}{second}" else "is not a valid CNPJ (check digits do not match)"


def check_es_nif(value: str) -> str | None:
    match = re.fullmatch(r"([XYZ]?)(\d{7,8})([A-Z])", value.upper())
    if not match or len(match[1] + match[2]) != 8:
        return "must be a DNI (8 digits and a letter) or an NIE (X, Y or Z, 7 digits and a letter)"
    number = int((str("XYZ".index(match[1])) if match[1] else "") + match[2])
    return None if "TRWAGMYFPDXBNJZSQVHLCKE"[number % 23] == match[3] else "has a wrong control letter"


def check_es_cif(value: str) -> str | None:
    match = re.fullmatch(r"([ABCDEFGHJNPQRSUVW])(\d{7})([0-9A-J])", value.upper())
    if not match:
        return "must be a CIF: a letter, 7 digits and a control character"
    digits = match[2]
    total = sum(int(digits[i]) for i in (1, 3, 5))
    total += sum(sum(divmod(2 * int(digits[i]), 10)) for i in (0, 2, 4, 6))
    control = (10 - total % 10) % 10
    allowed = {str(control), "JABCDEFGHI"[control]}
    if match[1] in "PQRSNW":
        allowed = {"JABCDEFGHI"[control]}
    elif match[1] in "ABEH":
        allowed = {str(control)}
    return None if match[3] in allowed else "has a wrong control character"


def check_siret(value: str) -> str | None:
    d = _digits(value, " ")
    if d is None or len(d) != 14:
        return "must be a SIRET of 14 digits"
    if d.startswith("356000000"):  # La Poste's establishments use a digit-sum rule instead of Luhn
        return None if sum(map(int, d)) % 5 == 0 else "is not a valid SIRET"
    return None if _luhn_valid(d) else "is not a valid SIRET (check digit does not match)"


_CF_ODD = dict(zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", (
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21,
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
), strict=True))  # fmt: skip


def check_codice_fiscale(value: str) -> str | None:
    code = value.upper()
    if not re.fullmatch(r"[A-Z0-9]{15}[A-Z]", code):
        return "must be a codice fiscale of 16 letters and digits"
    total = sum(
        _CF_ODD[c] if i % 2 == 0 else (int(c) if c.isdigit() else ord(c) - ord("A"))
        for i, c in enumerate(code[:15])
    )
    return None if chr(ord("A") + total % 26) == code[15] else "has a wrong check letter"


def check_abn(value: str) -> str | None:
    d = _digits(value, " ")
    if d is None or len(d) != 11:
        return "must be an ABN of 11 digits"
    weights = (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)
    total = sum(w * (int(c) - (1 if i == 0 else 0)) for i, (c, w) in enumerate(zip(d, weights, strict=True)))
    return None if total % 89 == 0 else "is not a valid ABN (checksum does not match)"


def check_acn(value: str) -> str | None:
    d = _digits(value, " ")
    if d is None or len(d) != 9:
        return "must be an ACN of 9 digits"
    total = sum(int(c) * w for c, w in zip(d[:8], range(8, 0, -1), strict=True))
    return None if (10 - total % 10) % 10 == int(d[8]) else "is not a valid ACN (check digit does not match)"


def check_za_id_number(value: str) -> str | None:
    d = _digits(value, " ")
    if d is None or len(d) != 13:
        return "must be a South African ID number of 13 digits"
    try:
        date(2000 + int(d[:2]), int(d[2:4]), int(d[4:6]))  # any century: only month and day matter
    except ValueError:
        return "does not start with a valid date of birth (YYMMDD)"
    return None if _luhn_valid(d) else "is not a valid ID number (check digit does not match)"


def check_country_code(value: str) -> str | None:
    # pycountry matches case-insensitively; the code itself is upper case.
    known = value.isupper() and pycountry.countries.get(alpha_2=value) is not None
    return None if known else "is not an ISO 3166-1 alpha-2 country code"


_PO_BOX = re.compile(
    r"\b(p\.?\s*o\.?\s*box|post\s+office\s+box|gpo\s+box|locked\s+bag|postfach|postbus|"
    r"apartado(\s+de\s+correos)?|bo[iî]te\s+postale|casella\s+postale|caixa\s+postal)\b",
    re.IGNORECASE,
)


def check_no_po_box(value: str) -> str | None:
    return "must be a street address, not a post-office box" if _PO_BOX.search(value) else None


CHECKS: Mapping[CheckKind, Callable[[str], str | None]] = {
    CheckKind.BR_CPF: check_cpf,
    CheckKind.BR_CNPJ: check_cnpj,
    CheckKind.ES_NIF: check_es_nif,
    CheckKind.ES_CIF: check_es_cif,
    CheckKind.FR_SIRET: check_siret,
    CheckKind.IT_CODICE_FISCALE: check_codice_fiscale,
    CheckKind.AU_ABN: check_abn,
    CheckKind.AU_ACN: check_acn,
    CheckKind.ZA_ID_NUMBER: check_za_id_number,
    CheckKind.COUNTRY_CODE: check_country_code,
    CheckKind.NO_PO_BOX: check_no_po_box,
}

"""The KYC requirements catalog: what a (region, number type) asks of the end user.

A `RequirementSet` is the policy behind `numberOrders:lookupNumberRequirements`: a JSON Schema for the
registration's `requestDetails`, the documents to upload, and the semantic rules a schema cannot say
(check digits, an address inside the ordered number's local area). The data lives in
`numberdesk/catalog/regions/<RC>.json` and is loaded by `numberdesk.adapters.kyc_catalog`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

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
    """Semantic checks a JSON Schema cannot express; implemented in `domain.registration`."""

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

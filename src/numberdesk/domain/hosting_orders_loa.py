"""Letters of authorisation for text-enable hosting orders.

Direct customers and resellers name a person who e-signs the letter, so their orders wait for
the signature. A blanket letter is signed once, approved by the operator for the project, and
sent as an empty object: orders that use it skip the wait.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from numberdesk.domain.errors import FieldViolation


class LoaType(StrEnum):
    DIRECT = "DIRECT"
    RESELLER = "RESELLER"
    BLANKET = "BLANKET"


LOA_FIELDS = {
    LoaType.DIRECT: "directLoaInfo",
    LoaType.RESELLER: "resellerLoaInfo",
    LoaType.BLANKET: "blanketLoaInfo",
}


@dataclass(frozen=True)
class AuthorisedPerson:
    first_name: str
    last_name: str
    email: str


@dataclass(frozen=True)
class PostalAddress:
    building_number: str
    street: str
    city: str
    state: str
    postal_code: str
    country: str


@dataclass(frozen=True)
class LetterOfAuthorisation:
    loa_type: LoaType
    authorised_person: AuthorisedPerson | None = None
    address: PostalAddress | None = None
    current_voice_carrier: str = ""
    business_name: str = ""  # resellers only

    @classmethod
    def blanket(cls) -> LetterOfAuthorisation:
        return cls(LoaType.BLANKET)

    @property
    def requires_signature(self) -> bool:
        return self.loa_type is not LoaType.BLANKET

    def violations(self) -> list[FieldViolation]:
        """Every missing part, with wire paths such as `directLoaInfo.authorisedPerson.email`."""
        if self.loa_type is LoaType.BLANKET:
            return []
        prefix = LOA_FIELDS[self.loa_type]
        violations: list[FieldViolation] = []
        if self.loa_type is LoaType.RESELLER and not self.business_name.strip():
            violations.append(FieldViolation(f"{prefix}.businessName", "required for a reseller LOA"))
        person = self.authorised_person
        if person is None:
            violations.append(FieldViolation(f"{prefix}.authorisedPerson", "required"))
        else:
            violations += _blank(
                f"{prefix}.authorisedPerson", firstName=person.first_name, lastName=person.last_name
            )
            if not _looks_like_email(person.email):
                violations.append(
                    FieldViolation(
                        f"{prefix}.authorisedPerson.email", "an email address the LOA can be sent to"
                    )
                )
        address = self.address
        if address is None:
            violations.append(FieldViolation(f"{prefix}.address", "required"))
        else:
            violations += _blank(
                f"{prefix}.address",
                buildingNumber=address.building_number,
                street=address.street,
                city=address.city,
                state=address.state,
                postalCode=address.postal_code,
                country=address.country,
            )
        if not self.current_voice_carrier.strip():
            violations.append(FieldViolation(f"{prefix}.currentVoiceCarrier", "required"))
        return violations


def _blank(prefix: str, **values: str) -> list[FieldViolation]:
    return [
        FieldViolation(f"{prefix}.{name}", "required") for name, value in values.items() if not value.strip()
    ]


def _looks_like_email(value: str) -> bool:
    local, at, domain = value.strip().rpartition("@")
    return bool(at and local and "." in domain and " " not in value.strip())

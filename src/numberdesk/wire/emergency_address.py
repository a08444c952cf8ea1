"""E911 emergency addresses of an active number: the address, the provision/validate body, validation.

Responses write every address field, `""` when unknown, as the mock service does.
"""

from __future__ import annotations

from pydantic import Field

from numberdesk.wire.base import WireRequest, WireResponse
from numberdesk.wire.numbers_common import AddressValidationResultCode


class EmergencyAddress(WireResponse):
    street_number: str = ""
    street_info: str = ""
    location: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    postal_code_plus_four: str = ""


class EmergencyAddressIn(WireRequest):
    """`address` of a provision/validate body; `location` and `postalCodePlusFour` are optional."""

    street_number: str
    street_info: str
    location: str | None = None
    city: str
    state: str
    postal_code: str
    postal_code_plus_four: str | None = None


class EmergencyAddressRequest(WireRequest):
    """Body of `emergencyAddress:provision` and `emergencyAddress:validate`."""

    display_name: str
    address: EmergencyAddressIn


class ValidateAddressResponse(WireResponse):
    phone_number: str
    display_name: str = ""
    validated_address: EmergencyAddress = Field(default_factory=EmergencyAddress)
    validation_result: AddressValidationResultCode
    validation_message: str = ""
    corrected_address: EmergencyAddress = Field(default_factory=EmergencyAddress)
    candidate_addresses: list[EmergencyAddress] = Field(default_factory=list)  # only for NO_MATCH

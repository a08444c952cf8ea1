"""E911: activeNumbers/{phoneNumber}/emergencyAddress (get, :provision, :deprovision, :validate).

The sandbox validator is deterministic (see `numberdesk.domain.emergency_address`): street number `0`
or a street containing `NOWHERE` → NO_MATCH with candidates; lowercase text, an unabbreviated street
suffix (`Street`) or a 9-digit ZIP → NEAR_MATCH with the corrected address; otherwise EXACT_MATCH.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from numberdesk.api.deps import ContainerDep, PrincipalDep
from numberdesk.api.routes.common import PROJECT_PREFIX, STANDARD_ERRORS
from numberdesk.domain.emergency_address import Address
from numberdesk.domain.phone_numbers import parse_e164
from numberdesk.services import emergency_address as service
from numberdesk.wire.emergency_address import (
    EmergencyAddress,
    EmergencyAddressIn,
    EmergencyAddressRequest,
    ValidateAddressResponse,
)
from numberdesk.wire.numbers_common import AddressValidationResultCode

router = APIRouter(prefix=PROJECT_PREFIX, tags=["Emergency Address"], responses=STANDARD_ERRORS)
BASE = "/activeNumbers/{phone_number}/emergencyAddress"


def _address(body: EmergencyAddressIn) -> Address:
    return Address(
        street_number=body.street_number,
        street_info=body.street_info,
        city=body.city,
        state=body.state,
        postal_code=body.postal_code,
        location=body.location or "",
        postal_code_plus_four=body.postal_code_plus_four or "",
    )


def _wire(address: Address | None) -> EmergencyAddress:
    if address is None:
        return EmergencyAddress()
    return EmergencyAddress(
        street_number=address.street_number,
        street_info=address.street_info,
        location=address.location,
        city=address.city,
        state=address.state,
        postal_code=address.postal_code,
        postal_code_plus_four=address.postal_code_plus_four,
    )


@router.post(
    BASE + ":provision",
    operation_id="NumberService_ProvisionEmergencyAddress",
    response_model=EmergencyAddress,
    summary="Provision the number's E911 address (a NEAR_MATCH stores the corrected address)",
)
def provision(
    project_id: str,
    phone_number: str,
    body: EmergencyAddressRequest,
    principal: PrincipalDep,
    container: ContainerDep,
) -> EmergencyAddress:
    stored = service.provision(
        principal.project_id,
        parse_e164(phone_number),
        body.display_name,
        _address(body.address),
        container.uows,
        container.clock,
    )
    return _wire(stored.address)


@router.post(
    BASE + ":deprovision",
    operation_id="NumberService_DeprovisionEmergencyAddress",
    summary="Remove the number's E911 address",
)
def deprovision(
    project_id: str, phone_number: str, principal: PrincipalDep, container: ContainerDep
) -> dict[str, Any]:
    service.deprovision(principal.project_id, parse_e164(phone_number), container.uows, container.clock)
    return {}


@router.post(
    BASE + ":validate",
    operation_id="NumberService_ValidateEmergencyAddress",
    response_model=ValidateAddressResponse,
    summary="Validate an address (sandbox validator: EXACT_MATCH, NEAR_MATCH or NO_MATCH with candidates)",
)
def validate(
    project_id: str,
    phone_number: str,
    body: EmergencyAddressRequest,
    principal: PrincipalDep,
    container: ContainerDep,
) -> ValidateAddressResponse:
    result = service.validate(
        principal.project_id,
        parse_e164(phone_number),
        body.display_name,
        _address(body.address),
        container.uows,
        container.clock,
    )
    v = result.validation
    return ValidateAddressResponse(
        phone_number=result.phone_number,
        display_name=result.display_name,
        validated_address=_wire(result.address),
        validation_result=AddressValidationResultCode(v.result.value),
        validation_message=v.message,
        corrected_address=_wire(v.corrected),
        candidate_addresses=[_wire(c) for c in v.candidates],
    )


@router.get(
    BASE,
    operation_id="NumberService_GetEmergencyAddress",
    response_model=EmergencyAddress,
    summary="Get the number's E911 address (404 EmergencyAddress when none is provisioned)",
)
def get(
    project_id: str, phone_number: str, principal: PrincipalDep, container: ContainerDep
) -> EmergencyAddress:
    found = service.get(principal.project_id, parse_e164(phone_number), container.uows, container.clock)
    return _wire(found.address)

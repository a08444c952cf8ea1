"""E911 addresses of active numbers: get, validate (sandbox validator), provision, deprovision."""

from __future__ import annotations

from dataclasses import dataclass

from numberdesk.domain.emergency_address import (
    Address,
    EmergencyAddress,
    Validation,
    ValidationResult,
    validate_address,
)
from numberdesk.domain.errors import FieldViolation, InvalidArgument, NotFound
from numberdesk.services.ports import Clock, UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True)
class ValidatedAddress:
    phone_number: str
    display_name: str
    address: Address
    validation: Validation


def _require_number(uow: UnitOfWork, project_id: str, phone_number: str, clock: Clock) -> None:
    number = uow.active_numbers.get(phone_number)
    released_past = number is not None and number.expire_at is not None and number.expire_at <= clock.now()
    if number is None or number.project_id != project_id or released_past:
        raise NotFound("ActiveNumber", phone_number, f"Number {phone_number} not found")


def get(project_id: str, phone_number: str, uows: UnitOfWorkFactory, clock: Clock) -> EmergencyAddress:
    with uows(readonly=True) as uow:
        _require_number(uow, project_id, phone_number, clock)
        found = uow.emergency_addresses.get(phone_number)
    if found is None:
        raise NotFound("EmergencyAddress", "", "Missing E911 feature")
    return found


def validate(
    project_id: str,
    phone_number: str,
    display_name: str,
    address: Address,
    uows: UnitOfWorkFactory,
    clock: Clock,
) -> ValidatedAddress:
    with uows(readonly=True) as uow:
        _require_number(uow, project_id, phone_number, clock)
    return ValidatedAddress(phone_number, display_name, address, validate_address(address))


def provision(
    project_id: str,
    phone_number: str,
    display_name: str,
    address: Address,
    uows: UnitOfWorkFactory,
    clock: Clock,
) -> EmergencyAddress:
    """Store the address as validated (a NEAR_MATCH stores the corrected form); NO_MATCH → 400."""
    if not display_name.strip():
        raise InvalidArgument("displayName is required", [FieldViolation("displayName", "is required")])
    validation = validate_address(address)
    if validation.result is ValidationResult.NO_MATCH or validation.corrected is None:
        raise InvalidArgument(
            "The address could not be validated; validate it first and use one of the candidates",
            [FieldViolation("address", "no match found for this address")],
        )
    stored = EmergencyAddress(phone_number, project_id, display_name, validation.corrected)
    with uows() as uow:
        _require_number(uow, project_id, phone_number, clock)
        uow.emergency_addresses.put(stored, clock.now())
        uow.commit()
    return stored


def deprovision(project_id: str, phone_number: str, uows: UnitOfWorkFactory, clock: Clock) -> None:
    with uows() as uow:
        _require_number(uow, project_id, phone_number, clock)
        if not uow.emergency_addresses.delete(phone_number):
            raise NotFound("EmergencyAddress", "", "Missing E911 feature")
        uow.commit()

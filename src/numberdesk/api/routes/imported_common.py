"""Plumbing shared by the Imported Numbers API routes (served under IMPORTED_BASE, see
`api/imported_base_url.py`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from fastapi.responses import JSONResponse
from starlette.datastructures import QueryParams

from numberdesk.domain.errors import FieldViolation, InvalidArgument, NotFound
from numberdesk.domain.hosting_orders_loa import (
    AuthorisedPerson,
    LetterOfAuthorisation,
    LoaType,
    PostalAddress,
)
from numberdesk.wire.errors import ErrorEnvelope
from numberdesk.wire.hosting_orders_requests import (
    AddressInput,
    AuthorizedPersonInput,
    DirectLoaInfo,
    ResellerLoaInfo,
)
from numberdesk.wire.imported_errors import ErrorResponse

IMPORTED_BASE = "/imported"
IMPORTED_PREFIX = IMPORTED_BASE + "/v1/projects/{project_id}"
# Documented shapes: the flat ErrorResponse (the callback configuration routes use the envelope).
FLAT_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse, "description": text}
    for code, text in {
        400: "INVALID_ARGUMENT (with field violations in details)",
        401: "Missing, invalid or expired credentials",
        403: "The key may not use this project",
        404: "NOT_FOUND",
        409: "ALREADY_EXISTS / FAILED_PRECONDITION",
        500: "INTERNAL",
    }.items()
}
ENVELOPE_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorEnvelope, "description": "Error"} for code in (400, 401, 403, 404, 500)
}
_E164 = re.compile(r"\+[1-9][0-9]{1,14}")


def ok(body: Mapping[str, Any]) -> JSONResponse:
    return JSONResponse(dict(body))


def path_phone(raw: str, resource_type: str) -> str:
    """A phone number from the path; anything that is not E.164 cannot name a resource (404)."""
    text = raw.strip()
    if text.startswith(" "):
        text = "+" + text.strip()
    if not _E164.fullmatch(text):
        raise NotFound(resource_type, raw, f"The {resource_type} could not be found.")
    return text


def query_int(params: QueryParams, name: str) -> int | None:
    raw = params.get(name)
    if raw is None or raw.strip() == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise InvalidArgument(
            f'parsing field "{name}": "{raw}" is not a number', [FieldViolation(name, "must be an integer")]
        ) from None


def order_by(raw: str | None, keys: Mapping[str, object], default: str) -> tuple[str, bool]:
    """`orderBy` as `field` or `field desc` (AIP-132), case-insensitive; the default otherwise."""
    text = (raw or "").strip()
    if not text:
        return default, False
    parts = text.split()
    key = parts[0].lower().replace("_", "")
    descending = len(parts) == 2 and parts[1].lower() == "desc"
    if key not in keys or len(parts) > 2 or (len(parts) == 2 and parts[1].lower() not in ("asc", "desc")):
        raise InvalidArgument(
            f'parsing field "orderBy": "{raw}" is not a valid value',
            [FieldViolation("orderBy", "one of " + ", ".join(sorted(keys)) + " (optionally desc)")],
        )
    return key, descending


def _person(p: AuthorizedPersonInput) -> AuthorisedPerson:
    return AuthorisedPerson(p.first_name, p.last_name, p.email)


def _address(a: AddressInput) -> PostalAddress:
    return PostalAddress(a.building_number, a.street, a.city, a.state, a.postal_code, a.country)


def loa(
    direct: DirectLoaInfo | None, reseller: ResellerLoaInfo | None, blanket: object | None
) -> LetterOfAuthorisation | None:
    if direct is not None:
        return LetterOfAuthorisation(
            LoaType.DIRECT,
            _person(direct.authorised_person),
            _address(direct.address),
            direct.current_voice_carrier,
        )
    if reseller is not None:
        return LetterOfAuthorisation(
            LoaType.RESELLER,
            _person(reseller.authorised_person),
            _address(reseller.address),
            reseller.current_voice_carrier,
            reseller.business_name,
        )
    if blanket is not None:
        return LetterOfAuthorisation.blanket()
    return None

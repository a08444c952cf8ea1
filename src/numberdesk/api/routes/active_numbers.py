"""Active numbers (list, get, PATCH, :release) and renting (availableNumbers/{phone}:rent, :rentAny)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from numberdesk.api import mappers_active_numbers as m
from numberdesk.api.deps import ContainerDep, PrincipalDep
from numberdesk.api.params import parse_enum, parse_enums, parse_int, query_list, search_text
from numberdesk.api.routes.common import PROJECT_PREFIX, STANDARD_ERRORS
from numberdesk.bootstrap import Container
from numberdesk.domain.errors import FieldViolation, InvalidArgument
from numberdesk.domain.inventory import Capability, NumberPattern, NumberType, SearchPattern
from numberdesk.domain.phone_numbers import parse_e164
from numberdesk.services import active_numbers
from numberdesk.services.inventory import validate_region_code
from numberdesk.services.ports_active_numbers import ActiveNumberOrder, ActiveNumberQuery
from numberdesk.wire.active_numbers import (
    ActiveNumber,
    ActiveNumberUpdate,
    ListActiveNumbersResponse,
    RentAnyNumberRequest,
    RentNumberRequest,
)

router = APIRouter(prefix=PROJECT_PREFIX, tags=["Active Number"], responses=STANDARD_ERRORS)

_ORDER_ALIASES = {
    "phonenumber": ActiveNumberOrder.PHONE_NUMBER,
    "phone_number": ActiveNumberOrder.PHONE_NUMBER,
    "displayname": ActiveNumberOrder.DISPLAY_NAME,
    "display_name": ActiveNumberOrder.DISPLAY_NAME,
}


def _check_callback_url(container: Container, url: str | None) -> None:
    """Refuse, at registration, callback URLs we would never call (non-http(s), literal private hosts)."""
    if url:
        container.callback_urls.check(url, "callbackUrl")


def _pattern(text: str, kind: str) -> NumberPattern | None:
    text = search_text(text)
    if not text:
        return None
    search = parse_enum(
        SearchPattern,
        "CONTAINS" if kind.upper() == "CONTAIN" else kind or "START",
        "numberPattern.searchPattern",
    )
    return NumberPattern(text, search)


def _order(raw: str) -> ActiveNumberOrder:
    if not raw:
        return ActiveNumberOrder.PHONE_NUMBER
    order = _ORDER_ALIASES.get(raw.strip().lower())
    if order is None:
        raise InvalidArgument(
            f'parsing field "orderBy": "{raw}" is not a valid value',
            [FieldViolation("orderBy", "must be phoneNumber or displayName")],
        )
    return order


@router.post(
    "/availableNumbers:rentAny",
    operation_id="NumberService_RentAnyNumber",
    response_model=ActiveNumber,
    summary="Rent the first available number matching the criteria (regions/types without KYC)",
)
def rent_any(
    project_id: str, body: RentAnyNumberRequest, principal: PrincipalDep, container: ContainerDep
) -> ActiveNumber:
    _check_callback_url(container, body.callback_url)
    pattern = None
    if body.number_pattern is not None and body.number_pattern.pattern:
        kind = body.number_pattern.search_pattern
        pattern = NumberPattern(
            search_text(body.number_pattern.pattern),
            SearchPattern(kind.value) if kind else SearchPattern.START,
        )
    criteria = active_numbers.RentAny(
        validate_region_code(body.region_code, "regionCode"),
        NumberType(body.type.value),
        pattern,
        tuple(Capability(c.value) for c in body.capabilities or []),
    )
    number = active_numbers.rent_any(
        principal.project_id,
        criteria,
        m.configuration(body),
        container.uows,
        container.clock,
        container.kyc_policies,
    )
    return m.to_wire(number, container.clock.now())


@router.post(
    "/availableNumbers/{phone_number}:rent",
    operation_id="NumberService_RentNumber",
    response_model=ActiveNumber,
    summary="Rent one available number (regions/types without KYC; others need a number order)",
)
def rent(
    project_id: str,
    phone_number: str,
    principal: PrincipalDep,
    container: ContainerDep,
    body: RentNumberRequest | None = None,
) -> ActiveNumber:
    # The Python SDK sends no body at all when nothing is configured; the Node SDK sends `{}`.
    _check_callback_url(container, body.callback_url if body else None)
    number = active_numbers.rent(
        principal.project_id,
        parse_e164(phone_number),
        m.configuration(body or RentNumberRequest()),
        container.uows,
        container.clock,
        container.kyc_policies,
    )
    return m.to_wire(number, container.clock.now())


@router.get(
    "/activeNumbers",
    operation_id="NumberService_ListActiveNumbers",
    response_model=ListActiveNumbersResponse,
    summary="List the project's active numbers",
    description=(
        "Query: regionCode, type, numberPattern.pattern, numberPattern.searchPattern, capability (or "
        "capabilities; repeated or comma-joined), pageSize (default 100, maximum 1000), pageToken, orderBy "
        "(phoneNumber or displayName; phone number breaks ties). totalSize counts every match; the last "
        'page has nextPageToken "". Released numbers stay listed until expireAt.'
    ),
)
def list_active_numbers(
    project_id: str, request: Request, principal: PrincipalDep, container: ContainerDep
) -> ListActiveNumbersResponse:
    params = request.query_params
    region = params.get("regionCode", "").strip()
    type_text = params.get("type", "").strip()
    now = container.clock.now()
    query = ActiveNumberQuery(
        project_id=principal.project_id,
        now=now,
        region_code=validate_region_code(region) if region else None,
        number_type=parse_enum(NumberType, type_text, "type") if type_text else None,
        pattern=_pattern(
            params.get("numberPattern.pattern", ""), params.get("numberPattern.searchPattern", "")
        ),
        capabilities=parse_enums(Capability, query_list(params, "capability", "capabilities"), "capability"),
        order_by=_order(params.get("orderBy", "")),
        limit=parse_int(
            params, "pageSize", active_numbers.DEFAULT_PAGE_SIZE, 1, active_numbers.MAX_PAGE_SIZE
        ),
    )
    page = active_numbers.list_numbers(query, params.get("pageToken") or None, container.uows)
    return ListActiveNumbersResponse(
        active_numbers=[m.to_wire(n, now) for n in page.numbers],
        next_page_token=page.next_page_token,
        total_size=page.total_size,
    )


@router.post(
    "/activeNumbers/{phone_number}:release",
    operation_id="NumberService_ReleaseNumber",
    response_model=ActiveNumber,
    summary="Release a number: expireAt = nextChargeDate; listed until then, then back to the inventory",
)
def release(
    project_id: str, phone_number: str, principal: PrincipalDep, container: ContainerDep
) -> ActiveNumber:
    number = active_numbers.release(
        principal.project_id, parse_e164(phone_number), container.uows, container.clock
    )
    return m.to_wire(number, container.clock.now())


@router.get(
    "/activeNumbers/{phone_number}",
    operation_id="NumberService_GetActiveNumber",
    response_model=ActiveNumber,
    summary="Get one active number",
)
def get_active_number(
    project_id: str, phone_number: str, principal: PrincipalDep, container: ContainerDep
) -> ActiveNumber:
    number = active_numbers.get(
        principal.project_id, parse_e164(phone_number), container.uows, container.clock
    )
    return m.to_wire(number, container.clock.now())


@router.patch(
    "/activeNumbers/{phone_number}",
    operation_id="NumberService_UpdateActiveNumber",
    response_model=ActiveNumber,
    summary="Update a number: displayName/callbackUrl at once; SMS and voice via scheduled provisioning",
)
def update_active_number(
    project_id: str,
    phone_number: str,
    body: ActiveNumberUpdate,
    principal: PrincipalDep,
    container: ContainerDep,
) -> ActiveNumber:
    _check_callback_url(container, body.callback_url)
    number = active_numbers.update(
        principal.project_id, parse_e164(phone_number), m.update(body), container.uows, container.clock
    )
    return m.to_wire(number, container.clock.now())

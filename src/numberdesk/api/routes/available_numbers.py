"""GET availableNumbers (search) and GET availableNumbers/{phoneNumber}."""

from __future__ import annotations

from fastapi import APIRouter, Request

from numberdesk.api.deps import ContainerDep, PrincipalDep
from numberdesk.api.params import parse_enum, parse_enums, parse_int, query_list, required, search_text
from numberdesk.api.routes.common import PROJECT_PREFIX, STANDARD_ERRORS
from numberdesk.domain.inventory import (
    Capability,
    InventoryNumber,
    NumberPattern,
    NumberType,
    SearchCriteria,
    SearchPattern,
)
from numberdesk.domain.phone_numbers import parse_e164
from numberdesk.services import inventory
from numberdesk.services.inventory import validate_region_code
from numberdesk.services.ports import KycPolicies
from numberdesk.wire.available_numbers import AvailableNumber, ListAvailableNumbersResponse
from numberdesk.wire.numbers_common import Money

router = APIRouter(prefix=PROJECT_PREFIX, tags=["Available Number"], responses=STANDARD_ERRORS)


def to_wire(number: InventoryNumber, policies: KycPolicies) -> AvailableNumber:
    return AvailableNumber(
        phone_number=number.phone_number,
        region_code=number.region_code,
        type=number.number_type.value,
        capability=[c.value for c in number.capabilities],
        setup_price=Money(
            currency_code=number.setup_price.currency_code, amount=number.setup_price.wire_amount()
        ),
        monthly_price=Money(
            currency_code=number.monthly_price.currency_code, amount=number.monthly_price.wire_amount()
        ),
        payment_interval_months=number.payment_interval_months,
        supporting_documentation_required=policies.has_policy(number.region_code, number.number_type),
    )


def criteria_from_query(request: Request, default_size: int, max_size: int) -> SearchCriteria:
    params = request.query_params
    region = validate_region_code(required(params, "regionCode"))
    number_type = parse_enum(NumberType, required(params, "type"), "type")
    pattern_text = search_text(params.get("numberPattern.pattern", ""))
    search_kind = params.get("numberPattern.searchPattern", "")
    pattern = None
    if pattern_text:
        kind = parse_enum(
            SearchPattern,
            "CONTAINS" if search_kind.upper() == "CONTAIN" else search_kind or "START",
            "numberPattern.searchPattern",
        )
        pattern = NumberPattern(pattern_text, kind)
    capabilities = parse_enums(Capability, query_list(params, "capabilities", "capability"), "capabilities")
    size = parse_int(params, "size", default_size, 1, max_size)
    return SearchCriteria(region, number_type, pattern, capabilities, size)


@router.get(
    "/availableNumbers",
    operation_id="NumberService_ListAvailableNumbers",
    response_model=ListAvailableNumbersResponse,
    summary="Search for available phone numbers",
    description=(
        "Query: regionCode (required), type (required: MOBILE, LOCAL, TOLL_FREE), numberPattern.pattern, "
        "numberPattern.searchPattern (START, CONTAINS, END), capabilities (SMS, VOICE; repeated or "
        "comma-joined), size (default 30, maximum 1000). Patterns match the E.164 string, `+` included."
    ),
)
def list_available_numbers(
    project_id: str, request: Request, principal: PrincipalDep, container: ContainerDep
) -> ListAvailableNumbersResponse:
    settings = container.settings
    criteria = criteria_from_query(
        request, settings.available_numbers_default_size, settings.available_numbers_max_size
    )
    found = inventory.search_available(criteria, container.uows)
    return ListAvailableNumbersResponse(available_numbers=[to_wire(n, container.kyc_policies) for n in found])


@router.get(
    "/availableNumbers/{phone_number}",
    operation_id="NumberService_GetAvailableNumber",
    response_model=AvailableNumber,
    summary="Check whether one number is available",
)
def get_available_number(
    project_id: str, phone_number: str, principal: PrincipalDep, container: ContainerDep
) -> AvailableNumber:
    number = inventory.get_available(parse_e164(phone_number), container.uows)
    return to_wire(number, container.kyc_policies)

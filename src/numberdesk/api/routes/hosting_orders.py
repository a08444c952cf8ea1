"""Imported Numbers API: hosting orders (importNumbers, textEnableNumbers, textEnableTollFreeNumbers,
list, get, report, numbers)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from numberdesk.api import mappers_imported as m
from numberdesk.api.deps import ContainerDep, PrincipalDep
from numberdesk.api.params import query_list
from numberdesk.api.routes.imported_common import (
    FLAT_ERRORS,
    IMPORTED_PREFIX,
    loa,
    ok,
    order_by,
    path_phone,
    query_int,
)
from numberdesk.domain.errors import FieldViolation, InvalidArgument
from numberdesk.domain.hosting_orders import HostingOrderFilter, HostingOrderState, HostingOrderType
from numberdesk.domain.hosting_orders_numbers import HostingOrderNumberFilter, StepState
from numberdesk.services import hosting_orders
from numberdesk.services.hosting_orders import TextEnableCommand
from numberdesk.wire.hosting_orders import HostingOrderNumberState
from numberdesk.wire.hosting_orders_requests import (
    ImportNumbersRequest,
    TextEnableNumbersRequest,
    TextEnableTollFreeNumbersDirectLoaInfoRequest,
    TextEnableTollFreeNumbersRequest,
)
from numberdesk.wire.imported_types import enum_name_or_number

router = APIRouter(prefix=IMPORTED_PREFIX, tags=["Hosting Orders"], responses=FLAT_ERRORS)
_UNSPECIFIED_STATE = "HOSTING_ORDER_STATE_UNSPECIFIED"
_UNSPECIFIED_TYPE = "HOSTING_ORDER_TYPE_UNSPECIFIED"


def text_enable_command(body: TextEnableNumbersRequest) -> TextEnableCommand:
    return TextEnableCommand(
        region_code=body.region_code.value,
        numbers=body.numbers,
        service_plan_id=body.service_plan_id,
        loa=loa(body.direct_loa_info, body.reseller_loa_info, body.blanket_loa_info),
        nnid=body.nnid,
        campaign_id=body.campaign_id,
        display_name=body.display_name,
        callback_url=body.callback_url,
        scheduled_osr_update_time=body.scheduled_osr_update_time,
        migrate_to_sinch_tmo=bool(body.migrate_to_sinch_tmo),
    )


def toll_free_command(body: TextEnableTollFreeNumbersRequest) -> TextEnableCommand:
    direct = body if isinstance(body, TextEnableTollFreeNumbersDirectLoaInfoRequest) else None
    reseller = None if direct is not None else body
    return TextEnableCommand(
        region_code=body.region_code.value,
        numbers=body.numbers,
        service_plan_id=body.service_plan_id,
        loa=loa(
            direct.direct_loa_info if direct else None,
            getattr(reseller, "reseller_loa_info", None),
            None,
        ),
        display_name=body.display_name,
        callback_url=body.callback_url,
        scheduled_osr_update_time=body.scheduled_zipwhip_provisioning_time,
        toll_free=True,
    )


@router.post(
    "/hostingOrders:importNumbers",
    operation_id="HostingOrderService_ImportNumbers",
    summary="Import numbers with a hosting order (at most 5 unless the operator authorised more)",
)
def import_numbers(
    project_id: str, body: ImportNumbersRequest, principal: PrincipalDep, container: ContainerDep
) -> JSONResponse:
    order = hosting_orders.import_numbers(
        principal.project_id,
        hosting_orders.ImportOrderCommand(
            region_code=body.region_code.value,
            numbers=body.numbers,
            service_plan_id=body.service_plan_id,
            campaign_id=body.campaign_id,
            display_name=body.display_name,
            callback_url=body.callback_url,
            migrate_to_sinch_tmo=bool(body.migrate_to_sinch_tmo),
        ),
        container.uows,
        container.clock,
    )
    return ok(m.import_hosting_order(order))


@router.post(
    "/hostingOrders:textEnableNumbers",
    operation_id="TextEnableNumbers",
    summary="Text-enable numbers with a direct, reseller or (approved) blanket LOA",
)
def text_enable_numbers(
    project_id: str, body: TextEnableNumbersRequest, principal: PrincipalDep, container: ContainerDep
) -> JSONResponse:
    order = hosting_orders.text_enable(
        principal.project_id, text_enable_command(body), container.uows, container.clock
    )
    return ok(m.hosting_order(order))


@router.post(
    "/hostingOrders:textEnableTollFreeNumbers",
    operation_id="TextEnableTollFreeNumbers",
    summary="Text-enable toll-free numbers (direct or reseller LOA)",
)
def text_enable_toll_free_numbers(
    project_id: str, body: TextEnableTollFreeNumbersRequest, principal: PrincipalDep, container: ContainerDep
) -> JSONResponse:
    order = hosting_orders.text_enable(
        principal.project_id, toll_free_command(body), container.uows, container.clock
    )
    return ok(m.hosting_order(order))


def _enum_values(
    values: list[str], enum: type[HostingOrderState] | type[HostingOrderType], field: str
) -> list[str]:
    out = []
    for value in values:
        upper = value.strip().upper()
        if upper in (_UNSPECIFIED_STATE, _UNSPECIFIED_TYPE):
            continue
        if upper not in {e.value for e in enum}:
            raise InvalidArgument(
                f'parsing field "{field}": "{value}" is not a valid value',
                [FieldViolation(field, "must be one of " + ", ".join(e.value for e in enum))],
            )
        out.append(upper)
    return out


@router.get(
    "/hostingOrders",
    operation_id="HostingOrderService_ListHostingOrders",
    summary="List hosting orders (states, type, servicePlanId, campaignId, regionCode, orderBy, paging)",
)
def list_hosting_orders(
    project_id: str, request: Request, principal: PrincipalDep, container: ContainerDep
) -> JSONResponse:
    params = request.query_params
    states = _enum_values(query_list(params, "states"), HostingOrderState, "states")
    types = _enum_values(query_list(params, "type"), HostingOrderType, "type")
    criteria = HostingOrderFilter(
        states=frozenset(HostingOrderState(s) for s in states),
        order_type=HostingOrderType(types[0]) if types else None,
        service_plan_id=params.get("servicePlanId") or None,
        campaign_id=params.get("campaignId") or None,
        region_code=(params.get("regionCode") or "").strip().upper() or None,
    )
    key, descending = order_by(params.get("orderBy"), hosting_orders.ORDER_KEYS, "createdtime")
    page = hosting_orders.list_orders(
        principal.project_id,
        criteria,
        key,
        descending,
        query_int(params, "pageSize"),
        params.get("pageToken"),
        container.uows,
    )
    return ok(
        {
            "hostingOrders": [m.hosting_order(o) for o in page.items],
            "nextPageToken": page.next_page_token,
            "totalSize": page.total_size,
        }
    )


@router.get(
    "/hostingOrders/{hosting_order_id}",
    operation_id="HostingOrderService_GetHostingOrder",
    summary="Get a hosting order",
)
def get_hosting_order(
    project_id: str, hosting_order_id: str, principal: PrincipalDep, container: ContainerDep
) -> JSONResponse:
    return ok(m.hosting_order(hosting_orders.get(principal.project_id, hosting_order_id, container.uows)))


@router.get(
    "/hostingOrders/{hosting_order_id}/report",
    operation_id="GetHostingOrderReport",
    summary="Counts of the order's numbers per finished step (always computed from the numbers)",
)
def get_hosting_order_report(
    project_id: str, hosting_order_id: str, principal: PrincipalDep, container: ContainerDep
) -> JSONResponse:
    return ok(m.report(hosting_orders.report(principal.project_id, hosting_order_id, container.uows)))


def _step_filter(params: object, name: str) -> StepState | None:
    assert hasattr(params, "get")
    raw = params.get(name)
    if raw is None or str(raw).strip() == "":
        return None
    value = enum_name_or_number(HostingOrderNumberState)(str(raw).strip().upper())
    if isinstance(value, HostingOrderNumberState) or value in {s.value for s in HostingOrderNumberState}:
        state = HostingOrderNumberState(value)
        return None if state is HostingOrderNumberState.STATE_UNSPECIFIED else StepState(state.value)
    raise InvalidArgument(
        f'parsing field "{name}": "{raw}" is not a valid value',
        [FieldViolation(name, "WAITING, DONE or FAILED (or 1, 2, 3)")],
    )


@router.get(
    "/hostingOrders/{hosting_order_id}/numbers",
    operation_id="HostingOrderService_ListHostingOrderNumbers",
    summary="List an order's numbers (osrUpdateState, campaignProvisioningState, platformProvisioningState)",
)
def list_hosting_order_numbers(
    project_id: str, hosting_order_id: str, request: Request, principal: PrincipalDep, container: ContainerDep
) -> JSONResponse:
    params = request.query_params
    criteria = HostingOrderNumberFilter(
        osr_update_state=_step_filter(params, "osrUpdateState"),
        platform_provisioning_state=_step_filter(params, "platformProvisioningState"),
        campaign_provisioning_state=_step_filter(params, "campaignProvisioningState"),
    )
    _, descending = order_by(params.get("orderBy"), hosting_orders.NUMBER_ORDER_KEYS, "phonenumber")
    page = hosting_orders.list_numbers(
        principal.project_id,
        hosting_order_id,
        criteria,
        descending,
        query_int(params, "pageSize"),
        params.get("pageToken"),
        container.uows,
    )
    return ok(
        {
            "numbers": [m.hosting_order_number(n) for n in page.items],
            "nextPageToken": page.next_page_token,
            "totalSize": page.total_size,
        }
    )


@router.get(
    "/hostingOrders/{hosting_order_id}/numbers/{phone_number}",
    operation_id="HostingOrderService_GetHostingOrderNumber",
    summary="Get one number of a hosting order",
)
def get_hosting_order_number(
    project_id: str,
    hosting_order_id: str,
    phone_number: str,
    principal: PrincipalDep,
    container: ContainerDep,
) -> JSONResponse:
    phone = path_phone(phone_number, "HostingOrderNumber")
    number = hosting_orders.get_number(principal.project_id, hosting_order_id, phone, container.uows)
    return ok(m.hosting_order_number(number))

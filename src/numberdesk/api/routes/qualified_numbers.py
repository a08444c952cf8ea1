"""Imported Numbers API: qualified numbers (addNumbers, voice challenge, list, get, delete,
text-enable through hosting orders)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from numberdesk.api import mappers_imported as m
from numberdesk.api.deps import ContainerDep, PrincipalDep
from numberdesk.api.params import query_list
from numberdesk.api.routes.hosting_orders import text_enable_command, toll_free_command
from numberdesk.api.routes.imported_common import (
    FLAT_ERRORS,
    IMPORTED_PREFIX,
    ok,
    order_by,
    path_phone,
    query_int,
)
from numberdesk.domain.errors import FieldViolation, InvalidArgument
from numberdesk.domain.qualified_numbers import GlobalProcessState, QualifiedNumberFilter
from numberdesk.services import hosting_orders, qualified_numbers
from numberdesk.wire.hosting_orders_requests import TextEnableNumbersRequest, TextEnableTollFreeNumbersRequest
from numberdesk.wire.qualified_numbers import BatchCreateQualifiedNumbersRequest, VerifyVoiceChallengeRequest

router = APIRouter(prefix=IMPORTED_PREFIX, tags=["Qualified Numbers"], responses=FLAT_ERRORS)
_UNSPECIFIED = "GLOBAL_PROCESS_STATE_UNSPECIFIED"


def _states(values: list[str]) -> frozenset[GlobalProcessState]:
    states = set()
    for value in values:
        upper = value.strip().upper()
        if upper == _UNSPECIFIED:
            continue
        try:
            states.add(GlobalProcessState(upper))
        except ValueError:
            raise InvalidArgument(
                f'parsing field "states": "{value}" is not a valid value',
                [FieldViolation("states", "a GLOBAL_PROCESS_STATE_* value")],
            ) from None
    return frozenset(states)


@router.get(
    "/qualifiedNumbers",
    operation_id="QualifiedNumberService_ListQualifiedNumbers",
    summary="List qualified numbers (regionCode, states, orderBy, paging)",
)
def list_qualified_numbers(
    project_id: str, request: Request, principal: PrincipalDep, container: ContainerDep
) -> JSONResponse:
    params = request.query_params
    criteria = QualifiedNumberFilter(
        states=_states(query_list(params, "states")),
        region_code=(params.get("regionCode") or "").strip().upper() or None,
    )
    key, descending = order_by(params.get("orderBy"), qualified_numbers.ORDER_KEYS, "phonenumber")
    page = qualified_numbers.list_numbers(
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
            "qualifiedNumbers": [m.qualified_number(n) for n in page.items],
            "nextPageToken": page.next_page_token,
            "totalSize": page.total_size,
        }
    )


@router.post(
    "/qualifiedNumbers:addNumbers",
    operation_id="QualifiedNumberService_BatchCreateQualifiedNumbers",
    summary="Qualify numbers: eligibility check, then invoice review by an operator (or a voice challenge)",
)
def add_numbers(
    project_id: str,
    body: BatchCreateQualifiedNumbersRequest,
    principal: PrincipalDep,
    container: ContainerDep,
) -> JSONResponse:
    found = qualified_numbers.batch_create(
        principal.project_id, body.phone_numbers, container.uows, container.clock
    )
    return ok({"qualifiedNumbers": [m.qualified_number(n) for n in found]})


@router.post(
    "/qualifiedNumbers:textEnableNumbers",
    operation_id="QualifiedNumberService_TextEnableNumbers",
    summary="Text-enable verified qualified numbers (up to 500) through a hosting order",
)
def text_enable_numbers(
    project_id: str, body: TextEnableNumbersRequest, principal: PrincipalDep, container: ContainerDep
) -> JSONResponse:
    order = hosting_orders.text_enable(
        principal.project_id, text_enable_command(body), container.uows, container.clock, qualified=True
    )
    return ok({"hostingOrderId": order.hosting_order_id})


@router.post(
    "/qualifiedNumbers:textEnableTollFreeNumbers",
    operation_id="QualifiedNumbersTextEnableTollFreeNumbers",
    summary="Text-enable verified toll-free qualified numbers through a hosting order",
)
def text_enable_toll_free_numbers(
    project_id: str, body: TextEnableTollFreeNumbersRequest, principal: PrincipalDep, container: ContainerDep
) -> JSONResponse:
    order = hosting_orders.text_enable(
        principal.project_id, toll_free_command(body), container.uows, container.clock, qualified=True
    )
    return ok(m.hosting_order(order))


@router.post(
    "/qualifiedNumbers/{phone_number}:sendVoiceChallenge",
    operation_id="QualifiedNumberService_SendVoiceChallenge",
    summary="Call the number and speak a code (expires; a new call replaces the old code)",
)
def send_voice_challenge(
    project_id: str, phone_number: str, principal: PrincipalDep, container: ContainerDep
) -> JSONResponse:
    phone = path_phone(phone_number, "QualifiedNumber")
    caller = container.voice_caller
    assert caller is not None
    number = qualified_numbers.send_voice_challenge(
        principal.project_id, phone, container.uows, container.clock, caller
    )
    return ok(m.qualified_number(number))


@router.post(
    "/qualifiedNumbers/{phone_number}:verifyVoiceChallenge",
    operation_id="QualifiedNumberService_VerifyVoiceChallenge",
    summary="Check the spoken code: VERIFIED, or counted as wrong (too many: VERIFICATION_BLOCKED)",
)
def verify_voice_challenge(
    project_id: str,
    phone_number: str,
    body: VerifyVoiceChallengeRequest,
    principal: PrincipalDep,
    container: ContainerDep,
) -> JSONResponse:
    phone = path_phone(phone_number, "QualifiedNumber")
    number = qualified_numbers.verify_voice_challenge(
        principal.project_id, phone, body.code, container.uows, container.clock
    )
    return ok(m.qualified_number(number))


@router.get(
    "/qualifiedNumbers/{phone_number}",
    operation_id="QualifiedNumberService_GetQualifiedNumber",
    summary="Get a qualified number",
)
def get_qualified_number(
    project_id: str, phone_number: str, principal: PrincipalDep, container: ContainerDep
) -> JSONResponse:
    phone = path_phone(phone_number, "QualifiedNumber")
    return ok(m.qualified_number(qualified_numbers.get(principal.project_id, phone, container.uows)))


@router.delete(
    "/qualifiedNumbers/{phone_number}",
    operation_id="QualifiedNumberService_DeleteQualifiedNumber",
    summary="Delete a qualified number (not while it is being hosted)",
)
def delete_qualified_number(
    project_id: str, phone_number: str, principal: PrincipalDep, container: ContainerDep
) -> JSONResponse:
    phone = path_phone(phone_number, "QualifiedNumber")
    qualified_numbers.delete(principal.project_id, phone, container.uows, container.clock)
    return ok({})

"""Imported Numbers API: importedNumbers list, import, get, PATCH (updateMask), delete."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from numberdesk.api import mappers_imported as m
from numberdesk.api.deps import ContainerDep, PrincipalDep
from numberdesk.api.params import search_text
from numberdesk.api.routes.imported_common import (
    FLAT_ERRORS,
    IMPORTED_PREFIX,
    ok,
    order_by,
    path_phone,
    query_int,
)
from numberdesk.domain.errors import FieldViolation, InvalidArgument
from numberdesk.domain.imported_numbers import (
    ImportedNumberChanges,
    ImportedNumberFilter,
    NumberPattern,
    SearchPattern,
)
from numberdesk.services import imported_numbers
from numberdesk.wire.imported_numbers import CreateImportedNumberRequest, UpdateImportedNumberRequest

router = APIRouter(prefix=IMPORTED_PREFIX, tags=["Imported Numbers"], responses=FLAT_ERRORS)
_PATTERN = re.compile(r"\+?[0-9]{1,15}")


def _pattern(raw: str | None, kind: str | None) -> NumberPattern | None:
    text = search_text(raw or "")
    search = SearchPattern.CONTAIN
    if kind:
        try:
            search = SearchPattern(kind.strip().upper())
        except ValueError:
            raise InvalidArgument(
                f'parsing field "numberPattern.searchPattern": "{kind}" is not a valid value',
                [FieldViolation("numberPattern.searchPattern", "must be START, CONTAIN or END")],
            ) from None
    if not text:
        return None
    if not _PATTERN.fullmatch(text):
        raise InvalidArgument(
            "the number pattern is not valid",
            [FieldViolation("numberPattern.pattern", "digits, with an optional leading +")],
        )
    return NumberPattern(text, search)


@router.get(
    "/importedNumbers",
    operation_id="ImportNumberService_ListImportedNumbers",
    summary="List imported numbers (regionCode, numberPattern, servicePlanId, campaignId, orderBy, paging)",
)
def list_imported_numbers(
    project_id: str, request: Request, principal: PrincipalDep, container: ContainerDep
) -> JSONResponse:
    params = request.query_params
    criteria = ImportedNumberFilter(
        region_code=(params.get("regionCode") or "").strip().upper() or None,
        number_pattern=_pattern(
            params.get("numberPattern.pattern"), params.get("numberPattern.searchPattern")
        ),
        service_plan_id=params.get("servicePlanId") or None,
        campaign_id=params.get("campaignId") or None,
    )
    key, _ = order_by(params.get("orderBy"), imported_numbers.ORDER_KEYS, "phonenumber")
    page = imported_numbers.list_numbers(
        principal.project_id,
        criteria,
        key,
        query_int(params, "pageSize"),
        params.get("pageToken"),
        container.uows,
    )
    return ok(
        {
            "importedNumbers": [m.imported_number(n) for n in page.items],
            "nextPageToken": page.next_page_token,
            "totalSize": page.total_size,
        }
    )


@router.post(
    "/importedNumbers",
    operation_id="ImportNumberService_ImportNumber",
    summary="Import a number: links to the service plan (and campaign) are provisioned asynchronously",
)
def import_number(
    project_id: str, body: CreateImportedNumberRequest, principal: PrincipalDep, container: ContainerDep
) -> JSONResponse:
    sms = body.sms_configuration
    number = imported_numbers.import_number(
        principal.project_id,
        imported_numbers.ImportCommand(
            phone_number=body.phone_number,
            region_code=body.region_code.value,
            service_plan_id=sms.service_plan_id,
            campaign_id=sms.campaign_id,
            display_name=body.display_name,
            callback_url=body.callback_url,
            migrate_to_sinch_tmo=bool(sms.migrate_to_sinch_tmo),
        ),
        container.uows,
        container.clock,
    )
    return ok(m.imported_number(number))


@router.get(
    "/importedNumbers/{phone_number}",
    operation_id="ImportNumberService_GetImportedNumber",
    summary="Get an imported number",
)
def get_imported_number(
    project_id: str, phone_number: str, principal: PrincipalDep, container: ContainerDep
) -> JSONResponse:
    phone = path_phone(phone_number, "ImportedNumber")
    return ok(m.imported_number(imported_numbers.get(principal.project_id, phone, container.uows)))


@router.patch(
    "/importedNumbers/{phone_number}",
    operation_id="ImportNumberService_UpdateImportedNumber",
    summary='Update displayName / link or unlink (""): updateMask names the fields',
)
def update_imported_number(
    project_id: str,
    phone_number: str,
    body: UpdateImportedNumberRequest,
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
) -> JSONResponse:
    phone = path_phone(phone_number, "ImportedNumber")
    sms = body.sms_configuration
    changes = ImportedNumberChanges(
        display_name=body.display_name,
        service_plan_id=sms.service_plan_id if sms else None,
        campaign_id=sms.campaign_id if sms else None,
    )
    number = imported_numbers.update(
        principal.project_id,
        phone,
        changes,
        request.query_params.get("updateMask"),
        container.uows,
        container.clock,
    )
    return ok(m.imported_number(number))


@router.delete(
    "/importedNumbers/{phone_number}",
    operation_id="ImportNumberService_DeleteImportedNumber",
    summary="Delete an imported number",
)
def delete_imported_number(
    project_id: str, phone_number: str, principal: PrincipalDep, container: ContainerDep
) -> JSONResponse:
    phone = path_phone(phone_number, "ImportedNumber")
    imported_numbers.delete(principal.project_id, phone, container.uows, container.clock)
    return ok({})

"""GET availableRegions."""

from __future__ import annotations

from fastapi import APIRouter, Request

from numberdesk.api.deps import ContainerDep, PrincipalDep
from numberdesk.api.params import parse_enums, query_list
from numberdesk.api.routes.common import PROJECT_PREFIX, STANDARD_ERRORS
from numberdesk.domain.inventory import NumberType
from numberdesk.services import inventory
from numberdesk.wire.regions import AvailableRegion, ListAvailableRegionsResponse

router = APIRouter(prefix=PROJECT_PREFIX, tags=["Available Regions"], responses=STANDARD_ERRORS)


@router.get(
    "/availableRegions",
    operation_id="NumberService_ListAvailableRegions",
    response_model=ListAvailableRegionsResponse,
    summary="List the regions that have numbers, optionally only those selling some types",
)
def list_available_regions(
    project_id: str, request: Request, principal: PrincipalDep, container: ContainerDep
) -> ListAvailableRegionsResponse:
    types = parse_enums(NumberType, query_list(request.query_params, "types"), "types")
    regions = inventory.available_regions(types, container.uows)
    return ListAvailableRegionsResponse(
        available_regions=[
            AvailableRegion(
                region_code=r.region_code, region_name=r.region_name, types=[t.value for t in r.types]
            )
            for r in regions
        ]
    )

"""Hosting Orders wire models: responses, enums and list queries.

Request bodies (import / text-enable, LOA objects) are in `hosting_orders_requests`.
"""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AliasChoices, BeforeValidator, Field, JsonValue

from numberdesk.wire.base import WireRequest, WireResponse
from numberdesk.wire.imported_types import PageSize, RegionCode, lenient_enum


class HostingOrderState(StrEnum):
    HOSTING_ORDER_STATE_UNSPECIFIED = "HOSTING_ORDER_STATE_UNSPECIFIED"
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    WAITING_FOR_LOA_SIGNATURE = "WAITING_FOR_LOA_SIGNATURE"
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"
    REJECTED = "REJECTED"


class HostingOrderType(StrEnum):
    HOSTING_ORDER_TYPE_UNSPECIFIED = "HOSTING_ORDER_TYPE_UNSPECIFIED"
    IMPORT = "IMPORT"
    TYPE_TEXT_ENABLE = "TYPE_TEXT_ENABLE"


class HostingOrderNumberState(StrEnum):
    """The state of `osrUpdate`, `campaignProvisioning` and `platformProvisioning`."""

    STATE_UNSPECIFIED = "STATE_UNSPECIFIED"
    WAITING = "WAITING"
    DONE = "DONE"
    FAILED = "FAILED"


class LoaType(StrEnum):
    """`textEnableInfo.loaType`: `integer, format: enum` in the seed with the names Direct and
    Reseller; the seed's examples send the string `DIRECT`. Blanket-LOA orders leave it out."""

    DIRECT = "DIRECT"
    RESELLER = "RESELLER"


class Address(WireResponse):
    building_number: str
    street: str
    city: str
    state: str
    postal_code: str
    country: str


class AuthorizedPerson(WireResponse):
    first_name: str
    last_name: str
    email: str


class TextEnableInfo(WireResponse):
    business_name: str | None = None
    authorised_person: AuthorizedPerson | None = None
    address: Address | None = None
    service_provider: str | None = None
    current_voice_carrier: str | None = None
    nnid: str | None = None
    loa_type: LoaType | None = None


class HostingOrder(WireResponse):
    """Served as `textEnableInfo` (the seed's schema). The seed's examples call the same object
    `hostingOrderInfo`, so reading accepts that name too."""

    project_id: str | None = None
    hosting_order_id: str | None = None
    display_name: str | None = None
    region_code: str | None = None
    state: HostingOrderState | None = None
    type: HostingOrderType | None = None
    created_time: datetime | None = None
    updated_time: datetime | None = None
    scheduled_osr_update_time: datetime | None = None
    service_plan_id: str | None = None
    campaign_id: str | None = None
    migrate_to_sinch_tmo: bool | None = None
    text_enable_info: TextEnableInfo | None = Field(
        default=None,
        validation_alias=AliasChoices("textEnableInfo", "hostingOrderInfo", "text_enable_info"),
        serialization_alias="textEnableInfo",
    )
    callback_url: str | None = None


def _object_from_json_text(value: object) -> object:
    # The seed's example sends `numberImport: '{}'` (a string) although the schema says object.
    return json.loads(value) if isinstance(value, str) else value


class ImportHostingOrder(WireResponse):
    """The `hostingOrders:importNumbers` response."""

    project_id: str | None = None
    hosting_order_id: str | None = None
    display_name: str | None = None
    region_code: str | None = None
    state: HostingOrderState | None = None
    type: HostingOrderType | None = None
    created_time: datetime | None = None
    updated_time: datetime | None = None
    service_plan_id: str | None = None
    campaign_id: str | None = None
    migrate_to_sinch_tmo: bool | None = None
    number_import: Annotated[dict[str, JsonValue] | None, BeforeValidator(_object_from_json_text)] = None
    callback_url: str | None = None


class HostingOrderNumberOsrUpdate(WireResponse):
    nnid: str | None = None
    state: HostingOrderNumberState | None = None


class HostingOrderNumberCampaignProvisioning(WireResponse):
    campaign_id: str | None = None
    state: HostingOrderNumberState | None = None


class HostingOrderNumberPlatformProvisioning(WireResponse):
    service_plan_id: str | None = None
    state: HostingOrderNumberState | None = None


class HostingOrderNumber(WireResponse):
    project_id: str | None = None
    hosting_order_id: str | None = None
    phone_number: str | None = None
    osr_update: HostingOrderNumberOsrUpdate | None = None
    campaign_provisioning: HostingOrderNumberCampaignProvisioning | None = None
    platform_provisioning: HostingOrderNumberPlatformProvisioning | None = None


class HostingOrderReport(WireResponse):
    total: int | None = None
    osr_updated: int | None = None
    sms_provisioned: int | None = None
    added_to_campaign: int | None = None
    ongoing_manual_action: int | None = None


class ListHostingOrdersResponse(WireResponse):
    hosting_orders: list[HostingOrder] | None = None
    next_page_token: str | None = None
    total_size: int | None = None


class ListHostingOrderNumbersResponse(WireResponse):
    numbers: list[HostingOrderNumber] | None = None
    next_page_token: str | None = None
    total_size: int | None = None


# -- query parameters ------------------------------------------------------------------------------


class ListHostingOrdersParams(WireRequest):
    """GET `hostingOrders` query: the seed marks `states`, `type`, `servicePlanId` and `campaignId`
    required. `states` may repeat (`states=SUBMITTED&states=IN_PROGRESS`)."""

    region_code: RegionCode | None = None
    states: list[HostingOrderState] = Field(min_length=1)
    type: HostingOrderType
    service_plan_id: str
    campaign_id: str
    order_by: str | None = None
    page_token: str | None = None
    page_size: PageSize | None = None


NumberStateFilter = Annotated[HostingOrderNumberState | None, lenient_enum(HostingOrderNumberState)]


class ListHostingOrderNumbersParams(WireRequest):
    """GET `hostingOrders/{hostingOrderId}/numbers` query. The three state filters are
    `integer, format: enum` in the seed: the names (`DONE`) and the numbers (`2`) both parse."""

    order_by: str | None = None
    page_token: str | None = None
    page_size: PageSize | None = None
    osr_update_state: NumberStateFilter = None
    campaign_provisioning_state: NumberStateFilter = None
    platform_provisioning_state: NumberStateFilter = None

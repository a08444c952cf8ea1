"""Imported Numbers wire models (seed: `/v1/projects/{projectId}/importedNumbers`).

The seed's `ImportedNumber` schema is both the response and the PATCH body; here the response
is `ImportedNumber` and the bodies are `CreateImportedNumberRequest` / `UpdateImportedNumberRequest`.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from numberdesk.wire.base import WireRequest, WireResponse
from numberdesk.wire.imported_types import PageSize, PhoneNumberE164, RegionCode
from numberdesk.wire.numbers_common import ProvisioningStatus, SmsErrorCode


class SearchPattern(StrEnum):
    """`numberPattern.searchPattern`, spelled as the seed spells it (CONTAIN, not CONTAINS)."""

    START = "START"
    CONTAIN = "CONTAIN"
    END = "END"


# `scheduledProvisioning.status` and `errorCodes[]` are unnamed integer enums in the seed; their names
# and order are the Numbers API's (`ProvisioningStatus`, `SmsErrorCode` from numbers_common).


# -- responses ------------------------------------------------------------------------------------


class ScheduledProvisioning(WireResponse):
    service_plan_id: str | None = None
    status: ProvisioningStatus | None = None
    last_updated_time: datetime | None = None
    campaign_id: str | None = None
    error_codes: list[SmsErrorCode] | None = None


class SmsConfiguration(WireResponse):
    service_plan_id: str | None = None
    scheduled_provisioning: ScheduledProvisioning | None = None
    campaign_id: str | None = None
    migrate_to_sinch_tmo: bool | None = None


class ImportedNumber(WireResponse):
    phone_number: str | None = None
    project_id: str | None = None
    region_code: str | None = None
    display_name: str | None = None
    sms_configuration: SmsConfiguration | None = None
    callback_url: str | None = None


class ListImportedNumbersResponse(WireResponse):
    imported_numbers: list[ImportedNumber] | None = None
    next_page_token: str | None = None
    total_size: int | None = None


# -- requests -------------------------------------------------------------------------------------


class SmsConfigurationInput(WireRequest):
    """`SmsConfiguration` in a request body. `migrateToSinchTmo` is read-only in the seed, yet its
    import example sends it, so it is accepted; `scheduledProvisioning` is ignored."""

    service_plan_id: str | None = None
    campaign_id: str | None = None
    migrate_to_sinch_tmo: bool | None = None


class CreateImportedNumberRequest(WireRequest):
    """POST body: the `ImportedNumber` schema with `regionCode` and `smsConfiguration` required.
    `phoneNumber` is not in the seed's required list; the domain refuses an import without one."""

    phone_number: PhoneNumberE164 | None = None
    project_id: str | None = None
    region_code: RegionCode
    display_name: str | None = None
    sms_configuration: SmsConfigurationInput
    callback_url: str | None = None


class UpdateImportedNumberRequest(WireRequest):
    """PATCH body (the `ImportedNumber` schema). Only the fields named by `updateMask` count; an
    empty `servicePlanId` / `campaignId` unlinks."""

    phone_number: str | None = None
    project_id: str | None = None
    region_code: str | None = None
    display_name: str | None = None
    sms_configuration: SmsConfigurationInput | None = None
    callback_url: str | None = None


# -- query parameters ------------------------------------------------------------------------------


class ListImportedNumbersParams(WireRequest):
    """GET `importedNumbers` query. The seed points `servicePlanId` and `campaignId` at its
    *required* parameter definitions (it also defines unused optional ones)."""

    region_code: RegionCode | None = None
    number_pattern_pattern: str | None = Field(default=None, alias="numberPattern.pattern")
    number_pattern_search_pattern: SearchPattern | None = Field(
        default=None, alias="numberPattern.searchPattern"
    )
    page_size: PageSize | None = None
    page_token: str | None = None
    order_by: str | None = None
    service_plan_id: str
    campaign_id: str


class UpdateImportedNumberParams(WireRequest):
    """PATCH `importedNumbers/{phoneNumber}` query. The seed answers 400 when the mask is missing;
    that check is the domain's (`parse_update_mask`) so it comes with a field violation."""

    update_mask: str | None = None

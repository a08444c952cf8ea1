"""Qualified Numbers wire models.

`qualifiedNumbers:textEnableNumbers` takes `TextEnableNumbersRequest` and
`qualifiedNumbers:textEnableTollFreeNumbers` takes `TextEnableTollFreeNumbersRequest`, both from
`hosting_orders_requests`.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field, field_validator

from numberdesk.wire.base import WireRequest, WireResponse
from numberdesk.wire.imported_types import PageSize, PhoneNumberE164, RegionCode


class GlobalProcessState(StrEnum):
    GLOBAL_PROCESS_STATE_UNSPECIFIED = "GLOBAL_PROCESS_STATE_UNSPECIFIED"
    GLOBAL_PROCESS_STATE_ELIGIBLE_CHECK_PENDING = "GLOBAL_PROCESS_STATE_ELIGIBLE_CHECK_PENDING"
    GLOBAL_PROCESS_STATE_ELIGIBLE = "GLOBAL_PROCESS_STATE_ELIGIBLE"
    GLOBAL_PROCESS_STATE_NOT_ELIGIBLE = "GLOBAL_PROCESS_STATE_NOT_ELIGIBLE"
    GLOBAL_PROCESS_STATE_VERIFICATION_PENDING = "GLOBAL_PROCESS_STATE_VERIFICATION_PENDING"
    GLOBAL_PROCESS_STATE_VERIFICATION_FAILED = "GLOBAL_PROCESS_STATE_VERIFICATION_FAILED"
    GLOBAL_PROCESS_STATE_VERIFICATION_BLOCKED = "GLOBAL_PROCESS_STATE_VERIFICATION_BLOCKED"
    GLOBAL_PROCESS_STATE_VERIFIED = "GLOBAL_PROCESS_STATE_VERIFIED"
    GLOBAL_PROCESS_STATE_HOSTING_IN_PROGRESS = "GLOBAL_PROCESS_STATE_HOSTING_IN_PROGRESS"
    GLOBAL_PROCESS_STATE_HOSTING_DONE = "GLOBAL_PROCESS_STATE_HOSTING_DONE"
    GLOBAL_PROCESS_STATE_HOSTING_FAILED = "GLOBAL_PROCESS_STATE_HOSTING_FAILED"


class HostingStatus(StrEnum):
    """`hostedNumber.status`: the seed's names (its x-enumDescriptions for 0, 1, 2)."""

    HOSTING_STATUS_UNSPECIFIED = "HOSTING_STATUS_UNSPECIFIED"
    HOSTING_STATUS_HOSTED = "HOSTING_STATUS_HOSTED"
    HOSTING_STATUS_FAILED = "HOSTING_STATUS_FAILED"


class OsrEligibilityStatus(StrEnum):
    """`osrEligibility.status`: ours, the seed gives the `integer, format: enum` no names."""

    OSR_ELIGIBILITY_STATUS_UNSPECIFIED = "OSR_ELIGIBILITY_STATUS_UNSPECIFIED"
    OSR_ELIGIBILITY_STATUS_PENDING = "OSR_ELIGIBILITY_STATUS_PENDING"
    OSR_ELIGIBILITY_STATUS_ELIGIBLE = "OSR_ELIGIBILITY_STATUS_ELIGIBLE"
    OSR_ELIGIBILITY_STATUS_NOT_ELIGIBLE = "OSR_ELIGIBILITY_STATUS_NOT_ELIGIBLE"


class OwnershipVerificationStatus(StrEnum):
    """`ownershipVerification.status`: ours, the seed gives it no names either."""

    OWNERSHIP_VERIFICATION_STATUS_UNSPECIFIED = "OWNERSHIP_VERIFICATION_STATUS_UNSPECIFIED"
    OWNERSHIP_VERIFICATION_STATUS_PENDING = "OWNERSHIP_VERIFICATION_STATUS_PENDING"
    OWNERSHIP_VERIFICATION_STATUS_VERIFIED = "OWNERSHIP_VERIFICATION_STATUS_VERIFIED"
    OWNERSHIP_VERIFICATION_STATUS_FAILED = "OWNERSHIP_VERIFICATION_STATUS_FAILED"
    OWNERSHIP_VERIFICATION_STATUS_BLOCKED = "OWNERSHIP_VERIFICATION_STATUS_BLOCKED"


class QualifiedNumberHostedNumberDetails(WireResponse):
    status: HostingStatus | None = None
    error: str | None = None


class QualifiedNumberOsrEligibilityDetails(WireResponse):
    status: OsrEligibilityStatus | None = None
    error: str | None = None


class QualifiedNumberOwnershipVerificationDetails(WireResponse):
    status: OwnershipVerificationStatus | None = None
    error: str | None = None


class QualifiedNumber(WireResponse):
    phone_number: str | None = None
    project_id: str | None = None
    region_code: str | None = None
    global_process_state: GlobalProcessState | None = None
    osr_eligibility: QualifiedNumberOsrEligibilityDetails | None = None
    ownership_verification: QualifiedNumberOwnershipVerificationDetails | None = None
    hosted_number: QualifiedNumberHostedNumberDetails | None = None
    created_time: datetime | None = None
    updated_time: datetime | None = None


class ListQualifiedNumber(WireResponse):
    qualified_numbers: list[QualifiedNumber] | None = None
    next_page_token: str | None = None
    total_size: int | None = None


class BatchCreateQualifiedNumbersResponse(WireResponse):
    qualified_numbers: list[QualifiedNumber] | None = None


class TextEnableResponse(WireResponse):
    hosting_order_id: str | None = None


class BatchCreateQualifiedNumbersRequest(WireRequest):
    phone_numbers: list[PhoneNumberE164] = Field(min_length=1)


class VerifyVoiceChallengeRequest(WireRequest):
    code: str


class ListQualifiedNumbersParams(WireRequest):
    """GET `qualifiedNumbers` query. `states` is required; its parameter enum has no UNSPECIFIED."""

    region_code: RegionCode | None = None
    states: list[GlobalProcessState] = Field(min_length=1)
    page_size: PageSize | None = None
    page_token: str | None = None
    order_by: str | None = None

    @field_validator("states")
    @classmethod
    def _no_unspecified(cls, states: list[GlobalProcessState]) -> list[GlobalProcessState]:
        if GlobalProcessState.GLOBAL_PROCESS_STATE_UNSPECIFIED in states:
            raise ValueError("GLOBAL_PROCESS_STATE_UNSPECIFIED is not a state to filter on")
        return states

"""Hosting-order request bodies, shared by the `hostingOrders:*` and `qualifiedNumbers:*` operations.

`Address` / `AuthorizedPerson` are used in both directions in the seed; here the request
versions are `AddressInput` / `AuthorizedPersonInput` and the response versions live in
`hosting_orders`.
"""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import Discriminator, Field, Tag, TypeAdapter, model_validator

from numberdesk.wire.base import WireRequest
from numberdesk.wire.imported_types import PhoneNumberE164, RegionCode, UtcDatetime

# "You can enable up to 500 numbers at once."
MAX_TEXT_ENABLE_NUMBERS = 500

TextEnableNumbers = Annotated[list[PhoneNumberE164], Field(min_length=1, max_length=MAX_TEXT_ENABLE_NUMBERS)]


class AddressInput(WireRequest):
    building_number: str
    street: str
    city: str
    state: str
    postal_code: str
    country: str


class AuthorizedPersonInput(WireRequest):
    first_name: str
    last_name: str
    email: str


class BlanketLoaInfo(WireRequest):
    """Sent as an empty object once the operator has approved a blanket LOA for the project."""


class DirectLoaInfo(WireRequest):
    authorised_person: AuthorizedPersonInput
    address: AddressInput
    current_voice_carrier: str


class ResellerLoaInfo(WireRequest):
    business_name: str
    authorised_person: AuthorizedPersonInput
    address: AddressInput
    current_voice_carrier: str


class ImportNumbersRequest(WireRequest):
    """`hostingOrders:importNumbers`. The five-number limit depends on the project, so the domain
    checks it, not this model."""

    project_id: str | None = None
    display_name: str | None = None
    region_code: RegionCode
    numbers: list[PhoneNumberE164] = Field(min_length=1)
    service_plan_id: str
    campaign_id: str | None = None
    callback_url: str | None = None
    migrate_to_sinch_tmo: bool | None = None


class TextEnableNumbersRequest(WireRequest):
    """`hostingOrders:textEnableNumbers` and `qualifiedNumbers:textEnableNumbers`: exactly one of
    `directLoaInfo`, `resellerLoaInfo`, `blanketLoaInfo`."""

    project_id: str | None = None
    display_name: str | None = None
    region_code: RegionCode
    numbers: TextEnableNumbers
    nnid: str | None = None
    service_plan_id: str
    campaign_id: str | None = None
    direct_loa_info: DirectLoaInfo | None = None
    reseller_loa_info: ResellerLoaInfo | None = None
    blanket_loa_info: BlanketLoaInfo | None = None
    scheduled_osr_update_time: UtcDatetime | None = None
    migrate_to_sinch_tmo: bool | None = None  # read-only in the seed, but its examples send it
    callback_url: str | None = None

    @model_validator(mode="after")
    def _one_loa(self) -> Self:
        loas = (self.direct_loa_info, self.reseller_loa_info, self.blanket_loa_info)
        given = [loa for loa in loas if loa is not None]
        if len(given) != 1:
            raise ValueError("exactly one of directLoaInfo, resellerLoaInfo or blanketLoaInfo is required")
        return self


class TextEnableTollFreeNumbersDirectLoaInfoRequest(WireRequest):
    """The seed lists `projectId` as required, but this variant has no such property and the
    seed's own example leaves it out (the path carries the project), so it is optional."""

    project_id: str | None = None
    display_name: str | None = None
    region_code: RegionCode
    numbers: TextEnableNumbers
    scheduled_zipwhip_provisioning_time: UtcDatetime | None = None
    service_plan_id: str
    callback_url: str | None = None
    direct_loa_info: DirectLoaInfo


class TextEnableTollFreeNumbersResellerLoaInfoRequest(WireRequest):
    project_id: str | None = None
    display_name: str | None = None
    region_code: RegionCode
    numbers: TextEnableNumbers
    scheduled_zipwhip_provisioning_time: UtcDatetime | None = None
    service_plan_id: str
    callback_url: str | None = None
    reseller_loa_info: ResellerLoaInfo


def _loa_variant(value: object) -> str | None:
    if isinstance(value, TextEnableTollFreeNumbersDirectLoaInfoRequest):
        return "direct"
    if isinstance(value, TextEnableTollFreeNumbersResellerLoaInfoRequest):
        return "reseller"
    if not isinstance(value, dict):
        return None
    direct = "directLoaInfo" in value or "direct_loa_info" in value
    reseller = "resellerLoaInfo" in value or "reseller_loa_info" in value
    if direct != reseller:
        return "direct" if direct else "reseller"
    return None


# The seed's `oneOf`: exactly one of directLoaInfo / resellerLoaInfo picks the variant.
TextEnableTollFreeNumbersRequest = Annotated[
    Annotated[TextEnableTollFreeNumbersDirectLoaInfoRequest, Tag("direct")]
    | Annotated[TextEnableTollFreeNumbersResellerLoaInfoRequest, Tag("reseller")],
    Discriminator(
        _loa_variant,
        custom_error_type="loa_info",
        custom_error_message="exactly one of directLoaInfo or resellerLoaInfo is required",
    ),
]
TEXT_ENABLE_TOLL_FREE_NUMBERS_REQUEST: TypeAdapter[TextEnableTollFreeNumbersRequest] = TypeAdapter(
    TextEnableTollFreeNumbersRequest
)


class CreateTextEnabledNumberRequest(WireRequest):
    """In the seed's schemas, though no operation uses it."""

    project_id: str
    phone_number: PhoneNumberE164
    region_code: RegionCode
    display_name: str | None = None
    service_plan_id: str | None = None
    campaign_id: str | None = None
    nnid: str | None = None

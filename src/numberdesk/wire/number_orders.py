"""Number Order (KYC ordering): requirements lookup, order creation, the order, its registration.

No live bodies exist for these operations, so responses follow the spec: optional fields are left out
when unset, except `expireTime`, which the spec marks nullable.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, FieldSerializationInfo, field_serializer, model_validator

from numberdesk.wire.active_numbers import SmsConfigurationIn, VoiceConfigurationIn
from numberdesk.wire.base import WireRequest, WireResponse
from numberdesk.wire.numbers_common import (
    Capability,
    Money,
    NumberOrderState,
    NumberPatternIn,
    NumberType,
    UploadStatus,
    VoiceApplicationType,
    WireTime,
    omitted_if_none,
)

MAX_REQUESTED_QUANTITY = 100

# ------------------------------------------------------------------------------------------ requirements


class LookupNumberRequirementsRequest(WireRequest):
    region_code: str
    number_type: NumberType


class AttachmentTemplate(WireResponse):
    name: str
    url: str


class RequiredAttachment(WireResponse):
    """A document the KYC process asks for; `id` is the `{attachmentId}` of the upload URL."""

    id: str
    description: str = ""
    mandatory: bool = False
    template: list[AttachmentTemplate] = Field(default_factory=list)
    title: str = ""
    allowed_mime_types: list[str] = Field(default_factory=list)  # empty: any type
    allowed_document_types: list[str] | None = omitted_if_none()


class NumberRequirements(WireResponse):
    """What a region/type needs. `attachments` is written both at the top level (the schema) and inside
    `fields` (where the spec's example puts it); a body with only `fields.attachments` is read too.
    """

    fields: dict[str, Any] = Field(default_factory=dict)
    attachments: list[RequiredAttachment] = Field(default_factory=list)
    quantity_orders_supported: bool | None = omitted_if_none()  # from the older POC contract

    @model_validator(mode="before")
    @classmethod
    def _attachments_from_fields(cls, data: Any) -> Any:
        # `fields.attachments` is a copy made on output: lift it when it is the only copy, then drop it.
        fields = data.get("fields") if isinstance(data, dict) else None
        if isinstance(fields, dict) and "attachments" in fields:
            data = {**data, "fields": {k: v for k, v in fields.items() if k != "attachments"}}
            if "attachments" not in data:
                data["attachments"] = fields["attachments"]
        return data

    @field_serializer("fields")
    def _fields_with_attachments(
        self, fields: dict[str, Any], info: FieldSerializationInfo
    ) -> dict[str, Any]:
        by_alias = bool(info.by_alias)
        attachments = [a.model_dump(mode=info.mode, by_alias=by_alias) for a in self.attachments]
        return {**fields, "attachments": attachments}


# ---------------------------------------------------------------------------------------- create (request)


class OrderSmsConfigurationIn(SmsConfigurationIn):
    """`OrderSmsConfiguration` in a create request: `servicePlanId` (a string, required) and `campaignId`."""

    service_plan_id: str


class OrderVoiceConfigurationIn(VoiceConfigurationIn):
    """`OrderVoiceConfiguration` in a create request: `type` (RTC when missing) and its one ID."""


class NumberOrderOption(WireRequest):
    """Order specific numbers; only one number per order is supported."""

    phone_numbers: list[str] = Field(min_length=1, max_length=1)


class QuantityOrderOption(WireRequest):
    """Order 1-100 numbers matching the criteria."""

    requested_quantity: int = Field(ge=1, le=MAX_REQUESTED_QUANTITY)
    number_pattern: NumberPatternIn | None = None
    sequential: bool | None = None
    capabilities: list[Capability] | None = None


class CreateNumberOrderRequest(WireRequest):
    """Exactly one of `numberOrderOption` / `quantityOrderOption` must be sent: the service checks that,
    so that "both" or "neither" comes back as a field violation rather than a model error.
    """

    region_code: str
    number_type: NumberType
    sms_configuration: OrderSmsConfigurationIn | None = None
    voice_configuration: OrderVoiceConfigurationIn | None = None
    callback_url: str | None = None
    number_order_option: NumberOrderOption | None = None
    quantity_order_option: QuantityOrderOption | None = None


# ------------------------------------------------------------------------------------------ the order


class OrderSmsConfiguration(WireResponse):
    service_plan_id: str
    campaign_id: str | None = omitted_if_none()


class OrderVoiceConfiguration(WireResponse):
    """`{type, <id>}`: only the ID of the configuration's type is written."""

    type: VoiceApplicationType = VoiceApplicationType.RTC
    app_id: str | None = omitted_if_none()
    trunk_id: str | None = omitted_if_none()
    service_id: str | None = omitted_if_none()


class NumberPrice(WireResponse):
    setup_price: Money
    monthly_price: Money
    payment_interval_months: int


class OrderNumber(WireResponse):
    phone_number: str
    number_price: NumberPrice
    capabilities: list[Capability]


class NumberOrder(WireResponse):
    project_id: str
    id_number_order: str
    region_code: str
    state: NumberOrderState
    number_type: NumberType
    order_numbers: list[OrderNumber] = Field(default_factory=list)
    sms_configuration: OrderSmsConfiguration | None = omitted_if_none()
    voice_configuration: OrderVoiceConfiguration | None = omitted_if_none()
    callback_url: str | None = omitted_if_none()  # extension: not in the spec's NumberOrder
    expire_time: WireTime | None = None  # nullable in the spec: written as `null`, never left out
    create_time: WireTime
    update_time: WireTime


class ListNumberOrdersResponse(WireResponse):
    """Extension (no list operation in the spec); paged like `/activeNumbers`."""

    number_orders: list[NumberOrder]
    next_page_token: str = ""
    total_size: int


# -------------------------------------------------------------------------------------- registration


class UpdateNumberOrderRegistrationRequest(WireRequest):
    """PUT body: free-form `requestDetails`; the older POC's top-level `data` is accepted too."""

    request_details: dict[str, Any] | None = None
    data: dict[str, Any] | list[Any] | None = None

    def effective_request_details(self) -> dict[str, Any]:
        """`requestDetails` when sent; otherwise a legacy `data` wrapped as `{"data": data}`; else `{}`."""
        if self.request_details is not None:
            return self.request_details
        if self.data is not None:
            return {"data": self.data}
        return {}


class Attachment(WireResponse):
    attachment_id: str
    file_name: str
    mime_type: str
    create_time: WireTime
    update_time: WireTime
    upload_status: UploadStatus = UploadStatus.WAITING
    document_type: str | None = omitted_if_none()


class RegistrationLog(WireResponse):
    """Feedback from the reviewers; rejection and blocking reasons appear here."""

    message: str
    create_time: WireTime


class Registration(WireResponse):
    request_details: dict[str, Any] = Field(default_factory=dict)
    attachments: list[Attachment] = Field(default_factory=list)
    logs: list[RegistrationLog] = Field(default_factory=list)  # oldest first

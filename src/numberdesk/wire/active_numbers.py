"""Active numbers: the ActiveNumber body exactly as the live service writes it, and the rent/PATCH requests.

Response field order is the live key order (reference §5.3) and nothing is omitted: the live service
sends explicit `null`s and `""` for unset values, and every voice configuration carries all three IDs.
"""

from __future__ import annotations

from typing import Any, Self

from pydantic import Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from numberdesk.wire.base import WireRequest, WireResponse
from numberdesk.wire.numbers_common import (
    Capability,
    Money,
    NumberPatternIn,
    NumberType,
    ProvisioningStatus,
    SmsErrorCode,
    VoiceApplicationType,
    WireTime,
)

# Which ID a voice configuration of each type carries: (python field name, wire name).
VOICE_ID_FIELDS: dict[VoiceApplicationType, tuple[str, str]] = {
    VoiceApplicationType.RTC: ("app_id", "appId"),
    VoiceApplicationType.EST: ("trunk_id", "trunkId"),
    VoiceApplicationType.FAX: ("service_id", "serviceId"),
}


def _reject_empty_object(data: Any) -> None:
    # "If you pass an empty configuration object, the request will fail" [OAS]; omit it instead.
    if isinstance(data, dict) and not data:
        raise PydanticCustomError(
            "empty_configuration",
            "must not be an empty object; leave it out to keep the current configuration",
        )


# ---------------------------------------------------------------------------------------------- requests


class SmsConfigurationIn(WireRequest):
    """SMS settings to provision. `servicePlanId` must be sent; `""` (or `null`) unlinks."""

    service_plan_id: str | None
    campaign_id: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _not_empty(cls, data: Any) -> Any:
        _reject_empty_object(data)
        return data


class VoiceConfigurationIn(WireRequest):
    """Voice settings to provision: `type` (RTC when missing) and the one ID that type uses.

    The matching ID key must be present (`""` or `null` asks to clear it); an ID of another type may
    only be absent, `null` or `""` (clients that echo a GET body send all three).
    """

    type: VoiceApplicationType = VoiceApplicationType.RTC
    app_id: str | None = None
    trunk_id: str | None = None
    service_id: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _default_type(cls, data: Any) -> Any:
        _reject_empty_object(data)
        if isinstance(data, dict) and "type" in data and data["type"] is None:
            data = {k: v for k, v in data.items() if k != "type"}
        return data

    @model_validator(mode="after")
    def _ids_match_type(self) -> Self:
        wanted, wanted_wire = VOICE_ID_FIELDS[self.type]
        errors: list[InitErrorDetails] = []
        if wanted not in self.model_fields_set:
            message = "{field} is required when type is {type}"
            context = {"field": wanted_wire, "type": self.type.value}
            errors.append(_error("missing", message, context, wanted_wire, None))
        for other_type, (field, wire) in VOICE_ID_FIELDS.items():
            value = getattr(self, field)
            if field != wanted and value:
                message = "{field} is only used when type is {other}"
                context = {"field": wire, "other": other_type.value}
                errors.append(_error("voice_id_mismatch", message, context, wire, value))
        if errors:
            raise ValidationError.from_exception_data(self.__class__.__name__, errors)
        return self

    def id_value(self) -> str | None:
        """The ID for this configuration's type (`appId`, `trunkId` or `serviceId`)."""
        value: str | None = getattr(self, VOICE_ID_FIELDS[self.type][0])
        return value


def _error(kind: str, message: str, context: dict[str, str], wire: str, value: object) -> InitErrorDetails:
    return InitErrorDetails(type=PydanticCustomError(kind, message, context), loc=(wire,), input=value)


class ActiveNumberUpdate(WireRequest):
    """PATCH body. Everything optional; `model_fields_set` tells what was sent (explicit `null` included)."""

    display_name: str | None = None
    sms_configuration: SmsConfigurationIn | None = None
    voice_configuration: VoiceConfigurationIn | None = None
    callback_url: str | None = None


class RentNumberRequest(WireRequest):
    """`:rent` body; `{}` is valid (the Node SDK sends it when there is nothing to configure)."""

    sms_configuration: SmsConfigurationIn | None = None
    voice_configuration: VoiceConfigurationIn | None = None
    callback_url: str | None = None


class RentAnyNumberRequest(WireRequest):
    """`:rentAny` body: search criteria plus the configuration to provision on the number found."""

    region_code: str
    type: NumberType
    number_pattern: NumberPatternIn | None = None
    capabilities: list[Capability] | None = None
    sms_configuration: SmsConfigurationIn | None = None
    voice_configuration: VoiceConfigurationIn | None = None
    callback_url: str | None = None


# --------------------------------------------------------------------------------------------- responses


class ScheduledProvisioning(WireResponse):
    """A pending or failed SMS provisioning job (`null` once it has succeeded)."""

    service_plan_id: str = ""
    campaign_id: str = ""
    status: ProvisioningStatus = ProvisioningStatus.WAITING
    last_updated_time: WireTime | None = None
    error_codes: list[SmsErrorCode] = Field(default_factory=list)


class SmsConfiguration(WireResponse):
    """The current SMS settings; the requested ones wait under `scheduledProvisioning`."""

    service_plan_id: str = ""
    scheduled_provisioning: ScheduledProvisioning | None = None
    campaign_id: str = ""


class ScheduledVoiceProvisioning(WireResponse):
    """A pending or failed voice provisioning job; its `type` may differ from the current one."""

    app_id: str = ""
    status: ProvisioningStatus = ProvisioningStatus.WAITING
    last_updated_time: WireTime | None = None
    type: VoiceApplicationType = VoiceApplicationType.RTC
    trunk_id: str = ""
    service_id: str = ""


class VoiceConfiguration(WireResponse):
    """The current voice settings, always with all three IDs (`""` for those the type does not use)."""

    app_id: str = ""
    scheduled_voice_provisioning: ScheduledVoiceProvisioning | None = None
    last_updated_time: WireTime | None = None
    type: VoiceApplicationType = VoiceApplicationType.RTC
    trunk_id: str = ""
    service_id: str = ""


class ActiveNumber(WireResponse):
    """`ActiveNumberResponse`, in the live key order."""

    phone_number: str
    project_id: str
    display_name: str = ""
    region_code: str
    type: NumberType
    capability: list[Capability]
    money: Money
    payment_interval_months: int
    next_charge_date: WireTime
    expire_at: WireTime | None = None
    sms_configuration: SmsConfiguration = Field(default_factory=SmsConfiguration)
    voice_configuration: VoiceConfiguration = Field(default_factory=VoiceConfiguration)
    callback_url: str = ""


class ListActiveNumbersResponse(WireResponse):
    """One page of active numbers; the last page has `nextPageToken: ""`."""

    active_numbers: list[ActiveNumber]
    next_page_token: str = ""
    total_size: int

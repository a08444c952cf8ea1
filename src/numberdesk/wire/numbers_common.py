"""Enums, money, timestamps and search patterns shared by the Numbers API wire models.

This module is the single home of these names; the other wire modules import them from here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AwareDatetime, Field, PlainSerializer

from numberdesk.wire.base import WireRequest, WireResponse


def wire_time(dt: datetime) -> str:
    """Format an aware datetime as REST responses do: UTC, microseconds, `Z`.

    `wire_time(datetime(2026, 5, 19, 21, 38, 22, 937044, tzinfo=UTC)) == "2026-05-19T21:38:22.937044Z"`
    """
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("wire timestamps need a timezone-aware datetime")
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# A timestamp in a REST response: parsed from RFC 3339 (an offset is required), written by `wire_time`.
WireTime = Annotated[AwareDatetime, PlainSerializer(wire_time, return_type=str, when_used="json")]


def _is_none(value: object) -> bool:
    return value is None


def omitted_if_none() -> Any:
    """Default for an optional response field that is left out of the JSON instead of sent as `null`.

    The spec says nulls are omitted in responses; only the fields the live service sends as explicit
    `null` (ActiveNumber and its configurations, NumberOrder.expireTime) keep them.
    """
    return Field(default=None, exclude_if=_is_none)


class NumberType(StrEnum):
    MOBILE = "MOBILE"
    LOCAL = "LOCAL"
    TOLL_FREE = "TOLL_FREE"


class Capability(StrEnum):
    SMS = "SMS"
    VOICE = "VOICE"


class SearchPattern(StrEnum):
    START = "START"
    CONTAINS = "CONTAINS"
    END = "END"

    @classmethod
    def _missing_(cls, value: object) -> SearchPattern | None:
        # The Node SDK documents `CONTAIN`; the wire enum everywhere else is `CONTAINS`.
        if value == "CONTAIN":
            return cls.CONTAINS
        return None


class ProvisioningStatus(StrEnum):
    PROVISIONING_STATUS_UNSPECIFIED = "PROVISIONING_STATUS_UNSPECIFIED"
    WAITING = "WAITING"
    IN_PROGRESS = "IN_PROGRESS"
    FAILED = "FAILED"


class SmsErrorCode(StrEnum):
    ERROR_CODE_UNSPECIFIED = "ERROR_CODE_UNSPECIFIED"
    INTERNAL_ERROR = "INTERNAL_ERROR"
    SMS_PROVISIONING_FAILED = "SMS_PROVISIONING_FAILED"
    CAMPAIGN_PROVISIONING_FAILED = "CAMPAIGN_PROVISIONING_FAILED"
    CAMPAIGN_NOT_AVAILABLE = "CAMPAIGN_NOT_AVAILABLE"
    EXCEEDED_10DLC_LIMIT = "EXCEEDED_10DLC_LIMIT"
    NUMBER_PROVISIONING_FAILED = "NUMBER_PROVISIONING_FAILED"
    PARTNER_SERVICE_UNAVAILABLE = "PARTNER_SERVICE_UNAVAILABLE"
    CAMPAIGN_PENDING_ACCEPTANCE = "CAMPAIGN_PENDING_ACCEPTANCE"
    MNO_SHARING_ERROR = "MNO_SHARING_ERROR"
    CAMPAIGN_EXPIRED = "CAMPAIGN_EXPIRED"
    CAMPAIGN_MNO_REJECTED = "CAMPAIGN_MNO_REJECTED"
    CAMPAIGN_MNO_SUSPENDED = "CAMPAIGN_MNO_SUSPENDED"
    CAMPAIGN_MNO_REVIEW = "CAMPAIGN_MNO_REVIEW"
    INSUFFICIENT_BALANCE = "INSUFFICIENT_BALANCE"
    MOCK_CAMPAIGN_NOT_ALLOWED = "MOCK_CAMPAIGN_NOT_ALLOWED"
    TFN_NOT_ALLOWED = "TFN_NOT_ALLOWED"
    INVALID_NNID = "INVALID_NNID"


class VoiceApplicationType(StrEnum):
    RTC = "RTC"  # Voice API app -> appId
    EST = "EST"  # Elastic SIP Trunking -> trunkId
    FAX = "FAX"  # Fax service -> serviceId


class UploadStatus(StrEnum):
    COMPLETED = "COMPLETED"
    WAITING = "WAITING"
    FAILED = "FAILED"


class NumberOrderState(StrEnum):
    NUMBER_ORDER_STATE_UNSPECIFIED = "NUMBER_ORDER_STATE_UNSPECIFIED"
    CREATED = "CREATED"
    EXPIRED = "EXPIRED"
    IN_REVIEW = "IN_REVIEW"
    BLOCKED = "BLOCKED"
    REJECTED = "REJECTED"
    COMPLETED = "COMPLETED"


class AddressValidationResultCode(StrEnum):
    ADDRESS_VALIDATION_RESULT_CODE_UNSPECIFIED = "ADDRESS_VALIDATION_RESULT_CODE_UNSPECIFIED"
    EXACT_MATCH = "EXACT_MATCH"
    NEAR_MATCH = "NEAR_MATCH"
    NO_MATCH = "NO_MATCH"


class Money(WireResponse):
    """A price; `amount` is a decimal *string* on the wire (`"0.50"`)."""

    currency_code: str
    amount: str


class NumberPatternIn(WireRequest):
    """`numberPattern` in a request body: digits matched against the full E.164 string (with `+`)."""

    pattern: str | None = None
    search_pattern: SearchPattern | None = None

"""Callbacks of the Imported Numbers API: the per-project configuration and the event payload.

The payload is what numberdesk POSTs to a number's or an order's `callbackUrl`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from numberdesk.wire.base import WireRequest, WireResponse


class CallbackResourceType(StrEnum):
    HOSTING_ORDER_NUMBER = "HOSTING_ORDER_NUMBER"
    IMPORTED_NUMBER = "IMPORTED_NUMBER"


class CallbackEventType(StrEnum):
    PROVISIONING_TO_SMS_PLATFORM = "PROVISIONING_TO_SMS_PLATFORM"
    DEPROVISIONING_TO_SMS_PLATFORM = "DEPROVISIONING_TO_SMS_PLATFORM"
    LINK_TO_10DLC_CAMPAIGN = "LINK_TO_10DLC_CAMPAIGN"
    UNLINK_TO_10DLC_CAMPAIGN = "UNLINK_TO_10DLC_CAMPAIGN"


class CallbackStatus(StrEnum):
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


class CallbackFailureCode(StrEnum):
    CAMPAIGN_NOT_AVAILABLE = "CAMPAIGN_NOT_AVAILABLE"
    EXCEEDED_10DLC_LIMIT = "EXCEEDED_10DLC_LIMIT"
    NUMBER_PROVISIONING_FAILED = "NUMBER_PROVISIONING_FAILED"
    PARTNER_SERVICE_UNAVAILABLE = "PARTNER_SERVICE_UNAVAILABLE"
    CAMPAIGN_PENDING_ACCEPTANCE = "CAMPAIGN_PENDING_ACCEPTANCE"
    MNO_SHARING_ERROR = "MNO_SHARING_ERROR"
    CAMPAIGN_PROVISIONING_FAILED = "CAMPAIGN_PROVISIONING_FAILED"
    CAMPAIGN_EXPIRED = "CAMPAIGN_EXPIRED"
    CAMPAIGN_MNO_REJECTED = "CAMPAIGN_MNO_REJECTED"
    CAMPAIGN_MNO_SUSPENDED = "CAMPAIGN_MNO_SUSPENDED"
    CAMPAIGN_MNO_REVIEW = "CAMPAIGN_MNO_REVIEW"
    INSUFFICIENT_BALANCE = "INSUFFICIENT_BALANCE"
    MOCK_CAMPAIGN_NOT_ALLOWED = "MOCK_CAMPAIGN_NOT_ALLOWED"
    TFN_NOT_ALLOWED = "TFN_NOT_ALLOWED"
    INVALID_NNID = "INVALID_NNID"


class CallbackPayload(WireResponse):
    """`timestamp` is a plain string in the seed, written without a zone
    (`2023-06-06T07:45:27.785357`); build it with `callback_timestamp`."""

    event_id: str | None = None
    timestamp: str | None = None
    project_id: str | None = None
    resource_id: str | None = None
    resource_type: CallbackResourceType | None = None
    event_type: CallbackEventType | None = None
    status: CallbackStatus | None = None
    failure_code: CallbackFailureCode | None = None


def callback_timestamp(moment: datetime) -> str:
    """UTC, microseconds, no zone suffix: the shape of the seed's example."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


class CallbackConfiguration(WireResponse):
    project_id: str | None = None
    hmac_secret: str | None = None


class CallbackConfigurationUpdate(WireRequest):
    hmac_secret: str | None = None

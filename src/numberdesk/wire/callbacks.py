"""Callback (event) payloads of both APIs, and the exact bytes that are signed and sent.

Numbers API (`reference/sinch-numbers-api.md` §7.3): `resourceType` ACTIVE_NUMBER | NUMBER_ORDER.
Imported Numbers API (seed spec `CallbackPayload`): `resourceType` IMPORTED_NUMBER |
HOSTING_ORDER_NUMBER; the seed schema has no `internalFailureCode`.

Key order is the field order below (the order of the real examples):
eventId, timestamp, projectId, resourceId, resourceType, eventType, status, failureCode
[, internalFailureCode]. `failureCode`/`internalFailureCode` are always present, as explicit
`null` when unset, as the live service and the SDK test vectors send them.

Timestamps carry no timezone (UTC implied) — both specs' examples look like
`2023-06-06T07:45:27.785357`. Build them with `callback_timestamp(now)`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, TypeAdapter

from numberdesk.wire.base import WireResponse

# Up to 9 fractional digits are accepted so real Sinch vectors can be reproduced byte for byte.
_NAIVE_TIMESTAMP = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?$"


def callback_timestamp(dt: datetime) -> str:
    """`dt` in UTC as `YYYY-MM-DDTHH:MM:SS.ffffff`, no zone suffix (e.g. `2024-07-23T14:02:14.415637`).

    Microseconds are always written, even when zero. `dt` must be timezone-aware.
    """
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("callback_timestamp needs a timezone-aware datetime")
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


class CallbackStatus(StrEnum):
    """`status` of ACTIVE_NUMBER and imported-number events."""

    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


class ActiveNumberEventType(StrEnum):
    """`eventType` of ACTIVE_NUMBER events (Numbers API). The SDKs' deprecated alias
    `DEPROVISIONING_TO_VOICE_PLATFORM` is deliberately not emitted."""

    PROVISIONING_TO_SMS_PLATFORM = "PROVISIONING_TO_SMS_PLATFORM"
    DEPROVISIONING_FROM_SMS_PLATFORM = "DEPROVISIONING_FROM_SMS_PLATFORM"
    PROVISIONING_TO_CAMPAIGN = "PROVISIONING_TO_CAMPAIGN"
    DEPROVISIONING_FROM_CAMPAIGN = "DEPROVISIONING_FROM_CAMPAIGN"
    PROVISIONING_TO_VOICE_PLATFORM = "PROVISIONING_TO_VOICE_PLATFORM"
    DEPROVISIONING_FROM_VOICE_PLATFORM = "DEPROVISIONING_FROM_VOICE_PLATFORM"


class NumberOrderEventType(StrEnum):
    NUMBER_ORDER_PROCESSING = "NUMBER_ORDER_PROCESSING"


class NumberOrderEventStatus(StrEnum):
    """`status` of NUMBER_ORDER events: the state the order moved to."""

    IN_REVIEW = "IN_REVIEW"
    BLOCKED = "BLOCKED"
    COMPLETED = "COMPLETED"
    REJECTED = "REJECTED"
    EXPIRED = "EXPIRED"


class ImportedNumberEventType(StrEnum):
    """`eventType` of imported-number events, exactly the seed spec's values."""

    PROVISIONING_TO_SMS_PLATFORM = "PROVISIONING_TO_SMS_PLATFORM"
    DEPROVISIONING_TO_SMS_PLATFORM = "DEPROVISIONING_TO_SMS_PLATFORM"
    LINK_TO_10DLC_CAMPAIGN = "LINK_TO_10DLC_CAMPAIGN"
    UNLINK_TO_10DLC_CAMPAIGN = "UNLINK_TO_10DLC_CAMPAIGN"


class FailureCode(StrEnum):
    """Known `failureCode` values (both specs list the same ones)."""

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


class _CallbackCommon(WireResponse):
    """The leading fields every callback shares, in wire order."""

    event_id: str = Field(min_length=1)
    timestamp: str = Field(pattern=_NAIVE_TIMESTAMP)
    project_id: str = Field(min_length=1)
    resource_id: str = Field(min_length=1)


class ActiveNumberCallback(_CallbackCommon):
    """Numbers API event about an active number; `resourceId` is the phone number.

    `failureCode` is an open string: the SDKs treat it as an open enum and the Sinch mock emits values
    beyond the spec's list (e.g. `PROVISIONING_TO_VOICE_PLATFORM_FAILED`). Prefer `FailureCode` members.
    """

    resource_type: Literal["ACTIVE_NUMBER"] = "ACTIVE_NUMBER"
    event_type: ActiveNumberEventType
    status: CallbackStatus
    failure_code: str | None = None
    internal_failure_code: str | None = None


class NumberOrderCallback(_CallbackCommon):
    """Numbers API event about a number order; `resourceId` is the number-order id."""

    resource_type: Literal["NUMBER_ORDER"] = "NUMBER_ORDER"
    event_type: NumberOrderEventType = NumberOrderEventType.NUMBER_ORDER_PROCESSING
    status: NumberOrderEventStatus
    failure_code: str | None = None
    internal_failure_code: str | None = None


class ImportedNumberCallback(_CallbackCommon):
    """Imported Numbers API event about a number imported individually (or updated after hosting)."""

    resource_type: Literal["IMPORTED_NUMBER"] = "IMPORTED_NUMBER"
    event_type: ImportedNumberEventType
    status: CallbackStatus
    failure_code: FailureCode | None = None


class HostingOrderNumberCallback(_CallbackCommon):
    """Imported Numbers API event about a number being imported as part of a hosting order."""

    resource_type: Literal["HOSTING_ORDER_NUMBER"] = "HOSTING_ORDER_NUMBER"
    event_type: ImportedNumberEventType
    status: CallbackStatus
    failure_code: FailureCode | None = None


AnyCallback = ActiveNumberCallback | NumberOrderCallback | ImportedNumberCallback | HostingOrderNumberCallback
"""Any callback model (a plain union, for type hints)."""

NumbersCallbackPayload = Annotated[
    ActiveNumberCallback | NumberOrderCallback, Field(discriminator="resource_type")
]
ImportedNumbersCallbackPayload = Annotated[
    ImportedNumberCallback | HostingOrderNumberCallback, Field(discriminator="resource_type")
]
CallbackPayload = Annotated[AnyCallback, Field(discriminator="resource_type")]
"""Any callback, discriminated by `resourceType` (for validation)."""

_CALLBACK_ADAPTER: TypeAdapter[AnyCallback] = TypeAdapter(CallbackPayload)


def render_callback_body(payload: AnyCallback) -> bytes:
    """The exact body bytes to sign and send: compact UTF-8 JSON, no spaces, keys in wire order."""
    return payload.model_dump_json(by_alias=True).encode("utf-8")


def parse_callback_body(body: bytes) -> AnyCallback:
    """Parse a body we rendered (tests, the `listen` CLI). Strict: unknown fields are rejected."""
    return _CALLBACK_ADAPTER.validate_json(body)


_MODELS: dict[tuple[str, str], type[AnyCallback]] = {
    ("NUMBERS", "ACTIVE_NUMBER"): ActiveNumberCallback,
    ("NUMBERS", "NUMBER_ORDER"): NumberOrderCallback,
    ("IMPORTED", "IMPORTED_NUMBER"): ImportedNumberCallback,
    ("IMPORTED", "HOSTING_ORDER_NUMBER"): HostingOrderNumberCallback,
}


def build_callback(
    api: str,
    *,
    event_id: str,
    occurred_at: datetime,
    project_id: str,
    resource_type: str,
    resource_id: str,
    event_type: str,
    status: str,
    failure_code: str | None = None,
    internal_failure_code: str | None = None,
) -> AnyCallback:
    """The payload model of one recorded event. `api` is "NUMBERS" or "IMPORTED" (the project
    secret and payload family); raises ValueError when the event does not fit that API's schema.

    Deterministic: the same event always gives the same model, so retries send identical bytes.
    """
    model = _MODELS.get((api, resource_type))
    if model is None:
        raise ValueError(f"no {api} callback payload has resourceType {resource_type!r}")
    fields: dict[str, object] = {
        "event_id": event_id,
        "timestamp": callback_timestamp(occurred_at),
        "project_id": project_id,
        "resource_id": resource_id,
        "event_type": event_type,
        "status": status,
        "failure_code": failure_code,
    }
    if api == "NUMBERS":
        fields["internal_failure_code"] = internal_failure_code
    return model.model_validate(fields)

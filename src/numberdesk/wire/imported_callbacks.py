"""Callbacks of the Imported Numbers API: the per-project configuration and the event payload.

The payload is what numberdesk POSTs to a number's or an order's `callbackUrl`.
"""

from __future__ import annotations

from enum import StrEnum

from numberdesk.wire.base import WireRequest, WireResponse
from numberdesk.wire.callbacks import CallbackStatus, FailureCode, ImportedNumberEventType

# The seed's names for the enums the dispatcher's payload models (wire/callbacks.py) already define.
CallbackEventType = ImportedNumberEventType
CallbackFailureCode = FailureCode


class CallbackResourceType(StrEnum):
    HOSTING_ORDER_NUMBER = "HOSTING_ORDER_NUMBER"
    IMPORTED_NUMBER = "IMPORTED_NUMBER"


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


class CallbackConfiguration(WireResponse):
    project_id: str | None = None
    hmac_secret: str | None = None


class CallbackConfigurationUpdate(WireRequest):
    hmac_secret: str | None = None

"""numberdesk's HTTP client (wire models only) and callback verification for receivers."""

from numberdesk.client._client import NumbersClient
from numberdesk.client._errors import NumbersApiError
from numberdesk.client.events import (
    EventsClient,
    ListenedEvent,
    listen,
    verify_callback,
    verify_sinch_signature,
    verify_standard_webhook,
)

__all__ = [
    "EventsClient",
    "ListenedEvent",
    "NumbersApiError",
    "NumbersClient",
    "listen",
    "verify_callback",
    "verify_sinch_signature",
    "verify_standard_webhook",
]

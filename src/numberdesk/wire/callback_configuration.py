"""The project's callback configuration: the HMAC secret that signs number and number-order events."""

from __future__ import annotations

from pydantic import Field

from numberdesk.wire.base import WireRequest, WireResponse

HMAC_PATTERN = r"^[a-zA-Z0-9-]{32,64}$"


class CallbackConfiguration(WireResponse):
    project_id: str
    hmac_secret: str


class CallbackConfigurationUpdate(WireRequest):
    """PATCH body. `hmacSecret` is 32-64 letters, digits or hyphens; what omitting it means is the
    service's call (the spec does not say).
    """

    hmac_secret: str | None = Field(default=None, pattern=HMAC_PATTERN)

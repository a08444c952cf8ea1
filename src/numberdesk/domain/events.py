"""Events that leave the system as callbacks. Recorded in the outbox with the change that causes them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class CallbackApi(StrEnum):
    """Which API's callback scheme (and which project secret) an event belongs to."""

    NUMBERS = "NUMBERS"
    IMPORTED = "IMPORTED"


@dataclass(frozen=True)
class CallbackEvent:
    event_id: str
    project_id: str
    api: CallbackApi
    resource_type: str
    resource_id: str
    event_type: str
    status: str
    occurred_at: datetime
    callback_url: str | None = None
    failure_code: str | None = None
    internal_failure_code: str | None = None
    extra: Mapping[str, object] = field(default_factory=dict)

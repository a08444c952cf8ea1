"""Extensions (not in the Sinch contract): the operator's delivery log and the project events feed
that `numberdesk listen` reads."""

from __future__ import annotations

from datetime import datetime

from numberdesk.wire.base import WireResponse


class DeliveryAttemptOut(WireResponse):
    attempt_no: int
    started_at: datetime
    latency_ms: int
    status_code: int | None
    outcome: str
    error: str | None
    next_attempt_at: datetime | None


class DeliveryOut(WireResponse):
    event_id: str
    project_id: str
    api: str
    callback_url: str | None
    state: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    finished_at: datetime | None


class DeliveryLogOut(DeliveryOut):
    attempt_log: list[DeliveryAttemptOut]


class DeliveryListOut(WireResponse):
    deliveries: list[DeliveryOut]


class FeedEvent(WireResponse):
    """One event as its callback would carry it: `body` is the exact JSON text that is (or would
    be) POSTed, `headers` the signature headers made with the project's current secret (none if
    the project has no secret). `body` is null for an event that fits no payload schema."""

    event_id: str
    api: str
    resource_type: str
    callback_url: str | None
    body: str | None
    headers: dict[str, str]


class EventFeed(WireResponse):
    events: list[FeedEvent]
    next_cursor: str | None

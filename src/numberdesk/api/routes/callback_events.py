"""Extension: `GET /v1/projects/{projectId}/events` — the project's events as their callbacks carry
them (exact body + signature headers), paged by an opaque cursor, with long-polling (`wait`).
This is what `numberdesk listen` reads; it works with a project key against any server."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from fastapi import APIRouter, Query

from numberdesk.api.deps import ContainerDep, PrincipalDep
from numberdesk.api.routes.common import PROJECT_PREFIX, STANDARD_ERRORS
from numberdesk.domain.errors import FieldViolation, InvalidArgument
from numberdesk.domain.events import CallbackApi, CallbackEvent
from numberdesk.services import callbacks
from numberdesk.wire.callback_deliveries import EventFeed, FeedEvent
from numberdesk.wire.signing import callback_headers
from numberdesk.workers.callback_dispatcher import render_event

router = APIRouter(prefix=PROJECT_PREFIX, tags=["Events (numberdesk extension)"], responses=STANDARD_ERRORS)

_POLL_SECONDS = 0.1


def encode_cursor(event: CallbackEvent) -> str:
    micros = int(event.occurred_at.timestamp() * 1_000_000)
    return f"{micros}.{event.event_id}"


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    micros, _, event_id = cursor.partition(".")
    try:
        when = datetime.fromtimestamp(int(micros) / 1_000_000, UTC)
    except (ValueError, OverflowError) as exc:
        raise InvalidArgument("invalid cursor", [FieldViolation("after", "not a cursor we issued")]) from exc
    if not event_id:
        raise InvalidArgument("invalid cursor", [FieldViolation("after", "not a cursor we issued")])
    return when, event_id


def _feed_event(event: CallbackEvent, secret: str, now: int) -> FeedEvent:
    try:
        body = render_event(event)
    except ValueError:
        return FeedEvent(
            event_id=event.event_id,
            api=event.api.value,
            resource_type=event.resource_type,
            callback_url=event.callback_url,
            body=None,
            headers={},
        )
    return FeedEvent(
        event_id=event.event_id,
        api=event.api.value,
        resource_type=event.resource_type,
        callback_url=event.callback_url,
        body=body.decode("utf-8"),
        headers=callback_headers(secret, event.event_id, now, body),
    )


@router.get(
    "/events", response_model=EventFeed, summary="The project's events, as their callbacks carry them"
)
def list_events(
    project_id: str,
    _principal: PrincipalDep,
    container: ContainerDep,
    after: str | None = Query(default=None, description="cursor from a previous page's nextCursor"),
    limit: int = Query(default=100, ge=1, le=500),
    wait: float = Query(default=0, ge=0, le=25, description="long-poll: seconds to wait for an event"),
) -> dict[str, object]:
    cursor = decode_cursor(after) if after else None
    deadline = time.monotonic() + wait
    while True:
        events = callbacks.events_feed(project_id, cursor, limit, container.uows)
        if events or time.monotonic() >= deadline:
            break
        time.sleep(_POLL_SECONDS)
    secrets = {
        api: callbacks.get_callback_configuration(
            project_id, api, container.uows, container.cipher
        ).hmac_secret
        for api in {e.api for e in events}
    }
    now = int(time.time())
    feed = EventFeed(
        events=[_feed_event(e, secrets[e.api], now) for e in events],
        next_cursor=encode_cursor(events[-1]) if events else after,
    )
    return feed.to_wire()


__all__ = ["CallbackApi", "router"]

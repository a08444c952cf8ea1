"""Typed client for the project events feed and callback configuration, plus callback verification.

Receivers verify a callback with `verify_callback(secret, headers, body, now)` (both schemes), or
one scheme with `verify_sinch_signature` / `verify_standard_webhook`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx

from numberdesk.wire.callback_configuration import CallbackConfiguration
from numberdesk.wire.callback_deliveries import EventFeed, FeedEvent
from numberdesk.wire.signing import (
    SINCH_SIGNATURE_HEADER,
    verify_callback,
    verify_sinch_signature,
    verify_standard_webhook,
)

__all__ = [
    "EventsClient",
    "ListenedEvent",
    "listen",
    "verify_callback",
    "verify_sinch_signature",
    "verify_standard_webhook",
]


class EventsClient:
    """Project-key client (HTTP Basic) for `/callbackConfiguration` and the `/events` feed.

    Pass `http` to reuse a client (tests pass a TestClient); otherwise `base_url` is used.
    """

    def __init__(
        self,
        project_id: str,
        key_id: str,
        key_secret: str,
        *,
        base_url: str = "http://127.0.0.1:8080",
        http: httpx.Client | None = None,
    ) -> None:
        self.project_id = project_id
        self._auth = (key_id, key_secret)
        self._http = http or httpx.Client(base_url=base_url, timeout=httpx.Timeout(40.0))

    def _url(self, path: str) -> str:
        return f"/v1/projects/{self.project_id}/{path}"

    def get_callback_configuration(self) -> CallbackConfiguration:
        response = self._http.get(self._url("callbackConfiguration"), auth=self._auth)
        response.raise_for_status()
        return CallbackConfiguration.model_validate(response.json())

    def events(self, after: str | None = None, *, wait: float = 0, limit: int = 100) -> EventFeed:
        params: dict[str, str | int | float] = {"limit": limit, "wait": wait}
        if after:
            params["after"] = after
        response = self._http.get(self._url("events"), params=params, auth=self._auth)
        response.raise_for_status()
        return EventFeed.model_validate(response.json())

    def latest_cursor(self) -> str | None:
        """The cursor after every event so far (to listen only for new ones)."""
        cursor: str | None = None
        while True:
            page = self.events(cursor, limit=500)
            if not page.events:
                return cursor
            cursor = page.next_cursor


@dataclass(frozen=True)
class ListenedEvent:
    event: FeedEvent
    verdict: str  # "verified" | "unsigned" | "BAD SIGNATURE" | "unrenderable"
    forward_status: int | None = None
    forward_error: str | None = None


def _verdict(event: FeedEvent, secret: str, now: int) -> str:
    if event.body is None:
        return "unrenderable"
    if not any(k.lower() == SINCH_SIGNATURE_HEADER.lower() for k in event.headers):
        return "unsigned"
    return "verified" if verify_callback(secret, event.headers, event.body.encode(), now) else "BAD SIGNATURE"


def listen(
    client: EventsClient,
    secrets: dict[str, str],
    *,
    forward_to: str | None = None,
    forwarder: httpx.Client | None = None,
    after: str | None = None,
    wait: float = 20.0,
    max_events: int | None = None,
    until: Callable[[], bool] = lambda: False,
) -> Iterator[ListenedEvent]:
    """Follow the feed: verify each event with `secrets[api]` ("NUMBERS"/"IMPORTED"), forward the
    exact body and headers of verified or unsigned events to `forward_to`, yield what happened."""
    http = forwarder or httpx.Client(timeout=httpx.Timeout(10.0), follow_redirects=False)
    seen = 0
    cursor = after
    while not until() and (max_events is None or seen < max_events):
        page = client.events(cursor, wait=wait)
        cursor = page.next_cursor
        for event in page.events:
            verdict = _verdict(event, secrets.get(event.api, ""), int(time.time()))
            status: int | None = None
            error: str | None = None
            if forward_to and verdict in ("verified", "unsigned") and event.body is not None:
                try:
                    status = http.post(
                        forward_to, content=event.body.encode(), headers=event.headers
                    ).status_code
                except httpx.HTTPError as exc:
                    error = type(exc).__name__
            seen += 1
            yield ListenedEvent(event, verdict, status, error)
            if max_events is not None and seen >= max_events:
                return

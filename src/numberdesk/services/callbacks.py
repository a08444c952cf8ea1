"""Callback use cases: the project's secrets, the delivery log, redelivery, the events feed.

Ports of this feature (implemented in `numberdesk.adapters.callback_sender`):
`CallbackSender` sends one signed body; `CallbackUrlGuard` checks a callback URL when a client
registers it (literal blocked addresses are refused then; names are checked again at send time).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from numberdesk.domain.callbacks import (
    CallbackConfiguration,
    Delivery,
    DeliveryAttempt,
    DeliveryState,
    validate_hmac_secret,
)
from numberdesk.domain.errors import Conflict, NotFound
from numberdesk.domain.events import CallbackApi, CallbackEvent
from numberdesk.services.ports import Cipher, Clock, UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True)
class SendResult:
    """The receiver's answer: `status_code` None means none came (timeout, refused, blocked)."""

    status_code: int | None
    retry_after: str | None = None
    error: str | None = None
    # When the request really started (time.monotonic()) and how long it took, if the sender
    # knows better than its caller (a batch sender queues requests behind its concurrency bound).
    began: float | None = None
    elapsed: float | None = None


@dataclass(frozen=True)
class OutgoingCallback:
    url: str
    body: bytes
    headers: Mapping[str, str]


class CallbackSender(Protocol):
    def send(self, url: str, body: bytes, headers: Mapping[str, str]) -> SendResult: ...


class BatchCallbackSender(CallbackSender, Protocol):
    """A sender that takes a whole batch at once (e.g. many requests on one event loop)."""

    def send_many(self, callbacks: Sequence[OutgoingCallback]) -> list[SendResult]:
        """One result per callback, in order. Never raises for a failed request."""
        ...


class CallbackUrlGuard(Protocol):
    def check(self, url: str, field: str = "callbackUrl") -> None:
        """Raise InvalidArgument (with a FieldViolation on `field`) for a URL we will never call."""
        ...


def _associated_data(project_id: str, api: CallbackApi) -> bytes:
    return f"callback-secret/{project_id}/{api.value}".encode()


def _require_project(uow: UnitOfWork, project_id: str) -> None:
    if uow.projects.get(project_id) is None:
        raise NotFound("CallbackConfiguration", "", f"Could not find project with ID: {project_id}")


def load_secret(uow: UnitOfWork, cipher: Cipher, project_id: str, api: CallbackApi) -> str:
    """The project's current secret for `api`, or "" if none is set (events then go unsigned)."""
    ciphertext = uow.callback_configurations.get_encrypted(project_id, api)
    if ciphertext is None:
        return ""
    return cipher.decrypt(ciphertext, _associated_data(project_id, api)).decode("utf-8")


def get_callback_configuration(
    project_id: str, api: CallbackApi, uows: UnitOfWorkFactory, cipher: Cipher
) -> CallbackConfiguration:
    with uows(readonly=True) as uow:
        _require_project(uow, project_id)
        return CallbackConfiguration(project_id, api, load_secret(uow, cipher, project_id, api))


def update_callback_configuration(
    project_id: str,
    api: CallbackApi,
    hmac_secret: str | None,
    uows: UnitOfWorkFactory,
    clock: Clock,
    cipher: Cipher,
) -> CallbackConfiguration:
    """Set the secret. `hmac_secret` None (PATCH without the field) changes nothing: PATCH only
    touches what it names, and a secret is never cleared by accident."""
    if hmac_secret is None:
        return get_callback_configuration(project_id, api, uows, cipher)
    validate_hmac_secret(hmac_secret)
    with uows() as uow:
        _require_project(uow, project_id)
        ciphertext = cipher.encrypt(hmac_secret.encode("utf-8"), _associated_data(project_id, api))
        uow.callback_configurations.put_encrypted(project_id, api, ciphertext, clock.now())
        uow.commit()
    return CallbackConfiguration(project_id, api, hmac_secret)


@dataclass(frozen=True)
class DeliveryLog:
    delivery: Delivery
    attempts: list[DeliveryAttempt]


def delivery_log(event_id: str, uows: UnitOfWorkFactory) -> DeliveryLog:
    with uows(readonly=True) as uow:
        delivery = uow.deliveries.get(event_id)
        if delivery is None:
            raise NotFound("CallbackDelivery", event_id)
        return DeliveryLog(delivery, uow.deliveries.attempts(event_id))


def list_deliveries(
    uows: UnitOfWorkFactory,
    project_id: str | None = None,
    state: DeliveryState | None = None,
    limit: int = 100,
) -> list[Delivery]:
    with uows(readonly=True) as uow:
        return uow.deliveries.list_recent(project_id, state, limit)


def redeliver(event_id: str, uows: UnitOfWorkFactory, clock: Clock) -> Delivery:
    """Queue the event again now, with a fresh retry window. The eventId stays the same."""
    with uows() as uow:
        delivery = uow.deliveries.get(event_id)
        if delivery is None:
            raise NotFound("CallbackDelivery", event_id)
        if delivery.state is DeliveryState.NO_DESTINATION:
            raise Conflict("the event has no callback URL to deliver to")
        if not uow.deliveries.redeliver(event_id, clock.now()):
            raise Conflict("a delivery attempt of this event is in progress; try again shortly")
        uow.commit()
    with uows(readonly=True) as uow:
        refreshed = uow.deliveries.get(event_id)
    assert refreshed is not None
    return refreshed


def events_feed(
    project_id: str, after: tuple[datetime, str] | None, limit: int, uows: UnitOfWorkFactory
) -> list[CallbackEvent]:
    """The project's events in (occurred_at, eventId) order, after the cursor."""
    with uows(readonly=True) as uow:
        return uow.deliveries.feed(project_id, after, limit)

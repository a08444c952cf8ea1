"""Imported-numbers events into the outbox, in the caller's transaction.

Only events with a callback `eventType` (the seed's CallbackPayload) become outbox rows; the
others (link requested, order submitted, eligibility...) are the aggregates' audit trail.
"""

from __future__ import annotations

from numberdesk.domain.events import CallbackApi, CallbackEvent
from numberdesk.domain.imported_events import DomainEvent
from numberdesk.services.ids import new_id
from numberdesk.services.ports import UnitOfWork


def record(uow: UnitOfWork, events: list[DomainEvent], callback_url: str) -> None:
    """Add the callback events to the outbox and clear the list (so nothing is recorded twice)."""
    for event in events:
        if event.event_type is None:
            continue
        uow.outbox.add(
            CallbackEvent(
                event_id=new_id(),
                project_id=event.project_id,
                api=CallbackApi.IMPORTED,
                resource_type=event.resource_type.value,
                resource_id=event.resource_id,
                event_type=event.event_type.value,
                status=event.status,
                occurred_at=event.occurred_at,
                callback_url=callback_url or None,
                failure_code=event.failure_code.value if event.failure_code else None,
                extra={"hostingOrderId": event.hosting_order_id} if event.hosting_order_id else {},
            )
        )
    events.clear()

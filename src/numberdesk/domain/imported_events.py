"""Past-tense events of imported numbers, hosting orders and qualified numbers.

Every guarded `_move_to` in those three modules appends one `DomainEvent`. Events whose
`event_type` is set are the ones the seed's callback section defines (`CallbackPayload`): the
dispatcher turns them into callbacks. The others (hosting-order and qualified-number state
changes, OSR updates, deletions) have no callback event type in the seed and serve the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ResourceType(StrEnum):
    """What an event is about. The first two are the seed's callback `resourceType` values."""

    IMPORTED_NUMBER = "IMPORTED_NUMBER"
    HOSTING_ORDER_NUMBER = "HOSTING_ORDER_NUMBER"
    # Ours, never sent as a callback: the seed defines no callback for these resources.
    HOSTING_ORDER = "HOSTING_ORDER"
    QUALIFIED_NUMBER = "QUALIFIED_NUMBER"


class CallbackEventType(StrEnum):
    """The seed's callback `eventType` values."""

    PROVISIONING_TO_SMS_PLATFORM = "PROVISIONING_TO_SMS_PLATFORM"
    DEPROVISIONING_TO_SMS_PLATFORM = "DEPROVISIONING_TO_SMS_PLATFORM"
    LINK_TO_10DLC_CAMPAIGN = "LINK_TO_10DLC_CAMPAIGN"
    UNLINK_TO_10DLC_CAMPAIGN = "UNLINK_TO_10DLC_CAMPAIGN"


class EventStatus(StrEnum):
    """The seed's callback `status` values."""

    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


class FailureCode(StrEnum):
    """The seed's callback `failureCode` enum (campaign failures; SMS-platform failures carry none)."""

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


@dataclass(frozen=True)
class DomainEvent:
    """One recorded change.

    `status` is the callback status (`SUCCEEDED`/`FAILED`) for callback events and the new state
    for plain state changes; `previous_status` is the state left. `hosting_order_id` is set on
    events about a hosting order or one of its numbers.
    """

    name: str
    project_id: str
    resource_type: ResourceType
    resource_id: str
    status: str
    occurred_at: datetime
    previous_status: str | None = None
    event_type: CallbackEventType | None = None
    failure_code: FailureCode | None = None
    hosting_order_id: str | None = None

    @property
    def is_callback(self) -> bool:
        return self.event_type is not None


def outcome_status(succeeded: bool) -> EventStatus:
    return EventStatus.SUCCEEDED if succeeded else EventStatus.FAILED

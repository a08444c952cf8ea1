"""The link state machine shared by an imported number's service plan and campaign."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final

from numberdesk.domain.errors import FieldViolation
from numberdesk.domain.imported_events import CallbackEventType
from numberdesk.domain.imported_numbers_requests import CAMPAIGN_FIELD, SERVICE_PLAN_FIELD


class LinkState(StrEnum):
    UNLINKED = "UNLINKED"
    LINK_PENDING = "LINK_PENDING"
    LINKED = "LINKED"
    LINK_FAILED = "LINK_FAILED"
    UNLINK_PENDING = "UNLINK_PENDING"


TRANSITIONS: Final[Mapping[LinkState, frozenset[LinkState]]] = {
    LinkState.UNLINKED: frozenset({LinkState.LINK_PENDING}),
    LinkState.LINK_PENDING: frozenset({LinkState.LINKED, LinkState.LINK_FAILED}),
    LinkState.LINKED: frozenset({LinkState.UNLINK_PENDING}),
    # A failed link is retried (PATCH with the id again) or cleared (PATCH with "").
    LinkState.LINK_FAILED: frozenset({LinkState.LINK_PENDING, LinkState.UNLINKED}),
    # A failed unlink leaves the number linked.
    LinkState.UNLINK_PENDING: frozenset({LinkState.UNLINKED, LinkState.LINKED}),
}


class SmsLinkKind(StrEnum):
    SERVICE_PLAN = "SERVICE_PLAN"
    CAMPAIGN = "CAMPAIGN"


class ProvisioningStatus(StrEnum):
    """Status of the pending change shown as `smsConfiguration.scheduledProvisioning`."""

    WAITING = "WAITING"
    FAILED = "FAILED"


# The `scheduledProvisioning.errorCodes` entry for a failed service-plan link (campaign links carry
# their FailureCode).
SMS_PROVISIONING_FAILED: Final = "SMS_PROVISIONING_FAILED"

# (previous, target) -> (event verb, succeeded: None for a request, else the provider's outcome).
EVENT_VERBS: Final[Mapping[tuple[LinkState, LinkState], tuple[str, bool | None]]] = {
    (LinkState.UNLINKED, LinkState.LINK_PENDING): ("LinkRequested", None),
    (LinkState.LINK_FAILED, LinkState.LINK_PENDING): ("LinkRequested", None),
    (LinkState.LINK_PENDING, LinkState.LINKED): ("Linked", True),
    (LinkState.LINK_PENDING, LinkState.LINK_FAILED): ("LinkFailed", False),
    (LinkState.LINKED, LinkState.UNLINK_PENDING): ("UnlinkRequested", None),
    (LinkState.UNLINK_PENDING, LinkState.UNLINKED): ("Unlinked", True),
    (LinkState.UNLINK_PENDING, LinkState.LINKED): ("UnlinkFailed", False),
    (LinkState.LINK_FAILED, LinkState.UNLINKED): ("LinkCleared", None),
}
EVENT_NOUNS: Final[Mapping[SmsLinkKind, str]] = {
    SmsLinkKind.SERVICE_PLAN: "ServicePlan",
    SmsLinkKind.CAMPAIGN: "Campaign",
}
# kind -> (event type of a link outcome, event type of an unlink outcome)
CALLBACK_TYPES: Final[Mapping[SmsLinkKind, tuple[CallbackEventType, CallbackEventType]]] = {
    SmsLinkKind.SERVICE_PLAN: (
        CallbackEventType.PROVISIONING_TO_SMS_PLATFORM,
        CallbackEventType.DEPROVISIONING_TO_SMS_PLATFORM,
    ),
    SmsLinkKind.CAMPAIGN: (
        CallbackEventType.LINK_TO_10DLC_CAMPAIGN,
        CallbackEventType.UNLINK_TO_10DLC_CAMPAIGN,
    ),
}
LINK_FIELDS: Final[Mapping[SmsLinkKind, str]] = {
    SmsLinkKind.SERVICE_PLAN: SERVICE_PLAN_FIELD,
    SmsLinkKind.CAMPAIGN: CAMPAIGN_FIELD,
}


@dataclass
class SmsLink:
    """`linked_id` is live while LINKED or UNLINK_PENDING; `target_id` is wanted while
    LINK_PENDING or LINK_FAILED; `error_code` explains a LINK_FAILED."""

    state: LinkState = LinkState.UNLINKED
    linked_id: str = ""
    target_id: str = ""
    error_code: str = ""


@dataclass(frozen=True)
class ScheduledProvisioning:
    service_plan_id: str
    campaign_id: str
    status: ProvisioningStatus
    last_updated_time: datetime
    error_codes: tuple[str, ...]


def requested_move(link: SmsLink, value: str, field_name: str) -> LinkState | FieldViolation | None:
    """The move a PATCH value asks for, None for no change, or why it is refused."""
    state = link.state
    if state is LinkState.LINK_PENDING and value != link.target_id:
        return FieldViolation(field_name, f"a link to {link.target_id} is in progress; wait for it to finish")
    if state is LinkState.UNLINK_PENDING and value:
        return FieldViolation(field_name, "an unlink is in progress; link again once it has finished")
    if state is LinkState.LINKED and value and value != link.linked_id:
        return FieldViolation(
            field_name,
            f"the number is linked to {link.linked_id}; unlink it first by sending an empty string",
        )
    if value == "":
        if state is LinkState.LINKED:
            return LinkState.UNLINK_PENDING
        return LinkState.UNLINKED if state is LinkState.LINK_FAILED else None
    if state in (LinkState.UNLINKED, LinkState.LINK_FAILED):
        return LinkState.LINK_PENDING
    return None  # already linked (or being linked) to this value


def wanted_id(link: SmsLink) -> str:
    if link.state in (LinkState.LINK_PENDING, LinkState.LINK_FAILED):
        return link.target_id
    if link.state is LinkState.UNLINK_PENDING:
        return ""
    return link.linked_id


def link_ids(link: SmsLink) -> set[str]:
    return {value for value in (link.linked_id, link.target_id) if value}

"""Imported numbers: non-Sinch numbers linked to an SMS service plan and, optionally, a 10DLC campaign.

Each number has two links (service plan, campaign) that share one state machine. Linking and
unlinking are asynchronous: PATCH only requests them, and the provider's answer
(`record_service_plan_result` / `record_campaign_result`) completes them. A link to a new
service plan or campaign needs the old one unlinked first. A campaign sits on top of the
service plan: it is linked after the plan and unlinked before it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from numberdesk.domain.errors import Conflict, FieldViolation, InvalidTransition
from numberdesk.domain.imported_events import (
    DomainEvent,
    FailureCode,
    ResourceType,
    outcome_status,
)
from numberdesk.domain.imported_number_links import (
    CALLBACK_TYPES,
    EVENT_NOUNS,
    EVENT_VERBS,
    LINK_FIELDS,
    SMS_PROVISIONING_FAILED,
    TRANSITIONS,
    LinkState,
    ProvisioningStatus,
    ScheduledProvisioning,
    SmsLink,
    SmsLinkKind,
    link_ids,
    requested_move,
    wanted_id,
)
from numberdesk.domain.imported_numbers_requests import (
    ImportedNumberChanges,
    ImportedNumberFilter,
    NumberPattern,
    SearchPattern,
    parse_update_mask,
)
from numberdesk.domain.imported_phone_numbers import (
    phone_number_violations,
    raise_if_invalid,
    region_code_violations,
)

__all__ = [
    "TRANSITIONS",
    "ImportedNumber",
    "ImportedNumberChanges",
    "ImportedNumberFilter",
    "LinkState",
    "NumberPattern",
    "ProvisioningStatus",
    "ScheduledProvisioning",
    "SearchPattern",
    "SmsLink",
    "SmsLinkKind",
]


@dataclass(eq=False)
class ImportedNumber:
    project_id: str
    phone_number: str
    region_code: str
    created_time: datetime
    updated_time: datetime
    display_name: str = ""
    callback_url: str = ""
    migrate_to_sinch_tmo: bool = False
    service_plan: SmsLink = field(default_factory=SmsLink)
    campaign: SmsLink = field(default_factory=SmsLink)
    events: list[DomainEvent] = field(default_factory=list)

    @classmethod
    def create(
        cls,
        *,
        project_id: str,
        phone_number: str | None,
        region_code: str | None,
        service_plan_id: str | None,
        now: datetime,
        campaign_id: str | None = None,
        display_name: str | None = None,
        callback_url: str | None = None,
        migrate_to_sinch_tmo: bool = False,
    ) -> ImportedNumber:
        """Import a number: both links start pending. The caller checks that the number is not
        imported yet (AlreadyExists) and that the service plan exists."""
        violations = region_code_violations(region_code)
        violations += phone_number_violations(phone_number, "phoneNumber", region_code)
        if not service_plan_id:
            violations.append(
                FieldViolation(LINK_FIELDS[SmsLinkKind.SERVICE_PLAN], "a service plan is required")
            )
        raise_if_invalid(violations, "the imported number is not valid")
        assert phone_number and region_code and service_plan_id  # narrowed by the checks above
        number = cls(
            project_id=project_id,
            phone_number=phone_number,
            region_code=region_code,
            created_time=now,
            updated_time=now,
            display_name=display_name or "",
            callback_url=callback_url or "",
            migrate_to_sinch_tmo=migrate_to_sinch_tmo,
        )
        number._move_to(SmsLinkKind.SERVICE_PLAN, LinkState.LINK_PENDING, now, target_id=service_plan_id)
        if campaign_id:
            number._move_to(SmsLinkKind.CAMPAIGN, LinkState.LINK_PENDING, now, target_id=campaign_id)
        return number

    @classmethod
    def hosted(
        cls,
        *,
        project_id: str,
        phone_number: str,
        region_code: str,
        service_plan_id: str,
        now: datetime,
        campaign_id: str = "",
        display_name: str = "",
        callback_url: str = "",
        migrate_to_sinch_tmo: bool = False,
    ) -> ImportedNumber:
        """A number a completed hosting order brought in: already linked, nothing pending."""
        return cls(
            project_id=project_id,
            phone_number=phone_number,
            region_code=region_code,
            created_time=now,
            updated_time=now,
            display_name=display_name,
            callback_url=callback_url,
            migrate_to_sinch_tmo=migrate_to_sinch_tmo,
            service_plan=SmsLink(LinkState.LINKED, linked_id=service_plan_id),
            campaign=SmsLink(LinkState.LINKED, linked_id=campaign_id) if campaign_id else SmsLink(),
        )

    # -- what the wire shows ------------------------------------------------------------------

    @property
    def service_plan_id(self) -> str:
        return self.service_plan.linked_id

    @property
    def campaign_id(self) -> str:
        return self.campaign.linked_id

    @property
    def scheduled_provisioning(self) -> ScheduledProvisioning | None:
        """The pending or failed change, or None when both links are settled."""
        links = (self.service_plan, self.campaign)
        unsettled = {LinkState.LINK_PENDING, LinkState.UNLINK_PENDING, LinkState.LINK_FAILED}
        if not any(link.state in unsettled for link in links):
            return None
        pending = any(link.state in (LinkState.LINK_PENDING, LinkState.UNLINK_PENDING) for link in links)
        return ScheduledProvisioning(
            service_plan_id=wanted_id(self.service_plan),
            campaign_id=wanted_id(self.campaign),
            status=ProvisioningStatus.WAITING if pending else ProvisioningStatus.FAILED,
            last_updated_time=self.updated_time,
            error_codes=tuple(link.error_code for link in links if link.state is LinkState.LINK_FAILED),
        )

    def matches(self, criteria: ImportedNumberFilter) -> bool:
        if criteria.region_code and criteria.region_code != self.region_code:
            return False
        if criteria.number_pattern and not criteria.number_pattern.matches(self.phone_number):
            return False
        if criteria.service_plan_id and criteria.service_plan_id not in link_ids(self.service_plan):
            return False
        return not (criteria.campaign_id and criteria.campaign_id not in link_ids(self.campaign))

    def pending_link(self) -> SmsLinkKind | None:
        """Which link the provider acts on next: unlinks campaign first, links service plan first."""
        if self.campaign.state is LinkState.UNLINK_PENDING:
            return SmsLinkKind.CAMPAIGN
        if self.service_plan.state in (LinkState.UNLINK_PENDING, LinkState.LINK_PENDING):
            return SmsLinkKind.SERVICE_PLAN
        if self.campaign.state is LinkState.LINK_PENDING:
            return SmsLinkKind.CAMPAIGN
        return None

    # -- commands -------------------------------------------------------------------------------

    def update(self, changes: ImportedNumberChanges, update_mask: str | None, now: datetime) -> None:
        """PATCH. A masked field missing from the body counts as "" (field-mask semantics), so a
        masked but absent servicePlanId unlinks. Nothing changes unless the whole update is valid."""
        paths = parse_update_mask(update_mask)
        values = {
            SmsLinkKind.SERVICE_PLAN: changes.service_plan_id,
            SmsLinkKind.CAMPAIGN: changes.campaign_id,
        }
        wanted = {kind: values[kind] or "" for kind, path in LINK_FIELDS.items() if path in paths}
        targets: dict[SmsLinkKind, LinkState] = {}
        violations: list[FieldViolation] = []
        for kind, value in wanted.items():
            outcome = requested_move(self._link(kind), value, LINK_FIELDS[kind])
            if isinstance(outcome, FieldViolation):
                violations.append(outcome)
            elif outcome is not None:
                targets[kind] = outcome
        violations += self._layering_violations(targets)
        raise_if_invalid(violations, "the update cannot be applied")

        if "displayName" in paths:
            self.display_name = changes.display_name or ""
            self.updated_time = now
        order = [SmsLinkKind.SERVICE_PLAN, SmsLinkKind.CAMPAIGN]
        if targets.get(SmsLinkKind.SERVICE_PLAN) is not LinkState.LINK_PENDING:
            order.reverse()  # unlinks (and clears) go campaign first
        for kind in order:
            if kind in targets:
                self._move_to(kind, targets[kind], now, target_id=wanted[kind])

    def record_service_plan_result(self, now: datetime, *, succeeded: bool) -> None:
        state = self.service_plan.state
        if state is LinkState.LINK_PENDING:
            if succeeded:
                self._move_to(SmsLinkKind.SERVICE_PLAN, LinkState.LINKED, now)
                return
            self._move_to(
                SmsLinkKind.SERVICE_PLAN, LinkState.LINK_FAILED, now, error_code=SMS_PROVISIONING_FAILED
            )
            if self.campaign.state is LinkState.LINK_PENDING:
                self._move_to(
                    SmsLinkKind.CAMPAIGN,
                    LinkState.LINK_FAILED,
                    now,
                    failure_code=FailureCode.NUMBER_PROVISIONING_FAILED,
                )
        elif state is LinkState.UNLINK_PENDING:
            if self.campaign.state is LinkState.UNLINK_PENDING:
                raise Conflict("the campaign must be unlinked before the service plan")
            self._move_to(
                SmsLinkKind.SERVICE_PLAN, LinkState.UNLINKED if succeeded else LinkState.LINKED, now
            )
        else:
            raise Conflict(f"no service plan change is pending for {self.phone_number}")

    def record_campaign_result(
        self, now: datetime, *, succeeded: bool, failure_code: FailureCode | None = None
    ) -> None:
        state = self.campaign.state
        if state is LinkState.LINK_PENDING:
            if self.service_plan.state is not LinkState.LINKED:
                raise Conflict("the service plan must be linked before the campaign")
            if succeeded:
                self._move_to(SmsLinkKind.CAMPAIGN, LinkState.LINKED, now)
            else:
                code = failure_code or FailureCode.CAMPAIGN_PROVISIONING_FAILED
                self._move_to(SmsLinkKind.CAMPAIGN, LinkState.LINK_FAILED, now, failure_code=code)
        elif state is LinkState.UNLINK_PENDING:
            target = LinkState.UNLINKED if succeeded else LinkState.LINKED
            self._move_to(SmsLinkKind.CAMPAIGN, target, now, failure_code=None if succeeded else failure_code)
        else:
            raise Conflict(f"no campaign change is pending for {self.phone_number}")

    def delete(self, now: datetime) -> None:
        self.events.append(
            DomainEvent(
                name="ImportedNumberDeleted",
                project_id=self.project_id,
                resource_type=ResourceType.IMPORTED_NUMBER,
                resource_id=self.phone_number,
                status="DELETED",
                occurred_at=now,
            )
        )

    # -- the one place link states change -----------------------------------------------------

    def _move_to(
        self,
        kind: SmsLinkKind,
        target: LinkState,
        now: datetime,
        *,
        target_id: str = "",
        error_code: str = "",
        failure_code: FailureCode | None = None,
    ) -> None:
        link = self._link(kind)
        previous = link.state
        if target not in TRANSITIONS[previous]:
            raise InvalidTransition(f"ImportedNumber.{kind.value.lower()}", previous.value, target.value)
        link.state = target
        if target is LinkState.LINK_PENDING:
            link.target_id, link.error_code = target_id, ""
        elif target is LinkState.LINKED and previous is LinkState.LINK_PENDING:
            link.linked_id, link.target_id = link.target_id, ""
        elif target is LinkState.LINK_FAILED:
            link.error_code = error_code or (failure_code.value if failure_code else "")
        elif target is LinkState.UNLINKED:
            link.linked_id = link.target_id = link.error_code = ""
        self.updated_time = now

        verb, succeeded = EVENT_VERBS[(previous, target)]
        link_type, unlink_type = CALLBACK_TYPES[kind]
        event_type = None
        if succeeded is not None:
            event_type = link_type if previous is LinkState.LINK_PENDING else unlink_type
        self.events.append(
            DomainEvent(
                name=f"{EVENT_NOUNS[kind]}{verb}",
                project_id=self.project_id,
                resource_type=ResourceType.IMPORTED_NUMBER,
                resource_id=self.phone_number,
                status=target.value if succeeded is None else outcome_status(succeeded).value,
                previous_status=previous.value,
                occurred_at=now,
                event_type=event_type,
                failure_code=failure_code if succeeded is False and kind is SmsLinkKind.CAMPAIGN else None,
            )
        )

    def _link(self, kind: SmsLinkKind) -> SmsLink:
        return self.service_plan if kind is SmsLinkKind.SERVICE_PLAN else self.campaign

    def _layering_violations(self, targets: Mapping[SmsLinkKind, LinkState]) -> list[FieldViolation]:
        """The campaign needs a (pending or) linked service plan; the plan is unlinked only with or
        after the campaign."""
        plan_after = targets.get(SmsLinkKind.SERVICE_PLAN, self.service_plan.state)
        campaign_after = targets.get(SmsLinkKind.CAMPAIGN, self.campaign.state)
        violations = []
        if targets.get(SmsLinkKind.CAMPAIGN) is LinkState.LINK_PENDING and plan_after not in (
            LinkState.LINKED,
            LinkState.LINK_PENDING,
        ):
            violations.append(FieldViolation(LINK_FIELDS[SmsLinkKind.CAMPAIGN], "link a service plan first"))
        if targets.get(SmsLinkKind.SERVICE_PLAN) is LinkState.UNLINK_PENDING and campaign_after in (
            LinkState.LINKED,
            LinkState.LINK_PENDING,
        ):
            violations.append(
                FieldViolation(
                    LINK_FIELDS[SmsLinkKind.SERVICE_PLAN],
                    "unlink the campaign first (an empty campaignId in the same request will do)",
                )
            )
        return violations

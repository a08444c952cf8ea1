from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from numberdesk.domain.errors import Conflict, InvalidArgument, InvalidTransition
from numberdesk.domain.imported_events import CallbackEventType, EventStatus, FailureCode, ResourceType
from numberdesk.domain.imported_numbers import (
    TRANSITIONS,
    ImportedNumber,
    ImportedNumberChanges,
    ImportedNumberFilter,
    LinkState,
    NumberPattern,
    ProvisioningStatus,
    SearchPattern,
    SmsLinkKind,
)
from numberdesk.domain.imported_numbers_requests import parse_update_mask
from numberdesk.domain.imported_phone_numbers import (
    is_toll_free,
    nanp_region,
    numbers_violations,
    phone_number_violations,
    region_for,
)

NOW = datetime(2026, 1, 12, 14, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=5)
PHONE = "+12025550134"
BOTH = "smsConfiguration.servicePlanId,smsConfiguration.campaignId"


def imported(campaign_id: str | None = "CAMP1") -> ImportedNumber:
    return ImportedNumber.create(
        project_id="p1",
        phone_number=PHONE,
        region_code="US",
        service_plan_id="PLAN1",
        campaign_id=campaign_id,
        display_name="Mine",
        callback_url="https://example.test/cb",
        now=NOW,
    )


def linked(campaign_id: str = "CAMP1") -> ImportedNumber:
    number = imported(campaign_id or None)
    number.record_service_plan_result(NOW, succeeded=True)
    if campaign_id:
        number.record_campaign_result(NOW, succeeded=True)
    number.events.clear()
    return number


def callbacks(number: ImportedNumber) -> list[tuple[str | None, str, str | None]]:
    return [(e.event_type, e.status, e.failure_code) for e in number.events if e.is_callback]


class TestTransitionsTable:
    def test_every_state_has_an_entry(self) -> None:
        assert set(TRANSITIONS) == set(LinkState)

    def test_moves_outside_the_table_are_refused(self) -> None:
        number = linked()
        with pytest.raises(InvalidTransition) as info:
            number._move_to(SmsLinkKind.SERVICE_PLAN, LinkState.LINK_PENDING, NOW)
        assert (info.value.current, info.value.target) == ("LINKED", "LINK_PENDING")
        assert number.service_plan.state is LinkState.LINKED
        assert number.events == []

    @pytest.mark.parametrize(
        ("start", "target"),
        [(start, target) for start in LinkState for target in LinkState if target not in TRANSITIONS[start]],
    )
    def test_every_refused_pair_raises(self, start: LinkState, target: LinkState) -> None:
        number = linked()
        number.campaign.state = start  # test set-up only
        with pytest.raises(InvalidTransition):
            number._move_to(SmsLinkKind.CAMPAIGN, target, NOW)


class TestImport:
    def test_both_links_start_pending(self) -> None:
        number = imported()
        assert number.service_plan.state is LinkState.LINK_PENDING
        assert number.campaign.state is LinkState.LINK_PENDING
        assert (number.service_plan_id, number.campaign_id) == ("", "")
        scheduled = number.scheduled_provisioning
        assert scheduled is not None
        assert (scheduled.service_plan_id, scheduled.campaign_id) == ("PLAN1", "CAMP1")
        assert scheduled.status is ProvisioningStatus.WAITING
        assert [e.name for e in number.events] == ["ServicePlanLinkRequested", "CampaignLinkRequested"]
        assert not any(e.is_callback for e in number.events)

    def test_without_campaign_only_the_plan_is_pending(self) -> None:
        number = imported(campaign_id=None)
        assert number.campaign.state is LinkState.UNLINKED

    @pytest.mark.parametrize(
        ("phone", "region", "plan", "fields"),
        [
            ("12025550134", "US", "P", ["phoneNumber"]),
            (None, "US", "P", ["phoneNumber"]),
            ("+442071838750", "US", "P", ["phoneNumber"]),
            ("+18765550123", "US", "P", ["phoneNumber"]),  # Jamaica shares +1
            ("+14165550123", "US", "P", ["phoneNumber"]),  # a Canadian number in a US import
            (PHONE, "SE", "P", ["regionCode"]),
            (PHONE, None, "P", ["regionCode"]),
            (PHONE, "US", "", ["smsConfiguration.servicePlanId"]),
            ("bad", "SE", None, ["regionCode", "phoneNumber", "smsConfiguration.servicePlanId"]),
        ],
    )
    def test_bad_input_is_refused_with_field_violations(
        self, phone: str | None, region: str | None, plan: str | None, fields: list[str]
    ) -> None:
        with pytest.raises(InvalidArgument) as info:
            ImportedNumber.create(
                project_id="p", phone_number=phone, region_code=region, service_plan_id=plan, now=NOW
            )
        assert [v.field for v in info.value.violations] == fields

    def test_unknown_area_codes_are_accepted(self) -> None:
        # The seed's own example imports +11234567890.
        number = ImportedNumber.create(
            project_id="p", phone_number="+11234567890", region_code="US", service_plan_id="P", now=NOW
        )
        assert number.phone_number == "+11234567890"

    def test_hosted_numbers_arrive_linked(self) -> None:
        number = ImportedNumber.hosted(
            project_id="p",
            phone_number=PHONE,
            region_code="US",
            service_plan_id="P",
            campaign_id="C",
            now=NOW,
        )
        assert (number.service_plan_id, number.campaign_id) == ("P", "C")
        assert number.scheduled_provisioning is None
        assert number.events == []


class TestProviderResults:
    def test_plan_then_campaign_link(self) -> None:
        number = imported()
        assert number.pending_link() is SmsLinkKind.SERVICE_PLAN
        number.record_service_plan_result(LATER, succeeded=True)
        assert number.pending_link() is SmsLinkKind.CAMPAIGN
        number.record_campaign_result(LATER, succeeded=True)
        assert (number.service_plan_id, number.campaign_id) == ("PLAN1", "CAMP1")
        assert number.scheduled_provisioning is None
        assert number.pending_link() is None
        assert number.updated_time == LATER
        assert callbacks(number) == [
            (CallbackEventType.PROVISIONING_TO_SMS_PLATFORM, EventStatus.SUCCEEDED, None),
            (CallbackEventType.LINK_TO_10DLC_CAMPAIGN, EventStatus.SUCCEEDED, None),
        ]
        event = number.events[-1]
        assert (event.resource_type, event.resource_id, event.project_id) == (
            ResourceType.IMPORTED_NUMBER,
            PHONE,
            "p1",
        )

    def test_campaign_cannot_complete_before_the_plan(self) -> None:
        number = imported()
        with pytest.raises(Conflict):
            number.record_campaign_result(NOW, succeeded=True)

    def test_failed_plan_fails_the_campaign_too(self) -> None:
        number = imported()
        number.record_service_plan_result(LATER, succeeded=False)
        assert number.service_plan.state is LinkState.LINK_FAILED
        assert number.campaign.state is LinkState.LINK_FAILED
        scheduled = number.scheduled_provisioning
        assert scheduled is not None
        assert scheduled.status is ProvisioningStatus.FAILED
        assert scheduled.error_codes == ("SMS_PROVISIONING_FAILED", "NUMBER_PROVISIONING_FAILED")
        assert callbacks(number) == [
            (CallbackEventType.PROVISIONING_TO_SMS_PLATFORM, EventStatus.FAILED, None),
            (
                CallbackEventType.LINK_TO_10DLC_CAMPAIGN,
                EventStatus.FAILED,
                FailureCode.NUMBER_PROVISIONING_FAILED,
            ),
        ]

    def test_failed_campaign_carries_its_failure_code(self) -> None:
        number = imported()
        number.record_service_plan_result(NOW, succeeded=True)
        number.record_campaign_result(NOW, succeeded=False, failure_code=FailureCode.CAMPAIGN_EXPIRED)
        assert number.service_plan_id == "PLAN1"
        assert number.campaign.error_code == "CAMPAIGN_EXPIRED"
        assert callbacks(number)[-1] == (
            CallbackEventType.LINK_TO_10DLC_CAMPAIGN,
            EventStatus.FAILED,
            FailureCode.CAMPAIGN_EXPIRED,
        )

    def test_failed_campaign_defaults_to_provisioning_failed(self) -> None:
        number = imported()
        number.record_service_plan_result(NOW, succeeded=True)
        number.record_campaign_result(NOW, succeeded=False)
        assert number.campaign.error_code == "CAMPAIGN_PROVISIONING_FAILED"

    def test_results_without_a_pending_change_are_refused(self) -> None:
        number = linked()
        with pytest.raises(Conflict):
            number.record_service_plan_result(NOW, succeeded=True)
        with pytest.raises(Conflict):
            number.record_campaign_result(NOW, succeeded=True)


class TestUpdateMask:
    def test_paths_are_split_and_trimmed(self) -> None:
        assert parse_update_mask(" displayName , smsConfiguration.campaignId") == {
            "displayName",
            "smsConfiguration.campaignId",
        }

    def test_sms_configuration_means_both_ids(self) -> None:
        assert parse_update_mask("smsConfiguration") == {
            "smsConfiguration.servicePlanId",
            "smsConfiguration.campaignId",
        }

    @pytest.mark.parametrize("mask", [None, "", " , "])
    def test_a_mask_is_required(self, mask: str | None) -> None:
        with pytest.raises(InvalidArgument) as info:
            parse_update_mask(mask)
        assert info.value.violations[0].field == "updateMask"

    def test_unknown_paths_are_refused(self) -> None:
        with pytest.raises(InvalidArgument) as info:
            parse_update_mask("displayName,callbackUrl,regionCode")
        assert len(info.value.violations) == 2


class TestUpdate:
    def test_display_name_only(self) -> None:
        number = linked()
        number.update(
            ImportedNumberChanges(display_name="New", service_plan_id="OTHER"), "displayName", LATER
        )
        assert number.display_name == "New"
        assert number.service_plan_id == "PLAN1"  # not in the mask
        assert number.updated_time == LATER

    def test_unlink_both_goes_campaign_first(self) -> None:
        number = linked()
        number.update(ImportedNumberChanges(service_plan_id="", campaign_id=""), BOTH, LATER)
        assert [e.name for e in number.events] == ["CampaignUnlinkRequested", "ServicePlanUnlinkRequested"]
        scheduled = number.scheduled_provisioning
        assert scheduled is not None
        assert (scheduled.service_plan_id, scheduled.campaign_id, scheduled.status) == (
            "",
            "",
            ProvisioningStatus.WAITING,
        )
        # Still linked until the provider confirms.
        assert (number.service_plan_id, number.campaign_id) == ("PLAN1", "CAMP1")
        assert number.pending_link() is SmsLinkKind.CAMPAIGN
        with pytest.raises(Conflict):
            number.record_service_plan_result(LATER, succeeded=True)
        number.record_campaign_result(LATER, succeeded=True)
        number.record_service_plan_result(LATER, succeeded=True)
        assert (number.service_plan_id, number.campaign_id) == ("", "")
        assert number.scheduled_provisioning is None
        assert callbacks(number) == [
            (CallbackEventType.UNLINK_TO_10DLC_CAMPAIGN, EventStatus.SUCCEEDED, None),
            (CallbackEventType.DEPROVISIONING_TO_SMS_PLATFORM, EventStatus.SUCCEEDED, None),
        ]

    def test_masked_but_absent_values_unlink(self) -> None:
        number = linked()
        number.update(ImportedNumberChanges(), BOTH, LATER)
        assert number.campaign.state is LinkState.UNLINK_PENDING
        assert number.service_plan.state is LinkState.UNLINK_PENDING

    def test_failed_unlinks_leave_the_number_linked(self) -> None:
        number = linked()
        number.update(ImportedNumberChanges(service_plan_id="", campaign_id=""), BOTH, LATER)
        number.record_campaign_result(
            LATER, succeeded=False, failure_code=FailureCode.PARTNER_SERVICE_UNAVAILABLE
        )
        assert number.campaign.state is LinkState.LINKED
        assert callbacks(number)[-1] == (
            CallbackEventType.UNLINK_TO_10DLC_CAMPAIGN,
            EventStatus.FAILED,
            FailureCode.PARTNER_SERVICE_UNAVAILABLE,
        )
        number.update(ImportedNumberChanges(campaign_id=""), "smsConfiguration.campaignId", LATER)
        number.record_campaign_result(LATER, succeeded=True)
        number.record_service_plan_result(LATER, succeeded=False)
        assert number.service_plan.state is LinkState.LINKED
        assert callbacks(number)[-1] == (
            CallbackEventType.DEPROVISIONING_TO_SMS_PLATFORM,
            EventStatus.FAILED,
            None,
        )

    def test_linking_to_a_new_plan_needs_an_unlink_first(self) -> None:
        number = linked()
        with pytest.raises(InvalidArgument) as info:
            number.update(
                ImportedNumberChanges(service_plan_id="PLAN2"), "smsConfiguration.servicePlanId", NOW
            )
        assert info.value.violations[0].field == "smsConfiguration.servicePlanId"
        assert "unlink it first" in info.value.violations[0].description

    def test_linking_to_a_new_campaign_needs_an_unlink_first(self) -> None:
        number = linked()
        with pytest.raises(InvalidArgument):
            number.update(ImportedNumberChanges(campaign_id="CAMP2"), "smsConfiguration.campaignId", NOW)

    def test_relink_after_unlink(self) -> None:
        number = linked(campaign_id="")
        number.update(ImportedNumberChanges(service_plan_id=""), "smsConfiguration.servicePlanId", NOW)
        number.record_service_plan_result(NOW, succeeded=True)
        number.update(ImportedNumberChanges(service_plan_id="PLAN2", campaign_id="CAMP2"), BOTH, LATER)
        assert [e.name for e in number.events[-2:]] == ["ServicePlanLinkRequested", "CampaignLinkRequested"]
        number.record_service_plan_result(LATER, succeeded=True)
        number.record_campaign_result(LATER, succeeded=True)
        assert (number.service_plan_id, number.campaign_id) == ("PLAN2", "CAMP2")

    def test_same_values_change_nothing(self) -> None:
        number = linked()
        number.update(ImportedNumberChanges(service_plan_id="PLAN1", campaign_id="CAMP1"), BOTH, LATER)
        assert number.events == []
        pending = imported()
        pending.events.clear()
        pending.update(ImportedNumberChanges(service_plan_id="PLAN1", campaign_id="CAMP1"), BOTH, LATER)
        assert pending.events == []

    def test_unlinking_an_unlinked_number_changes_nothing(self) -> None:
        number = linked(campaign_id="")
        number.update(ImportedNumberChanges(campaign_id=""), "smsConfiguration.campaignId", LATER)
        assert number.events == []

    def test_no_change_while_a_link_is_in_progress(self) -> None:
        number = imported()
        with pytest.raises(InvalidArgument) as info:
            number.update(ImportedNumberChanges(service_plan_id="", campaign_id=""), BOTH, NOW)
        assert len(info.value.violations) == 2

    def test_no_link_while_an_unlink_is_in_progress(self) -> None:
        number = linked()
        number.update(ImportedNumberChanges(campaign_id=""), "smsConfiguration.campaignId", NOW)
        with pytest.raises(InvalidArgument):
            number.update(ImportedNumberChanges(campaign_id="CAMP1"), "smsConfiguration.campaignId", NOW)

    def test_the_plan_cannot_be_unlinked_under_a_linked_campaign(self) -> None:
        number = linked()
        with pytest.raises(InvalidArgument) as info:
            number.update(ImportedNumberChanges(service_plan_id=""), "smsConfiguration.servicePlanId", NOW)
        assert "unlink the campaign first" in info.value.violations[0].description
        assert number.events == []

    def test_a_campaign_needs_a_plan(self) -> None:
        number = linked(campaign_id="")
        number.update(ImportedNumberChanges(service_plan_id=""), "smsConfiguration.servicePlanId", NOW)
        number.record_service_plan_result(NOW, succeeded=True)
        with pytest.raises(InvalidArgument) as info:
            number.update(ImportedNumberChanges(campaign_id="CAMP1"), "smsConfiguration.campaignId", NOW)
        assert info.value.violations[0].description == "link a service plan first"

    def test_nothing_changes_when_part_of_the_update_is_refused(self) -> None:
        number = linked()
        with pytest.raises(InvalidArgument):
            number.update(
                ImportedNumberChanges(display_name="New", service_plan_id="PLAN2"),
                "displayName,smsConfiguration.servicePlanId",
                LATER,
            )
        assert number.display_name == "Mine"

    def test_a_failed_link_is_retried_or_cleared(self) -> None:
        number = imported(campaign_id=None)
        number.record_service_plan_result(NOW, succeeded=False)
        number.update(ImportedNumberChanges(service_plan_id="PLAN9"), "smsConfiguration.servicePlanId", LATER)
        assert number.service_plan.state is LinkState.LINK_PENDING
        assert number.service_plan.target_id == "PLAN9"
        number.record_service_plan_result(LATER, succeeded=False)
        number.update(ImportedNumberChanges(service_plan_id=""), "smsConfiguration.servicePlanId", LATER)
        assert number.service_plan.state is LinkState.UNLINKED
        assert number.events[-1].name == "ServicePlanLinkCleared"
        assert not number.events[-1].is_callback
        assert number.scheduled_provisioning is None

    def test_failed_campaign_is_cleared_campaign_first(self) -> None:
        number = imported()
        number.record_service_plan_result(NOW, succeeded=False)
        number.update(ImportedNumberChanges(service_plan_id="", campaign_id=""), BOTH, LATER)
        assert [e.name for e in number.events[-2:]] == ["CampaignLinkCleared", "ServicePlanLinkCleared"]


class TestFilterAndDelete:
    def test_filters(self) -> None:
        number = imported()
        assert number.matches(ImportedNumberFilter())
        assert number.matches(
            ImportedNumberFilter(region_code="US", service_plan_id="PLAN1", campaign_id="CAMP1")
        )
        assert not number.matches(ImportedNumberFilter(region_code="CA"))
        assert not number.matches(ImportedNumberFilter(service_plan_id="OTHER"))
        assert not number.matches(ImportedNumberFilter(campaign_id="OTHER"))
        assert number.matches(
            ImportedNumberFilter(number_pattern=NumberPattern("+1202", SearchPattern.START))
        )
        assert not number.matches(
            ImportedNumberFilter(number_pattern=NumberPattern("202", SearchPattern.START))
        )
        assert number.matches(ImportedNumberFilter(number_pattern=NumberPattern("0134", SearchPattern.END)))
        assert number.matches(ImportedNumberFilter(number_pattern=NumberPattern("555")))
        assert not number.matches(ImportedNumberFilter(number_pattern=NumberPattern("999")))

    def test_delete_records_an_event(self) -> None:
        number = linked()
        number.delete(LATER)
        assert [(e.name, e.is_callback) for e in number.events] == [("ImportedNumberDeleted", False)]


class TestPhoneRules:
    def test_regions(self) -> None:
        assert nanp_region("+12025550134") == "US"
        assert nanp_region("+14165550123") == "CA"
        assert nanp_region("+18335870229") is None  # toll-free belongs to both
        assert nanp_region("+442071838750") is None
        assert region_for("+14165550123") == "CA"
        assert region_for("+11234567890") == "US"
        assert is_toll_free("+18335870229")
        assert not is_toll_free("+12025550134")

    def test_toll_free_fits_either_region(self) -> None:
        assert phone_number_violations("+18335870229", "n", "CA") == []
        assert phone_number_violations("+18335870229", "n", "US") == []

    def test_lists(self) -> None:
        assert numbers_violations([], "US")[0].description == "at least one number is required"
        assert (
            "at most 2"
            in numbers_violations([PHONE, "+12025550135", "+12025550136"], "US", limit=2)[0].description
        )
        violations = numbers_violations([PHONE, "x", PHONE], "US")
        assert [(v.field, v.description) for v in violations] == [
            ("numbers[1]", "must be in E.164 format with a leading +"),
            ("numbers[2]", "repeats numbers[0]"),
        ]

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from numberdesk.domain.errors import Conflict, InvalidArgument, InvalidTransition, NotFound
from numberdesk.domain.hosting_orders import (
    DEFAULT_IMPORT_NUMBER_LIMIT,
    MAX_TEXT_ENABLE_NUMBERS,
    TRANSITIONS,
    HostingOrder,
    HostingOrderFilter,
    HostingOrderState,
    HostingOrderType,
    reschedule_osr_update,
)
from numberdesk.domain.hosting_orders_loa import (
    AuthorisedPerson,
    LetterOfAuthorisation,
    LoaType,
    PostalAddress,
)
from numberdesk.domain.hosting_orders_numbers import (
    STEP_TRANSITIONS,
    HostingOrderNumberFilter,
    HostingOrderReport,
    NumberStep,
    StepState,
)
from numberdesk.domain.imported_events import CallbackEventType, EventStatus, FailureCode, ResourceType

NOW = datetime(2023, 1, 12, 14, 34, 40, 968000, tzinfo=UTC)
A, B = "+17724295286", "+17724295287"
TF1, TF2 = "+18335870229", "+18339460473"
PERSON = AuthorisedPerson("John", "Smith", "email@domain.com")
ADDRESS = PostalAddress("2433", "Vesta Drive", "Chicago", "IL", "60647", "US")
DIRECT = LetterOfAuthorisation(LoaType.DIRECT, PERSON, ADDRESS, "Verizon")
RESELLER = LetterOfAuthorisation(LoaType.RESELLER, PERSON, ADDRESS, "Verizon", business_name="Acme, Inc.")
S = HostingOrderState


def text_enable(
    loa: LetterOfAuthorisation | None = DIRECT,
    *,
    numbers: tuple[str, ...] = (A, B),
    campaign_id: str | None = "C3O8OGA",
    scheduled: datetime | None = None,
    toll_free: bool = False,
    blanket_loa_approved: bool = True,
) -> HostingOrder:
    return HostingOrder.text_enable(
        hosting_order_id="01arz3nhyrtsv4rrffq69g5fav",
        project_id="p1",
        region_code="US",
        numbers=numbers,
        service_plan_id="PLAN",
        campaign_id=campaign_id,
        loa=loa,
        nnid="104029",
        scheduled_osr_update_time=scheduled,
        toll_free=toll_free,
        blanket_loa_approved=blanket_loa_approved,
        callback_url="https://example.test/cb",
        now=NOW,
    )


def import_order(numbers: tuple[str, ...] = (A, B), **kwargs: object) -> HostingOrder:
    return HostingOrder.import_numbers(
        hosting_order_id="01import",
        project_id="p1",
        region_code="US",
        numbers=numbers,
        service_plan_id="PLAN",
        campaign_id="C3O8OGA",
        now=NOW,
        **kwargs,  # type: ignore[arg-type]
    )


def in_progress(order: HostingOrder) -> HostingOrder:
    order.accept(NOW)
    if order.state is S.WAITING_FOR_LOA_SIGNATURE:
        order.sign_loa(NOW)
    order.events.clear()
    return order


def provision_all(order: HostingOrder, now: datetime = NOW) -> None:
    while steps := order.due_steps(now):
        for phone, which in steps:
            if which is NumberStep.OSR_UPDATE:
                order.record_osr_update(phone, now, succeeded=True)
            elif which is NumberStep.PLATFORM_PROVISIONING:
                order.record_platform_provisioning(phone, now, succeeded=True)
            else:
                order.record_campaign_provisioning(phone, now, succeeded=True)


class TestTransitionsTable:
    def test_every_state_has_an_entry(self) -> None:
        assert set(TRANSITIONS) == set(HostingOrderState)
        assert set(STEP_TRANSITIONS) == set(StepState)

    @pytest.mark.parametrize(
        ("start", "target"),
        [(a, b) for a in HostingOrderState for b in HostingOrderState if b not in TRANSITIONS[a]],
    )
    def test_refused_order_moves(self, start: HostingOrderState, target: HostingOrderState) -> None:
        order = text_enable()
        order.state = start  # test set-up only
        with pytest.raises(InvalidTransition):
            order._move_to(target, NOW)
        assert order.state is start

    @pytest.mark.parametrize(
        ("start", "target"),
        [(a, b) for a in StepState for b in StepState if b not in STEP_TRANSITIONS[a]],
    )
    def test_refused_step_moves(self, start: StepState, target: StepState) -> None:
        number = text_enable().numbers[0]
        number.platform_provisioning.state = start  # test set-up only
        with pytest.raises(InvalidTransition):
            number._move_to(NumberStep.PLATFORM_PROVISIONING, target, NOW)

    def test_a_missing_step_cannot_move(self) -> None:
        number = import_order().numbers[0]
        with pytest.raises(InvalidTransition):
            number._move_to(NumberStep.OSR_UPDATE, StepState.DONE, NOW)


class TestCreate:
    def test_text_enable_is_submitted_with_three_steps_per_number(self) -> None:
        order = text_enable()
        assert order.state is S.SUBMITTED
        assert order.order_type is HostingOrderType.TYPE_TEXT_ENABLE
        assert [e.name for e in order.events] == ["HostingOrderSubmitted"]
        assert order.events[0].resource_type is ResourceType.HOSTING_ORDER
        number = order.number(A)
        assert (number.osr_update, number.platform_provisioning, number.campaign_provisioning) == (
            number.step(NumberStep.OSR_UPDATE),
            number.step(NumberStep.PLATFORM_PROVISIONING),
            number.step(NumberStep.CAMPAIGN_PROVISIONING),
        )
        assert number.osr_update is not None and number.osr_update.reference == "104029"
        assert number.platform_provisioning.reference == "PLAN"
        assert number.campaign_provisioning is not None
        assert number.campaign_provisioning.reference == "C3O8OGA"

    def test_import_has_no_osr_update_and_no_loa(self) -> None:
        order = import_order()
        assert order.order_type is HostingOrderType.IMPORT
        assert order.state is S.SUBMITTED
        assert order.numbers[0].osr_update is None
        assert not order.requires_loa_signature

    def test_no_campaign_means_no_campaign_step(self) -> None:
        assert text_enable(campaign_id=None).numbers[0].campaign_provisioning is None

    def test_import_is_limited_to_five_numbers_unless_authorised(self) -> None:
        six = tuple(f"+1772429528{i}" for i in range(6))
        assert DEFAULT_IMPORT_NUMBER_LIMIT == 5
        with pytest.raises(InvalidArgument) as info:
            import_order(six)
        assert info.value.violations[0].field == "numbers"
        assert len(import_order(six, number_limit=10).numbers) == 6

    def test_text_enable_takes_at_most_500_numbers(self) -> None:
        many = tuple(f"+1772{i:07d}" for i in range(MAX_TEXT_ENABLE_NUMBERS + 1))
        with pytest.raises(InvalidArgument) as info:
            text_enable(numbers=many)
        assert "at most 500" in info.value.violations[0].description
        assert len(text_enable(numbers=many[:500]).numbers) == 500

    def test_bad_orders_list_every_problem(self) -> None:
        with pytest.raises(InvalidArgument) as info:
            HostingOrder.text_enable(
                hosting_order_id="h",
                project_id="p",
                region_code="SE",
                numbers=[A, A, "7724295286"],
                service_plan_id="",
                loa=None,
                nnid="",
                scheduled_osr_update_time=datetime(2023, 1, 13),  # naive
                now=NOW,
            )
        assert [v.field for v in info.value.violations] == [
            "regionCode",
            "numbers[1]",
            "numbers[2]",
            "servicePlanId",
            "nnid",
            "directLoaInfo",
            "scheduledOsrUpdateTime",
        ]

    def test_incomplete_loas_are_refused(self) -> None:
        loa = LetterOfAuthorisation(
            LoaType.RESELLER,
            AuthorisedPerson("", "Smith", "not-an-email"),
            PostalAddress("1", "", "NYC", "NY", "", "US"),
            " ",
        )
        with pytest.raises(InvalidArgument) as info:
            text_enable(loa)
        assert [v.field for v in info.value.violations] == [
            "resellerLoaInfo.businessName",
            "resellerLoaInfo.authorisedPerson.firstName",
            "resellerLoaInfo.authorisedPerson.email",
            "resellerLoaInfo.address.street",
            "resellerLoaInfo.address.postalCode",
            "resellerLoaInfo.currentVoiceCarrier",
        ]

    def test_missing_loa_parts(self) -> None:
        with pytest.raises(InvalidArgument) as info:
            text_enable(LetterOfAuthorisation(LoaType.DIRECT))
        assert [v.field for v in info.value.violations] == [
            "directLoaInfo.authorisedPerson",
            "directLoaInfo.address",
            "directLoaInfo.currentVoiceCarrier",
        ]

    def test_blanket_loa_needs_operator_approval(self) -> None:
        with pytest.raises(InvalidArgument) as info:
            text_enable(LetterOfAuthorisation.blanket(), blanket_loa_approved=False)
        assert info.value.violations[0].field == "blanketLoaInfo"

    def test_toll_free_orders_take_toll_free_numbers_only(self) -> None:
        order = text_enable(numbers=(TF1, TF2), campaign_id=None, toll_free=True)
        assert order.toll_free
        with pytest.raises(InvalidArgument) as info:
            text_enable(numbers=(TF1, A), campaign_id="C", toll_free=True)
        assert [v.field for v in info.value.violations] == ["numbers[1]", "campaignId"]
        with pytest.raises(InvalidArgument) as info:
            text_enable(numbers=(A, TF1))
        assert info.value.violations[0].field == "numbers[1]"

    def test_scheduled_time_is_kept_in_utc(self) -> None:
        paris = timezone(timedelta(hours=1))
        order = text_enable(scheduled=datetime(2023, 1, 13, 15, 34, tzinfo=paris))
        assert order.scheduled_osr_update_time == datetime(2023, 1, 13, 14, 34, tzinfo=UTC)
        assert order.scheduled_osr_update_time is not None
        assert order.scheduled_osr_update_time.tzinfo is UTC


class TestLifecycle:
    def test_direct_loa_waits_for_the_signature(self) -> None:
        order = text_enable()
        order.accept(NOW)
        assert order.state is S.WAITING_FOR_LOA_SIGNATURE
        assert order.due_steps(NOW) == []
        report = order.report()
        assert report.ongoing_manual_action == 2
        later = NOW + timedelta(hours=1)
        order.sign_loa(later)
        assert order.state is S.IN_PROGRESS
        assert order.loa_signed_time == later
        assert order.report().ongoing_manual_action == 0
        assert [e.name for e in order.events] == [
            "HostingOrderSubmitted",
            "LoaSignatureRequested",
            "HostingOrderStarted",
        ]

    def test_reseller_loa_waits_too(self) -> None:
        order = text_enable(RESELLER)
        order.accept(NOW)
        assert order.state is S.WAITING_FOR_LOA_SIGNATURE

    @pytest.mark.parametrize("make", [lambda: text_enable(LetterOfAuthorisation.blanket()), import_order])
    def test_blanket_and_import_skip_the_signature(self, make: object) -> None:
        order = make()  # type: ignore[operator]
        order.accept(NOW)
        assert order.state is S.IN_PROGRESS
        assert S.WAITING_FOR_LOA_SIGNATURE not in [e.status for e in order.events]

    def test_sign_loa_only_while_waiting(self) -> None:
        order = text_enable(LetterOfAuthorisation.blanket())
        with pytest.raises(InvalidTransition):
            order.sign_loa(NOW)
        order.accept(NOW)
        with pytest.raises(InvalidTransition):
            order.sign_loa(NOW)

    def test_accept_twice_is_refused(self) -> None:
        order = import_order()
        order.accept(NOW)
        with pytest.raises(InvalidTransition):
            order.accept(NOW)

    def test_full_run_completes_with_callbacks_per_step(self) -> None:
        order = in_progress(text_enable())
        assert order.due_steps(NOW) == [(A, NumberStep.OSR_UPDATE), (B, NumberStep.OSR_UPDATE)]
        provision_all(order)
        assert order.state is S.COMPLETED
        assert order.report() == HostingOrderReport(2, 2, 2, 2, 0)
        callbacks = [(e.resource_id, e.event_type, e.status) for e in order.events if e.is_callback]
        assert callbacks == [
            (A, CallbackEventType.PROVISIONING_TO_SMS_PLATFORM, EventStatus.SUCCEEDED),
            (B, CallbackEventType.PROVISIONING_TO_SMS_PLATFORM, EventStatus.SUCCEEDED),
            (A, CallbackEventType.LINK_TO_10DLC_CAMPAIGN, EventStatus.SUCCEEDED),
            (B, CallbackEventType.LINK_TO_10DLC_CAMPAIGN, EventStatus.SUCCEEDED),
        ]
        osr = [e for e in order.events if e.name == "OsrUpdateSucceeded"]
        assert len(osr) == 2 and not osr[0].is_callback
        assert osr[0].resource_type is ResourceType.HOSTING_ORDER_NUMBER
        assert osr[0].hosting_order_id == order.hosting_order_id
        assert order.events[-1].name == "HostingOrderCompleted"

    def test_import_order_runs_without_osr(self) -> None:
        order = in_progress(import_order())
        assert order.due_steps(NOW)[0] == (A, NumberStep.PLATFORM_PROVISIONING)
        provision_all(order)
        assert order.state is S.COMPLETED
        assert order.report() == HostingOrderReport(2, 0, 2, 2, 0)

    def test_steps_run_in_order(self) -> None:
        order = in_progress(text_enable())
        with pytest.raises(Conflict):
            order.record_platform_provisioning(A, NOW, succeeded=True)
        with pytest.raises(Conflict):
            order.record_campaign_provisioning(A, NOW, succeeded=True)
        order.record_osr_update(A, NOW, succeeded=True)
        with pytest.raises(Conflict):
            order.record_osr_update(A, NOW, succeeded=True)

    def test_steps_need_an_order_in_progress(self) -> None:
        order = text_enable()
        with pytest.raises(Conflict):
            order.record_osr_update(A, NOW, succeeded=True)

    def test_unknown_numbers_are_not_found(self) -> None:
        order = in_progress(text_enable())
        with pytest.raises(NotFound) as info:
            order.record_osr_update("+17724290000", NOW, succeeded=True)
        assert info.value.resource_type == "HostingOrderNumber"

    def test_osr_failure_fails_the_later_steps(self) -> None:
        order = in_progress(text_enable())
        order.record_osr_update(A, NOW, succeeded=False)
        number = order.number(A)
        assert [step.state for _, step in number.steps] == [StepState.FAILED] * 3
        assert number.is_settled and not number.succeeded
        assert [(e.name, e.event_type, e.failure_code) for e in order.events] == [
            ("OsrUpdateFailed", None, None),
            ("PlatformProvisioningFailed", CallbackEventType.PROVISIONING_TO_SMS_PLATFORM, None),
            (
                "CampaignProvisioningFailed",
                CallbackEventType.LINK_TO_10DLC_CAMPAIGN,
                FailureCode.NUMBER_PROVISIONING_FAILED,
            ),
        ]
        assert order.state is S.IN_PROGRESS  # B still has work

    def test_campaign_failure_keeps_its_code_and_the_order_still_completes(self) -> None:
        order = in_progress(text_enable(numbers=(A,)))
        order.record_osr_update(A, NOW, succeeded=True)
        order.record_platform_provisioning(A, NOW, succeeded=True)
        order.record_campaign_provisioning(
            A, NOW, succeeded=False, failure_code=FailureCode.CAMPAIGN_MNO_REJECTED
        )
        assert order.number(A).failure_code is FailureCode.CAMPAIGN_MNO_REJECTED
        assert order.state is S.COMPLETED
        assert order.report() == HostingOrderReport(1, 1, 1, 0, 0)

    def test_reject_while_waiting_fails_every_step(self) -> None:
        order = text_enable()
        order.accept(NOW)
        order.reject(NOW, "LOA declined")
        assert order.state is S.REJECTED
        assert order.rejection_reason == "LOA declined"
        assert all(n.is_settled and not n.succeeded for n in order.numbers)
        assert order.report() == HostingOrderReport(2, 0, 0, 0, 0)
        with pytest.raises(InvalidTransition):
            order.reject(NOW)

    def test_reject_in_progress_keeps_what_was_done(self) -> None:
        order = in_progress(text_enable(numbers=(A,)))
        order.record_osr_update(A, NOW, succeeded=True)
        order.reject(NOW)
        assert order.report() == HostingOrderReport(1, 1, 0, 0, 0)

    def test_completed_orders_cannot_be_rejected(self) -> None:
        order = in_progress(import_order())
        provision_all(order)
        with pytest.raises(InvalidTransition):
            order.reject(NOW)

    @pytest.mark.parametrize("state", [S.DRAFT, S.COMPLETED, S.REJECTED])
    def test_accept_only_from_submitted(self, state: HostingOrderState) -> None:
        order = import_order()
        order.state = state  # test set-up only
        with pytest.raises(InvalidTransition):
            order.accept(NOW)


class TestReport:
    def test_counts_always_agree_with_the_numbers(self) -> None:
        order = in_progress(text_enable(numbers=(A, B, "+17724295288")))
        assert order.report() == HostingOrderReport(3, 0, 0, 0, 0)
        order.record_osr_update(A, NOW, succeeded=True)
        order.record_osr_update(B, NOW, succeeded=True)
        order.record_platform_provisioning(A, NOW, succeeded=True)
        assert order.report() == HostingOrderReport(3, 2, 1, 0, 0)
        order.record_osr_update("+17724295288", NOW, succeeded=False)
        assert order.report() == HostingOrderReport(3, 2, 1, 0, 0)


class TestScheduledOsrUpdate:
    SCHEDULED = datetime(2023, 1, 13, 14, 34, 40, 968000, tzinfo=UTC)

    def test_signing_before_the_time_keeps_it(self) -> None:
        assert reschedule_osr_update(self.SCHEDULED, self.SCHEDULED - timedelta(days=1)) == self.SCHEDULED
        assert reschedule_osr_update(self.SCHEDULED, self.SCHEDULED) == self.SCHEDULED

    def test_signing_after_moves_to_the_next_day_same_time(self) -> None:
        signed = datetime(2023, 1, 13, 16, 0, tzinfo=UTC)
        assert reschedule_osr_update(self.SCHEDULED, signed) == datetime(
            2023, 1, 14, 14, 34, 40, 968000, tzinfo=UTC
        )
        signed_days_later = datetime(2023, 1, 20, 9, 0, tzinfo=UTC)
        assert reschedule_osr_update(self.SCHEDULED, signed_days_later) == datetime(
            2023, 1, 21, 14, 34, 40, 968000, tzinfo=UTC
        )

    def test_osr_updates_wait_for_the_scheduled_time(self) -> None:
        order = text_enable(scheduled=self.SCHEDULED)
        order.accept(NOW)
        order.sign_loa(NOW)
        assert order.scheduled_osr_update_time == self.SCHEDULED
        assert order.due_steps(NOW) == []
        with pytest.raises(Conflict):
            order.record_osr_update(A, NOW, succeeded=True)
        assert order.due_steps(self.SCHEDULED) == [(A, NumberStep.OSR_UPDATE), (B, NumberStep.OSR_UPDATE)]
        order.record_osr_update(A, self.SCHEDULED, succeeded=True)
        assert order.due_steps(self.SCHEDULED)[0] == (A, NumberStep.PLATFORM_PROVISIONING)

    def test_late_signature_reschedules(self) -> None:
        order = text_enable(scheduled=self.SCHEDULED)
        order.accept(NOW)
        signed = self.SCHEDULED + timedelta(hours=2)
        order.sign_loa(signed)
        assert order.scheduled_osr_update_time == self.SCHEDULED + timedelta(days=1)
        assert order.due_steps(signed) == []

    def test_blanket_orders_reschedule_when_they_start(self) -> None:
        order = text_enable(LetterOfAuthorisation.blanket(), scheduled=NOW - timedelta(hours=1))
        order.accept(NOW)
        assert order.scheduled_osr_update_time == NOW - timedelta(hours=1) + timedelta(days=1)


class TestFilters:
    def test_order_filter(self) -> None:
        order = text_enable()
        assert HostingOrderFilter().matches(order)
        assert HostingOrderFilter(
            states=frozenset({S.SUBMITTED, S.COMPLETED}),
            order_type=HostingOrderType.TYPE_TEXT_ENABLE,
            service_plan_id="PLAN",
            campaign_id="C3O8OGA",
            region_code="US",
        ).matches(order)
        assert not HostingOrderFilter(states=frozenset({S.COMPLETED})).matches(order)
        assert not HostingOrderFilter(order_type=HostingOrderType.IMPORT).matches(order)
        assert not HostingOrderFilter(service_plan_id="X").matches(order)
        assert not HostingOrderFilter(campaign_id="X").matches(order)
        assert not HostingOrderFilter(region_code="CA").matches(order)

    def test_number_filter(self) -> None:
        order = in_progress(text_enable())
        order.record_osr_update(A, NOW, succeeded=True)
        a, b = order.number(A), order.number(B)
        done = HostingOrderNumberFilter(osr_update_state=StepState.DONE)
        assert done.matches(a) and not done.matches(b)
        waiting = HostingOrderNumberFilter(
            platform_provisioning_state=StepState.WAITING, campaign_provisioning_state=StepState.WAITING
        )
        assert waiting.matches(a) and waiting.matches(b)
        imported = import_order().numbers[0]
        assert not done.matches(imported)  # no OSR step at all

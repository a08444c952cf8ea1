from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from numberdesk.domain.errors import Conflict, InvalidArgument, InvalidTransition, NotFound
from numberdesk.domain.imported_events import ResourceType
from numberdesk.domain.qualified_numbers import (
    DEFAULT_CHALLENGE_TTL,
    DEFAULT_MAX_FAILED_ATTEMPTS,
    TRANSITIONS,
    ChallengeOutcome,
    GlobalProcessState,
    HostingStatus,
    OsrEligibilityStatus,
    OwnershipVerificationStatus,
    QualifiedNumber,
    QualifiedNumberFilter,
    VerificationMethod,
    ensure_ready_for_hosting,
    qualify_batch,
)

G = GlobalProcessState
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
PHONE = "+12025550134"


def pending() -> QualifiedNumber:
    return qualify_batch("p1", [PHONE], NOW)[0]


def eligible_for_voice() -> QualifiedNumber:
    """Eligible and waiting for invoices: the usual state before a voice challenge."""
    number = pending()
    number.record_eligibility(NOW, eligible=True)
    return number


def verified() -> QualifiedNumber:
    number = eligible_for_voice()
    number.approve_invoices(NOW)
    return number


def challenged(code: str = "1234") -> QualifiedNumber:
    number = eligible_for_voice()
    number.send_voice_challenge(NOW, code)
    return number


def states(number: QualifiedNumber) -> list[str]:
    return [e.status for e in number.events]


class TestTransitionsTable:
    def test_every_spec_state_has_an_entry(self) -> None:
        assert set(TRANSITIONS) == set(GlobalProcessState)
        assert all(value.startswith("GLOBAL_PROCESS_STATE_") for value in GlobalProcessState)

    @pytest.mark.parametrize(
        ("start", "target"),
        [(a, b) for a in GlobalProcessState for b in GlobalProcessState if b not in TRANSITIONS[a]],
    )
    def test_refused_moves(self, start: GlobalProcessState, target: GlobalProcessState) -> None:
        number = pending()
        number.state = start  # test set-up only
        with pytest.raises(InvalidTransition):
            number._move_to(target, NOW)
        assert number.state is start


class TestBatch:
    def test_each_number_starts_pending_eligibility(self) -> None:
        numbers = qualify_batch("p1", [PHONE, "+14165550123"], NOW)
        assert [n.state for n in numbers] == [G.ELIGIBLE_CHECK_PENDING] * 2
        assert [n.region_code for n in numbers] == ["US", "CA"]
        assert numbers[0].verification_method is VerificationMethod.INVOICE
        assert numbers[0].osr_eligibility_status is OsrEligibilityStatus.OSR_ELIGIBILITY_STATUS_PENDING
        assert (
            numbers[0].ownership_verification_status
            is OwnershipVerificationStatus.OWNERSHIP_VERIFICATION_STATUS_UNSPECIFIED
        )

    def test_only_us_and_ca_e164_numbers(self) -> None:
        with pytest.raises(InvalidArgument) as info:
            qualify_batch("p1", ["+442071838750", "2025550134", PHONE, PHONE], NOW)
        assert [v.field for v in info.value.violations] == [
            "phoneNumbers[0]",
            "phoneNumbers[1]",
            "phoneNumbers[3]",
        ]
        with pytest.raises(InvalidArgument):
            qualify_batch("p1", [], NOW)


class TestEligibility:
    def test_eligible_numbers_wait_for_invoice_review(self) -> None:
        number = eligible_for_voice()
        assert number.state is G.VERIFICATION_PENDING
        assert number.verification_method is VerificationMethod.INVOICE
        assert states(number) == [G.ELIGIBLE, G.VERIFICATION_PENDING]
        assert [e.name for e in number.events] == ["EligibilityConfirmed", "OwnershipVerificationStarted"]
        event = number.events[0]
        assert (event.resource_type, event.resource_id, event.is_callback) == (
            ResourceType.QUALIFIED_NUMBER,
            PHONE,
            False,
        )
        assert number.osr_eligibility_status is OsrEligibilityStatus.OSR_ELIGIBILITY_STATUS_ELIGIBLE
        assert (
            number.ownership_verification_status
            is OwnershipVerificationStatus.OWNERSHIP_VERIFICATION_STATUS_PENDING
        )

    def test_not_eligible_is_final(self) -> None:
        number = pending()
        number.record_eligibility(NOW, eligible=False, error="the carrier refused the OSR check")
        assert number.state is G.NOT_ELIGIBLE
        assert number.eligibility_error == "the carrier refused the OSR check"
        assert number.osr_eligibility_status is OsrEligibilityStatus.OSR_ELIGIBILITY_STATUS_NOT_ELIGIBLE
        with pytest.raises(InvalidTransition):
            number.send_voice_challenge(NOW, "1234")

    def test_eligibility_is_answered_once(self) -> None:
        number = eligible_for_voice()
        with pytest.raises(InvalidTransition):
            number.record_eligibility(NOW, eligible=True)


class TestInvoices:
    def test_operator_approves(self) -> None:
        number = verified()
        assert number.state is G.VERIFIED
        assert number.ready_for_hosting
        assert (
            number.ownership_verification_status
            is OwnershipVerificationStatus.OWNERSHIP_VERIFICATION_STATUS_VERIFIED
        )

    def test_operator_rejects_then_the_customer_tries_again(self) -> None:
        number = eligible_for_voice()
        number.reject_invoices(NOW, "unreadable invoice")
        assert number.state is G.VERIFICATION_FAILED
        assert number.verification_error == "unreadable invoice"
        number.await_invoice_review(NOW)
        assert number.state is G.VERIFICATION_PENDING
        assert number.verification_error == ""

    def test_operator_decisions_need_a_pending_invoice_review(self) -> None:
        with pytest.raises(Conflict):
            pending().approve_invoices(NOW)
        with pytest.raises(Conflict):
            challenged().approve_invoices(NOW)
        with pytest.raises(Conflict):
            challenged().reject_invoices(NOW)


class TestVoiceChallenge:
    def test_right_code_verifies(self) -> None:
        number = challenged()
        assert number.verification_method is VerificationMethod.VOICE_CHALLENGE
        assert number.challenge is not None
        assert number.challenge.expires_time == NOW + DEFAULT_CHALLENGE_TTL
        assert number.verify_voice_challenge(NOW + timedelta(minutes=1), "1234") is ChallengeOutcome.VERIFIED
        assert number.state is G.VERIFIED
        assert number.challenge is None

    def test_wrong_codes_are_counted_then_block(self) -> None:
        number = challenged()
        for attempt in range(1, DEFAULT_MAX_FAILED_ATTEMPTS):
            assert number.verify_voice_challenge(NOW, "0000") is ChallengeOutcome.WRONG_CODE
            assert number.failed_attempts == attempt
            assert number.state is G.VERIFICATION_PENDING
            assert number.verification_error == "the verification code is wrong"
        assert number.verify_voice_challenge(NOW, "0000") is ChallengeOutcome.BLOCKED
        assert number.state is G.VERIFICATION_BLOCKED
        assert (
            number.ownership_verification_status
            is OwnershipVerificationStatus.OWNERSHIP_VERIFICATION_STATUS_BLOCKED
        )
        with pytest.raises(InvalidTransition):
            number.send_voice_challenge(NOW, "9999")
        with pytest.raises(Conflict):
            number.verify_voice_challenge(NOW, "1234")

    def test_a_new_code_does_not_reset_the_count(self) -> None:
        number = challenged()
        number.verify_voice_challenge(NOW, "0000", max_failed_attempts=2)
        number.send_voice_challenge(NOW, "5678")
        assert number.verify_voice_challenge(NOW, "1234", max_failed_attempts=2) is ChallengeOutcome.BLOCKED

    def test_a_new_code_replaces_the_old_one(self) -> None:
        number = challenged()
        number.send_voice_challenge(NOW, "5678")
        assert number.verify_voice_challenge(NOW, "1234") is ChallengeOutcome.WRONG_CODE
        assert number.verify_voice_challenge(NOW, "5678") is ChallengeOutcome.VERIFIED

    def test_codes_expire(self) -> None:
        number = challenged()
        outcome = number.verify_voice_challenge(NOW + DEFAULT_CHALLENGE_TTL, "1234")
        assert outcome is ChallengeOutcome.EXPIRED
        assert number.state is G.VERIFICATION_FAILED
        assert number.verification_error == "the verification code has expired"
        assert (
            number.ownership_verification_status
            is OwnershipVerificationStatus.OWNERSHIP_VERIFICATION_STATUS_FAILED
        )
        number.send_voice_challenge(NOW + timedelta(hours=1), "4321", ttl=timedelta(seconds=30))
        assert number.state is G.VERIFICATION_PENDING
        assert number.verify_voice_challenge(NOW + timedelta(hours=1), "4321") is ChallengeOutcome.VERIFIED

    def test_voice_challenge_straight_from_eligible(self) -> None:
        number = pending()
        number.state = G.ELIGIBLE  # e.g. after an operator unblock
        number.send_voice_challenge(NOW, "1234")
        assert number.state is G.VERIFICATION_PENDING

    @pytest.mark.parametrize("state", [G.ELIGIBLE_CHECK_PENDING, G.VERIFIED, G.HOSTING_DONE])
    def test_no_challenge_in_other_states(self, state: GlobalProcessState) -> None:
        number = pending()
        number.state = state  # test set-up only
        with pytest.raises(InvalidTransition):
            number.send_voice_challenge(NOW, "1234")

    def test_verify_needs_a_pending_challenge(self) -> None:
        with pytest.raises(Conflict):
            eligible_for_voice().verify_voice_challenge(NOW, "1234")  # invoice review, no code sent

    def test_a_code_is_required(self) -> None:
        with pytest.raises(InvalidArgument):
            eligible_for_voice().send_voice_challenge(NOW, "")

    def test_operator_unblocks(self) -> None:
        number = challenged()
        for _ in range(DEFAULT_MAX_FAILED_ATTEMPTS):
            number.verify_voice_challenge(NOW, "0000")
        number.unblock(NOW)
        assert number.state is G.ELIGIBLE
        assert number.failed_attempts == 0
        assert number.events[-1].name == "OwnershipVerificationUnblocked"


class TestHosting:
    def test_verified_numbers_are_hosted(self) -> None:
        number = verified()
        number.start_hosting("01hostingorder", NOW)
        assert number.state is G.HOSTING_IN_PROGRESS
        assert number.hosting_order_id == "01hostingorder"
        assert number.events[-1].hosting_order_id == "01hostingorder"
        number.record_hosting_result(NOW, succeeded=True)
        assert number.state is G.HOSTING_DONE
        assert number.hosting_status is HostingStatus.HOSTING_STATUS_HOSTED

    def test_failed_hosting_can_be_retried(self) -> None:
        number = verified()
        number.start_hosting("01first", NOW)
        number.record_hosting_result(NOW, succeeded=False, error="LOA rejected")
        assert number.hosting_status is HostingStatus.HOSTING_STATUS_FAILED
        assert number.hosting_error == "LOA rejected"
        assert number.ready_for_hosting
        number.start_hosting("01second", NOW)
        assert (number.hosting_order_id, number.hosting_error) == ("01second", "")

    def test_unverified_numbers_cannot_be_hosted(self) -> None:
        number = eligible_for_voice()
        with pytest.raises(InvalidTransition):
            number.start_hosting("01h", NOW)
        assert number.hosting_order_id == ""
        assert number.hosting_status is HostingStatus.HOSTING_STATUS_UNSPECIFIED

    def test_ensure_ready_for_hosting(self) -> None:
        ready, waiting = verified(), eligible_for_voice()
        waiting.phone_number = "+12025550135"
        found = {ready.phone_number: ready, waiting.phone_number: waiting}
        assert ensure_ready_for_hosting([PHONE], found) == [ready]
        with pytest.raises(InvalidArgument) as info:
            ensure_ready_for_hosting([PHONE, "+12025550135"], found)
        assert info.value.violations[0].field == "numbers[1]"
        with pytest.raises(NotFound) as missing:
            ensure_ready_for_hosting(["+12025550199"], found)
        assert missing.value.resource_type == "QualifiedNumber"


class TestFilterAndDelete:
    def test_filter(self) -> None:
        number = verified()
        assert QualifiedNumberFilter().matches(number)
        assert QualifiedNumberFilter(states=frozenset({G.VERIFIED}), region_code="US").matches(number)
        assert not QualifiedNumberFilter(states=frozenset({G.HOSTING_DONE})).matches(number)
        assert not QualifiedNumberFilter(region_code="CA").matches(number)

    def test_delete_records_an_event(self) -> None:
        number = pending()
        number.delete(NOW)
        assert number.events[-1].name == "QualifiedNumberDeleted"

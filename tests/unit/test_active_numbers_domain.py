"""Pure rules: charge dates, the provisioning state machine, failure rules, the address validator."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from numberdesk.domain.active_numbers import (
    ActiveNumber,
    FailureKind,
    FailureRule,
    ProvisioningKind,
    ProvisioningStatus,
    SmsConfig,
    VoiceConfig,
    VoiceType,
    add_months,
    first_failure,
    next_charge_date,
)
from numberdesk.domain.emergency_address import Address, ValidationResult, validate_address
from numberdesk.domain.errors import InvalidArgument, InvalidTransition
from numberdesk.domain.inventory import Capability, NumberType, Price

T0 = datetime(2026, 1, 31, 10, 0, tzinfo=UTC)


def number() -> ActiveNumber:
    return ActiveNumber(
        "+12025550101", "p", "US", NumberType.LOCAL, (Capability.SMS, Capability.VOICE),
        Price("USD", Decimal("1")), 1, T0,
    )  # fmt: skip


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(T0, 1) == datetime(2026, 2, 28, 10, 0, tzinfo=UTC)
    assert add_months(T0, 2) == datetime(2026, 3, 31, 10, 0, tzinfo=UTC)
    assert add_months(datetime(2027, 12, 15, tzinfo=UTC), 2) == datetime(2028, 2, 15, tzinfo=UTC)
    assert add_months(datetime(2028, 1, 30, tzinfo=UTC), 1) == datetime(2028, 2, 29, tzinfo=UTC)


def test_next_charge_date_moves_forward_without_drift() -> None:
    assert next_charge_date(T0, 1, T0) == datetime(2026, 2, 28, 10, 0, tzinfo=UTC)
    assert next_charge_date(T0, 1, datetime(2026, 2, 28, 10, 0, tzinfo=UTC)) == datetime(
        2026, 3, 31, 10, 0, tzinfo=UTC
    )
    assert next_charge_date(T0, 1, datetime(2026, 3, 5, tzinfo=UTC)) == datetime(
        2026, 3, 31, 10, 0, tzinfo=UTC
    )
    assert next_charge_date(T0, 3, datetime(2026, 3, 5, tzinfo=UTC)) == datetime(
        2026, 4, 30, 10, 0, tzinfo=UTC
    )
    assert next_charge_date(T0, 1, datetime(2029, 7, 1, tzinfo=UTC)) == datetime(
        2029, 7, 31, 10, 0, tzinfo=UTC
    )


def test_release_sets_expire_at_to_the_next_charge_date_once() -> None:
    n = number()
    n.request_sms(SmsConfig("plan"), T0)
    n.release(datetime(2026, 2, 1, tzinfo=UTC))
    assert n.expire_at == datetime(2026, 2, 28, 10, 0, tzinfo=UTC)
    assert n.sms_scheduled is None
    n.release(datetime(2026, 2, 20, tzinfo=UTC))
    assert n.expire_at == datetime(2026, 2, 28, 10, 0, tzinfo=UTC)
    assert n.next_charge_date(datetime(2026, 2, 20, tzinfo=UTC)) == n.expire_at
    with pytest.raises(InvalidArgument):
        n.request_voice(VoiceConfig(VoiceType.RTC, "a"), T0)


def test_provisioning_state_machine_is_guarded() -> None:
    n = number()
    with pytest.raises(InvalidTransition):
        n.start_provisioning(ProvisioningKind.SMS, T0)
    n.request_sms(SmsConfig("plan", "camp"), T0)
    assert n.status_of(ProvisioningKind.SMS) is ProvisioningStatus.WAITING
    with pytest.raises(InvalidTransition):
        n.finish_sms(None, None, T0)
    n.start_provisioning(ProvisioningKind.SMS, T0)
    outcomes = n.finish_sms(None, None, T0)
    assert [o.event_type.value for o in outcomes] == [
        "PROVISIONING_TO_SMS_PLATFORM",
        "PROVISIONING_TO_CAMPAIGN",
    ]
    assert n.sms == SmsConfig("plan", "camp") and n.sms_scheduled is None
    assert [e.status for e in n.events] == [ProvisioningStatus.IN_PROGRESS, ProvisioningStatus.APPLIED]


def test_voice_failure_keeps_the_current_configuration() -> None:
    n = number()
    n.request_voice(VoiceConfig(VoiceType.FAX, "svc"), T0)
    n.start_provisioning(ProvisioningKind.VOICE, T0)
    [outcome] = n.finish_voice("BROKEN", T0)
    assert not outcome.succeeded and outcome.failure_code == "BROKEN"
    assert n.voice == VoiceConfig() and n.voice_scheduled is not None
    assert n.voice_scheduled.status is ProvisioningStatus.FAILED


def test_failure_rules_match_by_kind_and_id() -> None:
    rules = [
        FailureRule("2", FailureKind.CAMPAIGN, "*", "CAMPAIGN_EXPIRED", datetime(2026, 1, 2, tzinfo=UTC)),
        FailureRule("1", FailureKind.CAMPAIGN, "C1", "CAMPAIGN_NOT_AVAILABLE", T0),
    ]
    assert first_failure(rules, FailureKind.CAMPAIGN, "C1") == "CAMPAIGN_NOT_AVAILABLE"
    assert first_failure(rules, FailureKind.CAMPAIGN, "C2") == "CAMPAIGN_EXPIRED"
    assert first_failure(rules, FailureKind.CAMPAIGN, "") is None
    assert first_failure(rules, FailureKind.SMS, "C1") is None


def addr(**kw: str) -> Address:
    base = {
        "street_number": "123",
        "street_info": "MAIN ST",
        "city": "SEATTLE",
        "state": "WA",
        "postal_code": "98101",
    }
    return Address(**(base | kw))


def test_validator_exact_near_and_no_match() -> None:
    exact = validate_address(addr())
    assert exact.result is ValidationResult.EXACT_MATCH and exact.corrected == addr()
    near = validate_address(addr(street_info="Main Street", postal_code="981011234"))
    assert near.result is ValidationResult.NEAR_MATCH
    assert near.corrected == addr(postal_code="98101", postal_code_plus_four="1234")
    assert near.message.startswith("Corrected to valid address")
    none = validate_address(addr(street_info="1 Nowhere Lane"))
    assert none.result is ValidationResult.NO_MATCH and none.corrected is None
    assert len(none.candidates) == 2
    assert validate_address(addr(street_number="0")).result is ValidationResult.NO_MATCH

"""Number order state machine, expiry rule, review reasons, and upload checks (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from numberdesk.domain.errors import InvalidArgument, InvalidTransition
from numberdesk.domain.inventory import Capability, NumberType, Price
from numberdesk.domain.kyc import AttachmentRequirement
from numberdesk.domain.number_order_attachments import check_upload, safe_file_name, sniff
from numberdesk.domain.number_orders import (
    FINAL_STATES,
    TRANSITIONS,
    NumberOrder,
    NumberOrderState,
    OrderClosed,
    OrderedNumber,
    OrderExpired,
    ReviewDecision,
    ReviewReason,
    check_reasons,
)

S = NumberOrderState
T0 = datetime(2026, 3, 5, 16, 53, tzinfo=UTC)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def order(state: S = S.CREATED) -> NumberOrder:
    price = Price("USD", Decimal("1"))
    return NumberOrder(
        id="01jgkbb8xywmz3hhahd76menqf",
        project_id="p",
        region_code="AU",
        number_type=NumberType.MOBILE,
        state=state,
        numbers=(OrderedNumber("+61411111112", (Capability.SMS,), price, price),),
        expire_time=T0 + timedelta(hours=48),
        created_at=T0,
        updated_at=T0,
        callback_url="https://example.com/cb",
    )


def test_transition_table() -> None:
    assert {S.COMPLETED, S.REJECTED, S.EXPIRED} == FINAL_STATES
    assert TRANSITIONS[S.BLOCKED] == {S.IN_REVIEW, S.EXPIRED}
    assert S.COMPLETED not in TRANSITIONS[S.CREATED]


def test_submit_review_and_events() -> None:
    o = order()
    assert o.submit(T0) is S.CREATED
    assert o.decide(ReviewDecision.BLOCK, T0) is S.IN_REVIEW
    o.submit(T0 + timedelta(hours=1))
    o.decide(ReviewDecision.APPROVE, T0 + timedelta(hours=2))
    assert [(e.previous, e.state) for e in o.events] == [
        (S.CREATED, S.IN_REVIEW),
        (S.IN_REVIEW, S.BLOCKED),
        (S.BLOCKED, S.IN_REVIEW),
        (S.IN_REVIEW, S.COMPLETED),
    ]
    assert o.events[-1].callback_url == "https://example.com/cb"
    assert o.updated_at == T0 + timedelta(hours=2)


def test_review_needs_in_review_and_final_states_refuse() -> None:
    with pytest.raises(OrderClosed):
        order().decide(ReviewDecision.APPROVE, T0)
    with pytest.raises(OrderClosed):
        order(S.IN_REVIEW).submit(T0)
    with pytest.raises(OrderClosed):
        order(S.REJECTED).submit(T0)


def test_expiry_rule() -> None:
    o = order()
    at = o.expire_time
    assert not o.is_past_expiry(at - timedelta(microseconds=1)) and o.is_past_expiry(at)
    assert o.state_at(at) is S.EXPIRED and o.state is S.CREATED
    with pytest.raises(OrderExpired, match="expired"):
        o.submit(at)
    with pytest.raises(InvalidTransition):
        o.expire(at - timedelta(seconds=1))
    assert o.expire(at) is S.CREATED and o.state is S.EXPIRED
    assert not o.is_past_expiry(at + timedelta(days=1))  # final: nothing more to expire
    with pytest.raises(OrderExpired):
        o.ensure_live(at)
    completed = order(S.COMPLETED)
    assert completed.state_at(at + timedelta(days=9)) is S.COMPLETED


def test_review_reasons_are_checked_as_data() -> None:
    check_reasons(
        (ReviewReason("ADDRESS_OUTSIDE_AREA", "not in Berlin", field="requestDetails.address"),), None
    )
    with pytest.raises(InvalidArgument) as err:
        check_reasons((ReviewReason("bad code", "", field="x", attachment_id="y"),), frozenset({"a"}))
    assert {v.field for v in err.value.violations} == {
        "reasons[0].code", "reasons[0].message", "reasons[0]", "reasons[0].attachmentId",
    }  # fmt: skip
    assert ReviewReason("X", "m", attachment_id="id-doc").as_text() == "[X] attachment id-doc: m"


REQ = AttachmentRequirement(
    "identity-document", "ID", "", True, ("application/pdf", "image/jpeg"), ("Passport",)
)


def test_sniff_and_check_upload() -> None:
    assert sniff(PDF) == "application/pdf" and sniff(PNG) == "image/png" and sniff(b"hello") is None
    assert check_upload(REQ, PDF, "application/pdf", "Passport") == "application/pdf"
    assert check_upload(REQ, PDF, "application/octet-stream", None) == "application/pdf"
    cases = [
        (PDF, "image/jpeg", None, "declared as image/jpeg"),
        (PNG, "image/png", None, "allowed: application/pdf, image/jpeg"),
        (b"MZ\x90\x00" + b"\x00" * 60, "application/pdf", None, "executables"),
        (b"\x7fELF\x02\x01", "application/pdf", None, "executables"),
        (b"#!/bin/sh\nrm -rf /", "application/pdf", None, "executables"),
        (b"just text", "application/pdf", None, "not recognised"),
        (b"", "application/pdf", None, "empty"),
    ]
    for data, declared, document, message in cases:
        with pytest.raises(InvalidArgument) as err:
            check_upload(REQ, data, declared, document)
        assert message in err.value.violations[0].description, (data[:8], err.value.violations)
    with pytest.raises(InvalidArgument) as err:
        check_upload(REQ, PDF, "application/pdf", "Library Card")
    assert err.value.violations[0].field == "documentType"


def test_safe_file_name() -> None:
    assert safe_file_name("../../etc/passwd", "x") == "passwd"
    assert safe_file_name("C:\\Users\\me\\id.pdf", "x") == "id.pdf"
    assert safe_file_name("a\x00b<c>.pdf", "x") == "a_b_c_.pdf"
    assert safe_file_name("..", "fallback") == "fallback"
    assert safe_file_name(None, "fallback") == "fallback"
    assert len(safe_file_name("a" * 500, "x")) == 200

"""Callback payload models of both APIs and the exact bytes they render to."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from numberdesk.wire.callbacks import (
    ActiveNumberCallback,
    ActiveNumberEventType,
    CallbackStatus,
    FailureCode,
    HostingOrderNumberCallback,
    ImportedNumberCallback,
    ImportedNumberEventType,
    NumberOrderCallback,
    NumberOrderEventStatus,
    NumberOrderEventType,
    callback_timestamp,
    parse_callback_body,
    render_callback_body,
)
from numberdesk.wire.signing import sinch_signature

NUMBERS_KEY_ORDER = [
    "eventId",
    "timestamp",
    "projectId",
    "resourceId",
    "resourceType",
    "eventType",
    "status",
    "failureCode",
    "internalFailureCode",
]
IMPORTED_KEY_ORDER = NUMBERS_KEY_ORDER[:-1]


def test_active_number_payload_reproduces_python_sdk_vector_byte_for_byte() -> None:
    payload = ActiveNumberCallback(
        event_id="01jr7stexp0znky34pj07dwp41",
        timestamp="2025-04-07T09:38:04.85408760",
        project_id="project-id",
        resource_id="+1234567890",
        event_type=ActiveNumberEventType.PROVISIONING_TO_VOICE_PLATFORM,
        status=CallbackStatus.SUCCEEDED,
    )
    body = render_callback_body(payload)
    assert body == (
        b'{"eventId":"01jr7stexp0znky34pj07dwp41","timestamp":"2025-04-07T09:38:04.85408760",'
        b'"projectId":"project-id","resourceId":"+1234567890","resourceType":"ACTIVE_NUMBER",'
        b'"eventType":"PROVISIONING_TO_VOICE_PLATFORM","status":"SUCCEEDED","failureCode":null,'
        b'"internalFailureCode":null}'
    )
    assert sinch_signature("my-callback-secret", body) == "8e58baa351ffa5e0d7eaef3c739d0d7aa6093da3"


def test_active_number_failure_carries_codes() -> None:
    payload = ActiveNumberCallback(
        event_id="01j3fycq0fyqq3gkgxb0g5ekbz",
        timestamp="2024-07-23T14:02:14.415637",
        project_id="b8bae3c6-e7df-422b-9401-8ae3ee3e0aff",
        resource_id="+12053017799",
        event_type=ActiveNumberEventType.PROVISIONING_TO_CAMPAIGN,
        status=CallbackStatus.FAILED,
        failure_code=FailureCode.CAMPAIGN_NOT_AVAILABLE,
        internal_failure_code="CRS0018",
    )
    decoded = json.loads(render_callback_body(payload))
    assert list(decoded) == NUMBERS_KEY_ORDER
    assert decoded["failureCode"] == "CAMPAIGN_NOT_AVAILABLE"
    assert decoded["internalFailureCode"] == "CRS0018"


def test_active_number_failure_code_is_open_like_the_sdks() -> None:
    payload = ActiveNumberCallback(
        event_id="e1",
        timestamp="2024-07-23T14:02:14.415637",
        project_id="p",
        resource_id="+12053017799",
        event_type=ActiveNumberEventType.PROVISIONING_TO_VOICE_PLATFORM,
        status=CallbackStatus.FAILED,
        failure_code="PROVISIONING_TO_VOICE_PLATFORM_FAILED",
    )
    assert b'"failureCode":"PROVISIONING_TO_VOICE_PLATFORM_FAILED"' in render_callback_body(payload)


def test_number_order_payload_shape() -> None:
    payload = NumberOrderCallback(
        event_id="abcd1234efghijklmnop567890",
        timestamp="2023-06-06T07:45:27.78789",
        project_id="abcd12ef-ab12-ab12-bc34-abcdef123456",
        resource_id="01jgkbb8xywmz3hhahd76menqf",
        status=NumberOrderEventStatus.IN_REVIEW,
    )
    assert render_callback_body(payload) == (
        b'{"eventId":"abcd1234efghijklmnop567890","timestamp":"2023-06-06T07:45:27.78789",'
        b'"projectId":"abcd12ef-ab12-ab12-bc34-abcdef123456","resourceId":"01jgkbb8xywmz3hhahd76menqf",'
        b'"resourceType":"NUMBER_ORDER","eventType":"NUMBER_ORDER_PROCESSING","status":"IN_REVIEW",'
        b'"failureCode":null,"internalFailureCode":null}'
    )


def test_number_order_status_values() -> None:
    assert {s.value for s in NumberOrderEventStatus} == {
        "IN_REVIEW",
        "BLOCKED",
        "COMPLETED",
        "REJECTED",
        "EXPIRED",
    }
    assert [t.value for t in NumberOrderEventType] == ["NUMBER_ORDER_PROCESSING"]


def test_active_number_event_types() -> None:
    assert {t.value for t in ActiveNumberEventType} == {
        "PROVISIONING_TO_SMS_PLATFORM",
        "DEPROVISIONING_FROM_SMS_PLATFORM",
        "PROVISIONING_TO_CAMPAIGN",
        "DEPROVISIONING_FROM_CAMPAIGN",
        "PROVISIONING_TO_VOICE_PLATFORM",
        "DEPROVISIONING_FROM_VOICE_PLATFORM",
    }


def test_imported_event_types_and_failure_codes_follow_the_seed_spec() -> None:
    assert {t.value for t in ImportedNumberEventType} == {
        "PROVISIONING_TO_SMS_PLATFORM",
        "DEPROVISIONING_TO_SMS_PLATFORM",
        "LINK_TO_10DLC_CAMPAIGN",
        "UNLINK_TO_10DLC_CAMPAIGN",
    }
    assert len(FailureCode) == 15
    assert "INVALID_NNID" in {c.value for c in FailureCode}


@pytest.mark.parametrize(
    ("model", "resource_type"),
    [(ImportedNumberCallback, "IMPORTED_NUMBER"), (HostingOrderNumberCallback, "HOSTING_ORDER_NUMBER")],
)
def test_imported_payload_shape(
    model: type[ImportedNumberCallback | HostingOrderNumberCallback], resource_type: str
) -> None:
    payload = model(
        event_id="abcd1234efghijklmnop567890",
        timestamp="2023-06-06T07:45:27.785357",
        project_id="abcd12ef-ab12-ab12-bc34-abcdef123456",
        resource_id="+12345612345",
        event_type=ImportedNumberEventType.LINK_TO_10DLC_CAMPAIGN,
        status=CallbackStatus.FAILED,
        failure_code=FailureCode.CAMPAIGN_NOT_AVAILABLE,
    )
    body = render_callback_body(payload)
    assert body == (
        b'{"eventId":"abcd1234efghijklmnop567890","timestamp":"2023-06-06T07:45:27.785357",'
        b'"projectId":"abcd12ef-ab12-ab12-bc34-abcdef123456","resourceId":"+12345612345",'
        b'"resourceType":"' + resource_type.encode() + b'","eventType":"LINK_TO_10DLC_CAMPAIGN",'
        b'"status":"FAILED","failureCode":"CAMPAIGN_NOT_AVAILABLE"}'
    )
    assert list(json.loads(body)) == IMPORTED_KEY_ORDER


def test_imported_payload_has_explicit_null_failure_code_and_no_internal_code() -> None:
    payload = ImportedNumberCallback(
        event_id="e1",
        timestamp="2023-06-06T07:45:27.785357",
        project_id="p",
        resource_id="+12345612345",
        event_type=ImportedNumberEventType.PROVISIONING_TO_SMS_PLATFORM,
        status=CallbackStatus.SUCCEEDED,
    )
    body = render_callback_body(payload)
    assert body.endswith(b'"failureCode":null}')
    assert b"internalFailureCode" not in body


def test_imported_failure_code_is_the_seed_enum() -> None:
    with pytest.raises(ValidationError):
        ImportedNumberCallback.model_validate(
            {
                "eventId": "e1",
                "timestamp": "2023-06-06T07:45:27.785357",
                "projectId": "p",
                "resourceId": "+1",
                "eventType": "LINK_TO_10DLC_CAMPAIGN",
                "status": "FAILED",
                "failureCode": "SOMETHING_ELSE",
            }
        )


def test_body_is_compact_utf8_without_spaces() -> None:
    payload = ActiveNumberCallback(
        event_id="e1",
        timestamp="2024-07-23T14:02:14.415637",
        project_id="projé",
        resource_id="+12053017799",
        event_type=ActiveNumberEventType.PROVISIONING_TO_SMS_PLATFORM,
        status=CallbackStatus.SUCCEEDED,
    )
    body = render_callback_body(payload)
    assert b" " not in body
    assert "projé".encode() in body


@pytest.mark.parametrize(
    "payload",
    [
        ActiveNumberCallback(
            event_id="e1",
            timestamp="2024-07-23T14:02:14.415637",
            project_id="p",
            resource_id="+12053017799",
            event_type=ActiveNumberEventType.DEPROVISIONING_FROM_CAMPAIGN,
            status=CallbackStatus.SUCCEEDED,
        ),
        NumberOrderCallback(
            event_id="e2",
            timestamp="2024-07-23T14:02:14.415637",
            project_id="p",
            resource_id="01jgkbb8xywmz3hhahd76menqf",
            status=NumberOrderEventStatus.COMPLETED,
        ),
        HostingOrderNumberCallback(
            event_id="e3",
            timestamp="2024-07-23T14:02:14.415637",
            project_id="p",
            resource_id="+12345612345",
            event_type=ImportedNumberEventType.PROVISIONING_TO_SMS_PLATFORM,
            status=CallbackStatus.SUCCEEDED,
        ),
    ],
    ids=["active-number", "number-order", "hosting-order-number"],
)
def test_parse_round_trips_by_resource_type(
    payload: ActiveNumberCallback | NumberOrderCallback | HostingOrderNumberCallback,
) -> None:
    parsed = parse_callback_body(render_callback_body(payload))
    assert type(parsed) is type(payload)
    assert parsed == payload


def test_timestamp_with_zone_is_rejected() -> None:
    with pytest.raises(ValidationError):
        NumberOrderCallback(
            event_id="e1",
            timestamp="2024-07-23T14:02:14.415637Z",
            project_id="p",
            resource_id="o",
            status=NumberOrderEventStatus.IN_REVIEW,
        )


def test_callback_timestamp_is_utc_microseconds_without_zone() -> None:
    dt = datetime(2024, 7, 23, 14, 2, 14, 415637, tzinfo=UTC)
    assert callback_timestamp(dt) == "2024-07-23T14:02:14.415637"


def test_callback_timestamp_converts_to_utc_and_keeps_zero_microseconds() -> None:
    dt = datetime(2024, 7, 23, 16, 2, 14, tzinfo=timezone(timedelta(hours=2)))
    assert callback_timestamp(dt) == "2024-07-23T14:02:14.000000"


def test_callback_timestamp_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError):
        callback_timestamp(datetime(2024, 7, 23, 14, 2, 14))


def test_callback_timestamp_output_is_a_valid_payload_timestamp() -> None:
    stamp = callback_timestamp(datetime(2030, 1, 2, 3, 4, 5, 6, tzinfo=UTC))
    payload = NumberOrderCallback(
        event_id="e1", timestamp=stamp, project_id="p", resource_id="o", status=NumberOrderEventStatus.EXPIRED
    )
    assert b'"timestamp":"2030-01-02T03:04:05.000006"' in render_callback_body(payload)

"""X-Sinch-Signature and Standard Webhooks signing of callback bodies."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from numberdesk.wire.signing import (
    SINCH_SIGNATURE_HEADER,
    sinch_signature,
    standard_webhook_headers,
    standard_webhook_receiver_secret,
    verify_sinch_signature,
    verify_standard_webhook,
)

# reference §7.4, vector 1 (Java SDK test): body is the first §7.3 example, byte for byte.
VECTOR_1_SECRET = "secret value"
VECTOR_1_BODY = (
    b'{"eventId":"01j3fycq0fyqq3gkgxb0g5ekbz","timestamp":"2024-07-23T14:02:14.415637289",'
    b'"projectId":"b8bae3c6-e7df-422b-9401-8ae3ee3e0aff","resourceId":"+12053017799",'
    b'"resourceType":"ACTIVE_NUMBER","eventType":"PROVISIONING_TO_VOICE_PLATFORM",'
    b'"status":"SUCCEEDED","failureCode":null}'
)
VECTOR_1_SIGNATURE = "e289b8fac44491417aeceee28d2715840b5f1aca"

# reference §7.4, vector 2 (Python SDK test).
VECTOR_2_SECRET = "my-callback-secret"
VECTOR_2_BODY = (
    b'{"eventId":"01jr7stexp0znky34pj07dwp41","timestamp":"2025-04-07T09:38:04.85408760",'
    b'"projectId":"project-id","resourceId":"+1234567890","resourceType":"ACTIVE_NUMBER",'
    b'"eventType":"PROVISIONING_TO_VOICE_PLATFORM","status":"SUCCEEDED","failureCode":null,'
    b'"internalFailureCode":null}'
)
VECTOR_2_SIGNATURE = "8e58baa351ffa5e0d7eaef3c739d0d7aa6093da3"

PROJECT_SECRET = "0123456789abcdef-ABCDEF-0123456789"  # matches ^[a-zA-Z0-9-]{32,64}$


def test_header_name_is_the_one_sinch_sdks_read() -> None:
    assert SINCH_SIGNATURE_HEADER == "X-Sinch-Signature"


@pytest.mark.parametrize(
    ("secret", "body", "signature"),
    [
        (VECTOR_1_SECRET, VECTOR_1_BODY, VECTOR_1_SIGNATURE),
        (VECTOR_2_SECRET, VECTOR_2_BODY, VECTOR_2_SIGNATURE),
    ],
    ids=["java-sdk-vector", "python-sdk-vector"],
)
def test_sinch_signature_matches_sdk_vectors(secret: str, body: bytes, signature: str) -> None:
    assert sinch_signature(secret, body) == signature
    assert verify_sinch_signature(secret, body, signature)


def test_sinch_signature_is_lowercase_hex_sha1() -> None:
    value = sinch_signature(PROJECT_SECRET, b"{}")
    assert len(value) == 40
    assert value == value.lower()
    int(value, 16)


def test_verify_sinch_signature_ignores_hex_case_and_surrounding_space() -> None:
    assert verify_sinch_signature(VECTOR_2_SECRET, VECTOR_2_BODY, f" {VECTOR_2_SIGNATURE.upper()} ")


@pytest.mark.parametrize(
    ("secret", "body", "header"),
    [
        (VECTOR_2_SECRET, VECTOR_2_BODY.replace(b"SUCCEEDED", b"FAILED"), VECTOR_2_SIGNATURE),
        (VECTOR_2_SECRET, VECTOR_2_BODY + b" ", VECTOR_2_SIGNATURE),
        ("my-callback-secreT", VECTOR_2_BODY, VECTOR_2_SIGNATURE),
        (VECTOR_2_SECRET, VECTOR_2_BODY, VECTOR_2_SIGNATURE[:-1]),
        (VECTOR_2_SECRET, VECTOR_2_BODY, ""),
        (VECTOR_2_SECRET, VECTOR_2_BODY, None),
        (VECTOR_2_SECRET, VECTOR_2_BODY, "é" * 40),
    ],
    ids=["tampered", "trailing-byte", "wrong-secret", "truncated", "empty", "missing", "non-ascii"],
)
def test_verify_sinch_signature_rejects(secret: str, body: bytes, header: str | None) -> None:
    assert not verify_sinch_signature(secret, body, header)


def test_standard_webhook_headers_shape_and_value() -> None:
    headers = standard_webhook_headers(PROJECT_SECRET, "01jr7stexp0znky34pj07dwp41", 1_700_000_000, b"{}")
    assert set(headers) == {"webhook-id", "webhook-timestamp", "webhook-signature"}
    assert headers["webhook-id"] == "01jr7stexp0znky34pj07dwp41"
    assert headers["webhook-timestamp"] == "1700000000"
    version, _, signature = headers["webhook-signature"].partition(",")
    assert version == "v1"
    assert len(base64.b64decode(signature, validate=True)) == 32  # SHA-256


def test_standard_webhook_known_answer() -> None:
    # Computed independently: HMAC-SHA256(key=b"test-secret", b"msg_1.1700000000.{}"), base64.
    expected = base64.b64encode(
        hmac.new(b"test-secret", b"msg_1.1700000000.{}", hashlib.sha256).digest()
    ).decode()
    headers = standard_webhook_headers("test-secret", "msg_1", 1_700_000_000, b"{}")
    assert headers["webhook-signature"] == f"v1,{expected}"


def test_standard_webhook_rejects_dotted_or_empty_id() -> None:
    with pytest.raises(ValueError):
        standard_webhook_headers(PROJECT_SECRET, "a.b", 1, b"{}")
    with pytest.raises(ValueError):
        standard_webhook_headers(PROJECT_SECRET, "", 1, b"{}")


def test_standardwebhooks_library_verifies_our_headers_with_documented_secret() -> None:
    now = int(time.time())  # the library checks the timestamp against the real clock
    headers = standard_webhook_headers(PROJECT_SECRET, "01jr7stexp0znky34pj07dwp41", now, VECTOR_2_BODY)
    receiver_secret = "whsec_" + base64.b64encode(PROJECT_SECRET.encode("utf-8")).decode()
    assert standard_webhook_receiver_secret(PROJECT_SECRET) == receiver_secret

    payload = Webhook(receiver_secret).verify(VECTOR_2_BODY, headers)
    assert payload["eventId"] == "01jr7stexp0znky34pj07dwp41"
    # Raw key bytes work too.
    Webhook(PROJECT_SECRET.encode("utf-8")).verify(VECTOR_2_BODY, headers)


def test_standardwebhooks_library_rejects_tampered_body_and_wrong_secret() -> None:
    now = int(time.time())
    headers = standard_webhook_headers(PROJECT_SECRET, "msg_1", now, VECTOR_2_BODY)
    with pytest.raises(WebhookVerificationError):
        Webhook(standard_webhook_receiver_secret(PROJECT_SECRET)).verify(VECTOR_2_BODY + b" ", headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(standard_webhook_receiver_secret(PROJECT_SECRET + "x")).verify(VECTOR_2_BODY, headers)


def test_our_verifier_accepts_what_the_library_signs() -> None:
    ts = 1_700_000_000
    library_signature = Webhook(standard_webhook_receiver_secret(PROJECT_SECRET)).sign(
        "msg_1", datetime.fromtimestamp(ts, tz=UTC), VECTOR_2_BODY.decode()
    )
    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(ts), "webhook-signature": library_signature}
    assert verify_standard_webhook(PROJECT_SECRET, headers, VECTOR_2_BODY, now=ts)


NOW = 1_700_000_000


def _signed(body: bytes = VECTOR_2_BODY, ts: int = NOW) -> dict[str, str]:
    return standard_webhook_headers(PROJECT_SECRET, "msg_1", ts, body)


def test_verify_standard_webhook_accepts_fresh_and_is_case_insensitive() -> None:
    headers = {k.upper(): v for k, v in _signed().items()}
    assert verify_standard_webhook(PROJECT_SECRET, headers, VECTOR_2_BODY, now=NOW)
    assert verify_standard_webhook(PROJECT_SECRET, _signed(), VECTOR_2_BODY, now=NOW + 300)
    assert verify_standard_webhook(PROJECT_SECRET, _signed(), VECTOR_2_BODY, now=NOW - 300)


def test_verify_standard_webhook_accepts_any_of_several_signatures() -> None:
    headers = _signed()
    other = standard_webhook_headers("another-secret-0123456789-abcdefgh", "msg_1", NOW, VECTOR_2_BODY)
    headers["webhook-signature"] = f"v2,abc {other['webhook-signature']} {headers['webhook-signature']}"
    assert verify_standard_webhook(PROJECT_SECRET, headers, VECTOR_2_BODY, now=NOW)


def test_verify_standard_webhook_rejects_tampered_body() -> None:
    assert not verify_standard_webhook(PROJECT_SECRET, _signed(), VECTOR_2_BODY + b" ", now=NOW)


def test_verify_standard_webhook_rejects_wrong_secret() -> None:
    assert not verify_standard_webhook(PROJECT_SECRET + "x", _signed(), VECTOR_2_BODY, now=NOW)


@pytest.mark.parametrize("now", [NOW + 301, NOW - 301, NOW + 10_000])
def test_verify_standard_webhook_rejects_stale_or_future_timestamp(now: int) -> None:
    assert not verify_standard_webhook(PROJECT_SECRET, _signed(), VECTOR_2_BODY, now=now)


def test_verify_standard_webhook_tolerance_is_configurable() -> None:
    assert verify_standard_webhook(PROJECT_SECRET, _signed(), VECTOR_2_BODY, now=NOW + 900, tolerance=900)
    assert not verify_standard_webhook(PROJECT_SECRET, _signed(), VECTOR_2_BODY, now=NOW + 2, tolerance=1)


def test_verify_standard_webhook_rejects_replayed_signature_with_new_timestamp() -> None:
    headers = _signed()
    headers["webhook-timestamp"] = str(NOW + 60)
    assert not verify_standard_webhook(PROJECT_SECRET, headers, VECTOR_2_BODY, now=NOW + 60)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda h: h.pop("webhook-id"),
        lambda h: h.pop("webhook-timestamp"),
        lambda h: h.pop("webhook-signature"),
        lambda h: h.update({"webhook-timestamp": "soon"}),
        lambda h: h.update({"webhook-signature": "v1,not base64!"}),
        lambda h: h.update({"webhook-signature": h["webhook-signature"].replace("v1,", "v2,")}),
        lambda h: h.update({"webhook-id": "msg_2"}),
    ],
    ids=["no-id", "no-timestamp", "no-signature", "bad-timestamp", "bad-base64", "wrong-version", "other-id"],
)
def test_verify_standard_webhook_rejects_malformed_headers(
    mutate: Callable[[dict[str, str]], object],
) -> None:
    headers = _signed()
    mutate(headers)
    assert not verify_standard_webhook(PROJECT_SECRET, headers, VECTOR_2_BODY, now=NOW)

"""Signatures on outgoing callbacks: Sinch's `X-Sinch-Signature` and Standard Webhooks headers.

Every function works on the exact body bytes that go on the wire (see
`numberdesk.wire.callbacks.render_callback_body`); nothing here parses or re-serialises JSON.

X-Sinch-Signature
    Lowercase hex of HMAC-SHA1 over the raw body, keyed with the project's `hmacSecret` as UTF-8.
    No timestamp, no nonce, no base64 — this is what the Sinch SDKs verify.

Standard Webhooks (https://www.standardwebhooks.com/)
    Headers `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature`
    (`v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`).

    Key derivation (our decision): the spec keys the HMAC with the bytes of a base64 secret
    written `whsec_<base64>`. Our project secrets are plain strings (`^[a-zA-Z0-9-]{32,64}$`), so the
    HMAC key is **the UTF-8 bytes of the project's hmacSecret** — the same key material as
    X-Sinch-Signature, with no second secret to manage. A receiver using the `standardwebhooks`
    library passes `"whsec_" + base64(secret_utf8)` (see `standard_webhook_receiver_secret`), or
    the raw bytes `secret.encode()`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping

SINCH_SIGNATURE_HEADER = "X-Sinch-Signature"
WEBHOOK_ID_HEADER = "webhook-id"
WEBHOOK_TIMESTAMP_HEADER = "webhook-timestamp"
WEBHOOK_SIGNATURE_HEADER = "webhook-signature"
DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300


def sinch_signature(secret: str, body: bytes) -> str:
    """The `X-Sinch-Signature` value: lowercase hex HMAC-SHA1 of `body`, key = `secret` as UTF-8."""
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha1).hexdigest()


def verify_sinch_signature(secret: str, body: bytes, header_value: str | None) -> bool:
    """Whether `header_value` is the X-Sinch-Signature of `body` (constant-time; hex case ignored)."""
    if not header_value:
        return False
    expected = sinch_signature(secret, body).encode("ascii")
    received = header_value.strip().lower().encode("utf-8", errors="replace")
    return hmac.compare_digest(expected, received)


def _standard_webhook_signature(secret: str, msg_id: str, timestamp: int, body: bytes) -> bytes:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).digest()


def standard_webhook_headers(secret: str, msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """`webhook-id`, `webhook-timestamp` and `webhook-signature` for one delivery attempt.

    `timestamp` is Unix seconds of the attempt (not of the event); `msg_id` stays the same across
    retries of one event (use the eventId) so receivers can de-duplicate.
    """
    if "." in msg_id or not msg_id:
        # The id is a field of the signed "{id}.{ts}.{body}" string; a dot would make it ambiguous.
        raise ValueError("webhook message id must be non-empty and contain no '.'")
    signature = base64.b64encode(_standard_webhook_signature(secret, msg_id, timestamp, body)).decode()
    return {
        WEBHOOK_ID_HEADER: msg_id,
        WEBHOOK_TIMESTAMP_HEADER: str(timestamp),
        WEBHOOK_SIGNATURE_HEADER: f"v1,{signature}",
    }


def standard_webhook_receiver_secret(secret: str) -> str:
    """The `whsec_…` form of a project secret, for receivers using a Standard Webhooks library."""
    return "whsec_" + base64.b64encode(secret.encode("utf-8")).decode("ascii")


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def verify_standard_webhook(
    secret: str,
    headers: Mapping[str, str],
    body: bytes,
    now: int,
    tolerance: int = DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
) -> bool:
    """Whether Standard Webhooks `headers` sign `body` with `secret` and are at most `tolerance`
    seconds away from `now` (Unix seconds). Header names are matched case-insensitively; any one
    matching `v1,` signature in the space-separated list is enough (secret rotation)."""
    msg_id = _header(headers, WEBHOOK_ID_HEADER)
    raw_timestamp = _header(headers, WEBHOOK_TIMESTAMP_HEADER)
    raw_signatures = _header(headers, WEBHOOK_SIGNATURE_HEADER)
    if not msg_id or not raw_timestamp or not raw_signatures:
        return False
    try:
        timestamp = int(raw_timestamp.strip())
    except ValueError:
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = _standard_webhook_signature(secret, msg_id, timestamp, body)
    matched = False
    for entry in raw_signatures.split():
        version, _, encoded = entry.partition(",")
        if version != "v1":
            continue
        try:
            candidate = base64.b64decode(encoded, validate=True)
        except ValueError:
            continue
        # No early exit: every candidate is compared, so timing does not reveal which one matched.
        matched |= hmac.compare_digest(expected, candidate)
    return matched


def callback_headers(secret: str, msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """Every header of one callback attempt: content type, and — when the project has a secret —
    `X-Sinch-Signature` plus the Standard Webhooks trio. Without a secret the event goes unsigned
    (only `webhook-id`/`webhook-timestamp`, which receivers may use to de-duplicate)."""
    headers = {"Content-Type": "application/json"}
    if secret:
        headers[SINCH_SIGNATURE_HEADER] = sinch_signature(secret, body)
        headers.update(standard_webhook_headers(secret, msg_id, timestamp, body))
    else:
        headers[WEBHOOK_ID_HEADER] = msg_id
        headers[WEBHOOK_TIMESTAMP_HEADER] = str(timestamp)
    return headers


def verify_callback(
    secret: str,
    headers: Mapping[str, str],
    body: bytes,
    now: int,
    tolerance: int = DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
) -> bool:
    """Both schemes must hold: X-Sinch-Signature (no replay protection) and Standard Webhooks."""
    return verify_sinch_signature(secret, body, _header(headers, SINCH_SIGNATURE_HEADER.lower())) and (
        verify_standard_webhook(secret, headers, body, now, tolerance)
    )

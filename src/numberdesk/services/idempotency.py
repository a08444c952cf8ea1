"""`Idempotency-Key`: a retried request with the same key and body gets the first result and does
nothing new; the same key with another body is refused (409).

The key row is claimed inside the operation's own transaction, so the result and the key commit
together or not at all (a failed attempt leaves the key free for the retry).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from numberdesk.domain.errors import Conflict, FieldViolation, InvalidArgument
from numberdesk.services.ports import UnitOfWork

MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class Idempotency:
    key: str
    request_hash: str

    @classmethod
    def of(cls, key: str | None, request: bytes) -> Idempotency | None:
        if key is None:
            return None
        if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable():
            raise InvalidArgument(
                "invalid Idempotency-Key header",
                [FieldViolation("Idempotency-Key", f"must be 1-{MAX_KEY_LENGTH} printable characters")],
            )
        return cls(key, hashlib.sha256(request).hexdigest())


class IdempotencyKeyReused(Conflict):
    """The key was used before for a different request."""


def claim_or_replay(
    uow: UnitOfWork, project_id: str, operation: str, idem: Idempotency | None, now: datetime
) -> str | None:
    """None: go ahead (the key, if any, is now held by this transaction; call `complete`).
    A string: the stored result of the first request with this key and body."""
    if idem is None:
        return None
    if uow.idempotency.claim(project_id, idem.key, operation, idem.request_hash, now):
        return None
    stored = uow.idempotency.get(project_id, idem.key, operation)
    if stored is None or stored[1] is None:
        raise Conflict("a request with this Idempotency-Key is still in progress; retry shortly")
    request_hash, result = stored
    if request_hash != idem.request_hash:
        raise IdempotencyKeyReused(
            "this Idempotency-Key was already used with a different request body; use a new key"
        )
    return result

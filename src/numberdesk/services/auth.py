"""Authentication: HTTP Basic with an access key, or a bearer token issued for one.

Basic looks the key up on every request, so a revocation applies at once. A bearer token is
checked by signature and expiry, then against a short per-process cache of revoked keys, so a
revocation reaches already-issued tokens within `revocation_ttl` (well inside their 1 h lifetime).
"""

from __future__ import annotations

import hmac
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from numberdesk.domain.errors import PermissionDenied, Unauthenticated
from numberdesk.domain.projects import Principal
from numberdesk.services.ports import Clock, UnitOfWorkFactory
from numberdesk.services.projects import hash_secret


@dataclass(frozen=True)
class TokenClaims:
    key_id: str
    project_id: str
    expires_at: datetime


class TokenCodec(Protocol):
    def encode(self, claims: TokenClaims, issued_at: datetime) -> str: ...
    def decode(self, token: str) -> TokenClaims:
        """Checks the signature only; raises Unauthenticated when it is not ours."""
        ...


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int


class Authenticator:
    def __init__(
        self,
        uows: UnitOfWorkFactory,
        clock: Clock,
        pepper: bytes,
        tokens: TokenCodec,
        token_lifetime_seconds: int = 3599,
        revocation_ttl: float = 30.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._uows = uows
        self._clock = clock
        self._pepper = pepper
        self._tokens = tokens
        self._lifetime = token_lifetime_seconds
        self._ttl = revocation_ttl
        self._monotonic = monotonic
        self._active_until: dict[str, tuple[bool, float]] = {}
        self._lock = threading.Lock()

    def basic(self, key_id: str, key_secret: str) -> Principal:
        with self._uows(readonly=True) as uow:
            key = uow.keys.get(key_id)
        presented = hash_secret(self._pepper, key_secret)
        if key is None or not hmac.compare_digest(presented, key.secret_hash) or not key.active:
            raise Unauthenticated("invalid access key")
        return Principal(key.key_id, key.project_id)

    def issue_token(self, principal: Principal) -> IssuedToken:
        now = self._clock.now()
        expires_at = datetime.fromtimestamp(now.timestamp() + self._lifetime, tz=now.tzinfo)
        claims = TokenClaims(principal.key_id, principal.project_id, expires_at)
        return IssuedToken(self._tokens.encode(claims, now), self._lifetime)

    def bearer(self, token: str) -> Principal:
        claims = self._tokens.decode(token)
        if claims.expires_at <= self._clock.now():
            raise Unauthenticated("access token expired", expired=True)
        if not self._key_active(claims.key_id):
            raise Unauthenticated("access key revoked")
        return Principal(claims.key_id, claims.project_id)

    def _key_active(self, key_id: str) -> bool:
        now = self._monotonic()
        with self._lock:
            cached = self._active_until.get(key_id)
        if cached is not None and cached[1] > now:
            return cached[0]
        with self._uows(readonly=True) as uow:
            key = uow.keys.get(key_id)
        active = key is not None and key.active
        with self._lock:
            self._active_until[key_id] = (active, now + self._ttl)
        return active


def require_project(principal: Principal, project_id: str) -> None:
    """A key reaches only its own project; the answer is the same whether `project_id` exists or not."""
    if principal.project_id != project_id:
        raise PermissionDenied("the access key is not allowed to use this project")

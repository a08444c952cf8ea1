"""Bearer tokens as real JWTs (HS256) with `exp`, so SDKs that read the claim refresh early.

Expiry is judged by the service against its own clock (sandbox time included), not here.
"""

from __future__ import annotations

from datetime import UTC, datetime

import jwt

from numberdesk.domain.errors import Unauthenticated
from numberdesk.services.auth import TokenClaims

_ISSUER = "numberdesk"


class JwtTokenCodec:
    def __init__(self, signing_key: bytes) -> None:
        self._key = signing_key

    def encode(self, claims: TokenClaims, issued_at: datetime) -> str:
        payload = {
            "iss": _ISSUER,
            "sub": claims.key_id,
            "pid": claims.project_id,
            "iat": int(issued_at.timestamp()),
            "exp": int(claims.expires_at.timestamp()),
        }
        return jwt.encode(payload, self._key, algorithm="HS256")

    def decode(self, token: str) -> TokenClaims:
        try:
            payload = jwt.decode(
                token,
                self._key,
                algorithms=["HS256"],
                issuer=_ISSUER,
                options={"verify_exp": False, "verify_iat": False, "require": ["exp", "sub", "pid"]},
            )
        except jwt.PyJWTError as exc:
            raise Unauthenticated("invalid access token") from exc
        return TokenClaims(
            key_id=str(payload["sub"]),
            project_id=str(payload["pid"]),
            expires_at=datetime.fromtimestamp(int(payload["exp"]), tz=UTC),
        )

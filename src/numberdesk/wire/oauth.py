"""OAuth2 client-credentials token endpoint bodies (the four keys SDKs read)."""

from __future__ import annotations

from pydantic import BaseModel


class TokenResponse(BaseModel):
    access_token: str
    expires_in: int
    scope: str = ""
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret


class OAuthError(BaseModel):
    error: str
    error_description: str

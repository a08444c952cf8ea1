"""POST /oauth2/token: OAuth2 client credentials, Basic-authenticated with an access key."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from numberdesk.api.deps import ContainerDep, parse_basic
from numberdesk.domain.errors import Unauthenticated
from numberdesk.wire.oauth import OAuthError, TokenResponse

router = APIRouter(tags=["Authentication"])


def _oauth_error(status: int, error: str, description: str) -> JSONResponse:
    headers = {"WWW-Authenticate": 'Basic realm="numberdesk"'} if status == 401 else None
    return JSONResponse(
        OAuthError(error=error, error_description=description).model_dump(), status, headers=headers
    )


@router.post(
    "/oauth2/token",
    response_model=TokenResponse,
    summary="Get a bearer token (client credentials)",
    responses={
        400: {"model": OAuthError, "description": "Unsupported grant type"},
        401: {"model": OAuthError, "description": "Bad client credentials"},
    },
)
async def token(request: Request, container: ContainerDep) -> JSONResponse:
    form = await request.form()
    grant_type = form.get("grant_type")
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value.strip():
        return _oauth_error(401, "invalid_client", "client authentication with HTTP Basic is required")
    if grant_type != "client_credentials":
        return _oauth_error(400, "unsupported_grant_type", "only grant_type=client_credentials is supported")
    try:
        key_id, secret = parse_basic(value.strip())
        principal = container.authenticator.basic(key_id, secret)
    except Unauthenticated:
        return _oauth_error(401, "invalid_client", "invalid client credentials")
    issued = container.authenticator.issue_token(principal)
    body = TokenResponse(access_token=issued.access_token, expires_in=issued.expires_in)
    return JSONResponse(body.model_dump())

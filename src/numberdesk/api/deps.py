"""FastAPI dependencies: the container, the authenticated principal, the operator."""

from __future__ import annotations

import base64
import binascii
import hmac
from typing import Annotated

from fastapi import Depends, Request

from numberdesk.bootstrap import Container
from numberdesk.domain.errors import Unauthenticated
from numberdesk.domain.projects import Principal
from numberdesk.services.auth import require_project
from numberdesk.services.rate_limit import RateLimiter


def get_container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(get_container)]


def parse_basic(header: str) -> tuple[str, str]:
    try:
        decoded = base64.b64decode(header, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise Unauthenticated("malformed Basic credentials") from exc
    key_id, sep, secret = decoded.partition(":")
    if not sep:
        raise Unauthenticated("malformed Basic credentials")
    return key_id, secret


def authenticate(request: Request, container: Container) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    scheme = scheme.lower()
    value = value.strip()
    if scheme == "basic" and value:
        key_id, secret = parse_basic(value)
        return container.authenticator.basic(key_id, secret)
    if scheme == "bearer" and value:
        return container.authenticator.bearer(value)
    raise Unauthenticated("missing credentials: use HTTP Basic (keyId:keySecret) or a bearer token")


def get_principal(request: Request, project_id: str, container: ContainerDep) -> Principal:
    """Authenticates, rate-limits per key, and confines the key to the project in the path."""
    principal = authenticate(request, container)
    limiter: RateLimiter = request.app.state.rate_limiter
    limiter.hit(principal.key_id)
    require_project(principal, project_id)
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require_admin(request: Request, container: ContainerDep) -> None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("the admin API needs the operator's bearer token")
    if not hmac.compare_digest(token.strip().encode(), container.secrets.admin_token.encode()):
        raise Unauthenticated("invalid operator token")


AdminDep = Depends(require_admin)

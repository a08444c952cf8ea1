"""Every error leaves in the Sinch envelope. Domain errors are mapped here, once."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from numberdesk.domain.errors import (
    AlreadyExists,
    Conflict,
    ContentTooLarge,
    DomainError,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    RateLimited,
    Unauthenticated,
    UnsupportedMediaType,
)
from numberdesk.wire.errors import bad_request_detail, envelope, resource_info_detail

log = logging.getLogger("numberdesk.api")

HTTP_STATUS: dict[type[DomainError], int] = {
    InvalidArgument: 400,
    Unauthenticated: 401,
    PermissionDenied: 403,
    NotFound: 404,
    AlreadyExists: 409,
    Conflict: 409,
    ContentTooLarge: 413,
    UnsupportedMediaType: 415,
    RateLimited: 429,
}


def status_for(exc: DomainError) -> int:
    for cls in type(exc).__mro__:
        if cls in HTTP_STATUS:
            return HTTP_STATUS[cls]
    return 400


def error_response(
    code: int,
    message: str,
    details: list[dict[str, Any]] | None = None,
    status: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(envelope(code, message, details, status), status_code=code, headers=headers)


def domain_error_response(exc: DomainError) -> JSONResponse:
    code = status_for(exc)
    details: list[dict[str, Any]] = []
    headers: dict[str, str] = {}
    status: str | None = None
    if isinstance(exc, InvalidArgument):
        details = [bad_request_detail([(v.field, v.description) for v in exc.violations])]
    elif isinstance(exc, (NotFound, AlreadyExists)):
        details = [resource_info_detail(exc.resource_type, exc.resource_name, exc.message)]
    elif isinstance(exc, ContentTooLarge):
        details = [
            {"type": "RequestEntityTooLarge", "resourceName": exc.resource_name, "description": exc.message}
        ]
    elif isinstance(exc, Conflict):
        status = "FAILED_PRECONDITION"
    elif isinstance(exc, Unauthenticated):
        headers["WWW-Authenticate"] = (
            'Bearer error="invalid_token", error_description="expired"'
            if exc.expired
            else 'Basic realm="numberdesk", Bearer'
        )
    elif isinstance(exc, RateLimited) and exc.retry_after_seconds is not None:
        headers["Retry-After"] = str(exc.retry_after_seconds)
    return error_response(code, exc.message, details, status, headers or None)


def _field_path(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "form")]
    path = ""
    for part in parts:
        path += f"[{part}]" if part.isdigit() else (f".{part}" if path else part)
    return path or "body"


def validation_response(exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return error_response(400, "Invalid JSON payload", [bad_request_detail([])])
    violations = [(_field_path(tuple(e.get("loc", ()))), str(e.get("msg", "invalid"))) for e in errors]
    if any(_field_path(tuple(e.get("loc", ()))) == "body" and e.get("type") == "missing" for e in errors):
        return error_response(400, "A JSON request body is required", [bad_request_detail(violations)])
    return error_response(400, "Invalid request", [bad_request_detail(violations)])


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        return domain_error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return validation_response(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        messages = {404: "Not found", 405: "Method not allowed"}
        message = messages.get(exc.status_code, str(exc.detail))
        return error_response(exc.status_code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        request_id = getattr(request.state, "request_id", "-")
        log.error("unhandled %s in request %s", type(exc).__name__, request_id, exc_info=exc)
        return error_response(500, f"Internal error (request id {request_id})")

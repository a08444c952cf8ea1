"""The Sinch error envelope: {"error": {code, message, status, details}}. Every error leaves in it."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

CANONICAL_STATUS: dict[int, str] = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "UNIMPLEMENTED",
    406: "INVALID_ARGUMENT",
    409: "ALREADY_EXISTS",
    410: "NOT_FOUND",
    412: "FAILED_PRECONDITION",
    413: "CONTENT_TOO_LARGE",
    415: "INVALID_ARGUMENT",
    422: "INVALID_ARGUMENT",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
}


class FieldViolationOut(BaseModel):
    field: str
    description: str


class BadRequestDetail(BaseModel):
    type: Literal["BadRequest"] = "BadRequest"
    fieldViolations: list[FieldViolationOut] = Field(default_factory=list)


class ResourceInfoDetail(BaseModel):
    type: Literal["ResourceInfo"] = "ResourceInfo"
    resourceType: str
    resourceName: str = ""
    owner: str = ""
    description: str = ""


class ErrorBody(BaseModel):
    code: int
    message: str
    status: str
    details: list[dict[str, Any]] = Field(default_factory=list)


class ErrorEnvelope(BaseModel):
    error: ErrorBody


def envelope(
    code: int, message: str, details: list[dict[str, Any]] | None = None, status: str | None = None
) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": message,
            "status": status or CANONICAL_STATUS.get(code, "UNKNOWN"),
            "details": details or [],
        }
    }


def bad_request_detail(violations: list[tuple[str, str]]) -> dict[str, Any]:
    return BadRequestDetail(
        fieldViolations=[FieldViolationOut(field=f, description=d) for f, d in violations]
    ).model_dump()


def resource_info_detail(resource_type: str, resource_name: str, description: str = "") -> dict[str, Any]:
    return ResourceInfoDetail(
        resourceType=resource_type, resourceName=resource_name, description=description
    ).model_dump()

"""The error bodies of the Imported Numbers seed.

The seed has two shapes. Most operations document the flat `ErrorResponse`
(`{code: "404", message, status}`; its 400 example adds `details`). The callback-configuration
operations document the Google envelope (`{error: {code: 400, message, status, details}}`) as
`InvalidArgument`, `NotFound` and `InternalError`, which is also what the Numbers API and
numberdesk's error handler send. Which one the imported routes emit is the API layer's choice.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import JsonValue

from numberdesk.wire.base import WireResponse


class ErrorResponse(WireResponse):
    """`details` is not in the seed's schema but is in its `invalidServicePlanId` example."""

    code: str | None = None
    message: str | None = None
    status: str | None = None
    details: list[dict[str, JsonValue]] | None = None


class FieldViolation(WireResponse):
    field: str | None = None
    description: str | None = None


class BadRequest(WireResponse):
    type: Literal["BadRequest"] | None = None
    field_violations: list[FieldViolation] | None = None


class InvalidArgumentError(WireResponse):
    code: Literal[400] | None = None
    message: str | None = None
    status: Literal["INVALID_ARGUMENT"] | None = None
    details: list[BadRequest] | None = None


class InvalidArgument(WireResponse):
    error: InvalidArgumentError | None = None


class NotFoundError(WireResponse):
    code: Literal[404] | None = None
    message: str | None = None
    status: Literal["NOT_FOUND"] | None = None
    details: list[dict[str, JsonValue]] | None = None


class NotFound(WireResponse):
    error: NotFoundError | None = None


class InternalErrorStatus(StrEnum):
    INTERNAL = "INTERNAL"
    UNKNOWN = "UNKNOWN"


class InternalErrorBody(WireResponse):
    code: Literal[500] | None = None
    message: str | None = None
    status: InternalErrorStatus | None = None
    details: list[dict[str, JsonValue]] | None = None


class InternalError(WireResponse):
    error: InternalErrorBody | None = None

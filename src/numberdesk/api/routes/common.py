"""Shared route plumbing: the error responses every Numbers API route documents."""

from __future__ import annotations

from typing import Any

from numberdesk.wire.errors import ErrorEnvelope

PROJECT_PREFIX = "/v1/projects/{project_id}"


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    descriptions = {
        400: "Invalid argument (with field violations)",
        401: "Missing, invalid or expired credentials",
        403: "The key may not use this project",
        404: "Not found",
        409: "Conflict with the resource's state",
        413: "Content too large",
        415: "Unsupported content type",
        429: "Too many requests",
        500: "Internal error",
    }
    return {code: {"model": ErrorEnvelope, "description": descriptions[code]} for code in codes}


STANDARD_ERRORS = error_responses(400, 401, 403, 404, 415, 429, 500)

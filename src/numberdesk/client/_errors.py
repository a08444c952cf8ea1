"""Errors the client raises.

NumbersApiError            an answer in the Sinch error envelope (4xx/5xx)
└── (status_code, code, status, message, details, field_violations)
"""

from __future__ import annotations

from typing import Any

import httpx


class NumbersApiError(Exception):
    def __init__(self, status_code: int, body: dict[str, Any] | None, text: str) -> None:
        error = (body or {}).get("error") if isinstance(body, dict) else None
        error = error if isinstance(error, dict) else {}
        self.status_code = status_code
        self.code = error.get("code", status_code)
        self.status = str(error.get("status", ""))
        self.message = str(error.get("message", text[:200]))
        self.details: list[dict[str, Any]] = list(error.get("details") or [])
        super().__init__(f"{status_code} {self.status}: {self.message}")

    @property
    def field_violations(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for detail in self.details:
            for violation in detail.get("fieldViolations", []) or []:
                out.append((str(violation.get("field", "")), str(violation.get("description", ""))))
        return out

    @classmethod
    def from_response(cls, response: httpx.Response) -> NumbersApiError:
        try:
            body = response.json()
        except ValueError:
            body = None
        return cls(response.status_code, body if isinstance(body, dict) else None, response.text)

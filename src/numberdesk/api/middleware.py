"""ASGI middleware: request ids, body size and content-type gates, the sandbox time header.

These run before routing, so their errors are built directly in the Sinch envelope.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from numberdesk.wire.errors import envelope

log = logging.getLogger("numberdesk.access")

_DIGITS = re.compile(r"\d{3,}")
_JSON_TYPES = ("application/json", "application/merge-patch+json")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


async def _send_error(
    send: Send,
    code: int,
    message: str,
    details: list[dict[str, Any]] | None = None,
    extra_headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    body = json.dumps(envelope(code, message, details)).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": code, "headers": headers + (extra_headers or [])})
    await send({"type": "http.response.body", "body": body})


class GateMiddleware:
    """Checks what can be checked from the headers alone, then counts streamed body bytes."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_json_bytes: int,
        max_upload_bytes: int,
        sandbox_time: Callable[[], datetime] | None = None,
    ) -> None:
        self.app = app
        self.max_json_bytes = max_json_bytes
        self.max_upload_bytes = max_upload_bytes
        self.sandbox_time = sandbox_time

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _header(scope, b"x-request-id") or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status_holder = {"status": 0}
        extra = [(b"x-request-id", request_id.encode()[:128])]

        async def send_wrapped(message: Message) -> None:
            if status_holder.get("closed"):
                return  # we already answered (413 mid-stream); drop what the app still sends
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                status_holder["closed"] = 1
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                headers = list(message.get("headers", [])) + extra
                if self.sandbox_time is not None:
                    headers.append((b"x-sandbox-time", self.sandbox_time().isoformat().encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self._gate(scope, receive, send_wrapped)
        except Exception as exc:
            log.error("unhandled %s in request %s", type(exc).__name__, request_id, exc_info=exc)
            if not status_holder["status"]:
                await _send_error(send_wrapped, 500, f"Internal error (request id {request_id})")
        finally:
            log.info(
                "%s %s %s %.1fms rid=%s",
                scope["method"],
                _DIGITS.sub("…", scope["path"]),
                status_holder["status"],
                (time.perf_counter() - started) * 1000,
                request_id,
            )

    async def _gate(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope["method"]
        path = scope["path"]
        limit = self.max_upload_bytes + 64 * 1024 if "/attachments/" in path else self.max_json_bytes
        length_text = _header(scope, b"content-length")
        has_body = (length_text not in (None, "0")) or _header(scope, b"transfer-encoding") is not None
        if length_text is not None and length_text.isdigit() and int(length_text) > limit:
            await _send_error(
                send,
                413,
                f"Request body larger than {limit} bytes",
                [
                    {
                        "type": "RequestEntityTooLarge",
                        "resourceName": "request",
                        "description": f"limit is {limit} bytes",
                    }
                ],
            )
            return
        if method in ("POST", "PUT", "PATCH") and has_body and not self._content_type_ok(scope, path):
            await _send_error(send, 415, "Unsupported content type: send application/json")
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    await _send_error(
                        send,
                        413,
                        f"Request body larger than {limit} bytes",
                        [
                            {
                                "type": "RequestEntityTooLarge",
                                "resourceName": "request",
                                "description": f"limit is {limit} bytes",
                            }
                        ],
                    )
                    return {"type": "http.disconnect"}
            return message

        await self.app(scope, counting_receive, send)

    @staticmethod
    def _content_type_ok(scope: Scope, path: str) -> bool:
        content_type = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
        if "/attachments/" in path:
            return content_type == "multipart/form-data"
        if path.endswith("/oauth2/token"):
            return content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
        return content_type in _JSON_TYPES or content_type.endswith("+json")

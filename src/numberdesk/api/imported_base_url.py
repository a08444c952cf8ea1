"""The Imported Numbers API's own base URL, in the same process.

In the real world this API lives at its own host, and its `/v1/projects/{p}/callbackConfiguration`
collides with the Numbers API's. numberdesk serves it two ways:

* path prefix: base URL `http://HOST:PORT/imported` (paths `/imported/v1/projects/{p}/...`);
* host name: any request whose Host starts with `imported.` (e.g. `imported.numbers.localhost:8080`)
  and whose path starts with `/v1/` is routed to the same routes, as if it had the prefix.

It also gives this API's errors the body its seed documents: the flat
`{"code": "404", "message", "status", "details"}` (`ErrorResponse`), except on
`callbackConfiguration`, whose operations document the `{"error": {...}}` envelope.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

IMPORTED_BASE = "/imported"
HOST_PREFIX = "imported."


def _host(scope: Scope) -> str:
    for key, value in scope.get("headers", []):
        if key == b"host":
            return str(value.decode("latin-1")).lower()
    return ""


def flatten(body: bytes) -> bytes:
    """`{"error": {code, message, status, details}}` -> `{code: "<code>", message, status, details}`."""
    try:
        parsed: Any = json.loads(body)
    except ValueError:
        return body
    if not isinstance(parsed, dict) or not isinstance(parsed.get("error"), dict):
        return body
    error = parsed["error"]
    flat = {
        "code": str(error.get("code", "")),
        "message": str(error.get("message", "")),
        "status": str(error.get("status", "")),
        "details": error.get("details") or [],
    }
    return json.dumps(flat).encode()


class ImportedApiMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path.startswith("/v1/") and _host(scope).startswith(HOST_PREFIX):
            raw = scope.get("raw_path") or path.encode()
            scope = {**scope, "path": IMPORTED_BASE + path, "raw_path": IMPORTED_BASE.encode() + raw}
            path = scope["path"]
        if not path.startswith(IMPORTED_BASE + "/v1/") or path.rstrip("/").endswith("/callbackConfiguration"):
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, _FlatErrors(send))


class _FlatErrors:
    """Buffers error responses (status >= 400) and rewrites their JSON body."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self._start: Message | None = None
        self._chunks: list[bytes] = []

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            if message["status"] < 400:
                await self._send(message)
                return
            self._start = message
            return
        if self._start is None or message["type"] != "http.response.body":
            await self._send(message)
            return
        self._chunks.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        body = flatten(b"".join(self._chunks))
        headers = [(k, v) for k, v in self._start.get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await self._send({**self._start, "headers": headers})
        await self._send({"type": "http.response.body", "body": body})

"""Sending callbacks over HTTP, through the SSRF guard.

`HttpCallbackSender` POSTs the exact bytes with `httpx`, through `PinnedTransport` (resolve once,
drop blocked addresses, connect to the checked address), never following redirects, with a total
timeout. `LiteralUrlGuard` is the registration-time check of a callback URL.
"""

from __future__ import annotations

import asyncio
import ipaddress
import ssl
import threading
import time
from collections.abc import Mapping, Sequence

import httpx

from numberdesk.adapters.ssrf import (
    AddressPolicy,
    BlockedDestination,
    IPNetwork,
    PinnedTransport,
    Resolver,
    SystemResolver,
    check_url_literal,
    pinned_addresses_async,
)
from numberdesk.domain.errors import FieldViolation, InvalidArgument
from numberdesk.services.callbacks import OutgoingCallback, SendResult

USER_AGENT = "numberdesk-callbacks/1"


def parse_networks(spec: str) -> tuple[IPNetwork, ...]:
    """`"10.1.0.0/16, fd00::/8"` → networks (an operator's allowed callback ranges)."""
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in spec.split(",") if part.strip())


class HttpCallbackSender:
    def __init__(
        self,
        policy: AddressPolicy,
        timeout_seconds: float = 10.0,
        resolver: Resolver | None = None,
        max_connections: int = 64,
    ) -> None:
        def client(keepalive: int) -> httpx.Client:
            inner = httpx.HTTPTransport(
                limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=keepalive)
            )
            return httpx.Client(
                transport=PinnedTransport(resolver or SystemResolver(), policy, inner),
                follow_redirects=False,
                timeout=httpx.Timeout(timeout_seconds),
                headers={"User-Agent": USER_AGENT},
            )

        # Plain http keeps connections alive: the pool is keyed by the checked IP and port, and the
        # Host header carries the name, so reuse across names on one IP is harmless. https keeps
        # none, because httpcore's pool ignores the SNI name a connection was verified for.
        self._http = client(max_connections)
        self._https = client(0)

    def send(self, url: str, body: bytes, headers: Mapping[str, str]) -> SendResult:
        try:
            client = self._https if url.lower().startswith("https:") else self._http
            response = client.post(url, content=body, headers=dict(headers))
        except BlockedDestination as exc:
            return SendResult(None, error=f"destination not allowed: {exc.reason}")
        except httpx.TimeoutException:
            return SendResult(None, error="timeout")
        except (httpx.HTTPError, OSError) as exc:
            return SendResult(None, error=f"connection failed: {type(exc).__name__}")
        try:
            response.read()
        finally:
            response.close()
        return SendResult(response.status_code, response.headers.get("retry-after"))

    def close(self) -> None:
        self._http.close()
        self._https.close()


class ResponseError(Exception):
    """The receiver's answer is not HTTP/1.x we can read."""


_MAX_KEPT_BODY = 64 * 1024
_NO_BODY = frozenset({204, 304})


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, str | None, bool]:
    """(status, Retry-After, whether the connection may be reused). Reads a body only when its
    length is declared and small; otherwise the connection is dropped instead of drained."""
    while True:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head[:-4].split(b"\r\n")
        parts = lines[0].split(b" ", 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1.") or len(parts[1]) != 3:
            raise ResponseError("not an HTTP/1.x status line")
        status = int(parts[1])
        if 100 <= status < 200 and status != 101:
            continue  # interim response; the final one follows
        break
    fields: dict[bytes, bytes] = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        fields[name.strip().lower()] = value.strip()
    reusable = parts[0] == b"HTTP/1.1" and b"close" not in fields.get(b"connection", b"").lower()
    length = fields.get(b"content-length")
    if status in _NO_BODY:
        pass
    elif b"transfer-encoding" in fields or length is None:
        reusable = False
    elif int(length) <= _MAX_KEPT_BODY:
        await reader.readexactly(int(length))
    else:
        reusable = False
    retry_after = fields.get(b"retry-after")
    return status, retry_after.decode("latin-1") if retry_after is not None else None, reusable


def _request_head(url: httpx.URL, body: bytes, headers: Mapping[str, str]) -> bytes:
    lines = [
        b"POST " + url.raw_path + b" HTTP/1.1",
        b"Host: " + url.netloc,
        b"User-Agent: " + USER_AGENT.encode(),
        b"Content-Length: " + str(len(body)).encode(),
    ]
    lines.extend(f"{name}: {value}".encode("latin-1") for name, value in headers.items())
    if any(b"\r" in line or b"\n" in line for line in lines):
        raise ValueError("line break inside the request head")
    return b"\r\n".join(lines) + b"\r\n\r\n"


_Conn = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class AsyncCallbackSender:
    """Sends callbacks from one event-loop thread, up to `concurrency` at a time.

    Same guarantees as `HttpCallbackSender`: every request goes through the SSRF pin
    (`pinned_addresses_async`: one lookup, blocked addresses dropped, the connection opened to a
    checked IP, `Host` = the URL's name; https verifies the certificate for that name and sends it
    as SNI), no redirect is ever followed, and each attempt has a total timeout. It speaks just
    the HTTP/1.1 a webhook POST needs (the body is sent with Content-Length; the answer's body is
    read only when small and length-delimited), which costs a fraction of httpx's per-request CPU.
    Plain-http connections are kept alive per checked (IP, port); https ones never are.
    """

    def __init__(
        self,
        policy: AddressPolicy,
        timeout_seconds: float = 10.0,
        resolver: Resolver | None = None,
        concurrency: int = 64,
        max_idle_per_address: int = 32,
    ) -> None:
        self._policy = policy
        self._timeout = timeout_seconds
        self._resolver = resolver or SystemResolver()
        self._concurrency = concurrency
        self._max_idle = max_idle_per_address
        self._idle: dict[tuple[str, int], list[_Conn]] = {}
        self._tls = ssl.create_default_context()
        self._loop = asyncio.new_event_loop()
        self._semaphore: asyncio.Semaphore | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, name="callback-sender", daemon=True)
        self._thread.start()

    def send(self, url: str, body: bytes, headers: Mapping[str, str]) -> SendResult:
        return self.send_many([OutgoingCallback(url, body, headers)])[0]

    def send_many(self, callbacks: Sequence[OutgoingCallback]) -> list[SendResult]:
        return asyncio.run_coroutine_threadsafe(self._send_all(callbacks), self._loop).result()

    async def _send_all(self, callbacks: Sequence[OutgoingCallback]) -> list[SendResult]:
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self._concurrency)
        return list(await asyncio.gather(*(self._send_bounded(c) for c in callbacks)))

    async def _send_bounded(self, callback: OutgoingCallback) -> SendResult:
        assert self._semaphore is not None
        async with self._semaphore:
            began = time.monotonic()
            try:
                async with asyncio.timeout(self._timeout):
                    status, retry_after = await self._send(callback)
            except BlockedDestination as exc:
                return SendResult(None, error=f"destination not allowed: {exc.reason}", began=began)
            except TimeoutError:
                return SendResult(None, error="timeout", began=began, elapsed=time.monotonic() - began)
            except (OSError, ValueError, EOFError, ResponseError, httpx.InvalidURL) as exc:
                error = f"connection failed: {type(exc).__name__}"
                return SendResult(None, error=error, began=began, elapsed=time.monotonic() - began)
            return SendResult(status, retry_after, began=began, elapsed=time.monotonic() - began)

    async def _send(self, callback: OutgoingCallback) -> tuple[int, str | None]:
        url = httpx.URL(callback.url)
        addresses = await pinned_addresses_async(url, self._resolver, self._policy)
        head = _request_head(url, callback.body, callback.headers)
        secure = url.scheme == "https"
        port = url.port if url.port is not None else (443 if secure else 80)
        last_error: OSError | None = None
        for ip in addresses:
            key = (str(ip), port)
            conn = None if secure else self._take_idle(key)
            if conn is not None:
                try:
                    return await self._exchange(conn, key, head, callback.body, secure)
                except (OSError, EOFError):
                    pass  # the receiver closed the idle connection meanwhile: one fresh try
            try:
                conn = await asyncio.open_connection(
                    str(ip),
                    port,
                    ssl=self._tls if secure else None,
                    server_hostname=url.raw_host.decode("ascii") if secure else None,
                )
            except OSError as exc:  # try the next checked address
                last_error = exc
                continue
            return await self._exchange(conn, key, head, callback.body, secure)
        assert last_error is not None
        raise last_error

    def _take_idle(self, key: tuple[str, int]) -> _Conn | None:
        idle = self._idle.get(key)
        while idle:
            reader, writer = idle.pop()
            if not reader.at_eof() and not writer.is_closing():
                return reader, writer
            writer.close()
        return None

    async def _exchange(
        self, conn: _Conn, key: tuple[str, int], head: bytes, body: bytes, secure: bool
    ) -> tuple[int, str | None]:
        reader, writer = conn
        reusable = False
        try:
            writer.write(head + body)
            status, retry_after, reusable = await _read_response(reader)
        finally:
            idle = self._idle.setdefault(key, [])
            if reusable and not secure and len(idle) < self._max_idle:
                idle.append(conn)
            else:
                writer.close()
        return status, retry_after

    def close(self) -> None:
        async def drop() -> None:
            for idle in self._idle.values():
                for _reader, writer in idle:
                    writer.close()
            self._idle.clear()

        if self._loop.is_running():
            asyncio.run_coroutine_threadsafe(drop(), self._loop).result(5)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)
        if not self._loop.is_running():
            self._loop.close()


class LiteralUrlGuard:
    """Registration-time check of a callback URL (no DNS lookup)."""

    def __init__(self, policy: AddressPolicy) -> None:
        self._policy = policy

    def check(self, url: str, field: str = "callbackUrl") -> None:
        try:
            check_url_literal(url, self._policy)
        except BlockedDestination as exc:
            raise InvalidArgument(
                "invalid callback URL", [FieldViolation(field, f"not an allowed callback URL: {exc.reason}")]
            ) from exc

"""Sending callbacks over HTTP, through the SSRF guard.

`HttpCallbackSender` POSTs the exact bytes with `httpx`, through `PinnedTransport` (resolve once,
drop blocked addresses, connect to the checked address), never following redirects, with a total
timeout. `AsyncCallbackSender` does the same for whole batches with aiohttp on one event loop (the
dispatcher's fast path; httpx's async client is several times slower per request). `LiteralUrlGuard`
is the registration-time check of a callback URL.
"""

from __future__ import annotations

import asyncio
import ipaddress
import threading
import time
from collections.abc import Mapping, Sequence

import aiohttp
import httpx
from yarl import URL

from numberdesk.adapters.ssrf import (
    AddressPolicy,
    BlockedDestination,
    IPNetwork,
    PinnedTransport,
    PolicyResolver,
    Resolver,
    SystemResolver,
    check_url_literal,
    checked_request_url,
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


_MAX_READ = 4096  # of a response body: enough to keep a small answer's connection reusable


class AsyncCallbackSender:
    """Sends callbacks with aiohttp from one event-loop thread, up to `concurrency` at a time.

    Same guarantees as `HttpCallbackSender`: every new connection goes through the SSRF guard
    (`PolicyResolver`: one lookup, blocked addresses dropped, aiohttp connects only to the checked
    addresses; `checked_request_url` refuses blocked IP literals, which aiohttp never resolves),
    `Host` and, for https, SNI and certificate verification use the URL's name, no redirect is
    ever followed, and each attempt has a total timeout. Connections are kept alive per (name,
    port, TLS) by aiohttp; a kept-alive connection stays bound to the address checked when it was
    opened. No cookies are kept (a receiver cannot plant state in another's requests), and no
    proxy from the environment is used. At most `_MAX_READ` bytes of an answer's body are read.
    """

    def __init__(
        self,
        policy: AddressPolicy,
        timeout_seconds: float = 10.0,
        resolver: Resolver | None = None,
        concurrency: int = 64,
    ) -> None:
        self._policy = policy
        self._timeout = timeout_seconds
        self._resolver = resolver or SystemResolver()
        self._concurrency = concurrency
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="callback-sender", daemon=True)
        self._thread.start()
        self._semaphore, self._session = asyncio.run_coroutine_threadsafe(self._open(), self._loop).result()

    async def _open(self) -> tuple[asyncio.Semaphore, aiohttp.ClientSession]:
        connector = aiohttp.TCPConnector(
            resolver=PolicyResolver(self._resolver, self._policy),
            use_dns_cache=False,  # every new connection is checked against a fresh answer
            limit=self._concurrency,
            enable_cleanup_closed=True,
        )
        session = aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(total=self._timeout),
            headers={"User-Agent": USER_AGENT},
            cookie_jar=aiohttp.DummyCookieJar(),
            trust_env=False,
        )
        return asyncio.Semaphore(self._concurrency), session

    def send(self, url: str, body: bytes, headers: Mapping[str, str]) -> SendResult:
        return self.send_many([OutgoingCallback(url, body, headers)])[0]

    def send_many(self, callbacks: Sequence[OutgoingCallback]) -> list[SendResult]:
        return asyncio.run_coroutine_threadsafe(self._send_all(callbacks), self._loop).result()

    async def _send_all(self, callbacks: Sequence[OutgoingCallback]) -> list[SendResult]:
        return list(await asyncio.gather(*(self._send_bounded(c) for c in callbacks)))

    async def _send_bounded(self, callback: OutgoingCallback) -> SendResult:
        async with self._semaphore:
            began = time.monotonic()
            try:
                url = checked_request_url(callback.url, self._policy)
                status, retry_after = await self._post(url, callback)
            except BlockedDestination as exc:
                return SendResult(None, error=f"destination not allowed: {exc.reason}", began=began)
            except TimeoutError:
                return SendResult(None, error="timeout", began=began, elapsed=time.monotonic() - began)
            except (aiohttp.ClientError, OSError, ValueError) as exc:
                error = f"connection failed: {type(exc).__name__}"
                return SendResult(None, error=error, began=began, elapsed=time.monotonic() - began)
            return SendResult(status, retry_after, began=began, elapsed=time.monotonic() - began)

    async def _post(self, url: URL, callback: OutgoingCallback) -> tuple[int, str | None]:
        async with self._session.post(
            url, data=callback.body, headers=dict(callback.headers), allow_redirects=False
        ) as response:
            await response.content.read(_MAX_READ)  # a longer body is dropped with its connection
            return response.status, response.headers.get("Retry-After")

    def close(self) -> None:
        if self._loop.is_running():
            asyncio.run_coroutine_threadsafe(self._session.close(), self._loop).result(5)
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

"""Sending callbacks over HTTP, through the SSRF guard.

`HttpCallbackSender` POSTs the exact bytes with `httpx`, through `PinnedTransport` (resolve once,
drop blocked addresses, connect to the checked address), never following redirects, with a total
timeout. `LiteralUrlGuard` is the registration-time check of a callback URL.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

import httpx

from numberdesk.adapters.ssrf import (
    AddressPolicy,
    BlockedDestination,
    IPNetwork,
    PinnedTransport,
    Resolver,
    SystemResolver,
    check_url_literal,
)
from numberdesk.domain.errors import FieldViolation, InvalidArgument
from numberdesk.services.callbacks import SendResult

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

"""SSRF guard for outgoing callback connections.

Callback URLs come from API clients, so a delivery must never reach the deployment's own network:
loopback, private ranges, link-local (which holds cloud metadata at 169.254.169.254), CGNAT,
multicast, reserved space, or IPv6 forms that embed such an IPv4 address.

Two checks:

* `check_url_literal(url, policy)` at registration time: scheme, port, literal IPs (including the
  legacy forms `127.1`, `2130706433`, `0x7f000001` that resolvers accept) and `localhost`.
* At send time, for each new connection: the host is resolved once, blocked addresses are dropped,
  and the connection is opened to a checked IP. There is no second lookup for the connection, so
  DNS rebinding has no window. If nothing is left, `BlockedDestination` is raised before any
  connection is opened.
  - httpx (sync): `PinnedTransport` rewrites the URL host to the checked IP; `Host` keeps the
    original name and, for https, the `sni_hostname` extension makes TLS send and verify it. Use it
    as `httpx.Client(transport=PinnedTransport(SystemResolver(), policy), follow_redirects=False)`.
    Passing `transport=` also stops httpx from mounting proxies from the environment, which would
    bypass the guard; do not add `mounts=`/`proxy=` to that client.
  - aiohttp: `PolicyResolver` is the connector's resolver (aiohttp connects to exactly the addresses
    a resolver returns, and verifies TLS for the URL's name). aiohttp never asks the resolver about
    a host it takes for an IP literal, so call `checked_request_url(url, policy)` first and send to
    the `yarl.URL` it returns. Keep `trust_env=False` (no proxies from the environment).
  Other clients call `pinned_addresses(url, resolver, policy)` and connect only to what it returns.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import httpx
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.helpers import is_ip_address
from yarl import URL

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_V4 = ipaddress.IPv4Network
_V6 = ipaddress.IPv6Network

BLOCKED_IPV4_NETWORKS: tuple[ipaddress.IPv4Network, ...] = (
    _V4("0.0.0.0/8"),  # "this network"; 0.0.0.0 reaches the local host on Linux
    _V4("10.0.0.0/8"),  # RFC 1918
    _V4("100.64.0.0/10"),  # carrier-grade NAT (RFC 6598)
    _V4("127.0.0.0/8"),  # loopback
    _V4("169.254.0.0/16"),  # link-local, cloud metadata (169.254.169.254)
    _V4("172.16.0.0/12"),  # RFC 1918
    _V4("192.0.0.0/24"),  # IETF protocol assignments
    _V4("192.0.2.0/24"),  # TEST-NET-1
    _V4("192.88.99.0/24"),  # 6to4 relay anycast (deprecated)
    _V4("192.168.0.0/16"),  # RFC 1918
    _V4("198.18.0.0/15"),  # benchmarking
    _V4("198.51.100.0/24"),  # TEST-NET-2
    _V4("203.0.113.0/24"),  # TEST-NET-3
    _V4("224.0.0.0/4"),  # multicast
    _V4("240.0.0.0/4"),  # reserved, and 255.255.255.255 broadcast
)

BLOCKED_IPV6_NETWORKS: tuple[ipaddress.IPv6Network, ...] = (
    _V6("::/128"),  # unspecified
    _V6("::1/128"),  # loopback
    _V6("::ffff:0:0/96"),  # IPv4-mapped (judged by the embedded IPv4 address before this list)
    _V6("::/96"),  # IPv4-compatible (deprecated)
    _V6("64:ff9b:1::/48"),  # local-use NAT64
    _V6("100::/64"),  # discard-only
    _V6("2001::/23"),  # IETF protocol assignments, incl. Teredo 2001::/32
    _V6("2001:db8::/32"),  # documentation
    _V6("3fff::/20"),  # documentation
    _V6("5f00::/16"),  # SRv6 SIDs
    _V6("fc00::/7"),  # unique local
    _V6("fe80::/10"),  # link-local
    _V6("fec0::/10"),  # site-local (deprecated)
    _V6("ff00::/8"),  # multicast
)

_NAT64 = _V6("64:ff9b::/96")  # well-known NAT64 prefix: the translator forwards to the embedded IPv4
_DEFAULT_PORTS = {"http": 80, "https": 443}


class BlockedDestination(Exception):
    """A callback destination the policy refuses. The message names the host, never the URL's path,
    query or credentials, and never the addresses the host resolved to."""

    def __init__(self, host: str, reason: str) -> None:
        super().__init__(f"callback destination {host!r} is not allowed: {reason}")
        self.host = host
        self.reason = reason


class Resolver(Protocol):
    def resolve(self, host: str, port: int) -> list[str]:
        """The IP addresses (as strings) `host` resolves to, in preference order.

        Raises OSError (e.g. socket.gaierror) when the name cannot be resolved."""
        ...


class SystemResolver:
    """The operating system's resolver (`socket.getaddrinfo`). It has no timeout of its own."""

    def resolve(self, host: str, port: int) -> list[str]:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        seen: dict[str, None] = {}
        for _family, _type, _proto, _canonname, sockaddr in infos:
            seen.setdefault(str(sockaddr[0]), None)
        return list(seen)


def _parse_ip(value: str | IPAddress) -> IPAddress | None:
    if isinstance(value, ipaddress.IPv4Address | ipaddress.IPv6Address):
        return value
    try:
        return ipaddress.ip_address(value.replace("%25", "%"))
    except ValueError:
        return None


def _effective(ip: IPAddress) -> IPAddress:
    """The address a packet really reaches: the IPv4 inside IPv4-mapped and NAT64 addresses."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip in _NAT64:
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


def _is_special(ip: IPAddress) -> bool:
    if isinstance(ip, ipaddress.IPv4Address):
        listed = any(ip in net for net in BLOCKED_IPV4_NETWORKS)
    else:
        listed = any(ip in net for net in BLOCKED_IPV6_NETWORKS) or ip.is_site_local
    return (
        listed
        or ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_unspecified
        or ip.is_reserved
        or not ip.is_global
    )


@dataclass(frozen=True)
class AddressPolicy:
    """Which IP addresses callbacks may connect to: public unicast only, unless widened.

    `allow_loopback` admits 127.0.0.0/8 and ::1 (sandbox, tests, a receiver on the same host).
    `allowed_networks` admits whole networks an operator trusts (e.g. a private receiver subnet);
    they override every other rule, including link-local.
    """

    allow_loopback: bool = False
    allowed_networks: Sequence[IPNetwork] = ()

    def is_blocked(self, ip: str | IPAddress) -> bool:
        parsed = _parse_ip(ip)
        if parsed is None:
            return True
        target = _effective(parsed)
        for net in self.allowed_networks:
            if (target.version == net.version and target in net) or (
                parsed.version == net.version and parsed in net
            ):
                return False
        if self.allow_loopback and target.is_loopback:
            return False
        if _is_special(target):
            return True
        # A 6to4 address (2002::/16) carries an IPv4 destination; judge that one too. (Teredo,
        # 2001::/32, is already inside the blocked 2001::/23.)
        return (
            isinstance(target, ipaddress.IPv6Address)
            and target.sixtofour is not None
            and _is_special(target.sixtofour)
        )


def _legacy_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """`127.1`, `2130706433`, `0x7f000001`, `0177.0.0.1`: forms inet_aton (and so getaddrinfo) accepts."""
    if not host or any(c not in "0123456789abcdefxABCDEFX." for c in host):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def _literal_ip(host: str) -> IPAddress | None:
    return _parse_ip(host) or _legacy_ipv4(host)


def check_url_literal(url: str, policy: AddressPolicy) -> None:
    """Registration-time check of a callback URL, without any DNS lookup.

    Raises BlockedDestination for a scheme other than http/https, a missing host, a bad port, a
    literal IP the policy blocks, or `localhost`/`*.localhost` (unless loopback is allowed). Names
    that resolve to blocked addresses are caught at send time by `PinnedTransport`.
    """
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise BlockedDestination("", "not a valid URL") from exc
    host = parsed.host.rstrip(".").lower()
    if parsed.scheme not in _DEFAULT_PORTS:
        raise BlockedDestination(host, "only http and https URLs are allowed")
    if not host:
        raise BlockedDestination(host, "the URL has no host")
    if parsed.port is not None and not 1 <= parsed.port <= 65535:
        raise BlockedDestination(host, "invalid port")
    literal = _literal_ip(host)
    if literal is not None:
        if policy.is_blocked(literal):
            raise BlockedDestination(host, "the address is not publicly routable")
        return
    if (host == "localhost" or host.endswith(".localhost")) and not policy.allow_loopback:
        raise BlockedDestination(host, "loopback destinations are not allowed")


def _no_keepalive_transport() -> httpx.BaseTransport:
    return httpx.HTTPTransport(limits=httpx.Limits(max_keepalive_connections=0))


def _target(url: httpx.URL) -> tuple[str, int]:
    """The URL's host and port, or BlockedDestination for a scheme or host we never call."""
    host = url.raw_host.decode("ascii")
    if url.scheme not in _DEFAULT_PORTS:
        raise BlockedDestination(host, "only http and https URLs are allowed")
    if not host:
        raise BlockedDestination(host, "the URL has no host")
    return host, url.port if url.port is not None else _DEFAULT_PORTS[url.scheme]


def _unique_ips(resolved: Sequence[str]) -> list[IPAddress]:
    unique: dict[IPAddress, None] = {}
    for value in resolved:
        ip = _parse_ip(value)
        if ip is not None:
            unique.setdefault(ip, None)
    return list(unique)


def _allowed(policy: AddressPolicy, host: str, candidates: list[IPAddress]) -> list[IPAddress]:
    allowed = [ip for ip in candidates if not policy.is_blocked(ip)]
    if not allowed:
        raise BlockedDestination(host, "it resolves only to addresses that are not allowed")
    return allowed


def pinned_addresses(url: httpx.URL, resolver: Resolver, policy: AddressPolicy) -> list[IPAddress]:
    """The checked addresses to connect to for `url`, resolved once, in preference order.

    Raises BlockedDestination (scheme, host, or nothing allowed left) before any connection, and
    OSError when the name cannot be resolved. Connect only to what this returns.
    """
    host, port = _target(url)
    literal = _literal_ip(host)
    candidates = [literal] if literal is not None else _unique_ips(resolver.resolve(host, port))
    return _allowed(policy, host, candidates)


def _pin(request: httpx.Request, ip: IPAddress, host: str) -> httpx.Request:
    headers = request.headers.copy()
    if "host" not in headers:
        headers["Host"] = request.url.netloc.decode("ascii")
    extensions = dict(request.extensions)
    if request.url.scheme == "https":
        extensions["sni_hostname"] = host
    return httpx.Request(
        request.method,
        request.url.copy_with(host=str(ip)),
        headers=headers,
        stream=request.stream,
        extensions=extensions,
    )


class PinnedTransport(httpx.BaseTransport):
    """An httpx transport that connects only to addresses `policy` allows, pinned per request.

    `inner` does the actual HTTP. The default keeps no idle connections: httpcore pools connections
    by (scheme, IP, port) and ignores `sni_hostname`, so a pooled TLS connection verified for one
    hostname could otherwise be reused for another hostname on the same IP. If you pass a pooling
    `inner`, use one PinnedTransport per receiver hostname.
    """

    def __init__(
        self,
        resolver: Resolver,
        policy: AddressPolicy,
        inner: httpx.BaseTransport | None = None,
    ) -> None:
        self._resolver = resolver
        self._policy = policy
        self._inner = inner if inner is not None else _no_keepalive_transport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        host, _port = _target(request.url)
        try:
            allowed = pinned_addresses(request.url, self._resolver, self._policy)
        except OSError as exc:
            raise httpx.ConnectError(f"could not resolve {host!r}", request=request) from exc
        last_error: httpx.ConnectError | None = None
        for ip in allowed:
            try:
                return self._inner.handle_request(_pin(request, ip, host))
            except httpx.ConnectError as exc:  # try the next checked address
                last_error = exc
        assert last_error is not None
        raise last_error

    def close(self) -> None:
        self._inner.close()


def checked_request_url(url: str, policy: AddressPolicy) -> URL:
    """`url` parsed the way aiohttp will use it, after the checks its resolver cannot make.

    `check_url_literal` (scheme, port, literal and legacy-form IPs, `localhost`), then the same
    judgement on the host as yarl parses it: aiohttp connects to anything it takes for an IP
    literal without asking the resolver, so such a host must be an address the policy allows.
    Raises BlockedDestination; send to the returned URL so no other parse decides the target.
    """
    check_url_literal(url, policy)
    try:
        parsed = URL(url)
    except (ValueError, TypeError) as exc:
        raise BlockedDestination("", "not a valid URL") from exc
    host = parsed.raw_host or ""
    if parsed.scheme not in _DEFAULT_PORTS:
        raise BlockedDestination(host, "only http and https URLs are allowed")
    if not host:
        raise BlockedDestination(host, "the URL has no host")
    literal = _literal_ip(host.rstrip("."))
    if literal is None and is_ip_address(host):
        raise BlockedDestination(host, "the address is not a valid IP address")
    if literal is not None and policy.is_blocked(literal):
        raise BlockedDestination(host, "the address is not publicly routable")
    return parsed


class PolicyResolver(AbstractResolver):
    """An aiohttp resolver that answers only addresses `policy` allows.

    Each call is one lookup through `resolver` (blocking, so it runs in the event loop's thread
    pool); blocked addresses are dropped, and BlockedDestination is raised if none remain. aiohttp
    then connects only to the returned addresses, so the address checked is the address used. A
    resolution failure propagates as the resolver's OSError (aiohttp wraps it in
    ClientConnectorDNSError). Use with `TCPConnector(resolver=..., use_dns_cache=False)` so every
    new connection is checked against a fresh answer.
    """

    def __init__(self, resolver: Resolver, policy: AddressPolicy) -> None:
        self._resolver = resolver
        self._policy = policy

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        loop = asyncio.get_running_loop()
        answers = await loop.run_in_executor(None, self._resolver.resolve, host, port)
        allowed = _allowed(self._policy, host, _unique_ips(answers))
        results: list[ResolveResult] = []
        for ip in allowed:
            ip_family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
            if family not in (socket.AF_UNSPEC, ip_family):
                continue
            results.append(
                ResolveResult(
                    hostname=host,
                    host=str(ip),
                    port=port,
                    family=ip_family,
                    proto=0,
                    flags=socket.AI_NUMERICHOST,
                )
            )
        if not results:
            raise socket.gaierror(socket.EAI_ADDRFAMILY, "no allowed address of the requested family")
        return results

    async def close(self) -> None:
        return None

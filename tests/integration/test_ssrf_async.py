"""AsyncPinnedTransport: the same guarantees as PinnedTransport, on `httpx.AsyncClient`.

Only loopback connections are ever opened; every other destination is refused before a
connection exists or handed to a recording fake that never touches the network.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

import httpx
import pytest

from numberdesk.adapters.ssrf import AddressPolicy, AsyncPinnedTransport, BlockedDestination
from tests.integration.test_ssrf import FakeResolver, Received, receiver, resolver

__all__ = ["receiver"]  # the loopback receiver fixture, shared with the sync tests

T = TypeVar("T")


def run(factory: Callable[[], Awaitable[T]]) -> T:
    async def main() -> T:
        return await factory()

    return asyncio.run(main())


class MustNotConnect(httpx.AsyncBaseTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        pytest.fail(f"a connection was attempted to {request.url.host}")


@dataclass
class Recorder(httpx.AsyncBaseTransport):
    fail_connect_to: set[str] = field(default_factory=set)
    seen: list[httpx.Request] = field(default_factory=list)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        if request.url.host in self.fail_connect_to:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(204)


class LoopbackOnly(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host != "127.0.0.1":
            pytest.fail(f"refusing to connect to non-loopback {request.url.host}")
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


async def post(transport: httpx.AsyncBaseTransport, url: str, **kwargs: object) -> httpx.Response:
    async with httpx.AsyncClient(transport=transport, follow_redirects=False, timeout=5) as client:
        return await client.post(url, content=b"{}", **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "ips",
    [["10.0.0.5"], ["127.0.0.1"], ["169.254.169.254"], ["::1", "fd00::2"], ["::ffff:192.168.0.1"], [], ["x"]],
)
def test_host_resolving_only_to_blocked_addresses_is_refused_before_connecting(ips: list[str]) -> None:
    fake = resolver(hook_example_com=ips)
    with pytest.raises(BlockedDestination):
        run(
            lambda: post(
                AsyncPinnedTransport(fake, AddressPolicy(), MustNotConnect()), "https://hook.example.com/"
            )
        )
    assert fake.lookups == [("hook.example.com", 443)]


@pytest.mark.parametrize(
    "url", ["http://169.254.169.254/x", "http://127.0.0.1:8080/", "http://[::1]/", "http://0x7f000001/"]
)
def test_literal_blocked_ip_is_refused_without_lookup_or_connection(url: str) -> None:
    fake = resolver()
    with pytest.raises(BlockedDestination):
        run(lambda: post(AsyncPinnedTransport(fake, AddressPolicy(), MustNotConnect()), url))
    assert fake.lookups == []


def test_non_http_scheme_is_refused() -> None:
    transport = AsyncPinnedTransport(resolver(), AddressPolicy(), MustNotConnect())
    with pytest.raises(BlockedDestination):
        run(lambda: transport.handle_async_request(httpx.Request("GET", "ftp://files.example.com/x")))


def test_resolution_failure_is_a_connect_error_and_opens_nothing() -> None:
    with pytest.raises(httpx.ConnectError):
        run(
            lambda: post(
                AsyncPinnedTransport(resolver(), AddressPolicy(), MustNotConnect()), "https://nx.example.com/"
            )
        )


def test_request_is_pinned_to_the_allowed_address_with_host_and_sni_of_the_name() -> None:
    recorder = Recorder()
    fake = resolver(hook_example_com=["10.0.0.1", "8.8.8.8"])
    response = run(
        lambda: post(
            AsyncPinnedTransport(fake, AddressPolicy(), recorder), "https://hook.example.com:8443/cb?x=1"
        )
    )
    assert response.status_code == 204
    [sent] = recorder.seen
    assert str(sent.url) == "https://8.8.8.8:8443/cb?x=1"
    assert sent.headers["host"] == "hook.example.com:8443"
    assert sent.extensions["sni_hostname"] == "hook.example.com"
    assert response.request.url.host == "hook.example.com"


def test_plain_http_gets_no_sni_extension_and_ipv6_is_bracketed() -> None:
    recorder = Recorder()
    fake = resolver(hook_example_com=["2606:4700:4700::1111"])
    run(lambda: post(AsyncPinnedTransport(fake, AddressPolicy(), recorder), "http://hook.example.com/cb"))
    [sent] = recorder.seen
    assert str(sent.url) == "http://[2606:4700:4700::1111]/cb"
    assert "sni_hostname" not in sent.extensions


def test_next_allowed_address_is_tried_when_connecting_fails_and_the_last_error_propagates() -> None:
    recorder = Recorder(fail_connect_to={"8.8.8.8"})
    fake = resolver(hook_example_com=["8.8.8.8", "192.168.0.2", "8.8.4.4"])
    assert (
        run(
            lambda: post(AsyncPinnedTransport(fake, AddressPolicy(), recorder), "https://hook.example.com/")
        ).status_code
        == 204
    )
    assert [r.url.host for r in recorder.seen] == ["8.8.8.8", "8.8.4.4"]
    only = resolver(hook_example_com=["8.8.8.8"])
    with pytest.raises(httpx.ConnectError):
        run(lambda: post(AsyncPinnedTransport(only, AddressPolicy(), recorder), "https://hook.example.com/"))


def test_dns_rebinding_gets_no_window() -> None:
    recorder = Recorder()
    fake = FakeResolver({"rebind.example.com": [["8.8.8.8"], ["127.0.0.1"]]})
    transport = AsyncPinnedTransport(fake, AddressPolicy(), recorder)

    async def twice() -> None:
        async with httpx.AsyncClient(transport=transport) as client:
            await client.post("http://rebind.example.com/", content=b"{}")
            with pytest.raises(BlockedDestination):
                await client.post("http://rebind.example.com/", content=b"{}")

    run(twice)
    assert [r.url.host for r in recorder.seen] == ["8.8.8.8"]
    assert len(fake.lookups) == 2


def test_default_inner_transport_keeps_no_idle_connections() -> None:
    transport = AsyncPinnedTransport(resolver(), AddressPolicy())
    inner = transport._inner
    assert isinstance(inner, httpx.AsyncHTTPTransport)
    assert inner._pool._max_keepalive_connections == 0


def test_loopback_receiver_is_reached_when_allowed_and_refused_by_default(
    receiver: tuple[int, list[Received]],
) -> None:
    port, received = receiver
    url = f"http://receiver.test:{port}/hook"
    fake = resolver(receiver_test=["127.0.0.1"])
    allowed = AsyncPinnedTransport(fake, AddressPolicy(allow_loopback=True), LoopbackOnly())
    response = run(lambda: post(allowed, url, headers={"X-Sinch-Signature": "abc"}))
    assert response.status_code == 200
    [got] = received
    assert got.path == "/hook" and got.headers["host"] == f"receiver.test:{port}"
    assert got.headers["x-sinch-signature"] == "abc"
    with pytest.raises(BlockedDestination):
        run(lambda: post(AsyncPinnedTransport(fake, AddressPolicy(), LoopbackOnly()), url))
    assert len(received) == 1


def test_redirects_are_not_followed_and_would_be_checked_anyway(receiver: tuple[int, list[Received]]) -> None:
    port, _ = receiver
    fake = resolver(receiver_test=["127.0.0.1"], metadata_test=["169.254.169.254"])
    transport = AsyncPinnedTransport(fake, AddressPolicy(allow_loopback=True), LoopbackOnly())
    assert run(lambda: post(transport, f"http://receiver.test:{port}/redirect")).status_code == 302

    async def follow() -> None:
        async with httpx.AsyncClient(transport=transport, follow_redirects=True, timeout=5) as client:
            await client.post(f"http://receiver.test:{port}/redirect", content=b"{}")

    with pytest.raises(BlockedDestination):
        run(follow)

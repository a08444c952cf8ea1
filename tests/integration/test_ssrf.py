"""SSRF guard for callback deliveries.

Only loopback connections are ever opened here. Every other destination is either refused before a
connection exists or handed to a recording fake that never touches the network; the real transport
is wrapped in `LoopbackOnly`, which fails the test rather than connect anywhere but 127.0.0.1.
"""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from numberdesk.adapters.ssrf import (
    AddressPolicy,
    BlockedDestination,
    PinnedTransport,
    SystemResolver,
    check_url_literal,
)

# ---------------------------------------------------------------------------------------------
# Fakes of the outside world


@dataclass
class FakeResolver:
    """Answers from a table; a list of answers per host is consumed one lookup at a time."""

    table: dict[str, list[list[str]]]
    lookups: list[tuple[str, int]] = field(default_factory=list)

    def resolve(self, host: str, port: int) -> list[str]:
        self.lookups.append((host, port))
        answers = self.table.get(host)
        if not answers:
            raise OSError(f"no such host {host}")
        return answers.pop(0) if len(answers) > 1 else answers[0]


def resolver(**hosts: list[str]) -> FakeResolver:
    return FakeResolver({name.replace("_", "."): [ips] for name, ips in hosts.items()})


class MustNotConnect(httpx.BaseTransport):
    def handle_request(self, request: httpx.Request) -> httpx.Response:
        pytest.fail(f"a connection was attempted to {request.url.host}")


@dataclass
class Recorder(httpx.BaseTransport):
    """Stands in for the network: records what would have been sent and answers 204."""

    fail_connect_to: set[str] = field(default_factory=set)
    seen: list[httpx.Request] = field(default_factory=list)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        if request.url.host in self.fail_connect_to:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(204)


class LoopbackOnly(httpx.BaseTransport):
    """The real transport, but only ever towards 127.0.0.1."""

    def __init__(self) -> None:
        self._inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host != "127.0.0.1":
            pytest.fail(f"refusing to connect to non-loopback {request.url.host}")
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@pytest.fixture
def receiver() -> Iterator[tuple[int, list[Received]]]:
    received: list[Received] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            received.append(
                Received("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            )
            if self.path == "/redirect":
                self.send_response(302)
                self.send_header("Location", "http://metadata.test/latest/meta-data/")
            else:
                self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], received
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# ---------------------------------------------------------------------------------------------
# AddressPolicy

BLOCKED = [
    "127.0.0.1",
    "127.255.255.254",
    "10.0.0.1",
    "172.16.5.4",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "169.254.0.1",
    "100.64.0.1",  # CGNAT
    "100.127.255.254",
    "0.0.0.0",
    "0.1.2.3",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "192.0.0.8",
    "192.0.2.10",
    "198.18.0.1",
    "198.51.100.7",
    "203.0.113.9",
    "::",
    "::1",
    "fc00::1",
    "fd12:3456:789a::1",  # ULA
    "fe80::1",
    "fe80::1%eth0",
    "fec0::1",
    "ff02::1",
    "::ffff:127.0.0.1",  # IPv4-mapped loopback
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "::ffff:100.64.0.1",
    "::ffff:0.0.0.0",
    "::127.0.0.1",  # IPv4-compatible
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "64:ff9b:1::1",
    "2002:a00:1::1",  # 6to4 of 10.0.0.1
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    "2001:db8::1",
    "100::1",
    "not an ip",
    "",
]

PUBLIC = [
    "8.8.8.8",
    "93.184.216.34",
    "100.63.255.255",  # just below CGNAT
    "100.128.0.1",  # just above CGNAT
    "172.15.255.255",
    "172.32.0.1",
    "2606:4700:4700::1111",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",  # NAT64 of 8.8.8.8
    "2002:808:808::1",  # 6to4 of 8.8.8.8
]


@pytest.mark.parametrize("ip", BLOCKED)
def test_policy_blocks_non_public_addresses(ip: str) -> None:
    assert AddressPolicy().is_blocked(ip)


@pytest.mark.parametrize("ip", PUBLIC)
def test_policy_allows_public_addresses(ip: str) -> None:
    assert not AddressPolicy().is_blocked(ip)
    assert not AddressPolicy().is_blocked(ipaddress.ip_address(ip))


@pytest.mark.parametrize("ip", ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"])
def test_allow_loopback_admits_loopback_only(ip: str) -> None:
    assert not AddressPolicy(allow_loopback=True).is_blocked(ip)


@pytest.mark.parametrize("ip", ["10.0.0.1", "169.254.169.254", "0.0.0.0", "::", "fe80::1", "2002:7f00:1::1"])
def test_allow_loopback_keeps_other_ranges_blocked(ip: str) -> None:
    assert AddressPolicy(allow_loopback=True).is_blocked(ip)


def test_allowed_networks_override() -> None:
    policy = AddressPolicy(
        allowed_networks=[ipaddress.ip_network("10.1.0.0/16"), ipaddress.ip_network("fd00:1::/32")]
    )
    assert not policy.is_blocked("10.1.2.3")
    assert not policy.is_blocked("::ffff:10.1.2.3")
    assert not policy.is_blocked("fd00:1::5")
    assert policy.is_blocked("10.2.0.1")
    assert policy.is_blocked("fd00:2::5")
    assert policy.is_blocked("127.0.0.1")


# ---------------------------------------------------------------------------------------------
# check_url_literal (registration time, no DNS)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://callbacks.example.com/",
        "file:///etc/passwd",
        "gopher://callbacks.example.com/",
        "callbacks.example.com/hook",
        "http:///hook",
        "http://127.0.0.1/hook",
        "http://127.1/",
        "http://2130706433/",
        "http://0x7f000001/",
        "http://0177.0.0.1/",
        "http://10.0.0.1:8080/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fd00::1]/",
        "http://[fe80::1%25eth0]/",
        "http://0.0.0.0/",
        "http://localhost/",
        "http://LOCALHOST./",
        "http://callbacks.localhost/",
        "https://callbacks.example.com:0/",
        "https://callbacks.example.com:99999/",
        "http://evil.example\\@127.0.0.1/",
        "not a url at all",
    ],
)
def test_check_url_literal_rejects(url: str) -> None:
    with pytest.raises(BlockedDestination):
        check_url_literal(url, AddressPolicy())


@pytest.mark.parametrize(
    "url",
    [
        "https://callbacks.example.com/hook",
        "http://callbacks.example.com:8080/hook?token=x",
        "https://8.8.8.8/hook",
        "https://[2606:4700:4700::1111]/hook",
        "https://deadbeef.example/hook",
    ],
)
def test_check_url_literal_accepts_public_urls(url: str) -> None:
    check_url_literal(url, AddressPolicy())


@pytest.mark.parametrize(
    "url", ["http://localhost:8080/", "http://127.0.0.1:9/", "http://[::1]/", "http://a.localhost/"]
)
def test_check_url_literal_admits_loopback_when_allowed(url: str) -> None:
    check_url_literal(url, AddressPolicy(allow_loopback=True))


def test_blocked_destination_message_leaks_no_path_query_or_credentials() -> None:
    with pytest.raises(BlockedDestination) as info:
        check_url_literal("http://user:hunter2@10.0.0.1/hook?token=s3cret", AddressPolicy())
    assert "hunter2" not in str(info.value)
    assert "s3cret" not in str(info.value)
    assert info.value.host == "10.0.0.1"


# ---------------------------------------------------------------------------------------------
# PinnedTransport: refusals happen before any connection


@pytest.mark.parametrize(
    "ips",
    [
        ["10.0.0.5"],
        ["127.0.0.1"],
        ["169.254.169.254"],
        ["::1", "fd00::2"],
        ["::ffff:192.168.0.1"],
        ["100.64.1.1", "0.0.0.0"],
        [],
        ["garbage"],
    ],
)
def test_host_resolving_only_to_blocked_addresses_is_refused_before_connecting(ips: list[str]) -> None:
    fake = resolver(hook_example_com=ips)
    client = httpx.Client(transport=PinnedTransport(fake, AddressPolicy(), inner=MustNotConnect()))
    with client, pytest.raises(BlockedDestination):
        client.post("https://hook.example.com/cb", content=b"{}")
    assert fake.lookups == [("hook.example.com", 443)]


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:8080/",
        "http://[::1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://2130706433/",
        "http://0x7f000001/",
    ],
)
def test_literal_blocked_ip_is_refused_without_lookup_or_connection(url: str) -> None:
    fake = resolver()
    transport = PinnedTransport(fake, AddressPolicy(), inner=MustNotConnect())
    with pytest.raises(BlockedDestination):
        transport.handle_request(httpx.Request("POST", url, content=b"{}"))
    assert fake.lookups == []


def test_non_http_scheme_is_refused() -> None:
    transport = PinnedTransport(resolver(), AddressPolicy(), inner=MustNotConnect())
    with pytest.raises(BlockedDestination):
        transport.handle_request(httpx.Request("GET", "ftp://files.example.com/x"))


def test_resolution_failure_is_a_connect_error_and_opens_nothing() -> None:
    transport = PinnedTransport(resolver(), AddressPolicy(), inner=MustNotConnect())
    with pytest.raises(httpx.ConnectError):
        transport.handle_request(httpx.Request("POST", "https://unknown.example.com/", content=b"{}"))


def test_blocked_message_does_not_reveal_resolved_addresses() -> None:
    transport = PinnedTransport(
        resolver(hook_example_com=["10.9.8.7"]), AddressPolicy(), inner=MustNotConnect()
    )
    with pytest.raises(BlockedDestination) as info:
        transport.handle_request(httpx.Request("POST", "https://hook.example.com/?t=secret", content=b"{}"))
    assert "10.9.8.7" not in str(info.value)
    assert "secret" not in str(info.value)


# ---------------------------------------------------------------------------------------------
# PinnedTransport: what is sent goes to the checked address


def test_request_is_pinned_to_the_allowed_address_with_host_and_sni_of_the_name() -> None:
    recorder = Recorder()
    fake = resolver(hook_example_com=["10.0.0.1", "8.8.8.8", "2606:4700:4700::1111"])
    with httpx.Client(transport=PinnedTransport(fake, AddressPolicy(), inner=recorder)) as client:
        response = client.post("https://hook.example.com:8443/cb?x=1", content=b'{"a":1}')
    assert response.status_code == 204
    [sent] = recorder.seen
    assert str(sent.url) == "https://8.8.8.8:8443/cb?x=1"
    assert sent.headers["host"] == "hook.example.com:8443"
    assert sent.extensions["sni_hostname"] == "hook.example.com"
    assert sent.read() == b'{"a":1}'
    assert response.request.url.host == "hook.example.com"  # the caller still sees its own URL


def test_plain_http_gets_no_sni_extension_and_ipv6_is_bracketed() -> None:
    recorder = Recorder()
    fake = resolver(hook_example_com=["2606:4700:4700::1111"])
    with httpx.Client(transport=PinnedTransport(fake, AddressPolicy(), inner=recorder)) as client:
        client.post("http://hook.example.com/cb", content=b"{}")
    [sent] = recorder.seen
    assert str(sent.url) == "http://[2606:4700:4700::1111]/cb"
    assert sent.headers["host"] == "hook.example.com"
    assert "sni_hostname" not in sent.extensions


def test_next_allowed_address_is_tried_when_connecting_fails() -> None:
    recorder = Recorder(fail_connect_to={"8.8.8.8"})
    fake = resolver(hook_example_com=["8.8.8.8", "192.168.0.2", "8.8.4.4"])
    with httpx.Client(transport=PinnedTransport(fake, AddressPolicy(), inner=recorder)) as client:
        assert client.post("https://hook.example.com/", content=b"{}").status_code == 204
    assert [r.url.host for r in recorder.seen] == ["8.8.8.8", "8.8.4.4"]


def test_last_connect_error_propagates_when_every_address_fails() -> None:
    recorder = Recorder(fail_connect_to={"8.8.8.8"})
    with (
        httpx.Client(
            transport=PinnedTransport(resolver(hook_example_com=["8.8.8.8"]), AddressPolicy(), inner=recorder)
        ) as client,
        pytest.raises(httpx.ConnectError),
    ):
        client.post("https://hook.example.com/", content=b"{}")


def test_dns_rebinding_gets_no_window() -> None:
    # First answer public, second answer private: each request resolves once and connects to the
    # address it checked, so the flip is caught on the next request instead of slipping through.
    recorder = Recorder()
    fake = FakeResolver({"rebind.example.com": [["8.8.8.8"], ["127.0.0.1"]]})
    with httpx.Client(transport=PinnedTransport(fake, AddressPolicy(), inner=recorder)) as client:
        client.post("http://rebind.example.com/", content=b"{}")
        with pytest.raises(BlockedDestination):
            client.post("http://rebind.example.com/", content=b"{}")
    assert [r.url.host for r in recorder.seen] == ["8.8.8.8"]
    assert len(fake.lookups) == 2


def test_default_inner_transport_keeps_no_idle_connections() -> None:
    transport = PinnedTransport(resolver(), AddressPolicy())
    inner = transport._inner
    assert isinstance(inner, httpx.HTTPTransport)
    assert inner._pool._max_keepalive_connections == 0
    transport.close()


# ---------------------------------------------------------------------------------------------
# A real receiver on loopback


def test_loopback_receiver_is_reached_when_allowed_and_host_header_is_preserved(
    receiver: tuple[int, list[Received]],
) -> None:
    port, received = receiver
    fake = resolver(receiver_test=["127.0.0.1"])
    transport = PinnedTransport(fake, AddressPolicy(allow_loopback=True), inner=LoopbackOnly())
    with httpx.Client(transport=transport, follow_redirects=False, timeout=5) as client:
        response = client.post(
            f"http://receiver.test:{port}/hook",
            content=b'{"eventId":"e1"}',
            headers={"Content-Type": "application/json", "X-Sinch-Signature": "abc"},
        )
    assert response.status_code == 200
    [got] = received
    assert got.path == "/hook"
    assert got.headers["host"] == f"receiver.test:{port}"
    assert got.headers["x-sinch-signature"] == "abc"
    assert got.body == b'{"eventId":"e1"}'


def test_loopback_receiver_is_refused_by_default(receiver: tuple[int, list[Received]]) -> None:
    port, received = receiver
    transport = PinnedTransport(resolver(receiver_test=["127.0.0.1"]), AddressPolicy(), inner=LoopbackOnly())
    with (
        httpx.Client(transport=transport, follow_redirects=False, timeout=5) as client,
        pytest.raises(BlockedDestination),
    ):
        client.post(f"http://receiver.test:{port}/hook", content=b"{}")
    assert received == []


def test_default_inner_transport_reaches_loopback(receiver: tuple[int, list[Received]]) -> None:
    # The real default transport with no loopback guard: the name is `localhost`, so even a broken
    # pin could only ever reach this machine.
    port, received = receiver
    transport = PinnedTransport(resolver(localhost=["127.0.0.1"]), AddressPolicy(allow_loopback=True))
    with httpx.Client(transport=transport, timeout=5) as client:
        assert client.post(f"http://localhost:{port}/a", content=b"1").status_code == 200
        assert client.post(f"http://localhost:{port}/b", content=b"2").status_code == 200
    assert [r.path for r in received] == ["/a", "/b"]
    assert received[0].headers["host"] == f"localhost:{port}"


def test_redirects_are_not_followed_and_would_be_checked_anyway(receiver: tuple[int, list[Received]]) -> None:
    port, _ = receiver
    fake = resolver(receiver_test=["127.0.0.1"], metadata_test=["169.254.169.254"])
    transport = PinnedTransport(fake, AddressPolicy(allow_loopback=True), inner=LoopbackOnly())
    with httpx.Client(transport=transport, follow_redirects=False, timeout=5) as client:
        response = client.post(f"http://receiver.test:{port}/redirect", content=b"{}")
    assert response.status_code == 302
    assert ("metadata.test", 80) not in fake.lookups
    # Even a client that follows redirects cannot be walked into the metadata service.
    with (
        httpx.Client(transport=transport, follow_redirects=True, timeout=5) as client,
        pytest.raises(BlockedDestination),
    ):
        client.post(f"http://receiver.test:{port}/redirect", content=b"{}")


# ---------------------------------------------------------------------------------------------
# SystemResolver (numeric hosts only: no DNS traffic leaves the machine)


def test_system_resolver_returns_numeric_hosts_unchanged() -> None:
    assert SystemResolver().resolve("127.0.0.1", 80) == ["127.0.0.1"]
    assert SystemResolver().resolve("8.8.8.8", 443) == ["8.8.8.8"]

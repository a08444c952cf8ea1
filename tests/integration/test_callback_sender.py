"""AsyncCallbackSender against a real receiver on 127.0.0.1 (the only address ever connected to)."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator

import pytest

from numberdesk.adapters.callback_sender import AsyncCallbackSender
from numberdesk.adapters.ssrf import AddressPolicy
from numberdesk.services.callbacks import OutgoingCallback
from tests.integration.test_ssrf import FakeResolver, resolver
from tests.support.receiver import Receiver, Reply

LOOPBACK = AddressPolicy(allow_loopback=True)
# The receiver's address is the one allowed; any other (still loopback, so never beyond this host)
# stands for the private address a rebinding name switches to.
ONLY_127_0_0_1 = AddressPolicy(allowed_networks=(ipaddress.ip_network("127.0.0.1/32"),))


def connections(receiver: Receiver) -> set[tuple[str, int]]:
    return {r.peer for r in receiver.requests}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    try:
        yield r
    finally:
        r.close()


@pytest.fixture
def sender() -> Iterator[AsyncCallbackSender]:
    s = AsyncCallbackSender(LOOPBACK, timeout_seconds=2, resolver=resolver(receiver_test=["127.0.0.1"]))
    try:
        yield s
    finally:
        s.close()


def test_exact_bytes_and_headers_arrive_with_the_name_as_host(
    sender: AsyncCallbackSender, receiver: Receiver
) -> None:
    body = b'{"eventId":"01J","x":"\\u00e9"}'
    url = f"http://receiver.test:{receiver.port}/hook?a=1"
    result = sender.send(url, body, {"X-Sinch-Signature": "abc", "webhook-id": "01J"})
    assert result.status_code == 200 and result.error is None
    assert result.began is not None and result.elapsed is not None
    [got] = receiver.requests
    assert got.body == body and got.path == "/hook?a=1"
    assert got.headers["Host"] == f"receiver.test:{receiver.port}"
    assert got.headers["X-Sinch-Signature"] == "abc" and got.headers["webhook-id"] == "01J"


def test_many_at_once_reuse_kept_alive_connections(sender: AsyncCallbackSender, receiver: Receiver) -> None:
    url = receiver.url()
    for _ in range(3):
        results = sender.send_many([OutgoingCallback(url, b"{}", {"n": str(i)}) for i in range(20)])
        assert [r.status_code for r in results] == [200] * 20
    assert len(receiver.requests) == 60
    # 20 concurrent requests open at most 20 connections; the 2nd and 3rd rounds reuse them.
    assert len(connections(receiver)) <= 20


def test_status_and_retry_after_are_reported_and_redirects_not_followed(
    sender: AsyncCallbackSender, receiver: Receiver
) -> None:
    receiver.reply = lambda r: (
        Reply(429, {"Retry-After": "1800"}) if r.path == "/busy" else Reply(302, {"Location": "/x"})
    )
    busy = sender.send(receiver.url("/busy"), b"{}", {})
    assert (busy.status_code, busy.retry_after) == (429, "1800")
    assert sender.send(receiver.url("/moved"), b"{}", {}).status_code == 302
    assert [r.path for r in receiver.requests] == ["/busy", "/moved"]


@pytest.mark.parametrize(
    ("answers", "url"),
    [
        ({"hook.example.com": [["127.0.0.1"]]}, "http://hook.example.com/x"),
        ({"hook.example.com": [["127.0.0.2", "::1"]]}, "https://hook.example.com/x"),
        ({}, "http://127.0.0.1/latest/meta-data"),
        ({}, "ftp://hook.example.com/x"),
    ],
)
def test_blocked_destinations_are_refused_before_connecting(
    answers: dict[str, list[list[str]]], url: str
) -> None:
    # Only loopback targets (blocked by the default policy), so that even a broken guard would never
    # connect beyond this host. Link-local, private and other ranges: tests/integration/test_ssrf*.py.
    s = AsyncCallbackSender(AddressPolicy(), resolver=FakeResolver(answers))
    try:
        result = s.send(url, b"{}", {})
    finally:
        s.close()
    assert result.status_code is None and result.error is not None
    assert result.error.startswith("destination not allowed")


def test_dns_rebinding_gets_no_window(receiver: Receiver) -> None:
    # The receiver closes each connection, so the second send needs a new one: a fresh lookup,
    # whose (rebound) answer is checked before connecting.
    receiver.reply = lambda _r: Reply(200, {"Connection": "close"})
    fake = FakeResolver({"rebind.test": [["127.0.0.1"], ["127.0.0.2"]]})
    s = AsyncCallbackSender(ONLY_127_0_0_1, resolver=fake)
    try:
        url = f"http://rebind.test:{receiver.port}/hook"
        assert s.send(url, b"{}", {}).status_code == 200
        second = s.send(url, b"{}", {})
    finally:
        s.close()
    assert second.status_code is None and "not allowed" in str(second.error)
    assert len(receiver.requests) == 1 and len(fake.lookups) == 2


def test_a_kept_alive_connection_stays_bound_to_the_address_checked_when_it_opened(
    receiver: Receiver,
) -> None:
    fake = FakeResolver({"rebind.test": [["127.0.0.1"], ["127.0.0.2"]]})
    s = AsyncCallbackSender(ONLY_127_0_0_1, resolver=fake)
    try:
        url = f"http://rebind.test:{receiver.port}/hook"
        assert [s.send(url, b"{}", {}).status_code for _ in range(2)] == [200, 200]
    finally:
        s.close()
    # No second lookup: the second request rode the connection opened to the checked 127.0.0.1.
    assert len(fake.lookups) == 1 and len(connections(receiver)) == 1


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A bare listening socket on 127.0.0.1: `accept` tells whether anything connected."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        sock.setblocking(False)
        yield sock


def nothing_connected(listener: socket.socket) -> bool:
    try:
        conn, _ = listener.accept()
    except BlockingIOError:
        return True
    conn.close()
    return False


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "[::ffff:127.0.0.1]",
        "127.1",
        "2130706433",
        "0x7f000001",
        "[::1]",
        "localhost",
        "name.test",
    ],
)
def test_refusals_happen_before_any_connection_is_opened(listener: socket.socket, host: str) -> None:
    port = listener.getsockname()[1]
    fake = FakeResolver({"name.test": [["127.0.0.1"]], "localhost": [["127.0.0.1"]]})
    s = AsyncCallbackSender(AddressPolicy(), timeout_seconds=2, resolver=fake)
    try:
        result = s.send(f"http://{host}:{port}/hook", b"{}", {})
    finally:
        s.close()
    assert result.status_code is None and str(result.error).startswith("destination not allowed")
    assert nothing_connected(listener)
    # Literal addresses are judged without any lookup; a name is looked up exactly once.
    assert fake.lookups == ([("name.test", port)] if host == "name.test" else [])


def test_cookies_set_by_one_receiver_are_never_sent_back(
    sender: AsyncCallbackSender, receiver: Receiver
) -> None:
    receiver.reply = lambda _r: Reply(200, {"Set-Cookie": "session=tenant-a; Path=/"})
    for _ in range(2):
        assert sender.send(receiver.url(), b"{}", {}).status_code == 200
    assert all("Cookie" not in r.headers for r in receiver.requests)


def test_timeout_and_refused_connections_are_results_not_exceptions(receiver: Receiver) -> None:
    receiver.reply = lambda _r: Reply(200, delay=1.0)
    s = AsyncCallbackSender(LOOPBACK, timeout_seconds=0.2)
    try:
        assert s.send(receiver.url(), b"{}", {}).error == "timeout"
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            free = probe.getsockname()[1]
        refused = s.send(f"http://127.0.0.1:{free}/x", b"{}", {})
    finally:
        s.close()
    assert refused.status_code is None and str(refused.error).startswith("connection failed")


def test_header_injection_is_refused(sender: AsyncCallbackSender, receiver: Receiver) -> None:
    result = sender.send(receiver.url(), b"{}", {"X-Evil": "a\r\nX-Injected: 1"})
    assert result.status_code is None and receiver.requests == []

"""The SSRF guard as aiohttp uses it: `PolicyResolver` and `checked_request_url`.

No test here opens a connection: the resolver is a fake and the URL check is pure. The sender
built on them is tested against a loopback receiver in test_callback_sender.py.
"""

from __future__ import annotations

import asyncio
import socket
import threading

import pytest

from numberdesk.adapters.ssrf import AddressPolicy, BlockedDestination, PolicyResolver, checked_request_url
from tests.integration.test_ssrf import FakeResolver, resolver


def resolve(r: PolicyResolver, host: str, port: int, family: int = socket.AF_UNSPEC) -> list[tuple[str, int]]:
    answers = asyncio.run(r.resolve(host, port, socket.AddressFamily(family)))
    for answer in answers:
        assert answer["hostname"] == host and answer["port"] == port
    return [(a["host"], a["family"]) for a in answers]


@pytest.mark.parametrize(
    "ips",
    [["10.0.0.5"], ["127.0.0.1"], ["169.254.169.254"], ["::1", "fd00::2"], ["::ffff:192.168.0.1"], [], ["x"]],
)
def test_a_name_resolving_only_to_blocked_addresses_is_refused(ips: list[str]) -> None:
    fake = resolver(hook_example_com=ips)
    with pytest.raises(BlockedDestination):
        resolve(PolicyResolver(fake, AddressPolicy()), "hook.example.com", 443)
    assert fake.lookups == [("hook.example.com", 443)]


def test_blocked_addresses_are_dropped_and_the_rest_kept_in_order() -> None:
    fake = resolver(
        hook_example_com=["10.0.0.1", "8.8.8.8", "169.254.169.254", "2606:4700:4700::1111", "8.8.8.8"]
    )
    answers = resolve(PolicyResolver(fake, AddressPolicy()), "hook.example.com", 8443)
    assert answers == [("8.8.8.8", socket.AF_INET), ("2606:4700:4700::1111", socket.AF_INET6)]
    assert fake.lookups == [("hook.example.com", 8443)]


def test_a_requested_family_is_honoured() -> None:
    fake = resolver(hook_example_com=["8.8.8.8", "2606:4700:4700::1111"])
    policy_resolver = PolicyResolver(fake, AddressPolicy())
    assert resolve(policy_resolver, "hook.example.com", 80, socket.AF_INET6) == [
        ("2606:4700:4700::1111", socket.AF_INET6)
    ]
    only_v4 = PolicyResolver(resolver(hook_example_com=["8.8.8.8"]), AddressPolicy())
    with pytest.raises(OSError):
        resolve(only_v4, "hook.example.com", 80, socket.AF_INET6)


def test_every_call_is_a_fresh_lookup_checked_again() -> None:
    fake = FakeResolver({"rebind.example.com": [["8.8.8.8"], ["127.0.0.1"]]})
    policy_resolver = PolicyResolver(fake, AddressPolicy())
    assert resolve(policy_resolver, "rebind.example.com", 80) == [("8.8.8.8", socket.AF_INET)]
    with pytest.raises(BlockedDestination):
        resolve(policy_resolver, "rebind.example.com", 80)
    assert len(fake.lookups) == 2


def test_resolution_failure_is_an_oserror_aiohttp_can_wrap() -> None:
    with pytest.raises(OSError):
        resolve(PolicyResolver(resolver(), AddressPolicy()), "nx.example.com", 443)


def test_the_blocking_lookup_runs_off_the_event_loop_thread() -> None:
    threads: list[threading.Thread] = []

    class Recording(FakeResolver):
        def resolve(self, host: str, port: int) -> list[str]:
            threads.append(threading.current_thread())
            return super().resolve(host, port)

    resolve(
        PolicyResolver(Recording({"hook.example.com": [["8.8.8.8"]]}), AddressPolicy()),
        "hook.example.com",
        80,
    )
    assert threads and threads[0] is not threading.main_thread()


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data",
        "http://10.0.0.1/",
        "http://127.0.0.1:8080/",
        "http://[::1]/",
        "http://[::ffff:169.254.169.254]/",
        "http://[fe80::1%25eth0]/",
        "http://0x7f000001/",
        "http://2130706433/",
        "http://127.1/",
        "http://10.1/",
        "http://1.2.3.4.5/",  # aiohttp takes it for an IP literal, never a name to resolve
        "http://localhost/",
        "ftp://hook.example.com/x",
        "ws://hook.example.com/x",
        "http:///x",
        "http://hook.example.com:99999/",
    ],
)
def test_urls_aiohttp_would_connect_to_without_a_lookup_are_refused(url: str) -> None:
    with pytest.raises(BlockedDestination):
        checked_request_url(url, AddressPolicy())


def test_allowed_urls_come_back_as_aiohttp_will_send_them() -> None:
    url = checked_request_url("https://hook.example.com:8443/cb?x=1", AddressPolicy())
    assert (url.scheme, url.raw_host, url.port, url.raw_path_qs) == (
        "https",
        "hook.example.com",
        8443,
        "/cb?x=1",
    )
    assert checked_request_url("http://8.8.8.8/x", AddressPolicy()).raw_host == "8.8.8.8"
    assert checked_request_url("http://127.0.0.1:9/", AddressPolicy(allow_loopback=True)).port == 9

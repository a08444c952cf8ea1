"""`numberdesk listen`: the events feed, verified and forwarded to a local handler."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from numberdesk.bootstrap import Container
from numberdesk.cli.app import app
from numberdesk.client import EventsClient, listen, verify_callback
from numberdesk.wire.callbacks import parse_callback_body
from tests.conftest import Tenant
from tests.integration.test_callbacks import SECRET, record, set_secret
from tests.support.receiver import Receiver


def test_listen_verifies_and_forwards_events_as_they_happen(
    client: TestClient, tenant: Tenant, container: Container
) -> None:
    set_secret(client, tenant)
    old = record(container, tenant.project_id, None)  # before listening: not replayed
    events = EventsClient(tenant.project_id, tenant.key_id, tenant.key_secret, http=client)
    secrets = {"NUMBERS": events.get_callback_configuration().hmac_secret}
    assert secrets["NUMBERS"] == SECRET
    start = events.latest_cursor()
    local = Receiver()
    try:
        recorded: list[str] = []

        def produce() -> None:
            recorded.append(record(container, tenant.project_id, None))
            recorded.append(record(container, tenant.project_id, "http://127.0.0.1:9/unused"))

        timer = threading.Timer(0.3, produce)  # events happen while listen is long-polling
        timer.start()
        seen = list(listen(events, secrets, forward_to=local.url(), after=start, wait=5, max_events=2))
        timer.join()
        assert [s.event.event_id for s in seen] == recorded
        assert old not in recorded
        assert all(s.verdict == "verified" and s.forward_status == 200 for s in seen)
        assert local.wait_for(2)
        for got, s in zip(local.requests, seen, strict=True):
            assert parse_callback_body(got.body).event_id == s.event.event_id
            assert verify_callback(SECRET, got.headers, got.body, int(__import__("time").time()))
    finally:
        local.close()


def test_listen_flags_a_wrong_secret_and_does_not_forward(
    client: TestClient, tenant: Tenant, container: Container
) -> None:
    set_secret(client, tenant)
    record(container, tenant.project_id, None)
    events = EventsClient(tenant.project_id, tenant.key_id, tenant.key_secret, http=client)
    local = Receiver()
    try:
        seen = list(listen(events, {"NUMBERS": "not-the-secret-but-32-characters-x"}, forward_to=local.url(),
                           wait=0, max_events=1))  # fmt: skip
        assert seen[0].verdict == "BAD SIGNATURE" and seen[0].forward_status is None
        assert local.requests == []
    finally:
        local.close()


def test_events_feed_needs_the_projects_key(client: TestClient, tenant: Tenant) -> None:
    assert client.get(tenant.url("events")).status_code == 401
    assert client.get(tenant.url("events"), params={"after": "garbage"}, auth=tenant.auth).status_code == 400


def test_listen_command_is_registered() -> None:
    result = CliRunner().invoke(app, ["listen", "--help"])
    assert result.exit_code == 0 and "--forward-to" in result.output

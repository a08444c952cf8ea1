"""Callback delivery end to end: outbox → dispatcher → a real receiver on 127.0.0.1."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sinch.domains.numbers.sinch_events.v1 import SinchEvents
from sqlalchemy import text

from numberdesk.bootstrap import Container, build
from numberdesk.domain.callbacks import DeliveryState
from numberdesk.domain.delivery_policy import RetryPolicy
from numberdesk.domain.errors import InvalidArgument
from numberdesk.domain.events import CallbackApi, CallbackEvent
from numberdesk.services import callbacks
from numberdesk.services.ids import new_id
from numberdesk.wire.callbacks import parse_callback_body
from numberdesk.wire.signing import verify_sinch_signature, verify_standard_webhook
from numberdesk.workers.callback_dispatcher import CallbackDispatcher
from tests.conftest import Tenant, make_settings
from tests.support.receiver import Receiver, Reply

SECRET = "a-project-secret-with-32-chars-min"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    try:
        yield r
    finally:
        r.close()


def record(
    container: Container,
    project_id: str,
    url: str | None,
    *,
    resource_type: str = "ACTIVE_NUMBER",
    event_type: str = "PROVISIONING_TO_VOICE_PLATFORM",
    status: str = "SUCCEEDED",
    api: CallbackApi = CallbackApi.NUMBERS,
) -> str:
    event_id = new_id()
    with container.uows() as uow:
        uow.outbox.add(
            CallbackEvent(
                event_id=event_id,
                project_id=project_id,
                api=api,
                resource_type=resource_type,
                resource_id="+12025550123" if resource_type != "NUMBER_ORDER" else new_id(),
                event_type=event_type,
                status=status,
                occurred_at=container.clock.now(),
                callback_url=url,
            )
        )
        uow.commit()
    return event_id


def advance(client: TestClient, headers: dict[str, str], seconds: float = 0) -> None:
    response = client.post("/admin/v1/clock:advance", json={"seconds": seconds}, headers=headers)
    assert response.status_code == 200, response.text


def set_secret(client: TestClient, tenant: Tenant, secret: str = SECRET) -> None:
    response = client.patch(
        tenant.url("callbackConfiguration"), json={"hmacSecret": secret}, auth=tenant.auth
    )
    assert response.status_code == 200, response.text


def log(client: TestClient, headers: dict[str, str], event_id: str) -> dict[str, object]:
    response = client.get(f"/admin/v1/callbacks/deliveries/{event_id}", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


# -- callback configuration -------------------------------------------------------------------


def test_callback_configuration_starts_empty_then_patch_sets_it(client: TestClient, tenant: Tenant) -> None:
    got = client.get(tenant.url("callbackConfiguration"), auth=tenant.auth)
    assert got.status_code == 200
    assert got.json() == {"projectId": tenant.project_id, "hmacSecret": ""}
    patched = client.patch(tenant.url("callbackConfiguration"), json={"hmacSecret": SECRET}, auth=tenant.auth)
    assert patched.json() == {"projectId": tenant.project_id, "hmacSecret": SECRET}
    assert client.get(tenant.url("callbackConfiguration"), auth=tenant.auth).json()["hmacSecret"] == SECRET


def test_patch_without_secret_changes_nothing(client: TestClient, tenant: Tenant) -> None:
    set_secret(client, tenant)
    for body in ({}, {"hmacSecret": None}, {"somethingElse": 1}):
        response = client.patch(tenant.url("callbackConfiguration"), json=body, auth=tenant.auth)
        assert response.status_code == 200
        assert response.json()["hmacSecret"] == SECRET


@pytest.mark.parametrize("bad", ["short", "x" * 65, "has_underscore-and-is-long-enough-32", "", "a" * 31])
def test_patch_rejects_secrets_outside_the_pattern(client: TestClient, tenant: Tenant, bad: str) -> None:
    response = client.patch(tenant.url("callbackConfiguration"), json={"hmacSecret": bad}, auth=tenant.auth)
    assert response.status_code == 400
    assert response.json()["error"]["status"] == "INVALID_ARGUMENT"


def test_secret_is_stored_encrypted_and_per_api(
    client: TestClient, tenant: Tenant, container: Container
) -> None:
    set_secret(client, tenant)
    with container.engine.connect() as conn:
        raw = conn.execute(text("SELECT hmac_secret FROM callback_configurations")).scalar()
    assert raw is not None and SECRET.encode() not in bytes(raw)
    imported = callbacks.get_callback_configuration(
        tenant.project_id, CallbackApi.IMPORTED, container.uows, container.cipher
    )
    assert imported.hmac_secret == ""


def test_other_projects_key_cannot_read_the_secret(
    client: TestClient, tenant: Tenant, container: Container
) -> None:
    from tests.conftest import new_tenant

    other = new_tenant(container)
    response = client.get(tenant.url("callbackConfiguration"), auth=other.auth)
    assert response.status_code == 403


# -- outbox ----------------------------------------------------------------------------------


def test_event_and_delivery_exist_only_if_the_transaction_commits(
    container: Container, tenant: Tenant
) -> None:
    event = CallbackEvent(
        new_id(), tenant.project_id, CallbackApi.NUMBERS, "ACTIVE_NUMBER", "+12025550123",
        "PROVISIONING_TO_SMS_PLATFORM", "SUCCEEDED", container.clock.now(), "http://127.0.0.1:9/x",
    )  # fmt: skip
    with container.uows() as uow:
        uow.outbox.add(event)  # no commit: rolled back with the state change
    with container.uows(readonly=True) as uow:
        assert uow.outbox.list_for_project(tenant.project_id) == []
        assert uow.deliveries.get(event.event_id) is None
    with container.uows() as uow:
        uow.outbox.add(event)
        uow.commit()
    with container.uows(readonly=True) as uow:
        assert [e.event_id for e in uow.outbox.list_for_project(tenant.project_id)] == [event.event_id]
        delivery = uow.deliveries.get(event.event_id)
        assert delivery is not None and delivery.state is DeliveryState.PENDING


# -- delivery --------------------------------------------------------------------------------


def test_signed_delivery_is_accepted_by_the_sinch_sdk_and_standard_webhooks(
    client: TestClient,
    tenant: Tenant,
    container: Container,
    receiver: Receiver,
    admin_headers: dict[str, str],
) -> None:
    set_secret(client, tenant)
    event_id = record(container, tenant.project_id, receiver.url())
    order_event = record(
        container, tenant.project_id, receiver.url(), resource_type="NUMBER_ORDER",
        event_type="NUMBER_ORDER_PROCESSING", status="IN_REVIEW",
    )  # fmt: skip
    advance(client, admin_headers)
    assert receiver.wait_for(2)
    by_id = {parse_callback_body(r.body).event_id: r for r in receiver.requests}
    assert set(by_id) == {event_id, order_event}
    for got in receiver.requests:
        assert got.headers["Content-Type"] == "application/json"
        assert SinchEvents(SECRET).validate_authentication_header(got.headers, got.body)
        assert not SinchEvents("another-secret-of-32-characters-xx").validate_authentication_header(
            got.headers, got.body
        )
        assert verify_standard_webhook(SECRET, got.headers, got.body, int(time.time()))
        assert got.headers["webhook-id"] == parse_callback_body(got.body).event_id
    payload = parse_callback_body(by_id[event_id].body)
    assert payload.project_id == tenant.project_id
    assert "+" not in payload.timestamp and not payload.timestamp.endswith("Z")  # no timezone, as Sinch
    assert b'"failureCode":null' in by_id[event_id].body
    assert log(client, admin_headers, event_id)["state"] == "DELIVERED"


def test_without_a_secret_events_go_unsigned(
    client: TestClient,
    tenant: Tenant,
    container: Container,
    receiver: Receiver,
    admin_headers: dict[str, str],
) -> None:
    record(container, tenant.project_id, receiver.url())
    advance(client, admin_headers)
    assert receiver.wait_for(1)
    headers = {k.lower() for k in receiver.requests[0].headers}
    assert "x-sinch-signature" not in headers and "webhook-signature" not in headers


def test_receiver_down_for_six_hours_then_back_gets_every_event(
    client: TestClient, tenant: Tenant, container: Container, admin_headers: dict[str, str]
) -> None:
    set_secret(client, tenant)
    down = Receiver()
    port = down.port
    down.close()  # nothing listens: connection refused
    url = f"http://127.0.0.1:{port}/hook"
    ids = [record(container, tenant.project_id, url) for _ in range(10)]
    advance(client, admin_headers, 6 * 3600)
    first = log(client, admin_headers, ids[0])
    assert first["state"] == "PENDING" and int(first["attempts"]) >= 8  # type: ignore[call-overload]
    attempts = first["attemptLog"]
    assert isinstance(attempts, list) and all(a["statusCode"] is None for a in attempts)
    assert all(a["nextAttemptAt"] is not None for a in attempts)
    back = Receiver(port)
    try:
        advance(client, admin_headers, 2 * 3600)
        delivered = {parse_callback_body(r.body).event_id for r in back.requests}
        assert delivered == set(ids)
        for event_id in ids:
            entry = log(client, admin_headers, event_id)
            assert entry["state"] == "DELIVERED"
            for got in back.requests:
                assert verify_sinch_signature(SECRET, got.body, got.headers["X-Sinch-Signature"])
    finally:
        back.close()


def test_events_are_given_up_after_the_window(
    tmp_path: object, database_template: str, tenant: Tenant, admin_headers: dict[str, str]
) -> None:
    from pathlib import Path

    settings = make_settings(Path(str(tmp_path)) / "h2", database_template, callback_retry_window_hours=1)
    container = build(settings)
    try:
        from numberdesk.api.app import create_app
        from tests.conftest import new_tenant

        t = new_tenant(container)
        down = Receiver()
        down.close()
        event_id = record(container, t.project_id, down.url())
        with TestClient(create_app(container, run_workers=False)) as c:
            advance(c, admin_headers, 3 * 3600)
            assert log(c, admin_headers, event_id)["state"] == "GIVEN_UP"
    finally:
        container.dispose()


def test_gone_stops_deliveries_to_that_url(
    client: TestClient,
    tenant: Tenant,
    container: Container,
    receiver: Receiver,
    admin_headers: dict[str, str],
) -> None:
    receiver.reply = lambda _r: Reply(500)
    queued = record(container, tenant.project_id, receiver.url())
    advance(client, admin_headers)
    assert log(client, admin_headers, queued)["state"] == "PENDING"
    receiver.reply = lambda _r: Reply(410)
    gone = record(container, tenant.project_id, receiver.url())
    advance(client, admin_headers)
    assert log(client, admin_headers, gone)["state"] == "GONE"
    before = len(receiver.requests)
    advance(client, admin_headers, 3600)
    assert log(client, admin_headers, queued)["state"] == "GONE"
    assert len(receiver.requests) == before


def test_429_retry_after_is_honoured(
    client: TestClient,
    tenant: Tenant,
    container: Container,
    receiver: Receiver,
    admin_headers: dict[str, str],
) -> None:
    receiver.reply = lambda _r: Reply(429, {"Retry-After": "1800"})
    event_id = record(container, tenant.project_id, receiver.url())
    advance(client, admin_headers)
    entry = log(client, admin_headers, event_id)
    attempt = entry["attemptLog"][0]  # type: ignore[index]
    assert attempt["statusCode"] == 429 and attempt["outcome"] == "RETRY"
    receiver.reply = lambda _r: Reply(200)
    advance(client, admin_headers, 1700)
    assert len(receiver.requests) == 1  # not before Retry-After
    advance(client, admin_headers, 200)
    assert len(receiver.requests) == 2
    assert log(client, admin_headers, event_id)["state"] == "DELIVERED"


def test_redirects_are_not_followed(
    client: TestClient,
    tenant: Tenant,
    container: Container,
    receiver: Receiver,
    admin_headers: dict[str, str],
) -> None:
    receiver.reply = lambda r: (
        Reply(302, {"Location": receiver.url("/elsewhere")}) if r.path == "/hook" else Reply()
    )
    event_id = record(container, tenant.project_id, receiver.url())
    advance(client, admin_headers)
    assert [r.path for r in receiver.requests] == ["/hook"]
    assert log(client, admin_headers, event_id)["lastStatusCode"] == 302


def test_blocked_destination_is_never_contacted(
    client: TestClient, tenant: Tenant, container: Container, admin_headers: dict[str, str]
) -> None:
    event_id = record(container, tenant.project_id, "http://169.254.169.254/latest/meta-data")
    advance(client, admin_headers)
    entry = log(client, admin_headers, event_id)
    assert entry["state"] == "PENDING"
    assert "not allowed" in str(entry["lastError"])


def test_literal_blocked_urls_are_rejected_at_registration(
    container: Container, tmp_path: object, database_template: str
) -> None:
    from pathlib import Path

    with pytest.raises(InvalidArgument):
        container.callback_urls.check("http://10.0.0.1/hook")
    container.callback_urls.check("http://127.0.0.1:9000/hook")  # sandbox allows loopback
    strict = build(make_settings(Path(str(tmp_path)) / "strict", database_template, sandbox=False))
    try:
        with pytest.raises(InvalidArgument) as info:
            strict.callback_urls.check("http://127.0.0.1:9000/hook", "callbackUrl")
        assert info.value.violations[0].field == "callbackUrl"
        strict.callback_urls.check("https://hooks.example.com/x")
    finally:
        strict.dispose()


def test_event_without_url_has_no_destination(
    client: TestClient, tenant: Tenant, container: Container, admin_headers: dict[str, str]
) -> None:
    event_id = record(container, tenant.project_id, None)
    advance(client, admin_headers)
    entry = log(client, admin_headers, event_id)
    assert entry["state"] == "NO_DESTINATION" and entry["attempts"] == 0
    feed = client.get(tenant.url("events"), auth=tenant.auth).json()
    assert [e["eventId"] for e in feed["events"]] == [event_id]


def test_redeliver_sends_the_same_event_again(
    client: TestClient,
    tenant: Tenant,
    container: Container,
    receiver: Receiver,
    admin_headers: dict[str, str],
) -> None:
    event_id = record(container, tenant.project_id, receiver.url())
    advance(client, admin_headers)
    assert receiver.wait_for(1)
    response = client.post(f"/admin/v1/callbacks/deliveries/{event_id}:redeliver", headers=admin_headers)
    assert response.status_code == 200 and response.json()["state"] == "PENDING"
    advance(client, admin_headers)
    assert receiver.wait_for(2)
    assert receiver.requests[0].body == receiver.requests[1].body
    entry = log(client, admin_headers, event_id)
    assert entry["state"] == "DELIVERED" and len(entry["attemptLog"]) == 2  # type: ignore[arg-type]
    listed = client.get(
        "/admin/v1/callbacks/deliveries", params={"projectId": tenant.project_id}, headers=admin_headers
    )
    assert [d["eventId"] for d in listed.json()["deliveries"]] == [event_id]
    assert (
        client.post("/admin/v1/callbacks/deliveries/nope:redeliver", headers=admin_headers).status_code == 404
    )


def test_two_dispatchers_never_send_the_same_attempt_twice(
    container: Container, tenant: Tenant, receiver: Receiver
) -> None:
    from numberdesk.adapters.callback_sender import HttpCallbackSender
    from numberdesk.adapters.ssrf import AddressPolicy

    ids = {record(container, tenant.project_id, receiver.url()) for _ in range(120)}
    dispatchers = [
        CallbackDispatcher(
            container.uows, container.cipher, HttpCallbackSender(AddressPolicy(allow_loopback=True)),
            RetryPolicy(), threads=4, batch=8,
        )
        for _ in range(3)
    ]  # fmt: skip

    def drain(d: CallbackDispatcher) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if d.run_due(container.clock.now()) == 0 and d.next_due() is None:
                return

    threads = [threading.Thread(target=drain, args=(d,)) for d in dispatchers]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    for d in dispatchers:
        d.close()
    received = [parse_callback_body(r.body).event_id for r in receiver.requests]
    assert sorted(received) == sorted(ids)  # every event once: no attempt was sent twice


def test_unrenderable_event_is_marked_undeliverable(
    client: TestClient,
    tenant: Tenant,
    container: Container,
    receiver: Receiver,
    admin_headers: dict[str, str],
) -> None:
    event_id = record(container, tenant.project_id, receiver.url(), event_type="NOT_A_REAL_EVENT")
    advance(client, admin_headers)
    assert log(client, admin_headers, event_id)["state"] == "UNDELIVERABLE"
    assert receiver.requests == []


def test_imported_api_events_use_the_imported_secret_and_payloads(
    client: TestClient,
    tenant: Tenant,
    container: Container,
    receiver: Receiver,
    admin_headers: dict[str, str],
) -> None:
    imported_secret = "imported-secret-0123456789-abcdefgh"
    callbacks.update_callback_configuration(
        tenant.project_id,
        CallbackApi.IMPORTED,
        imported_secret,
        container.uows,
        container.clock,
        container.cipher,
    )
    set_secret(client, tenant)  # the Numbers API secret must not be used
    record(
        container, tenant.project_id, receiver.url(), api=CallbackApi.IMPORTED,
        resource_type="IMPORTED_NUMBER", event_type="LINK_TO_10DLC_CAMPAIGN",
    )  # fmt: skip
    advance(client, admin_headers)
    assert receiver.wait_for(1)
    got = receiver.requests[0]
    assert verify_sinch_signature(imported_secret, got.body, got.headers["X-Sinch-Signature"])
    assert b"internalFailureCode" not in got.body
    assert parse_callback_body(got.body).resource_type == "IMPORTED_NUMBER"


def test_retry_schedule_uses_backoff_on_the_clock(
    client: TestClient,
    tenant: Tenant,
    container: Container,
    receiver: Receiver,
    admin_headers: dict[str, str],
) -> None:
    receiver.reply = lambda _r: Reply(503)
    event_id = record(container, tenant.project_id, receiver.url())
    advance(client, admin_headers)
    advance(client, admin_headers, 30)
    advance(client, admin_headers, 60)
    attempts = log(client, admin_headers, event_id)["attemptLog"]
    assert isinstance(attempts, list) and len(attempts) == 3
    from datetime import datetime

    gaps = [
        datetime.fromisoformat(b["startedAt"]) - datetime.fromisoformat(a["startedAt"])
        for a, b in itertools.pairwise(attempts)
    ]
    assert timedelta(seconds=23) <= gaps[0] <= timedelta(seconds=31)
    assert timedelta(seconds=47) <= gaps[1] <= timedelta(seconds=61)

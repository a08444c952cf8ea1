"""The official Python SDK (`sinch`, pinned) against a real numberdesk server on 127.0.0.1.

The SDK speaks `requests`, so the app runs under uvicorn on a loopback socket in a thread; the SDK's
numbers and auth origins point at it (OAuth2 tokens come from numberdesk's /oauth2/token).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from sinch import SinchClient
from sinch.domains.numbers.api.v1.exceptions import NumbersException

from numberdesk.api.app import create_app
from numberdesk.bootstrap import Container
from tests.conftest import Tenant
from tests.integration.test_active_numbers import stock

NUMBERS = ["+12025550101", "+12025550102", "+12025550103", "+13072074530", "+13072074531"]


@pytest.fixture
def server(container: Container) -> Iterator[str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(container, run_workers=False), log_level="warning", lifespan="on")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert srv.started
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(5)
        sock.close()


@pytest.fixture
def sinch(server: str, tenant: Tenant, container: Container) -> SinchClient:
    stock(container, NUMBERS)
    client = SinchClient(key_id=tenant.key_id, key_secret=tenant.key_secret, project_id=tenant.project_id)
    client.configuration.numbers_origin = server
    client.configuration.auth_origin = server
    return client


def test_search_check_and_regions(sinch: SinchClient) -> None:
    found = sinch.numbers.search_for_available_numbers(
        region_code="US", number_type="LOCAL", number_pattern="+1307", number_search_pattern="START"
    )
    assert [n.phone_number for n in found.content()] == ["+13072074530", "+13072074531"]
    one = sinch.numbers.check_availability(phone_number="+12025550101")
    assert one.phone_number == "+12025550101" and one.setup_price.amount == 0.5
    regions = sinch.numbers.regions.list(types=["LOCAL"])
    assert [r.region_code for r in regions.content()] == ["US"]


def test_rent_update_get_release(sinch: SinchClient) -> None:
    rented = sinch.numbers.rent(
        phone_number="+12025550101",
        sms_configuration={"service_plan_id": "SpaceMonkeySquadron"},
        voice_configuration={"type": "RTC", "app_id": "sunshine"},
    )
    assert rented.phone_number == "+12025550101" and rented.expire_at is None
    assert rented.sms_configuration.scheduled_provisioning.service_plan_id == "SpaceMonkeySquadron"
    assert rented.sms_configuration.scheduled_provisioning.status == "WAITING"
    assert rented.voice_configuration.scheduled_voice_provisioning.app_id == "sunshine"

    updated = sinch.numbers.update(
        phone_number="+12025550101",
        display_name="Updated during E2E",
        voice_configuration={"type": "FAX", "service_id": "FAXSERVICE"},
        event_destination_target="https://example.com/numbers",
    )
    assert updated.display_name == "Updated during E2E"
    assert updated.voice_configuration.scheduled_voice_provisioning.type == "FAX"

    got = sinch.numbers.get(phone_number="+12025550101")
    assert got.display_name == "Updated during E2E"

    released = sinch.numbers.release(phone_number="+12025550101")
    assert released.expire_at is not None and released.expire_at == released.next_charge_date


def test_rent_any_and_paginate(sinch: SinchClient) -> None:
    first = sinch.numbers.rent_any(
        region_code="US",
        number_type="LOCAL",
        number_pattern={"pattern": "74530", "search_pattern": "END"},
        capabilities=["SMS", "VOICE"],
        sms_configuration={"service_plan_id": "plan"},
    )
    assert first.phone_number == "+13072074530"
    for phone in NUMBERS[:3]:
        sinch.numbers.rent(phone_number=phone)
    page = sinch.numbers.list(region_code="US", number_type="LOCAL", page_size=2)
    assert [n.phone_number for n in page.content()] == ["+12025550101", "+12025550102"]
    everything = [n.phone_number for n in page.iterator()]
    assert everything == ["+12025550101", "+12025550102", "+12025550103", "+13072074530"]
    sms_only = sinch.numbers.list(capabilities=["SMS"], order_by="phoneNumber", page_size=10)
    assert len(sms_only.content()) == 4


def test_sdk_error_types(sinch: SinchClient) -> None:
    with pytest.raises(NumbersException) as not_found:
        sinch.numbers.get(phone_number="+12025550199")
    assert not_found.value.response_status_code == 404
    with pytest.raises(NumbersException) as unavailable:
        sinch.numbers.check_availability(phone_number="+12025550199")
    assert unavailable.value.response_status_code == 404
    sinch.numbers.rent(phone_number="+12025550102")
    with pytest.raises(NumbersException) as taken:
        sinch.numbers.rent(phone_number="+12025550102")
    assert taken.value.response_status_code == 404
    with pytest.raises(NumbersException) as bad:
        sinch.numbers.list(region_code="XX")
    assert bad.value.response_status_code == 400
    assert "INVALID_ARGUMENT" in str(bad.value)


def test_callback_configuration_through_the_sdk(sinch: SinchClient, tenant: Tenant) -> None:
    secret = "sdk-managed-secret-0123456789abcdef"
    updated = sinch.numbers.event_destinations.update(hmac_secret=secret)
    assert updated.hmac_secret == secret
    fetched = sinch.numbers.event_destinations.get()
    assert fetched.hmac_secret == secret and fetched.project_id == tenant.project_id
    with pytest.raises(NumbersException):
        sinch.numbers.event_destinations.update(hmac_secret="too short")

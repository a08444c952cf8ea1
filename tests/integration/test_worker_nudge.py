"""A commit that adds timed work wakes this process's worker at once, whatever the poll interval."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from numberdesk.api.app import create_app
from numberdesk.bootstrap import Container, build
from numberdesk.domain.events import CallbackApi, CallbackEvent
from numberdesk.services.ids import new_id
from tests.conftest import make_settings
from tests.support.receiver import Receiver


@pytest.fixture
def slow_polling(tmp_path, database_template: str) -> Iterator[Container]:  # type: ignore[no-untyped-def]
    container = build(make_settings(tmp_path / "h", database_template, worker_poll_seconds=30.0))
    yield container
    container.dispose()


def test_an_event_is_delivered_long_before_the_next_poll(slow_polling: Container) -> None:
    receiver = Receiver()
    try:
        with TestClient(create_app(slow_polling, run_workers=True)):
            time.sleep(0.3)  # let the worker finish its first (empty) round and start waiting
            started = time.monotonic()
            with slow_polling.uows() as uow:
                uow.outbox.add(
                    CallbackEvent(
                        event_id=new_id(),
                        project_id="p",
                        api=CallbackApi.NUMBERS,
                        resource_type="NUMBER_ORDER",
                        resource_id=new_id(),
                        event_type="NUMBER_ORDER_PROCESSING",
                        status="IN_REVIEW",
                        occurred_at=slow_polling.clock.now(),
                        callback_url=receiver.url(),
                    )
                )
                uow.commit()
            assert receiver.wait_for(1, timeout=10)
            assert time.monotonic() - started < 5  # the poll interval is 30 s
    finally:
        receiver.close()

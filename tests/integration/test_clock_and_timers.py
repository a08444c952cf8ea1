"""The sandbox clock: moved through the admin API, shared across processes, firing timers in time order."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta

from fastapi.testclient import TestClient

from numberdesk.bootstrap import Container, build
from numberdesk.config import Settings
from numberdesk.services.ports import UnitOfWork


def read_clock(client: TestClient, admin_headers: dict[str, str]) -> datetime:
    return datetime.fromisoformat(client.get("/admin/v1/clock", headers=admin_headers).json()["now"])


def test_advance_moves_the_clock_and_responses_carry_it(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    before = read_clock(client, admin_headers)
    response = client.post("/admin/v1/clock:advance", json={"seconds": 48 * 3600}, headers=admin_headers)
    assert response.status_code == 200
    after = datetime.fromisoformat(response.json()["now"])
    assert timedelta(hours=48) <= after - before < timedelta(hours=48, seconds=5)
    header = datetime.fromisoformat(response.headers["x-sandbox-time"])
    assert abs(header - after) < timedelta(seconds=5)


def test_timers_fire_in_time_order_at_their_due_time(
    client: TestClient, container: Container, admin_headers: dict[str, str]
) -> None:
    fired: list[tuple[str, datetime]] = []

    def record(uow: UnitOfWork, ref: str, now: datetime) -> None:
        fired.append((ref, now))
        if ref == "first":  # a timer that schedules another one, due before a later existing one
            uow.jobs.schedule("test.record", "chained", now + timedelta(hours=1))

    container.job_handlers["test.record"] = record
    start = container.clock.now()
    with container.uows() as uow:
        uow.jobs.schedule("test.record", "third", start + timedelta(hours=30))
        uow.jobs.schedule("test.record", "first", start + timedelta(hours=10))
        uow.jobs.schedule("test.record", "later", start + timedelta(hours=100))
        uow.commit()
    client.post("/admin/v1/clock:advance", json={"seconds": 48 * 3600}, headers=admin_headers)
    assert [ref for ref, _ in fired] == ["first", "chained", "third"]
    due = {"first": 10, "chained": 11, "third": 30}
    for ref, when in fired:
        assert timedelta(0) <= when - (start + timedelta(hours=due[ref])) < timedelta(seconds=5)
    with container.uows(readonly=True) as uow:
        assert uow.jobs.next_due() is not None  # "later" is still pending


def test_a_failing_timer_is_retried_not_lost(
    client: TestClient, container: Container, admin_headers: dict[str, str]
) -> None:
    attempts: list[datetime] = []

    def flaky(uow: UnitOfWork, ref: str, now: datetime) -> None:
        attempts.append(now)
        if len(attempts) < 3:
            raise RuntimeError("carrier hiccup")

    container.job_handlers["test.flaky"] = flaky
    with container.uows() as uow:
        uow.jobs.schedule("test.flaky", "x", container.clock.now() + timedelta(minutes=1))
        uow.commit()
    client.post("/admin/v1/clock:advance", json={"seconds": 3600}, headers=admin_headers)
    assert len(attempts) == 3
    with container.uows(readonly=True) as uow:
        assert uow.jobs.next_due() is None


def test_the_moved_clock_is_seen_by_another_process(
    container: Container, settings: Settings, admin_headers: dict[str, str], client: TestClient
) -> None:
    client.post("/admin/v1/clock:advance", json={"seconds": 5 * 24 * 3600}, headers=admin_headers)
    env = {
        **os.environ,
        "NUMBERDESK_HOME": str(settings.home),
        "NUMBERDESK_SANDBOX": "1",
        "NUMBERDESK_ADMIN_TOKEN": "x" * 20,
        "NUMBERDESK_SECRET_KEY": "y" * 32,
        "NUMBERDESK_ENCRYPTION_KEYS": str(settings.encryption_keys),
    }
    if settings.database_url:
        env["NUMBERDESK_DATABASE_URL"] = settings.database_url
    code = (
        "from numberdesk.bootstrap import build; from numberdesk.config import Settings; "
        "print(build(Settings()).clock.now().isoformat())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    other = datetime.fromisoformat(out.stdout.strip())
    assert other - datetime.now(other.tzinfo) > timedelta(days=4, hours=23)


def test_a_second_container_on_the_same_database_agrees(settings: Settings, container: Container) -> None:
    from numberdesk.services.clock import SandboxClock

    clock = container.clock
    assert isinstance(clock, SandboxClock)
    clock.set(clock.now() + timedelta(days=2))
    other = build(settings)
    try:
        assert abs(other.clock.now() - clock.now()) < timedelta(seconds=2)
    finally:
        other.dispose()


def test_advance_refused_outside_sandbox(tmp_path, database_template: str) -> None:  # type: ignore[no-untyped-def]
    from numberdesk.api.app import create_app
    from tests.conftest import ADMIN_TOKEN, make_settings

    container = build(make_settings(tmp_path / "h", database_template, sandbox=False))
    try:
        with TestClient(create_app(container, run_workers=False)) as client:
            response = client.post(
                "/admin/v1/clock:advance",
                json={"seconds": 5},
                headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
            )
            assert response.status_code == 409
            assert "x-sandbox-time" not in response.headers
    finally:
        container.dispose()


def test_a_timer_may_reschedule_itself(
    client: TestClient, container: Container, admin_headers: dict[str, str]
) -> None:
    fired: list[datetime] = []

    def every_hour(uow: UnitOfWork, ref: str, now: datetime) -> None:
        fired.append(now)
        if len(fired) < 3:
            uow.jobs.schedule("test.repeat", ref, now + timedelta(hours=1))

    container.job_handlers["test.repeat"] = every_hour
    with container.uows() as uow:
        uow.jobs.schedule("test.repeat", "x", container.clock.now() + timedelta(hours=1))
        uow.commit()
    client.post("/admin/v1/clock:advance", json={"seconds": 10 * 3600}, headers=admin_headers)
    assert len(fired) == 3
    assert fired[1] - fired[0] >= timedelta(hours=1) and fired[2] - fired[1] >= timedelta(hours=1)

"""Number-order throughput: createNumberOrder per second (service layer, 1 and 4 threads) and the time
of the whole six-step flow over HTTP (in-process ASGI client), on SQLite and, when configured, PostgreSQL.

Run: .venv/bin/python bench/orders.py [--orders 3000] [--flows 50] [--profile]
Creates are timed as the API makes them: `create_order` at the service layer, each in its own unit
of work, system clock (sandbox off, so no clock read touches the database). `--profile` prints
where the 1-thread creates spend their time (cProfile, which inflates pure-Python costs).
PostgreSQL: set NUMBERDESK_BENCH_DATABASE_URL (or NUMBERDESK_TEST_DATABASE_URL) to a server URL on
loopback; a scratch database is created there and dropped afterwards. Target: >= 1,000 creates/s on SQLite.
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import os
import pstats
import random
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from numberdesk.adapters.db.engine import is_sqlite, make_engine, sqlite_pragmas
from numberdesk.adapters.db.migrate import upgrade
from numberdesk.api.app import create_app
from numberdesk.bootstrap import Container, build
from numberdesk.config import Settings
from numberdesk.domain.inventory import NumberType, SearchCriteria
from numberdesk.services import inventory, number_orders, projects
from numberdesk.services.number_orders import CreateOrder

ADMIN = "bench-admin-token-0123456789"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
DETAILS = {
    "endUserType": "INDIVIDUAL",
    "individual": {"firstName": "Jane", "lastName": "Doe", "birthDate": "1980-01-31"},
    "address": {"street": "1 Example Street", "city": "Sydney", "postalCode": "2000", "country": "AU"},
    "usage": {"description": "Notifications", "purpose": "One Time Password", "confirmValidUseCase": True},
}


@contextmanager
def database(kind: str) -> Iterator[tuple[Path, str | None]]:
    with tempfile.TemporaryDirectory(prefix="nd-bench-") as home:
        if kind == "sqlite":
            engine = make_engine(f"sqlite:///{Path(home) / 'numberdesk.db'}")
            upgrade(engine)
            engine.dispose()
            yield Path(home), None
            return
        server = os.environ.get("NUMBERDESK_BENCH_DATABASE_URL") or os.environ["NUMBERDESK_TEST_DATABASE_URL"]
        base = make_url(server).set(drivername="postgresql+psycopg")
        name = f"nd_bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = base.set(database=name).render_as_string(hide_password=False)
        try:
            engine = make_engine(url)
            upgrade(engine)
            engine.dispose()
            yield Path(home), url
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def container_for(home: Path, url: str | None) -> Container:
    settings = Settings(
        home=home,
        database_url=url,
        sandbox=False,
        admin_token=ADMIN,
        secret_key="bench-secret-key-bench-secret-key",
        encryption_keys="b1:" + base64.b64encode(b"b" * 32).decode(),
        run_workers=False,
        rate_limit_per_second=0,
    )
    return build(settings)


def stocked_numbers(container: Container, count: int) -> list[str]:
    inventory.generate_numbers("AU", NumberType.MOBILE, count, container.uows, random.Random(1))
    with container.uows(readonly=True) as uow:
        return [
            n.phone_number for n in uow.inventory.search(SearchCriteria("AU", NumberType.MOBILE, size=count))
        ]


def creates_per_second(container: Container, phones: list[str], threads: int) -> float:
    project = projects.create_project(f"bench-{uuid.uuid4().hex[:6]}", container.uows, container.clock)
    deps = container.number_orders
    assert deps is not None
    chunks = [phones[i::threads] for i in range(threads)]

    def work(chunk: list[str]) -> None:
        for phone in chunk:
            number_orders.create_order(
                project.id, CreateOrder("AU", NumberType.MOBILE, phone_numbers=(phone,)), deps
            )

    workers = [threading.Thread(target=work, args=(c,)) for c in chunks]
    started = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return len(phones) / (time.perf_counter() - started)


def six_step_flows(container: Container, phones: list[str]) -> list[float]:
    project = projects.create_project(f"flow-{uuid.uuid4().hex[:6]}", container.uows, container.clock)
    key = projects.create_key(project.id, container.uows, container.clock, container.key_pepper)
    auth = (key.key_id, key.key_secret)
    base = f"/v1/projects/{project.id}"
    admin = {"Authorization": f"Bearer {ADMIN}"}
    timings: list[float] = []
    with TestClient(create_app(container, run_workers=False)) as client:
        for phone in phones:
            started = time.perf_counter()
            lookup = {"regionCode": "AU", "numberType": "MOBILE"}
            assert client.post(
                f"{base}/numberOrders:lookupNumberRequirements", json=lookup, auth=auth
            ).is_success
            params = {"regionCode": "AU", "type": "MOBILE", "numberPattern.pattern": phone}
            assert client.get(f"{base}/availableNumbers", params=params, auth=auth).is_success
            body = {
                "regionCode": "AU",
                "numberType": "MOBILE",
                "numberOrderOption": {"phoneNumbers": [phone]},
            }
            r = client.post(f"{base}/numberOrders:createNumberOrder", json=body, auth=auth)
            order = f"{base}/numberOrders/{r.json()['idNumberOrder']}"
            assert client.put(f"{order}/registration", json={"requestDetails": DETAILS}, auth=auth).is_success
            files = {"file": ("id.pdf", PDF, "application/pdf")}
            assert client.post(f"{order}/attachments/identity-document", files=files, auth=auth).is_success
            assert client.post(f"{order}/submit", auth=auth).json()["state"] == "IN_REVIEW"
            admin_url = f"/admin/v1/projects/{project.id}/numberOrders/{r.json()['idNumberOrder']}:approve"
            assert client.post(admin_url, json={}, headers=admin).json()["state"] == "COMPLETED"
            timings.append(time.perf_counter() - started)
    return timings


def run(kind: str, orders: int, flows: int, profile: bool = False) -> None:
    with database(kind) as (home, url):
        container = container_for(home, url)
        try:
            if is_sqlite(container.engine):
                print(f"sqlite     pragmas: {sqlite_pragmas(container.engine)}")  # synchronous 1 = NORMAL
            phones = stocked_numbers(container, orders * 2 + flows)
            profiler = cProfile.Profile() if profile else None
            if profiler is not None:
                profiler.enable()
            one = creates_per_second(container, phones[:orders], 1)
            if profiler is not None:
                profiler.disable()
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
            four = creates_per_second(container, phones[orders : orders * 2], 4)
            timings = six_step_flows(container, phones[orders * 2 :])
        finally:
            container.dispose()
    ms = sorted(t * 1000 for t in timings)
    print(
        f"{kind:10s} createNumberOrder: {one:7.0f}/s (1 thread), {four:7.0f}/s (4 threads), "
        f"{orders} orders; "
        f"six-step flow over HTTP (lookup, search, create, registration, upload, submit, approve): "
        f"median {statistics.median(ms):.1f} ms, p95 {ms[int(len(ms) * 0.95) - 1]:.1f} ms ({len(ms)} flows)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=3000)
    parser.add_argument("--flows", type=int, default=50)
    parser.add_argument("--profile", action="store_true", help="cProfile the 1-thread creates")
    args = parser.parse_args()
    run("sqlite", args.orders, args.flows, args.profile)
    if os.environ.get("NUMBERDESK_BENCH_DATABASE_URL") or os.environ.get("NUMBERDESK_TEST_DATABASE_URL"):
        run("postgresql", args.orders, args.flows, args.profile)
    else:
        print("postgresql skipped: set NUMBERDESK_BENCH_DATABASE_URL to a loopback server")


if __name__ == "__main__":
    main()

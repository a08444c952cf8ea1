"""Callback delivery benchmark, loopback only, bounded in time.

1. Throughput: N events already in the outbox, one worker (one dispatcher) → events/s delivered
   to a local receiver.
2. Latency: events recorded at a steady rate while the worker runs → state-change-to-delivery
   latency (commit of the outbox row → the receiver has the request), p50/p95/p99.

Run: .venv/bin/python bench/webhooks.py [--events 3000] [--rate 200] [--seconds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import statistics
import tempfile
import time
from datetime import UTC, datetime
from multiprocessing import Pipe, Process, Queue, Value
from pathlib import Path
from typing import Any

from numberdesk.adapters.db.engine import make_engine
from numberdesk.adapters.db.migrate import upgrade
from numberdesk.bootstrap import build
from numberdesk.config import Settings
from numberdesk.domain.events import CallbackApi, CallbackEvent
from numberdesk.services import callbacks, projects
from numberdesk.services.ids import new_id
from numberdesk.workers.runner import BackgroundWorker

SECRET = "bench-secret-0123456789-abcdefghijkl"


class _Receiver(asyncio.Protocol):
    """A minimal HTTP/1.1 receiver (keep-alive, pipelining-safe): answers 200 at once and notes
    each webhook-id with its arrival time. Far cheaper per request than http.server."""

    def __init__(self, count: Any, arrivals: list[tuple[str, float]]) -> None:
        self._buf = b""
        self._count = count
        self._arrivals = arrivals

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        buf = self._buf + data
        answers = 0
        while (end := buf.find(b"\r\n\r\n")) >= 0:
            head = buf[:end].lower()
            fields = dict(line.split(b":", 1) for line in head.split(b"\r\n")[1:] if b":" in line)
            length = int(fields.get(b"content-length", b"0"))
            if len(buf) < end + 4 + length:
                break
            self._arrivals.append((fields.get(b"webhook-id", b"").strip().decode(), time.time()))
            buf = buf[end + 4 + length :]
            answers += 1
        self._buf = buf
        if answers:
            self._count.value += answers
            self._transport.write(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n" * answers)


def _serve(port_out: Any, count: Any, results: Any) -> None:
    """The receiver, in its own process so it does not share the dispatcher's GIL."""
    arrivals: list[tuple[str, float]] = []

    async def main() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: _Receiver(count, arrivals), "127.0.0.1", 0, backlog=1024)
        port_out.put(server.sockets[0].getsockname()[1])
        while not results.poll():  # the parent asks for the arrivals by sending anything
            await asyncio.sleep(0.05)
        results.recv()
        results.send(arrivals)

    asyncio.run(main())


class Sink:
    def __init__(self) -> None:
        ports: Queue = Queue()  # type: ignore[type-arg]
        self._count = Value("l", 0, lock=False)
        self._pipe, child = Pipe()
        self.process = Process(target=_serve, args=(ports, self._count, child), daemon=True)
        self.process.start()
        self.url = f"http://127.0.0.1:{ports.get(timeout=10)}/hook"

    def count(self) -> int:
        return int(self._count.value)

    def arrivals(self) -> dict[str, float]:
        self._pipe.send(None)
        first: dict[str, float] = {}
        for event_id, at in self._pipe.recv():
            first.setdefault(event_id, at)
        return first


def record(container, project_id: str, url: str, n: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    committed: dict[str, float] = {}
    with container.uows() as uow:
        ids = []
        for _ in range(n):
            event_id = new_id()
            ids.append(event_id)
            uow.outbox.add(
                CallbackEvent(
                    event_id,
                    project_id,
                    CallbackApi.NUMBERS,
                    "ACTIVE_NUMBER",
                    "+12025550123",
                    "PROVISIONING_TO_SMS_PLATFORM",
                    "SUCCEEDED",
                    datetime.now(UTC),
                    url,
                )
            )
        uow.commit()
    now = time.time()
    for event_id in ids:
        committed[event_id] = now
    return committed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--rate", type=float, default=200.0, help="events/s in the latency phase")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of the latency phase")
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    parser.add_argument("--batch", type=int, default=Settings().callback_batch, help="claimed per round")
    parser.add_argument("--concurrency", type=int, default=Settings().callback_threads)
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="nd-bench-"))
    settings = Settings(
        home=home,
        database_url=args.database_url,
        sandbox=False,
        admin_token="bench-admin-token",
        secret_key="bench-secret-key-bench-secret-key",
        encryption_keys="b1:" + base64.b64encode(b"b" * 32).decode(),
        callback_allow_loopback=True,
        worker_poll_seconds=0.005,
        callback_batch=args.batch,
        callback_threads=args.concurrency,
    )
    engine = make_engine(settings.effective_database_url)
    upgrade(engine)
    engine.dispose()
    container = build(settings)
    project = projects.create_project("bench", container.uows, container.clock)
    callbacks.update_callback_configuration(
        project.id, CallbackApi.NUMBERS, SECRET, container.uows, container.clock, container.cipher
    )
    sink = Sink()
    print(f"database: {settings.effective_database_url.split('@')[-1]}")

    # 1. throughput
    throughput_ids: set[str] = set()
    for start in range(0, args.events, 500):
        throughput_ids.update(record(container, project.id, sink.url, min(500, args.events - start)))
    worker = BackgroundWorker(container.works, container.clock, settings.worker_poll_seconds)
    t0 = time.perf_counter()
    worker.start()
    deadline = time.monotonic() + 60
    while sink.count() < args.events and time.monotonic() < deadline:
        time.sleep(0.01)
    elapsed = time.perf_counter() - t0
    delivered = sink.count()
    print(
        f"throughput: {delivered} events in {elapsed:.2f} s = "
        f"{delivered / elapsed:,.0f} events/s (one worker)"
    )

    # 2. latency at a steady rate
    committed: dict[str, float] = {}
    interval = 1 / args.rate
    end = time.monotonic() + args.seconds
    next_at = time.monotonic()
    while time.monotonic() < end:
        committed.update(record(container, project.id, sink.url, 1))
        next_at += interval
        time.sleep(max(0.0, next_at - time.monotonic()))
    deadline = time.monotonic() + 30
    while sink.count() < delivered + len(committed) and time.monotonic() < deadline:
        time.sleep(0.01)
    worker.stop()
    arrivals = sink.arrivals()
    lat = sorted((arrivals[e] - t) * 1000 for e, t in committed.items() if e in arrivals)
    if lat:
        q = statistics.quantiles(lat, n=100)
        print(
            f"latency over {len(lat)} events at {args.rate:.0f}/s: p50 {statistics.median(lat):.1f} ms, "
            f"p95 {q[94]:.1f} ms, p99 {q[98]:.1f} ms, max {lat[-1]:.1f} ms"
        )
    lost = args.events - len(throughput_ids & arrivals.keys()) + len(committed) - len(lat)
    print(f"lost: {lost}")
    container.dispose()
    sink.process.terminate()


if __name__ == "__main__":
    main()

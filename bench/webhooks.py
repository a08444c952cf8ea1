"""Callback delivery benchmark, loopback only, bounded in time.

1. Throughput: N events already in the outbox, one worker (one dispatcher) → events/s delivered
   to a local receiver.
2. Latency: events recorded at a steady rate while the worker runs → state-change-to-delivery
   latency (commit of the outbox row → the receiver has the request), p50/p95/p99.

Run: .venv/bin/python bench/webhooks.py [--events 3000] [--rate 200] [--seconds 5]
"""

from __future__ import annotations

import argparse
import base64
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing import Process, Queue
from pathlib import Path

from numberdesk.adapters.db.engine import make_engine
from numberdesk.adapters.db.migrate import upgrade
from numberdesk.bootstrap import build
from numberdesk.config import Settings
from numberdesk.domain.events import CallbackApi, CallbackEvent
from numberdesk.services import callbacks, projects
from numberdesk.services.ids import new_id
from numberdesk.workers.runner import BackgroundWorker

SECRET = "bench-secret-0123456789-abcdefghijkl"


def _serve(port_out: Queue, arrivals: Queue) -> None:  # type: ignore[type-arg]
    """The receiver, in its own process so it does not share the dispatcher's GIL."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            arrivals.put((self.headers.get("webhook-id", ""), time.time()))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            return

    ThreadingHTTPServer.request_queue_size = 1024
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port_out.put(server.server_address[1])
    server.serve_forever(0.05)


class Sink:
    def __init__(self) -> None:
        self.arrivals: dict[str, float] = {}
        self.lock = threading.Lock()
        ports: Queue = Queue()  # type: ignore[type-arg]
        self._queue: Queue = Queue()  # type: ignore[type-arg]
        self.process = Process(target=_serve, args=(ports, self._queue), daemon=True)
        self.process.start()
        self.url = f"http://127.0.0.1:{ports.get(timeout=10)}/hook"
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        while True:
            event_id, at = self._queue.get()
            with self.lock:
                self.arrivals.setdefault(event_id, at)

    def count(self) -> int:
        with self.lock:
            return len(self.arrivals)


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
    for start in range(0, args.events, 500):
        record(container, project.id, sink.url, min(500, args.events - start))
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
    while any(e not in sink.arrivals for e in committed) and time.monotonic() < deadline:
        time.sleep(0.01)
    worker.stop()
    lat = sorted((sink.arrivals[e] - t) * 1000 for e, t in committed.items() if e in sink.arrivals)
    if lat:
        q = statistics.quantiles(lat, n=100)
        print(
            f"latency over {len(lat)} events at {args.rate:.0f}/s: p50 {statistics.median(lat):.1f} ms, "
            f"p95 {q[94]:.1f} ms, p99 {q[98]:.1f} ms, max {lat[-1]:.1f} ms"
        )
    print(f"lost: {len(committed) - len(lat)}")
    container.dispose()
    sink.process.terminate()


if __name__ == "__main__":
    main()

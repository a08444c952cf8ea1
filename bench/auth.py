"""Per-request cost of authentication: HTTP Basic (keyed-hash lookup) and bearer (JWT + revocation cache).

Run: .venv/bin/python bench/auth.py [--requests 3000]
Prints the service-level cost of each scheme, and the end-to-end cost of a cheap authenticated
request through the ASGI app with each scheme, next to an unauthenticated route for scale.
"""

from __future__ import annotations

import argparse
import base64
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from numberdesk.adapters.db.engine import make_engine
from numberdesk.adapters.db.migrate import upgrade
from numberdesk.api.app import create_app
from numberdesk.bootstrap import build
from numberdesk.config import Settings
from numberdesk.services import projects


def per_call_us(fn: Callable[[], object], n: int) -> tuple[float, float]:
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1e6)
    samples.sort()
    return statistics.median(samples), samples[int(0.99 * (len(samples) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="nd-bench-auth-"))
    engine = make_engine(f"sqlite:///{home / 'numberdesk.db'}")
    upgrade(engine)
    engine.dispose()
    keyring = "k1:" + base64.b64encode(b"k" * 32).decode()
    settings = Settings(
        home=home,
        sandbox=False,
        admin_token="a" * 24,
        secret_key="s" * 32,
        encryption_keys=keyring,
        run_workers=False,
        rate_limit_per_second=0,
    )
    container = build(settings)
    project = projects.create_project("bench", container.uows, container.clock)
    key = projects.create_key(project.id, container.uows, container.clock, container.key_pepper)
    auth = container.authenticator
    token = auth.issue_token(auth.basic(key.key_id, key.key_secret)).access_token
    n = args.requests
    basic = per_call_us(lambda: auth.basic(key.key_id, key.key_secret), n)
    bearer = per_call_us(lambda: auth.bearer(token), n)
    print(f"service  basic   p50 {basic[0]:7.1f} us  p99 {basic[1]:7.1f} us  (keyed hash + key lookup)")
    print(
        f"service  bearer  p50 {bearer[0]:7.1f} us  p99 {bearer[1]:7.1f} us  (JWT verify + revocation cache)"
    )
    url = f"/v1/projects/{project.id}/availableRegions"
    credentials = base64.b64encode(f"{key.key_id}:{key.key_secret}".encode()).decode()
    with TestClient(create_app(container, run_workers=False)) as client:
        schemes = {
            "basic": {"Authorization": f"Basic {credentials}"},
            "bearer": {"Authorization": f"Bearer {token}"},
        }
        for label, headers in schemes.items():
            for _ in range(50):
                client.get(url, headers=headers)
            p50, p99 = per_call_us(lambda h=headers: client.get(url, headers=h), n // 3)  # type: ignore[misc]
            print(
                f"http     {label:<7} p50 {p50:7.1f} us  p99 {p99:7.1f} us  (whole request, in-process ASGI)"
            )
        p50, p99 = per_call_us(lambda: client.get("/openapi.json"), n // 3)
        print(f"http     none    p50 {p50:7.1f} us  p99 {p99:7.1f} us  (unauthenticated route, for scale)")
    container.dispose()


if __name__ == "__main__":
    main()

"""kill -9 of a `numberdesk worker` mid-delivery, restart: every event still arrives (same eventId)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from numberdesk.bootstrap import build
from numberdesk.domain.callbacks import DeliveryState
from numberdesk.domain.events import CallbackApi
from numberdesk.services import callbacks
from numberdesk.wire.callbacks import parse_callback_body
from numberdesk.wire.signing import verify_sinch_signature
from tests.conftest import ADMIN_TOKEN, ENCRYPTION_KEYS, make_settings, new_tenant
from tests.integration.test_callbacks import SECRET, record
from tests.support.receiver import Receiver, Reply


def _worker(home: Path, database_url: str | None) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "NUMBERDESK_HOME": str(home),
        "NUMBERDESK_DATABASE_URL": database_url or "",
        "NUMBERDESK_SANDBOX": "1",
        "NUMBERDESK_ADMIN_TOKEN": ADMIN_TOKEN,
        "NUMBERDESK_SECRET_KEY": "test-secret-key-for-peppers-and-tokens",
        "NUMBERDESK_ENCRYPTION_KEYS": ENCRYPTION_KEYS,
        "NUMBERDESK_CALLBACK_THREADS": "4",
        "NUMBERDESK_CALLBACK_BATCH": "8",
        "NUMBERDESK_CALLBACK_LEASE_SECONDS": "2",
        "NUMBERDESK_CALLBACK_TIMEOUT_SECONDS": "1",
        "NUMBERDESK_WORKER_POLL_SECONDS": "0.05",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "numberdesk", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_kill_9_mid_delivery_then_restart_loses_nothing(tmp_path: Path, database_template: str) -> None:
    home = tmp_path / "home"
    settings = make_settings(home, database_template)
    container = build(settings)
    receiver = Receiver()
    receiver.reply = lambda _r: Reply(200, delay=0.3)
    worker = None
    try:
        tenant = new_tenant(container)
        callbacks.update_callback_configuration(
            tenant.project_id, CallbackApi.NUMBERS, SECRET, container.uows, container.clock, container.cipher
        )
        ids = {record(container, tenant.project_id, receiver.url()) for _ in range(30)}

        worker = _worker(home, settings.database_url)
        assert receiver.wait_for(5, timeout=20), "the worker delivered nothing"
        worker.send_signal(signal.SIGKILL)  # mid-batch: requests in flight, outcomes unrecorded
        worker.wait(5)
        with container.uows(readonly=True) as uow:
            states = [uow.deliveries.get(i) for i in ids]
        assert any(d is not None and d.state is DeliveryState.PENDING for d in states)

        receiver.reply = lambda _r: Reply(200)
        worker = _worker(home, settings.database_url)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with container.uows(readonly=True) as uow:
                pending = [
                    i for i in ids if (d := uow.deliveries.get(i)) and d.state is not DeliveryState.DELIVERED
                ]
            if not pending:
                break
            time.sleep(0.1)
        assert not pending, f"{len(pending)} events never delivered"
        received = {parse_callback_body(r.body).event_id for r in receiver.requests}
        assert received == ids
        assert all(
            verify_sinch_signature(SECRET, r.body, r.headers["X-Sinch-Signature"]) for r in receiver.requests
        )
    finally:
        if worker is not None and worker.poll() is None:
            worker.terminate()
            worker.wait(10)
        receiver.close()
        container.dispose()

"""The background worker: runs every kind of timed work on a poll, in a thread of `serve` or alone."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from numberdesk.services.ports import Clock
from numberdesk.services.timers import DueWork, Nudge, run_due_once

log = logging.getLogger(__name__)


class BackgroundWorker:
    def __init__(
        self, works: Sequence[DueWork], clock: Clock, poll_seconds: float = 0.2, nudge: Nudge | None = None
    ) -> None:
        self._works = works
        self._clock = clock
        self._poll = poll_seconds
        self._nudge = nudge or Nudge()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self.run_forever, name="numberdesk-worker", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._nudge.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def run_forever(self) -> None:
        while not self._stop.is_set():
            try:
                busy = run_due_once(self._works, self._clock) > 0
            except Exception:
                log.exception("worker loop failed")
                busy = False
            if not busy and not self._stop.is_set():
                self._nudge.wait(self._poll)

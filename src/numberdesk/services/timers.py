"""Timed work: whatever falls due at a moment (order expiry, simulated carriers, callback retries).

Each kind of timed work is a `DueWork`. The background worker runs them on a poll; the sandbox
`advance` walks the clock from due time to due time so timers fire in time order, then answers
once nothing else is due.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from numberdesk.services.ports import Clock, MovableClock, ScheduledJob, UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)


class Nudge:
    """Wakes this process's worker as soon as a unit of work commits new timed work (an outbox
    event, a job), so delivery does not wait for the next poll. Other processes still poll."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self) -> None:
        self._event.set()

    def wait(self, timeout: float) -> bool:
        woke = self._event.wait(timeout)
        self._event.clear()
        return woke


class DueWork(Protocol):
    name: str

    def next_due(self) -> datetime | None: ...
    def run_due(self, now: datetime) -> int:
        """Do what is due at `now`; return how many items were processed."""
        ...


class JobHandler(Protocol):
    def __call__(self, uow: UnitOfWork, ref: str, now: datetime) -> None:
        """Act on one due job inside `uow`; the runner commits it with the job's removal."""
        ...


class JobRunner:
    """Runs `scheduled_jobs` rows: claim with a lease (so two workers never run one job), then
    run the handler and delete the job in one transaction. A failing handler is retried later."""

    name = "jobs"

    def __init__(
        self,
        uows: UnitOfWorkFactory,
        handlers: Mapping[str, JobHandler],
        lease: timedelta = timedelta(seconds=60),
        retry_delay: timedelta = timedelta(seconds=30),
        batch: int = 200,
    ) -> None:
        self._uows = uows
        self._handlers = handlers
        self._lease = lease
        self._retry_delay = retry_delay
        self._batch = batch

    def next_due(self) -> datetime | None:
        with self._uows(readonly=True) as uow:
            return uow.jobs.next_due()

    def run_due(self, now: datetime) -> int:
        with self._uows(readonly=True) as uow:
            jobs = uow.jobs.due(now, self._batch)
        done = 0
        for job in jobs:
            with self._uows() as uow:
                claimed = uow.jobs.claim(job.id, job.due_at, now, now + self._lease)
                uow.commit()
            if claimed and self._run_one(job, now):
                done += 1
        return done

    def _run_one(self, job: ScheduledJob, now: datetime) -> bool:
        job_id, kind, ref = job.id, job.kind, job.ref
        handler = self._handlers.get(kind)
        try:
            with self._uows() as uow:
                if handler is None:
                    log.warning("no handler for job kind %s; dropping job %s", kind, job_id)
                else:
                    handler(uow, ref, now)
                uow.jobs.done(job_id, job.due_at)
                uow.commit()
            return True
        except Exception as exc:
            log.exception("job %s (%s) failed; retrying later", job_id, kind)
            with self._uows() as uow:
                uow.jobs.retry(job_id, now + self._retry_delay, type(exc).__name__)
                uow.commit()
            return False


def run_due_once(works: Sequence[DueWork], clock: Clock) -> int:
    processed = 0
    for work in works:
        try:
            processed += work.run_due(clock.now())
        except Exception:
            log.exception("timed work %s failed", work.name)
    return processed


def advance(
    clock: MovableClock,
    works: Sequence[DueWork],
    by: timedelta,
    settle_timeout: float = 60.0,
) -> datetime:
    """Move the sandbox clock forward by `by`, firing every timer that falls due on the way,
    in time order, and return once nothing due at the target remains (or the timeout passes)."""
    target = clock.now() + by
    deadline = time.monotonic() + settle_timeout
    stalled = 0
    while time.monotonic() < deadline and stalled < 50:
        due = [(when, work) for work in works if (when := work.next_due()) is not None and when <= target]
        if not due:
            break
        when, work = min(due, key=lambda pair: pair[0])
        clock.set(when)
        if work.run_due(clock.now()) == 0:
            # Leased by another worker: give it a moment; a stale lease must not hang us.
            stalled += 1
            time.sleep(0.01)
        else:
            stalled = 0
    clock.set(target)
    return clock.now()

"""Clocks. The sandbox clock is wall time plus an offset kept in the database, so every process
(API replicas, workers, the CLI) reads the same moved time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from numberdesk.domain.errors import InvalidArgument
from numberdesk.services.ports import UnitOfWorkFactory


def wall_now() -> datetime:
    return datetime.now(UTC)


class SystemClock:
    def __init__(self, wall: Callable[[], datetime] = wall_now) -> None:
        self._wall = wall

    def now(self) -> datetime:
        return self._wall()


class SandboxClock:
    def __init__(self, uows: UnitOfWorkFactory, wall: Callable[[], datetime] = wall_now) -> None:
        self._uows = uows
        self._wall = wall

    def _offset(self) -> timedelta:
        with self._uows(readonly=True) as uow:
            return timedelta(microseconds=uow.sandbox_clock.offset_microseconds())

    def now(self) -> datetime:
        return self._wall() + self._offset()

    def set(self, when: datetime) -> None:
        """Move to `when`; the sandbox clock never goes back."""
        with self._uows() as uow:
            current = timedelta(microseconds=uow.sandbox_clock.offset_microseconds())
            wall = self._wall()
            if when <= wall + current:
                return
            delta = when - wall
            uow.sandbox_clock.set_offset_microseconds(delta // timedelta(microseconds=1))
            uow.commit()


def validate_advance(seconds: float) -> timedelta:
    if not 0 <= seconds <= 366 * 24 * 3600:
        raise InvalidArgument(
            "seconds must be between 0 and one year",
        )
    return timedelta(seconds=seconds)

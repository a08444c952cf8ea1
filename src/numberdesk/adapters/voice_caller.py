"""The sandbox voice caller: instead of phoning, it keeps the last code per number for the
operator's admin API (`GET /admin/v1/imported/voiceCodes/{phoneNumber}`)."""

from __future__ import annotations

from numberdesk.services.ports import Clock, UnitOfWorkFactory


class SandboxVoiceCaller:
    def __init__(self, uows: UnitOfWorkFactory, clock: Clock) -> None:
        self._uows = uows
        self._clock = clock

    def call(self, phone_number: str, code: str) -> None:
        with self._uows() as uow:
            uow.imported.voice_codes.record(phone_number, code, self._clock.now())
            uow.commit()

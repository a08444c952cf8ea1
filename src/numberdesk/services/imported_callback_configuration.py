"""The Imported Numbers API's callback configuration (HMAC secret per project).

Stand-in until the callback-delivery service (issue 6) owns `callback_configurations`: then the
route calls `get_callback_configuration(project_id, api)` / `update_callback_configuration(...)`
there instead. The secret is stored encrypted (AES-GCM, the project id as associated data).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Final

from numberdesk.domain.errors import FieldViolation, InvalidArgument
from numberdesk.services.ports import Cipher, UnitOfWorkFactory

HMAC_SECRET: Final = re.compile(r"[a-zA-Z0-9-]{32,64}")


@dataclass(frozen=True)
class ImportedCallbackConfiguration:
    project_id: str
    hmac_secret: str


def _aad(project_id: str) -> bytes:
    return f"imported-callback-secret:{project_id}".encode()


def get_configuration(
    project_id: str, uows: UnitOfWorkFactory, cipher: Cipher
) -> ImportedCallbackConfiguration:
    with uows(readonly=True) as uow:
        stored = uow.imported.settings.get(project_id).hmac_secret
    secret = cipher.decrypt(stored, _aad(project_id)).decode() if stored else ""
    return ImportedCallbackConfiguration(project_id, secret)


def update_configuration(
    project_id: str, hmac_secret: str | None, uows: UnitOfWorkFactory, cipher: Cipher
) -> ImportedCallbackConfiguration:
    if hmac_secret is None or not HMAC_SECRET.fullmatch(hmac_secret):
        raise InvalidArgument(
            "hmacSecret must be 32-64 letters, digits or dashes",
            [FieldViolation("hmacSecret", "must match ^[a-zA-Z0-9-]{32,64}$")],
        )
    with uows() as uow:
        settings = uow.imported.settings.get(project_id)
        encrypted = cipher.encrypt(hmac_secret.encode(), _aad(project_id))
        uow.imported.settings.put(replace(settings, hmac_secret=encrypted))
        uow.commit()
    return ImportedCallbackConfiguration(project_id, hmac_secret)

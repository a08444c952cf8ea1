"""Imported Numbers API: `callbackConfiguration` (the HMAC secret that signs this API's callbacks).
Its operation ids carry an `Imported_` prefix in our combined /openapi.json (the seed reuses the
Numbers API's ids, and one document needs unique ones); paths and bodies are the seed's.

The secret lives with the Numbers API's, keyed by API, so the dispatcher signs IMPORTED events with it.

Errors here use the Google envelope, as the seed documents for these two operations.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from numberdesk.api.deps import ContainerDep, PrincipalDep
from numberdesk.api.routes.imported_common import ENVELOPE_ERRORS, IMPORTED_PREFIX, ok
from numberdesk.domain.events import CallbackApi
from numberdesk.services import callbacks
from numberdesk.wire.imported_callbacks import CallbackConfigurationUpdate

router = APIRouter(
    prefix=IMPORTED_PREFIX, tags=["Imported Numbers and Hosting Orders Callbacks"], responses=ENVELOPE_ERRORS
)


@router.get(
    "/callbackConfiguration", operation_id="Imported_GetCallbackConfiguration", summary="Get the HMAC secret"
)
def get_callback_configuration(
    project_id: str, principal: PrincipalDep, container: ContainerDep
) -> JSONResponse:
    found = callbacks.get_callback_configuration(
        principal.project_id, CallbackApi.IMPORTED, container.uows, container.cipher
    )
    return ok({"projectId": found.project_id, "hmacSecret": found.hmac_secret})


@router.patch(
    "/callbackConfiguration",
    operation_id="Imported_UpdateCallbackConfiguration",
    summary="Set the HMAC secret (32-64 letters, digits or dashes)",
)
def update_callback_configuration(
    project_id: str,
    principal: PrincipalDep,
    container: ContainerDep,
    body: CallbackConfigurationUpdate | None = None,
) -> JSONResponse:
    secret = body.hmac_secret if body else None
    found = callbacks.update_callback_configuration(
        principal.project_id, CallbackApi.IMPORTED, secret, container.uows, container.clock, container.cipher
    )
    return ok({"projectId": found.project_id, "hmacSecret": found.hmac_secret})

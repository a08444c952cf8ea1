"""Imported Numbers API: `callbackConfiguration` (the HMAC secret that signs this API's callbacks).

Errors here use the Google envelope, as the seed documents for these two operations.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from numberdesk.api.deps import ContainerDep, PrincipalDep
from numberdesk.api.routes.imported_common import ENVELOPE_ERRORS, IMPORTED_PREFIX, ok
from numberdesk.services import imported_callback_configuration as service
from numberdesk.wire.imported_callbacks import CallbackConfigurationUpdate

router = APIRouter(
    prefix=IMPORTED_PREFIX, tags=["Imported Numbers and Hosting Orders Callbacks"], responses=ENVELOPE_ERRORS
)


@router.get("/callbackConfiguration", operation_id="GetCallbackConfiguration", summary="Get the HMAC secret")
def get_callback_configuration(
    project_id: str, principal: PrincipalDep, container: ContainerDep
) -> JSONResponse:
    found = service.get_configuration(principal.project_id, container.uows, container.cipher)
    return ok({"projectId": found.project_id, "hmacSecret": found.hmac_secret})


@router.patch(
    "/callbackConfiguration",
    operation_id="UpdateCallbackConfiguration",
    summary="Set the HMAC secret (32-64 letters, digits or dashes)",
)
def update_callback_configuration(
    project_id: str,
    principal: PrincipalDep,
    container: ContainerDep,
    body: CallbackConfigurationUpdate | None = None,
) -> JSONResponse:
    secret = body.hmac_secret if body else None
    found = service.update_configuration(principal.project_id, secret, container.uows, container.cipher)
    return ok({"projectId": found.project_id, "hmacSecret": found.hmac_secret})

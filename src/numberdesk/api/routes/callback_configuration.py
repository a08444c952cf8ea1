"""GET/PATCH `/v1/projects/{projectId}/callbackConfiguration`: the project's callback HMAC secret.

Both APIs have this resource with the same shape, each with its own secret. This module's `router`
serves the Numbers API; the Imported Numbers API gets its own with
`router_for(CallbackApi.IMPORTED, prefix=..., operation_suffix=...)`.

PATCH without `hmacSecret` (or with `null`) changes nothing and answers the current configuration.
A project with no secret yet answers `hmacSecret: ""`, and its events go unsigned.
"""

from __future__ import annotations

from fastapi import APIRouter

from numberdesk.api.deps import ContainerDep, PrincipalDep
from numberdesk.api.routes.common import PROJECT_PREFIX, STANDARD_ERRORS
from numberdesk.domain.callbacks import CallbackConfiguration as DomainConfiguration
from numberdesk.domain.events import CallbackApi
from numberdesk.services import callbacks
from numberdesk.wire.callback_configuration import CallbackConfiguration, CallbackConfigurationUpdate


def to_wire(config: DomainConfiguration) -> CallbackConfiguration:
    return CallbackConfiguration(project_id=config.project_id, hmac_secret=config.hmac_secret)


def router_for(
    api: CallbackApi,
    *,
    prefix: str = PROJECT_PREFIX,
    tags: list[str] | None = None,
    operation_suffix: str = "",
) -> APIRouter:
    """The GET/PATCH pair for `api`'s secret, under `prefix` (which holds `{project_id}`)."""
    router = APIRouter(prefix=prefix, tags=list(tags or ["Callbacks"]), responses=STANDARD_ERRORS)

    @router.get(
        "/callbackConfiguration",
        response_model=CallbackConfiguration,
        operation_id=f"GetCallbackConfiguration{operation_suffix}",
        summary="Get the callback configuration",
    )
    def get_callback_configuration(
        project_id: str, _principal: PrincipalDep, container: ContainerDep
    ) -> dict[str, object]:
        config = callbacks.get_callback_configuration(project_id, api, container.uows, container.cipher)
        return to_wire(config).to_wire()

    @router.patch(
        "/callbackConfiguration",
        response_model=CallbackConfiguration,
        operation_id=f"UpdateCallbackConfiguration{operation_suffix}",
        summary="Update the callback configuration (the HMAC secret that signs callbacks)",
    )
    def update_callback_configuration(
        project_id: str,
        _principal: PrincipalDep,
        container: ContainerDep,
        body: CallbackConfigurationUpdate | None = None,
    ) -> dict[str, object]:
        config = callbacks.update_callback_configuration(
            project_id,
            api,
            body.hmac_secret if body is not None else None,
            container.uows,
            container.clock,
            container.cipher,
        )
        return to_wire(config).to_wire()

    return router


router = router_for(CallbackApi.NUMBERS, tags=["Callbacks"])

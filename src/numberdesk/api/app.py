"""`create_app(container)`: the ASGI application. No import-time side effects."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from numberdesk import __version__
from numberdesk.api import errors
from numberdesk.api.imported_base_url import ImportedApiMiddleware
from numberdesk.api.middleware import GateMiddleware
from numberdesk.api.routes import (
    active_numbers,
    admin_callbacks,
    admin_clock,
    admin_imported,
    admin_number_orders,
    admin_simulator,
    available_numbers,
    available_regions,
    callback_configuration,
    callback_events,
    emergency_address,
    hosting_orders,
    imported_callback_configuration,
    imported_numbers,
    number_orders,
    oauth,
    qualified_numbers,
)
from numberdesk.bootstrap import Container
from numberdesk.services.rate_limit import RateLimiter
from numberdesk.workers.runner import BackgroundWorker

log = logging.getLogger(__name__)

ROUTERS = [
    oauth.router,
    active_numbers.router,  # before available_numbers: it holds availableNumbers/{phone}:rent
    emergency_address.router,
    admin_simulator.router,
    available_numbers.router,
    available_regions.router,
    admin_clock.router,
    callback_configuration.router,
    callback_events.router,
    admin_callbacks.router,
    # The Imported Numbers API (base URL /imported, or Host imported.*: see api/imported_base_url.py)
    imported_numbers.router,
    hosting_orders.router,
    qualified_numbers.router,
    imported_callback_configuration.router,
    admin_imported.router,
    number_orders.router,
    admin_number_orders.router,
]


def create_app(container: Container, *, run_workers: bool | None = None) -> FastAPI:
    start_workers = container.settings.run_workers if run_workers is None else run_workers

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        worker = None
        if start_workers:
            worker = BackgroundWorker(
                container.works, container.clock, container.settings.worker_poll_seconds, container.nudge
            )
            worker.start()
        try:
            yield
        finally:
            if worker is not None:
                worker.stop()

    app = FastAPI(
        title="numberdesk",
        version=__version__,
        description="A self-hostable, Sinch-compatible Numbers API (numbers, KYC orders, hosting).",
        lifespan=lifespan,
    )
    app.state.container = container
    app.state.rate_limiter = RateLimiter(
        container.settings.rate_limit_per_second, container.settings.rate_limit_burst
    )
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router)
    app.add_middleware(
        GateMiddleware,
        max_json_bytes=container.settings.max_json_body_bytes,
        max_upload_bytes=container.settings.max_upload_bytes,
        sandbox_time=container.clock.now if container.settings.sandbox else None,
    )
    app.add_middleware(ImportedApiMiddleware)  # outermost: its errors get the seed's shape too
    return app

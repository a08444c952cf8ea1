"""Operator API: the sandbox clock."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from numberdesk.api.deps import AdminDep, ContainerDep
from numberdesk.api.routes.common import error_responses
from numberdesk.domain.errors import Conflict
from numberdesk.services.clock import SandboxClock, validate_advance
from numberdesk.services.timers import advance

router = APIRouter(
    prefix="/admin/v1",
    tags=["Admin: sandbox clock"],
    dependencies=[AdminDep],
    responses=error_responses(400, 401, 409, 500),
)


class ClockOut(BaseModel):
    now: datetime
    sandbox: bool


class AdvanceIn(BaseModel):
    seconds: float = Field(ge=0, le=366 * 24 * 3600)


@router.get("/clock", response_model=ClockOut, summary="Read the (sandbox) clock")
def read_clock(container: ContainerDep) -> ClockOut:
    return ClockOut(now=container.clock.now(), sandbox=container.settings.sandbox)


@router.post(
    "/clock:advance",
    response_model=ClockOut,
    summary="Move the sandbox clock forward, fire every timer that falls due (in time order), then answer",
)
def advance_clock(body: AdvanceIn, container: ContainerDep) -> ClockOut:
    clock = container.clock
    if not isinstance(clock, SandboxClock):
        raise Conflict("the clock can only be moved in sandbox mode (NUMBERDESK_SANDBOX=1)")
    now = advance(clock, container.works, validate_advance(body.seconds))
    return ClockOut(now=now, sandbox=True)

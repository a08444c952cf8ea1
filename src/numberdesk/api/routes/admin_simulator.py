"""Operator API of the provisioning simulator: failure rules, timing, and a number's provisioning state.

Rules are stored in the database (every process sees them). Example: make campaign `CAMP1` fail with
`{"kind": "campaign", "match": "CAMP1", "failureCode": "CAMPAIGN_NOT_AVAILABLE"}`; `match: "*"` hits any id.
Kinds: `sms` (servicePlanId), `campaign` (campaignId), `voice` (appId/trunkId/serviceId).
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from numberdesk.api import mappers_active_numbers as m
from numberdesk.api.deps import AdminDep, ContainerDep
from numberdesk.api.routes.common import error_responses
from numberdesk.domain.active_numbers import FailureRule, SimulatorTiming
from numberdesk.domain.phone_numbers import parse_e164
from numberdesk.services import active_numbers, provisioning

router = APIRouter(
    prefix="/admin/v1/simulator",
    tags=["Admin: provisioning simulator"],
    dependencies=[AdminDep],
    responses=error_responses(400, 401, 404, 500),
)


class FailureRuleIn(BaseModel):
    kind: str = Field(description="sms | campaign | voice")
    match: str = Field(description="the servicePlanId / campaignId / voice id to fail, or * for any")
    failureCode: str | None = Field(default=None, description="default depends on kind")


class FailureRuleOut(BaseModel):
    id: str
    kind: str
    match: str
    failureCode: str
    createTime: datetime


class FailureRulesOut(BaseModel):
    failures: list[FailureRuleOut]


class TimingIO(BaseModel):
    waitingSeconds: float | None = Field(default=None, ge=0, le=86400)
    inProgressSeconds: float | None = Field(default=None, ge=0, le=86400)


def _rule(rule: FailureRule) -> FailureRuleOut:
    return FailureRuleOut(
        id=rule.id,
        kind=rule.kind.value,
        match=rule.match,
        failureCode=rule.failure_code,
        createTime=rule.created_at,
    )


def _timing(timing: SimulatorTiming) -> TimingIO:
    return TimingIO(waitingSeconds=timing.waiting_seconds, inProgressSeconds=timing.in_progress_seconds)


@router.get("/failures", response_model=FailureRulesOut, summary="List failure-injection rules")
def list_failures(container: ContainerDep) -> FailureRulesOut:
    return FailureRulesOut(failures=[_rule(r) for r in provisioning.list_rules(container.uows)])


@router.post("/failures", response_model=FailureRuleOut, summary="Add a failure-injection rule")
def add_failure(body: FailureRuleIn, container: ContainerDep) -> FailureRuleOut:
    rule = provisioning.add_rule(body.kind, body.match, body.failureCode, container.uows, container.clock)
    return _rule(rule)


@router.delete("/failures/{rule_id}", summary="Delete a failure-injection rule")
def delete_failure(rule_id: str, container: ContainerDep) -> dict[str, str]:
    provisioning.delete_rule(rule_id, container.uows)
    return {}


@router.get(
    "/timing", response_model=TimingIO, summary="Seconds provisioning stays WAITING, then IN_PROGRESS"
)
def get_timing(container: ContainerDep) -> TimingIO:
    return _timing(provisioning.get_timing(container.uows))


@router.patch("/timing", response_model=TimingIO, summary="Change the provisioning delays (0 allowed)")
def set_timing(body: TimingIO, container: ContainerDep) -> TimingIO:
    return _timing(provisioning.set_timing(body.waitingSeconds, body.inProgressSeconds, container.uows))


@router.get(
    "/activeNumbers/{phone_number}",
    summary="An active number as its project sees it (scheduled provisioning included), any project",
)
def provisioning_state(phone_number: str, container: ContainerDep) -> dict[str, object]:
    phone = parse_e164(phone_number)
    number = active_numbers.get_any(phone, container.uows)
    return m.to_wire(number, container.clock.now()).to_wire()

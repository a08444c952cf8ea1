"""Operator API of the Imported Numbers sandbox: LOA signatures, invoice reviews, voice codes, the
carrier simulator (failure rules, timing, stepping or failing work), service plans and per-project
settings. Under `/admin/v1/imported`, operator bearer token only.

Failure rule example: `{"step": "CAMPAIGN_PROVISIONING", "match": "CAMP1", "failureCode":
"CAMPAIGN_NOT_AVAILABLE"}`. Steps: OSR_UPDATE, PLATFORM_PROVISIONING, CAMPAIGN_PROVISIONING,
TMO_ASSIGNED (the number is held by another T-Mobile aggregator: campaign links fail unless
migrateToSinchTmo), ELIGIBILITY (qualified numbers). `match`: phone number, servicePlanId,
campaignId, NNID, or `*`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from numberdesk.api import mappers_imported as m
from numberdesk.api.deps import AdminDep, ContainerDep
from numberdesk.api.routes.common import error_responses
from numberdesk.api.routes.imported_common import ok, path_phone
from numberdesk.domain.carrier_simulator import CarrierFailureRule
from numberdesk.domain.errors import FieldViolation, InvalidArgument
from numberdesk.domain.imported_events import FailureCode
from numberdesk.services import carrier_simulator, hosting_orders, imported_settings, qualified_numbers
from numberdesk.services.ports_imported import ImportedProjectSettings

router = APIRouter(
    prefix="/admin/v1/imported",
    tags=["Admin: imported numbers sandbox"],
    dependencies=[AdminDep],
    responses=error_responses(400, 401, 404, 409, 500),
)


class FailureRuleIn(BaseModel):
    step: str = Field(
        description="OSR_UPDATE | PLATFORM_PROVISIONING | CAMPAIGN_PROVISIONING | TMO_ASSIGNED | ELIGIBILITY"
    )
    match: str = Field(description="phone number, servicePlanId, campaignId, NNID, or *")
    failureCode: str | None = Field(default=None, description="a seed failureCode; default depends on step")


class TimingIn(BaseModel):
    stepSeconds: float | None = Field(default=None, ge=0, le=86400)
    eligibilitySeconds: float | None = Field(default=None, ge=0, le=86400)


class SettingsIn(BaseModel):
    importNumberLimit: int | None = None
    blanketLoaApproved: bool | None = None
    nnid: str | None = None


class ReasonIn(BaseModel):
    reason: str = ""


class FailIn(BaseModel):
    failureCode: str = "NUMBER_PROVISIONING_FAILED"


class ServicePlanIn(BaseModel):
    servicePlanId: str


def _rule(rule: CarrierFailureRule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "step": rule.step.value,
        "match": rule.match,
        "failureCode": rule.failure_code.value,
        "createTime": rule.created_at.isoformat(),
    }


@router.get("/carrier/failures", summary="List the carrier simulator's failure rules")
def list_failures(container: ContainerDep) -> JSONResponse:
    return ok({"failures": [_rule(r) for r in carrier_simulator.list_rules(container.uows)]})


@router.post("/carrier/failures", summary="Add a failure rule")
def add_failure(body: FailureRuleIn, container: ContainerDep) -> JSONResponse:
    rule = carrier_simulator.add_rule(
        body.step, body.match, body.failureCode, container.uows, container.clock
    )
    return ok(_rule(rule))


@router.delete("/carrier/failures/{rule_id}", summary="Delete a failure rule")
def delete_failure(rule_id: str, container: ContainerDep) -> JSONResponse:
    carrier_simulator.delete_rule(rule_id, container.uows)
    return ok({})


@router.get("/carrier/timing", summary="Seconds each simulated carrier step (and eligibility check) takes")
def get_timing(container: ContainerDep) -> JSONResponse:
    t = carrier_simulator.get_timing(container.uows)
    return ok({"stepSeconds": t.step_seconds, "eligibilitySeconds": t.eligibility_seconds})


@router.patch("/carrier/timing", summary="Change the carrier simulator's delays (0 allowed)")
def set_timing(body: TimingIn, container: ContainerDep) -> JSONResponse:
    t = carrier_simulator.set_timing(body.stepSeconds, body.eligibilitySeconds, container.uows)
    return ok({"stepSeconds": t.step_seconds, "eligibilitySeconds": t.eligibility_seconds})


@router.get("/servicePlans", summary="Known service plans (once any exist, servicePlanId must be one)")
def list_service_plans(container: ContainerDep) -> JSONResponse:
    return ok({"servicePlanIds": carrier_simulator.list_service_plans(container.uows)})


@router.post("/servicePlans", summary="Register a service plan")
def add_service_plan(body: ServicePlanIn, container: ContainerDep) -> JSONResponse:
    carrier_simulator.add_service_plan(body.servicePlanId, container.uows, container.clock)
    return ok({"servicePlanId": body.servicePlanId})


@router.delete("/servicePlans/{service_plan_id}", summary="Forget a service plan")
def delete_service_plan(service_plan_id: str, container: ContainerDep) -> JSONResponse:
    carrier_simulator.delete_service_plan(service_plan_id, container.uows)
    return ok({})


def _settings(s: ImportedProjectSettings) -> dict[str, Any]:
    return {
        "projectId": s.project_id,
        "importNumberLimit": s.import_number_limit,
        "blanketLoaApproved": s.blanket_loa_approved,
        "nnid": s.nnid or hosting_orders.DEFAULT_NNID,
    }


@router.get("/projects/{project_id}/settings", summary="A project's import limit, blanket LOA and NNID")
def get_settings(project_id: str, container: ContainerDep) -> JSONResponse:
    return ok(_settings(imported_settings.get_settings(project_id, container.uows)))


@router.patch(
    "/projects/{project_id}/settings", summary="Authorise more imports, approve a blanket LOA, set the NNID"
)
def update_settings(project_id: str, body: SettingsIn, container: ContainerDep) -> JSONResponse:
    updated = imported_settings.update_settings(
        project_id,
        container.uows,
        import_number_limit=body.importNumberLimit,
        blanket_loa_approved=body.blanketLoaApproved,
        nnid=body.nnid,
    )
    return ok(_settings(updated))


@router.get("/hostingOrders/{hosting_order_id}", summary="A hosting order of any project, with its numbers")
def get_order(hosting_order_id: str, container: ContainerDep) -> JSONResponse:
    order = hosting_orders.get_any(hosting_order_id, container.uows)
    return ok(
        {
            **m.hosting_order(order),
            "numbers": [m.hosting_order_number(n) for n in order.numbers],
            "report": m.report(order.report()),
        }
    )


@router.post("/hostingOrders/{hosting_order_id}:signLoa", summary="The LOA was e-signed: the order starts")
def sign_loa(hosting_order_id: str, container: ContainerDep) -> JSONResponse:
    return ok(m.hosting_order(hosting_orders.sign_loa(hosting_order_id, container.uows, container.clock)))


@router.post("/hostingOrders/{hosting_order_id}:reject", summary="Reject the order (waiting steps fail)")
def reject(hosting_order_id: str, container: ContainerDep, body: ReasonIn | None = None) -> JSONResponse:
    reason = body.reason if body else ""
    return ok(
        m.hosting_order(hosting_orders.reject(hosting_order_id, reason, container.uows, container.clock))
    )


@router.post("/hostingOrders/{hosting_order_id}:step", summary="Do the order's due carrier steps now")
def step(hosting_order_id: str, container: ContainerDep) -> JSONResponse:
    return ok(m.hosting_order(hosting_orders.step_now(hosting_order_id, container.uows, container.clock)))


@router.post(
    "/hostingOrders/{hosting_order_id}/numbers/{phone_number}:fail",
    summary="Fail a number's next step now with a seed failureCode",
)
def fail(hosting_order_id: str, phone_number: str, body: FailIn, container: ContainerDep) -> JSONResponse:
    try:
        code = FailureCode(body.failureCode.strip().upper())
    except ValueError:
        raise InvalidArgument(
            "unknown failureCode", [FieldViolation("failureCode", "one of the seed's failureCode values")]
        ) from None
    phone = path_phone(phone_number, "HostingOrderNumber")
    order = hosting_orders.fail_step(hosting_order_id, phone, code, container.uows, container.clock)
    return ok(m.hosting_order(order))


@router.post(
    "/projects/{project_id}/qualifiedNumbers/{phone_number}:approveInvoices",
    summary="Invoices show ownership: VERIFIED",
)
def approve_invoices(project_id: str, phone_number: str, container: ContainerDep) -> JSONResponse:
    phone = path_phone(phone_number, "QualifiedNumber")
    number = qualified_numbers.approve_invoices(project_id, phone, container.uows, container.clock)
    return ok(m.qualified_number(number))


@router.post(
    "/projects/{project_id}/qualifiedNumbers/{phone_number}:rejectInvoices",
    summary="Invoices do not show ownership: VERIFICATION_FAILED",
)
def reject_invoices(
    project_id: str, phone_number: str, container: ContainerDep, body: ReasonIn | None = None
) -> JSONResponse:
    phone = path_phone(phone_number, "QualifiedNumber")
    reason = body.reason if body else ""
    number = qualified_numbers.reject_invoices(project_id, phone, reason, container.uows, container.clock)
    return ok(m.qualified_number(number))


@router.post(
    "/projects/{project_id}/qualifiedNumbers/{phone_number}:unblock",
    summary="Lift VERIFICATION_BLOCKED back to ELIGIBLE",
)
def unblock(project_id: str, phone_number: str, container: ContainerDep) -> JSONResponse:
    phone = path_phone(phone_number, "QualifiedNumber")
    return ok(
        m.qualified_number(qualified_numbers.unblock(project_id, phone, container.uows, container.clock))
    )


@router.get("/voiceCodes/{phone_number}", summary="The last code the sandbox voice caller spoke to a number")
def voice_code(phone_number: str, container: ContainerDep) -> JSONResponse:
    phone = path_phone(phone_number, "VoiceCode")
    code, called_at = qualified_numbers.voice_code(phone, container.uows)
    return ok({"phoneNumber": phone, "code": code, "calledTime": _iso(called_at)})


def _iso(moment: datetime) -> str:
    return moment.isoformat()

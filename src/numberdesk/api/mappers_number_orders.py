"""Number orders: domain → wire, and wire requests → service commands."""

from __future__ import annotations

from numberdesk.api.mappers_active_numbers import money
from numberdesk.domain.active_numbers import VoiceConfig, VoiceType
from numberdesk.domain.inventory import Capability, NumberPattern, NumberType, SearchPattern
from numberdesk.domain.kyc import RequirementSet
from numberdesk.domain.number_orders import NumberOrder, OrderSms, ReviewDecision, ReviewReason
from numberdesk.domain.phone_numbers import parse_e164
from numberdesk.domain.registration import EvaluationReport
from numberdesk.services.number_order_registration import RegistrationView
from numberdesk.services.number_order_reviews import ReviewCommand
from numberdesk.services.number_orders import CreateOrder, QuantityOption
from numberdesk.wire import number_order_extras as x
from numberdesk.wire import number_orders as w
from numberdesk.wire.active_numbers import VOICE_ID_FIELDS
from numberdesk.wire.errors import FieldViolationOut
from numberdesk.wire.numbers_common import Capability as WireCapability
from numberdesk.wire.numbers_common import (
    NumberOrderState,
    UploadStatus,
    VoiceApplicationType,
)
from numberdesk.wire.numbers_common import NumberType as WireNumberType


def order_to_wire(order: NumberOrder) -> w.NumberOrder:
    voice = None
    if order.voice is not None:
        id_field = VOICE_ID_FIELDS[VoiceApplicationType(order.voice.type.value)][0]
        voice = w.OrderVoiceConfiguration(
            type=VoiceApplicationType(order.voice.type.value), **{id_field: order.voice.id}
        )
    return w.NumberOrder(
        project_id=order.project_id,
        id_number_order=order.id,
        region_code=order.region_code,
        state=NumberOrderState(order.state.value),
        number_type=WireNumberType(order.number_type.value),
        order_numbers=[
            w.OrderNumber(
                phone_number=n.phone_number,
                number_price=w.NumberPrice(
                    setup_price=money(n.setup_price),
                    monthly_price=money(n.monthly_price),
                    payment_interval_months=n.payment_interval_months,
                ),
                capabilities=[WireCapability(c.value) for c in n.capabilities],
            )
            for n in order.numbers
        ],
        sms_configuration=(
            w.OrderSmsConfiguration(
                service_plan_id=order.sms.service_plan_id, campaign_id=order.sms.campaign_id or None
            )
            if order.sms
            else None
        ),
        voice_configuration=voice,
        callback_url=order.callback_url,
        expire_time=order.expire_time,
        create_time=order.created_at,
        update_time=order.updated_at,
    )


def registration_to_wire(view: RegistrationView) -> w.Registration:
    return w.Registration(
        request_details=view.request_details or {},
        attachments=[
            w.Attachment(
                attachment_id=a.attachment_id,
                file_name=a.file_name,
                mime_type=a.mime_type,
                create_time=a.created_at,
                update_time=a.updated_at,
                upload_status=UploadStatus.COMPLETED,
                document_type=a.document_type,
            )
            for a in view.attachments
        ],
        logs=[w.RegistrationLog(message=entry.message, create_time=entry.created_at) for entry in view.logs],
    )


def schema_url(project_id: str, req: RequirementSet) -> str:
    return f"/v1/projects/{project_id}/numberRequirements/{req.region_code}/{req.number_type}/schema.json"


def requirements_to_wire(project_id: str, req: RequirementSet) -> w.NumberRequirements:
    return w.NumberRequirements(
        fields={
            "schema": dict(req.schema),
            "schemaUrl": schema_url(project_id, req),
            "endUserTypes": list(req.end_user_types),
            "example": dict(req.example) if req.example is not None else None,
            "reservationHours": req.reservation_hours,
            "reviewRequired": req.review_required,
        },
        attachments=[
            w.RequiredAttachment(
                id=a.id,
                title=a.title,
                description=a.description,
                mandatory=a.mandatory,
                template=[w.AttachmentTemplate(name=t.name, url=t.url) for t in a.templates],
                allowed_mime_types=list(a.allowed_mime_types),
                allowed_document_types=list(a.allowed_document_types) or None,
            )
            for a in req.attachments
        ],
        quantity_orders_supported=True,
    )


def evaluation_to_wire(report: EvaluationReport) -> x.EvaluationReport:
    return x.EvaluationReport(
        ready=report.ready,
        fields=[x.FieldCheck(path=f.path, satisfied=f.satisfied, problem=f.problem) for f in report.fields],
        attachments=[
            x.AttachmentCheck(
                attachment_id=a.id, mandatory=a.mandatory, uploaded=a.uploaded, satisfied=a.satisfied
            )
            for a in report.attachments
        ],
        missing=[FieldViolationOut(field=v.field, description=v.description) for v in report.missing],
    )


def create_command(body: w.CreateNumberOrderRequest, region_code: str) -> CreateOrder:
    phones = None
    if body.number_order_option is not None:
        phones = tuple(
            parse_e164(p, f"numberOrderOption.phoneNumbers[{i}]")
            for i, p in enumerate(body.number_order_option.phone_numbers)
        )
    quantity = None
    if body.quantity_order_option is not None:
        q = body.quantity_order_option
        pattern = None
        if q.number_pattern is not None and q.number_pattern.pattern:
            kind = q.number_pattern.search_pattern
            pattern = NumberPattern(
                q.number_pattern.pattern.strip(), SearchPattern(kind.value) if kind else SearchPattern.START
            )
        quantity = QuantityOption(
            q.requested_quantity,
            pattern,
            tuple(Capability(c.value) for c in q.capabilities or []),
            bool(q.sequential),
        )
    sms = None
    if body.sms_configuration is not None:
        sms = OrderSms(body.sms_configuration.service_plan_id, body.sms_configuration.campaign_id or None)
    voice = None
    if body.voice_configuration is not None:
        voice = VoiceConfig(
            VoiceType(body.voice_configuration.type.value), body.voice_configuration.id_value() or ""
        )
    return CreateOrder(
        region_code=region_code,
        number_type=NumberType(body.number_type.value),
        phone_numbers=phones,
        quantity=quantity,
        sms=sms,
        voice=voice,
        callback_url=body.callback_url or None,
    )


def review_command(decision: ReviewDecision, body: x.ReviewDecisionIn | None) -> ReviewCommand:
    body = body or x.ReviewDecisionIn()
    return ReviewCommand(
        decision,
        body.message,
        tuple(ReviewReason(r.code, r.message, r.field, r.attachment_id) for r in body.reasons),
    )

"""JSON documents of the imported-numbers aggregates (events are not stored: they go to the outbox)."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from typing import Any

from numberdesk.domain.hosting_orders import HostingOrder, HostingOrderState, HostingOrderType
from numberdesk.domain.hosting_orders_loa import (
    AuthorisedPerson,
    LetterOfAuthorisation,
    LoaType,
    PostalAddress,
)
from numberdesk.domain.hosting_orders_numbers import HostingOrderNumber, Step, StepState
from numberdesk.domain.imported_events import FailureCode
from numberdesk.domain.imported_numbers import ImportedNumber, LinkState, SmsLink
from numberdesk.domain.qualified_numbers import (
    GlobalProcessState,
    QualifiedNumber,
    VerificationMethod,
    VoiceChallenge,
)


def _t(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _req_dt(value: str) -> datetime:
    return datetime.fromisoformat(value)


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, separators=(",", ":"), sort_keys=True)


# -- imported numbers -------------------------------------------------------------------------------


def _link(link: SmsLink) -> dict[str, Any]:
    return {**asdict(link), "state": link.state.value}


def _link_from(d: dict[str, Any]) -> SmsLink:
    return SmsLink(LinkState(d["state"]), d["linked_id"], d["target_id"], d["error_code"])


def imported_number_document(n: ImportedNumber) -> str:
    return dumps(
        {
            "project_id": n.project_id,
            "phone_number": n.phone_number,
            "region_code": n.region_code,
            "created_time": _t(n.created_time),
            "updated_time": _t(n.updated_time),
            "display_name": n.display_name,
            "callback_url": n.callback_url,
            "migrate_to_sinch_tmo": n.migrate_to_sinch_tmo,
            "service_plan": _link(n.service_plan),
            "campaign": _link(n.campaign),
        }
    )


def imported_number_from(text: str) -> ImportedNumber:
    d = json.loads(text)
    return ImportedNumber(
        project_id=d["project_id"],
        phone_number=d["phone_number"],
        region_code=d["region_code"],
        created_time=_req_dt(d["created_time"]),
        updated_time=_req_dt(d["updated_time"]),
        display_name=d["display_name"],
        callback_url=d["callback_url"],
        migrate_to_sinch_tmo=d["migrate_to_sinch_tmo"],
        service_plan=_link_from(d["service_plan"]),
        campaign=_link_from(d["campaign"]),
    )


# -- hosting orders -----------------------------------------------------------------------------------


def _step(step: Step | None) -> dict[str, str] | None:
    return None if step is None else {"reference": step.reference, "state": step.state.value}


def _step_from(d: dict[str, str] | None) -> Step | None:
    return None if d is None else Step(d["reference"], StepState(d["state"]))


def _loa(loa: LetterOfAuthorisation | None) -> dict[str, Any] | None:
    if loa is None:
        return None
    return {
        "loa_type": loa.loa_type.value,
        "authorised_person": asdict(loa.authorised_person) if loa.authorised_person else None,
        "address": asdict(loa.address) if loa.address else None,
        "current_voice_carrier": loa.current_voice_carrier,
        "business_name": loa.business_name,
    }


def _loa_from(d: dict[str, Any] | None) -> LetterOfAuthorisation | None:
    if d is None:
        return None
    person, address = d["authorised_person"], d["address"]
    return LetterOfAuthorisation(
        LoaType(d["loa_type"]),
        AuthorisedPerson(**person) if person else None,
        PostalAddress(**address) if address else None,
        d["current_voice_carrier"],
        d["business_name"],
    )


def hosting_order_document(o: HostingOrder) -> str:
    return dumps(
        {
            "project_id": o.project_id,
            "hosting_order_id": o.hosting_order_id,
            "order_type": o.order_type.value,
            "region_code": o.region_code,
            "service_plan_id": o.service_plan_id,
            "created_time": _t(o.created_time),
            "updated_time": _t(o.updated_time),
            "display_name": o.display_name,
            "campaign_id": o.campaign_id,
            "callback_url": o.callback_url,
            "migrate_to_sinch_tmo": o.migrate_to_sinch_tmo,
            "toll_free": o.toll_free,
            "nnid": o.nnid,
            "loa": _loa(o.loa),
            "scheduled_osr_update_time": _t(o.scheduled_osr_update_time),
            "loa_signed_time": _t(o.loa_signed_time),
            "rejection_reason": o.rejection_reason,
            "state": o.state.value,
            "numbers": [
                {
                    "phone_number": n.phone_number,
                    "platform_provisioning": _step(n.platform_provisioning),
                    "osr_update": _step(n.osr_update),
                    "campaign_provisioning": _step(n.campaign_provisioning),
                    "failure_code": n.failure_code.value if n.failure_code else None,
                }
                for n in o.numbers
            ],
        }
    )


def hosting_order_from(text: str) -> HostingOrder:
    d = json.loads(text)
    order = HostingOrder(
        project_id=d["project_id"],
        hosting_order_id=d["hosting_order_id"],
        order_type=HostingOrderType(d["order_type"]),
        region_code=d["region_code"],
        service_plan_id=d["service_plan_id"],
        created_time=_req_dt(d["created_time"]),
        updated_time=_req_dt(d["updated_time"]),
        display_name=d["display_name"],
        campaign_id=d["campaign_id"],
        callback_url=d["callback_url"],
        migrate_to_sinch_tmo=d["migrate_to_sinch_tmo"],
        toll_free=d["toll_free"],
        nnid=d["nnid"],
        loa=_loa_from(d["loa"]),
        scheduled_osr_update_time=_dt(d["scheduled_osr_update_time"]),
        loa_signed_time=_dt(d["loa_signed_time"]),
        rejection_reason=d["rejection_reason"],
        state=HostingOrderState(d["state"]),
    )
    for n in d["numbers"]:
        platform = _step_from(n["platform_provisioning"])
        assert platform is not None
        order.numbers.append(
            HostingOrderNumber(
                project_id=order.project_id,
                hosting_order_id=order.hosting_order_id,
                phone_number=n["phone_number"],
                platform_provisioning=platform,
                osr_update=_step_from(n["osr_update"]),
                campaign_provisioning=_step_from(n["campaign_provisioning"]),
                failure_code=FailureCode(n["failure_code"]) if n["failure_code"] else None,
            )
        )
    return order


# -- qualified numbers --------------------------------------------------------------------------------


def qualified_number_document(q: QualifiedNumber) -> str:
    challenge = q.challenge
    return dumps(
        {
            "project_id": q.project_id,
            "phone_number": q.phone_number,
            "region_code": q.region_code,
            "created_time": _t(q.created_time),
            "updated_time": _t(q.updated_time),
            "state": q.state.value,
            "verification_method": q.verification_method.value,
            "challenge": None
            if challenge is None
            else {
                "code": challenge.code,
                "sent_time": _t(challenge.sent_time),
                "expires_time": _t(challenge.expires_time),
            },
            "failed_attempts": q.failed_attempts,
            "eligibility_error": q.eligibility_error,
            "verification_error": q.verification_error,
            "hosting_error": q.hosting_error,
            "hosting_order_id": q.hosting_order_id,
        }
    )


def qualified_number_from(text: str) -> QualifiedNumber:
    d = json.loads(text)
    c = d["challenge"]
    return QualifiedNumber(
        project_id=d["project_id"],
        phone_number=d["phone_number"],
        region_code=d["region_code"],
        created_time=_req_dt(d["created_time"]),
        updated_time=_req_dt(d["updated_time"]),
        state=GlobalProcessState(d["state"]),
        verification_method=VerificationMethod(d["verification_method"]),
        challenge=None
        if c is None
        else VoiceChallenge(c["code"], _req_dt(c["sent_time"]), _req_dt(c["expires_time"])),
        failed_attempts=d["failed_attempts"],
        eligibility_error=d["eligibility_error"],
        verification_error=d["verification_error"],
        hosting_error=d["hosting_error"],
        hosting_order_id=d["hosting_order_id"],
    )

"""Domain -> wire for the Imported Numbers API, as JSON-ready dicts.

Two choices keep responses inside the seed's schemas: absent values are left out (the seed's
OpenAPI 3.0 schemas are not nullable), and the fields the seed types `integer, format: enum`
(`scheduledProvisioning.status` and `.errorCodes`, `textEnableInfo.loaType`, the three
qualified-number detail statuses) carry the enum's number: its position in the wire enum, the
UNSPECIFIED member being 0 (the same numbering the list filters accept).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypeVar

from numberdesk.domain.hosting_orders import HostingOrder
from numberdesk.domain.hosting_orders_loa import LoaType
from numberdesk.domain.hosting_orders_numbers import HostingOrderNumber, HostingOrderReport
from numberdesk.domain.imported_numbers import ImportedNumber
from numberdesk.domain.qualified_numbers import QualifiedNumber
from numberdesk.wire import hosting_orders as wo
from numberdesk.wire import imported_numbers as wi
from numberdesk.wire import qualified_numbers as wq
from numberdesk.wire.base import WireResponse
from numberdesk.wire.numbers_common import ProvisioningStatus, SmsErrorCode

E = TypeVar("E", bound=StrEnum)
SERVICE_PROVIDER = "numberdesk"
# textEnableInfo.loaType: the seed's x-enumDescriptions order after an unspecified 0.
LOA_NUMBERS = {LoaType.DIRECT: 1, LoaType.RESELLER: 2}


def dump(model: WireResponse) -> dict[str, Any]:
    return model.model_dump(by_alias=True, mode="json", exclude_none=True)


def enum_number(enum: type[E], value: str) -> int:
    members = [m.value for m in enum]
    return members.index(value) if value in members else 0


def imported_number(n: ImportedNumber) -> dict[str, Any]:
    sp = n.scheduled_provisioning
    scheduled = None
    if sp is not None:
        scheduled = wi.ScheduledProvisioning(
            service_plan_id=sp.service_plan_id,
            campaign_id=sp.campaign_id,
            last_updated_time=sp.last_updated_time,
        )
    body = dump(
        wi.ImportedNumber(
            phone_number=n.phone_number,
            project_id=n.project_id,
            region_code=n.region_code,
            display_name=n.display_name,
            sms_configuration=wi.SmsConfiguration(
                service_plan_id=n.service_plan_id,
                campaign_id=n.campaign_id,
                migrate_to_sinch_tmo=n.migrate_to_sinch_tmo,
                scheduled_provisioning=scheduled,
            ),
            callback_url=n.callback_url,
        )
    )
    if sp is not None:
        target = body["smsConfiguration"]["scheduledProvisioning"]
        target["status"] = enum_number(ProvisioningStatus, sp.status.value)
        target["errorCodes"] = [enum_number(SmsErrorCode, code) for code in sp.error_codes]
    return body


def _text_enable_info(order: HostingOrder) -> tuple[wo.TextEnableInfo | None, int | None]:
    loa = order.loa
    if loa is None:
        return None, None
    person, address = loa.authorised_person, loa.address
    info = wo.TextEnableInfo(
        business_name=loa.business_name or None,
        authorised_person=wo.AuthorizedPerson(
            first_name=person.first_name, last_name=person.last_name, email=person.email
        )
        if person
        else None,
        address=wo.Address(
            building_number=address.building_number,
            street=address.street,
            city=address.city,
            state=address.state,
            postal_code=address.postal_code,
            country=address.country,
        )
        if address
        else None,
        service_provider=SERVICE_PROVIDER,
        current_voice_carrier=loa.current_voice_carrier or None,
        nnid=order.nnid or None,
    )
    return info, LOA_NUMBERS.get(loa.loa_type)


def hosting_order(order: HostingOrder) -> dict[str, Any]:
    info, loa_number = _text_enable_info(order)
    body = dump(
        wo.HostingOrder(
            project_id=order.project_id,
            hosting_order_id=order.hosting_order_id,
            display_name=order.display_name,
            region_code=order.region_code,
            state=wo.HostingOrderState(order.state.value),
            type=wo.HostingOrderType(order.order_type.value),
            created_time=order.created_time,
            updated_time=order.updated_time,
            scheduled_osr_update_time=order.scheduled_osr_update_time,
            service_plan_id=order.service_plan_id,
            campaign_id=order.campaign_id,
            migrate_to_sinch_tmo=order.migrate_to_sinch_tmo,
            text_enable_info=info,
            callback_url=order.callback_url,
        )
    )
    if loa_number is not None:
        body["textEnableInfo"]["loaType"] = loa_number
    return body


def import_hosting_order(order: HostingOrder) -> dict[str, Any]:
    return dump(
        wo.ImportHostingOrder(
            project_id=order.project_id,
            hosting_order_id=order.hosting_order_id,
            display_name=order.display_name,
            region_code=order.region_code,
            state=wo.HostingOrderState(order.state.value),
            type=wo.HostingOrderType(order.order_type.value),
            created_time=order.created_time,
            updated_time=order.updated_time,
            service_plan_id=order.service_plan_id,
            campaign_id=order.campaign_id,
            migrate_to_sinch_tmo=order.migrate_to_sinch_tmo,
            number_import={},
            callback_url=order.callback_url,
        )
    )


def hosting_order_number(n: HostingOrderNumber) -> dict[str, Any]:
    osr, platform, campaign = n.osr_update, n.platform_provisioning, n.campaign_provisioning
    return dump(
        wo.HostingOrderNumber(
            project_id=n.project_id,
            hosting_order_id=n.hosting_order_id,
            phone_number=n.phone_number,
            osr_update=wo.HostingOrderNumberOsrUpdate(
                nnid=osr.reference, state=wo.HostingOrderNumberState(osr.state.value)
            )
            if osr
            else None,
            platform_provisioning=wo.HostingOrderNumberPlatformProvisioning(
                service_plan_id=platform.reference, state=wo.HostingOrderNumberState(platform.state.value)
            ),
            campaign_provisioning=wo.HostingOrderNumberCampaignProvisioning(
                campaign_id=campaign.reference, state=wo.HostingOrderNumberState(campaign.state.value)
            )
            if campaign
            else None,
        )
    )


def report(r: HostingOrderReport) -> dict[str, Any]:
    return dump(
        wo.HostingOrderReport(
            total=r.total,
            osr_updated=r.osr_updated,
            sms_provisioned=r.sms_provisioned,
            added_to_campaign=r.added_to_campaign,
            ongoing_manual_action=r.ongoing_manual_action,
        )
    )


def qualified_number(q: QualifiedNumber) -> dict[str, Any]:
    body = dump(
        wq.QualifiedNumber(
            phone_number=q.phone_number,
            project_id=q.project_id,
            region_code=q.region_code,
            global_process_state=wq.GlobalProcessState(q.state.value),
            osr_eligibility=wq.QualifiedNumberOsrEligibilityDetails(error=q.eligibility_error or None),
            ownership_verification=wq.QualifiedNumberOwnershipVerificationDetails(
                error=q.verification_error or None
            ),
            hosted_number=wq.QualifiedNumberHostedNumberDetails(error=q.hosting_error or None),
            created_time=q.created_time,
            updated_time=q.updated_time,
        )
    )
    body["osrEligibility"]["status"] = enum_number(wq.OsrEligibilityStatus, q.osr_eligibility_status.value)
    body["ownershipVerification"]["status"] = enum_number(
        wq.OwnershipVerificationStatus, q.ownership_verification_status.value
    )
    body["hostedNumber"]["status"] = enum_number(wq.HostingStatus, q.hosting_status.value)
    return body

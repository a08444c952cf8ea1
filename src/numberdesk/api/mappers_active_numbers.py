"""Active numbers: domain → wire (the live shape) and wire requests → service commands."""

from __future__ import annotations

from datetime import datetime

from numberdesk.domain.active_numbers import ActiveNumber, VoiceConfig, VoiceType
from numberdesk.domain.inventory import Price
from numberdesk.services.active_numbers import Configuration, SmsChange, Update
from numberdesk.wire import active_numbers as w
from numberdesk.wire.numbers_common import (
    Capability,
    Money,
    NumberType,
    ProvisioningStatus,
    SmsErrorCode,
    VoiceApplicationType,
)


def money(price: Price) -> Money:
    return Money(currency_code=price.currency_code, amount=price.wire_amount())


def _ids(voice_type: VoiceType, value: str) -> dict[str, str]:
    ids = {"app_id": "", "trunk_id": "", "service_id": ""}
    ids[w.VOICE_ID_FIELDS[VoiceApplicationType(voice_type.value)][0]] = value
    return ids


def to_wire(number: ActiveNumber, now: datetime) -> w.ActiveNumber:
    sms_scheduled = None
    if number.sms_scheduled is not None:
        s = number.sms_scheduled
        sms_scheduled = w.ScheduledProvisioning(
            service_plan_id=s.service_plan_id,
            campaign_id=s.campaign_id,
            status=ProvisioningStatus(s.status.value),
            last_updated_time=s.last_updated,
            error_codes=[SmsErrorCode(code) for code in s.error_codes],
        )
    voice_scheduled = None
    if number.voice_scheduled is not None:
        v = number.voice_scheduled
        voice_scheduled = w.ScheduledVoiceProvisioning(
            status=ProvisioningStatus(v.status.value),
            last_updated_time=v.last_updated,
            type=VoiceApplicationType(v.type.value),
            **_ids(v.type, v.id),
        )
    return w.ActiveNumber(
        phone_number=number.phone_number,
        project_id=number.project_id,
        display_name=number.display_name,
        region_code=number.region_code,
        type=NumberType(number.number_type.value),
        capability=[Capability(c.value) for c in number.capabilities],
        money=money(number.money),
        payment_interval_months=number.payment_interval_months,
        next_charge_date=number.next_charge_date(now),
        expire_at=number.expire_at,
        sms_configuration=w.SmsConfiguration(
            service_plan_id=number.sms.service_plan_id,
            scheduled_provisioning=sms_scheduled,
            campaign_id=number.sms.campaign_id,
        ),
        voice_configuration=w.VoiceConfiguration(
            scheduled_voice_provisioning=voice_scheduled,
            last_updated_time=number.voice_last_updated,
            type=VoiceApplicationType(number.voice.type.value),
            **_ids(number.voice.type, number.voice.id),
        ),
        callback_url=number.callback_url,
    )


def sms_change(body: w.SmsConfigurationIn | None) -> SmsChange | None:
    if body is None:
        return None
    campaign: str | None = None
    if "campaign_id" in body.model_fields_set:
        campaign = body.campaign_id or ""
    return SmsChange(body.service_plan_id or "", campaign)


def voice_config(body: w.VoiceConfigurationIn | None) -> VoiceConfig | None:
    if body is None:
        return None
    return VoiceConfig(VoiceType(body.type.value), body.id_value() or "")


def configuration(body: w.RentNumberRequest | w.RentAnyNumberRequest) -> Configuration:
    return Configuration(
        sms_change(body.sms_configuration), voice_config(body.voice_configuration), body.callback_url
    )


def update(body: w.ActiveNumberUpdate) -> Update:
    sent = body.model_fields_set
    return Update(
        display_name=(body.display_name or "") if "display_name" in sent else None,
        callback_url=(body.callback_url or "") if "callback_url" in sent else None,
        sms=sms_change(body.sms_configuration),
        voice=voice_config(body.voice_configuration),
    )

"""Active numbers: activate (rent, rentAny, order completion), list, get, update, release, expire.

`activate_number` is the one way a number becomes active; it works inside the caller's unit of work
(number orders call it when an order completes).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from numberdesk.domain.active_numbers import ActiveNumber, ProvisioningKind, SmsConfig, VoiceConfig
from numberdesk.domain.errors import Conflict, FieldViolation, InvalidArgument, NotFound
from numberdesk.domain.inventory import (
    Capability,
    NumberPattern,
    NumberState,
    NumberType,
    SearchCriteria,
)
from numberdesk.services import provisioning
from numberdesk.services.ports import Clock, KycPolicies, UnitOfWork, UnitOfWorkFactory
from numberdesk.services.ports_active_numbers import ActiveNumberOrder, ActiveNumberQuery

EXPIRE_JOB = "active_number.expire"
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


@dataclass(frozen=True)
class SmsChange:
    """Requested SMS settings; `campaign_id=None` keeps the current campaign (`""` unlinks)."""

    service_plan_id: str
    campaign_id: str | None = None


@dataclass(frozen=True)
class Configuration:
    sms: SmsChange | None = None
    voice: VoiceConfig | None = None
    callback_url: str | None = None


@dataclass(frozen=True)
class RentAny:
    region_code: str
    number_type: NumberType
    pattern: NumberPattern | None = None
    capabilities: tuple[Capability, ...] = ()


@dataclass(frozen=True)
class Update:
    """PATCH: only the fields that are not None change (`""` clears displayName/callbackUrl)."""

    display_name: str | None = None
    callback_url: str | None = None
    sms: SmsChange | None = None
    voice: VoiceConfig | None = None


@dataclass(frozen=True)
class Page:
    numbers: list[ActiveNumber]
    next_page_token: str
    total_size: int


def _not_found(phone_number: str) -> NotFound:
    return NotFound("ActiveNumber", phone_number, f"Number {phone_number} not found")


def _unavailable(phone_number: str) -> NotFound:
    return NotFound("AvailableNumber", phone_number, f"Number {phone_number} is not available")


def _apply_sms(uow: UnitOfWork, number: ActiveNumber, change: SmsChange, now: datetime) -> None:
    if Capability.SMS not in number.capabilities:
        raise InvalidArgument(
            f"{number.phone_number} has no SMS capability",
            [FieldViolation("smsConfiguration", "the number does not support SMS")],
        )
    campaign = number.sms.campaign_id if change.campaign_id is None else change.campaign_id
    number.request_sms(SmsConfig(change.service_plan_id, campaign), now)
    provisioning.schedule(uow, number, ProvisioningKind.SMS, now)


def _apply_voice(uow: UnitOfWork, number: ActiveNumber, voice: VoiceConfig, now: datetime) -> None:
    if Capability.VOICE not in number.capabilities:
        raise InvalidArgument(
            f"{number.phone_number} has no VOICE capability",
            [FieldViolation("voiceConfiguration", "the number does not support voice")],
        )
    number.request_voice(voice, now)
    provisioning.schedule(uow, number, ProvisioningKind.VOICE, now)


def activate_number(
    uow: UnitOfWork,
    project_id: str,
    phone_number: str,
    sms_config: SmsChange | None,
    voice_config: VoiceConfig | None,
    callback_url: str | None,
    now: datetime,
    *,
    from_state: NumberState | None = NumberState.RESERVED,
) -> ActiveNumber:
    """Make `phone_number` an active number of `project_id` inside the caller's unit of work.

    The inventory row moves `from_state` → ACTIVE by compare-and-set (pass `None` if the caller has
    already moved it); losing that race raises NotFound(AvailableNumber). Requested SMS/voice settings
    are queued as WAITING scheduled provisioning. The caller commits.
    """
    stock = uow.inventory.get(phone_number)
    if stock is None:
        raise _unavailable(phone_number)
    if from_state is not None:
        if not uow.inventory.move(phone_number, from_state, NumberState.ACTIVE, project_id):
            raise _unavailable(phone_number)
    elif stock.state is not NumberState.ACTIVE or stock.project_id != project_id:
        raise _unavailable(phone_number)
    number = ActiveNumber(
        phone_number=phone_number,
        project_id=project_id,
        region_code=stock.region_code,
        number_type=stock.number_type,
        capabilities=stock.capabilities,
        money=stock.monthly_price,
        payment_interval_months=stock.payment_interval_months,
        activated_at=now,
        callback_url=callback_url or "",
    )
    if sms_config is not None:
        _apply_sms(uow, number, sms_config, now)
    if voice_config is not None:
        _apply_voice(uow, number, voice_config, now)
    uow.active_numbers.add(number)
    return number


def _require_no_kyc(policies: KycPolicies, region_code: str, number_type: NumberType) -> None:
    if policies.has_policy(region_code, number_type):
        raise InvalidArgument(
            f"{region_code} {number_type.value} numbers need KYC registration: "
            "use a number order (numberOrders:createNumberOrder) instead of rent",
            [FieldViolation("phoneNumber", "this region and type can only be bought with a number order")],
        )


def rent(
    project_id: str,
    phone_number: str,
    config: Configuration,
    uows: UnitOfWorkFactory,
    clock: Clock,
    policies: KycPolicies,
) -> ActiveNumber:
    # Read the clock before the transaction: the sandbox clock takes its own pooled connection.
    now = clock.now()
    with uows() as uow:
        stock = uow.inventory.get(phone_number)
        if stock is None or stock.state is not NumberState.AVAILABLE:
            raise _unavailable(phone_number)
        _require_no_kyc(policies, stock.region_code, stock.number_type)
        number = activate_number(
            uow,
            project_id,
            phone_number,
            config.sms,
            config.voice,
            config.callback_url,
            now,
            from_state=NumberState.AVAILABLE,
        )
        uow.commit()
    return number


def rent_any(
    project_id: str,
    criteria: RentAny,
    config: Configuration,
    uows: UnitOfWorkFactory,
    clock: Clock,
    policies: KycPolicies,
    batch: int = 20,
    rounds: int = 5,
) -> ActiveNumber:
    """Activate the first available number matching `criteria`; a lost race moves on to the next one."""
    _require_no_kyc(policies, criteria.region_code, criteria.number_type)
    search = SearchCriteria(
        criteria.region_code, criteria.number_type, criteria.pattern, criteria.capabilities, batch
    )
    for _ in range(rounds):
        with uows(readonly=True) as uow:
            candidates = uow.inventory.search(search)
        if not candidates:
            break
        for candidate in candidates:
            now = clock.now()  # before the transaction, as in `rent`
            with uows() as uow:
                try:
                    number = activate_number(
                        uow,
                        project_id,
                        candidate.phone_number,
                        config.sms,
                        config.voice,
                        config.callback_url,
                        now,
                        from_state=NumberState.AVAILABLE,
                    )
                except NotFound:
                    continue
                uow.commit()
            return number
    raise NotFound(
        "AvailableNumber",
        "",
        f"No available {criteria.region_code} {criteria.number_type.value} number matches the criteria",
    )


def get(project_id: str, phone_number: str, uows: UnitOfWorkFactory, clock: Clock) -> ActiveNumber:
    with uows(readonly=True) as uow:
        number = uow.active_numbers.get(phone_number)
    if number is None or number.project_id != project_id or _expired(number, clock.now()):
        raise _not_found(phone_number)
    return number


def get_any(phone_number: str, uows: UnitOfWorkFactory) -> ActiveNumber:
    """Operator view: the active number whatever its project (provisioning state included)."""
    with uows(readonly=True) as uow:
        number = uow.active_numbers.get(phone_number)
    if number is None:
        raise _not_found(phone_number)
    return number


def _expired(number: ActiveNumber, now: datetime) -> bool:
    return number.expire_at is not None and number.expire_at <= now


def _load_for_change(uow: UnitOfWork, project_id: str, phone_number: str, now: datetime) -> ActiveNumber:
    number = uow.active_numbers.get(phone_number)
    if number is None or number.project_id != project_id or _expired(number, now):
        raise _not_found(phone_number)
    return number


def _save(uow: UnitOfWork, number: ActiveNumber) -> None:
    if not uow.active_numbers.save(number):
        raise Conflict(f"{number.phone_number} was changed by another request; retry")


def update(
    project_id: str, phone_number: str, change: Update, uows: UnitOfWorkFactory, clock: Clock
) -> ActiveNumber:
    now = clock.now()
    with uows() as uow:
        number = _load_for_change(uow, project_id, phone_number, now)
        if change.display_name is not None:
            number.display_name = change.display_name
        if change.callback_url is not None:
            number.callback_url = change.callback_url
        if change.sms is not None:
            _apply_sms(uow, number, change.sms, now)
        if change.voice is not None:
            _apply_voice(uow, number, change.voice, now)
        _save(uow, number)
        uow.commit()
    return number


def release(project_id: str, phone_number: str, uows: UnitOfWorkFactory, clock: Clock) -> ActiveNumber:
    """Cancel the subscription: listed until `expireAt` (= next charge date), then back to the inventory."""
    now = clock.now()
    with uows() as uow:
        number = _load_for_change(uow, project_id, phone_number, now)
        number.release(now)
        assert number.expire_at is not None
        provisioning.cancel_all(uow, phone_number)
        _save(uow, number)
        uow.jobs.schedule(EXPIRE_JOB, phone_number, number.expire_at)
        uow.commit()
    return number


def expire(uow: UnitOfWork, ref: str, now: datetime) -> None:
    """Job handler: a released number past `expireAt` leaves the project and returns to the inventory."""
    number = uow.active_numbers.get(ref)
    if number is None or number.expire_at is None:
        return
    if number.expire_at > now:
        raise Conflict(f"{ref} is not expired yet")  # retried later by the job runner
    provisioning.cancel_all(uow, ref)
    for outcome in number.leaving_outcomes():
        provisioning.record(uow, number, outcome, now)
    uow.emergency_addresses.delete(ref)
    uow.active_numbers.delete(ref)
    uow.inventory.move(ref, NumberState.ACTIVE, NumberState.AVAILABLE, None)


# ---------------------------------------------------------------------------------------------- listing


def encode_page_token(order: ActiveNumberOrder, key: Sequence[str]) -> str:
    raw = json.dumps({"o": order.value, "k": list(key)}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_page_token(token: str, order: ActiveNumberOrder) -> tuple[str, ...]:
    problem = InvalidArgument(
        "invalid pageToken", [FieldViolation("pageToken", "not a token from this list")]
    )
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError):
        raise problem from None
    if not isinstance(data, dict) or data.get("o") != order.value or not isinstance(data.get("k"), list):
        raise problem
    key = tuple(str(k) for k in data["k"])
    if len(key) != (2 if order is ActiveNumberOrder.DISPLAY_NAME else 1):
        raise problem
    return key


def list_numbers(query: ActiveNumberQuery, page_token: str | None, uows: UnitOfWorkFactory) -> Page:
    """One page in `query.order_by` order (phone number as tiebreaker); `totalSize` counts the filter."""
    after = decode_page_token(page_token, query.order_by) if page_token else None
    page_query = ActiveNumberQuery(
        project_id=query.project_id,
        now=query.now,
        region_code=query.region_code,
        number_type=query.number_type,
        pattern=query.pattern,
        capabilities=query.capabilities,
        order_by=query.order_by,
        after=after,
        limit=query.limit + 1,
    )
    with uows(readonly=True) as uow:
        rows = uow.active_numbers.list(page_query)
        total = uow.active_numbers.count(query)
    numbers = rows[: query.limit]
    token = ""
    if len(rows) > query.limit:
        last = numbers[-1]
        key = (
            (last.display_name, last.phone_number)
            if query.order_by is ActiveNumberOrder.DISPLAY_NAME
            else (last.phone_number,)
        )
        token = encode_page_token(query.order_by, key)
    return Page(numbers, token, total)

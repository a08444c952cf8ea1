"""Number orders, Steps 1 and 3 of the KYC flow: requirements, create (atomic reservation), read, list,
and what every state change shares (saving a move, freeing or activating numbers, events, expiry).

Registration, documents, evaluate and submit are in `number_order_registration`; the operator's
review in `number_order_reviews`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from numberdesk.domain.active_numbers import VoiceConfig
from numberdesk.domain.errors import FieldViolation, InvalidArgument, NotFound
from numberdesk.domain.events import CallbackApi, CallbackEvent
from numberdesk.domain.inventory import (
    Capability,
    InventoryNumber,
    NumberPattern,
    NumberState,
    NumberType,
    SearchCriteria,
)
from numberdesk.domain.kyc import DEFAULT_RESERVATION_HOURS, Catalog, RequirementSet
from numberdesk.domain.number_orders import (
    ACTIVATES_NUMBERS,
    EVENT_TYPE,
    FREES_NUMBERS,
    RESOURCE_TYPE,
    NumberOrder,
    NumberOrderState,
    OrderedNumber,
    OrderExpired,
    OrderSms,
)
from numberdesk.services import active_numbers
from numberdesk.services.idempotency import Idempotency, claim_or_replay
from numberdesk.services.ids import new_id
from numberdesk.services.ports import Cipher, Clock, UnitOfWork, UnitOfWorkFactory
from numberdesk.services.ports_number_orders import BlobStore, OrderQuery

# Expiry is swept by `number_order_expiry.OrderExpirySweep` over the orders' (state, expire_time)
# index; this job kind is only run for timer rows written before the sweep existed.
EXPIRE_JOB = "number_order.expire"
AUTO_REVIEW_JOB = "number_order.auto_review"
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
_SEARCH_ROUNDS = 5


@dataclass(frozen=True)
class OrderOptions:
    default_reservation_hours: int = DEFAULT_RESERVATION_HOURS
    complete_without_policy: bool = True  # a region with no KYC policy completes at submit
    auto_review_seconds: float | None = None  # sandbox: approve valid submissions after N seconds
    max_upload_bytes: int = 10 * 1024 * 1024


@dataclass(frozen=True)
class OrderDeps:
    uows: UnitOfWorkFactory
    clock: Clock
    catalog: Catalog
    cipher: Cipher
    blobs: BlobStore
    options: OrderOptions = field(default_factory=OrderOptions)


@dataclass(frozen=True)
class QuantityOption:
    requested_quantity: int
    pattern: NumberPattern | None = None
    capabilities: tuple[Capability, ...] = ()
    sequential: bool = False


@dataclass(frozen=True)
class CreateOrder:
    region_code: str
    number_type: NumberType
    phone_numbers: tuple[str, ...] | None = None
    quantity: QuantityOption | None = None
    sms: OrderSms | None = None
    voice: VoiceConfig | None = None
    callback_url: str | None = None


@dataclass(frozen=True)
class OrderPage:
    orders: list[NumberOrder]
    next_page_token: str
    total_size: int


# --------------------------------------------------------------------------------------- Step 1


def lookup_requirements(catalog: Catalog, region_code: str, number_type: NumberType) -> RequirementSet:
    requirements = catalog.get(region_code, number_type)
    if requirements is None:
        # The live service's answer for a region/type without a policy (US LOCAL, US TOLL_FREE).
        raise NotFound("NumberProduct", "numberRequirements", "Number requirements not found")
    return requirements


# --------------------------------------------------------------------------------------- shared


def order_not_found(order_id: str) -> NotFound:
    return NotFound("NumberOrder", order_id, f"Number order {order_id} not found")


def load(uow: UnitOfWork, project_id: str | None, order_id: str) -> NumberOrder:
    """The order, if it exists and belongs to `project_id` (None: the operator sees every project)."""
    order = uow.number_orders.get(order_id)
    if order is None or (project_id is not None and order.project_id != project_id):
        raise order_not_found(order_id)
    return order


def record_events(uow: UnitOfWork, order: NumberOrder) -> None:
    for moved in order.events:
        uow.outbox.add(
            CallbackEvent(
                event_id=new_id(),
                project_id=moved.project_id,
                api=CallbackApi.NUMBERS,
                resource_type=RESOURCE_TYPE,
                resource_id=moved.order_id,
                event_type=EVENT_TYPE,
                status=moved.state.value,
                occurred_at=moved.at,
                callback_url=moved.callback_url,
            )
        )
    order.events.clear()


def save_move(uow: UnitOfWork, order: NumberOrder, previous: NumberOrderState) -> bool:
    """Persist one move made by the aggregate: compare-and-set on the previous state, then its
    consequences (numbers freed or activated, timers cancelled, the event). False if another
    transaction moved the order first; the caller's unit of work must then not commit this one."""
    if not uow.number_orders.move(order, previous):
        return False
    now = order.updated_at
    if order.state in FREES_NUMBERS:
        for phone in order.phone_numbers:
            uow.inventory.move(phone, NumberState.RESERVED, NumberState.AVAILABLE, None)
    if order.state in ACTIVATES_NUMBERS:
        sms = (
            active_numbers.SmsChange(order.sms.service_plan_id, order.sms.campaign_id) if order.sms else None
        )
        for phone in order.phone_numbers:
            active_numbers.activate_number(
                uow, order.project_id, phone, sms, order.voice, order.callback_url, now
            )
    if order.state is not NumberOrderState.IN_REVIEW:
        uow.jobs.cancel(AUTO_REVIEW_JOB, order.id)
    record_events(uow, order)
    return True


def expire_now(uow: UnitOfWork, order: NumberOrder, now: datetime) -> bool:
    """Move an order past its expiry to EXPIRED (numbers back to the inventory). At most a few
    rounds: a concurrent move (say submit) is re-read and, if still expirable, expired in turn."""
    for _ in range(3):
        if not order.is_past_expiry(now):
            return False
        previous = order.expire(now)
        if save_move(uow, order, previous):
            return True
        fresh = uow.number_orders.get(order.id)
        if fresh is None:
            return False
        order = fresh
    return False


def open_order(uow: UnitOfWork, project_id: str, order_id: str, now: datetime) -> NumberOrder:
    """Load an order for a change. One past its expiry is expired here (committed) and refused."""
    order = load(uow, project_id, order_id)
    if order.is_past_expiry(now):
        expire_now(uow, order, now)
        uow.commit()
        raise OrderExpired(order.id)
    order.ensure_live(now)
    return order


def expire_by_id(uow: UnitOfWork, order_id: str, now: datetime) -> bool:
    """Expire the order if it is live and past its expiry; False if there was nothing to do."""
    order = uow.number_orders.get(order_id)
    return order is not None and expire_now(uow, order, now)


def expire_job(uow: UnitOfWork, ref: str, now: datetime) -> None:
    """Job handler for EXPIRE_JOB rows left from before the sweep (a no-op once swept)."""
    expire_by_id(uow, ref, now)


def reservation_hours(deps: OrderDeps, requirements: RequirementSet | None) -> int:
    if requirements is not None:
        return requirements.reservation_hours
    return deps.options.default_reservation_hours


# --------------------------------------------------------------------------------------- Step 3


def _check_shape(cmd: CreateOrder) -> None:
    if (cmd.phone_numbers is None) == (cmd.quantity is None):
        which = "both were sent" if cmd.phone_numbers is not None else "neither was sent"
        raise InvalidArgument(
            f"set exactly one of numberOrderOption and quantityOrderOption ({which})",
            [
                FieldViolation(
                    "numberOrderOption", f"exactly one of numberOrderOption and quantityOrderOption: {which}"
                )
            ],
        )
    if cmd.phone_numbers is not None and len(cmd.phone_numbers) != 1:
        raise InvalidArgument(
            "only one phone number per order is supported",
            [FieldViolation("numberOrderOption.phoneNumbers", "must contain exactly one phone number")],
        )
    if cmd.quantity is not None and not 1 <= cmd.quantity.requested_quantity <= 100:
        raise InvalidArgument(
            "requestedQuantity must be between 1 and 100",
            [FieldViolation("quantityOrderOption.requestedQuantity", "must be between 1 and 100")],
        )


def _needed_capabilities(cmd: CreateOrder) -> set[Capability]:
    needed = set(cmd.quantity.capabilities if cmd.quantity else ())
    if cmd.sms is not None:
        needed.add(Capability.SMS)
    if cmd.voice is not None:
        needed.add(Capability.VOICE)
    return needed


def _unavailable(phone: str) -> NotFound:
    return NotFound(
        "AvailableNumber",
        phone,
        f"Number {phone} is not available: search availableNumbers and order another one",
    )


def _reserve_one(uow: UnitOfWork, cmd: CreateOrder, phone: str, project_id: str) -> InventoryNumber:
    # Compare-and-set first (one statement that also returns the number); a number that turns out
    # not to fit the order is refused below and the reservation rolls back with the transaction.
    stock = uow.inventory.take(phone, NumberState.AVAILABLE, NumberState.RESERVED, project_id)
    if stock is None:
        raise _unavailable(phone)
    if stock.region_code != cmd.region_code or stock.number_type is not cmd.number_type:
        raise InvalidArgument(
            f"{phone} is a {stock.region_code} {stock.number_type.value} number",
            [
                FieldViolation(
                    "numberOrderOption.phoneNumbers[0]",
                    f"is not a {cmd.region_code} {cmd.number_type.value} number",
                )
            ],
        )
    missing = _needed_capabilities(cmd) - set(stock.capabilities)
    if missing:
        names = ", ".join(sorted(c.value for c in missing))
        raise InvalidArgument(
            f"{phone} lacks {names}",
            [FieldViolation("numberOrderOption.phoneNumbers[0]", f"the number does not support {names}")],
        )
    return stock


def _runs(candidates: list[InventoryNumber], length: int) -> list[list[InventoryNumber]]:
    """Runs of `length` consecutive numbers (by value) among sorted candidates."""
    runs: list[list[InventoryNumber]] = []
    current: list[InventoryNumber] = []
    for number in candidates:
        if current and int(number.phone_number[1:]) != int(current[-1].phone_number[1:]) + 1:
            current = []
        current.append(number)
        if len(current) >= length:
            runs.append(current[-length:])
    return runs


def _reserve_quantity(uow: UnitOfWork, cmd: CreateOrder, project_id: str) -> list[InventoryNumber]:
    assert cmd.quantity is not None
    wanted = cmd.quantity.requested_quantity
    criteria = SearchCriteria(
        cmd.region_code,
        cmd.number_type,
        cmd.quantity.pattern,
        tuple(sorted(_needed_capabilities(cmd))),
        size=min(max(wanted * 4, 50), 1000),
    )
    taken: list[InventoryNumber] = []
    for _ in range(_SEARCH_ROUNDS):
        candidates = uow.inventory.search(criteria)
        if cmd.quantity.sequential:
            for run in _runs(candidates, wanted):
                got = [
                    n
                    for n in run
                    if uow.inventory.move(
                        n.phone_number, NumberState.AVAILABLE, NumberState.RESERVED, project_id
                    )
                ]
                if len(got) == wanted:
                    return got
                for n in got:  # a partial run is given back inside this transaction
                    uow.inventory.move(n.phone_number, NumberState.RESERVED, NumberState.AVAILABLE, None)
        else:
            for n in candidates:
                if uow.inventory.move(
                    n.phone_number, NumberState.AVAILABLE, NumberState.RESERVED, project_id
                ):
                    taken.append(n)
                    if len(taken) == wanted:
                        return taken
        if len(candidates) < criteria.size:
            break
    kind = "consecutive " if cmd.quantity.sequential else ""
    raise NotFound(
        "AvailableNumber",
        "",
        f"Not enough {kind}{cmd.region_code} {cmd.number_type.value} numbers match the criteria "
        f"({wanted} requested): change the criteria or the quantity",
    )


def create_order(
    project_id: str, cmd: CreateOrder, deps: OrderDeps, idempotency: Idempotency | None = None
) -> NumberOrder:
    _check_shape(cmd)
    requirements = deps.catalog.get(cmd.region_code, cmd.number_type)
    now = deps.clock.now()  # before the transaction: the sandbox clock reads the database
    with deps.uows() as uow:
        replay = claim_or_replay(uow, project_id, "createNumberOrder", idempotency, now)
        if replay is not None:
            order_id = replay
        else:
            if cmd.phone_numbers is not None:
                stock = [_reserve_one(uow, cmd, p, project_id) for p in cmd.phone_numbers]
            else:
                stock = _reserve_quantity(uow, cmd, project_id)
            order = NumberOrder(
                id=new_id(),
                project_id=project_id,
                region_code=cmd.region_code,
                number_type=cmd.number_type,
                state=NumberOrderState.CREATED,
                numbers=tuple(
                    OrderedNumber(
                        n.phone_number,
                        n.capabilities,
                        n.setup_price,
                        n.monthly_price,
                        n.payment_interval_months,
                    )
                    for n in sorted(stock, key=lambda s: s.phone_number)
                ),
                expire_time=now + timedelta(hours=reservation_hours(deps, requirements)),
                created_at=now,
                updated_at=now,
                sms=cmd.sms,
                voice=cmd.voice,
                callback_url=cmd.callback_url or None,
            )
            uow.number_orders.add(order)  # expiry: the sweep finds it by (state, expire_time)
            if idempotency is not None:
                uow.idempotency.complete(project_id, idempotency.key, "createNumberOrder", order.id)
            uow.commit()
            return order
    return get_order(project_id, order_id, deps)


# --------------------------------------------------------------------------------------- reads


def get_order(project_id: str | None, order_id: str, deps: OrderDeps) -> NumberOrder:
    """The order as a reader sees it now: past its expiry it reads EXPIRED even before the sweep."""
    with deps.uows(readonly=True) as uow:
        order = load(uow, project_id, order_id)
    order.state = order.state_at(deps.clock.now())
    return order


def list_orders(
    project_id: str, states: tuple[NumberOrderState, ...], page_token: str | None, limit: int, deps: OrderDeps
) -> OrderPage:
    query = OrderQuery(project_id, states, page_token, limit)
    with deps.uows(readonly=True) as uow:
        orders = uow.number_orders.find(query)
        total = uow.number_orders.count(OrderQuery(project_id, states))
    now = deps.clock.now()
    for order in orders:
        order.state = order.state_at(now)
    next_token = orders[-1].id if len(orders) == limit else ""
    return OrderPage(orders, next_token, total)

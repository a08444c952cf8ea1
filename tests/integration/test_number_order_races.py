"""Races settled by the database (SQLite and PostgreSQL): one number, many orders; a small pool, many
quantity orders; submit against expiry. Threads, each with its own unit of work, no sleeps."""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from numberdesk.bootstrap import Container
from numberdesk.domain.errors import DomainError, NotFound
from numberdesk.domain.inventory import InventoryNumber, NumberState, NumberType, SearchCriteria
from numberdesk.domain.number_orders import NumberOrderState, OrderExpired
from numberdesk.services import inventory, number_order_registration, number_orders
from numberdesk.services.number_order_expiry import OrderExpirySweep
from numberdesk.services.number_orders import CreateOrder, OrderDeps, QuantityOption
from tests.conftest import new_tenant
from tests.integration.number_order_helpers import AU_MOBILE, deps, order_events, stock


def run_together(tasks: list[Callable[[], Any]]) -> list[Any]:
    """Start every task at once; each result is its return value or the exception it raised."""
    barrier = threading.Barrier(len(tasks))
    results: list[Any] = [None] * len(tasks)

    def runner(i: int, task: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[i] = task()
        except BaseException as exc:
            results[i] = exc

    threads = [threading.Thread(target=runner, args=(i, t)) for i, t in enumerate(tasks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def test_200_concurrent_creates_for_one_number_one_wins(container: Container) -> None:
    stock(container, AU_MOBILE[:1])
    tenant = new_tenant(container)
    cmd = CreateOrder("AU", NumberType.MOBILE, phone_numbers=(AU_MOBILE[0],))
    d = deps(container)
    results = run_together(
        [lambda: number_orders.create_order(tenant.project_id, cmd, d) for _ in range(200)]
    )
    wins = [r for r in results if isinstance(r, number_orders.NumberOrder)]
    losses = [r for r in results if isinstance(r, NotFound)]
    assert len(wins) == 1, Counter(type(r).__name__ for r in results)
    assert len(losses) == 199, Counter(repr(r)[:150] for r in results)
    assert all(AU_MOBILE[0] in loss.message and "not available" in loss.message for loss in losses)
    with container.uows(readonly=True) as uow:
        number = uow.inventory.get(AU_MOBILE[0])
        page = uow.number_orders.count(number_orders.OrderQuery(tenant.project_id))
    assert number is not None and number.state is NumberState.RESERVED
    assert page == 1


def test_concurrent_quantity_orders_never_share_a_number(container: Container) -> None:
    stock(container, AU_MOBILE)  # 8 numbers
    tenants = [new_tenant(container) for _ in range(3)]
    cmd = CreateOrder("AU", NumberType.MOBILE, quantity=QuantityOption(3))
    d = deps(container)
    tasks = [
        (lambda t=t: number_orders.create_order(t.project_id, cmd, d)) for t in tenants for _ in range(4)
    ]
    results = run_together(tasks)
    wins = [r for r in results if isinstance(r, number_orders.NumberOrder)]
    others = [r for r in results if not isinstance(r, number_orders.NumberOrder)]
    assert len(wins) == 2  # 8 numbers hold two orders of 3; the rest are refused cleanly
    assert all(isinstance(r, NotFound) for r in others), others
    phones = [p for w in wins for p in w.phone_numbers]
    assert len(phones) == len(set(phones)) == 6
    with container.uows(readonly=True) as uow:
        for win in wins:
            for phone in win.phone_numbers:
                number = uow.inventory.get(phone)
                assert number is not None and number.state is NumberState.RESERVED
                assert number.project_id == win.project_id
        left = uow.inventory.search(SearchCriteria("AU", NumberType.MOBILE, size=100))
    assert len(left) == 2


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now


def test_submit_racing_expiry_ends_in_one_state_with_one_event(container: Container) -> None:
    assert inventory.generate_numbers("US", NumberType.LOCAL, 16, container.uows, random.Random(7)) == 16
    with container.uows(readonly=True) as uow:
        stocked: list[InventoryNumber] = uow.inventory.search(SearchCriteria("US", NumberType.LOCAL, size=16))
    tenant = new_tenant(container)
    base = deps(container)
    # No policy for US LOCAL; keep the order IN_REVIEW after submit so the race is submit vs expiry.
    d = replace(base, options=replace(base.options, complete_without_policy=False))
    orders = [
        number_orders.create_order(
            tenant.project_id, CreateOrder("US", NumberType.LOCAL, phone_numbers=(n.phone_number,)), d
        )
        for n in stocked
    ]
    rng = random.Random(3)
    sweep = OrderExpirySweep(container.uows)
    tasks: list[Callable[[], Any]] = []
    for order in orders:
        # Both sides act at the same instant: just before expiry (submit must win, the sweep finds
        # nothing due) or at expiry (exactly one of them expires the order).
        now = order.expire_time - (timedelta(microseconds=1) if rng.random() < 0.5 else timedelta(0))
        at: OrderDeps = replace(d, clock=FixedClock(now))

        def do_submit(order_id: str = order.id, at: OrderDeps = at) -> Any:
            return number_order_registration.submit(tenant.project_id, order_id, at)

        def do_expire(order_id: str = order.id, now: datetime = now) -> Any:
            return sweep.expire_one(order_id, now)  # the sweep's step for one due order

        tasks += [do_submit, do_expire]
    results = run_together(tasks)
    unexpected = [r for r in results if isinstance(r, BaseException) and not isinstance(r, OrderExpired)]
    assert not unexpected, unexpected
    assert not [r for r in results if isinstance(r, DomainError) and not isinstance(r, OrderExpired)]
    seen = Counter()
    for order in orders:
        with container.uows(readonly=True) as uow:
            final = uow.number_orders.get(order.id)
            number = uow.inventory.get(order.phone_numbers[0])
        assert final is not None and number is not None
        assert final.state in (NumberOrderState.IN_REVIEW, NumberOrderState.EXPIRED)
        events = order_events(container, tenant.project_id, order.id)
        assert [e.status for e in events] == [final.state.value]
        expected = NumberState.AVAILABLE if final.state is NumberOrderState.EXPIRED else NumberState.RESERVED
        assert number.state is expected
        seen[final.state] += 1
    assert set(seen) == {NumberOrderState.IN_REVIEW, NumberOrderState.EXPIRED}

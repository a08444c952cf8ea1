"""Order expiry is swept from the orders' own (state, expire_time) index: no timer row per order,
yet `clock:advance` fires expiries in time order with every other timer and the background worker
expires orders in real time (both databases)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from sqlalchemy import text

from numberdesk.bootstrap import Container
from numberdesk.domain.inventory import NumberState, NumberType
from numberdesk.domain.number_orders import NumberOrderState
from numberdesk.services import number_orders
from numberdesk.services.clock import SandboxClock, SystemClock
from numberdesk.services.number_order_expiry import OrderExpirySweep
from numberdesk.services.number_orders import CreateOrder
from numberdesk.services.ports import UnitOfWork
from numberdesk.services.timers import advance
from numberdesk.workers.runner import BackgroundWorker
from tests.conftest import new_tenant
from tests.integration.number_order_helpers import AU_MOBILE, deps, order_events, stock


def sweep_of(container: Container) -> OrderExpirySweep:
    sweeps = [w for w in container.works if isinstance(w, OrderExpirySweep)]
    assert len(sweeps) == 1  # registered once, beside the job runner
    return sweeps[0]


def create(container: Container, project_id: str, phone: str) -> number_orders.NumberOrder:
    cmd = CreateOrder("AU", NumberType.MOBILE, phone_numbers=(phone,))
    return number_orders.create_order(project_id, cmd, deps(container))


def state_of(container: Container, order_id: str) -> NumberOrderState:
    with container.uows(readonly=True) as uow:
        order = uow.number_orders.get(order_id)
    assert order is not None
    return order.state


def test_create_writes_no_timer_row_and_the_sweep_follows_the_earliest_live_expiry(
    container: Container,
) -> None:
    stock(container, AU_MOBILE[:3])
    tenant = new_tenant(container)
    sweep = sweep_of(container)
    assert sweep.next_due() is None
    clock = container.clock
    assert isinstance(clock, SandboxClock)
    first = create(container, tenant.project_id, AU_MOBILE[0])
    clock.set(clock.now() + timedelta(hours=1))
    second = create(container, tenant.project_id, AU_MOBILE[1])
    with container.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM scheduled_jobs")).scalar() == 0
    assert first.expire_time < second.expire_time
    assert sweep.next_due() == first.expire_time
    assert sweep.run_due(first.expire_time - timedelta(microseconds=1)) == 0
    assert sweep.run_due(first.expire_time) == 1
    assert state_of(container, first.id) is NumberOrderState.EXPIRED
    assert sweep.next_due() == second.expire_time  # final orders no longer count
    assert sweep.run_due(second.expire_time) == 1
    assert sweep.run_due(second.expire_time) == 0  # nothing twice
    assert sweep.next_due() is None
    for order in (first, second):
        events = order_events(container, tenant.project_id, order.id)
        assert [(e.status, e.occurred_at) for e in events] == [("EXPIRED", order.expire_time)]
    with container.uows(readonly=True) as uow:
        assert all(
            (n := uow.inventory.get(p)) is not None and n.state is NumberState.AVAILABLE
            for p in AU_MOBILE[:2]
        )


def test_clock_advance_fires_expiries_in_time_order_with_other_timers(container: Container) -> None:
    stock(container, AU_MOBILE[:2])
    tenant = new_tenant(container)
    clock = container.clock
    assert isinstance(clock, SandboxClock)
    first = create(container, tenant.project_id, AU_MOBILE[0])
    clock.set(clock.now() + timedelta(hours=1))
    second = create(container, tenant.project_id, AU_MOBILE[1])
    seen: list[tuple[datetime, NumberOrderState, NumberOrderState]] = []

    def probe(uow: UnitOfWork, ref: str, now: datetime) -> None:
        seen.append((now, state_of(container, first.id), state_of(container, second.id)))

    container.job_handlers["test.probe"] = probe
    between = first.expire_time + timedelta(minutes=30)
    with container.uows() as uow:
        uow.jobs.schedule("test.probe", "x", between)
        uow.commit()
    advance(clock, container.works, second.expire_time + timedelta(minutes=1) - clock.now())
    # The sandbox clock keeps running from where advance sets it: the probe fires a moment after.
    assert [(states, abs(at - between) < timedelta(seconds=5)) for at, *states in seen] == [
        ([NumberOrderState.EXPIRED, NumberOrderState.CREATED], True)
    ]
    assert state_of(container, second.id) is NumberOrderState.EXPIRED


def test_the_background_worker_expires_an_order_in_real_time(container: Container) -> None:
    stock(container, AU_MOBILE[:1])
    tenant = new_tenant(container)
    order = create(container, tenant.project_id, AU_MOBILE[0])
    with container.engine.begin() as conn:  # due a moment from now, in wall time
        conn.execute(
            text("UPDATE number_orders SET expire_time = :t WHERE id = :id"),
            {"t": SystemClock().now() + timedelta(milliseconds=300), "id": order.id},
        )
    worker = BackgroundWorker(container.works, SystemClock(), poll_seconds=0.05)
    worker.start()
    try:
        deadline = time.monotonic() + 20
        while state_of(container, order.id) is not NumberOrderState.EXPIRED and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        worker.stop()
    assert state_of(container, order.id) is NumberOrderState.EXPIRED
    assert [e.status for e in order_events(container, tenant.project_id, order.id)] == ["EXPIRED"]

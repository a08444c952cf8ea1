"""Number-order expiry as one piece of timed work: the orders themselves are the timers.

Instead of a timer row per order (written at create), the sweep reads the orders' own
`(state, expire_time)` index: `next_due` is the earliest expiry of a live order, and `run_due`
expires every live order at or past `now`, each in its own unit of work with the same
compare-and-set as any other move (a concurrent submit or another worker's sweep wins or loses
cleanly; the loser commits nothing). The sandbox `clock:advance` therefore fires expiries in time
order with every other timer, and the background worker expires orders on its poll.
"""

from __future__ import annotations

import logging
from datetime import datetime

from numberdesk.services.number_orders import expire_by_id
from numberdesk.services.ports import UnitOfWorkFactory

log = logging.getLogger(__name__)


class OrderExpirySweep:
    name = "number_order_expiry"

    def __init__(self, uows: UnitOfWorkFactory, batch: int = 200) -> None:
        self._uows = uows
        self._batch = batch

    def next_due(self) -> datetime | None:
        with self._uows(readonly=True) as uow:
            return uow.number_orders.next_expiry()

    def run_due(self, now: datetime) -> int:
        with self._uows(readonly=True) as uow:
            due = uow.number_orders.expiring(now, self._batch)
        expired = 0
        for order_id in due:
            try:
                expired += self.expire_one(order_id, now)
            except Exception:
                log.exception("expiring number order %s failed; the next sweep retries", order_id)
        return expired

    def expire_one(self, order_id: str, now: datetime) -> bool:
        """Expire one order if it is still live and past its expiry; commits only a move made."""
        with self._uows() as uow:
            if not expire_by_id(uow, order_id, now):
                return False
            uow.commit()
            return True

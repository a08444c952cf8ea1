"""A token bucket per access key (in-process: each replica limits on its own)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from numberdesk.domain.errors import RateLimited


class RateLimiter:
    def __init__(
        self, per_second: float, burst: int, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._rate = per_second
        self._burst = float(max(burst, 1))
        self._monotonic = monotonic
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        if self._rate <= 0:
            return
        now = self._monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (self._burst, now))
            tokens = min(self._burst, tokens + (now - last) * self._rate)
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                wait = math.ceil((1 - tokens) / self._rate)
                raise RateLimited("Too many requests for this access key", retry_after_seconds=max(wait, 1))
            self._buckets[key] = (tokens - 1, now)

"""A small sliding-window limiter for failed join attempts per address.

Only failures count: eighty phones behind one venue router must all get in, while a script
guessing six-character codes is stopped after a handful of misses.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from methods.errors import RateLimited


class FailureLimiter:
    def __init__(self, limit: int = 10, window: float = 60.0, clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.window = window
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, address: str) -> deque[float]:
        now = self.clock()
        q = self._failures.setdefault(address, deque())
        while q and now - q[0] > self.window:
            q.popleft()
        return q

    def check(self, address: str) -> None:
        if len(self._recent(address)) >= self.limit:
            raise RateLimited("too_many_attempts", seconds=int(self.window))

    def fail(self, address: str) -> None:
        now = self.clock()
        self._recent(address).append(now)
        if len(self._failures) > 10_000:  # bound memory under a spray of addresses
            # keep only addresses with a failure still inside the window (not merely non-empty:
            # stale queues are only trimmed when their own address comes back)
            self._failures = {a: q for a, q in self._failures.items() if q and now - q[-1] <= self.window}

    def reset(self) -> None:
        self._failures.clear()

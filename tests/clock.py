"""A clock for the live hub that moves only when a test says so.

With it a hub test states *when* a delivery is due and checks that it happened then — no real
sleeping, and no "sleep a while and assert that nothing came", which a slow machine or a hub that
never delivers would pass just as well.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from typing import Any


class FakeClock:
    """Implements :class:`facilitation.hub.Clock`; timers fire only inside :meth:`advance`."""

    LIMIT = 10_000
    """Timers fired in one :meth:`advance` at most: a hub re-arming a zero-delay timer forever
    fails the test instead of hanging it."""

    def __init__(self, start: float = 0.0) -> None:
        # 0.0, not a large monotonic-like value: a hub that treats "never flushed" as time 0
        # would then hold back the very first change, and the tests would see it
        self.time = start
        self._timers: list[tuple[float, int, Callable[..., object], tuple[Any, ...]]] = []
        self._order = itertools.count()  # equal due times fire in the order they were set

    def now(self) -> float:
        return self.time

    def call_later(self, delay: float, callback: Callable[..., object], *args: Any) -> None:
        heapq.heappush(self._timers, (self.time + max(delay, 0.0), next(self._order), callback, args))

    def advance(self, seconds: float) -> None:
        """Move time on by ``seconds``, firing every timer due by then at its own due time and in
        order, including timers that a firing timer sets."""
        end = self.time + seconds
        for _ in range(self.LIMIT):
            if not (self._timers and self._timers[0][0] <= end):
                break
            due, _order, callback, args = heapq.heappop(self._timers)
            self.time = max(self.time, due)
            callback(*args)
        else:
            raise AssertionError(f"more than {self.LIMIT} timers within {seconds} s: a timer loop")
        self.time = end

    @property
    def pending(self) -> int:
        """Timers set and not yet fired."""
        return len(self._timers)

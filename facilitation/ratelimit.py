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

    def check(self, address: str, reason: str = "too_many_attempts") -> None:
        """Refuse (429, ``reason``) while ``address`` has spent its failures in the window."""
        if len(self._recent(address)) >= self.limit:
            raise RateLimited(reason, seconds=int(self.window))

    def fail(self, address: str) -> None:
        now = self.clock()
        self._recent(address).append(now)
        if len(self._failures) > 10_000:  # bound memory under a spray of addresses
            # keep only addresses with a failure still inside the window (not merely non-empty:
            # stale queues are only trimmed when their own address comes back)
            self._failures = {a: q for a, q in self._failures.items() if q and now - q[-1] <= self.window}

    def reset(self) -> None:
        self._failures.clear()


class JoinBudget:
    """Successful joins per (session, address) in a sliding window.

    Not a refusal: a join over the budget waits for the moderator's OK instead of being let in
    (facilitation/admission.py), so a full room behind one venue router is never locked out,
    while a script behind one address cannot add hundreds of voices unseen. Waiting requests
    have their own, lower cap (``waiting``), above which they are refused (429).
    """

    def __init__(self, window: float = 600.0, clock: Callable[[], float] = time.monotonic):
        self.window = window
        self.clock = clock
        self._joins: dict[tuple[int, str, str], deque[float]] = {}

    def _recent(self, key: tuple[int, str, str]) -> deque[float]:
        now = self.clock()
        q = self._joins.setdefault(key, deque())
        while q and now - q[0] > self.window:
            q.popleft()
        return q

    def count(self, session_id: int, address: str, kind: str = "in") -> int:
        return len(self._recent((session_id, address, kind)))

    def add(self, session_id: int, address: str, kind: str = "in") -> None:
        now = self.clock()
        self._recent((session_id, address, kind)).append(now)
        if len(self._joins) > 10_000:  # bound memory under a spray of addresses
            self._joins = {k: q for k, q in self._joins.items() if q and now - q[-1] <= self.window}

    def reset(self) -> None:
        self._joins.clear()

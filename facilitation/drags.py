"""Inputs in motion: where a dragged dot is right now, shown live and never stored.

A participant dragging their dot in a constellation sends its position a few times a second; the
room should see the dot travel, but the history should hold only where it was let go. Those
in-between positions live here, in memory, one per participant and step: the next one replaces
the last, a stored input (the release) ends it, and one not renewed for ``TTL`` seconds (a phone
that went to sleep mid-drag) is forgotten. The console reads them with every live state
(``LiveState.moving``), so a thousand moves a second cost one coalesced delivery per hub tick.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

TTL = 3.0
"""Seconds a position in motion is shown without a newer one."""
MIN_GAP = 0.2
"""A phone's moves closer together than this are dropped (its component sends at most 4 a second)."""


class Drags:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._steps: dict[int, dict[int, tuple[float, Any]]] = {}
        self._swept = clock()
        self.dropped = 0  # observable by tests and benchmarks

    def move(self, step_id: int, participant_id: int, payload: Any) -> bool:
        """Remember where the participant's dot is now; False if it came too soon after the last."""
        now = self.clock()
        if now - self._swept > TTL:
            self._sweep(now)
        moving = self._steps.setdefault(step_id, {})
        last = moving.get(participant_id)
        if last is not None and now - last[0] < MIN_GAP:
            self.dropped += 1
            return False
        moving[participant_id] = (now, payload)
        return True

    def end(self, step_id: int, participant_id: int) -> None:
        moving = self._steps.get(step_id)
        if moving is not None:
            moving.pop(participant_id, None)

    def current(self, step_id: int) -> dict[str, Any]:
        """The step's positions in motion by participant (as ``Cast.participant`` names them)."""
        moving = self._steps.get(step_id)
        if not moving:
            return {}
        now = self.clock()
        return {str(p): payload for p, (at, payload) in moving.items() if now - at <= TTL}

    def _sweep(self, now: float) -> None:
        """Forget stale positions of every step (sessions that moved on, phones that slept)."""
        self._swept = now
        for step_id in list(self._steps):
            moving = self._steps[step_id]
            for participant in [p for p, (at, _) in moving.items() if now - at > TTL]:
                del moving[participant]
            if not moving:
                del self._steps[step_id]

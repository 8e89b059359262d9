"""Server-side ends of timers: "close the step when the time is up".

The countdown itself ticks in the browsers (app/pages/common.py); the server only has to act at
zero when the moderator asked for the step to close itself. :class:`TimerScheduler` keeps at most
one pending call per session and calls ``fire(session_id)`` when it is due. ``fire`` (wired in
``facilitation/root.py`` to ``lifecycle.close_when_time_is_up``) checks the database again, so a
call that was overtaken — timer stopped, changed, step closed by hand — does nothing; it returns
the seconds still left when it came early, and the scheduler waits that long again.

Stopping or changing a timer re-arms or disarms the session's call (a generation number, as in
the hub: an outdated call is ignored). After a restart nothing is pending in memory:
``lifecycle.resume_timers`` closes what ran out while the server was down and re-arms the rest.
Timers are set through a :class:`~facilitation.hub.Clock` (the event loop's, a fake in tests).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Callable

from facilitation.hub import Clock, LoopClock

log = logging.getLogger(__name__)

Fire = Callable[[int], float | None]


class TimerScheduler:
    def __init__(self, fire: Fire, clock: Clock | None = None) -> None:
        self.fire = fire
        self.clock: Clock = clock if clock is not None else LoopClock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._armed: dict[int, int] = {}  # session → generation of its pending call
        self._handles: dict[int, object] = {}
        self._generation = itertools.count(1)

    def start(self) -> None:
        """Remember the server's loop, so commands run in worker threads (sync API routes) can
        arm calls on it. Called once at startup."""
        self._loop = asyncio.get_running_loop()

    def armed(self, session_id: int) -> bool:
        return session_id in self._armed

    def schedule(self, session_id: int, delay: float | None) -> None:
        """Call ``fire(session_id)`` in ``delay`` seconds, replacing any pending call of the
        session; ``None`` only cancels."""
        if isinstance(self.clock, LoopClock):
            try:
                asyncio.get_running_loop()
            except RuntimeError:
                loop = self._loop
                if loop is not None and loop.is_running() and not loop.is_closed():
                    loop.call_soon_threadsafe(self.schedule, session_id, delay)
                # without a loop (the CLI, a test without a server) nothing can fire here: the
                # server picks the timer up when it starts (lifecycle.resume_timers)
                return
        self._cancel(session_id)
        if delay is None:
            return
        generation = self._armed[session_id] = next(self._generation)
        self._handles[session_id] = self.clock.call_later(max(delay, 0.0), self._due, session_id, generation)

    def _cancel(self, session_id: int) -> None:
        self._armed.pop(session_id, None)
        cancel = getattr(self._handles.pop(session_id, None), "cancel", None)
        if callable(cancel):
            cancel()

    def _due(self, session_id: int, generation: int) -> None:
        if self._armed.get(session_id) != generation:
            return  # stopped or changed since this call was set
        del self._armed[session_id]
        self._handles.pop(session_id, None)
        try:
            left = self.fire(session_id)
        except Exception:  # a broken close must not take the loop down; logged, not retried
            log.exception("timer of session %s could not close its step", session_id)
            return
        if left is not None:
            self.schedule(session_id, left)  # the wall clock lagged behind the loop's: wait again

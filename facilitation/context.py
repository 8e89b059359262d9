"""The running instance's parts: database, live hub, batcher, round cache, timers, clock, limiters, task models, drags,
tallies.

This module only names them; ``facilitation/root.py`` builds and wires them once per process.
It imports nothing of ``facilitation`` that imports it back, so every command module can take a
``Context`` without an import cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from facilitation.batching import SubmitBatcher
from facilitation.drags import Drags
from facilitation.hub import InProcessHub
from facilitation.ratelimit import FailureLimiter, JoinBudget
from facilitation.round_rows import RoundRows
from facilitation.tallies import Tallies
from facilitation.tasks import TaskModels
from facilitation.timers import TimerScheduler
from sessions.db import Database


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class Context:
    db: Database
    hub: InProcessHub
    batcher: SubmitBatcher
    """Group commit for phones voting in the same loop turn (facilitation/batching.py)."""
    round_rows: RoundRows
    """The open rounds' contributions as far as read (facilitation/round_rows.py)."""
    timers: TimerScheduler
    """Closes a step when its timer runs out, if the moderator asked for it (facilitation/timers.py)."""
    clock: Callable[[], datetime] = utcnow
    tasks: TaskModels = field(default_factory=TaskModels)
    """Shared task models of open rounds and the tasks handed out (facilitation/tasks.py)."""
    join_limiter: FailureLimiter = field(default_factory=lambda: FailureLimiter(limit=20))
    """Typed join codes that were wrong, per address (the QR code's link is never limited)."""
    login_limiter: FailureLimiter = field(default_factory=lambda: FailureLimiter(limit=8))
    """Wrong organizer passwords, per address, or per browser that logged in before."""
    join_budget: JoinBudget = field(default_factory=JoinBudget)
    """Successful joins per session and address; beyond it a join waits for the moderator."""
    drags: Drags = field(default_factory=Drags)
    """Dots being dragged right now: shown live, never stored (facilitation/drags.py)."""
    tallies: Tallies = field(default_factory=Tallies)
    """The open rounds' last live tallies, reused while nothing stored changed (facilitation/tallies.py)."""


_current: Context | None = None


def install(ctx: Context) -> Context:
    global _current
    _current = ctx
    return ctx


def current() -> Context:
    if _current is None:
        raise RuntimeError("facilitation context not installed")
    return _current

"""The running instance: database, live hub, clock and limiter, created once per process."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from facilitation.hub import InProcessHub
from facilitation.ratelimit import FailureLimiter

if TYPE_CHECKING:
    from facilitation.batching import SubmitBatcher
    from facilitation.live import RoundRows
from sessions.db import Database, database_url


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class Context:
    db: Database
    hub: InProcessHub
    clock: Callable[[], datetime] = utcnow
    join_limiter: FailureLimiter = field(default_factory=lambda: FailureLimiter(limit=20))
    login_limiter: FailureLimiter = field(default_factory=lambda: FailureLimiter(limit=8))
    _batcher: SubmitBatcher | None = None
    _round_rows: RoundRows | None = None

    @property
    def round_rows(self) -> RoundRows:
        """The open rounds' contributions as far as read (see facilitation/live.py)."""
        if self._round_rows is None:
            from facilitation.live import RoundRows

            self._round_rows = RoundRows()
        return self._round_rows

    @property
    def batcher(self) -> SubmitBatcher:
        """Group commit for phones voting in the same loop turn (created on first use)."""
        if self._batcher is None:
            from facilitation.batching import SubmitBatcher

            self._batcher = SubmitBatcher(self)
        return self._batcher


_current: Context | None = None


def create(url: str, hub_interval: float = 0.1) -> Context:
    """Build a context whose hub builds live state from this context's database."""
    from facilitation.live import build_state

    db = Database(url)
    ctx_holder: list[Context] = []
    hub = InProcessHub(lambda sid: build_state(ctx_holder[0], sid), interval=hub_interval)
    ctx = Context(db=db, hub=hub)
    ctx_holder.append(ctx)
    return ctx


def for_data_dir(data_dir: Path) -> Context:
    """The server's context: ``KOFFER_DATABASE_URL`` if set, else SQLite under ``data_dir``."""
    return create(database_url(data_dir))


def install(ctx: Context) -> Context:
    global _current
    _current = ctx
    return ctx


def current() -> Context:
    if _current is None:
        raise RuntimeError("facilitation context not installed")
    return _current

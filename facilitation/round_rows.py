"""The open rounds' contributions as far as read: a plain cache, one per process.

Contributions are append-only, and on SQLite every writer holds the database lock from
BEGIN IMMEDIATE to COMMIT, so ids become visible in increasing order: reading ``id > last``
never skips a row. A delivery during a burst of 500 votes then reads the few new rows instead
of all of them (and parses their JSON once). Other databases can commit ids out of order, so
there (``incremental=False``) every delivery reads the whole round.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from facilitation.snapshots import StepInfo
from methods.base import Stored
from sessions import store


class RoundRows:
    def __init__(self, incremental: bool) -> None:
        self.incremental = incremental
        self.entries: dict[int, tuple[tuple[Any, ...], list[Stored]]] = {}

    def read(self, orm: Any, step: StepInfo) -> list[Stored]:
        return self.read_round(orm, step.id, step.round, step.opened_at)

    def read_round(self, orm: Any, step_id: int, round_: int, opened_at: datetime | None) -> list[Stored]:
        """The round's rows; ``orm`` is an ORM session or a Core connection (the vote hot path)."""
        if not self.incremental:
            return store.rows(orm, step_id, round_)
        # the open time tells a reused step id (after a deleted session) from the cached one
        key = (step_id, round_, opened_at)
        cached = self.entries.get(step_id)
        known = cached[1] if cached is not None and cached[0] == key else []
        fresh = store.rows(orm, step_id, round_, after=known[-1].seq if known else 0)
        combined = known + fresh if fresh else known
        self.entries[step_id] = (key, combined)
        return combined

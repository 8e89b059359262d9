"""The open rounds' contributions as far as read: a plain cache, one per process.

Contributions are append-only, and on SQLite every writer holds the database lock from
BEGIN IMMEDIATE to COMMIT, so ids become visible in increasing order: reading ``id > last``
never skips a row. A delivery during a burst of 500 votes then reads the few new rows instead
of all of them (and parses their JSON once). Other databases can commit ids out of order, so
there (``incremental=False``) every delivery reads the whole round.

Beside the rows, the newest row per (participant, key) is kept as an index extended row by row
(:meth:`RoundRows.latest`, :meth:`RoundRows.own`): ``latest`` over 3,000 rows cost a delivery
~3 ms and each materiality answer two passes over everyone's rows for its own few.

The commit path of a method that hands out tasks adds the rows it committed itself
(:meth:`RoundRows.before_insert`, :meth:`RoundRows.committed`): it reads the round's new rows
inside its write transaction (under SQLite's lock nobody commits between that read and its
insert), so the rows known plus its own are every row of the round. Until anything else changes
the entry, :meth:`RoundRows.current` hands them out without a query: the next pair for each
answer of a burst cost a connection and a query (~0.15 ms) although this process itself had
just committed every row since the last read. Only where reads are incremental (SQLite, one
server process per database: docs/deployment.md); elsewhere every task reads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from facilitation.snapshots import StepInfo
from methods.base import Cast, Stored
from sessions import store

Key = tuple[int, int, datetime | None]
"""(step id, round, opened at)."""


@dataclass
class _Latest:
    """The newest row per (participant, key) of the rows indexed so far, and per participant:
    what :func:`methods.base.latest` gives, kept up to date row by row instead of rebuilt from
    thousands of rows on every delivery and every answer."""

    key: Key
    seen: int = 0
    last: int = 0
    newest: dict[tuple[str, str], Cast] = field(default_factory=dict)
    """In the order of the newest rows (a replaced slot moves to the end): ``latest``'s order."""
    own: dict[str, dict[str, Cast]] = field(default_factory=dict)
    per_key: dict[str, int] = field(default_factory=dict)
    """Current casts per key (what ``LiveState.per_key`` counts)."""
    who: frozenset[int] = frozenset()
    """The participants with a current cast (``LiveState.contributor_ids``)."""
    rows_of: dict[str, list[Cast]] = field(default_factory=dict)
    """Per participant every row indexed, in order (changed answers too): append-only, so a
    state made from the first ``n`` is extended by the rest without a lost row."""
    states: dict[str, tuple[Any, int]] = field(default_factory=dict)
    """Per participant the method's ``own_state`` of their first ``n`` rows, and ``n``
    (:meth:`RoundRows.own_state`)."""

    def extends(self, key: Key, rows: Sequence[Stored]) -> bool:
        """Whether ``rows`` are the rows indexed so far plus newer ones: rows come in increasing
        ``seq`` and are a subset of one round's, so the same count up to the same last row means
        the same rows (a list without a removed participant's rows never passes for the whole)."""
        return key == self.key and len(rows) >= self.seen and (self.seen == 0 or rows[self.seen - 1].seq == self.last)

    def add(self, rows: Sequence[Stored]) -> None:
        newest, own, per_key = self.newest, self.own, self.per_key
        joined = False
        for r in rows[self.seen:]:
            cast = Cast(r.participant, r.key, r.value, r.seq, r.at)
            slot = (r.participant, r.key)
            if newest.pop(slot, None) is None:  # a new slot, not a changed answer
                per_key[r.key] = per_key.get(r.key, 0) + 1
            newest[slot] = cast
            mine = own.get(r.participant)
            if mine is None:
                mine = own[r.participant] = {}
                joined = True
            mine.pop(r.key, None)
            mine[r.key] = cast
            log = self.rows_of.get(r.participant)
            if log is None:
                log = self.rows_of[r.participant] = []
            log.append(cast)
        if joined:
            self.who = frozenset(int(p) for p in own)
        self.seen = len(rows)
        self.last = rows[-1].seq if rows else 0


class RoundRows:
    def __init__(self, incremental: bool) -> None:
        self.incremental = incremental
        self.entries: dict[int, tuple[tuple[Any, ...], list[Stored]]] = {}
        self._latest: dict[int, _Latest] = {}
        self._complete: dict[int, tuple[Key, int]] = {}
        """Per step: the round and the last row of an entry known to hold every row committed
        (set only by :meth:`committed`; a read by anyone else never vouches for it)."""
        self.skipped = 0  # reads saved by :meth:`current`: observable by tests and benchmarks

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

    def before_insert(self, conn: Any, step_id: int, round_: int, opened_at: datetime | None) -> int | None:
        """Inside a write transaction, before inserting rows of the round: read its new rows
        (none to read when the entry holds every row committed) and return the last row's id
        (the watermark :meth:`committed` checks); None where reads are not incremental. The
        entry stops vouching for completeness until :meth:`committed`."""
        kept = self._kept((step_id, round_, opened_at))
        self._complete.pop(step_id, None)
        if not self.incremental:
            return None
        if kept is not None:  # every row since the last read was committed here: nothing to read
            return kept[-1].seq if kept else 0
        rows = self.read_round(conn, step_id, round_, opened_at)
        return rows[-1].seq if rows else 0

    def committed(self, step_id: int, round_: int, opened_at: datetime | None, watermark: int | None,
                  rows: Sequence[Stored]) -> None:
        """After the commit: add the rows this transaction stored (``rows``, ids as returned by the
        insert, in increasing order) to the entry read up to ``watermark`` inside it. If the entry
        was replaced meanwhile (a read on a worker thread), nothing is added and the next read
        asks the database."""
        key = (step_id, round_, opened_at)
        cached = self.entries.get(step_id)
        if watermark is None or not rows or cached is None or cached[0] != key:
            return
        known = cached[1]
        if (known[-1].seq if known else 0) != watermark or rows[0].seq <= watermark:
            return
        combined = known + list(rows)
        self.entries[step_id] = (key, combined)
        self._complete[step_id] = (key, combined[-1].seq)

    def current(self, step: StepInfo) -> list[Stored] | None:
        """The round's rows without a query when the entry holds every row committed (this
        process committed each since it last read them, :meth:`committed`); None otherwise."""
        rows = self._kept((step.id, step.round, step.opened_at))
        if rows is not None:
            self.skipped += 1
        return rows

    def _kept(self, key: Key) -> list[Stored] | None:
        complete = self._complete.get(key[0])
        cached = self.entries.get(key[0])  # one look: a worker thread may replace it
        if complete is None or cached is None or complete[0] != key or cached[0] != key:
            return None
        rows = cached[1]
        return rows if (rows[-1].seq if rows else 0) == complete[1] else None

    def latest(self, key: Key, rows: Sequence[Stored]) -> list[Cast]:
        """``latest(rows)`` for rows of the round ``key`` (as :meth:`read_round` returned them),
        from an index extended by the rows added since the last call."""
        return list(self._index(key, rows).newest.values())

    def counts(self, key: Key, rows: Sequence[Stored]) -> tuple[dict[str, int], frozenset[int]]:
        """Current casts per key and who has one, among ``rows`` (what a delivery shows besides
        the result), kept with the index instead of counted over every cast."""
        index = self._index(key, rows)
        return dict(index.per_key), index.who

    def own(self, key: Key, rows: Sequence[Stored], participant: str) -> list[Cast]:
        """The participant's current casts among ``rows`` (``facilitation.tasks.own``), without
        a pass over everyone's rows."""
        return list(self._index(key, rows).own.get(participant, {}).values())

    def own_state(self, key: Key, rows: Sequence[Stored], participant: str,
                  extend: Callable[[Any, Sequence[Cast]], Any]) -> Any:
        """The method's ``own_state`` of the participant's casts among ``rows`` (``extend``: it,
        bound to the round's config): made from their current casts once, then extended by the
        rows indexed since (changed answers too), so each answer's next pair costs its own row, not a
        parse of all of the participant's (``Engine.own_state``). Starts again with the index
        (another round)."""
        index = self._index(key, rows)
        log = index.rows_of.get(participant, [])
        state, done = index.states.get(participant, (None, 0))
        end = len(log)  # the log only grows: rows appended meanwhile wait for the next call
        if state is None or done < end:
            state = extend(state, log[done:end])
            index.states[participant] = (state, end)
        return state

    def _index(self, key: Key, rows: Sequence[Stored]) -> _Latest:
        index = self._latest.get(key[0])
        if index is None or not index.extends(key, rows):
            index = self._latest[key[0]] = _Latest(key)
        if len(rows) > index.seen:
            index.add(rows)
        return index

"""Tasks handed to participants one at a time (the next pair to compare), and the check that an
answer answers one of them.

A method that hands out tasks may split ``next_task`` into a costly part every participant
shares (``task_model``; materiality: both axes fitted, 20–40 ms for 30 items and a few thousand
comparisons) and a cheap part per participant (``task_for``). Refitting on every answer would
cost a room of 200 phones, one answer every 3–6 s each, more than a core; so the model of an open
round is kept here and renewed once the round has gained ``REFRESH_SHARE`` more rows (at least
``REFRESH_MIN``): early on nearly every answer, with thousands of answers every few hundred. The
participant's own rows are always current, so nobody gets a pair twice; the shared model is at
most a tenth behind, which moves the adaptive choice by little (the placement shown on the
console is always tallied from every answer).

A renewal also waits until ``RENEW_SPACING`` times what the last one cost has passed since it: a
burst of 500 answers in half a second renewed a model of ~1,800 answers three times (7 ms each,
a fifth of the answers' pair choice), although it barely moves in that time. Early in a round a
fit costs well under a millisecond, so the model still follows the first answers closely; in a
steady room the tenth-more rule is the one that decides (a tenth of 1,800 answers takes seconds).

The tasks handed to each participant are remembered (the last ``HANDED_KEEP``), so the method's
``admit`` can accept exactly what was offered even when the model was renewed in between; after a
restart it falls back to what the model would offer now.
"""

from __future__ import annotations

import functools
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from facilitation.round_rows import Key, RoundRows
from methods.base import JSON, Cast, Engine, Stored, latest

REFRESH_SHARE = 0.1
REFRESH_MIN = 4
RENEW_SPACING = 100.0
"""A renewal waits at least this many times the last one's cost (renewals ≤ 1 % of a core)."""
HANDED_KEEP = 5
"""A phone holds the pair after the one on screen: two are handed per answer (live.next_tasks)."""

RoundKey = tuple[int, int, datetime | None]
"""(step id, round, opened at): the open time tells a reused step id from the cached one."""


def seed(step_id: int, round_: int) -> int:
    """The seed of a step's round: the same participant and answers give the same task."""
    return step_id * 1009 + round_


@dataclass
class _Model:
    key: RoundKey
    model: Any
    rows: int
    at: float = 0.0
    """When it was made (``TaskModels.timer``)."""
    cost: float = 0.0
    """What making it cost (seconds of ``timer``)."""


class TaskModels:
    """The shared task model per open step, and the tasks handed to each participant."""

    def __init__(self, timer: Callable[[], float] = time.perf_counter) -> None:
        self.timer = timer
        self.models: dict[int, _Model] = {}
        self.handed: dict[tuple[int, int, str], deque[JSON]] = {}
        self.builds = 0  # observable by tests and benchmarks

    def model(self, method: Engine[Any, Any], config: Any, key: RoundKey, rows: Sequence[Stored],
              removed: Callable[[], frozenset[str]] = frozenset,
              current: Callable[[], Sequence[Cast]] | None = None) -> Any:
        """The round's model, renewed when it is missing, of another round, or behind by
        ``REFRESH_SHARE`` of the rows and not renewed in the last ``RENEW_SPACING`` × its cost (``rows``: the round's rows as read now). ``removed`` reads
        the participants whose answers count in no model; it is asked only when the model is
        renewed, so an answer that reuses the model costs no query for it. ``current`` gives
        ``latest(rows)`` if the caller keeps it already (``RoundRows.latest``)."""
        assert method.task_model is not None
        cached = self.models.get(key[0])
        if cached is not None and cached.key != key:
            self._forget(key[0])
            cached = None
        if cached is None or (len(rows) - cached.rows >= max(REFRESH_MIN, cached.rows * REFRESH_SHARE)
                              and self.timer() - cached.at >= RENEW_SPACING * cached.cost):
            started = self.timer()
            gone = removed()
            casts = current() if current is not None else latest(rows)
            counted = [c for c in casts if c.participant not in gone] if gone else casts
            made = method.task_model(config, counted)
            now = self.timer()
            cached = _Model(key, made, len(rows), now, now - started)
            self.models[key[0]] = cached
            self.builds += 1
        return cached.model

    def hand(self, step_id: int, round_: int, participant: str, task: JSON) -> None:
        if task is None:
            return
        recent = self.handed.setdefault((step_id, round_, participant), deque(maxlen=HANDED_KEEP))
        if task not in recent:
            recent.append(task)

    def handed_to(self, step_id: int, round_: int, participant: str) -> tuple[JSON, ...]:
        return tuple(self.handed.get((step_id, round_, participant), ()))

    def _forget(self, step_id: int) -> None:
        self.models.pop(step_id, None)
        for slot in [s for s in self.handed if s[0] == step_id]:
            del self.handed[slot]


def own(rows: Sequence[Stored], participant: str) -> list[Any]:
    """The participant's current casts among the round's rows."""
    return latest(r for r in rows if r.participant == participant)


def own_of(round_rows: RoundRows, method: Engine[Any, Any], config: Any, key: Key, rows: Sequence[Stored],
           participant: str) -> Any:
    """What ``task_for`` and ``admit`` get of the participant's own casts: the method's
    ``own_state`` kept with the round's rows and extended by each new row (no parse of every
    earlier answer per answer), or the casts themselves for a method without one."""
    if method.own_state is None:
        return round_rows.own(key, rows, participant)
    return round_rows.own_state(key, rows, participant, functools.partial(method.own_state, config))

"""The open round's last live tally, reused while nothing it counts has changed.

Every hub delivery builds the live state, and a delivery happens for things the tally does not
see: a dot being dragged in a constellation changes only ``LiveState.moving`` (nothing stored),
a phone that comes back changes nothing at all. Re-tallying 500 positions for each of those cost
a millisecond of server CPU ten times a second. The tally is a pure function of the round's
stored inputs, its decisions, the head count and who was removed, so a delivery whose
``Version`` of those equals the last one's gets the last result as it was.

One entry per step (the latest round only), at most ``KEEP`` steps: ended sessions' rounds fall
out instead of piling up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

KEEP = 64
"""Steps whose last tally is kept (a server runs a few sessions at a time)."""


@dataclass(frozen=True)
class Version:
    """Everything a live tally depends on, short: inputs are append-only, so the last stored row
    and the number of rows name them; decisions are never edited, so their ids name them; the
    round's config is fixed while it is open (``opened_at`` tells a reopened round)."""

    round: int
    opened_at: datetime | None
    last_row: int
    rows: int
    decisions: tuple[int, ...]
    participants: int
    removed: frozenset[int]
    tallied: bool = True
    """False for a hidden result that is not tallied (``Engine.tally_while_hidden``): the
    reveal must not reuse the result-less entry."""


@dataclass(frozen=True)
class Tallied:
    """What the live state takes from the tally: the result and who gave what."""

    result: dict[str, Any] | None
    """``None`` while a result nobody shows is hidden (``Engine.tally_while_hidden``)."""
    per_key: dict[str, int]
    contributor_ids: frozenset[int]
    typed: Any = field(default=None, compare=False)
    """The result as the method's model, where the tally made one (a method with a fold): the
    views use it instead of parsing ``result`` again."""
    folded: Any = field(default=None, compare=False)
    """The method's fold state (``Engine.fold``): the next tally adds the rows stored since."""
    slots: frozenset[tuple[str, str]] = field(default=frozenset(), compare=False)
    """(participant, key) of every row tallied: a later row in one of them replaces an input, and
    that is no fold."""


class Tallies:
    def __init__(self) -> None:
        self._last: dict[int, tuple[Version, Tallied]] = {}
        self.computed = 0
        """Tallies actually run (observable by tests and benchmarks)."""
        self.folded = 0
        """Of those, the ones that only added the rows stored since the last (``Engine.fold``)."""

    def last(self, step_id: int) -> tuple[Version, Tallied] | None:
        """The step's last kept tally, whatever its version (a fold starts from it)."""
        return self._last.get(step_id)

    def get(self, step_id: int, version: Version) -> Tallied | None:
        kept = self._last.get(step_id)
        return kept[1] if kept is not None and kept[0] == version else None

    def put(self, step_id: int, version: Version, tallied: Tallied) -> Tallied:
        self.computed += 1
        self._last.pop(step_id, None)  # re-inserted: the dict's order is the age
        self._last[step_id] = (version, tallied)
        while len(self._last) > KEEP:
            del self._last[next(iter(self._last))]
        return tallied

"""What the protocol renderer is given: plain data gathered by ``facilitation.protocol``.

The renderer never reads the database itself, so it can run in a worker thread or process and be
tested with hand-made data (empty sessions, 100 options, 500 participants).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sessions.states import StepState

Translate = Callable[..., str]
"""``t(key, **params) -> str`` in the session's language (bound by the caller)."""


@dataclass(frozen=True)
class PhotoData:
    caption: str
    mime: str
    data: bytes
    width: int
    height: int
    taken_at: datetime | None = None
    id: int | None = None
    """The upload's id: a method's result may name it (theme tables: a table's tablecloth photo),
    so its board can show it with that table instead of among the photos after the step."""


@dataclass(frozen=True)
class DecisionData:
    """A moderator decision taken in a round (a method's command), as the protocol lists it."""

    command: str
    payload: dict[str, Any]
    actor: str
    at: datetime | None


@dataclass(frozen=True)
class RoundData:
    round: int
    config: dict[str, Any]
    result: dict[str, Any]
    opened_at: datetime | None
    closed_at: datetime | None
    contributors: int
    decisions: tuple[DecisionData, ...] = ()
    photos: tuple[PhotoData, ...] = ()
    """The step's photos, for a board that places some of them itself (:attr:`Board.photos`)."""


@dataclass(frozen=True)
class StepData:
    position: int
    method: str
    title: str
    state: StepState
    rounds: tuple[RoundData, ...] = ()
    photos: tuple[PhotoData, ...] = ()


@dataclass(frozen=True)
class ProtocolData:
    title: str
    date: str
    place: str
    moderator: str
    language: str
    participants_joined: int
    participants_active: int
    started_at: datetime | None
    ended_at: datetime | None
    generated_at: datetime
    steps: tuple[StepData, ...] = ()
    loose_photos: tuple[PhotoData, ...] = field(default_factory=tuple)
    participants_removed: int = 0
    """Removed by the moderator (their inputs count nowhere; each affected round lists it)."""

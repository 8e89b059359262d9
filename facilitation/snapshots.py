"""Read models handed to pages and the API: plain frozen data, detached from the database.

``StepState`` and ``SessionState`` are re-exported from here: ``app/`` compares states with them
and never imports ``sessions/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from facilitation.configs import cached_config
from methods.base import MethodResult, Outcome
from methods.registry import engine
from sessions import models
from sessions.states import Admission, ParticipantStatus, SessionState, StepState

__all__ = ["Admission", "Created", "LiveState", "ParticipantStatus", "Receipt", "SessionInfo", "SessionState",
           "StepInfo", "StepState", "Timer"]


@dataclass(frozen=True)
class Timer:
    """The countdown of the step on screen: its end (UTC, naive) and whether it closes the step."""

    step_id: int
    ends_at: datetime
    closes_step: bool


@dataclass(frozen=True)
class StepInfo:
    id: int
    position: int
    method: str
    title: str
    raw_config: dict[str, Any]
    """The config as the agenda has it (what the editor edits and the agenda file exports)."""
    config: Any
    """The parsed config the current round runs with: the round's copy once the step opened
    (items taken from an earlier step resolved), else the agenda's."""
    state: StepState
    round: int
    results_visible: bool
    opened_at: datetime | None
    closed_at: datetime | None

    live_config: dict[str, Any] = field(default_factory=dict)
    """The current round's raw config (see ``config``)."""
    shown_detail: str | None = None
    """What the moderator opened to discuss (e.g. one option's distribution): the console and
    the projector both show it (``lifecycle.show_detail``)."""

    @classmethod
    def of(cls, step: models.Step, round_config: dict[str, Any] | None = None) -> StepInfo:
        live = dict(round_config if round_config is not None else step.config)
        return cls(
            id=step.id,
            position=step.position,
            method=step.method,
            title=step.title,
            raw_config=dict(step.config),
            live_config=live,
            config=cached_config(step.method, live),
            state=StepState(step.state),
            round=step.round,
            results_visible=step.results_visible,
            opened_at=step.opened_at,
            closed_at=step.closed_at,
            shown_detail=step.shown_detail,
        )


@dataclass(frozen=True)
class SessionInfo:
    id: int
    title: str
    date: str
    place: str
    moderator: str
    language: str
    names: str
    join_code: str
    state: SessionState
    current_step_id: int | None
    timer_ends_at: datetime | None
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    steps: tuple[StepInfo, ...] = ()
    timer_step_id: int | None = None
    timer_closes_step: bool = False
    admission: Admission = Admission.OPEN
    head_count: int | None = None
    """How many people are expected in the room (None: not said)."""
    joining_closed: bool = False
    key_versions: tuple[int, int] = (1, 1)
    """The moderator's and the projector's link version: an open console whose link was replaced
    notices the change in the next delivery (``ConsoleLive``) and stops."""

    @property
    def code_admits(self) -> bool:
        """Whether the join code alone lets a new phone in (else it waits for the moderator's OK)."""
        return self.admission != Admission.CARDS and not self.joining_closed

    @property
    def timer(self) -> Timer | None:
        """The timer, while the step it was set for is on screen (a timer belongs to its step)."""
        if self.timer_ends_at is None or self.timer_step_id is None or self.timer_step_id != self.current_step_id:
            return None
        return Timer(self.timer_step_id, self.timer_ends_at, self.timer_closes_step)

    @classmethod
    def of(cls, s: models.Session, round_configs: dict[int, dict[str, Any]] | None = None) -> SessionInfo:
        """``round_configs``: each step's current round config (``store.current_round_configs``);
        without them, steps show the agenda's config (enough for the editor and the archive)."""
        configs = round_configs or {}
        return cls(
            id=s.id,
            title=s.title,
            date=s.date,
            place=s.place,
            moderator=s.moderator,
            language=s.language,
            names=s.names,
            join_code=s.join_code,
            state=SessionState(s.state),
            current_step_id=s.current_step_id,
            timer_ends_at=s.timer_ends_at,
            timer_step_id=s.timer_step_id,
            timer_closes_step=bool(s.timer_closes_step),
            created_at=s.created_at,
            started_at=s.started_at,
            ended_at=s.ended_at,
            steps=tuple(StepInfo.of(st, configs.get(st.id)) for st in s.steps),
            admission=Admission(s.admission or Admission.OPEN),
            head_count=s.head_count,
            joining_closed=bool(s.joining_closed),
            key_versions=(s.moderator_key_version, s.projector_key_version),
        )

    @property
    def current_step(self) -> StepInfo | None:
        for step in self.steps:
            if step.id == self.current_step_id:
                return step
        return None

    def step(self, step_id: int) -> StepInfo | None:
        return next((s for s in self.steps if s.id == step_id), None)

    @property
    def current_index(self) -> int:
        for i, step in enumerate(self.steps):
            if step.id == self.current_step_id:
                return i
        return -1


@dataclass(frozen=True)
class LiveState:
    """What every live view of a session needs, built once per hub delivery."""

    session: SessionInfo
    participants: int
    step: StepInfo | None
    contributors: int
    result: dict[str, Any] | None
    per_key: dict[str, int] = field(default_factory=dict)
    contributor_ids: frozenset[int] = frozenset()
    """Who has input in the current round: a phone asks the database for its own input only if
    it is in here, so opening a fresh step for 500 phones costs no query per phone."""
    waiting: frozenset[int] = frozenset()
    """Participants waiting for the moderator's OK (joined while the code admitted nobody new)."""
    removed: frozenset[int] = frozenset()
    """Participants the moderator removed: their phones stop, their inputs count nowhere."""
    moving: dict[str, Any] = field(default_factory=dict)
    """Inputs in motion (a dot being dragged), by participant: shown live, never stored."""
    kept_typed: Any = field(default=None, compare=False, repr=False)
    """The result as its method's model where the tally made one (a method with a fold): then
    :attr:`typed` is that model, not a second parse of ``result``."""

    @cached_property
    def typed(self) -> MethodResult | None:
        """The result as its method's model, parsed once per delivery and shared by every view."""
        if self.step is None or self.result is None:
            return None
        if isinstance(self.kept_typed, MethodResult):
            return self.kept_typed
        typed: MethodResult = engine(self.step.method).load_result(self.result)
        return typed

    @cached_property
    def outcome(self) -> Outcome | None:
        """What the result means (decision, tone, notes): the one sentence every view shows."""
        typed = self.typed
        if self.step is None or typed is None:
            return None
        return engine(self.step.method).outcome(typed)

    @cached_property
    def step_signature(self) -> tuple[Any, ...]:
        """Changes when a phone has to show something else (not when someone else votes)."""
        s = self.step
        if s is None:
            return (self.session.state, None)
        # open/closed and reveal/hide are applied in place by the views; only a different step,
        # round or config (or leaving draft) needs a new view
        return (self.session.state, s.id, s.state == StepState.DRAFT, s.round, s.title, repr(s.live_config))


@dataclass(frozen=True)
class Created:
    """The one moment the secret keys exist in clear text: right after creation."""

    session: SessionInfo
    moderator_key: str
    projector_key: str


@dataclass(frozen=True)
class Receipt:
    """A stored input: the phone is told "saved" with it, after the commit returned."""

    step_id: int
    round: int
    keys: tuple[str, ...]


@dataclass(frozen=True)
class StoredInput:
    """One input as a commit just stored it: the news a console can show before any state is
    built (``Hub.publish(..., news)``; a card on a theme table)."""

    step_id: int
    round: int
    participant_id: int
    key: str
    value: Any

"""Room constellation (Aufstellung im Raum): everyone places their own dot on a line or in a field.

In the room people stand on a line between "klare Ablehnung" and "volle Zustimmung" (or in a
field of two axes); the facilitator asks the ends and the middle why they stand there, and people
move after hearing others. It is sense-making, not a poll, so the rules keep the picture honest:

* **Position.** ``{"statement": i, "x": 0..1, "y": 0..1}`` (``i`` 0-based; ``y`` in 2D only and
  required there) is stored under ``pos:{i}``: the latest position per participant and
  statement counts, earlier ones stay in the history. NaN, infinities, booleans, strings and
  anything outside [0, 1] are refused. Coordinates are kept to 4 decimals (a 10,000-step line is
  finer than any thumb).
* **Not placed.** Whoever has no position for a statement is counted as *not placed*, never put
  in the middle: the median, the spread and the distribution are of the placed dots only.
* **Stage** (from the moderator's decisions, in the order taken): the current statement moves
  one on with ``next_statement`` and one back with ``previous_statement`` (to let the room move
  again on an earlier statement; what was reached stays reached); a statement is frozen after ``freeze`` until
  ``unfreeze``; ``highlight`` switches the marks on the two ends and the middle on or off;
  ``open_signing`` opens the sign-off for one statement (closing any other), ``close_signing``
  closes it. Positions are admitted only for the current, unfrozen statement, signatures only
  while signing is open for their statement (:func:`gate`, run in the input's transaction).
* **Snapshots.** ``snapshot`` with ``{"label": "before"|"after"}`` copies the current
  statement's positions into its decision (``record``), with the time: later moves never change
  it, and a label taken once is refused a second time (immutable). "after" needs a "before".
* **Numbers.** Per picture (live, before, after): placed / not placed, the median and the spread
  (interquartile range, Q3 − Q1, by linear interpolation) per axis, a histogram of ``BINS``
  equal bins on the line (1D) or the counts per quadrant split at the middle 0.5 (2D; a dot on
  the middle line counts to the upper / right side). With ``FEW`` or fewer placed dots the
  picture is ``few``: the projector then shows neither distribution nor names.
* **Shift.** For everyone placed both before and after: dx (dy), and the distance; the median
  shift is the after median minus the before median per axis; ``moved`` counts who moved more
  than ``MOVED`` (a thumb's wobble is not a change of mind).
* **Ends and middle.** The dots with the lowest and the highest x and the one closest to the
  median x (ties: who placed first) — those the facilitator asks "why are you standing here?".
* **Signatures.** ``{"sign": {"statement": i, "name": "...", "strokes"?: [...]}}`` under
  ``sign:{i}``: a typed name (1–80 characters) and optionally a drawn signature as vector
  strokes, each a flat list ``[x0, y0, x1, y1, …]`` of integers 0…1000 on a pad three times as
  wide as high, at most ``MAX_STROKES`` strokes and ``MAX_POINTS`` points in all. Once per
  participant and statement: a second signature replaces the first (history kept).
* **Names.** The tally knows pseudonyms only. Where the step's ``names`` is on (and the session
  collects names), :func:`with_names` adds ``people``: the name of everyone the result shows on a
  line or field (live, before, after) who gave one. The facilitation layer hands the names in as
  data when a result leaves the app; without ``names`` the result stays pseudonymous.

Pure: no I/O, clock or global random.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from methods.base import (
    JSON,
    Cast,
    Command,
    CommandPayload,
    Decision,
    DemoStep,
    Engine,
    Entry,
    MethodConfig,
    MethodResult,
    Outcome,
    Situation,
    Text,
    require_mapping,
)
from methods.errors import InvalidContribution, InvalidTransition

NAME = "constellation"
RESULTS_HIDDEN_BY_DEFAULT = False
"""The room sees the dots as they come (as it would see people walk); the moderator can hide them."""

MAX_STATEMENTS = 12
MAX_STATEMENT_CHARS = 3000
BINS = 10
FEW = 3
"""With this many placed dots or fewer a picture shows no distribution and no names."""
MOVED = 0.05
"""A shift longer than this (in axis lengths) counts as having moved."""
DIGITS = 4
MAX_STROKES = 40
MAX_POINTS = 400
PAD = 1000
"""Stroke coordinates run 0…PAD across the pad's width and 0…PAD down its height."""
NAME_MAX = 80

POSITION = "pos:"
SIGNATURE = "sign:"
LABELS = ("before", "after")

# --- config ---------------------------------------------------------------------------------------


class Axis(BaseModel):
    """One axis: what it measures and what its two ends mean."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    label: str = Field(default="", max_length=120)
    low: str = Field(min_length=1, max_length=80)
    high: str = Field(min_length=1, max_length=80)


X_DEFAULT = Axis(label="Zustimmung", low="klare Ablehnung", high="volle Zustimmung")
Y_DEFAULT = Axis(label="Eigenes Engagement", low="wenig", high="viel")


class Axes(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    x: Axis = X_DEFAULT
    y: Axis | None = None


Statement = Annotated[str, Field(min_length=1, max_length=MAX_STATEMENT_CHARS)]


class Config(MethodConfig):
    dimensions: int = 1
    statements: list[Statement] = Field(min_length=1, max_length=MAX_STATEMENTS)
    axes: Axes = Field(default_factory=Axes)
    names: bool = False
    """Show names on the console's highlight (only where the session collects names)."""
    phones_see_others: bool = False
    sign_off: bool = False

    @field_validator("dimensions")
    @classmethod
    def _dimensions(cls, dimensions: int) -> int:
        if dimensions not in (1, 2):
            raise PydanticCustomError("dimensions_choice", "dimensions must be 1 (a line) or 2 (a field)")
        return dimensions

    @field_validator("axes")
    @classmethod
    def _axes(cls, axes: Axes, info: ValidationInfo) -> Axes:
        if info.data.get("dimensions") == 2 and axes.y is None:
            return Axes(x=axes.x, y=Y_DEFAULT)  # a field needs its second axis: the default one
        return axes

    @property
    def y_axis(self) -> Axis | None:
        """The second axis in 2D, None on a line (a y given for 1D is kept but not used)."""
        return (self.axes.y or Y_DEFAULT) if self.dimensions == 2 else None


# --- validation -----------------------------------------------------------------------------------


def _is_index(value: object, config: Config) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(config.statements)


def _coordinate(value: object, axis: str) -> float:
    """A finite number 0…1; anything else is refused with the axis it was meant for."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidContribution("constellation_coordinate", axis=axis)
    if not 0 <= value <= 1:
        raise InvalidContribution("constellation_outside", axis=axis)
    return round(float(value), DIGITS)


def _strokes(raw: object) -> list[list[int]]:
    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > MAX_STROKES:
        raise InvalidContribution("constellation_strokes", strokes=MAX_STROKES, points=MAX_POINTS)
    out: list[list[int]] = []
    points = 0
    for stroke in raw:
        if not isinstance(stroke, list) or not stroke or len(stroke) % 2 or not all(
                isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= PAD for v in stroke):
            raise InvalidContribution("constellation_strokes", strokes=MAX_STROKES, points=MAX_POINTS)
        points += len(stroke) // 2
        out.append(list(stroke))
    if points > MAX_POINTS:
        raise InvalidContribution("constellation_strokes", strokes=MAX_STROKES, points=MAX_POINTS)
    return out


def _signature(config: Config, raw: object) -> Entry:
    if not config.sign_off:
        raise InvalidContribution("constellation_no_sign_off")
    if not isinstance(raw, Mapping) or set(raw) - {"statement", "name", "strokes"}:
        raise InvalidContribution("constellation_sign_invalid")
    statement = raw.get("statement")
    if not _is_index(statement, config):
        raise InvalidContribution("constellation_statement", last=len(config.statements) - 1)
    name = raw.get("name")
    name = name.strip() if isinstance(name, str) else ""
    if not name or len(name) > NAME_MAX:
        raise InvalidContribution("constellation_sign_name", max=NAME_MAX)
    return Entry(f"{SIGNATURE}{statement}", {"name": name, "strokes": _strokes(raw.get("strokes"))})


def validate(config: Config, payload: object) -> list[Entry]:
    data = require_mapping(payload)
    if "sign" in data:
        if len(data) != 1:
            raise InvalidContribution("constellation_sign_invalid")
        return [_signature(config, data["sign"])]
    if set(data) - {"statement", "x", "y"}:
        raise InvalidContribution("constellation_position_invalid")
    statement = data.get("statement")
    if not _is_index(statement, config):
        raise InvalidContribution("constellation_statement", last=len(config.statements) - 1)
    x = _coordinate(data.get("x"), "x")
    if config.dimensions == 1:
        if data.get("y") is not None:
            raise InvalidContribution("constellation_no_y")
        return [Entry(f"{POSITION}{statement}", [x])]
    return [Entry(f"{POSITION}{statement}", [x, _coordinate(data.get("y"), "y")])]


# --- the stage the moderator's decisions set -----------------------------------------------------


@dataclass
class Stage:
    """What the decisions so far say: the statement on screen, what is frozen, the snapshots."""

    current: int = 0
    furthest: int = 0
    """The furthest statement reached (going back leaves the later ones reached)."""
    frozen: set[int] = field(default_factory=set)
    highlight: set[int] = field(default_factory=set)
    signing: int | None = None
    snapshots: dict[tuple[int, str], Decision] = field(default_factory=dict)


def stage(config: Config, decisions: Sequence[Decision]) -> Stage:
    s = Stage()
    last = len(config.statements) - 1
    for d in decisions:
        statement = d.payload.get("statement")
        target = statement if isinstance(statement, int) and 0 <= statement <= last else s.current
        if d.command == "next_statement":
            s.current = min(last, s.current + 1)
            s.furthest = max(s.furthest, s.current)
        elif d.command == "previous_statement":
            s.current = max(0, s.current - 1)
        elif d.command == "freeze":
            s.frozen.add(target)
        elif d.command == "unfreeze":
            s.frozen.discard(target)
        elif d.command == "highlight":
            s.highlight ^= {target}
        elif d.command == "open_signing":
            s.signing = target
        elif d.command == "close_signing":
            s.signing = None
        elif d.command == "snapshot":
            label = d.payload.get("label")
            if isinstance(label, str) and (target, label) not in s.snapshots:
                s.snapshots[(target, label)] = d
    return s


def gate(config: Config, decisions: Sequence[Decision], entries: Sequence[Entry]) -> None:
    """Positions only for the current statement while it is not frozen; signatures only while
    signing is open for their statement."""
    now = stage(config, decisions)
    for entry in entries:
        kind, _, index = entry.key.partition(":")
        statement = int(index)
        if kind == "pos" and statement != now.current:
            raise InvalidContribution("constellation_not_current", n=statement + 1, current=now.current + 1)
        if kind == "pos" and statement in now.frozen:
            raise InvalidContribution("constellation_frozen", n=statement + 1)
        if kind == "sign" and now.signing != statement:
            raise InvalidContribution("constellation_signing_closed", n=statement + 1)


# --- numbers ----------------------------------------------------------------------------------------


def quantile(values: Sequence[float], q: float) -> float:
    """The q-quantile of sorted ``values`` by linear interpolation (numpy's default)."""
    if not values:
        raise ValueError("no values")
    h = (len(values) - 1) * q
    lo = math.floor(h)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (h - lo) * (values[hi] - values[lo])


Spot = tuple[str, float, float | None]
"""One dot: participant pseudonym, x, y (None on a line)."""


class Picture(MethodResult):
    """The dots of one statement at one moment (live, before or after) and their numbers."""

    at: str | None = None
    """When a snapshot was taken (None for the live picture)."""
    spots: list[Spot] = Field(default_factory=list)
    placed: int = 0
    not_placed: int = 0
    few: bool = True
    median: list[float] = Field(default_factory=list)
    """Per axis (x, then y in 2D); empty without dots."""
    q1: list[float] = Field(default_factory=list)
    q3: list[float] = Field(default_factory=list)
    spread: list[float] = Field(default_factory=list)
    """Interquartile range per axis."""
    histogram: list[int] = Field(default_factory=list)
    """1D: dots per bin of width 1/BINS (1.0 in the last bin)."""
    quadrants: dict[str, int] = Field(default_factory=dict)
    """2D: top_right, top_left, bottom_right, bottom_left (split at 0.5, the middle to the high side)."""
    ends: dict[str, str] = Field(default_factory=dict)
    """low / middle / high → participant: the dots to ask "why are you standing here?"."""


class Shift(MethodResult):
    """How one person moved between the two snapshots."""

    participant: str
    dx: float
    dy: float | None = None
    distance: float = 0.0


class Signature(MethodResult):
    participant: str
    name: str
    strokes: list[list[int]] = Field(default_factory=list)
    at: str | None = None


class Board(MethodResult):
    """One statement: its live picture, the snapshots, the shift, the signatures."""

    index: int
    text: str = ""
    reached: bool = False
    frozen: bool = False
    highlight: bool = False
    signing: bool = False
    live: Picture = Field(default_factory=Picture)
    before: Picture | None = None
    after: Picture | None = None
    shifts: list[Shift] = Field(default_factory=list)
    median_shift: list[float] = Field(default_factory=list)
    moved: int = 0
    signatures: list[Signature] = Field(default_factory=list)


class Result(MethodResult):
    dimensions: int = 1
    axes: dict[str, Axis] = Field(default_factory=dict)
    participants: int = 0
    current: int = 0
    sign_off: bool = False
    names: bool = False
    statements: list[Board] = Field(default_factory=list)
    empty: bool = True
    people: dict[str, str] = Field(default_factory=dict)
    """Names by participant pseudonym of the dots shown, only where the step allows names
    (:func:`with_names`); empty otherwise and in every stored snapshot."""


def _round(value: float) -> float:
    return round(value, DIGITS)


def picture(spots: Sequence[Spot], participants: int, dimensions: int, at: str | None = None) -> Picture:
    """The numbers of one set of dots (see the module's rules)."""
    placed = len(spots)
    base = Picture(at=at, spots=list(spots), placed=placed, not_placed=max(0, participants - placed),
                   few=placed <= FEW)
    if not spots:
        return base
    axes = [sorted(s[1] for s in spots)]
    if dimensions == 2:
        axes.append(sorted(s[2] or 0.0 for s in spots))
    median = [_round(quantile(v, 0.5)) for v in axes]
    q1 = [_round(quantile(v, 0.25)) for v in axes]
    q3 = [_round(quantile(v, 0.75)) for v in axes]
    histogram: list[int] = []
    quadrants: dict[str, int] = {}
    if dimensions == 1:
        histogram = [0] * BINS
        for s in spots:
            histogram[min(BINS - 1, int(s[1] * BINS))] += 1
    else:
        quadrants = {"top_right": 0, "top_left": 0, "bottom_right": 0, "bottom_left": 0}
        for s in spots:
            quadrants[("top" if (s[2] or 0.0) >= 0.5 else "bottom") + ("_right" if s[1] >= 0.5 else "_left")] += 1
    order = {s[0]: k for k, s in enumerate(spots)}  # who placed first wins a tie
    low = min(spots, key=lambda s: (s[1], order[s[0]]))
    high = max(spots, key=lambda s: (s[1], -order[s[0]]))
    middle = min(spots, key=lambda s: (abs(s[1] - median[0]), order[s[0]]))
    return base.model_copy(update={
        "median": median, "q1": q1, "q3": q3, "spread": [_round(b - a) for a, b in zip(q1, q3, strict=True)],
        "histogram": histogram, "quadrants": quadrants,
        "ends": {"low": low[0], "middle": middle[0], "high": high[0]},
    })


def _spots_of(positions: Mapping[str, JSON], dimensions: int) -> list[Spot]:
    """Recorded positions ``{participant: [x, y?]}`` as dots (anything malformed is skipped)."""
    out: list[Spot] = []
    for participant, value in positions.items():
        spot = _spot(participant, value, dimensions)
        if spot is not None:
            out.append(spot)
    return out


def _spot(participant: str, value: JSON, dimensions: int) -> Spot | None:
    if not isinstance(value, list) or len(value) < dimensions or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in value[:dimensions]):
        return None
    return (participant, float(value[0]), float(value[1]) if dimensions == 2 else None)


def _shifts(before: Picture, after: Picture) -> list[Shift]:
    earlier = {s[0]: s for s in before.spots}
    out = []
    for s in after.spots:
        b = earlier.get(s[0])
        if b is None:
            continue
        dx = _round(s[1] - b[1])
        dy = _round((s[2] or 0.0) - (b[2] or 0.0)) if s[2] is not None else None
        out.append(Shift(participant=s[0], dx=dx, dy=dy, distance=_round(math.hypot(dx, dy or 0.0))))
    return out


def tally(config: Config, casts: Sequence[Cast], participants: int = 0,
          decisions: Sequence[Decision] = ()) -> Result:
    now = stage(config, decisions)
    dims = config.dimensions
    live: dict[int, list[Spot]] = {i: [] for i in range(len(config.statements))}
    signatures: dict[int, list[Signature]] = {i: [] for i in range(len(config.statements))}
    for cast in casts:  # the latest per participant and key, in the order they were stored
        kind, _, index = cast.key.partition(":")
        if not index.isdigit() or int(index) not in live:
            continue  # a statement removed between rounds
        i = int(index)
        if kind == "pos":
            spot = _spot(cast.participant, cast.value, dims)
            if spot is not None:
                live[i].append(spot)
        elif kind == "sign" and isinstance(cast.value, Mapping):
            signatures[i].append(Signature(participant=cast.participant, name=str(cast.value.get("name", "")),
                                           strokes=list(cast.value.get("strokes") or []), at=cast.at))
    boards = []
    for i, text in enumerate(config.statements):
        board = Board(index=i, text=text, reached=i <= now.furthest, frozen=i in now.frozen,
                      highlight=i in now.highlight, signing=now.signing == i,
                      live=picture(live[i], participants, dims), signatures=signatures[i])
        snaps = {label: now.snapshots.get((i, label)) for label in LABELS}
        pictures = {label: picture(_spots_of(d.payload.get("positions") or {}, dims), participants, dims, d.at or None)
                    for label, d in snaps.items() if d is not None}
        before, after = pictures.get("before"), pictures.get("after")
        if before is not None and after is not None:
            shifts = _shifts(before, after)
            median_shift = [_round(a - b) for a, b in zip(after.median, before.median, strict=False)]
            board = board.model_copy(update={"shifts": shifts, "median_shift": median_shift,
                                             "moved": sum(1 for s in shifts if s.distance > MOVED)})
        boards.append(board.model_copy(update={"before": before, "after": after}))
    axes = {"x": config.axes.x}
    if config.y_axis is not None:
        axes["y"] = config.y_axis
    return Result(dimensions=dims, axes=axes, participants=participants, current=now.current,
                  sign_off=config.sign_off, names=config.names, statements=boards,
                  empty=not any(b.live.placed or b.signatures for b in boards))


def with_names(config: Config, result: Result, names: Mapping[str, str]) -> Result:
    """The result with the names of the participants whose dots it shows, if the step allows names
    (``names``); else unchanged: a step without names stays pseudonymous even where the session
    collects them. Signatures carry their typed name anyway."""
    if not config.names:
        return result
    shown = {s[0] for b in result.statements for pic in (b.live, b.before, b.after) if pic is not None
             for s in pic.spots}
    return result.model_copy(update={"people": {p: names[p] for p in sorted(shown, key=_by_number) if names.get(p)}})


def _by_number(participant: str) -> tuple[int, str]:
    return (int(participant), "") if participant.isdigit() else (0, participant)


# --- outcome ----------------------------------------------------------------------------------------


SIDE_LOW, SIDE_HIGH = 0.4, 0.6
"""A median between these is "in the middle"; below towards the low end, above towards the high."""


def side(value: float) -> str:
    return "low" if value < SIDE_LOW else "high" if value > SIDE_HIGH else "middle"


def _shown(board: Board) -> Picture:
    """The picture a statement ended with: after the discussion, else before it, else live."""
    return board.after or board.before or board.live


def outcome(result: Result) -> Outcome:
    """Where the room stands on each statement reached: the median, towards which end (the last
    snapshot if there is one, else the live picture); with several statements every median in a
    row. The headline (the projector's line) is the statement on screen. A note: a "before"
    without an "after" (the discussion's result is not recorded yet)."""
    x = result.axes.get("x") or X_DEFAULT
    reached = [b for b in result.statements if b.reached]
    placed = [b for b in reached if _shown(b).placed]
    if not placed:
        return Outcome(Text("constellation.empty"), "none")
    if len(placed) == 1:
        decision = _stands(placed[0], x)
    else:
        medians = " · ".join(f"{b.index + 1}: {round(100 * _shown(b).median[0])}" for b in placed)
        decision = Text("constellation.stands_many", {"medians": medians, "low": x.low, "high": x.high})
    on_screen = next((b for b in result.statements if b.index == result.current), None)
    headline = None
    if on_screen is not None and on_screen not in placed:
        headline = Text("constellation.nobody_yet", {"n": on_screen.index + 1})
    elif on_screen is not None and len(placed) > 1:
        headline = _stands(on_screen, x)
    notes = tuple(Text("constellation.note_no_after", {"n": b.index + 1})
                  for b in reached if b.before is not None and b.after is None)
    return Outcome(decision, "none", notes, headline)


def _stands(board: Board, x: Axis) -> Text:
    shown = _shown(board)
    median = shown.median[0]
    return Text(f"constellation.stands_{side(median)}", {
        "n": board.index + 1, "median": round(100 * median), "low": x.low, "high": x.high, "placed": shown.placed})


# --- commands ---------------------------------------------------------------------------------------


class Empty(CommandPayload):
    """A command that acts on the statement on screen."""


class Snapshot(CommandPayload):
    label: Literal["before", "after"]


class OpenSigning(CommandPayload):
    statement: int | None = Field(default=None, ge=0)
    """0-based; empty: the statement on screen."""


def guard_freeze(config: Config, payload: Empty, situation: Situation) -> None:
    now = stage(config, situation.decisions)
    if now.current in now.frozen:
        raise InvalidTransition("constellation_already_frozen", n=now.current + 1)


def guard_unfreeze(config: Config, payload: Empty, situation: Situation) -> None:
    now = stage(config, situation.decisions)
    if now.current not in now.frozen:
        raise InvalidTransition("constellation_not_frozen", n=now.current + 1)


def guard_snapshot(config: Config, payload: Snapshot, situation: Situation) -> None:
    now = stage(config, situation.decisions)
    if (now.current, payload.label) in now.snapshots:
        raise InvalidTransition("constellation_snapshot_taken", n=now.current + 1, label=payload.label)
    if payload.label == "after" and (now.current, "before") not in now.snapshots:
        raise InvalidTransition("constellation_snapshot_before_first", n=now.current + 1)


def record_snapshot(config: Config, payload: Snapshot, casts: Sequence[Cast], situation: Situation) -> dict[str, JSON]:
    """The current statement's positions at this moment, kept in the decision itself."""
    now = stage(config, situation.decisions)
    key = f"{POSITION}{now.current}"
    return {"statement": now.current,
            "positions": {c.participant: c.value for c in casts if c.key == key and isinstance(c.value, list)}}


def guard_next(config: Config, payload: Empty, situation: Situation) -> None:
    now = stage(config, situation.decisions)
    if now.current >= len(config.statements) - 1:
        raise InvalidTransition("constellation_last_statement", n=len(config.statements))


def guard_previous(config: Config, payload: Empty, situation: Situation) -> None:
    if stage(config, situation.decisions).current == 0:
        raise InvalidTransition("constellation_first_statement")


def guard_open_signing(config: Config, payload: OpenSigning, situation: Situation) -> None:
    if not config.sign_off:
        raise InvalidContribution("constellation_no_sign_off")
    now = stage(config, situation.decisions)
    target = now.current if payload.statement is None else payload.statement
    if target >= len(config.statements) or target > now.furthest:
        raise InvalidContribution("constellation_not_reached", n=target + 1, current=now.current + 1)
    if now.signing == target:
        raise InvalidTransition("constellation_signing_open", n=target + 1)


def record_open_signing(config: Config, payload: OpenSigning, casts: Sequence[Cast],
                        situation: Situation) -> dict[str, JSON]:
    """Which statement signing opened for (the one on screen when no number was given)."""
    now = stage(config, situation.decisions)
    return {"statement": now.current if payload.statement is None else payload.statement}


def guard_close_signing(config: Config, payload: Empty, situation: Situation) -> None:
    if stage(config, situation.decisions).signing is None:
        raise InvalidTransition("constellation_signing_not_open")


def record_current(config: Config, payload: CommandPayload, casts: Sequence[Cast],
                   situation: Situation) -> dict[str, JSON]:
    """The statement a command acted on (the protocol names it; a later next_statement does not
    move a freeze to another statement)."""
    return {"statement": stage(config, situation.decisions).current}


OPEN = ("open",)

COMMANDS: tuple[Command[Config, Any], ...] = (
    Command("freeze", Empty, "constellation.cmd.freeze", guard_freeze, OPEN, record=record_current),
    Command("unfreeze", Empty, "constellation.cmd.unfreeze", guard_unfreeze, OPEN, record=record_current),
    Command("snapshot", Snapshot, "constellation.cmd.snapshot", guard_snapshot, OPEN, record=record_snapshot),
    Command("highlight", Empty, "constellation.cmd.highlight", None, OPEN, record=record_current),
    Command("next_statement", Empty, "constellation.cmd.next_statement", guard_next, OPEN),
    Command("previous_statement", Empty, "constellation.cmd.previous_statement", guard_previous, OPEN),
    Command("open_signing", OpenSigning, "constellation.cmd.open_signing", guard_open_signing, OPEN,
            record=record_open_signing),
    Command("close_signing", Empty, "constellation.cmd.close_signing", guard_close_signing, OPEN),
)


ENGINE: Engine[Config, Result] = Engine(
    name=NAME,
    config=Config,
    result=Result,
    validate=validate,
    tally=tally,
    outcome=outcome,
    default_config={"dimensions": 1, "statements": ["Aussage 1"]},
    demo_steps=(
        # the 4th meeting adopted its mission statement by standing in the room, then signed it
        DemoStep(50, "Leitbild, Leitziele und SWOT", {
            "dimensions": 1,
            "axes": {"x": {"label": "Zustimmung", "low": "klare Ablehnung", "high": "volle Zustimmung"}},
            "statements": [
                "Das Leitbild: gemeinsam, innovativ, nachhaltig",
                "Die Leitziele bis 2025",
                "Die SWOT-Analyse der Allianz",
            ],
            "sign_off": True,
        }),
    ),
    results_hidden_by_default=RESULTS_HIDDEN_BY_DEFAULT,
    commands=COMMANDS,
    gate=gate,
    with_names=with_names,
)

"""What every method engine shares: the shape of stored entries and of current inputs.

A participant payload is validated into one or more :class:`Entry` objects. Each entry becomes
one append-only row keyed by ``key`` (e.g. the option id in consensing), so a partial or changed
input never rewrites history; the *latest* row per (participant, key) is what counts.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from methods.errors import InvalidContribution

JSON = Any

MAX_PAYLOAD_BYTES = 16 * 1024


class MethodConfig(BaseModel):
    """Base for every method's step config: frozen, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class ItemsFrom(BaseModel):
    """``"items_from": {"step": 1, "top": 4}``: take this step's items from the result of an
    earlier step of the agenda (0-based position in the agenda file) when the step opens, instead
    of typing them; ``top`` keeps only the first N it offers."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    step: int = Field(ge=0, le=999)
    top: int | None = Field(default=None, ge=1, le=100)
    group: str | None = Field(default=None, min_length=1, max_length=40)
    """Only the items of this group (e.g. one theme table's cards, or one category's): the
    offering method tags its items with ``Item.groups``."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One validated piece of a contribution, stored as one row."""

    key: str
    value: JSON


@dataclass(frozen=True, slots=True)
class Cast:
    """A current (latest) entry of one participant, as handed to ``tally``.

    ``seq`` is the stored row's order (0 when made by hand): a method whose moderator decisions
    apply to what came before them (a rotation round, a freeze) compares it with
    ``Decision.after``. It takes no part in equality, so a cast is its content."""

    participant: str
    key: str
    value: JSON
    seq: int = field(default=0, compare=False)
    at: str | None = field(default=None, compare=False)
    """When it was stored (ISO time, seconds), where the reader knows it: a signature's time."""


@dataclass(frozen=True, slots=True)
class Stored:
    """A stored row as read back: ``seq`` orders rows of the same step and round."""

    seq: int
    participant: str
    key: str
    value: JSON
    at: str | None = field(default=None, compare=False)
    """When the row was stored (ISO time, seconds)."""


def latest(rows: Iterable[Stored]) -> list[Cast]:
    """Keep only the newest row per (participant, key): a changed vote replaces the earlier one."""
    newest: dict[tuple[str, str], Stored] = {}
    for row in rows:
        slot = (row.participant, row.key)
        if slot not in newest or newest[slot].seq < row.seq:
            newest[slot] = row
    return [Cast(r.participant, r.key, r.value, r.seq, r.at) for r in sorted(newest.values(), key=lambda r: r.seq)]


def require_mapping(payload: object) -> Mapping[str, Any]:
    """Reject anything that is not a JSON object of sane size before a method looks at it."""
    if not isinstance(payload, Mapping):
        raise InvalidContribution("payload_not_object")
    try:
        size = len(json.dumps(payload, ensure_ascii=False).encode())
    except (TypeError, ValueError):
        raise InvalidContribution("payload_not_object") from None
    if size > MAX_PAYLOAD_BYTES:
        raise InvalidContribution("payload_too_large", limit=MAX_PAYLOAD_BYTES)
    return payload


class MethodResult(BaseModel):
    """Base for every method's result: the one source for console, phone, API and PDF.

    Stored snapshots are JSON (``model_dump(mode="json")``). ``extra="ignore"`` and defaults on
    every field let a snapshot stored by an older release still load after a field was added.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")


@dataclass(frozen=True, slots=True)
class Text:
    """A sentence as a translation key and its parameters, translated at the edge (like errors)."""

    key: str
    params: Mapping[str, JSON] = field(default_factory=dict)


Tone = Literal["good", "warn", "none"]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a result means, said once for the console, the phone, the API and the protocol.

    ``decision`` is the sentence ("Angenommen (Ja 12 : Nein 3)"); ``headline`` a shorter form for
    the projector when the sentence would be long (else the decision is shown); ``notes`` are
    open items a facilitator must still settle (a tie, nothing better than the passive solution).
    """

    decision: Text | None
    tone: Tone = "good"
    notes: tuple[Text, ...] = ()
    headline: Text | None = None


@dataclass(frozen=True, slots=True)
class Item:
    """An item a result offers to a later step (``items_from``): a winning option, a selected
    proposal, a prioritised topic."""

    id: str
    label: str
    description: str = ""
    merged_from: tuple[str, ...] = ()
    """The ids of the cards merged into this one (a harvest's merged card), so a later step can
    still say where it came from and count what was given to the originals."""
    groups: tuple[str, ...] = ()
    """Groups the item belongs to (a theme table, a category): ``items_from.group`` picks one."""


@dataclass(frozen=True, slots=True)
class DemoStep:
    """A step of the demo session; ``order`` places it among the other methods' demo steps."""

    order: int
    title: str
    config: Mapping[str, JSON]


@dataclass(frozen=True, slots=True)
class Decision:
    """A moderator's command as stored (append-only): what, with which payload, in which round."""

    seq: int
    command: str
    payload: Mapping[str, JSON]
    round: int
    after: int = 0
    """The highest contribution ``seq`` of the step when the decision was taken: casts with a
    higher ``seq`` came after it (e.g. cards written in the next rotation round)."""
    actor: str = ""
    """Who took it (``moderator`` or ``organizer``), for results that show it (a moved item)."""
    at: str = ""
    """When, as an ISO time (``2026-11-30T10:42:00``): handed in as data, the engine has no clock."""


@dataclass(frozen=True, slots=True)
class Situation:
    """What a command's guard may look at besides the config and the payload."""

    state: str
    round: int
    decisions: tuple[Decision, ...] = ()
    casts: tuple[Cast, ...] = ()
    """The round's current inputs, for a guard that must check what it refers to (a card to
    merge must exist)."""


History = tuple[Sequence[Cast], Sequence[Decision]]
"""A round so far: its current casts and its moderator decisions."""

C = TypeVar("C", bound=MethodConfig)
R = TypeVar("R", bound=MethodResult)
P = TypeVar("P", bound=BaseModel)


class CommandPayload(BaseModel):
    """Base for a command's JSON body: frozen, unknown keys refused (a typo is not ignored)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


@dataclass(frozen=True)
class Command(Generic[C, P]):
    """A moderator command a method declares (pin an item, freeze, merge cards …).

    One dispatcher (``facilitation/commands.py``) runs every command the same way: payload
    validated, guard clause first, one transaction, stored append-only as a moderator decision,
    the room told after the commit. The console draws a button (and a small form for the
    payload's fields) from this declaration; the API takes it at
    ``POST /api/v1/sessions/{id}/steps/{step}/commands/{name}``.
    """

    name: str
    payload: type[P]
    label: str
    """Text key of the button (in the method's texts)."""
    guard: Callable[[C, P, Situation], None] | None = None
    """Raises ``InvalidTransition``/``InvalidContribution`` when the command does not fit now."""
    states: tuple[str, ...] = ("open", "closed")
    """Step states in which the command is offered at all (``StepState`` values; methods/ cannot
    import the enum, which lives with the data)."""
    choices: Callable[[C], Mapping[str, Mapping[str, str]]] | None = None
    """Per payload field, the values the console's form offers to pick from (value → label),
    from the step's config: an item to move is picked by its title, not typed as an id."""
    button: bool = True
    """Drawn as a button in the console's footer; False for commands the method's own console
    view drives (tap two cards, then "zusammenfassen")."""
    record: Callable[[C, P, Sequence[Cast], Situation], Mapping[str, JSON]] | None = None
    """What the command saw, kept with its decision (config, payload, the round's current casts,
    the situation → JSON merged into the stored payload): a snapshot of the positions at this
    moment stays as it was, whatever moves later, because decisions are append-only."""


@dataclass(frozen=True)
class Fold(Generic[C, R]):
    """An incremental tally for a round that grows by appended inputs (theme tables: the 901st
    card should not replay the 900 before it on every delivery). As pure as ``tally``: ``start``
    and ``add`` return new states and leave the one they are given as it was.

    ``result(config, add(config, start(config, casts, decisions), more), participants)`` equals
    ``tally(config, [*casts, *more], participants, decisions)`` whenever ``more`` are later inputs
    under new (participant, key) slots — nothing replaced — and every decision came before them.
    The facilitation layer folds only then and starts again from the casts otherwise."""

    start: Callable[[C, Sequence[Cast], Sequence[Decision]], Any]
    add: Callable[[C, Any, Sequence[Cast]], Any]
    result: Callable[[C, Any, int], R]
    dump: Callable[[Any, R], dict[str, Any]] | None = None
    """``result.model_dump(mode="json")`` of a result this state gave, reusing the JSON of the
    parts the state kept (a theme-tables card already dumped for the last delivery): the dict
    every view, the API and the snapshot read, made without dumping 900 cards per new card."""


@dataclass(frozen=True)
class Engine(Generic[C, R]):
    """A method's engine part, declared once in ``methods/<name>.py`` as ``ENGINE``.

    The registry loads it by convention and checks its type, so a method is a plug-in: its own
    modules, its doc, one line in the registration list.
    """

    name: str
    config: type[C]
    result: type[R]
    validate: Callable[[C, object], list[Entry]]
    tally: Callable[[C, Sequence[Cast], int, Sequence[Decision]], R]
    """(config, latest casts, head count, the round's moderator decisions) → result; pure."""
    outcome: Callable[[R], Outcome]
    default_config: Mapping[str, JSON]
    demo_steps: tuple[DemoStep, ...] = ()
    results_hidden_by_default: bool = True
    revealable: bool = True
    """False when the result is the room's open work surface (theme tables' boards): there is
    nothing to reveal or hide, so the step always shows its result and the console offers neither
    "Aufdecken" nor "Verbergen" (nor a reveal phase on the arrow key)."""
    tally_while_hidden: bool = True
    """False when no view shows any part of an open round's result while it is hidden, and the
    tally is costly (materiality: a Bradley–Terry refit of both axes). The live state of a hidden
    open round then carries no result (``None``: "Ergebnis verdeckt"), so the hub's deliveries do
    not refit while answers arrive and nobody looks; the reveal, the close and the API's results
    tally every stored input as always."""
    items: Callable[[R], list[Item]] | None = None
    """The items this method's result offers to later steps, best first."""
    items_field: str | None = None
    """The config field that ``items_from`` fills when a step takes its items from an earlier one."""
    next_task: Callable[[C, Sequence[Cast], str, int], JSON] | None = None
    """What one participant should do next (e.g. the next pair to compare); deterministic in seed."""
    task_model: Callable[[C, Sequence[Cast]], Any] | None = None
    """The costly part of ``next_task`` that every participant shares (materiality: both axes
    fitted). With it, facilitation keeps one model per open round and renews it as answers
    accumulate, not on every answer, and asks ``task_for`` per participant: an answer then costs
    the participant's own rows, not a refit of everyone's."""
    task_for: Callable[[C, Any, Sequence[Cast], str, int], JSON] | None = None
    """(config, shared model, the participant's own casts, participant, seed) → the next task;
    ``next_task`` with a model built from the same casts gives the same task."""
    own_state: Callable[[C, Any, Sequence[Cast]], Any] | None = None
    """(config, the state of a participant's earlier rows or None, their rows stored since, in
    order, a changed answer as a row of its own) → the state of their current casts: what
    ``task_for`` and ``admit`` read of the participant's own casts (materiality: the pairs
    answered), passed to them instead of the casts. Facilitation keeps it per participant and
    round and extends it by the rows stored since, so an answer costs its own row, not a parse of
    every earlier one. Pure: returns a new state and leaves the one given as it was; extended by
    any split of the rows it equals the state made from all of them at once."""
    assume: Callable[[C, Any, JSON], Any] | None = None
    """(config, a participant's own state, a task handed to them) → the own state as if they had
    answered that task too, or None when it is no open task of theirs (answered already). With
    it, facilitation hands a participant the task after the one on screen as well (materiality:
    the phone shows the next pair the moment a pair is tapped, not after the round trip) and
    hands a task that was handed and is still unanswered again, so the pair a phone holds is the
    one the server expects next."""
    admit: Callable[[C, Any, Sequence[Cast], str, int, object, Sequence[JSON]], None] | None = None
    """Refuses a valid payload that answers no task this participant was handed (config, shared
    model, own casts, participant, seed, payload, the tasks handed to them lately): a pair that
    was never offered must not steer the placement. Raises ``InvalidContribution``."""
    answers: Callable[[JSON, object], bool] | None = None
    """(a task handed to the participant, a validated payload): whether the payload answers that
    task. Facilitation admits an answer to one of the tasks it just handed out without reading
    the round or asking ``admit`` (the common case: one read and one model lookup less per
    answer); ``admit`` must accept exactly these too."""
    commands: tuple[Command[C, Any], ...] = ()
    """Moderator commands of this method; their decisions reach ``tally`` in the same round."""
    participant_view: Callable[[C, R, str], Mapping[str, JSON]] | None = None
    """(config, live result, participant): the part of the live result that is this participant's
    own, shown whether or not the result is revealed (theme tables: the tables, their seat, round
    and host role, their table's cards). The API adds it to ``task``; a phone view may use it."""
    may_run: Callable[[C, Situation, str, str, Mapping[str, JSON]], None] | None = None
    """(config, situation, participant, command, payload): lets a participant run one of the
    method's commands (theme tables: a table's host, on that table's cards) or raises
    ``NotAllowed``. Without it, commands are the moderator's alone."""
    fits_round: Callable[[C, Sequence[Entry], str, Callable[[], History]], None] | None = None
    """(config, validated entries, participant, the round so far): refuses an input that is
    well-formed but does not fit what the round already holds (theme tables: a card only to the
    table the participant sits at) with ``InvalidContribution``. The round is read (once per
    commit batch) only when the rule calls for it."""
    with_names: Callable[[C, R, Mapping[str, str]], R] | None = None
    """(config, result, names by pseudonym) → the result carrying the names of the participants
    it shows, where the step's config allows names (constellation: ``names``). The facilitation
    layer calls it only for sessions that collect names, when a result leaves the app (API,
    export, protocol); the tally itself stays free of names, so no stored snapshot holds one."""
    fold: Fold[C, R] | None = None
    """The tally as a fold (see :class:`Fold`): a live round is tallied by adding the inputs
    stored since the last delivery instead of replaying all of them."""
    gate: Callable[[C, Sequence[Decision], Sequence[Entry]], None] | None = None
    """Refuses validated entries that the round's decisions rule out right now (raises
    ``InvalidContribution``): a frozen statement, signing not open. Runs inside the input's write
    transaction with the decisions read there, so a command committed first always wins."""

    def parse_config(self, raw: Mapping[str, Any] | None) -> C:
        """Validate a raw config dict; raises pydantic.ValidationError naming the bad fields."""
        return self.config.model_validate(dict(raw or {}))

    def command(self, name: str) -> Command[C, Any] | None:
        return next((c for c in self.commands if c.name == name), None)

    def load_result(self, raw: Mapping[str, Any] | None) -> R:
        """A stored or live result dict as the typed model (older snapshots load with defaults)."""
        return self.result.model_validate(dict(raw or {}))

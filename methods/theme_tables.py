"""Theme tables (Thementische, World Café): parallel tables, cards from phones, rotation, hosts.

Rules:

* **Tables.** Each table has an id, a title, a guiding question, *prompts* (the prepared
  sub-aspects, so that nobody faces a white sheet) and optional pre-filled cards. Optional
  *categories* tag cards across tables (e.g. Klimawandel / sozio-ökonomischer Wandel /
  technologischer Wandel). Table and category ids are distinct, so ``items_from.group`` names one.
* **Cards.** ``{"card": {"table", "text", "prompt"?, "category"?}}``: 1–280 characters after
  trimming, the prompt one of that table's prompts, the category one of the categories. A card is
  stored under ``card:<hash of table, text, prompt, category>``: the same card sent twice from one
  phone (a double tap, a retry) stays one card. Its id is ``c<participant>-<hash>``, its author a
  pseudonym (``TN 3``: the third person to take part in the step), its round the rotation round
  in force when it was stored.
* **Seating.** ``free`` (default): a card may go to any table; a phone says where it sits with
  ``{"seat": {"table": id}}`` and is asked to choose a new table when a round starts.
  ``table_qr``: the same, said by scanning the table's own QR code; a card goes only to the
  participant's table of the current round. ``round_robin``: a phone checks in once
  (``{"seat": {}}``) and :func:`rotation` assigns its table in every round; a card goes only to
  it. Hosts sit at their own table and never rotate; ``assign`` (role ``guest``) moves one person
  for the current round.
* **Rotation plan** (:func:`rotation`): the guests in check-in order (hosts left out) start at
  tables 0, 1, …, T−1, 0, 1, … Guest ``i = q·T + k`` moves in round ``r`` (0-based) by
  ``s_q(r) = ((q mod (T−1)) + r − 1) mod (T−1) + 1`` (``r mod T ≠ 0``; none in rounds
  ``0, T, 2T …``). Each block of T guests is a permutation of the tables in every round and the
  last, partial block lands on distinct tables, so **table sizes differ by at most one** in every
  round; ``s_q`` takes every value 1…T−1 once over the rounds 1…T−1, so each guest sees
  **min(rounds, T) different tables**; and guests who start together (same ``k``, different
  ``q``) move by different steps, so the groups mix. Check-in order, not participant ids, keeps
  the plan stable while latecomers check in: a latecomer is appended and moves nobody.
* **Rounds.** ``next_round`` starts the next rotation round (up to ``rounds``). A decision records
  the step's last contribution before it (``Decision.after``), so every card and seat keeps the
  round it was made in, whatever happens later.
* **Hosts.** ``assign`` ``{participant, table, role: "host"}`` makes a participant a table's host
  (a host link does this once its key checks out). Hosts and the moderator ``edit``, ``merge``,
  ``split`` and ``move`` cards, write the round's ``summary`` (the next round's guests read it on
  their phones) and link a ``photo`` of the tablecloth; the facilitation layer checks that a host
  only touches cards of the tables they host (:func:`tables_touched`).
* **Merging.** ``merge`` ``{cards: [≥ 2 ids], text?}`` makes one card ``m<decision>`` at the first
  card's place (table, prompt, category), its text the given one or the first card's; the
  originals are kept whole in ``merged_from`` (provenance) and ``split`` ``{card}`` brings them
  back exactly as they were. A merged card counts once on the board and for later steps.
* **Offered to later steps** (``items_from``): the cards after merging, table by table in board
  order, each tagged with its table and category (``items_from.group`` takes one table's or one
  category's cards); a merged card names every card it stands for (``merged_from``).

The board is replayed from the casts and decisions in the order they happened (:func:`board`), so
the tally, the guards of the commands and the seating rule (``fits_round``) see the same state. Pure:
no I/O, clock or global random.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from methods.base import (
    Cast,
    Command,
    CommandPayload,
    Decision,
    DemoStep,
    Engine,
    Entry,
    Fold,
    History,
    Item,
    ItemsFrom,
    MethodConfig,
    MethodResult,
    Outcome,
    Situation,
    Text,
    require_mapping,
)
from methods.errors import InvalidContribution, InvalidTransition, NotAllowed
from methods.options import Option, normalise, unique_ids

NAME = "theme_tables"
MAX_CARD = 280
MAX_SUMMARY = 1000
MAX_TABLES = 12
SEAT_KEY = "seat"
CARD_PREFIX = "card:"
Seating = Literal["free", "round_robin", "table_qr"]

# --- config ---------------------------------------------------------------------------------------


class Prefilled(BaseModel):
    """A card the organizers put on the table beforehand (a string or ``{text, prompt?, category?}``)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    text: str = Field(min_length=1, max_length=MAX_CARD)
    prompt: str | None = None
    category: str | None = None


class Table(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    id: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_\-]+$")
    title: str = Field(min_length=1, max_length=300)
    question: str = Field(default="", max_length=2000)
    prompts: list[Option] = Field(default_factory=list, max_length=12)
    cards: list[Prefilled] = Field(default_factory=list, max_length=40)

    @field_validator("prompts", mode="before")
    @classmethod
    def _prompt_ids(cls, raw: Any) -> Any:
        return normalise(raw, "p")

    @field_validator("prompts")
    @classmethod
    def _unique_prompts(cls, prompts: list[Option]) -> list[Option]:
        return unique_ids(prompts)

    @field_validator("cards", mode="before")
    @classmethod
    def _card_texts(cls, raw: Any) -> Any:
        return [{"text": c} if isinstance(c, str) else c for c in raw] if isinstance(raw, list) else raw

    @field_validator("cards")
    @classmethod
    def _card_prompts(cls, cards: list[Prefilled], info: ValidationInfo) -> list[Prefilled]:
        known = {p.id for p in info.data.get("prompts") or []}
        for card in cards:
            if card.prompt is not None and card.prompt not in known:
                raise PydanticCustomError("card_prompt_unknown", "the card's prompt '{prompt}' is not one of the "
                                          "table's prompts", {"prompt": card.prompt})
        return cards

    def prompt_label(self, prompt: str | None) -> str:
        return next((p.label for p in self.prompts if p.id == prompt), "")


def _tables(raw: Any) -> Any:
    """Tables as agendas write them: ids ``t1``, ``t2`` … by position; a table taken from an
    earlier step's items (``{id, label, description}``) becomes title and question."""
    if not isinstance(raw, list):
        return raw
    out: list[Any] = []
    for i, table in enumerate(raw, start=1):
        if isinstance(table, str):
            table = {"title": table}
        if isinstance(table, dict):
            table = dict(table)
            if "label" in table and "title" not in table:
                table["title"] = table.pop("label")
            if "description" in table and "question" not in table:
                table["question"] = table.pop("description")
            table.setdefault("id", f"t{i}")
        out.append(table)
    return out


class Config(MethodConfig):
    items_from: ItemsFrom | None = None
    """Tables taken from an earlier step's items when the step opens (each item a table)."""
    categories: list[Option] = Field(default_factory=list, max_length=12)
    tables: list[Table] = Field(default_factory=list, max_length=MAX_TABLES, validate_default=True)
    rounds: int = Field(default=3, ge=1, le=8)
    round_minutes: int = Field(default=20, ge=1, le=120)
    seating: Seating = "free"
    group_by: Literal["prompt", "category"] = "prompt"

    @field_validator("categories", mode="before")
    @classmethod
    def _category_ids(cls, raw: Any) -> Any:
        return normalise(raw, "k")

    @field_validator("categories")
    @classmethod
    def _unique_categories(cls, categories: list[Option]) -> list[Option]:
        return unique_ids(categories)

    @field_validator("tables", mode="before")
    @classmethod
    def _table_ids(cls, raw: Any) -> Any:
        return _tables(raw)

    @field_validator("tables")
    @classmethod
    def _check_tables(cls, tables: list[Table], info: ValidationInfo) -> list[Table]:
        if not tables and info.data.get("items_from") is None:
            raise PydanticCustomError("tables_missing", "at least one table is needed (or items_from an earlier step)")
        ids, titles = set(), set()
        for table in tables:
            title = " ".join(table.title.split()).casefold()
            if table.id in ids:
                raise PydanticCustomError("duplicate_table", "duplicate table id '{id}'", {"id": table.id})
            if title in titles:
                raise PydanticCustomError("duplicate_label", "'{label}' appears twice", {"label": table.title})
            ids.add(table.id)
            titles.add(title)
        categories = {c.id for c in info.data.get("categories") or []}
        for table in tables:
            if table.id in categories:
                raise PydanticCustomError("table_category_clash", "'{id}' is both a table and a category id",
                                          {"id": table.id})
            for card in table.cards:
                if card.category is not None and card.category not in categories:
                    raise PydanticCustomError("card_category_unknown", "the card's category '{category}' is not "
                                              "one of the categories", {"category": card.category})
        return tables

    def table(self, table_id: str) -> Table | None:
        return next((t for t in self.tables if t.id == table_id), None)


# --- the rotation plan ----------------------------------------------------------------------------


def rotation(index: int, tables: int, round_: int) -> int:
    """The table (0-based position) of the ``index``-th guest (check-in order, hosts left out) in
    rotation round ``round_`` (1-based); see the module docstring for why it is balanced."""
    if tables <= 1:
        return 0
    block, start = divmod(index, tables)
    step = (round_ - 1) % tables
    if step == 0:
        return start
    shift = ((block % (tables - 1)) + step - 1) % (tables - 1) + 1
    return (start + shift) % tables


def plan(guests: int, tables: int, rounds: int) -> list[list[int]]:
    """Every guest's table per round (``plan[guest][round - 1]``), for tests and the docs."""
    return [[rotation(i, tables, r) for r in range(1, rounds + 1)] for i in range(guests)]


# --- validation -----------------------------------------------------------------------------------


def _text(raw: object) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidContribution("card_empty")
    text = raw.strip()
    if len(text) > MAX_CARD:
        raise InvalidContribution("card_too_long", max=MAX_CARD, length=len(text))
    return text


def _optional_id(raw: object, known: set[str], error: str, **params: Any) -> str | None:
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str) or raw not in known:
        raise InvalidContribution(error, **{**params, "value": str(raw)[:40]})
    return raw


def card_hash(table: str, text: str, prompt: str | None, category: str | None) -> str:
    """The stable part of a card's key and id: the same card sent twice is the same card."""
    raw = "\x1f".join((table, text, prompt or "", category or ""))
    return hashlib.sha256(raw.encode()).hexdigest()[:12]


def card_id(participant: str, key: str) -> str | None:
    """The id of the card a participant's input under ``key`` puts on the board (None: not a
    card): one person's same card sent twice is one card; two people's same text are two."""
    return f"c{participant}-{key[len(CARD_PREFIX):]}" if key.startswith(CARD_PREFIX) else None


def validate(config: Config, payload: object) -> list[Entry]:
    data = require_mapping(payload)
    if "seat" in data:
        if "card" in data:
            raise InvalidContribution("card_or_seat")
        return [_seat(config, data["seat"])]
    card = data.get("card")
    if not isinstance(card, dict):
        raise InvalidContribution("card_missing")
    table = config.table(card["table"]) if isinstance(card.get("table"), str) else None
    if table is None:
        raise InvalidContribution("unknown_table", table=str(card.get("table"))[:40])
    text = _text(card.get("text"))
    prompt = _optional_id(card.get("prompt"), {p.id for p in table.prompts}, "unknown_prompt")
    category = _optional_id(card.get("category"), {c.id for c in config.categories}, "unknown_category")
    value = {"table": table.id, "text": text, "prompt": prompt, "category": category}
    return [Entry(CARD_PREFIX + card_hash(table.id, text, prompt, category), value)]


def _seat(config: Config, seat: object) -> Entry:
    if not isinstance(seat, dict):
        raise InvalidContribution("seat_invalid")
    table = seat.get("table")
    if config.seating == "round_robin":
        if table is not None:
            raise InvalidContribution("seat_assigned")  # the plan seats people; a phone only checks in
        return Entry(SEAT_KEY, {"table": None})
    if not isinstance(table, str) or config.table(table) is None:
        raise InvalidContribution("unknown_table", table=str(table)[:40])
    return Entry(SEAT_KEY, {"table": table})


# --- the board, replayed --------------------------------------------------------------------------


@dataclass
class _Card:
    id: str
    table: str
    text: str
    prompt: str | None
    category: str | None
    author: str | None
    round: int
    order: tuple[int, int]
    prefilled: bool = False
    edited_from: str | None = None
    merged_from: list[_Card] = field(default_factory=list)


@dataclass
class Board:
    """The state of the tables after the casts and decisions so far (see :func:`board`)."""

    config: Config
    round: int = 1
    cards: dict[str, _Card] = field(default_factory=dict)
    """Cards on the tables now, by id (merged originals live inside their merged card)."""
    seated: dict[str, str] = field(default_factory=dict)
    """Participant → table chosen (free, table_qr) or assigned for this round (``assign`` guest)."""
    seat_round: dict[str, int] = field(default_factory=dict)
    checked_in: list[str] = field(default_factory=list)
    hosts: dict[str, str] = field(default_factory=dict)
    """Participant → the table they host."""
    summaries: dict[tuple[str, int], str] = field(default_factory=dict)
    photos: dict[str, list[int]] = field(default_factory=dict)
    previous: dict[str, str] = field(default_factory=dict)
    """Where each person sat in the round before (for "go to table …")."""
    pseudonyms: dict[str, str] = field(default_factory=dict)
    written: int = 0
    writers: set[str] = field(default_factory=set)
    focus: str | None = None
    known: dict[str, Table] = field(init=False, repr=False)
    """The config's tables by id, made once: the replay asks for a card's table twice per card."""

    def __post_init__(self) -> None:
        self.known = {t.id: t for t in self.config.tables}

    # --- who sits where ---------------------------------------------------------------------
    def guests(self) -> list[str]:
        """Checked-in people who are not hosts, in check-in order (the plan's order)."""
        return [p for p in self.checked_in if p not in self.hosts]

    def seats(self) -> dict[str, str]:
        """Participant → table in the current round (hosts at their own table)."""
        ids = [t.id for t in self.config.tables]
        out: dict[str, str] = {}
        if self.config.seating == "round_robin" and ids:
            for index, person in enumerate(self.guests()):
                out[person] = ids[rotation(index, len(ids), self.round)]
            out.update({p: t for p, t in self.seated.items() if self.seat_round.get(p) == self.round})
        else:
            out.update(self.seated)
        out.update(self.hosts)
        return out

    def table_of(self, participant: str) -> str | None:
        return self.seats().get(participant)

    # --- replay -------------------------------------------------------------------------------
    def _name(self, participant: str) -> str:
        if participant not in self.pseudonyms:
            self.pseudonyms[participant] = f"TN {len(self.pseudonyms) + 1}"
        return self.pseudonyms[participant]

    def cast(self, cast: Cast) -> None:
        value = cast.value if isinstance(cast.value, dict) else {}
        self._name(cast.participant)
        if cast.key == SEAT_KEY:
            if cast.participant not in self.checked_in:
                self.checked_in.append(cast.participant)
            table = value.get("table")
            if isinstance(table, str) and self.known.get(table) is not None:
                self.seated[cast.participant] = table
                self.seat_round[cast.participant] = self.round
            return
        made = card_id(cast.participant, cast.key)
        if made is None:
            return
        table = value.get("table")
        if not isinstance(table, str) or self.known.get(table) is None or not isinstance(value.get("text"), str):
            return  # a table removed between rounds: the card no longer has a place
        self.cards[made] = _Card(made, table, value["text"], value.get("prompt"), value.get("category"),
                                 self._name(cast.participant), self.round, (cast.seq, 0))
        self.written += 1
        self.writers.add(cast.participant)

    def decide(self, decision: Decision) -> None:
        """Apply a decision; one that no longer fits (a card merged away) changes nothing."""
        apply = _APPLY.get(decision.command)
        if apply is not None:
            apply(self, decision.payload, decision)

    def _next_round(self, payload: Any, decision: Decision) -> None:
        if self.round < self.config.rounds:
            self.previous = self.seats()
            self.round += 1

    def _assign(self, payload: Any, decision: Decision) -> None:
        person, table = str(payload.get("participant", "")), payload.get("table")
        if not person or not isinstance(table, str) or self.known.get(table) is None:
            return
        self._name(person)
        if payload.get("role", "host") == "host":
            self.hosts[person] = table
        else:
            self.hosts.pop(person, None)
            self.seated[person] = table
            self.seat_round[person] = self.round

    def _summary(self, payload: Any, decision: Decision) -> None:
        table = payload.get("table")
        if isinstance(table, str) and self.known.get(table) is not None:
            self.summaries[(table, self.round)] = str(payload.get("text", "")).strip()

    def _photo(self, payload: Any, decision: Decision) -> None:
        table, photo = payload.get("table"), payload.get("photo")
        if isinstance(table, str) and self.known.get(table) is not None and isinstance(photo, int):
            self.photos.setdefault(table, []).append(photo)

    def _focus(self, payload: Any, decision: Decision) -> None:
        table = payload.get("table")
        self.focus = table if isinstance(table, str) and self.known.get(table) is not None else None

    def _edit(self, payload: Any, decision: Decision) -> None:
        card = self.cards.get(str(payload.get("card")))
        text = payload.get("text")
        if card is not None and isinstance(text, str) and text.strip():
            if card.edited_from is None and text.strip() != card.text:
                card.edited_from = card.text
            card.text = text.strip()[:MAX_CARD]

    def _move(self, payload: Any, decision: Decision) -> None:
        card = self.cards.get(str(payload.get("card")))
        if card is None:
            return
        table = payload.get("table")
        if isinstance(table, str) and self.known.get(table) is not None and table != card.table:
            card.table = table
            card.prompt = None  # prompts belong to their table (ids are per table: p1 there is not p1 here)
        prompt = payload.get("prompt")
        if prompt is not None:
            own = self.known.get(card.table)
            card.prompt = prompt if own is not None and prompt in {p.id for p in own.prompts} else None
        category = payload.get("category")
        if category is not None:
            card.category = category if category in {c.id for c in self.config.categories} else None

    def _merge(self, payload: Any, decision: Decision) -> None:
        ids = [str(i) for i in payload.get("cards") or []]
        found = [self.cards[i] for i in dict.fromkeys(ids) if i in self.cards]
        if len(found) < 2 or len(found) != len(set(ids)):
            return
        first = found[0]
        text = payload.get("text")
        merged = _Card(f"m{decision.seq}", first.table, text.strip() if isinstance(text, str) and text.strip()
                       else first.text, first.prompt, first.category, None, min(c.round for c in found),
                       min(c.order for c in found), merged_from=found)
        for card in found:
            del self.cards[card.id]
        self.cards[merged.id] = merged

    def _split(self, payload: Any, decision: Decision) -> None:
        card = self.cards.get(str(payload.get("card")))
        if card is None or not card.merged_from:
            return
        del self.cards[card.id]
        for original in card.merged_from:
            self.cards[original.id] = original

    def table_cards(self, table: str) -> list[_Card]:
        return sorted((c for c in self.cards.values() if c.table == table), key=lambda c: c.order)


_APPLY: dict[str, Callable[[Board, Any, Decision], None]] = {
    "next_round": Board._next_round, "assign": Board._assign, "summary": Board._summary, "photo": Board._photo,
    "focus": Board._focus, "edit": Board._edit, "move": Board._move, "merge": Board._merge, "split": Board._split,
}


def board(config: Config, casts: Sequence[Cast], decisions: Sequence[Decision] = ()) -> Board:
    """The tables after everything so far, in the order it happened: a decision comes after every
    cast it saw (``cast.seq <= decision.after``) and before every later one."""
    state = Board(config)
    for i, table in enumerate(config.tables):
        for n, pre in enumerate(table.cards, start=1):
            card_id = f"{table.id}-f{n}"
            state.cards[card_id] = _Card(card_id, table.id, pre.text, pre.prompt, pre.category, None, 1,
                                         (0, i * 100 + n), prefilled=True)
    pending = sorted(decisions, key=lambda d: d.seq)
    done = 0
    for cast in sorted(casts, key=lambda c: c.seq):
        while done < len(pending) and pending[done].after < cast.seq:
            state.decide(pending[done])
            done += 1
        state.cast(cast)
    for decision in pending[done:]:
        state.decide(decision)
    return state


# --- the seating rule on the commit path ------------------------------------------------------------


def fits_round(config: Config, entries: Sequence[Entry], participant: str, history: Callable[[], History]) -> None:
    """A card goes only to the participant's table of this round (``table_qr``, ``round_robin``),
    and a phone checks in only once for the plan (a second check-in would move it to the end of
    the order, and with it other people's tables)."""
    if config.seating == "free":
        return
    casts, decisions = history()
    # who sits where follows from the seats and the decisions alone (cards move no one): replaying
    # 900 cards for each new one would put the boards' size on the path before its commit
    state = board(config, [c for c in casts if c.key == SEAT_KEY], decisions)
    for entry in entries:
        if entry.key == SEAT_KEY and config.seating == "round_robin":
            if participant in state.checked_in:
                raise InvalidContribution("seat_checked_in")
        elif entry.key.startswith(CARD_PREFIX):
            mine = state.table_of(participant)
            if mine is None:
                raise InvalidContribution("card_no_seat")
            if entry.value.get("table") != mine:
                own = config.table(mine)
                raise InvalidContribution("card_other_table", table=own.title if own is not None else mine)


# --- result ---------------------------------------------------------------------------------------


class Label(MethodResult):
    id: str
    label: str = ""


class CardOut(MethodResult):
    id: str
    table: str = ""
    text: str = ""
    prompt: str | None = None
    category: str | None = None
    author: str | None = None
    """A pseudonym (``TN 3``); none for pre-filled and merged cards."""
    round: int = 1
    prefilled: bool = False
    edited_from: str | None = None
    """The text before a host or the moderator edited it."""
    merged_from: list[CardOut] = Field(default_factory=list)


class RoundOut(MethodResult):
    round: int
    summary: str = ""
    cards: int = 0
    """Cards on the board now that were written in this round (a merged card counts once)."""


class TableOut(MethodResult):
    id: str
    title: str = ""
    question: str = ""
    prompts: list[Label] = Field(default_factory=list)
    cards: list[CardOut] = Field(default_factory=list)
    rounds: list[RoundOut] = Field(default_factory=list)
    hosts: list[str] = Field(default_factory=list)
    """Participant ids of the table's hosts."""
    seated: int = 0
    """People at the table in the current round (hosts included)."""
    photos: list[int] = Field(default_factory=list)
    """Ids of the uploaded photos of the tablecloth."""


class Result(MethodResult):
    tables: list[TableOut] = Field(default_factory=list)
    categories: list[Label] = Field(default_factory=list)
    seating: str = "free"
    group_by: str = "prompt"
    round: int = 1
    rounds: int = 1
    round_minutes: int = 20
    cards: int = 0
    """Cards on the boards (after merging)."""
    written: int = 0
    """Cards written from phones (each original counts)."""
    writers: int = 0
    participants: int = 0
    seats: dict[str, str] = Field(default_factory=dict)
    """Participant id → table in the current round."""
    previous: dict[str, str] = Field(default_factory=dict)
    """Participant id → table in the round before (the phone says where to go)."""
    chosen: dict[str, int] = Field(default_factory=dict)
    """Participant id → the round in which they last chose their table (free, table_qr): a seat
    from an earlier round makes the phone ask for a new table."""
    focus: str | None = None
    """The table the moderator enlarged for the harvest."""
    empty: bool = True

    def table(self, table_id: str) -> TableOut | None:
        return next((t for t in self.tables if t.id == table_id), None)


def _out(card: _Card) -> CardOut:
    return CardOut(id=card.id, table=card.table, text=card.text, prompt=card.prompt, category=card.category,
                   author=card.author, round=card.round, prefilled=card.prefilled, edited_from=card.edited_from,
                   merged_from=[_out(c) for c in card.merged_from])


Outs = dict[str, tuple[_Card, CardOut]]
"""Card id → the card as last output and its CardOut: a card object that is still the same one
(nothing edited, moved or merged it since) is not built again."""


def _out_kept(card: _Card, outs: Outs) -> CardOut:
    kept = outs.get(card.id)
    if kept is not None and kept[0] is card:
        return kept[1]
    out = _out(card)
    outs[card.id] = (card, out)
    return out


def tally(config: Config, casts: Sequence[Cast], participants: int = 0,
          decisions: Sequence[Decision] = ()) -> Result:
    return _result(config, board(config, casts, decisions), participants, {})


def by_table(config: Config, state: Board) -> dict[str, list[_Card]]:
    """Each table's cards in board order."""
    tables: dict[str, list[_Card]] = {t.id: [] for t in config.tables}
    for card in state.cards.values():
        if card.table in tables:
            tables[card.table].append(card)
    return {table: sorted(cards, key=lambda c: c.order) for table, cards in tables.items()}


Shown = dict[str, tuple[list[_Card], list[CardOut], dict[int, int]]]
"""Table id → its cards as last output, their outputs and the cards per round: a table whose
cards are those plus new ones after them outputs and counts only the new ones."""


def _shown(table: str, cards: list[_Card], outs: Outs, shown: Shown) -> tuple[list[CardOut], dict[int, int]]:
    kept = shown.get(table)
    if kept is not None and cards[:len(kept[0])] == kept[0]:  # the same card objects: a pointer check each
        new, made, rounds = cards[len(kept[0]):], list(kept[1]), dict(kept[2])
    else:
        new, made, rounds = cards, [], {}
    for card in new:
        made.append(_out_kept(card, outs))
        rounds[card.round] = rounds.get(card.round, 0) + 1
    shown[table] = (cards, made, rounds)
    return made, rounds


def _result(config: Config, state: Board, participants: int, outs: Outs,
            tables_cards: dict[str, list[_Card]] | None = None, shown: Shown | None = None) -> Result:
    seats = state.seats()
    cards_of = by_table(config, state) if tables_cards is None else tables_cards
    tables = []
    for table in config.tables:
        cards = cards_of[table.id]
        hosts = sorted((p for p, t in state.hosts.items() if t == table.id), key=int_or_text)
        made, per_round = _shown(table.id, cards, outs, {} if shown is None else shown)
        tables.append(TableOut(
            id=table.id, title=table.title, question=table.question,
            prompts=[Label(id=p.id, label=p.label) for p in table.prompts],
            cards=made,
            rounds=[RoundOut(round=r, summary=state.summaries.get((table.id, r), ""), cards=per_round.get(r, 0))
                    for r in range(1, state.round + 1)],
            hosts=hosts, seated=sum(1 for t in seats.values() if t == table.id),
            photos=list(state.photos.get(table.id, [])),
        ))
    return Result(
        tables=tables, categories=[Label(id=c.id, label=c.label) for c in config.categories],
        seating=config.seating, group_by=config.group_by, round=state.round, rounds=config.rounds,
        round_minutes=config.round_minutes, cards=len(state.cards), written=state.written,
        writers=len(state.writers), participants=participants, seats=seats, previous=state.previous,
        chosen=dict(state.seat_round),
        focus=state.focus, empty=not state.written,
    )


# --- the tally as a fold (a live round that grows card by card) ---------------------------------------


Dumps = dict[str, tuple[CardOut, dict[str, Any]]]
"""Card id → a CardOut and its JSON: a card output that is still the same object is not dumped again."""


@dataclass(frozen=True)
class Folded:
    """The replayed board, the cards' outputs and their JSON so far (reused while a card object stays the same)."""

    board: Board
    outs: Outs
    dumps: Dumps = field(default_factory=dict)
    tables: dict[str, list[_Card]] = field(default_factory=dict)
    """Each table's cards in board order, kept up to date card by card (no sort of every card)."""
    shown: Shown = field(default_factory=dict)
    dumped: dict[str, tuple[list[CardOut], list[dict[str, Any]]]] = field(default_factory=dict)
    """Table id → its card outputs as last dumped and their JSON (see :func:`fold_dump`)."""


def fold_start(config: Config, casts: Sequence[Cast], decisions: Sequence[Decision]) -> Folded:
    played = board(config, casts, decisions)
    return Folded(played, {}, tables=by_table(config, played))


def fold_add(config: Config, state: Folded, casts: Sequence[Cast]) -> Folded:
    """The board after later casts, on copies of what a cast changes (the given state stays as it
    was: two deliveries may fold from it). A cast only adds cards and seats; it never changes a
    card already there, so the cards themselves (and their outputs) are shared."""
    b = state.board
    grown = replace(b, cards=dict(b.cards), seated=dict(b.seated), seat_round=dict(b.seat_round),
                    checked_in=list(b.checked_in), pseudonyms=dict(b.pseudonyms), writers=set(b.writers))
    tables = dict(state.tables)
    for cast in sorted(casts, key=lambda c: c.seq):
        count = len(grown.cards)
        grown.cast(cast)
        if len(grown.cards) > count:  # a new card: the last one in the dict, after its table's cards
            card = next(reversed(grown.cards.values()))
            cards = tables[card.table] = list(tables[card.table])
            cards.append(card)
            if len(cards) > 1 and cards[-2].order > card.order:
                cards.sort(key=lambda c: c.order)
        elif cast.key.startswith(CARD_PREFIX):  # a card refused or (outside the contract) replaced
            tables = by_table(config, grown)
    return Folded(grown, dict(state.outs), dict(state.dumps), tables, dict(state.shown), dict(state.dumped))


def fold_result(config: Config, state: Folded, participants: int) -> Result:
    """The result of the folded board; new cards' outputs are remembered in this state's ``outs``
    (a cache: the same result whoever fills it)."""
    return _result(config, state.board, participants, state.outs, state.tables, state.shown)


TABLE_FIELDS = tuple(TableOut.model_fields)


def fold_dump(state: Folded, result: Result) -> dict[str, Any]:
    """``result.model_dump(mode="json")`` with each card's JSON made once for the life of its
    output (issue 13: dumping all 900 cards for each new one was the largest part of a card's
    delivery); the cards' dicts are shared by the results that show them, so nobody may change
    them in place — the views and the API only read them."""
    out = result.model_dump(mode="json", exclude={"tables": {"__all__": {"cards"}}})
    tables = []
    for table, raw in zip(result.tables, out["tables"], strict=True):
        kept = state.dumped.get(table.id)
        if kept is not None and table.cards[:len(kept[0])] == kept[0]:  # the same outputs: a pointer check each
            cards = kept[1] + [_dumped(card, state.dumps) for card in table.cards[len(kept[0]):]]
        else:
            cards = [_dumped(card, state.dumps) for card in table.cards]
        state.dumped[table.id] = (table.cards, cards)
        raw["cards"] = cards
        tables.append({name: raw[name] for name in TABLE_FIELDS})  # the model's key order, as model_dump
    out["tables"] = tables
    return out


def _dumped(card: CardOut, dumps: Dumps) -> dict[str, Any]:
    kept = dumps.get(card.id)
    if kept is not None and kept[0] is card:
        return kept[1]
    raw = card.model_dump(mode="json")
    dumps[card.id] = (card, raw)
    return raw


def int_or_text(value: str) -> tuple[int, str]:
    return (int(value), "") if value.isdigit() else (0, value)


def outcome(result: Result) -> Outcome:
    """How much the tables gathered; a theme-table step decides nothing by itself."""
    if not result.cards:
        return Outcome(None, "none")
    return Outcome(Text("theme_tables.gathered", {"cards": result.cards, "tables": len(result.tables),
                                                  "writers": result.writers}), "none")


def items(result: Result) -> list[Item]:
    """The cards after merging, table by table in board order, tagged with table and category."""
    out: list[Item] = []
    for table in result.tables:
        prompts = {p.id: p.label for p in table.prompts}
        for card in table.cards:
            where = " · ".join(x for x in (table.title, prompts.get(card.prompt or "", "")) if x)
            groups = (table.id, card.category) if card.category else (table.id,)
            out.append(Item(card.id, card.text, where, merged_from=tuple(_originals(card)), groups=groups))
    return out


def _originals(card: CardOut) -> list[str]:
    """Every card a merged card stands for (its originals and theirs): a later dot vote counts a
    person's dots on any of them once on the merged card."""
    return [i for original in card.merged_from for i in (original.id, *_originals(original))]


def seat_of(result: Result, participant: str) -> dict[str, Any]:
    """Where one participant sits this round, whether they host it, whether to choose a new table
    (free, table_qr: their choice is from an earlier round) and whether the plan moved them."""
    table = result.seats.get(participant)
    hosts = [tb.id for tb in result.tables if participant in tb.hosts]
    chosen = result.chosen.get(participant)
    before = result.previous.get(participant)
    return {
        "table": table,
        "host": hosts[0] if hosts else None,
        "round": result.round,
        "rounds": result.rounds,
        "choose": result.seating != "round_robin" and not hosts and (
            table is None or (chosen is not None and chosen < result.round)),
        "moved": result.round > 1 and before is not None and table is not None and before != table,
    }


def participant_view(config: Config, result: Result, participant: str) -> dict[str, Any]:
    """What one participant sees of the live tables (the API's ``task``): every table (id, title,
    question, prompts), their seat (:func:`seat_of`) and their table's cards."""
    seat = seat_of(result, participant)
    own = result.table(seat["table"]) if seat["table"] is not None else None
    return {
        "tables": [{"id": tb.id, "title": tb.title, "question": tb.question,
                    "prompts": [{"id": p.id, "label": p.label} for p in tb.prompts]} for tb in config.tables],
        **seat,
        "cards": [{"id": c.id, "text": c.text, "prompt": c.prompt, "category": c.category}
                  for c in (own.cards if own is not None else [])],
    }


# --- commands -------------------------------------------------------------------------------------

CARD_ID = Field(min_length=1, max_length=40)


class NextRound(CommandPayload):
    pass


class Assign(CommandPayload):
    participant: str = Field(pattern=r"^[0-9]{1,12}$")
    table: str = Field(min_length=1, max_length=40)
    role: Literal["host", "guest"] = "host"


class Summary(CommandPayload):
    table: str = Field(min_length=1, max_length=40)
    text: str = Field(default="", max_length=MAX_SUMMARY)


class Edit(CommandPayload):
    card: str = CARD_ID
    text: str = Field(max_length=2000)


class Move(CommandPayload):
    card: str = CARD_ID
    table: str | None = Field(default=None, max_length=40)
    prompt: str | None = Field(default=None, max_length=40)
    """A prompt id of the card's (new) table; "" takes the card off its prompt."""
    category: str | None = Field(default=None, max_length=40)
    """A category id; "" takes the card's category away."""


class Merge(CommandPayload):
    cards: list[str] = Field(min_length=2, max_length=30)
    text: str | None = Field(default=None, max_length=2000)


class Split(CommandPayload):
    card: str = CARD_ID


class Photo(CommandPayload):
    table: str = Field(min_length=1, max_length=40)
    photo: int = Field(ge=1)


class Focus(CommandPayload):
    table: str | None = Field(default=None, max_length=40)


def _state(config: Config, situation: Situation) -> Board:
    return board(config, situation.casts, situation.decisions)


def _table(config: Config, table: str | None) -> None:
    if table is not None and config.table(table) is None:
        raise InvalidContribution("unknown_table", table=table[:40])


def _card(state: Board, card_id: str) -> _Card:
    card = state.cards.get(card_id)
    if card is None:
        raise InvalidContribution("card_unknown", card=card_id[:40])
    return card


def guard_next_round(config: Config, payload: NextRound, situation: Situation) -> None:
    if _state(config, situation).round >= config.rounds:
        raise InvalidTransition("tables_last_round", rounds=config.rounds)


def guard_assign(config: Config, payload: Assign, situation: Situation) -> None:
    _table(config, payload.table)


def guard_summary(config: Config, payload: Summary, situation: Situation) -> None:
    _table(config, payload.table)


def guard_edit(config: Config, payload: Edit, situation: Situation) -> None:
    _card(_state(config, situation), payload.card)
    _text(payload.text)


def guard_move(config: Config, payload: Move, situation: Situation) -> None:
    card = _card(_state(config, situation), payload.card)
    _table(config, payload.table)
    target = config.table(payload.table or card.table)
    if payload.prompt and (target is None or payload.prompt not in {p.id for p in target.prompts}):
        raise InvalidContribution("unknown_prompt", value=payload.prompt)
    if payload.category and payload.category not in {c.id for c in config.categories}:
        raise InvalidContribution("unknown_category", value=payload.category)


def guard_merge(config: Config, payload: Merge, situation: Situation) -> None:
    if len(set(payload.cards)) != len(payload.cards):
        raise InvalidContribution("merge_twice")
    state = _state(config, situation)
    for card_id in payload.cards:
        _card(state, card_id)
    if payload.text is not None and payload.text.strip():
        _text(payload.text)


def guard_split(config: Config, payload: Split, situation: Situation) -> None:
    if not _card(_state(config, situation), payload.card).merged_from:
        raise InvalidContribution("card_not_merged")


def guard_photo(config: Config, payload: Photo, situation: Situation) -> None:
    _table(config, payload.table)


def guard_focus(config: Config, payload: Focus, situation: Situation) -> None:
    _table(config, payload.table)


def record_labels(config: Config, payload: Any, casts: Sequence[Cast], situation: Situation) -> dict[str, Any]:
    """What a reader knows the named things by, as they read at this moment (kept with the
    decision, per payload field: id → label, like a command's ``choices``): the protocol's list of
    decisions names a card by its wording, also after it was edited again, merged away or split,
    and a table, prompt or category by its title."""
    state = board(config, casts, situation.decisions)
    named = [str(i) for i in getattr(payload, "cards", None) or [getattr(payload, "card", "")]]
    cards = {i: state.cards[i].text for i in named if i in state.cards}
    labels: dict[str, dict[str, str]] = {"cards" if hasattr(payload, "cards") else "card": cards}
    table = getattr(payload, "table", None)
    if table and config.table(table) is not None:
        labels["table"] = {table: config.table(table).title}  # type: ignore[union-attr]
    prompt, card = getattr(payload, "prompt", None), state.cards.get(named[0]) if named else None
    target = config.table(table or (card.table if card is not None else "")) if prompt else None
    if prompt and target is not None:
        labels["prompt"] = {prompt: target.prompt_label(prompt)}
    category = next((c.label for c in config.categories if c.id == getattr(payload, "category", None)), None)
    if category is not None:
        labels["category"] = {payload.category: category}
    return {"labels": labels}


def tables_touched(config: Config, state: Board, command: str, payload: Any) -> set[str]:
    """The tables a command changes: a table's host may run it only if they host all of them
    (moving a card away touches its table, not the one it goes to: a host may hand a card on)."""
    data = payload if isinstance(payload, dict) else {}
    if command in ("summary", "photo"):
        return {str(data.get("table"))}
    if command == "merge":
        ids = [str(i) for i in data.get("cards") or []]
        return {state.cards[i].table for i in ids if i in state.cards} | ({"?"} if any(
            i not in state.cards for i in ids) else set())
    if command in ("edit", "move", "split"):
        card = state.cards.get(str(data.get("card")))
        return {card.table} if card is not None else {"?"}
    return {"*"}  # next round, assign, focus: the moderator's


HOST_COMMANDS = ("edit", "merge", "split", "move", "summary", "photo")


def may_run(config: Config, situation: Situation, participant: str, command: str, payload: Any) -> None:
    """A table's host may edit, merge, split and move the cards of the tables they host, write
    their summary and link their photo; everything else stays the moderator's."""
    if command not in HOST_COMMANDS:
        raise NotAllowed("command_moderator_only")
    state = _state(config, situation)
    hosted = {table for person, table in state.hosts.items() if person == participant}
    if not hosted:
        raise NotAllowed("tables_not_host")
    if not tables_touched(config, state, command, payload) <= hosted:
        raise NotAllowed("tables_not_your_table")

OPEN = ("open",)
"""Rotation and seating only while the tables run."""
HARVEST = ("open", "closed")
"""Card work goes on after the close (no new cards then): the closed round's result is renewed
with each decision, so the harvest reaches the console, a later step's items and the protocol."""

ENGINE: Engine[Config, Result] = Engine(
    name=NAME,
    config=Config,
    result=Result,
    validate=validate,
    tally=tally,
    fold=Fold(fold_start, fold_add, fold_result, fold_dump),
    outcome=outcome,
    default_config={"tables": [{"title": "Tisch 1", "question": "", "prompts": ["Aspekt 1", "Aspekt 2"]},
                               {"title": "Tisch 2", "question": "", "prompts": ["Aspekt 1", "Aspekt 2"]}]},
    demo_steps=(
        DemoStep(50, "Thementische der Allianz", {
            "rounds": 3,
            "round_minutes": 20,
            "categories": ["Klimawandel", "Sozio-ökonomischer Wandel", "Technologischer Wandel"],
            "tables": [
                {"title": "Herausforderungen am Wirtschaftsstandort",
                 "question": "Vor welchen Herausforderungen steht der Standort?",
                 "prompts": ["Flächenverfügbarkeit", "Fachkräfte und Ausbildung", "Digitalisierung",
                             "Ressourcenverbrauch"],
                 "cards": [{"text": "Gewerbeflächen sind knapp und teuer", "prompt": "p1"}]},
                {"title": "Visionen für den Wirtschaftsstandort",
                 "question": "Wie sieht ein nachhaltiger, widerstandsfähiger Standort in zehn Jahren aus?",
                 "prompts": ["Innenstadt und Handel", "Produktion in der Stadt", "Mobilität und Logistik"]},
                {"title": "Neue Formen der Zusammenarbeit",
                 "question": "Wie wollen wir in der Allianz zusammenarbeiten?",
                 "prompts": ["Projektmanagement und Schnittstellen", "Kommunikation und Transparenz",
                             "Selbstverständnis und Vertrauen"]},
                {"title": "Möglichkeiten der Erfolgsmessung",
                 "question": "Woran erkennen wir, dass wir vorankommen?",
                 "prompts": ["Wirtschaftsstruktur", "Beschäftigung", "Umwelt und Ressourcen"]},
            ],
        }),
    ),
    results_hidden_by_default=False,
    revealable=False,
    items=items,
    items_field="tables",
    commands=(
        Command("next_round", NextRound, "theme_tables.cmd.next_round", guard_next_round, OPEN),
        Command("assign", Assign, "theme_tables.cmd.assign", guard_assign, OPEN, button=False),
        Command("summary", Summary, "theme_tables.cmd.summary", guard_summary, HARVEST, button=False),
        Command("edit", Edit, "theme_tables.cmd.edit", guard_edit, HARVEST, button=False,
                record=record_labels),
        Command("move", Move, "theme_tables.cmd.move", guard_move, HARVEST, button=False,
                record=record_labels),
        Command("merge", Merge, "theme_tables.cmd.merge", guard_merge, HARVEST, button=False,
                record=record_labels),
        Command("split", Split, "theme_tables.cmd.split", guard_split, HARVEST, button=False,
                record=record_labels),
        Command("photo", Photo, "theme_tables.cmd.photo", guard_photo, HARVEST, button=False),
        Command("focus", Focus, "theme_tables.cmd.focus", guard_focus, HARVEST, button=False),
    ),
    participant_view=participant_view,
    may_run=may_run,
    fits_round=fits_round,
)

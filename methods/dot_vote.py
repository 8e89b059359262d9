"""Dot vote (Punktabfrage, Klebepunkte): every participant spends a budget of dots on items.

Rules:

* **Items** are typed or taken ``items_from`` an earlier step (above all the harvested cards of a
  theme-tables step, but any step whose engine offers items). An item may carry ``merged_from``:
  the ids of the cards that were merged into it (its provenance, e.g. from the harvest).
* **Budget and cap.** ``dots`` per person (default ``⌈items / 3⌉``, at most 10, at least 1) and at
  most ``max_per_item`` dots on one item (default 3).
* **Payload** ``{"dots": {item_id: count, ...}}`` is the participant's *whole* allocation; it is
  stored as one entry and replaces their previous one (the latest counts). It is refused as a
  whole — nothing stored — when a count is not a whole number ≥ 0, an id is unknown, the total is
  over the budget or an item gets more than the cap. Because every stored allocation is whole and
  valid on its own, taps that race (two allocations from one phone, two API calls at once) can
  never add up beyond the budget: whichever commits last is the allocation, and it is within
  budget and cap. Zero counts are dropped; ``{"dots": {}}`` takes every dot back.
* **Merged cards.** A person's dots on a merged card and on the cards merged into it count once
  per person on the merged card, at most ``max_per_item``: ``min(cap, Σ their dots on the
  originals and the merged card)``. The count of people on the card counts that person once.
  This is what a facilitator expects when two cards with dots on them are stuck together on the
  pinboard: nobody gets more say on one topic than the cap allows, and nobody loses a dot they
  gave to either duplicate. An original can be named in an allocation where it appears in an
  item's ``merged_from`` (a client holding the card ids from the harvest); the cap is checked on
  the merged card then. The moderator can also merge two items while the vote runs (command
  ``merge``: ``item`` goes into ``into``, which keeps its id, and optionally gets a new label)
  and undo it (``split``); the rule above applies to the dots already given. Splitting gives each
  card back exactly the dots given to it.
* **Ranking.** Items by dots, most first; equal dots share a rank (1, 2, 2, 4 — ties shown as
  ties, never broken by a hidden criterion); items without a dot have no rank and follow in
  agenda order. Hidden until the moderator reveals (by default after closing).
* **Offered to later steps**: the items with dots, best first (ties in agenda order; a later
  step's ``items_from.top`` may cut through a tie — the outcome says when first place is tied).

Pure: no I/O, clock or global random.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from methods.base import (
    Cast,
    Command,
    CommandPayload,
    Decision,
    DemoStep,
    Engine,
    Entry,
    Item,
    ItemsFrom,
    MethodConfig,
    MethodResult,
    Outcome,
    Situation,
    Text,
    require_mapping,
)
from methods.errors import InvalidContribution, InvalidTransition
from methods.options import Option, normalise, unique_ids

NAME = "dot_vote"
RESULTS_HIDDEN_BY_DEFAULT = True
DOTS_KEY = "dots"

MIN_ITEMS, MAX_ITEMS = 2, 100
DEFAULT_DOTS_MAX = 10
"""The default budget ``⌈items / 3⌉`` is capped here: ten dots are already a lot to place."""
MAX_DOTS = 50
MAX_PER_ITEM = 10

CardId = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_\-]+$")]


class Card(Option):
    """An item on the board: an option with the ids of the cards merged into it (if any)."""

    merged_from: list[CardId] = Field(default_factory=list, max_length=MAX_ITEMS)


def default_dots(items: int) -> int:
    """⌈items / 3⌉, at least 1 and at most 10: a third of the items can get a dot each."""
    return max(1, min(DEFAULT_DOTS_MAX, math.ceil(items / 3)))


class Config(MethodConfig):
    question: str = Field(default="", max_length=500)
    items_from: ItemsFrom | None = None
    """Items taken from an earlier step's result when the step opens (replacing ``items``)."""
    items: list[Card] = Field(default_factory=list, max_length=MAX_ITEMS, validate_default=True)
    dots: int | None = Field(default=None, ge=1, le=MAX_DOTS)
    """Dots per person; None: ``default_dots(len(items))``."""
    max_per_item: int = Field(default=3, ge=1, le=MAX_PER_ITEM)

    @field_validator("items", mode="before")
    @classmethod
    def _ids(cls, raw: Any) -> Any:
        return normalise(raw, "i")

    @field_validator("items")
    @classmethod
    def _items(cls, items: list[Card], info: ValidationInfo) -> list[Card]:
        if not items and info.data.get("items_from") is not None:
            return items
        if len(items) < MIN_ITEMS:
            raise PydanticCustomError("items_too_few", "at least {min} items are needed (or items_from an earlier step)",
                                      {"min": MIN_ITEMS})
        unique_ids([Option(id=c.id, label=c.label) for c in items])
        ids = {c.id for c in items}
        seen: set[str] = set()
        for card in items:
            for original in card.merged_from:
                if original in seen or (original in ids and original != card.id):
                    # one card merged into two, or a merged card also on the board itself:
                    # its dots would count twice
                    raise PydanticCustomError("merged_twice", "card '{id}' is merged into more than one item",
                                              {"id": original})
                seen.add(original)
        return items

    @property
    def budget(self) -> int:
        """Dots per person in force (the default follows the number of items)."""
        return self.dots if self.dots is not None else default_dots(len(self.items))


# --- merged cards ---------------------------------------------------------------------------------


@dataclass
class Group:
    """An item as it stands after the moderator's merges: the card that keeps its id (``lead``),
    the agenda's cards folded into it (``members``, the lead first) and every card id it came
    from (``provenance``: the members and their own ``merged_from``)."""

    lead: Card
    position: int
    members: list[str]
    label: str
    provenance: list[str] = field(default_factory=list)


def _apply(config: Config, decisions: Sequence[Decision]) -> tuple[dict[str, Group], dict[str, str]]:
    """The groups (by lead id, agenda order) and which lead each agenda card belongs to now.
    A decision that does not fit any more (an id no longer an item) is skipped, as its guard
    would refuse it now."""
    groups = {c.id: Group(c, k, [c.id], c.label) for k, c in enumerate(config.items)}
    lead_of = {c.id: c.id for c in config.items}
    for decision in decisions:
        payload = decision.payload
        if decision.command == "merge":
            item, into = str(payload.get("item", "")), str(payload.get("into", ""))
            if item == into or item not in groups or into not in groups:
                continue
            absorbed = groups.pop(item)
            target = groups[into]
            target.members.extend(absorbed.members)
            for member in absorbed.members:
                lead_of[member] = into
            label = str(payload.get("label") or "").strip()
            if label:
                target.label = label
        elif decision.command == "split":
            item = str(payload.get("item", ""))
            lead = lead_of.get(item)
            if lead is None or lead == item or lead not in groups:
                continue
            groups[lead].members.remove(item)
            if len(groups[lead].members) == 1:  # nothing merged any more: the card's own words
                groups[lead].label = groups[lead].lead.label
            card = next(c for c in config.items if c.id == item)
            groups[item] = Group(card, next(k for k, c in enumerate(config.items) if c.id == item), [item], card.label)
            lead_of[item] = item
    by_id = {c.id: c for c in config.items}
    for group in groups.values():
        provenance: list[str] = []
        for member in group.members:
            card = by_id[member]
            for original in [*([member] if len(group.members) > 1 else []), *card.merged_from]:
                if original not in provenance:
                    provenance.append(original)
        group.provenance = provenance
    ordered = dict(sorted(groups.items(), key=lambda kv: kv[1].position))
    return ordered, lead_of


def aliases(config: Config) -> dict[str, str]:
    """Every id an allocation may name → the agenda item it counts for: each item's own id and
    the ids in its ``merged_from``."""
    out = {c.id: c.id for c in config.items}
    for card in config.items:
        for original in card.merged_from:
            out.setdefault(original, card.id)
    return out


# --- validation -----------------------------------------------------------------------------------


def _count(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def validate(config: Config, payload: object) -> list[Entry]:
    data = require_mapping(payload)
    dots = data.get("dots")
    if not isinstance(dots, Mapping):
        raise InvalidContribution("dots_missing")
    known = aliases(config)
    cap, budget = config.max_per_item, config.budget
    clean: dict[str, int] = {}
    on_item: dict[str, int] = {}
    for key, value in dots.items():
        count = _count(value)
        if count is None:
            raise InvalidContribution("dots_not_count", item=str(key)[:40])
        if key not in known:
            raise InvalidContribution("unknown_item", item=str(key)[:40])
        if count == 0:
            continue
        clean[key] = count
        on_item[known[key]] = on_item.get(known[key], 0) + count
    for item, count in on_item.items():
        if count > cap:
            raise InvalidContribution("dots_over_cap", item=_label(config, item), cap=cap)
    total = sum(clean.values())
    if total > budget:
        raise InvalidContribution("dots_over_budget", budget=budget, given=total)
    order = {c: k for k, c in enumerate(known)}
    return [Entry(DOTS_KEY, dict(sorted(clean.items(), key=lambda kv: order[kv[0]])))]


def _label(config: Config, item: str) -> str:
    return next((c.label for c in config.items if c.id == item), item)


def allocation(value: object) -> dict[str, int]:
    """A stored allocation as ``{id: count}`` (anything malformed reads as no dots)."""
    if not isinstance(value, Mapping):
        return {}
    out: dict[str, int] = {}
    for key, count in value.items():
        n = _count(count)
        if isinstance(key, str) and n:
            out[key] = n
    return out


# --- tally ----------------------------------------------------------------------------------------


class Ranked(MethodResult):
    """One item (after merges) with its dots; ``rank`` None when it has none."""

    id: str
    label: str = ""
    description: str = ""
    position: int = 0
    """Place in the agenda's item list (the phones list items in this order, never by dots)."""
    members: list[str] = Field(default_factory=list)
    """The agenda's items counted on this one (itself first); more than one after a merge."""
    member_labels: list[str] = Field(default_factory=list)
    """The members' own labels (what the cards said before the merge), for the protocol."""
    merged_from: list[str] = Field(default_factory=list)
    """Every card this item stands for (members and their own ``merged_from``); empty if none."""
    dots: int = 0
    people: int = 0
    rank: int | None = None
    tie: bool = False


class Result(MethodResult):
    question: str = ""
    budget: int = 0
    max_per_item: int = 3
    participants: int = 0
    voters: int = 0
    """People with at least one dot on the board."""
    dots: int = 0
    """Dots on the board (after the merged-card rule)."""
    items: list[Ranked] = Field(default_factory=list)
    """Ranked items (most dots first, ties in agenda order), then those without dots."""
    leaders: list[str] = Field(default_factory=list)
    empty: bool = True


def tally(config: Config, casts: Sequence[Cast], participants: int = 0,
          decisions: Sequence[Decision] = ()) -> Result:
    groups, lead_of = _apply(config, decisions)
    known = aliases(config)
    cap = config.max_per_item
    dots = dict.fromkeys(groups, 0)
    people = dict.fromkeys(groups, 0)
    voters: set[str] = set()
    for cast in casts:
        if cast.key != DOTS_KEY:
            continue
        folded: dict[str, int] = {}
        for key, count in allocation(cast.value).items():
            item = known.get(key)
            if item is None:
                continue  # an item removed between rounds: its dots no longer apply
            lead = lead_of[item]
            folded[lead] = folded.get(lead, 0) + count
        for lead, count in folded.items():
            counted = min(cap, count)  # the merged-card rule: once per person, up to the cap
            dots[lead] += counted
            people[lead] += 1
            voters.add(cast.participant)
    with_dots = sorted((g for g in groups.values() if dots[g.lead.id]), key=lambda g: (-dots[g.lead.id], g.position))
    without = [g for g in groups.values() if not dots[g.lead.id]]
    values = [dots[g.lead.id] for g in with_dots]
    labels = {c.id: c.label for c in config.items}

    def row(group: Group) -> Ranked:
        n = dots[group.lead.id]
        return Ranked(
            id=group.lead.id, label=group.label, description=group.lead.description, position=group.position,
            members=list(group.members), member_labels=[labels[m] for m in group.members],
            merged_from=group.provenance, dots=n, people=people[group.lead.id],
            rank=1 + sum(1 for v in values if v > n) if n else None,
            tie=bool(n) and values.count(n) > 1,
        )

    ranked = [row(g) for g in [*with_dots, *without]]
    top = values[0] if values else 0
    return Result(
        question=config.question, budget=config.budget, max_per_item=cap, participants=participants,
        voters=len(voters), dots=sum(values), items=ranked,
        leaders=[r.id for r in ranked if top and r.dots == top], empty=not voters,
    )


def outcome(result: Result) -> Outcome:
    """The item with the most dots; a tie for first place is a note the group settles."""
    if result.empty or not result.leaders:
        return Outcome(Text("dot_vote.empty"), "none")
    by_id = {r.id: r for r in result.items}
    leaders = [by_id[i] for i in result.leaders if i in by_id]
    count = leaders[0].dots
    if len(leaders) > 1:
        names = " · ".join(r.label or r.id for r in leaders)
        one = "_one" if count == 1 else ""
        return Outcome(Text(f"dot_vote.tie{one}", {"labels": names, "dots": count}), "warn",
                       notes=(Text("dot_vote.issue_tie"),),
                       headline=Text(f"dot_vote.tie_short{one}", {"n": len(leaders), "dots": count}))
    return Outcome(Text("dot_vote.leader", {"label": leaders[0].label or leaders[0].id, "dots": count}))


def items(result: Result) -> list[Item]:
    """What a later step can take from a dot vote: the items with dots, most first; a merged card
    carries its provenance on."""
    return [Item(r.id, r.label or r.id, r.description, tuple(r.merged_from)) for r in result.items if r.dots > 0]


# --- commands ---------------------------------------------------------------------------------------


class Merge(CommandPayload):
    """Put ``item`` into ``into`` (which keeps its id); ``label`` renames the merged card."""

    item: str = Field(min_length=1, max_length=40)
    into: str = Field(min_length=1, max_length=40)
    label: str = Field(default="", max_length=300)


class Split(CommandPayload):
    """Take ``item`` out of the card it was merged into again."""

    item: str = Field(min_length=1, max_length=40)


def guard_merge(config: Config, payload: Merge, situation: Situation) -> None:
    groups, _ = _apply(config, situation.decisions)
    for card in (payload.item, payload.into):
        if card not in groups:
            raise InvalidContribution("merge_not_an_item", item=card)
    if payload.item == payload.into:
        raise InvalidContribution("merge_same_item")


def guard_split(config: Config, payload: Split, situation: Situation) -> None:
    _, lead_of = _apply(config, situation.decisions)
    lead = lead_of.get(payload.item)
    if lead is None or lead == payload.item:
        raise InvalidTransition("split_not_merged", item=payload.item)


# --- engine -----------------------------------------------------------------------------------------

ENGINE: Engine[Config, Result] = Engine(
    name=NAME,
    config=Config,
    result=Result,
    validate=validate,
    tally=tally,
    outcome=outcome,
    default_config={"question": "", "items": ["Thema 1", "Thema 2", "Thema 3"]},
    demo_steps=(
        # after the others: the four labs commissioned by systemic consensing (the demo's second
        # step, position 1) get dots for where to start
        DemoStep(50, "Womit fangen wir an?", {
            "question": "Welche der beauftragten Reallabore sollen zuerst starten?",
            "items_from": {"step": 1},
            "dots": 3,
            "max_per_item": 2,
        }),
    ),
    results_hidden_by_default=RESULTS_HIDDEN_BY_DEFAULT,
    items=items,
    items_field="items",
    commands=(
        Command("merge", Merge, "dot_vote.cmd.merge", guard_merge, states=("open",)),
        Command("split", Split, "dot_vote.cmd.split", guard_split, states=("open",)),
    ),
)

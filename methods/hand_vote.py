"""Hand vote (Handzeichen): yes / no / abstain, or a single or multiple choice.

Percentages are of the people who voted (votes cast), not of everyone in the room, because that
is what a facilitator reads out after counting hands; turnout is reported separately.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from methods.base import (
    JSON,
    Cast,
    Decision,
    DemoStep,
    Engine,
    Entry,
    Item,
    ItemsFrom,
    MethodConfig,
    MethodResult,
    Outcome,
    Text,
    require_mapping,
)
from methods.errors import InvalidContribution
from methods.options import Option, normalise, unique_ids

NAME = "hand_vote"
RESULTS_HIDDEN_BY_DEFAULT = True
VOTE_KEY = "vote"

DEFAULT_OPTIONS = [
    Option(id="yes", label="Ja"),
    Option(id="no", label="Nein"),
    Option(id="abstain", label="Enthaltung"),
]


def standard_option(option_id: str, label: str) -> bool:
    """Is this one of the default Ja/Nein/Enthaltung options, unrenamed? Then every reader sees it
    in their own language (the stored label is the German default)."""
    return any(o.id == option_id and o.label == label for o in DEFAULT_OPTIONS)


class Config(MethodConfig):
    question: str = Field(default="", max_length=500)
    items_from: ItemsFrom | None = None
    """Options taken from an earlier step's result when the step opens (replacing ``options``)."""
    options: list[Option] = Field(default_factory=lambda: list(DEFAULT_OPTIONS), min_length=2, max_length=30)
    multiple: bool = False
    max_choices: int | None = Field(default=None, ge=1)

    @field_validator("options", mode="before")
    @classmethod
    def _ids(cls, raw: Any) -> Any:
        return normalise(raw, "o")

    @field_validator("options")
    @classmethod
    def _unique(cls, options: list[Option]) -> list[Option]:
        return unique_ids(options)

    @field_validator("max_choices")
    @classmethod
    def _choices(cls, max_choices: int | None, info: ValidationInfo) -> int | None:
        # a field rule, not a model rule: pydantic skips "after" model validators as soon as any
        # field fails, which would hide this problem from the agenda's list of every problem
        if max_choices is not None and info.data.get("multiple") is False:
            raise PydanticCustomError("max_choices_single", "max_choices needs multiple: true")
        return max_choices


def validate(config: Config, payload: object) -> list[Entry]:
    data = require_mapping(payload)
    known = {o.id for o in config.options}
    if config.multiple:
        chosen = data.get("options")
        if not isinstance(chosen, list) or not chosen or not all(isinstance(c, str) for c in chosen):
            raise InvalidContribution("vote_choose_options")
        if len(set(chosen)) != len(chosen):
            raise InvalidContribution("vote_duplicate_option")
        limit = config.max_choices or len(config.options)
        if len(chosen) > limit:
            raise InvalidContribution("vote_too_many", limit=limit)
        for c in chosen:
            if c not in known:
                raise InvalidContribution("unknown_option", option=c)
        ordered = [o.id for o in config.options if o.id in chosen]
        return [Entry(VOTE_KEY, {"options": ordered})]
    choice = data.get("option")
    if not isinstance(choice, str):
        raise InvalidContribution("vote_choose_one")
    if choice not in known:
        raise InvalidContribution("unknown_option", option=choice)
    return [Entry(VOTE_KEY, {"option": choice})]


def chosen_options(value: JSON) -> list[str]:
    """The option ids one stored vote stands for (single or multiple choice)."""
    if isinstance(value, dict):
        if isinstance(value.get("options"), list):
            return [str(v) for v in value["options"]]
        if isinstance(value.get("option"), str):
            return [value["option"]]
    return []


class OptionCount(MethodResult):
    id: str
    label: str = ""
    count: int = 0
    percent: float = 0.0


class Result(MethodResult):
    question: str = ""
    voters: int = 0
    participants: int = 0
    turnout: float | None = None
    options: list[OptionCount] = Field(default_factory=list)
    leaders: list[str] = Field(default_factory=list)
    tie: bool = False
    accepted: bool | None = None
    """Yes/no questions only: yes beat no (abstentions count as cast but decide nothing)."""

    def count(self, option_id: str) -> int:
        return next((o.count for o in self.options if o.id == option_id), 0)

    def label(self, option_id: str) -> str:
        return next((o.label or o.id for o in self.options if o.id == option_id), option_id)


def tally(config: Config, casts: Sequence[Cast], participants: int = 0,
          decisions: Sequence[Decision] = ()) -> Result:
    counts = {o.id: 0 for o in config.options}
    voters = 0
    for cast in casts:
        if cast.key != VOTE_KEY:
            continue
        picked = [c for c in chosen_options(cast.value) if c in counts]
        if not picked:
            continue  # an option removed between rounds: the vote no longer applies
        voters += 1
        for c in picked:
            counts[c] += 1
    top = max(counts.values(), default=0)
    leaders = [o.id for o in config.options if top > 0 and counts[o.id] == top]
    accepted = None
    if "yes" in counts and "no" in counts and voters:
        # simple majority of yes over no; abstentions count as cast but decide nothing
        accepted = counts["yes"] > counts["no"]
    return Result(
        question=config.question,
        voters=voters,
        participants=participants,
        turnout=round(100 * voters / participants, 1) if participants else None,
        options=[
            OptionCount(id=o.id, label=o.label, count=counts[o.id],
                        percent=round(100 * counts[o.id] / voters, 1) if voters else 0.0)
            for o in config.options
        ],
        leaders=leaders,
        tie=len(leaders) > 1,
        accepted=accepted,
    )


def outcome(result: Result) -> Outcome:
    """Accepted/rejected for a yes/no question, else the option(s) with the most votes."""
    if not result.voters or not result.options:
        return Outcome(None, "none")
    yes_no = {"yes": result.count("yes"), "no": result.count("no")}
    if result.accepted is True:
        return Outcome(Text("hand_vote.accepted", yes_no))
    if result.accepted is False:
        return Outcome(Text("hand_vote.rejected", yes_no), "warn")
    if not result.leaders:
        return Outcome(None, "none")
    names = ", ".join(result.label(i) for i in result.leaders)
    count = result.count(result.leaders[0])
    if len(result.leaders) > 1:
        key = "hand_vote.tie_one" if count == 1 else "hand_vote.tie"
        return Outcome(Text(key, {"options": names, "count": count}), "warn",
                       notes=(Text("hand_vote.issue_tie"),))
    return Outcome(Text("hand_vote.leader", {"option": names, "count": count}))


def items(result: Result) -> list[Item]:
    """What a later step can take from a hand vote: the options by votes, most first (ties in
    agenda order); options nobody chose are not offered."""
    ranked = sorted((o for o in result.options if o.count > 0), key=lambda o: -o.count)
    return [Item(o.id, o.label or o.id) for o in ranked]


ENGINE: Engine[Config, Result] = Engine(
    name=NAME,
    config=Config,
    result=Result,
    validate=validate,
    tally=tally,
    outcome=outcome,
    default_config={"question": ""},
    demo_steps=(
        DemoStep(10, "Protokoll des 3. Treffens",
                 {"question": "Sind Sie mit dem Protokoll des 3. Treffens einverstanden?"}),
        DemoStep(30, "Nächster Termin",
                 {"question": "Wann soll das 5. Treffen stattfinden?",
                  "options": ["Ende Januar", "Mitte Februar", "Anfang März"]}),
    ),
    results_hidden_by_default=RESULTS_HIDDEN_BY_DEFAULT,
    items=items,
    items_field="options",
)

"""Systemic consensing (Systemisches Konsensieren): the proposal with the least resistance wins.

Every participant rates every option 0 (no resistance) ... ``scale_max`` (maximum resistance) or
abstains per option. The passive solution ("what happens if we decide nothing") is always an
option and is the limit of what is acceptable: a proposal is acceptable only if the group resists
it less than doing nothing. Ranking is by *mean* resistance so that options with different numbers
of raters (late joiners, an option added mid-vote) stay comparable; ties are shown, never hidden.

Each rated option is stored as its own entry (key = option id), so a partial or changed rating
never rewrites another option's rating; ``tally`` receives the latest rating per
(participant, option).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
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

NAME = "consensing"
RESULTS_HIDDEN_BY_DEFAULT = True

PASSIVE_ID = "passive"
ABSTAIN = "abstain"
SCALES = (10, 2)
DEFAULT_HIGH = {10: 7, 2: 2}
"""Default "high resistance" threshold per scale: 7 on 0–10 (the SK practice), 2 on the
0–2 Handabwehr (both hands up is the only high value there)."""
ANONYMITY_MIN_RATERS = 3
"""Below this many raters an option's histogram is flagged ``histogram_hidden`` for the projector."""


class Config(MethodConfig):
    question: str = Field(default="", max_length=500)
    items_from: ItemsFrom | None = None
    """Proposals taken from an earlier step's result when the step opens (replacing ``proposals``)."""
    proposals: list[Option] = Field(default_factory=list, max_length=100, validate_default=True)
    passive_solution: str = Field(default="Alles bleibt, wie es ist", min_length=1, max_length=300)
    scale_max: int = 10
    select: int = Field(default=1, ge=1)
    high_threshold: int | None = None

    @field_validator("proposals", mode="before")
    @classmethod
    def _ids(cls, raw: Any) -> Any:
        return normalise(raw, "p")

    @field_validator("proposals")
    @classmethod
    def _unique(cls, proposals: list[Option], info: ValidationInfo) -> list[Option]:
        if not proposals and info.data.get("items_from") is None:
            raise PydanticCustomError("proposals_missing", "at least one proposal is needed (or items_from an earlier step)")
        for proposal in proposals:
            if proposal.id == PASSIVE_ID:
                raise PydanticCustomError("passive_reserved", "the option id '{id}' is reserved for the passive solution",
                                          {"id": PASSIVE_ID})
        return unique_ids(proposals)

    @field_validator("scale_max")
    @classmethod
    def _scale(cls, scale_max: int) -> int:
        if scale_max not in SCALES:
            raise PydanticCustomError("scale_choice", "scale_max must be 10 (scale 0-10) or 2 (Handabwehr 0-2)")
        return scale_max

    # field validators (not a model validator) so these problems are listed even when another
    # field of the same config is wrong: the office gets one complete list of fixes
    @field_validator("select")
    @classmethod
    def _select(cls, select: int, info: ValidationInfo) -> int:
        proposals = info.data.get("proposals")
        if proposals and select > len(proposals):
            raise PydanticCustomError("select_too_many", "select ({select}) is more than the proposals ({n})",
                                      {"select": select, "n": len(proposals)})
        return select

    @field_validator("high_threshold")
    @classmethod
    def _high(cls, high: int | None, info: ValidationInfo) -> int | None:
        scale_max = info.data.get("scale_max", 10)
        if high is not None and not 1 <= high <= scale_max:
            raise PydanticCustomError("threshold_range", "high_threshold must be between 1 and scale_max ({max})",
                                      {"max": scale_max})
        return high

    @property
    def threshold(self) -> int:
        """The effective high-resistance threshold (ratings >= threshold count as high)."""
        return self.high_threshold if self.high_threshold is not None else DEFAULT_HIGH[self.scale_max]


def options(config: Config) -> list[Option]:
    """The options that are rated, in agenda order: the proposals, then the passive solution."""
    return [*config.proposals, Option(id=PASSIVE_ID, label=config.passive_solution)]


def _is_rating(value: object, scale_max: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= scale_max


def validate(config: Config, payload: object) -> list[Entry]:
    data = require_mapping(payload)
    ratings = data.get("ratings")
    if not isinstance(ratings, Mapping) or not ratings:
        raise InvalidContribution("ratings_missing")
    order = {o.id: i for i, o in enumerate(options(config))}
    entries: list[Entry] = []
    for option_id, value in ratings.items():
        if option_id not in order:
            raise InvalidContribution("unknown_option", option=option_id)
        if isinstance(value, str) and value == ABSTAIN:
            entries.append(Entry(option_id, ABSTAIN))
            continue
        if not isinstance(value, int) or isinstance(value, bool):
            raise InvalidContribution("rating_not_integer", option=option_id)
        if not 0 <= value <= config.scale_max:
            raise InvalidContribution("rating_out_of_scale", option=option_id, max=config.scale_max)
        entries.append(Entry(option_id, value))
    entries.sort(key=lambda e: order[e.key])
    return entries


@dataclass
class _Line:
    """Working numbers of one option while tallying."""

    index: int
    option: Option
    passive: bool
    ratings: list[int]
    abstentions: int = 0

    @property
    def rated(self) -> bool:
        return bool(self.ratings)

    @property
    def mean(self) -> Fraction:
        return Fraction(sum(self.ratings), len(self.ratings))

    def high(self, threshold: int) -> int:
        return sum(1 for r in self.ratings if r >= threshold)


class Rated(MethodResult):
    """One option's numbers; ``acceptance`` 100 % means nobody resists."""

    id: str
    label: str = ""
    description: str = ""
    passive: bool = False
    sum: int = 0
    mean: float | None = None
    acceptance: float | None = None
    raters: int = 0
    abstentions: int = 0
    histogram: list[int] = Field(default_factory=list)
    histogram_hidden: bool = True
    high: int = 0
    max: int | None = None
    rank: int | None = None
    tie: bool = False
    tie_break: str | None = None
    acceptable: bool = False
    selected: bool = False
    low_quorum: bool = False


class Result(MethodResult):
    question: str = ""
    scale_max: int = 10
    high_threshold: int = 7
    select: int = 1
    participants: int = 0
    raters: int = 0
    options: list[Rated] = Field(default_factory=list)
    """Rated options by rank (best first), then the unrated ones in agenda order."""
    selected: list[str] = Field(default_factory=list)
    selection_tie: bool = False
    passive_best: bool = False
    empty: bool = True


def tally(config: Config, casts: Sequence[Cast], participants: int = 0,
          decisions: Sequence[Decision] = ()) -> Result:
    scale, threshold = config.scale_max, config.threshold
    lines = {o.id: _Line(i, o, o.id == PASSIVE_ID, []) for i, o in enumerate(options(config))}
    raters: set[str] = set()
    for cast in casts:
        line = lines.get(cast.key)
        if line is None:
            continue  # an option removed between rounds: the rating no longer applies
        if _is_rating(cast.value, scale):
            line.ratings.append(cast.value)
            raters.add(cast.participant)
        elif cast.value == ABSTAIN:
            line.abstentions += 1
        # anything else (e.g. a value outside a scale changed after rating) is ignored

    def criteria(line: _Line) -> tuple[Fraction, int, int]:
        return (line.mean, max(line.ratings), line.high(threshold))

    rated = sorted((ln for ln in lines.values() if ln.rated), key=lambda ln: (*criteria(ln), ln.index))
    unrated = [ln for ln in lines.values() if not ln.rated]
    keys = {ln.option.id: criteria(ln) for ln in rated}

    rank: dict[str, int] = {}
    tie: dict[str, bool] = {}
    tie_break: dict[str, str | None] = {}
    for ln in rated:
        own = keys[ln.option.id]
        peers = [keys[o.option.id] for o in rated if o is not ln]
        rank[ln.option.id] = 1 + sum(1 for p in peers if p < own)
        tie[ln.option.id] = own in peers
        same_mean = [p for p in peers if p[0] == own[0] and p != own]
        if any(p[1] == own[1] for p in same_mean):
            tie_break[ln.option.id] = "high"
        elif same_mean:
            tie_break[ln.option.id] = "max"
        else:
            tie_break[ln.option.id] = None

    passive = lines[PASSIVE_ID]
    acceptable = {
        ln.option.id
        for ln in rated
        if not ln.passive and (not passive.rated or ln.mean < passive.mean)  # lower mean = higher acceptance
    }
    candidates = [ln.option.id for ln in rated if ln.option.id in acceptable]
    selected = candidates[: config.select]
    selection_tie = any(keys[s] == keys[c] for s in selected for c in candidates[config.select :])

    best_raters = max((len(ln.ratings) for ln in lines.values()), default=0)

    def row(ln: _Line) -> Rated:
        n, total = len(ln.ratings), sum(ln.ratings)
        histogram = [0] * (scale + 1)
        for r in ln.ratings:
            histogram[r] += 1
        oid = ln.option.id
        return Rated(
            id=oid,
            label=ln.option.label,
            description=ln.option.description,
            passive=ln.passive,
            sum=total,
            mean=round(total / n, 2) if n else None,
            acceptance=round(100 * (1 - total / (scale * n)), 1) if n else None,
            raters=n,
            abstentions=ln.abstentions,
            histogram=histogram,
            histogram_hidden=n < ANONYMITY_MIN_RATERS,
            high=ln.high(threshold),
            max=max(ln.ratings) if n else None,
            rank=rank.get(oid),
            tie=tie.get(oid, False),
            tie_break=tie_break.get(oid),
            acceptable=oid in acceptable,
            selected=oid in selected,
            low_quorum=2 * n < best_raters,
        )

    return Result(
        question=config.question,
        scale_max=scale,
        high_threshold=threshold,
        select=config.select,
        participants=participants,
        raters=len(raters),
        options=[row(ln) for ln in [*rated, *unrated]],
        selected=selected,
        selection_tie=selection_tie,
        passive_best=bool(raters) and not acceptable,
        empty=not raters,
    )


def outcome(result: Result) -> Outcome:
    """The selected proposals, or that nothing beats doing nothing; a tie for the last place
    of the selection is a note the group has to settle."""
    if result.empty or not result.raters:
        return Outcome(Text("consensing.empty"), "none")
    if result.passive_best:
        return Outcome(Text("consensing.passive_best"), "warn", notes=(Text("consensing.issue_passive_best"),))
    labels = {o.id: o.label or o.id for o in result.options}
    chosen = [labels.get(s, s) for s in result.selected]
    if not chosen:
        return Outcome(None, "none")
    notes = (Text("consensing.issue_selection_tie"),) if result.selection_tie else ()
    headline = Text("consensing.selected_many", {"n": len(chosen)}) if len(chosen) > 1 else None
    return Outcome(Text("consensing.selected", {"labels": " · ".join(chosen)}),
                   "warn" if result.selection_tie else "good", notes, headline)


def items(result: Result) -> list[Item]:
    """What a later step can take from consensing: the selected proposals, best first."""
    by_id = {o.id: o for o in result.options}
    return [Item(i, by_id[i].label or i, by_id[i].description) for i in result.selected if i in by_id]




def compare_rounds(before: Mapping[str, JSON], after: Mapping[str, JSON]) -> list[dict[str, JSON]]:
    """Acceptance per option of two results side by side (second round view), in ``after``'s order.

    Options only in ``after`` get ``acceptance_before: None``; ``delta`` is None unless both
    rounds have an acceptance.
    """
    rows = [o for o in before.get("options") or [] if isinstance(o, Mapping)]
    earlier = {o.get("id"): o.get("acceptance") for o in rows}
    out: list[dict[str, JSON]] = []
    for option in after.get("options") or []:
        if not isinstance(option, Mapping):
            continue
        a_before, a_after = earlier.get(option.get("id")), option.get("acceptance")
        delta = None
        if isinstance(a_before, int | float) and isinstance(a_after, int | float):
            delta = round(a_after - a_before, 1)
        out.append(
            {
                "id": option.get("id"),
                "label": option.get("label"),
                "acceptance_before": a_before,
                "acceptance_after": a_after,
                "delta": delta,
            }
        )
    return out


ENGINE: Engine[Config, Result] = Engine(
    name=NAME,
    config=Config,
    result=Result,
    validate=validate,
    tally=tally,
    outcome=outcome,
    default_config={"question": "", "proposals": ["Vorschlag 1", "Vorschlag 2"]},
    demo_steps=(
        DemoStep(20, "Welche Reallabore beauftragen wir?", {
            "question": "Welche vier Reallabore soll die Allianz beauftragen?",
            "proposals": [
                "City-Logistik unter Nachhaltigkeitsgesichtspunkten",
                "Hybride Formen des Handels",
                "Unternehmen wirtschaften nachhaltig",
                "Digitale Koproduktion im Handwerk",
                "Markenentwicklung für den Standort",
                "Gemeinsames Fachkräfteportal",
            ],
            "passive_solution": "Wir beauftragen jetzt kein Reallabor",
            "select": 4,
        }),
    ),
    results_hidden_by_default=RESULTS_HIDDEN_BY_DEFAULT,
    items=items,
    items_field="proposals",
)

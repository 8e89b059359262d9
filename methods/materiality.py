"""Materiality matrix by pairwise comparison (Wesentlichkeitsanalyse): two axes, four quadrants.

Rules:

* **Task.** A participant sees two items and one axis question ("Which has more impact on …?")
  and taps one of them or "equal / can't say" (``choice: null``, a skip). Axes alternate; each
  participant makes at most ``comparisons_per_axis`` comparisons per axis and never gets the same
  pair on the same axis twice. The payload is ``{"axis": "x"|"y", "pair": [a, b], "choice": a|b|null}``;
  it is stored under the key ``"{axis}:{min(a, b)}:{max(a, b)}"``, so a changed answer to the same
  pair replaces the earlier one (the latest counts) and ``[a, b]`` / ``[b, a]`` are the same pair.
* **Placement.** Per axis, a Bradley–Terry model is fitted to all answered comparisons of that
  axis: the estimate of Hunter's MM iteration ``γ_i ← W_i / Σ_j N_ij / (γ_i + γ_j)``, computed
  by Newton–Raphson for speed (see :func:`fit`). The weak prior is one
  virtual win and one virtual loss of every item against a *reference* of fixed strength 1; the
  reference anchors the scale (no renormalisation) and keeps unbeaten, winless and disconnected
  items finite (an item nobody compared sits at the reference). Skips count for nothing. An
  item's coordinate is the probability that it beats a randomly chosen *other* item,
  ``mean_j γ_i / (γ_i + γ_j)`` (0…1).
* **Interval.** From the observed Fisher information of the log-strength ``θ_i = log γ_i``:
  ``I_i = Σ_j N_ij p_ij (1 − p_ij) + 2 p_i0 (1 − p_i0)`` (prior games included), ``se_i = I_i^−½``;
  ``θ_i ± 1.96 se_i`` is mapped through the coordinate function (monotone in ``θ_i`` with the
  others held fixed) to the 0…1 scale. The diagonal information ignores the other items'
  uncertainty, so the interval is a little narrow, but it costs O(pairs) instead of a matrix
  inverse on every answer, and it shrinks as 1/√comparisons exactly as a moderator expects.
* **Quadrants.** Each axis is split at ``split``: the median of the item coordinates (default) or
  a fixed number 0…1; an item at or above the split is on the high side (right / top). The side
  certainty per axis is ``Φ(|coordinate − split| / sd)``, sd from ``se_i`` by the delta method;
  ``quadrant_certainty`` is the product of both axes' certainties (axes fitted independently).
  An item is ``uncertain`` below 0.8. Items without a comparison on an axis get no quadrant.
* **Enough.** The placement is ``enough`` when every item has at least ``ENOUGH_MIN`` (5)
  answered comparisons on each axis and each item is either certain (≥ 0.8) or has at least
  ``ENOUGH_PLENTY`` (20) comparisons on each axis: items that sit right at the split stay in doubt
  however often they are compared, and there more answers no longer change the picture.
* **Prioritised.** The items of the top-right quadrant, best first (by ``x + y``).
* **Pair choice** (:func:`next_task`): the axis with fewer own comparisons (x first on a tie);
  among the pairs this participant has not had on that axis, a share ``RANDOM_SHARE`` (¼) of tasks
  is a uniformly random pair, the rest the pair with the highest ``4 p (1 − p) · (need_i +
  need_j)`` times a per-participant jitter (a factor 0.2 … 1), where ``p`` is the fitted
  probability (an uncertain order scores high) and ``need_i = 0.75 (m̄ + 1) / (n_i + 1) +
  3 (1 − side certainty_i)`` (few comparisons and, more so, a doubtful side of the split score
  high). The pair values come from the shared fitted model and are computed once per model
  (:attr:`Placement.utilities`); a participant's task then costs one pass over the open pairs
  (0.2 ms for 30 items, under 1 ms for 60). All chance comes from a SHAKE-128 hash of (seed,
  participant, axis, step), never from a global random generator, so the same casts,
  participant and seed give the same task. ``bench/bench_materiality.py`` (the issue's case: 30 items, 50 people,
  12 comparisons per axis, sd 1.3 / 1.0, the server's shared model simulated, 50 seeds) measures
  mean Spearman 0.947 / 0.916 and 92.7 % / 91.1 % of the items on the right side of the split
  (random pairs + Bradley–Terry: 0.937 / 0.907, 88.4 % / 88.4 %). Against the former weights
  (``(m̄ + 1) / (n_i + 1) + 2 (1 − certainty)``, jitter 0.5 … 1), paired over 350 seeds: right
  side +0.7 points at sd 1.3, +0.6 at sd 1.0 (both about the size of the noise), Spearman
  unchanged (±0.004).
  At sd 1.0 the right-side share stays near 90 % whatever the choice: the answers hold too
  little information for the items next to the median (see ``docs/performance.md``).

Pure: no I/O, clock or global random.
"""

from __future__ import annotations

import hashlib
import math
import struct
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cached_property
from operator import mul
from typing import Any, Literal

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

NAME = "materiality"
RESULTS_HIDDEN_BY_DEFAULT = True

AXES = ("x", "y")
MIN_ITEMS, MAX_ITEMS = 5, 60
PRIOR_WINS = 1.0
"""Virtual wins (and as many losses) of every item against the reference of strength 1."""
Z = 1.959963984540054
"""95 % two-sided normal quantile for the intervals."""
UNCERTAIN_BELOW = 0.8
ENOUGH_MIN = 5
ENOUGH_PLENTY = 20
RANDOM_SHARE = 0.25
"""Share of tasks that are a uniformly random pair (keeps the design connected and unbiased)."""
JITTER = 0.8
"""Each participant's pair values are multiplied by a factor 1 − JITTER … 1 of their own, so
people asking from the same shared model get different pairs (less spread piles them onto the
same few pairs between two refits, and the benchmark's accuracy drops)."""
COVERAGE_WEIGHT = 0.75
"""Weight of "few comparisons so far" in an item's need."""
DOUBT_WEIGHT = 3.0
"""Weight of "side of the split still in doubt" in an item's need (0 … 0.5 before weighting)."""
OFFER_SLACK = 8
""":func:`offered` accepts any of the participant's top candidates for the due axis: other
participants' answers between showing a pair and answering it shift the adaptive choice."""

# --- config ---------------------------------------------------------------------------------------


class Axis(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    label: str = Field(min_length=1, max_length=200)
    low: str = Field(default="gering", min_length=1, max_length=60)
    high: str = Field(default="hoch", min_length=1, max_length=60)


class Axes(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    x: Axis
    y: Axis


PRESETS: dict[str, dict[str, dict[str, str]]] = {
    # the two pairs of axes groups use most: impact and feasibility for projects, and the double
    # materiality of sustainability reporting (ESRS): impact on people and environment, and
    # financial materiality for the organisation
    "Wirkung × Umsetzbarkeit": {
        "x": {"label": "Wirkung", "low": "gering", "high": "hoch"},
        "y": {"label": "Umsetzbarkeit", "low": "schwer", "high": "leicht"},
    },
    "Auswirkung (Inside-out) × finanzielle Wesentlichkeit (Outside-in)": {
        "x": {"label": "Auswirkung auf Mensch und Umwelt (Inside-out)", "low": "gering", "high": "hoch"},
        "y": {"label": "Finanzielle Wesentlichkeit (Outside-in)", "low": "gering", "high": "hoch"},
    },
}
DEFAULT_PRESET = "Wirkung × Umsetzbarkeit"


def _default_axes() -> Axes:
    return Axes.model_validate(PRESETS[DEFAULT_PRESET])


Quadrant = Literal["top_right", "top_left", "bottom_right", "bottom_left"]
QUADRANTS: tuple[Quadrant, ...] = ("top_right", "top_left", "bottom_right", "bottom_left")


class QuadrantLabels(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    top_right: str = Field(default="priorisiert", min_length=1, max_length=80)
    top_left: str = Field(default="mitnehmen, wenn Kapazität frei ist", min_length=1, max_length=80)
    bottom_right: str = Field(default="langfristig angehen", min_length=1, max_length=80)
    bottom_left: str = Field(default="nicht priorisiert", min_length=1, max_length=80)


class Config(MethodConfig):
    question: str = Field(default="", max_length=500)
    items_from: ItemsFrom | None = None
    """Items taken from an earlier step's result when the step opens (replacing ``items``)."""
    items: list[Option] = Field(default_factory=list, max_length=MAX_ITEMS, validate_default=True)
    axes: Axes = Field(default_factory=_default_axes)
    comparisons_per_axis: int = Field(default=12, ge=1, le=60)
    split: Literal["median"] | float = "median"
    quadrant_labels: QuadrantLabels = Field(default_factory=QuadrantLabels)

    @field_validator("items", mode="before")
    @classmethod
    def _ids(cls, raw: Any) -> Any:
        return normalise(raw, "i")

    @field_validator("items")
    @classmethod
    def _items(cls, items: list[Option], info: ValidationInfo) -> list[Option]:
        if not items and info.data.get("items_from") is not None:
            return items
        if len(items) < MIN_ITEMS:
            raise PydanticCustomError(
                "items_too_few", "at least {min} items are needed for a matrix (or items_from an earlier step)",
                {"min": MIN_ITEMS})
        return unique_ids(items)

    @field_validator("split")
    @classmethod
    def _split(cls, split: str | float) -> str | float:
        if isinstance(split, float) and not 0.0 <= split <= 1.0:
            raise PydanticCustomError("split_range", "split must be 'median' or a number from 0 to 1")
        return split

    @cached_property
    def index(self) -> dict[str, int]:
        """Each item's place in ``items``, made once per config: the config is frozen and one
        parsed object serves a round's answers (``facilitation/configs.py``). Read only."""
        return {o.id: k for k, o in enumerate(self.items)}


def _axis(config: Config, axis: str) -> Axis:
    return config.axes.x if axis == "x" else config.axes.y


# --- validation -----------------------------------------------------------------------------------


def pair_key(axis: str, a: str, b: str) -> str:
    """The entry key of a comparison: the same for ``[a, b]`` and ``[b, a]``."""
    return f"{axis}:{min(a, b)}:{max(a, b)}"


def validate(config: Config, payload: object) -> list[Entry]:
    data = require_mapping(payload)
    axis = data.get("axis")
    if not isinstance(axis, str) or axis not in AXES:
        raise InvalidContribution("pair_axis_unknown", axis=str(axis))
    pair = data.get("pair")
    if not isinstance(pair, list | tuple) or len(pair) != 2 or not all(isinstance(p, str) for p in pair):
        raise InvalidContribution("pair_invalid")
    ids = {o.id for o in config.items}
    a, b = pair
    for item in (a, b):
        if item not in ids:
            raise InvalidContribution("pair_item_unknown", item=item)
    if a == b:
        raise InvalidContribution("pair_same_item", item=a)
    if "choice" not in data:
        raise InvalidContribution("pair_choice_invalid")
    choice = data["choice"]
    if choice is not None and (not isinstance(choice, str) or choice not in (a, b)):
        raise InvalidContribution("pair_choice_invalid")
    return [Entry(pair_key(axis, a, b), {"axis": axis, "pair": [a, b], "choice": choice})]


def _indices(cast: Cast, ids: Mapping[str, int]) -> tuple[str, int, int, int] | None:
    """A stored comparison as it still applies, as item indices ``(axis, a, b, chosen or −1 for
    a skip)``; an item removed since, or junk: ``None``. A fit reads thousands of casts, so no
    object is made per cast."""
    value = cast.value
    # ``type(...) is`` first: a stored cast is a plain dict of a list of two str, and the ABC
    # check behind ``isinstance(value, Mapping)`` was a third of parsing a cast (a renewal of
    # the shared model parses every cast of the round)
    if type(value) is not dict and not isinstance(value, Mapping):
        return None
    axis, pair, choice = value.get("axis"), value.get("pair"), value.get("choice")
    if (axis != "x" and axis != "y") or not (type(pair) is list or isinstance(pair, list | tuple)) \
            or len(pair) != 2:
        return None
    a, b = pair
    if (type(a) is not str and not isinstance(a, str)) or (type(b) is not str and not isinstance(b, str)) \
            or a == b:
        return None
    ia, ib = ids.get(a), ids.get(b)
    if ia is None or ib is None:
        return None
    if choice is None:
        chosen = -1
    elif choice == a:
        chosen = ia
    elif choice == b:
        chosen = ib
    else:
        return None
    if cast.key != (f"{axis}:{a}:{b}" if a < b else f"{axis}:{b}:{a}"):  # pair_key, inlined
        return None
    return axis, ia, ib, chosen


# --- Bradley–Terry --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fit:
    """One axis fitted: per item (in config order) the log-strength, its standard error, the
    coordinate 0…1 and its interval, the answered comparisons; pair win counts for pair choice."""

    theta: tuple[float, ...]
    se: tuple[float, ...]
    score: tuple[float, ...]
    low: tuple[float, ...]
    high: tuple[float, ...]
    slope: tuple[float, ...]
    """d coordinate / d θ_i (for the delta-method sd of the coordinate)."""
    comparisons: tuple[int, ...]
    games: Mapping[tuple[int, int], int]
    """Answered games per pair ``(i, j)`` with ``i < j``."""
    iterations: int


def _sigmoid(t: float) -> float:
    if t >= 0:
        return 1.0 / (1.0 + math.exp(-t))
    e = math.exp(t)
    return e / (1.0 + e)


def _coordinate(gamma_i: float, others: Sequence[float]) -> tuple[float, float]:
    """Mean probability of beating each other item (strengths ``others``), and its derivative
    in ``θ_i = log γ_i``."""
    if not others:
        return 0.5, 0.0
    probabilities = [gamma_i / (gamma_i + g) for g in others]
    return sum(probabilities) / len(others), sum(p * (1.0 - p) for p in probabilities) / len(others)


def _pairs(n: int, wins: Mapping[tuple[int, int], int]) -> tuple[list[float], dict[tuple[int, int], int]]:
    """Wins per item and games per pair ``(i, j)``, ``i < j``, from the win counts (sorted, so the
    arrival order of the answers can never change a result)."""
    won = [0.0] * n
    games: dict[tuple[int, int], int] = {}
    for (i, j), w in sorted(wins.items()):
        if w <= 0 or i == j:
            continue
        won[i] += w
        key = (i, j) if i < j else (j, i)
        games[key] = games.get(key, 0) + w
    return won, dict(sorted(games.items()))


def fit_mm(n: int, wins: Mapping[tuple[int, int], int], tolerance: float = 1e-10,
           max_iterations: int = 20000) -> list[float]:
    """Hunter's MM iteration ``γ_i ← W_i / Σ_j N_ij / (γ_i + γ_j)`` with the reference prior
    (``W_i`` includes the virtual win, the sum the two virtual games against γ = 1); returns the
    log-strengths. The reference of the estimate :func:`fit` computes faster (tests compare both)."""
    won, games = _pairs(n, wins)
    gamma = [1.0] * n
    for _ in range(max_iterations):
        denom = [2.0 * PRIOR_WINS / (g + 1.0) for g in gamma]
        for (i, j), m in games.items():
            t = m / (gamma[i] + gamma[j])
            denom[i] += t
            denom[j] += t
        new = [(w + PRIOR_WINS) / d for w, d in zip(won, denom, strict=True)]
        change = max((abs(math.log(a / b)) for a, b in zip(new, gamma, strict=True)), default=0.0)
        gamma = new
        if change < tolerance:
            break
    return [math.log(g) for g in gamma]


def _solve(matrix: list[list[float]], rhs: list[float]) -> list[float]:
    """``matrix · x = rhs`` for a symmetric positive definite matrix (Cholesky). ``map`` stops
    at the shorter list, so no row is sliced: ``li`` holds ``j`` entries when entry ``j`` is
    made, ``y`` holds ``i`` (the same products summed in the same order as with slices)."""
    n = len(rhs)
    low: list[list[float]] = []
    for i in range(n):
        row = matrix[i]
        li: list[float] = []
        for j in range(i):
            lj = low[j]
            li.append((row[j] - sum(map(mul, li, lj))) / lj[j])
        li.append(math.sqrt(max(row[i] - sum(map(mul, li, li)), 1e-300)))
        low.append(li)
    y: list[float] = []
    for i in range(n):
        y.append((rhs[i] - sum(map(mul, low[i], y))) / low[i][i])
    x = [0.0] * n
    for i in reversed(range(n)):
        x[i] = (y[i] - sum(low[k][i] * x[k] for k in range(i + 1, n))) / low[i][i]
    return x


def fit(n: int, wins: Mapping[tuple[int, int], int]) -> Fit:
    """Bradley–Terry with the reference prior; ``wins[(i, j)]`` = times i beat j.

    The estimate is the one Hunter's MM iteration converges to (:func:`fit_mm`), found by damped
    Newton–Raphson on the log-posterior instead: MM moves the common level of all items only
    through the weak prior, so in pure Python it needs ~2,000 sweeps (≈ 0.4 s) for 60 items and
    3,000 comparisons, where Newton needs 4–6 steps from the win-ratio start."""
    won, games = _pairs(n, wins)
    lost = [0.0] * n
    for (i, j), w in wins.items():
        if w > 0 and i != j:
            lost[j] += w
    theta = [math.log((won[i] + PRIOR_WINS) / (lost[i] + PRIOR_WINS)) for i in range(n)]
    iterations = 0
    while iterations < 60:
        iterations += 1
        gamma = [math.exp(t) for t in theta]
        s = [g / (1.0 + g) for g in gamma]
        grad = [won[i] + PRIOR_WINS - 2.0 * PRIOR_WINS * s[i] for i in range(n)]
        hess = [[0.0] * n for _ in range(n)]
        for i in range(n):
            hess[i][i] = 2.0 * PRIOR_WINS * s[i] * (1.0 - s[i])
        for (i, j), m in games.items():
            p = gamma[i] / (gamma[i] + gamma[j])
            v = m * p * (1.0 - p)
            grad[i] -= m * p
            grad[j] -= m * (1.0 - p)
            hess[i][i] += v
            hess[j][j] += v
            hess[i][j] -= v
            hess[j][i] -= v
        step = _solve(hess, grad) if n else []
        largest = max((abs(d) for d in step), default=0.0)
        if largest > 2.0:  # damped: never more than 2 logits per step
            step = [d * 2.0 / largest for d in step]
        theta = [t + d for t, d in zip(theta, step, strict=True)]
        if largest < 1e-5:  # quadratic convergence: what is left is of the order 1e-10
            break
    gamma = [math.exp(t) for t in theta]
    info = [2.0 * PRIOR_WINS * g / (1.0 + g) ** 2 for g in gamma]
    comparisons = [0] * n
    for (i, j), m in games.items():
        p = gamma[i] / (gamma[i] + gamma[j])
        info[i] += m * p * (1.0 - p)
        info[j] += m * p * (1.0 - p)
        comparisons[i] += m
        comparisons[j] += m
    se = [1.0 / math.sqrt(v) for v in info]
    score, low, high, slope = [], [], [], []
    for i in range(n):
        others = gamma[:i] + gamma[i + 1:]
        sc, d = _coordinate(gamma[i], others)
        score.append(sc)
        slope.append(d)
        low.append(_coordinate(gamma[i] * math.exp(-Z * se[i]), others)[0])
        high.append(_coordinate(gamma[i] * math.exp(Z * se[i]), others)[0])
    return Fit(tuple(theta), tuple(se), tuple(score), tuple(low), tuple(high), tuple(slope),
               tuple(comparisons), games, iterations)


def _median(values: Sequence[float]) -> float:
    s = sorted(values)
    if not s:
        return 0.5
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


def _phi(z: float) -> float:
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def side_certainty(f: Fit, i: int, split: float) -> float:
    """Probability that item ``i`` is on the side of ``split`` its coordinate is on."""
    sd = f.slope[i] * f.se[i]
    distance = abs(f.score[i] - split)
    if sd <= 0.0:
        return 1.0
    return _phi(distance / sd)


@dataclass(frozen=True)
class Placement:
    """Both axes fitted from the current casts, plus the answered and skipped counts."""

    ids: tuple[str, ...]
    fits: Mapping[str, Fit]
    splits: Mapping[str, float]
    answered: Mapping[str, int]
    skipped: Mapping[str, int]
    raters: int

    @cached_property
    def utilities(self) -> dict[str, dict[tuple[int, int], float]]:
        """Per axis the value of each pair (:func:`utilities`), computed once per placement: the
        shared task model answers many participants' requests."""
        return {a: utilities(self.fits[a], self.splits[a]) for a in AXES}

    @cached_property
    def orders(self) -> dict[str, tuple[tuple[int, int], ...]]:
        """Per axis the pairs in the fixed order of :attr:`utilities` (the random pick's order)."""
        return {a: tuple(self.utilities[a]) for a in AXES}

    @cached_property
    def ranked(self) -> dict[str, tuple[list[tuple[float, int, tuple[int, int]]], dict[tuple[int, int], int], bool]]:
        """Per axis, for :func:`best`: the pairs by utility, highest first, each as (utility, its
        place among :attr:`utilities`, pair); each pair's place; whether no utility is negative
        (then a pair's score is never below −utility, and the search can stop early)."""
        out = {}
        for a in AXES:
            items = list(self.utilities[a].items())
            order = sorted(range(len(items)), key=lambda k: -items[k][1])
            out[a] = ([(items[k][1], k, items[k][0]) for k in order], {pair: k for k, (pair, _) in enumerate(items)},
                      all(u >= 0.0 for _, u in items))
        return out


def place(config: Config, casts: Sequence[Cast]) -> Placement:
    ids = tuple(o.id for o in config.items)
    index = {item: k for k, item in enumerate(ids)}
    wins: dict[str, dict[tuple[int, int], int]] = {a: {} for a in AXES}
    answered = dict.fromkeys(AXES, 0)
    skipped = dict.fromkeys(AXES, 0)
    raters: set[str] = set()
    for cast in casts:
        parsed = _indices(cast, index)
        if parsed is None:
            continue
        axis, a, b, chosen = parsed
        raters.add(cast.participant)
        if chosen < 0:
            skipped[axis] += 1
            continue
        key = (chosen, b if chosen == a else a)
        won = wins[axis]
        won[key] = won.get(key, 0) + 1
        answered[axis] += 1
    fits = {a: fit(len(ids), wins[a]) for a in AXES}
    splits = {a: _median(fits[a].score) if config.split == "median" else float(config.split) for a in AXES}
    return Placement(ids, fits, splits, answered, skipped, len(raters))


# --- result ---------------------------------------------------------------------------------------


class Moved(MethodResult):
    """A moderator's placement of one item: the position 0…1 and who placed it when."""

    x: float = 0.5
    y: float = 0.5
    by: str = ""
    at: str = ""


class Placed(MethodResult):
    """One item in the matrix: coordinates 0…1 (probability of beating a random other item)."""

    id: str
    title: str = ""
    description: str = ""
    x: float = 0.5
    y: float = 0.5
    x_interval: list[float] = Field(default_factory=lambda: [0.0, 1.0])
    y_interval: list[float] = Field(default_factory=lambda: [0.0, 1.0])
    comparisons: dict[str, int] = Field(default_factory=lambda: dict.fromkeys(AXES, 0))
    quadrant: Quadrant | None = None
    quadrant_certainty: float = 0.0
    uncertain: bool = True
    prioritised: bool = False
    moderator: Moved | None = None
    """Where the moderator placed the item after discussion (command ``move``); ``x``/``y`` stay
    the computed position, ``quadrant`` and ``prioritised`` follow the moderator's."""
    marked: bool | None = None
    """The moderator's mark (command ``prioritise``): ``True``/``False`` overrides the quadrant
    for ``prioritised``; ``None`` = no mark, the top-right quadrant decides."""


def _no_rankings() -> dict[str, list[str]]:
    return {a: [] for a in AXES}


class AxisInfo(MethodResult):
    label: str = ""
    low: str = ""
    high: str = ""


class Result(MethodResult):
    question: str = ""
    axes: dict[str, AxisInfo] = Field(default_factory=dict)
    quadrant_labels: dict[str, str] = Field(default_factory=dict)
    split: dict[str, float] = Field(default_factory=lambda: dict.fromkeys(AXES, 0.5))
    participants: int = 0
    raters: int = 0
    items: list[Placed] = Field(default_factory=list)
    """In agenda order; ``rankings`` gives the order per axis."""
    rankings: dict[str, list[str]] = Field(default_factory=_no_rankings)
    prioritised: list[str] = Field(default_factory=list)
    comparisons: dict[str, int] = Field(default_factory=lambda: dict.fromkeys(AXES, 0))
    skips: dict[str, int] = Field(default_factory=lambda: dict.fromkeys(AXES, 0))
    uncertain: int = 0
    enough: bool = False
    empty: bool = True


def _quadrant(right: bool, top: bool) -> Quadrant:
    if top:
        return "top_right" if right else "top_left"
    return "bottom_right" if right else "bottom_left"


def _enough(placed: Sequence[Placed]) -> bool:
    if not placed:
        return False
    for p in placed:
        counts = [p.comparisons[a] for a in AXES]
        if min(counts) < ENOUGH_MIN:
            return False
        if p.uncertain and min(counts) < ENOUGH_PLENTY:
            return False
    return True


def _ranking(f: Fit, ids: list[str]) -> list[str]:
    return [ids[k] for k in sorted(range(len(ids)), key=lambda k: (-f.score[k], k))]


def tally(config: Config, casts: Sequence[Cast], participants: int = 0,
          decisions: Sequence[Decision] = ()) -> Result:
    pl = place(config, casts)
    fx, fy = pl.fits["x"], pl.fits["y"]
    moves, marks = moderation(config, decisions)
    placed: list[Placed] = []
    where: dict[str, tuple[float, float]] = {}  # the position that counts: moved, else computed
    for k, option in enumerate(config.items):
        counts = {"x": fx.comparisons[k], "y": fy.comparisons[k]}
        moved = moves.get(option.id)
        quadrant: Quadrant | None = None
        certainty = 0.0
        if counts["x"] and counts["y"]:
            certainty = side_certainty(fx, k, pl.splits["x"]) * side_certainty(fy, k, pl.splits["y"])
            where[option.id] = (fx.score[k], fy.score[k])
        if moved is not None:
            where[option.id] = (moved.x, moved.y)
        if option.id in where:
            px, py = where[option.id]
            quadrant = _quadrant(px >= pl.splits["x"], py >= pl.splits["y"])
        mark = marks.get(option.id)
        placed.append(Placed(
            id=option.id,
            title=option.label,
            description=option.description,
            x=round(fx.score[k], 4),
            y=round(fy.score[k], 4),
            x_interval=[round(fx.low[k], 4), round(fx.high[k], 4)],
            y_interval=[round(fy.low[k], 4), round(fy.high[k], 4)],
            comparisons=counts,
            quadrant=quadrant,
            quadrant_certainty=round(certainty, 4),
            # a moved item is settled by the group's discussion, whatever the statistics say
            uncertain=moved is None and certainty < UNCERTAIN_BELOW,
            prioritised=mark if mark is not None else quadrant == "top_right",
            moderator=moved,
            marked=mark,
        ))
    order = {o.id: k for k, o in enumerate(config.items)}
    rankings = {a: _ranking(pl.fits[a], list(pl.ids)) for a in AXES}
    best = sorted((p for p in placed if p.prioritised),
                  key=lambda p: (-sum(where.get(p.id, (0.0, 0.0))), order[p.id]))
    empty = not (pl.answered["x"] or pl.answered["y"])
    return Result(
        question=config.question,
        axes={a: AxisInfo(**_axis(config, a).model_dump()) for a in AXES},
        quadrant_labels=config.quadrant_labels.model_dump(),
        split={a: round(pl.splits[a], 4) for a in AXES},
        participants=participants,
        raters=pl.raters,
        items=placed,
        rankings=rankings,
        prioritised=[p.id for p in best],
        comparisons=dict(pl.answered),
        skips=dict(pl.skipped),
        uncertain=sum(1 for p in placed if p.uncertain),
        enough=_enough(placed),
        empty=empty and not moves and not marks,
    )


def outcome(result: Result) -> Outcome:
    """The prioritised items; while the placement is not ``enough``, a note says how many items
    could still lie in a neighbouring quadrant."""
    if result.empty:
        return Outcome(Text("materiality.empty"), "none")
    notes = () if result.enough else (Text("materiality.note_uncertain", {"n": result.uncertain}),)
    titles = {p.id: p.title or p.id for p in result.items}
    chosen = [titles.get(i, i) for i in result.prioritised]
    if not chosen:
        return Outcome(Text("materiality.none_prioritised"), "warn", notes)
    headline = Text("materiality.prioritised_many", {"n": len(chosen)}) if len(chosen) > 1 else None
    return Outcome(Text("materiality.prioritised", {"labels": " · ".join(chosen), "n": len(chosen)}),
                   "good" if result.enough else "warn", notes, headline)


def items(result: Result) -> list[Item]:
    """What a later step can take from the matrix: the prioritised items, best first."""
    by_id = {p.id: p for p in result.items}
    return [Item(i, by_id[i].title or i, by_id[i].description) for i in result.prioritised if i in by_id]


# --- pair choice ----------------------------------------------------------------------------------


def _chance(count: int, *parts: object) -> tuple[float, ...]:
    """``count`` numbers in [0, 1) from a SHAKE-128 stream of ``parts`` (seed, participant, axis,
    step): the same parts give the same numbers on every machine, with no global generator, and
    one hash call serves a whole candidate list."""
    return tuple(v * _UNIT for v in _words(count, parts))


_UNIT = 1.0 / 4294967296.0
"""2⁻³², exact: ``v * _UNIT`` is the same float as ``v / 2³²`` for every 32-bit ``v``."""


def _words(count: int, parts: tuple[object, ...]) -> tuple[int, ...]:
    """The stream behind :func:`_chance` as ``count`` unsigned 32-bit integers."""
    data = hashlib.shake_128("\x1f".join(map(str, parts)).encode()).digest(4 * count)
    return struct.unpack(f">{count}I", data)


Seen = Mapping[str, AbstractSet[tuple[int, int]]]
"""Per axis the index pairs ``(i, j)``, ``i < j``, a participant has answered or skipped."""


def own_pairs(config: Config, casts: Sequence[Cast], participant: str) -> dict[str, set[tuple[int, int]]]:
    """The pairs (index pairs ``i < j``) this participant has answered or skipped, per axis."""
    mine = answered(config, None, [c for c in casts if c.participant == participant])
    return {a: set(pairs) for a, pairs in mine.pairs.items()}


@dataclass(frozen=True)
class Answered:
    """A participant's answered pairs (:func:`own_pairs` of their casts), kept by facilitation
    between their answers (``Engine.own_state``, :func:`answered`): an answer adds its own pair
    instead of parsing each of the participant's earlier casts again for the next pair (up to
    ``2 × comparisons_per_axis`` of them, a fifth of the next pair's cost)."""

    pairs: Mapping[str, frozenset[tuple[int, int]]]


def answered(config: Config, before: Answered | None, casts: Sequence[Cast]) -> Answered:
    """``before`` with the pairs of ``casts`` (one participant's, stored after those ``before``
    holds) added; ``before`` stays as it was. From ``None`` it is :func:`own_pairs` of ``casts``.
    A later cast of a pair replaces an earlier one under the same key, which is the same pair,
    so adding it changes nothing (and a stored cast always passed :func:`validate` against the
    round's config: the round's config never changes)."""
    index = config.index
    new: dict[str, list[tuple[int, int]]] = {a: [] for a in AXES}
    for cast in casts:
        parsed = _indices(cast, index)
        if parsed is not None:
            axis, a, b, _ = parsed
            new[axis].append((a, b) if a < b else (b, a))
    if before is None:
        return Answered({a: frozenset(new[a]) for a in AXES})
    return Answered({a: before.pairs[a].union(new[a]) if new[a] else before.pairs[a] for a in AXES})


def _seen(config: Config, own: Sequence[Cast] | Answered, participant: str) -> Seen:
    """The participant's answered pairs, from their casts or as facilitation kept them."""
    return own.pairs if isinstance(own, Answered) else own_pairs(config, own, participant)


def _budget(config: Config) -> int:
    """Comparisons per axis and participant: the configured number, at most every pair once."""
    n = len(config.items)
    return min(config.comparisons_per_axis, n * (n - 1) // 2)


def _due(config: Config, seen: Seen) -> tuple[str | None, int, int]:
    """The axis due next (``None`` when the budget is spent), the done and total counts."""
    budget = _budget(config)
    done = {a: min(len(seen[a]), budget) for a in AXES}
    total = budget * len(AXES)
    open_axes = [a for a in AXES if done[a] < budget]
    if not open_axes:
        return None, sum(done.values()), total
    axis = min(open_axes, key=lambda a: (done[a], AXES.index(a)))
    return axis, sum(done.values()), total


def _scored(pl: Placement, seen: Seen, axis: str, participant: str,
            seed: int) -> tuple[list[tuple[float, tuple[int, int]]], tuple[float, ...]]:
    """The open pairs on ``axis`` with their jittered scores (lower is better), unsorted, and the
    stream's last two draws: whether to take a random pair, and which (one draw per pair before)."""
    asked = seen[axis]
    utilities = pl.utilities[axis]
    open_pairs = [(pair, u) for pair, u in utilities.items() if pair not in asked] if asked \
        else list(utilities.items())
    words = _words(len(open_pairs) + 2, (seed, participant, axis, len(asked)))
    keep, unit = 1.0 - JITTER, _UNIT
    # one pass, the draw ``v * unit`` inline (the same floats as :func:`_chance`'s): this runs for
    # every answer's next pair, ~190 pairs at 20 items
    scored = [(-u * (keep + JITTER * (v * unit)), pair) for (pair, u), v in zip(open_pairs, words, strict=False)]
    return scored, (words[-2] * unit, words[-1] * unit)


def candidates(config: Config, pl: Placement, seen: Seen, axis: str,
               participant: str, seed: int) -> list[tuple[int, int]]:
    """The participant's candidate pairs on ``axis``, best first (the first is the task)."""
    scored, draws = _scored(pl, seen, axis, participant, seed)
    ranked = [pair for _, pair in sorted(scored)]
    if ranked and draws[-2] < RANDOM_SHARE:
        first = _random_pick(scored, draws[-1])
        ranked.remove(first)
        ranked.insert(0, first)
    return ranked


def _random_pick(scored: Sequence[tuple[float, tuple[int, int]]], draw: float) -> tuple[int, int]:
    """The random task: the open pair at the draw's place among the open pairs in their fixed
    order (``scored`` as :func:`_scored` gives them, unsorted), a uniform choice."""
    return scored[int(draw * len(scored))][1]


def _kth_open(order: Sequence[tuple[int, int]], gone: Sequence[int], k: int) -> tuple[int, int]:
    """The ``k``-th open pair (from 0) in the fixed order ``order``, ``gone`` the sorted places of
    the pairs answered already: :func:`_random_pick` without scoring every open pair."""
    for g in gone:
        if g > k:
            break
        k += 1
    return order[k]


def best(pl: Placement, seen: Seen, axis: str, participant: str,
         seed: int) -> tuple[int, int] | None:
    """``candidates(...)[0]`` (None without an open pair) without ranking every pair: the task
    needs only the first, and sorting ~190 pairs was a third of each ack's next pair. Three
    times in four that is the best score, else the random pick (:func:`_kth_open`: no pair scored;
    scoring and sorting every open pair for it made the average next pair 2.5× dearer).

    The best score is found without scoring every pair: a pair's score ``−u · (keep + JITTER·r)``
    with ``r < 1`` is never below ``−u``, so going through the pairs by falling utility the search
    stops at the first pair whose ``−u`` is above the best score so far; each pair scored gets the
    same draw as in :func:`_scored` (the stream's word at its place among the open pairs). The
    same pair as ``min`` over every score (tested against it); ~20 pairs scored instead of ~190."""
    ranked, place_of, bounded = pl.ranked[axis]
    asked = seen[axis]
    gone = sorted(place_of[p] for p in asked if p in place_of)
    open_count = len(place_of) - len(gone)
    if open_count <= 0:
        return None
    data = hashlib.shake_128("\x1f".join(map(str, (seed, participant, axis, len(asked)))).encode()) \
        .digest(4 * (open_count + 2))
    take, which = struct.unpack_from(">2I", data, 4 * open_count)
    if take * _UNIT < RANDOM_SHARE:
        return _kth_open(pl.orders[axis], gone, int(which * _UNIT * open_count))
    if not bounded:
        return min(_scored(pl, seen, axis, participant, seed)[0])[1]
    keep, unit, word = 1.0 - JITTER, _UNIT, struct.Struct(">I").unpack_from
    top: tuple[float, tuple[int, int]] | None = None
    for u, k, pair in ranked:
        if top is not None and -u > top[0]:
            break  # every pair after this one scores above ``top``
        if pair in asked:
            continue
        v = word(data, 4 * (k - bisect_left(gone, k)))[0]  # the pair's place among the open pairs
        this = (-u * (keep + JITTER * (v * unit)), pair)
        if top is None or this < top:
            top = this
    return top[1] if top is not None else None


def needs(f: Fit, split: float) -> list[float]:
    """How much each item needs another comparison: few comparisons so far, or a side of the
    split still in doubt."""
    counts = f.comparisons
    mean = sum(counts) / len(counts) if counts else 0.0
    return [COVERAGE_WEIGHT * (mean + 1.0) / (c + 1.0) + DOUBT_WEIGHT * (1.0 - side_certainty(f, k, split))
            for k, c in enumerate(counts)]


def utilities(f: Fit, split: float) -> dict[tuple[int, int], float]:
    """The value of comparing each pair ``(i, j)``, ``i < j``, before the participant's jitter:
    ``4 p (1 − p) · (need_i + need_j)``, an uncertain order between needy items scores high."""
    need = needs(f, split)
    theta = f.theta
    n = len(theta)
    out: dict[tuple[int, int], float] = {}
    for i in range(n):
        for j in range(i + 1, n):
            p = _sigmoid(theta[i] - theta[j])
            out[(i, j)] = 4.0 * p * (1.0 - p) * (need[i] + need[j])
    return out


def choose(config: Config, pl: Placement, seen: Seen, participant: str,
           seed: int) -> JSON:
    """The next task from an already computed placement (what :func:`next_task` does after
    fitting; a simulation that refits once per round calls this directly)."""
    axis, done, total = _due(config, seen)
    if axis is None:
        return None
    first = best(pl, seen, axis, participant, seed)
    if first is None:
        return None
    i, j = first
    if _chance(1, seed, participant, axis, len(seen[axis]), "side")[0] < 0.5:  # which item is left
        i, j = j, i
    ax = _axis(config, axis)
    return {
        "axis": axis,
        "question_axis_label": ax.label,
        "low": ax.low,
        "high": ax.high,
        "pair": [_item_json(config.items[i]), _item_json(config.items[j])],
        "progress": {"done": done, "total": total},
    }


def _item_json(option: Option) -> dict[str, str]:
    return {"id": option.id, "title": option.label, "description": option.description}


def next_task(config: Config, casts: Sequence[Cast], participant: str, seed: int) -> JSON:
    """The participant's next pair and axis, or ``None`` when their comparisons are done."""
    return task_for(config, place(config, casts), casts, participant, seed)


def task_for(config: Config, pl: Placement, casts: Sequence[Cast] | Answered, participant: str,
             seed: int) -> JSON:
    """:func:`next_task` from a placement fitted already (the one facilitation shares between
    participants); ``casts`` need only hold the participant's own, or are their pairs as
    facilitation keeps them (:class:`Answered`)."""
    if len(config.items) < 2:
        return None
    return choose(config, pl, _seen(config, casts, participant), participant, seed)


def assume(config: Config, own: Sequence[Cast] | Answered, task: JSON) -> Answered | None:
    """The participant's answered pairs as if they had answered ``task`` too; ``None`` when the
    task is no open pair for them (answered already, their comparisons on its axis are done, or
    it is no pair of this config).

    Why: the phone holds the pair *after* the one on its screen, so a tap shows the next pair at
    once instead of after the server's round trip (venue Wi-Fi, a busy server). Facilitation
    chooses that pair with :func:`task_for` from this state: the pair on screen is excluded, it
    counts for the alternation of the axes and the progress, and the draws are the ones the
    participant would meet once it is answered."""
    try:  # a task as task_for makes it (this runs for each remembered task on every answer)
        axis, (first, second) = task["axis"], task["pair"]
        a, b = config.index.get(first["id"]), config.index.get(second["id"])
    except (TypeError, KeyError, ValueError):
        return None
    if axis not in AXES or a is None or b is None or a == b:
        return None
    i, j = (a, b) if a < b else (b, a)
    mine = own if isinstance(own, Answered) else answered(config, None, own)
    if (i, j) in mine.pairs[axis] or len(mine.pairs[axis]) >= _budget(config):
        return None  # answered, or the axis' comparisons are done
    return Answered({a: mine.pairs[a] | {(i, j)} if a == axis else mine.pairs[a] for a in AXES})


def offered(config: Config, casts: Sequence[Cast], participant: str, seed: int,
            pair: Sequence[str], axis: str) -> bool:
    """Whether ``pair`` on ``axis`` may be answered by this participant now: a pair they already
    answered (a changed answer), or one of their ``OFFER_SLACK`` best candidates on the axis due
    (others' answers between showing and answering shift the adaptive choice a little)."""
    return offered_by(config, place(config, casts), casts, participant, seed, pair, axis)


def offered_by(config: Config, pl: Placement, casts: Sequence[Cast] | Answered, participant: str, seed: int,
               pair: Sequence[str], axis: str) -> bool:
    """:func:`offered` from a placement fitted already; ``casts`` need only hold the participant's
    own (or are their :class:`Answered` pairs)."""
    index = config.index
    if axis not in AXES or len(pair) != 2 or any(p not in index for p in pair) or pair[0] == pair[1]:
        return False
    i, j = sorted((index[pair[0]], index[pair[1]]))
    seen = _seen(config, casts, participant)
    if (i, j) in seen[axis]:
        return True
    due, _, _ = _due(config, seen)
    if due != axis:
        return False
    ranked = candidates(config, pl, seen, axis, participant, seed)
    return (i, j) in ranked[:OFFER_SLACK]


def _task_pair(task: JSON) -> tuple[str, frozenset[str]] | None:
    """A handed-out task as (axis, the two ids)."""
    if not isinstance(task, Mapping) or not isinstance(task.get("pair"), list):
        return None
    return str(task.get("axis")), frozenset(str(item.get("id")) for item in task["pair"] if isinstance(item, Mapping))


def answers(task: JSON, payload: object) -> bool:
    """Whether ``payload`` (validated) answers ``task``: the same axis and the same two items, in
    either order. Facilitation admits such an answer without reading the round (it answers a
    task just handed out); :func:`admit` decides the rest."""
    if not isinstance(payload, Mapping) or not isinstance(payload.get("pair"), list | tuple):
        return False
    return _task_pair(task) == (str(payload.get("axis")), frozenset(str(p) for p in payload["pair"]))


def admit(config: Config, pl: Placement, casts: Sequence[Cast] | Answered, participant: str, seed: int,
          payload: object, handed: Sequence[JSON] = ()) -> None:
    """Refuse an answer to a pair this participant was not offered (``pair_not_offered``): not
    one of the tasks just handed to them (``handed``), not a pair they answered before, not one
    of their best candidates now (:func:`offered_by`: a task handed out before a restart). A
    script could otherwise pick the pairs that move its favourite item."""
    data = require_mapping(payload)
    axis, pair = str(data.get("axis")), [str(p) for p in data.get("pair") or ()]
    if any(answers(task, payload) for task in handed):
        return
    if not offered_by(config, pl, casts, participant, seed, pair, axis):
        titles = {o.id: o.label for o in config.items}
        raise InvalidContribution("pair_not_offered", first=titles.get(pair[0], pair[0]),
                                  second=titles.get(pair[-1], pair[-1]))


# --- moderator commands ---------------------------------------------------------------------------


class Move(CommandPayload):
    """``move``: place an item where the group put it after discussion (x, y from 0 to 1)."""

    item: str = Field(min_length=1, max_length=40)
    x: float
    y: float


class UndoMove(CommandPayload):
    """``undo_move``: take back the item's latest move (the one before, or the computed position,
    applies again)."""

    item: str = Field(min_length=1, max_length=40)


class Prioritise(CommandPayload):
    """``prioritise``: mark (``prioritised: true``) or unmark an item as prioritised, whatever its
    quadrant says."""

    item: str = Field(min_length=1, max_length=40)
    prioritised: bool = True


def moderation(config: Config, decisions: Sequence[Decision]) -> tuple[dict[str, Moved], dict[str, bool]]:
    """The moves and marks in force after the round's decisions, in the order they were taken:
    per item the latest move not taken back, and the latest mark. Decisions about items the
    config no longer has are ignored (like comparisons)."""
    ids = {o.id for o in config.items}
    moves: dict[str, list[Moved]] = {}
    marks: dict[str, bool] = {}
    for d in sorted(decisions, key=lambda d: d.seq):
        item = d.payload.get("item")
        if not isinstance(item, str) or item not in ids:
            continue
        if d.command == "move":
            x, y = _position(d.payload.get("x")), _position(d.payload.get("y"))
            if x is not None and y is not None:
                moves.setdefault(item, []).append(Moved(x=x, y=y, by=d.actor, at=d.at))
        elif d.command == "undo_move" and moves.get(item):
            moves[item].pop()
        elif d.command == "prioritise":
            marks[item] = bool(d.payload.get("prioritised", True))
    return {item: stack[-1] for item, stack in moves.items() if stack}, marks


def _position(value: object) -> float | None:
    """A coordinate 0…1, or None for anything else (a stored decision is read defensively)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and 0.0 <= value <= 1.0:
        return float(value)
    return None


def _known(config: Config, item: str) -> None:
    if item not in {o.id for o in config.items}:
        raise InvalidContribution("mat_item_unknown", item=item)


def _guard_move(config: Config, payload: Move, situation: Situation) -> None:
    _known(config, payload.item)
    for axis in AXES:
        value = getattr(payload, axis)
        if _position(value) is None:
            raise InvalidContribution("mat_move_range", axis=_axis(config, axis).label, value=value)


def _guard_undo(config: Config, payload: UndoMove, situation: Situation) -> None:
    _known(config, payload.item)
    moves, _ = moderation(config, situation.decisions)
    if payload.item not in moves:
        title = next(o.label for o in config.items if o.id == payload.item)
        raise InvalidTransition("mat_nothing_to_undo", item=title)


def _guard_prioritise(config: Config, payload: Prioritise, situation: Situation) -> None:
    _known(config, payload.item)


def _item_choices(config: Config) -> dict[str, dict[str, str]]:
    """The console's form picks an item by its number in the legend and its title."""
    return {"item": {o.id: f"{k}  {o.label}" for k, o in enumerate(config.items, start=1)}}


COMMANDS: tuple[Command[Config, Any], ...] = (
    Command("move", Move, "materiality.cmd.move", _guard_move, choices=_item_choices),
    Command("undo_move", UndoMove, "materiality.cmd.undo_move", _guard_undo, choices=_item_choices),
    Command("prioritise", Prioritise, "materiality.cmd.prioritise", _guard_prioritise, choices=_item_choices),
)


# --- engine ---------------------------------------------------------------------------------------

TREFFEN3_TOPICS = [
    {"title": "Elektromobiler City-Hub",
     "description": "Gebündelte, emissionsarme Anlieferung der Innenstadt über einen gemeinsamen Umschlagpunkt."},
    {"title": "WLAN in der Innenstadt",
     "description": "Freies WLAN in der City, auch als Kanal für Händler-Werbung und Besucherstatistik."},
    {"title": "Hybride Formen des Einzelhandels",
     "description": "Gemeinsame Online-Plattform der lokalen Händler mit Hol- und Bringservice."},
    {"title": "Bottrop-Card",
     "description": "Kundenkarte mit Treuepunkten und gemeinsamen Aktionen für Innenstadt und Stadtteile."},
    {"title": "Aufenthaltsqualität in der Innenstadt",
     "description": "Ideenwettbewerb für Straßen und Plätze, mobiles Grün, Schaufensterwettbewerb."},
    {"title": "Nachhaltige Transportdienste aus der Innenstadt",
     "description": "Per App buchbare E-Lastenräder bringen Einkäufe nach Hause."},
    {"title": "Gastgeberverzeichnis",
     "description": "Übersicht aller Übernachtungsangebote, um die Aufenthaltsdauer zu erhöhen."},
    {"title": "Nachhaltige Mobilität zu Freizeitzielen",
     "description": "Mobilitätskonzepte und einheitliche Beschilderung zu den großen Freizeitzielen."},
    {"title": "Markenentwicklung für den Standort",
     "description": "Umsetzungsorientiertes Konzept für Positionierung und Vermarktung der Stadt."},
    {"title": "Coaching zur Digitalisierung",
     "description": "Informationsveranstaltungen und ein Showroom, um Hürden abzubauen."},
    {"title": "Gemeinsames Fachkräfteportal",
     "description": "Portal für Fachkräfte, Ausbildungsplätze und gegenseitige Gesuche der Unternehmen."},
    {"title": "Projektplattform Unternehmen und Hochschule",
     "description": "Kooperatives Netz für direkten Austausch zwischen Betrieben und Bildungsträgern."},
    {"title": "Verbund von Ausbildungsbetrieben",
     "description": "Gemeinsame Ausbildung und Bewerbung von Ausbildungsberufen, auch für Studienabbrecher."},
    {"title": "Netzwerkfest für neue Unternehmen",
     "description": "Sommerfest, auf dem sich neue Betriebe vorstellen und vernetzen."},
    {"title": "Selbstständigkeit in die Berufsschulen",
     "description": "Anlaufstelle und Material zu Gründung und Selbstständigkeit für Schulen."},
    {"title": "Co-Working",
     "description": "Leerstehende Büroflächen stunden- oder tageweise für Gründer, mit Gemeinschaftsräumen."},
    {"title": "Patenschaften für Gründer", "description": "Etablierte Mittelständler und Gründer bilden Tandems."},
    {"title": "Lokaler Gründerfonds",
     "description": "Crowdfunding-Plattform mit Banken, Stiftungen und Bürgerschaft für lokale Ideen."},
    {"title": "Ideen-Garage: vom Hinterhof zur Produktion",
     "description": "Atlas kleiner Gewerbeeinheiten für kleinteilige, emissionsarme Produktion."},
    {"title": "Flexible Arbeitszeitmodelle",
     "description": "Arbeitgeber entwickeln gemeinsam orts- und zeitflexible Modelle."},
]

ENGINE: Engine[Config, Result] = Engine(
    name=NAME,
    config=Config,
    result=Result,
    validate=validate,
    tally=tally,
    outcome=outcome,
    default_config={"question": "", "items": [f"Thema {k}" for k in range(1, 6)],
                    "axes": PRESETS[DEFAULT_PRESET], "comparisons_per_axis": 12},
    demo_steps=(
        DemoStep(40, "Wesentlichkeitsanalyse der Projektideen", {
            "question": "Welche Projektideen soll die Allianz vorrangig verfolgen?",
            "items": TREFFEN3_TOPICS,
            "axes": {
                "x": {"label": "Wirkung auf Nachhaltigkeit und Resilienz", "low": "gering", "high": "hoch"},
                "y": {"label": "Umsetzbarkeit durch die Allianz", "low": "schwer", "high": "leicht"},
            },
            "comparisons_per_axis": 12,
        }),
    ),
    results_hidden_by_default=RESULTS_HIDDEN_BY_DEFAULT,
    tally_while_hidden=False,  # the console shows nothing of a hidden matrix; a refit costs ~15 ms
    items=items,
    items_field="items",
    next_task=next_task,
    task_model=place,
    task_for=task_for,
    own_state=answered,
    assume=assume,
    admit=admit,
    answers=answers,
    commands=COMMANDS,
)

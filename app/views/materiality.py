"""Materiality matrix views: one pair at a time on the phone, the matrix on the console, the
settings form of the agenda editor.

The phone never sees the matrix while people compare: it gets its own next pair and the pair
after it (``live.next_tasks`` for this participant, asked through :meth:`PhoneView.next_tasks`)
inside ``mine``: a tap shows the pair held ahead at once, and the ack of the answer brings the
pair after that one. The console draws the matrix with plotly
(numbered points, a legend list beside it, a faint 95 % interval per item) once it is revealed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nicegui import ui

from app.i18n import t
from app.views.base import ConsoleView, MethodViews, PhoneView, SharedByStep, compact, step_key
from app.views.widgets import checked, merge_options, plot_text
from facilitation.snapshots import LiveState, StepInfo, StepState
from methods.materiality import (
    DEFAULT_PRESET,
    MAX_ITEMS,
    MIN_ITEMS,
    PRESETS,
    QUADRANTS,
    Placed,
    QuadrantLabels,
    Result,
)
from methods.options import normalise

POINT = "#24507A"
PRIORITISED = "#2E8B57"
UNSURE = "#B7791F"
PRIORITISED_INK, UNSURE_INK = "#1E6B43", "#8A5A12"
"""The points' green and amber, dark enough for text on white."""
MOVED = "#7B3FA0"
"""Moderator moves: the ring at the computed position, the arrow and the moved point's edge."""


def _phone_view(step: StepInfo, lang: str) -> dict[str, Any]:
    """What every phone shows of the step, one JSON per step and language: with the items'
    titles and descriptions and each axis' question, so the ack of an answer names the next pair
    by its two ids (~100 bytes instead of ~480 with the texts, encoded and sent with each ack)."""
    config = step.config
    return {
        "question": config.question,
        "title": step.title,
        "step": step.id,  # sent back with every tap: a tap on an old question is refused
        "round": step.round,
        "round_text": t("phone.round", lang, round=step.round) if step.round > 1 else "",
        "items": {o.id: {"title": o.label, "description": o.description} for o in config.items},
        "asks": {axis: t("materiality.ask", lang, axis=info.label, high=info.high)
                 for axis, info in (("x", config.axes.x), ("y", config.axes.y))},
    }


def _typed(state: LiveState) -> Result | None:
    return state.typed if isinstance(state.typed, Result) else None


class MaterialityPhone(PhoneView, component="materiality.js"):
    """The axis question, two item cards and "gleich / kann ich nicht sagen"; ``mine`` is the
    participant's next task — the axis, the pair's two item ids (their texts and the axis'
    question are in the step's shared ``view``) — and the progress line in the phone's language."""

    TEXT_KEYS = ("materiality.equal", "materiality.done")

    VIEW = SharedByStep(_phone_view, step_key)

    _quiet: tuple[int, int, str] | None = None
    """(step, round, state) of the last delivery shown with the result hidden (:meth:`show`)."""

    @classmethod
    def result_rows(cls, state: LiveState, lang: str) -> list[dict[str, Any]] | None:
        result = _typed(state)
        if result is None or result.empty:
            return None
        by_id = {p.id: p for p in result.items}
        label = result.quadrant_labels.get("top_right", "")
        return [{"id": i, "label": by_id[i].title or i, "frac": (by_id[i].x + by_id[i].y) / 2, "text": label}
                for i in result.prioritised if i in by_id]

    def describe(self, step: StepInfo, lang: str) -> str:
        return self.VIEW(step, lang)

    def committed(self, step: StepInfo, mine: dict[str, Any]) -> dict[str, Any]:
        return self._with_task(step)

    def merged(self, current: Any, payload: dict[str, Any]) -> dict[str, Any]:
        return self._with_task(self.step) if self.step is not None else {"task": None}

    def load(self, step: StepInfo, mine: dict[str, Any], state: LiveState) -> None:
        self._quiet = None
        super().load(step, mine, state)

    def idle(self, notice: str, heading: str = "") -> None:
        self._quiet = None
        super().idle(notice, heading)

    def show(self, state: LiveState) -> None:
        """A step closed and opened again (same step, same round): ask for the task anew.

        In a burst the ack already carried this phone's next pair, so nearly every delivery (an
        answer elsewhere in the room) changes nothing it shows: while the result is hidden the
        live props follow from the step, round and state alone, and a delivery with the same
        three as the last one shown returns at once — no props compared, nothing encoded, for
        each of 200 phones. A reveal (the result goes to the phone), a close or reopen, another
        round (``load``) or going idle takes the full path."""
        step, shown = state.step, self.step
        if step is not None and not step.results_visible and (step.id, step.round, step.state) == self._quiet:
            return
        # the state first: on nearly every delivery (an answer elsewhere in the room) it is the
        # same, and this runs for each of 200 phones
        if step is not None and shown is not None and step.state != shown.state \
                and step.id == shown.id and step.round == shown.round:
            self.step = step
            self.mine = self._with_task(step)
            with self._props.suspend_updates():  # sent with the open/closed change below
                self._props["mine"] = compact(self.mine)
        super().show(state)
        # the props now hold what this state shows; with the result hidden, the next delivery of
        # the same step, round and state would write and send nothing (mine alone is never sent)
        self._quiet = (step.id, step.round, step.state) \
            if step is not None and not step.results_visible and self._props["view"] else None

    def _with_task(self, step: StepInfo) -> dict[str, Any]:
        """``{"task", "progress"}`` of the next pair, and ``next``: the same of the pair after it,
        which the component shows the moment the first is tapped (no wait for the round trip);
        the ack of that answer brings the pair after it in turn."""
        found = self.next_tasks(step) if step.state == StepState.OPEN else [None]
        mine = self._task_json(found[0])
        if mine["task"] is not None and len(found) > 1 and found[1] is not None:
            mine["next"] = self._task_json(found[1])
        return mine

    def _task_json(self, task: Any) -> dict[str, Any]:
        if not isinstance(task, dict):
            return {"task": None}
        progress = task.get("progress") or {}
        done, total = int(progress.get("done", 0)), int(progress.get("total", 0))
        return {
            # what the component sends back, no more: it goes with every ack (the items' texts
            # and the axis' question are in the shared view, the counts in ``progress``)
            "task": {"axis": task.get("axis"), "pair": [item.get("id") for item in task.get("pair") or ()]},
            "progress": t("materiality.progress", self.lang, n=min(done + 1, total), total=total),
        }


# --- console ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sizes:
    """Type sizes in px of the matrix (plotly draws in px, not rem): the console on a laptop, and
    the projector, read from the back row at 1920×1080 (every label ≥ 28 px)."""

    ends: int = 18
    title: int = 20
    quadrant: int = 18
    number: int = 14
    marker: int = 30
    wrap: int = 0
    """Break axis titles (twice as long) and quadrant labels into lines of about this many
    characters (0: never): 28 px type on a matrix of 600 px would otherwise run out of it."""


CONSOLE = Sizes(wrap=22)
PROJECTOR = Sizes(ends=28, title=28, quadrant=28, number=28, marker=44, wrap=18)


def wrapped(text: str, width: int) -> str:
    """Plot-safe text (escaped), broken at spaces into lines of about ``width`` characters."""
    if width <= 0 or len(text) <= width:
        return plot_text(text)
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(plot_text(line) for line in lines)


def _where(p: Placed) -> tuple[float, float]:
    """The position that counts: the moderator's, else the computed one."""
    return (p.moderator.x, p.moderator.y) if p.moderator is not None else (p.x, p.y)


def _intervals(items: list[Placed]) -> dict[str, Any]:
    faint = "rgba(36,80,122,0.18)"
    return {
        "error_x": {"type": "data", "symmetric": False, "array": [p.x_interval[1] - p.x for p in items],
                    "arrayminus": [p.x - p.x_interval[0] for p in items], "color": faint, "thickness": 6, "width": 0},
        "error_y": {"type": "data", "symmetric": False, "array": [p.y_interval[1] - p.y for p in items],
                    "arrayminus": [p.y - p.y_interval[0] for p in items], "color": faint, "thickness": 6, "width": 0},
    }


def figure(result: Result, lang: str, sizes: Sizes = CONSOLE) -> dict[str, Any]:
    """The matrix: both axes with their ends, the quadrant lines and labels, every item as a
    numbered point (its number is its line in the legend beside the chart) with a faint interval.
    An item the moderator moved stands at the moved position; its computed position stays as a
    hollow ring with its interval, an arrow from there to where the group put it."""
    items = [p for p in result.items if p.quadrant is not None]
    numbers = {p.id: k + 1 for k, p in enumerate(result.items)}
    computed = [p for p in items if p.comparisons.get("x") and p.comparisons.get("y")]
    moved = [p for p in computed if p.moderator is not None]
    ax, ay = result.axes.get("x"), result.axes.get("y")
    sx, sy = result.split.get("x", 0.5), result.split.get("y", 0.5)
    labels = result.quadrant_labels
    corners = {"top_right": (1.0, 1.0, "right", "top"), "top_left": (0.0, 1.0, "left", "top"),
               "bottom_right": (1.0, 0.0, "right", "bottom"), "bottom_left": (0.0, 0.0, "left", "bottom")}
    annotations = [{
        "x": corners[q][0], "y": corners[q][1], "xref": "x", "yref": "y", "showarrow": False,
        "xanchor": corners[q][2], "yanchor": corners[q][3], "text": wrapped(labels.get(q, ""), sizes.wrap),
        "font": {"size": sizes.quadrant, "color": "#4A5563"}, "align": corners[q][2],
        "bgcolor": "rgba(255,255,255,0.75)",
    } for q in QUADRANTS if labels.get(q)]
    annotations += [{
        "x": p.moderator.x, "y": p.moderator.y, "ax": p.x, "ay": p.y, "xref": "x", "yref": "y",
        "axref": "x", "ayref": "y", "text": "", "showarrow": True, "arrowhead": 2, "arrowsize": 1.2,
        "arrowwidth": 2.5, "arrowcolor": MOVED, "standoff": sizes.marker / 2, "startstandoff": sizes.marker / 2,
    } for p in moved if p.moderator is not None]

    def axis(info: Any, title_default: str, vertical: bool) -> dict[str, Any]:
        label = info.label if info is not None else title_default
        out = {"range": [-0.04, 1.04], "showgrid": False, "zeroline": False, "tickvals": [0, 1],
               "ticktext": [plot_text(info.low if info else ""), plot_text(info.high if info else "")],
               "tickfont": {"size": sizes.ends},
               "title": {"text": wrapped(label, sizes.wrap * (1 if vertical else 2)), "font": {"size": sizes.title},
                         "standoff": 6}}
        if vertical:  # the ends written upwards, beside the axis: no wide left margin,
            out["tickangle"] = -90  # a little inside, so "schwer" clears the x axis' "gering"
            out["tickvals"] = [0.12, 0.88]
        return out

    settled = [p for p in items if p.moderator is None]
    placed = settled + [p for p in items if p.moderator is not None]
    data: list[dict[str, Any]] = []
    if moved:  # computed positions of moved items: hollow rings, under the points
        data.append({"type": "scatter", "mode": "markers", "x": [p.x for p in moved], "y": [p.y for p in moved],
                     "marker": {"size": sizes.marker, "symbol": "circle-open", "color": MOVED,
                                "line": {"width": 2, "color": MOVED}},
                     **_intervals(moved), "hoverinfo": "none", "cliponaxis": False})
    data.append({
        "type": "scatter", "mode": "markers+text",
        "x": [_where(p)[0] for p in placed], "y": [_where(p)[1] for p in placed],
        "text": [str(numbers[p.id]) for p in placed],
        "textposition": "middle center", "textfont": {"size": sizes.number, "color": "white"},
        "marker": {"size": sizes.marker, "color": [_color(p) for p in placed],  # (moved: a thick edge)
                   "line": {"width": [3 if p.moderator is not None else 1 for p in placed],
                            "color": [MOVED if p.moderator is not None else "white" for p in placed]}},
        **_intervals_for(placed), "hoverinfo": "none", "cliponaxis": False,
    })
    return {
        "data": data,
        "layout": {
            "margin": {"l": sizes.title * 4 + 10, "r": 20, "t": 20, "b": sizes.title * 4 + 10},
            "font": {"size": sizes.ends},
            "xaxis": axis(ax, "x", False), "yaxis": axis(ay, "y", True),
            "shapes": [
                {"type": "line", "x0": sx, "x1": sx, "y0": 0, "y1": 1, "line": {"color": "#9AA5B1", "dash": "dash"}},
                {"type": "line", "x0": 0, "x1": 1, "y0": sy, "y1": sy, "line": {"color": "#9AA5B1", "dash": "dash"}},
            ],
            "annotations": annotations,
            "plot_bgcolor": "white", "paper_bgcolor": "white", "showlegend": False,
        },
        "config": {"staticPlot": True, "displayModeBar": False},
    }


def _intervals_for(items: list[Placed]) -> dict[str, Any]:
    """Intervals belong to the computed position: a moved point carries none (its ring does)."""
    bars = _intervals(items)
    for key in ("error_x", "error_y"):
        for side in ("array", "arrayminus"):
            bars[key][side] = [0.0 if p.moderator is not None else v for p, v in zip(items, bars[key][side],
                                                                                      strict=True)]
    return bars


def _color(p: Placed) -> str:
    if p.uncertain:
        return UNSURE
    return PRIORITISED if p.prioritised else POINT


def legend(result: Result, lang: str) -> list[str]:
    """One line per item: its number in the chart, its title, its quadrant, "noch unsicher", and
    what the moderator decided (moved, marked or unmarked as prioritised)."""
    lines = []
    for k, p in enumerate(result.items, start=1):
        where = result.quadrant_labels.get(p.quadrant, "") if p.quadrant else t("materiality.unplaced", lang)
        notes = [where]
        if p.uncertain and p.quadrant:
            notes.append(t("materiality.uncertain", lang))
        if p.moderator is not None:
            notes.append(t("materiality.moved", lang))
        if p.marked is not None:
            notes.append(t("materiality.marked" if p.marked else "materiality.unmarked", lang))
        lines.append(f"{k}  {p.title or p.id} — {' · '.join(notes)}")
    return lines


class MaterialityConsole(ConsoleView):
    """The shared header, then the matrix with a numbered legend and how sure it is.

    The moderator's console (a laptop, 1280 px) lists each item with its field and what is
    uncertain or decided; the projector, read from the back row, gets type of at least 28 px at
    1920×1080, so its legend is three columns of number and title only, the number coloured as
    its point, with a key above."""

    def build(self) -> None:
        big = not self.controls
        with ui.column().classes("w-full gap-2") as self.box:
            with ui.row().classes("w-full items-center gap-x-6"):
                self.signal = ui.label("").classes("text-xl font-semibold").mark("enough")
                self.comparisons = ui.label("").classes("text-xl text-gray-800").mark("comparisons")
                if big:
                    ui.space()  # the legend's key, on this line: every line of height counts at 1080 p
                    for color, key in ((PRIORITISED_INK, "materiality.key_prioritised"),
                                       (UNSURE_INK, "materiality.key_uncertain"), (MOVED, "materiality.key_moved")):
                        ui.label(t(key, self.lang)).style(f"color: {color}").classes("text-xl font-semibold") \
                            .mark("legend-key")
            with ui.row().classes("w-full no-wrap gap-4 items-start"):
                self.plot = ui.plotly({"data": [], "layout": {}}).classes("shrink-0" if big else "grow") \
                    .style(PROJECTOR_PLOT if big else "height: calc(100vh - 30rem); min-height: 18rem; min-width: 0") \
                    .mark("matrix")
                # 28 px (1.17 rem at 1920 px) in two columns: 30 titles of up to ~45 characters fit
                self.legend = ui.element("div").classes(
                    "min-w-0 grow text-[1.17rem] leading-[1.1]" if big else "flex flex-col text-base shrink-0") \
                    .style("columns: 2; column-gap: 1.5rem" if big else "max-width: 40%").mark("legend")
        self.lines: list[ui.label] = []
        self._last: Result | None = None
        self._drawn: dict[str, Any] | None = None

    def show(self, state: LiveState, visible: bool) -> None:
        self.box.set_visibility(visible)
        result = _typed(state)
        if not visible or result is None or result is self._last:
            return
        drawn = _drawn(result)
        if drawn == self._drawn:  # e.g. only the head count changed: the same figure, not rebuilt
            self._last = result
            return
        self._last, self._drawn = result, drawn
        lang = self.lang
        big = not self.controls
        self.plot.update_figure(figure(result, lang, PROJECTOR if big else CONSOLE))
        self.signal.set_text(t("materiality.enough" if result.enough else "materiality.not_enough", lang))
        self.signal.classes(replace="text-xl font-semibold " + ("text-green-900" if result.enough else "text-amber-900"))
        self.comparisons.set_text(t("materiality.comparisons", lang,
                                    n=sum(result.comparisons.values()), skips=sum(result.skips.values()),
                                    raters=result.raters))
        if len(self.lines) != len(result.items):  # made once per item list, then updated in place
            self.legend.clear()
            with self.legend:
                self.lines = [ui.label("").mark("legend-item").style("break-inside: avoid") for _ in result.items]
        texts = short_legend(result) if big else legend(result, lang)
        for label, text, p in zip(self.lines, texts, result.items, strict=True):
            label.set_text(text)
            label.classes(replace="font-semibold" if p.prioritised else "")
            if big:
                label.style(replace=f"break-inside: avoid; color: {_ink(p)}")


def _drawn(result: Result) -> dict[str, Any]:
    """What the console draws of a result: all of it but the head count (``participants``), which
    the shared header shows. A person joining during the reveal changed the result and rebuilt
    and sent the plotly figure unchanged."""
    return {k: v for k, v in vars(result).items() if k != "participants"}


PROJECTOR_PLOT = "width: 30%; height: max(22rem, calc(100vh - 22rem))"
"""The projector's matrix: beside a three-column legend, down to the bottom of a 1080 p screen
below the shared header (question, decision, note)."""


def short_legend(result: Result) -> list[str]:
    """The projector's legend: number and title; ↗ for a moved item (the colour says the rest)."""
    return [f"{k}  {p.title or p.id}{' ↗' if p.moderator is not None else ''}"
            for k, p in enumerate(result.items, start=1)]


def _ink(p: Placed) -> str:
    """A legend line's colour on the projector: as its point, dark blue for the settled rest."""
    if p.quadrant is None:
        return "#5F6B7A"
    if p.uncertain:
        return UNSURE_INK
    return PRIORITISED_INK if p.prioritised else "#1F2933"


# --- the settings form in the agenda editor -----------------------------------------------------------
# Items one per line ("Titel – kurze Beschreibung"), the axes from a preset or typed freely,
# comparisons per axis, where the fields are split, and the four field labels. Each bad field says
# what is wrong right beside it, in plain words; nothing is saved until every field is fine.

OWN = "__own__"
"""The preset select's entry for axes typed freely."""
SEPARATOR = re.compile(r"\s+[–—-]\s+")
"""Title and description are split at the first dash with spaces around it ("Co-Working" stays whole)."""
ENDS = ("label", "low", "high")
LIMITS = {"label": 200, "low": 60, "high": 60}


def parse_line(line: str) -> tuple[str, str]:
    """``"City-Hub – gebündelte Anlieferung"`` → ("City-Hub", "gebündelte Anlieferung")."""
    parts = SEPARATOR.split(line.strip(), maxsplit=1)
    return parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "")


def item_lines(raw: Any) -> str:
    """The config's items as the form shows them, one per line."""
    lines = []
    for item in normalise(raw or [], "i"):
        if isinstance(item, dict):
            title, description = str(item.get("label", "")), str(item.get("description", "") or "")
            lines.append(f"{title} – {description}" if description else title)
    return "\n".join(lines)


def _preset_of(axes: dict[str, Any]) -> str:
    for name, preset in PRESETS.items():
        if all(dict(axes.get(a) or {}) == {**{"low": "gering", "high": "hoch"}, **preset[a]} for a in ("x", "y")):
            return name
    return OWN


def edit_config(raw_config: dict[str, Any], lang: str) -> Callable[[], dict[str, Any]]:
    """The form; returns a getter for the new config that marks bad fields and raises ``ValueError``."""
    raw = dict(raw_config or {})
    given = raw.get("axes")
    axes_raw: dict[str, Any] = given if isinstance(given, dict) else PRESETS[DEFAULT_PRESET]
    axes: dict[str, dict[str, str]] = {a: {"low": "gering", "high": "hoch", **dict(axes_raw.get(a) or {})}
                                       for a in ("x", "y")}
    labels_raw = {**QuadrantLabels().model_dump(), **dict(raw.get("quadrant_labels") or {})}
    split_raw = raw.get("split", "median")
    fields: dict[str, Any] = {}
    with ui.column().classes("w-full gap-2"):
        fields["question"] = ui.input(t("materiality.edit.question", lang), value=raw.get("question", "")) \
            .props("outlined dense").classes("w-full").mark("mat-question")
        fields["items"] = ui.textarea(t("materiality.edit.items", lang), value=item_lines(raw.get("items"))) \
            .props(f'outlined autogrow hint="{t("materiality.edit.items_hint", lang)}"').classes("w-full") \
            .mark("mat-items")
        presets = {**{name: name for name in PRESETS}, OWN: t("materiality.edit.own_axes", lang)}
        preset = ui.select(presets, value=_preset_of(axes), label=t("materiality.edit.preset", lang)) \
            .props("outlined dense").classes("w-full").mark("mat-preset")
        for a in ("x", "y"):
            with ui.row().classes("w-full no-wrap gap-2 items-start"):
                for end in ENDS:
                    fields[f"{a}.{end}"] = ui.input(t(f"materiality.edit.{a}_{end}", lang), value=axes[a][end]) \
                        .props("outlined dense").classes("grow" if end == "label" else "w-40") \
                        .mark(f"mat-{a}-{end}")

        def apply_preset(name: Any) -> None:
            if name in PRESETS:
                for a in ("x", "y"):
                    values = {"low": "gering", "high": "hoch", **PRESETS[name][a]}
                    for end in ENDS:
                        fields[f"{a}.{end}"].set_value(values[end])

        preset.on_value_change(lambda e: apply_preset(e.value))
        with ui.row().classes("w-full gap-3 items-start"):
            fields["comparisons"] = ui.number(t("materiality.edit.comparisons", lang),
                                              value=raw.get("comparisons_per_axis", 12), min=1, max=60, step=1,
                                              precision=0).props("outlined dense").classes("w-64") \
                .mark("mat-comparisons")
            fields["split_mode"] = ui.select(
                {"median": t("materiality.edit.split_median", lang), "fixed": t("materiality.edit.split_fixed", lang)},
                value="median" if split_raw == "median" else "fixed", label=t("materiality.edit.split", lang)) \
                .props("outlined dense").classes("w-96").mark("mat-split")
            fields["split"] = ui.number(t("materiality.edit.split_value", lang),
                                        value=None if split_raw == "median" else split_raw, min=0, max=1, step=0.05) \
                .props("outlined dense").classes("w-48").mark("mat-split-value")
            fields["split"].bind_visibility_from(fields["split_mode"], "value", value="fixed")
        ui.label(t("materiality.edit.quadrants", lang)).classes("text-base font-medium mt-1")
        with ui.grid(columns=2).classes("w-full gap-2"):
            for q in ("top_left", "top_right", "bottom_left", "bottom_right"):
                fields[q] = ui.input(t(f"materiality.edit.{q}", lang), value=labels_raw.get(q, "")) \
                    .props("outlined dense").classes("w-full").mark(f"mat-{q}")

    return checked(fields, lambda problems: _read(raw, fields, lang, problems))


def _read(raw: dict[str, Any], fields: dict[str, Any], lang: str, problems: list[tuple[str, str]]) -> dict[str, Any]:
    """The config the form describes; every bad field is added to ``problems`` with its message."""
    lines = [line for line in (fields["items"].value or "").splitlines() if line.strip()]
    parsed = [parse_line(line) for line in lines]
    if lines and not MIN_ITEMS <= len(lines) <= MAX_ITEMS:  # none: taken from an earlier step
        problems.append(("items", t("materiality.edit.err_items", lang, min=MIN_ITEMS, max=MAX_ITEMS, n=len(lines))))
    titles = [title for title, _ in parsed]
    twice = sorted({title for title in titles if titles.count(title) > 1})
    if twice:
        problems.append(("items", t("materiality.edit.err_twice", lang, title=twice[0])))
    if any(len(title) > 300 or len(description) > 2000 for title, description in parsed):
        problems.append(("items", t("materiality.edit.err_long", lang)))
    items = merge_options(raw.get("items") or [], titles, "i")
    for item, (_title, description) in zip(items, parsed, strict=True):
        item.pop("description", None)
        if description:
            item["description"] = description
    axes: dict[str, dict[str, str]] = {}
    for a in ("x", "y"):
        axes[a] = {}
        for end in ENDS:
            value = (fields[f"{a}.{end}"].value or "").strip()
            if not value:
                problems.append((f"{a}.{end}", t("materiality.edit.err_empty", lang)))
            elif len(value) > LIMITS[end]:
                problems.append((f"{a}.{end}", t("materiality.edit.err_length", lang, max=LIMITS[end])))
            axes[a][end] = value
    comparisons = fields["comparisons"].value
    if comparisons is None or not 1 <= comparisons <= 60 or comparisons != int(comparisons):
        problems.append(("comparisons", t("materiality.edit.err_comparisons", lang)))
        comparisons = 12
    split: str | float = "median"
    if fields["split_mode"].value == "fixed":
        value = fields["split"].value
        if value is None or not 0 <= value <= 1:
            problems.append(("split", t("materiality.edit.err_split", lang)))
        else:
            split = float(value)
    labels: dict[str, str] = {}
    for q in QUADRANTS:
        value = (fields[q].value or "").strip()
        if not value:
            problems.append((q, t("materiality.edit.err_empty", lang)))
        elif len(value) > 80:
            problems.append((q, t("materiality.edit.err_length", lang, max=80)))
        labels[q] = value
    config: dict[str, Any] = {"question": (fields["question"].value or "").strip(), "items": items, "axes": axes,
                              "comparisons_per_axis": int(comparisons), "split": split, "quadrant_labels": labels}
    if len(config["question"]) > 500:
        problems.append(("question", t("materiality.edit.err_length", lang, max=500)))
    return config


EDIT_TEXTS: dict[str, dict[str, str]] = {
    "materiality.edit.question": {"de": "Frage über den Vergleichen (optional)", "en": "Question above the pairs (optional)"},
    "materiality.edit.items": {"de": "Themen (eines pro Zeile)", "en": "Items (one per line)"},
    "materiality.edit.items_hint": {
        "de": "5 bis 60 Themen; eine kurze Beschreibung nach einem Gedankenstrich: „City-Hub – gebündelte Anlieferung“",
        "en": "5 to 60 items; a short description after a dash: “City hub – bundled deliveries”"},
    "materiality.edit.preset": {"de": "Achsen", "en": "Axes"},
    "materiality.edit.own_axes": {"de": "Eigene Achsen", "en": "Own axes"},
    "materiality.edit.x_label": {"de": "Waagerechte Achse", "en": "Horizontal axis"},
    "materiality.edit.x_low": {"de": "links (wenig)", "en": "left (low)"},
    "materiality.edit.x_high": {"de": "rechts (viel)", "en": "right (high)"},
    "materiality.edit.y_label": {"de": "Senkrechte Achse", "en": "Vertical axis"},
    "materiality.edit.y_low": {"de": "unten (wenig)", "en": "bottom (low)"},
    "materiality.edit.y_high": {"de": "oben (viel)", "en": "top (high)"},
    "materiality.edit.comparisons": {"de": "Vergleiche pro Achse und Person", "en": "Comparisons per axis and person"},
    "materiality.edit.split": {"de": "Felder teilen bei", "en": "Split the fields at"},
    "materiality.edit.split_median": {"de": "Median (Hälfte der Themen je Seite)", "en": "Median (half the items each side)"},
    "materiality.edit.split_fixed": {"de": "festem Wert", "en": "a fixed value"},
    "materiality.edit.split_value": {"de": "Wert (0 bis 1)", "en": "Value (0 to 1)"},
    "materiality.edit.quadrants": {"de": "Beschriftung der vier Felder", "en": "Labels of the four fields"},
    "materiality.edit.top_left": {"de": "oben links", "en": "top left"},
    "materiality.edit.top_right": {"de": "oben rechts", "en": "top right"},
    "materiality.edit.bottom_left": {"de": "unten links", "en": "bottom left"},
    "materiality.edit.bottom_right": {"de": "unten rechts", "en": "bottom right"},
    "materiality.edit.err_items": {"de": "Bitte {min} bis {max} Themen angeben (jetzt {n}).",
                                   "en": "Please give {min} to {max} items (now {n})."},
    "materiality.edit.err_twice": {"de": "„{title}“ steht doppelt in der Liste.", "en": "“{title}” is listed twice."},
    "materiality.edit.err_long": {"de": "Ein Titel darf höchstens 300, eine Beschreibung 2000 Zeichen lang sein.",
                                  "en": "A title may have at most 300, a description 2000 characters."},
    "materiality.edit.err_empty": {"de": "Bitte ausfüllen.", "en": "Please fill in."},
    "materiality.edit.err_length": {"de": "Höchstens {max} Zeichen.", "en": "At most {max} characters."},
    "materiality.edit.err_comparisons": {"de": "Eine ganze Zahl von 1 bis 60.", "en": "A whole number from 1 to 60."},
    "materiality.edit.err_split": {"de": "Ein Wert von 0 bis 1, z. B. 0,5.", "en": "A value from 0 to 1, e.g. 0.5."},
}


VIEWS = MethodViews(phone=MaterialityPhone, console=MaterialityConsole, editor=edit_config)

TEXTS: dict[str, dict[str, str]] = {
    **EDIT_TEXTS,  # the settings form's (above)
    "method.materiality": {"de": "Wesentlichkeitsmatrix", "en": "Materiality matrix"},
    # the phone
    "materiality.ask": {"de": "{axis}: Welches der beiden Themen liegt eher bei „{high}“?",
                        "en": "{axis}: which of the two items is closer to “{high}”?"},
    "materiality.equal": {"de": "gleich / kann ich nicht sagen", "en": "equal / can't say"},
    "materiality.progress": {"de": "Vergleich {n} von {total}", "en": "Comparison {n} of {total}"},
    "materiality.done": {"de": "Danke – Ihre Vergleiche sind vollständig.",
                         "en": "Thank you – your comparisons are complete."},
    # the console
    "materiality.enough": {"de": "✓ Genug Vergleiche", "en": "✓ Enough comparisons"},
    "materiality.not_enough": {"de": "Noch nicht genug Vergleiche", "en": "Not enough comparisons yet"},
    "materiality.comparisons": {"de": "{n} Vergleiche von {raters} Personen · {skips} × „gleich“",
                                "en": "{n} comparisons by {raters} people · {skips} × “equal”"},
    "materiality.uncertain": {"de": "noch unsicher", "en": "still uncertain"},
    "materiality.unplaced": {"de": "noch nicht verglichen", "en": "not compared yet"},
    "materiality.moved": {"de": "von der Moderation verschoben", "en": "moved by the facilitator"},
    "materiality.key_prioritised": {"de": "● priorisiert", "en": "● prioritised"},
    "materiality.key_uncertain": {"de": "● noch unsicher", "en": "● still uncertain"},
    "materiality.key_moved": {"de": "↗ verschoben", "en": "↗ moved"},
    "materiality.marked": {"de": "von der Moderation priorisiert", "en": "prioritised by the facilitator"},
    "materiality.unmarked": {"de": "von der Moderation nicht priorisiert", "en": "not prioritised by the facilitator"},
    # the outcome's sentences (methods/materiality.py says which), on console, phone and in the PDF
    "materiality.empty": {"de": "Noch keine Vergleiche.", "en": "No comparisons yet."},
    "materiality.prioritised": {"de": "Priorisiert: {labels}", "en": "Prioritised: {labels}"},
    "materiality.prioritised_many": {"de": "{n} Themen priorisiert", "en": "{n} items prioritised"},
    "materiality.none_prioritised": {"de": "Kein Thema liegt im Feld oben rechts.",
                                     "en": "No item lies in the top-right quadrant."},
    "materiality.note_uncertain": {
        "de": "Noch unsicher: {n} Themen könnten im Nachbarfeld liegen – weitere Vergleiche helfen.",
        "en": "Still uncertain: {n} items could lie in a neighbouring quadrant – more comparisons help.",
    },
    # the moderator's commands (methods/materiality.py COMMANDS): buttons, form fields, refusals
    "materiality.cmd.move": {"de": "Thema verschieben", "en": "Move an item"},
    "materiality.cmd.move.item": {"de": "Thema", "en": "Item"},
    "materiality.cmd.move.x": {"de": "Waagerecht (0 = links, 1 = rechts)", "en": "Across (0 = left, 1 = right)"},
    "materiality.cmd.move.y": {"de": "Senkrecht (0 = unten, 1 = oben)", "en": "Up (0 = bottom, 1 = top)"},
    "materiality.cmd.undo_move": {"de": "Verschieben zurücknehmen", "en": "Undo a move"},
    "materiality.cmd.undo_move.item": {"de": "Thema", "en": "Item"},
    "materiality.cmd.prioritise": {"de": "Priorisierung ändern", "en": "Change prioritisation"},
    "materiality.cmd.prioritise.item": {"de": "Thema", "en": "Item"},
    "materiality.cmd.prioritise.prioritised": {"de": "priorisiert", "en": "prioritised"},
    "err.mat_item_unknown": {"de": "Dieses Thema gibt es in der Matrix nicht: {item}",
                             "en": "There is no such item in the matrix: {item}"},
    "err.mat_move_range": {"de": "Die Position muss zwischen 0 und 1 liegen ({axis}: {value}).",
                           "en": "The position must lie between 0 and 1 ({axis}: {value})."},
    "err.mat_nothing_to_undo": {"de": "„{item}“ wurde nicht verschoben – es gibt nichts zurückzunehmen.",
                                "en": "“{item}” was not moved – there is nothing to undo."},
    # refusals (``err.`` + the key methods/materiality.py raises)
    "err.pair_axis_unknown": {"de": "Diese Achse gibt es nicht: {axis}", "en": "There is no such axis: {axis}"},
    "err.pair_invalid": {"de": "Bitte vergleichen Sie genau zwei Themen.", "en": "Please compare exactly two items."},
    "err.pair_item_unknown": {"de": "Dieses Thema gibt es nicht: {item}", "en": "There is no such item: {item}"},
    "err.pair_not_offered": {
        "de": "Dieser Vergleich („{first}“ / „{second}“) wurde Ihnen nicht angeboten. Bitte beantworten Sie "
              "den Vergleich, den Ihr Telefon zeigt.",
        "en": "This comparison (“{first}” / “{second}”) was not offered to you. Please answer the one your "
              "phone shows.",
    },
    "err.pair_same_item": {"de": "Ein Thema lässt sich nicht mit sich selbst vergleichen.",
                           "en": "An item cannot be compared with itself."},
    "err.pair_choice_invalid": {"de": "Bitte wählen Sie eines der beiden Themen oder „gleich / kann ich nicht sagen“.",
                                "en": "Please choose one of the two items or “equal / can't say”."},
}

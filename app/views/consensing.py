"""Systemic consensing views: resistance buttons per option on the phone, a ranking on the console.

The phone submits every tap at once as a partial payload (one option), so nothing is lost when the
screen sleeps; the highlighted value changes only after the commit returned. The console shows
only how many ratings each option has until the moderator reveals (simultaneous reveal), then the
options ranked by resistance with the passive-solution line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nicegui import ui

from app.i18n import error_text, t
from app.views.base import ConsoleView, MethodViews, PhoneView, SharedByStep, step_key, texts
from app.views.widgets import merge_options
from facilitation import context, lifecycle, live
from facilitation.snapshots import LiveState, StepInfo
from methods.consensing import ABSTAIN, PASSIVE_ID, SCALES, Result, compare_rounds, options
from methods.errors import KofferError
from methods.numbers import percent, signed_percent
from methods.options import Option, normalise

SELECTED = "#2e7d32"
ACCEPTABLE = "#1565c0"
PASSIVE = "#9e9e9e"
NOT_BETTER = "#ef9a9a"
NOT_BETTER_LINE = "#b71c1c"
HIGH_BAR = "#c62828"
LOW_BAR = "#1565c0"


def pct(value: Any, lang: str) -> str:
    """83.3 → '83,3 %' (de) / '83.3%' (en): the formatter shared with the protocol."""
    return percent(value, lang)


def signed(delta: Any, lang: str) -> str:
    return signed_percent(delta, lang)


# --- phone ------------------------------------------------------------------------------------


def _phone_view(step: StepInfo, lang: str) -> dict[str, Any]:
    """What every phone of a language is sent when the step opens, once per delivery (one JSON
    text shared by all phones). Only what differs between steps: the texts (the scale hint, the
    "Enthaltung" tile) came with the page in ``texts``, the tile grid follows from the scale in the
    browser, and an option carries ``passive``/``description`` only when it has one. A step
    change for 500 phones is 500 copies of this on the wire (1292 bytes per phone before)."""
    config = step.config
    view: dict[str, Any] = {
        "question": config.question,
        "title": step.title,
        "step": step.id,  # sent back with every tap: a tap on an old question is refused
        "round": step.round,  # "Runde 2" on the phone: people know they rate again
        "options": [_phone_option(o) for o in options(config)],
        "scale": config.scale_max,  # the tiles 0..scale are numbered in the browser
        "abstain": ABSTAIN,  # the value the "Enthaltung" tile sends
    }
    if step.round > 1:
        view["round_text"] = t("phone.round", lang, round=step.round)
    return view


def _phone_option(option: Option) -> dict[str, Any]:
    shown: dict[str, Any] = {"id": option.id, "label": option.label}
    if option.id == PASSIVE_ID:
        shown["passive"] = True  # tagged "Passivlösung", its description is the label itself
    elif option.description:
        shown["description"] = option.description
    return shown


class ConsensingPhone(PhoneView, component="consensing.js"):
    """Per option a card with the resistance tiles 0..max and "Enthaltung", and a status line;
    the result (when revealed) comes first: nobody should scroll past seven closed cards."""

    VIEW = SharedByStep(_phone_view, step_key)
    EMPTY_MINE = "{}"

    @classmethod
    def phone_texts(cls, lang: str) -> dict[str, str]:
        # placeholders stay for the browser to fill in ({n}, {total}, {value})
        return texts(lang, "cons.passive_tag", "cons.value_none", "cons.value_abstain", "cons.abstain",
                     "cons.scale_hint_hands") | {
            "scale_hint": t("cons.scale_hint", lang, max="{max}"),
            "progress": t("cons.progress", lang, n="{n}", total="{total}"),
            "value": t("cons.value", lang, value="{value}"),
            "cons_saved": t("cons.saved", lang)}

    @classmethod
    def result_rows(cls, state: LiveState, lang: str) -> list[dict[str, Any]] | None:
        result = state.typed if isinstance(state.typed, Result) else None
        if result is None or result.empty:
            return None
        rows = []
        for o in result.options:
            if o.acceptance is None:
                continue
            label = f"{o.rank}. {o.label}"
            if o.passive:
                label += f" ({t('cons.passive_tag', lang)})"
            mark = " ✓" if o.selected else ""
            rows.append({"id": o.id, "label": label, "frac": o.acceptance / 100,
                         "text": pct(o.acceptance, lang) + mark})
        return rows

    def describe(self, step: StepInfo, lang: str) -> str:
        return self.VIEW(step, lang)

    def committed(self, step: StepInfo, mine: dict[str, Any]) -> dict[str, Any]:
        if not mine:  # most phones when a step opens: no option list to build for each of them
            return {}
        known = {o.id for o in options(step.config)}
        return {k: v for k, v in mine.items() if k in known}

    def merged(self, current: Any, payload: dict[str, Any]) -> dict[str, Any]:
        ratings = payload.get("ratings")
        return {**(current or {}), **(ratings if isinstance(ratings, dict) else {})}


# --- console ----------------------------------------------------------------------------------
#
# The ranking is HTML, not a chart: a long proposal title wraps instead of being cut, and every
# size is in rem, so it grows with the beamer (BEAMER_CSS: 1 rem = 24 px at 1920 wide) and stays
# at least 28 px there (1.2 rem), as it scales down on the 1280 px laptop.


def _color(o: dict[str, Any]) -> str:
    if o.get("passive"):
        return PASSIVE
    if o.get("selected"):
        return SELECTED
    if o.get("acceptable"):
        return ACCEPTABLE
    return NOT_BETTER


def _earlier(row: dict[str, Any] | None, lang: str, before_round: int) -> str:
    """'Runde 1: 60 % (+17 %)' for the detail line of an option in a later round."""
    if row is None:
        return ""
    head = t("cons.round_short", lang, round=before_round)
    if row.get("acceptance_before") is None:
        return f"{head}: {t('cons.compare_new', lang)}"
    text = f"{head}: {pct(row['acceptance_before'], lang)}"
    if row.get("delta") is not None:
        text += f" ({signed(row['delta'], lang)})"
    return text


def _counted(n: int, one: str, many: str, lang: str) -> str:
    return t(one, lang) if n == 1 else t(many, lang, n=n)


@dataclass(frozen=True)
class RankRow:
    """One option of the ranking as the console and the projector show it."""

    id: str
    rank: str
    label: str
    passive: bool
    frac: float
    """Acceptance 0..1 (the bar's length); 0 for an unrated option."""
    value: str
    """'✓ 85 %' beside the bar ('' when unrated)."""
    color: str
    not_better: bool
    bits: tuple[tuple[str, str], ...]
    """The detail line's parts as (text, tone): "" plain, "bold", "warn"."""


def ranking(
    result: dict[str, Any], lang: str, compare: dict[str, dict[str, Any]] | None = None, before_round: int = 1
) -> list[RankRow]:
    """Options ranked by resistance (best first), with counts, ties, the verdict against the
    passive solution and, in a later round, the earlier round's acceptance. Written out in full:
    the projector has no room for abbreviations nobody in the back row can decode."""
    out = []
    for o in result.get("options", []):
        rated = o.get("acceptance") is not None
        bits: list[tuple[str, str]] = []
        if o.get("passive"):
            bits.append((t("cons.passive_tag", lang), "bold"))
        if rated:
            bits.append((_counted(int(o.get("raters", 0)), "cons.ratings_one", "cons.ratings_n", lang), ""))
            bits.append((_counted(int(o.get("abstentions", 0)), "cons.abstentions_one", "cons.abstentions_n", lang), ""))
        else:
            bits.append((t("cons.unrated", lang), ""))
        if o.get("tie"):
            bits.append(("= " + t("cons.tie", lang), "bold"))
        elif o.get("tie_break"):
            bits.append((t(f"cons.tie_break.{o['tie_break']}", lang), ""))
        if rated and not o.get("passive") and not o.get("acceptable"):
            bits.append(("✗ " + t("cons.not_better", lang), "warn"))
        if rated and o.get("low_quorum"):
            bits.append((t("cons.low_quorum", lang), "warn"))
        earlier = _earlier(compare.get(o["id"]), lang, before_round) if compare is not None else ""
        if earlier:
            bits.append((earlier, "bold"))
        value = ("✓ " if o.get("selected") else "") + pct(o["acceptance"], lang) if rated else ""
        out.append(RankRow(
            id=str(o["id"]), rank=f"{o['rank']}." if o.get("rank") else "–", label=str(o.get("label", "")),
            passive=bool(o.get("passive")), frac=float(o["acceptance"]) / 100 if rated else 0.0, value=value,
            color=_color(o), not_better=_color(o) == NOT_BETTER, bits=tuple(bits),
        ))
    return out


def passive_line(result: dict[str, Any], lang: str) -> tuple[float, str] | None:
    """Where the passive solution's acceptance lies (0..1) and its caption, if it was rated."""
    passive = next((o for o in result.get("options", []) if o.get("passive")), None)
    if passive is None or passive.get("acceptance") is None:
        return None
    x = float(passive["acceptance"])
    return x / 100, f"{t('cons.passive_tag', lang)} {pct(x, lang)}"


def histogram(row: dict[str, Any], scale: int, threshold: int) -> dict[str, Any]:
    counts = list(row.get("histogram") or [0] * (scale + 1))
    xs = list(range(len(counts)))
    return {
        "data": [
            {
                "type": "bar",
                "x": xs,
                "y": counts,
                "text": [str(c) if c else "" for c in counts],
                "textposition": "outside",
                "cliponaxis": False,
                "textfont": {"size": 32},
                "marker": {"color": [HIGH_BAR if x >= threshold else LOW_BAR for x in xs]},
                "hoverinfo": "none",
            }
        ],
        "layout": {
            "margin": {"l": 20, "r": 20, "t": 44, "b": 56},
            "font": {"size": 30},
            "xaxis": {"tickvals": xs, "tickfont": {"size": 30}, "fixedrange": True},
            "yaxis": {
                "visible": False,
                "rangemode": "tozero",
                "range": [0, max([*counts, 1]) * 1.25],
                "fixedrange": True,
            },
            "plot_bgcolor": "white",
            "paper_bgcolor": "white",
            "showlegend": False,
        },
        "config": {"staticPlot": True, "displayModeBar": False},
    }


EMPTY_FIGURE: dict[str, Any] = {"data": [], "layout": {}, "config": {"staticPlot": True}}
VALUE_ROOM = "7.5rem"
"""Room right of the bar track for '✓ 100 %'."""
TONES = {"": "", "bold": "font-weight: 700", "warn": f"color: {NOT_BETTER_LINE}; font-weight: 600"}


def _bar_style(row: RankRow) -> str:
    fill = row.color
    if row.not_better:  # hatched with a red edge: not better than doing nothing
        fill = (f"repeating-linear-gradient(135deg, {NOT_BETTER} 0 0.5rem, {NOT_BETTER_LINE}55 0.5rem 0.65rem);"
                f" border: 2px solid {NOT_BETTER_LINE}")
    return f"position: absolute; left: 0; top: 8%; bottom: 8%; width: {row.frac * 100:.2f}%; background: {fill}"


def _caption_style(x: float) -> str:
    """The passive line's caption stays inside the track at either end."""
    shift = "0" if x < 0.2 else "-100%" if x > 0.8 else "-50%"
    return (f"position: absolute; left: {x * 100:.2f}%; bottom: 0.2rem; transform: translateX({shift});"
            " font-size: 1.25rem; font-weight: 700; color: #212121; white-space: nowrap; padding: 0 0.25rem")


class ConsensingConsole(ConsoleView):
    """Before the reveal, how many ratings each option has (simultaneous reveal); after it, the
    ranking with the passive-solution line and the round comparison. The distribution of one
    option, opened by the moderator, is live state (``lifecycle.show_detail``): the projector
    shows it as well, and "Zurück zur Rangfolge" takes both back to the ranking."""

    def build(self) -> None:
        step, lang = self.step, self.lang
        config = step.config
        self.options = options(config)
        self.scale: int = config.scale_max
        self.threshold: int = config.threshold
        self._last: Any = None
        self._result: dict[str, Any] = {}
        self._detail: str | None = None
        self._before: dict[str, Any] | None = None
        self._before_round = 0
        self._before_loaded = step.round <= 1
        self.details: ui.button | None = None
        if self.controls:  # the projector shows no control (it could not be used there)
            with self.header:
                ui.space()
                with ui.button(icon="bar_chart").props("outline round") as self.details:
                    ui.tooltip(t("cons.details", lang))
                    with ui.menu():
                        ui.menu_item(t("cons.details", lang)).props("disable").classes("text-gray-600")
                        for option in self.options:
                            ui.menu_item(
                                option.label, on_click=lambda _e, o=option.id: self._show_detail(o)
                            ).classes("whitespace-normal").style("max-width: 40rem").mark(f"detail-{option.id}")
                self.details.mark("details")
        # before the reveal: only how many ratings each option has (simultaneous reveal)
        self.counts_box = (
            ui.element("div")
            .classes("w-full grid gap-x-10 gap-y-1")
            .style("grid-template-columns: repeat(2, minmax(0, 1fr))")
            .mark("counts")
        )
        self.count_labels: dict[str, ui.label] = {}
        with self.counts_box:
            for option in self.options:
                with ui.row().classes("items-baseline no-wrap gap-4 min-w-0 border-b border-gray-200"):
                    name = ui.label(option.label).classes("text-xl break-words grow min-w-0 leading-snug")
                    if option.id == PASSIVE_ID:
                        name.classes("italic text-gray-700")
                    self.count_labels[option.id] = (
                        ui.label("")
                        .classes("text-xl font-semibold whitespace-nowrap")
                        .mark(f"count-{option.id}")
                    )
        # after the reveal: the ranking
        self.ranking = ui.element("div").classes("w-full").mark("ranking")
        with ui.dialog().mark("detail") as self.dialog, ui.card().classes("gap-3").style("width: 60rem; max-width: 95vw"):
            self.dialog_title = (
                ui.label("").classes("text-3xl font-semibold leading-tight break-words").mark("detail-title")
            )
            self.dialog_sub = ui.label(t("cons.histogram_title", lang)).classes("text-xl text-gray-700")
            self.dialog_high = ui.label("").classes("text-2xl font-semibold").mark("detail-high")
            self.dialog_hidden = (
                ui.label(t("cons.histogram_hidden", lang))
                .classes("text-2xl text-gray-700 italic")
                .mark("detail-hidden")
            )
            self.dialog_plot = ui.plotly(EMPTY_FIGURE).classes("w-full").style("height: 22rem").mark("histogram")
            if self.controls:
                ui.button(t("cons.back_to_ranking", lang), icon="arrow_back",
                          on_click=lambda: self._show_detail(None)).props("flat").mark("detail-close")
        if self.controls:  # Esc or a click beside the dialog: back to the ranking, on the projector too
            self.dialog.on_value_change(lambda e: None if e.value or self._detail is None else self._show_detail(None))
        else:
            self.dialog.props("persistent")

    def count_text(self, state: LiveState) -> str:
        return t("cons.raters", self.lang, n=state.contributors, total=state.participants)

    # --- detail: one option's distribution, on console and projector -----------------------------
    def _show_detail(self, option_id: str | None) -> None:
        """The moderator's click: stored as live state, so every screen of the session follows."""
        try:
            lifecycle.show_detail(context.current(), self.step.id, option_id)
        except KofferError as exc:
            ui.notify(error_text(exc, self.lang), type="warning", position="top", multi_line=True)

    def _follow_detail(self, detail: str | None) -> None:
        if detail is not None and not any(o.get("id") == detail for o in self._result.get("options", [])):
            detail = None  # an option of another round or config: nothing to show
        if detail == self._detail:
            if detail is not None:
                self._fill_detail()  # a late rating changes the distribution
            return
        self._detail = detail
        if detail is None:
            self.dialog.close()
            return
        self._fill_detail()
        self.dialog.open()

    def _fill_detail(self) -> None:
        row = next((o for o in self._result.get("options", []) if o.get("id") == self._detail), None)
        if row is None:
            return
        self.dialog_title.set_text(str(row.get("label", "")))
        hidden = bool(row.get("histogram_hidden"))
        for element in (self.dialog_high, self.dialog_plot, self.dialog_sub):
            element.set_visibility(not hidden)
        self.dialog_hidden.set_visibility(hidden)
        if hidden:  # fewer than 3 raters: not even the count of high values goes to the projector
            self.dialog_plot.update_figure(EMPTY_FIGURE)
            return
        threshold = int(self._result.get("high_threshold", self.threshold))
        self.dialog_high.set_text(
            t(
                "cons.high_count",
                self.lang,
                n=row.get("high", 0),
                threshold=threshold,
                raters=row.get("raters", 0),
            )
        )
        self.dialog_plot.update_figure(histogram(row, self.scale, threshold))

    # --- second round -----------------------------------------------------------------------
    def _load_before(self, state: LiveState) -> None:
        """The previous round's result, read once per view (the live state carries only this round).

        The host constructs a view with the step only, so this runs on the first ``update``.
        """
        self._before_loaded = True
        try:
            steps = live.step_results(context.current(), state.session.id)
        except KofferError:  # the comparison is a help; the ranking must show regardless
            return
        current = next((s for s in steps if s["id"] == self.step.id), None)
        earlier = [
            r for r in (current or {}).get("rounds", []) if r["round"] < self.step.round and r.get("result")
        ]
        if earlier:
            last = max(earlier, key=lambda r: r["round"])
            self._before, self._before_round = last["result"], last["round"]

    # --- the ranking ------------------------------------------------------------------------
    def _draw(self, result: dict[str, Any], compare: dict[str, dict[str, Any]] | None) -> None:
        """Per option one row: rank and title on the left (wrapping), on the right the bar with
        its acceptance and below it the counts, ties, verdict and the earlier round."""
        self.ranking.clear()
        line = passive_line(result, self.lang)
        grid = ("display: grid; grid-template-columns: minmax(0, 5fr) minmax(0, 6fr); column-gap: 1.5rem;"
                " align-items: center")
        track = f"position: relative; margin-right: {VALUE_ROOM}; height: 1.4rem"
        dash = "position: absolute; top: -0.15rem; bottom: -0.15rem; border-left: 3px dashed #212121"
        with self.ranking:
            if line is not None or compare is not None:  # the headings above the bars
                with ui.element("div").style(grid):
                    heading = t("cons.compare_title", self.lang, before=self._before_round, after=self.step.round)
                    ui.label(heading if compare is not None else "") \
                        .classes("text-xl font-semibold text-gray-800").mark("compare-title")
                    with ui.element("div").style(f"{track}; height: 1.6rem"):
                        if line is not None:
                            ui.label(line[1]).style(_caption_style(line[0])).mark("passive-line")
            for row in ranking(result, self.lang, compare, self._before_round):
                with ui.element("div").style(f"{grid}; padding: 0.1rem 0; border-top: 1px solid #eeeeee") \
                        .mark(f"rank-{row.id}") as box:
                    with ui.element("div").style("font-size: 1.25rem; line-height: 1.1; font-weight: 600;"
                                                 " overflow-wrap: anywhere; min-width: 0"):
                        ui.label(row.rank).classes("inline font-bold").style("margin-right: 0.4rem")
                        name = ui.label(row.label).classes("inline").mark("rank-name")
                        if row.passive:
                            name.classes("italic")
                    with ui.element("div").classes("min-w-0"):
                        with ui.element("div").style(track):
                            ui.element("div").style(_bar_style(row))
                            if row.value:
                                ui.label(row.value).style(
                                    f"position: absolute; left: {row.frac * 100:.2f}%; top: 50%;"
                                    " transform: translateY(-50%); padding-left: 0.5rem; font-size: 1.4rem;"
                                    " line-height: 1; font-weight: 700; color: #212121; white-space: nowrap"
                                ).mark("rank-value")
                            if line is not None:
                                ui.element("div").style(f"{dash}; left: {line[0] * 100:.2f}%")
                        with ui.element("div").style("font-size: 1.2rem; line-height: 1.15; color: #424242;"
                                                     " display: flex; flex-wrap: wrap; column-gap: 0.5rem"):
                            for i, (text, tone) in enumerate(row.bits):
                                if i:
                                    ui.label("·")
                                ui.label(text).style(TONES[tone]).mark("rank-detail")
                if self.controls:  # a click on an option shows its distribution (console only)
                    box.classes("cursor-pointer hover:bg-gray-50").on("click", lambda _e, o=row.id: self._show_detail(o))

    # --- live -------------------------------------------------------------------------------
    def show(self, state: LiveState, visible: bool) -> None:
        result = state.result or {}
        if not self._before_loaded:
            self._load_before(state)
        self.counts_box.set_visibility(not visible)
        if not visible:
            for oid, label in self.count_labels.items():
                n = state.per_key.get(oid, 0)
                label.set_text(
                    t("cons.ratings_one", self.lang) if n == 1 else t("cons.ratings_n", self.lang, n=n)
                )
        self.ranking.set_visibility(visible)
        if self.details is not None:
            self.details.set_visibility(visible)
        if not visible:
            if self._last is not None:  # hidden again: take the numbers off the page
                self.ranking.clear()
                self._last, self._result = None, {}
            self._follow_detail(None)
            return
        if result != self._last:
            compare = None
            if self._before is not None:
                compare = {r["id"]: r for r in compare_rounds(self._before, result)}
            self._draw(result, compare)
            self._last, self._result = result, result
        self._follow_detail(state.step.shown_detail if state.step is not None else None)


# --- editor -----------------------------------------------------------------------------------


def _int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(str(value)) from None
    if not number.is_integer():
        raise ValueError(str(value))
    return int(number)


def merge_proposals(raw: Any, lines: list[str]) -> list[dict[str, str]]:
    """Proposals from one-per-line text; unchanged labels keep their id and description."""
    return merge_options(raw, lines, "p")


def edit_config(raw_config: dict[str, Any], lang: str) -> Callable[[], dict[str, Any]]:
    """A friendly form for a consensing step; returns a getter for the config dict."""
    raw = dict(raw_config or {})
    proposals = normalise(raw.get("proposals") or [], "p")
    labels = [str(p.get("label", "")) for p in proposals if isinstance(p, dict)]
    scale = raw.get("scale_max", 10) if raw.get("scale_max", 10) in SCALES else 10
    with ui.column().classes("w-full gap-2"):
        question = (
            ui.input(t("cons.edit.question", lang), value=raw.get("question", ""))
            .props("outlined dense")
            .classes("w-full")
            .mark("cons-question")
        )
        area = (
            ui.textarea(t("cons.edit.proposals", lang), value="\n".join(labels))
            .props("outlined autogrow")
            .classes("w-full")
            .mark("cons-proposals")
        )
        passive = (
            ui.input(
                t("cons.edit.passive", lang),
                value=raw.get("passive_solution") or t("cons.edit.passive_default", lang),
            )
            .props("outlined dense")
            .classes("w-full")
            .mark("cons-passive")
        )
        with ui.row().classes("w-full gap-3 items-start"):
            scale_select = (
                ui.select(
                    {10: t("cons.edit.scale10", lang), 2: t("cons.edit.scale2", lang)},
                    value=scale,
                    label=t("cons.edit.scale", lang),
                )
                .props("outlined dense")
                .classes("w-56")
                .mark("cons-scale")
            )
            select = (
                ui.number(t("cons.edit.select", lang), value=raw.get("select", 1), min=1, step=1, precision=0)
                .props("outlined dense")
                .classes("w-64")
                .mark("cons-select")
            )
            high = (
                ui.number(
                    t("cons.edit.high", lang), value=raw.get("high_threshold"), min=1, step=1, precision=0
                )
                .props("outlined dense clearable")
                .classes("w-80")
                .mark("cons-high")
            )

    def get() -> dict[str, Any]:
        lines = [line.strip() for line in (area.value or "").splitlines() if line.strip()]
        if not lines:
            raise ValueError(t("cons.edit.err_proposals", lang))
        passive_text = (passive.value or "").strip()
        if not passive_text:
            raise ValueError(t("cons.edit.err_passive", lang))
        scale_max = int(scale_select.value or 10)
        try:
            k = _int(select.value)
        except ValueError:
            k = 0
        if k is None:
            k = 1
        if not 1 <= k <= len(lines):
            raise ValueError(t("cons.edit.err_select", lang, n=len(lines)))
        try:
            threshold = _int(high.value)
        except ValueError:
            threshold = 0
        if threshold is not None and not 1 <= threshold <= scale_max:
            raise ValueError(t("cons.edit.err_high", lang, max=scale_max))
        config: dict[str, Any] = {
            "question": (question.value or "").strip(),
            "proposals": merge_proposals(raw.get("proposals") or [], lines),
            "passive_solution": passive_text,
            "scale_max": scale_max,
            "select": k,
        }
        if threshold is not None:
            config["high_threshold"] = threshold
        return config

    return get


VIEWS = MethodViews(phone=ConsensingPhone, console=ConsensingConsole, editor=edit_config)

TEXTS: dict[str, dict[str, str]] = {
    'method.consensing': {"de": 'Systemisches Konsensieren', "en": 'Systemic consensing'},
    'cons.scale_hint': {
        "de": '0 = kein Widerstand · {max} = größter Widerstand',
        "en": '0 = no resistance · {max} = maximum resistance',
    },
    'cons.scale_hint_hands': {
        "de": '0 = keine Hand · 1 = eine Hand · 2 = beide Hände (größter Widerstand)',
        "en": '0 = no hand · 1 = one hand · 2 = both hands (maximum resistance)',
    },
    'cons.progress': {"de": '{n} von {total} bewertet', "en": '{n} of {total} rated'},
    'cons.value': {"de": 'Widerstand: {value}', "en": 'Resistance: {value}'},
    'cons.value_none': {"de": 'Widerstand: –', "en": 'Resistance: –'},
    'cons.value_abstain': {"de": 'Enthaltung', "en": 'Abstained'},
    'cons.abstain': {"de": 'Enthaltung', "en": 'Abstain'},
    'cons.saved': {"de": 'gespeichert ✓', "en": 'saved ✓'},
    'cons.passive_tag': {"de": 'Passivlösung', "en": 'Passive solution'},
    'cons.raters': {"de": '{n} von {total} haben bewertet', "en": '{n} of {total} have rated'},
    'cons.ratings_n': {"de": '{n} Bewertungen', "en": '{n} ratings'},
    'cons.ratings_one': {"de": '1 Bewertung', "en": '1 rating'},
    'cons.round_short': {"de": 'Runde {round}', "en": 'Round {round}'},
    'cons.tie': {"de": 'Gleichstand', "en": 'Tie'},
    'cons.tie_break.max': {
        "de": 'gleicher Mittelwert, entschieden nach Höchstwert',
        "en": 'same mean, decided by highest single rating',
    },
    'cons.tie_break.high': {
        "de": 'gleicher Mittelwert, entschieden nach hohen Widerständen',
        "en": 'same mean, decided by number of high ratings',
    },
    'cons.not_better': {"de": 'nicht besser als Passivlösung', "en": 'not better than passive solution'},
    'cons.low_quorum': {"de": '⚠ wenige Bewertungen', "en": '⚠ few ratings'},
    'cons.abstentions_n': {"de": '{n} Enthaltungen', "en": '{n} abstentions'},
    'cons.abstentions_one': {"de": '1 Enthaltung', "en": '1 abstention'},
    'cons.unrated': {"de": 'keine Bewertung', "en": 'not rated'},
    'cons.details': {
        "de": 'Verteilung der Widerstände je Option',
        "en": 'Distribution of resistance per option',
    },
    'cons.histogram_title': {"de": 'Verteilung der Widerstände', "en": 'Distribution of resistance'},
    'cons.high_count': {
        "de": '{n} hohe Widerstände (≥ {threshold}) von {raters} Bewertungen',
        "en": '{n} high resistances (≥ {threshold}) of {raters} ratings',
    },
    'cons.histogram_hidden': {
        "de": 'Weniger als 3 Bewertungen – die Verteilung bleibt zum Schutz der Anonymität verdeckt.',
        "en": 'Fewer than 3 ratings – the distribution stays hidden to protect anonymity.',
    },
    'cons.back_to_ranking': {"de": 'Zurück zur Rangfolge', "en": 'Back to the ranking'},
    'cons.compare_title': {
        "de": 'Akzeptanz Runde {before} → Runde {after}',
        "en": 'Acceptance round {before} → round {after}',
    },
    'cons.compare_new': {"de": 'neu', "en": 'new'},
    'cons.edit.question': {"de": 'Frage', "en": 'Question'},
    'cons.edit.proposals': {"de": 'Vorschläge (einer pro Zeile)', "en": 'Proposals (one per line)'},
    'cons.edit.passive': {
        "de": 'Passivlösung (was passiert, wenn wir nichts entscheiden)',
        "en": 'Passive solution (what happens if we decide nothing)',
    },
    'cons.edit.passive_default': {"de": 'Alles bleibt, wie es ist', "en": 'Everything stays as it is'},
    'cons.edit.scale': {"de": 'Skala', "en": 'Scale'},
    'cons.edit.scale10': {"de": '0–10 (Widerstandsstufen)', "en": '0–10 (resistance levels)'},
    'cons.edit.scale2': {"de": '0–2 Handabwehr', "en": '0–2 quick hand resistance'},
    'cons.edit.select': {"de": 'Anzahl auszuwählender Vorschläge', "en": 'Number of proposals to select'},
    'cons.edit.high': {
        "de": 'Hoher Widerstand ab (leer = Standard)',
        "en": 'High resistance from (empty = default)',
    },
    'cons.edit.err_proposals': {
        "de": 'Bitte tragen Sie mindestens einen Vorschlag ein.',
        "en": 'Please enter at least one proposal.',
    },
    'cons.edit.err_passive': {
        "de": 'Bitte geben Sie eine Passivlösung an.',
        "en": 'Please enter a passive solution.',
    },
    'cons.edit.err_select': {
        "de": 'Die Anzahl auszuwählender Vorschläge muss eine ganze Zahl zwischen 1 und {n} sein.',
        "en": 'The number of proposals to select must be a whole number between 1 and {n}.',
    },
    'cons.edit.err_high': {
        "de": '„Hoher Widerstand ab“ muss eine ganze Zahl zwischen 1 und {max} sein.',
        "en": '“High resistance from” must be a whole number between 1 and {max}.',
    },
    # the outcome's sentences (methods/consensing.py says which), on console, phone and in the PDF
    "consensing.empty": {"de": "Noch keine Bewertungen.", "en": "No ratings yet."},
    "consensing.passive_best": {"de": "Kein Vorschlag ist besser als die Passivlösung.",
                                "en": "No proposal is better than the passive solution."},
    "consensing.selected": {"de": "Ausgewählt: {labels}", "en": "Selected: {labels}"},
    "consensing.selected_many": {"de": "{n} Vorschläge ausgewählt ✓", "en": "{n} proposals selected ✓"},
    "consensing.issue_selection_tie": {"de": "Gleichstand an der Auswahlgrenze – bitte in der Gruppe klären.",
                                       "en": "Tie at the selection limit – please settle it in the group."},
    "consensing.issue_passive_best": {"de": "Nächster Schritt: neue oder geänderte Vorschläge erarbeiten.",
                                      "en": "Next: work out new or changed proposals."},
    "err.ratings_missing": {"de": "Bitte bewerten Sie mindestens eine Option.", "en": "Please rate at least one option."},
    "err.rating_out_of_scale": {"de": "Der Widerstand für {option} muss zwischen 0 und {max} liegen.",
                                "en": "The resistance for {option} must be between 0 and {max}."},
    "err.rating_not_integer": {"de": "Der Widerstand für {option} muss eine ganze Zahl sein.",
                               "en": "The resistance for {option} must be a whole number."},
}

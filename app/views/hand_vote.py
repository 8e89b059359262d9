"""Hand vote views: big buttons on the phone, a hidden count then a bar chart on the console."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from app.i18n import t
from app.views.base import ConsoleView, PhoneView, SharedByStep, step_key, texts
from app.views.widgets import merge_options, plot_text
from facilitation.snapshots import LiveState, StepInfo, StepState
from methods.hand_vote import DEFAULT_OPTIONS, VOTE_KEY, chosen_options

COLORS = {"yes": "#2e7d32", "no": "#c62828", "abstain": "#757575"}


def _phone_view(step: StepInfo, lang: str) -> dict[str, Any]:
    config = step.config
    return {
        "question": config.question,
        "options": [{"id": o.id, "label": o.label} for o in config.options],
        "multiple": bool(config.multiple),
        "title": step.title,
        "step": step.id,  # sent back with every tap: a tap on an old question is refused
        "round": step.round,  # "Runde 2" on the phone: people know they rate again
        "round_text": t("phone.round", lang, round=step.round) if step.round > 1 else "",
        "texts": texts(lang, "phone.send"),
    }


def _phone_result(state: LiveState, lang: str) -> dict[str, Any] | None:
    result = state.result or {}
    if not result.get("options"):
        return None
    return {
        "decision": "",
        "rows": [{"id": o["id"], "label": o["label"], "frac": o["percent"] / 100,
                  "text": f"{o['count']} ({o['percent']:.0f} %)"} for o in result["options"]],
    }


class HandVotePhone(PhoneView, component="hand_vote.js"):
    """Big buttons, one per option (multiple choice: pick, then "Abschicken")."""

    VIEW = SharedByStep(_phone_view, step_key)
    RESULT = SharedByStep(_phone_result)

    def describe(self, step: StepInfo, lang: str) -> str:
        return self.VIEW(step, lang)

    def committed(self, step: StepInfo, mine: dict[str, Any]) -> list[str]:
        return chosen_options(mine.get(VOTE_KEY))

    def merged(self, current: Any, payload: dict[str, Any]) -> list[str]:
        return chosen_options(payload)

    def outcome(self, state: LiveState, lang: str) -> str:
        return self.RESULT(state, lang)


def figure(result: dict[str, Any]) -> dict[str, Any]:
    options = result["options"]
    return {
        "data": [{
            "type": "bar",
            "x": [plot_text(o["label"]) for o in options],
            "y": [o["count"] for o in options],
            "text": [f"{o['count']}  ({o['percent']:.0f} %)" for o in options],
            "textposition": "outside",
            "textfont": {"size": 28},
            "marker": {"color": [COLORS.get(o["id"], "#1565c0") for o in options]},
            "hoverinfo": "none",
        }],
        "layout": {
            "margin": {"l": 20, "r": 20, "t": 40, "b": 50},
            "font": {"size": 24},
            "yaxis": {"rangemode": "tozero", "showgrid": False, "visible": False,
                      "range": [0, max([o["count"] for o in options] + [1]) * 1.25]},
            "xaxis": {"tickfont": {"size": 26}},
            "plot_bgcolor": "white", "paper_bgcolor": "white",
            "showlegend": False,
        },
        "config": {"staticPlot": True, "displayModeBar": False},
    }


class HandVoteConsole(ConsoleView):
    def __init__(self, step: StepInfo, lang: str) -> None:
        super().__init__(step, lang)
        if step.config.question:
            ui.label(step.config.question).classes("text-3xl font-semibold leading-tight").mark("question")
        with ui.row().classes("items-baseline gap-6"):
            self.count = ui.label("").classes("text-3xl text-gray-800").mark("count")
            self.hidden = ui.label(t("console.hidden", lang)).classes("text-2xl text-gray-500 italic")
            self.decision = ui.label("").classes("text-3xl font-bold").mark("decision")
        self.plot = ui.plotly({"data": [], "layout": {}}).classes("w-full").style("height: calc(100vh - 28rem); min-height: 12rem").mark("chart")
        self._last: Any = None

    def update(self, state: LiveState) -> None:
        step = state.step
        result = state.result or {}
        voters = int(result.get("voters", 0))
        self.count.set_text(t("console.voted", self.lang, n=voters, total=state.participants))
        visible = bool(step and step.results_visible and result)
        self.hidden.set_visibility(not visible and step is not None and step.state != StepState.DRAFT)
        self.plot.set_visibility(visible)
        self.decision.set_visibility(visible)
        if visible:
            if result != self._last:
                self.plot.update_figure(figure(result))
                self._last = result
            self.decision.set_text(decision_text(result, self.lang))


def decision_text(result: dict[str, Any], lang: str) -> str:
    if result.get("accepted") is True:
        return t("console.accepted", lang)
    if result.get("accepted") is False:
        return t("console.rejected", lang)
    if result.get("tie"):
        return t("console.winner_tie", lang)
    leaders = [o["label"] for o in result.get("options", []) if o["id"] in result.get("leaders", [])]
    return " · ".join(leaders)


PHONE = HandVotePhone
CONSOLE = HandVoteConsole


def edit_config(raw_config: dict[str, Any], lang: str) -> Any:
    """A form for a hand vote (question, options one per line, multiple choice); returns a getter."""
    raw = dict(raw_config or {})
    current = raw.get("options") or [o.model_dump() for o in DEFAULT_OPTIONS]
    labels = [str(o.get("label", "")) if isinstance(o, dict) else str(o) for o in current]
    with ui.column().classes("w-full gap-2"):
        question = ui.input(t("vote.edit.question", lang), value=raw.get("question", "")) \
            .props("outlined dense").classes("w-full").mark("vote-question")
        area = ui.textarea(t("vote.edit.options", lang), value="\n".join(labels)) \
            .props("outlined autogrow").classes("w-full").mark("vote-options")
        with ui.row().classes("items-center gap-4"):
            multiple = ui.checkbox(t("vote.edit.multiple", lang), value=bool(raw.get("multiple"))).mark("vote-multiple")
            limit = ui.number(t("vote.edit.max_choices", lang), value=raw.get("max_choices"), min=1, step=1,
                              precision=0).props("outlined dense clearable").classes("w-56").mark("vote-max")

    def get() -> dict[str, Any]:
        lines = [line.strip() for line in (area.value or "").splitlines() if line.strip()]
        if len(lines) < 2:
            raise ValueError(t("vote.edit.err_options", lang))
        config: dict[str, Any] = {"question": (question.value or "").strip(),
                                  "options": merge_options(current, lines, "o")}
        if multiple.value:
            config["multiple"] = True
            if limit.value:
                config["max_choices"] = int(limit.value)
        return config

    return get


EDITOR = edit_config

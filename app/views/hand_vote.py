"""Hand vote views: big buttons on the phone, a hidden count then a bar chart on the console."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from app.i18n import t
from app.views.base import ConsoleView, MethodViews, PhoneView, SharedByStep, step_key
from app.views.widgets import merge_options, plot_text
from facilitation.snapshots import LiveState, StepInfo
from methods.hand_vote import DEFAULT_OPTIONS, VOTE_KEY, Result, chosen_options, standard_option
from methods.numbers import percent

COLORS = {"yes": "#2e7d32", "no": "#c62828", "abstain": "#757575"}


def label(option_id: str, text: str, lang: str) -> str:
    """An option's label for this reader: Ja/Nein/Enthaltung in the reader's language."""
    return t(f"hand_vote.option.{option_id}", lang) if standard_option(option_id, text) else text


def _phone_view(step: StepInfo, lang: str) -> dict[str, Any]:
    config = step.config
    return {
        "question": config.question,
        "options": [{"id": o.id, "label": label(o.id, o.label, lang)} for o in config.options],
        "multiple": bool(config.multiple),
        "title": step.title,
        "step": step.id,  # sent back with every tap: a tap on an old question is refused
        "round": step.round,  # "Runde 2" on the phone: people know they rate again
        "round_text": t("phone.round", lang, round=step.round) if step.round > 1 else "",
    }


def _typed(state: LiveState) -> Result | None:
    return state.typed if isinstance(state.typed, Result) else None


class HandVotePhone(PhoneView, component="hand_vote.js"):
    """Big buttons, one per option (multiple choice: pick, then "Abschicken")."""

    VIEW = SharedByStep(_phone_view, step_key)
    EMPTY_MINE = "[]"
    TEXT_KEYS = ("phone.send",)

    @classmethod
    def result_rows(cls, state: LiveState, lang: str) -> list[dict[str, Any]] | None:
        result = _typed(state)
        if result is None or not result.options:
            return None
        return [{"id": o.id, "label": label(o.id, o.label, lang), "frac": o.percent / 100,
                 "text": f"{o.count} ({percent(round(o.percent), lang)})"} for o in result.options]

    def describe(self, step: StepInfo, lang: str) -> str:
        return self.VIEW(step, lang)

    def committed(self, step: StepInfo, mine: dict[str, Any]) -> list[str]:
        return chosen_options(mine.get(VOTE_KEY))

    def merged(self, current: Any, payload: dict[str, Any]) -> list[str]:
        return chosen_options(payload)


def figure(result: Result, lang: str) -> dict[str, Any]:
    options = result.options
    return {
        "data": [{
            "type": "bar",
            "x": [plot_text(label(o.id, o.label, lang)) for o in options],
            "y": [o.count for o in options],
            "text": [f"{o.count}  ({percent(round(o.percent), lang)})" for o in options],
            "textposition": "outside",
            "textfont": {"size": 32},
            "marker": {"color": [COLORS.get(o.id, "#1565c0") for o in options]},
            "hoverinfo": "none",
        }],
        "layout": {
            "margin": {"l": 20, "r": 20, "t": 40, "b": 50},
            "font": {"size": 28},
            "yaxis": {"rangemode": "tozero", "showgrid": False, "visible": False,
                      "range": [0, max([o.count for o in options] + [1]) * 1.25]},
            "xaxis": {"tickfont": {"size": 30}},
            "plot_bgcolor": "white", "paper_bgcolor": "white",
            "showlegend": False,
        },
        "config": {"staticPlot": True, "displayModeBar": False},
    }


class HandVoteConsole(ConsoleView):
    """The shared header (question, count, hidden, decision) and a bar chart of the votes."""

    def build(self) -> None:
        self.plot = ui.plotly({"data": [], "layout": {}}).classes("w-full") \
            .style("height: calc(100vh - 28rem); min-height: 12rem").mark("chart")
        self._last: Result | None = None

    def show(self, state: LiveState, visible: bool) -> None:
        self.plot.set_visibility(visible)
        result = _typed(state)
        if visible and result is not None and result != self._last:
            self.plot.update_figure(figure(result, self.lang))
            self._last = result


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


VIEWS = MethodViews(phone=HandVotePhone, console=HandVoteConsole, editor=edit_config)

TEXTS: dict[str, dict[str, str]] = {
    'vote.edit.question': {"de": 'Frage', "en": 'Question'},
    'vote.edit.options': {"de": 'Optionen (eine pro Zeile)', "en": 'Options (one per line)'},
    'vote.edit.multiple': {"de": 'Mehrfachauswahl', "en": 'Multiple choice'},
    'vote.edit.max_choices': {"de": 'Höchstens … Optionen', "en": 'At most … options'},
    'vote.edit.err_options': {
        "de": 'Bitte mindestens zwei Optionen angeben.',
        "en": 'Please give at least two options.',
    },
    'method.hand_vote': {"de": 'Handzeichen', "en": 'Hand vote'},
    "hand_vote.option.yes": {"de": "Ja", "en": "Yes"},
    "hand_vote.option.no": {"de": "Nein", "en": "No"},
    "hand_vote.option.abstain": {"de": "Enthaltung", "en": "Abstain"},
    # the outcome's sentences (methods/hand_vote.py says which), on console, phone and in the PDF
    "hand_vote.accepted": {"de": "Angenommen (Ja {yes} : Nein {no})", "en": "Accepted (yes {yes} : no {no})"},
    "hand_vote.rejected": {"de": "Abgelehnt (Ja {yes} : Nein {no})", "en": "Rejected (yes {yes} : no {no})"},
    "hand_vote.leader": {"de": "Meiste Stimmen: {option} ({count})", "en": "Most votes: {option} ({count})"},
    "hand_vote.tie": {"de": "Gleichstand: {options} (je {count} Stimmen)", "en": "Tie: {options} ({count} votes each)"},
    "hand_vote.tie_one": {"de": "Gleichstand: {options} (je 1 Stimme)", "en": "Tie: {options} (1 vote each)"},
    "hand_vote.issue_tie": {"de": "Gleichstand – keine Entscheidung", "en": "Tie – no decision"},
    "err.vote_choose_one": {"de": "Bitte wählen Sie eine Option.", "en": "Please choose one option."},
    "err.vote_choose_options": {"de": "Bitte wählen Sie mindestens eine Option.", "en": "Please choose at least one option."},
    "err.vote_duplicate_option": {"de": "Eine Option wurde doppelt gewählt.", "en": "An option was chosen twice."},
    "err.vote_too_many": {"de": "Höchstens {limit} Optionen wählbar.", "en": "At most {limit} options can be chosen."},
    "phone.send": {"de": "Abschicken", "en": "Submit"},
}

"""Views of the throwaway test method (see tests/plugin/engine.py)."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from app.views.base import ConsoleView, MethodViews, PhoneView, SharedByStep, step_key, texts
from facilitation.snapshots import LiveState, StepInfo
from tests.plugin.engine import KEY, Result


def _phone_view(step: StepInfo, lang: str) -> dict[str, Any]:
    return {"question": step.config.question, "title": step.title, "step": step.id, "round": step.round,
            "round_text": "", "texts": texts(lang)}


class PulsePhone(PhoneView, component="pulse.js"):
    VIEW = SharedByStep(_phone_view, step_key)

    def describe(self, step: StepInfo, lang: str) -> str:
        return self.VIEW(step, lang)

    def committed(self, step: StepInfo, mine: dict[str, Any]) -> Any:
        return mine.get(KEY)

    def merged(self, current: Any, payload: dict[str, Any]) -> Any:
        return payload.get("mood")

    @classmethod
    def result_rows(cls, state: LiveState, lang: str) -> list[dict[str, Any]] | None:
        result = state.typed
        if not isinstance(result, Result) or not result.voters:
            return None
        return [{"id": f"m{i + 1}", "label": str(i + 1), "frac": n / result.voters, "text": str(n)}
                for i, n in enumerate(result.counts)]


class PulseConsole(ConsoleView):
    def build(self) -> None:
        self.bars = ui.label("").classes("text-4xl font-mono").mark("pulse-bars")

    def show(self, state: LiveState, visible: bool) -> None:
        result = state.typed
        self.bars.set_visibility(visible)
        if visible and isinstance(result, Result):
            self.bars.set_text(" ".join(f"{i + 1}:{n}" for i, n in enumerate(result.counts)))


VIEWS = MethodViews(phone=PulsePhone, console=PulseConsole)

TEXTS: dict[str, dict[str, str]] = {
    "method.pulse": {"de": "Stimmungsbarometer", "en": "Mood barometer"},
    "pulse.marked": {"de": "Markiert: Stufe {value} – {note}", "en": "Marked: level {value} – {note}"},
    "pulse.cmd.mark": {"de": "Stufe markieren", "en": "Mark a level"},
    "pulse.cmd.mark.value": {"de": "Stufe", "en": "Level"},
    "pulse.cmd.mark.note": {"de": "Notiz", "en": "Note"},
}

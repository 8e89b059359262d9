"""What a method's views look like to the pages that host them.

A method's phone view is **one browser-side component** (a ``.js`` file beside the method's view
module) fed by these props: ``view`` (question, options, translated texts), ``result`` (the
revealed result), ``open``/``closed`` and ``mine`` (the participant's *committed* input). The server
holds one element per phone instead of a tree of twenty: "next step" for 500 phones is 500 small
props updates, not 10,000 element constructions (see docs/performance.md).

``view`` and ``result`` are JSON *strings*, built once per step and state and shared by every
phone of a language: NiceGUI wraps every dict or list put into props in observable copies, which
for a consensing view and 500 phones cost more than everything else in a step change.

Taps travel as one ``submit`` event ``{seq, payload}``; the server answers with the client-side
method ``ack(seq, ok, mine)`` only after the input is committed, so the phone says "Gespeichert"
only for what is stored.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from nicegui import events, ui

from app.i18n import t
from facilitation.snapshots import LiveState, StepInfo

Submit = Callable[[int, Any], Awaitable[bool]]
"""Sends (step id, payload); resolves to True once the input is committed (errors are shown by
the page)."""

COMMON_TEXTS = ("phone.saved", "phone.saving", "phone.retry", "phone.closed", "phone.results",
                "phone.change_hint")


class SharedByStep:
    """Remembers the JSON last built for one step/state and language.

    The hub hands the same :class:`LiveState` object to every phone of a session, so the first
    phone builds the props and the other 499 reuse that very string (no work, no memory).
    ``key`` says when two different objects would give the same JSON: a phone that joins builds
    its own state, and should still share the string."""

    def __init__(self, build: Callable[[Any, str], Any], key: Callable[[Any], Any] | None = None) -> None:
        self.build, self.key = build, key
        self.last: dict[str, tuple[Any, Any, str]] = {}

    def __call__(self, source: Any, lang: str) -> str:
        hit = self.last.get(lang)
        if hit is not None and hit[0] is source:
            return hit[2]
        key = self.key(source) if self.key is not None else None
        if hit is not None and key is not None and hit[1] == key:
            self.last[lang] = (source, key, hit[2])
            return hit[2]
        value = self.build(source, lang)
        text = "" if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        self.last[lang] = (source, key, text)
        return text


def step_key(step: StepInfo) -> tuple[Any, ...]:
    """What a phone view is built from: the step, its round, title and config."""
    return (step.id, step.round, step.title, repr(step.raw_config))


def texts(lang: str, *keys: str, **params: Any) -> dict[str, str]:
    """Translated strings for the component; keys lose their namespace ('phone.saved' → 'saved')."""
    return {key.split(".", 1)[1]: t(key, lang, **params) for key in (*COMMON_TEXTS, *keys)}


class PhoneView(ui.element):
    """Base of every method's phone component; subclasses set ``component=`` and the builders."""

    def __init__(self, lang: str, submit: Submit) -> None:
        """Made idle (it shows nothing); :meth:`load` gives it a step. A phone page makes one per
        method of the agenda when it joins, so a step change never constructs elements."""
        super().__init__()
        self.lang, self.submit = lang, submit
        self.step: StepInfo | None = None
        with self._props.suspend_updates():
            self._props.update({"view": "", "mine": None, "open": False, "closed": False, "result": "",
                                "notice": "", "heading": ""})
        self.on("submit", self._on_submit)

    # --- per method ------------------------------------------------------------------------------
    def describe(self, step: StepInfo, lang: str) -> str:  # pragma: no cover - interface
        """Question, options and texts as JSON: everything that is the same for every phone."""
        raise NotImplementedError

    def committed(self, step: StepInfo, mine: dict[str, Any]) -> Any:  # pragma: no cover - interface
        """The participant's stored input as the component shows it."""
        raise NotImplementedError

    def merged(self, current: Any, payload: dict[str, Any]) -> Any:  # pragma: no cover - interface
        """The committed input after ``payload`` was stored."""
        raise NotImplementedError

    def outcome(self, state: LiveState, lang: str) -> str:
        """The revealed result as JSON ``{"decision": str, "rows": [{id, label, frac, text}]}``
        ("" for none)."""
        return ""

    # --- driven by the page ----------------------------------------------------------------------
    def load(self, step: StepInfo, mine: dict[str, Any], state: LiveState) -> None:
        """Show another step (or round) of the same method: one props update, no new element."""
        self.step = step
        with self._props.suspend_updates():
            self._props.update({"view": self.describe(step, self.lang), "mine": self.committed(step, mine),
                                "notice": "", "heading": "", **self._live(state)})
        self.update()

    def idle(self, notice: str, heading: str = "") -> None:
        """Between steps: the component shows only ``heading`` (the next step's title) and
        ``notice`` ("Gleich geht es los …"); with both empty it draws nothing. Its props shrink to
        a few bytes, so "Weiter" costs each phone a tiny update, and the same element is ready for
        the next step of its method."""
        props = self._props
        if (props["notice"], props["heading"], props["view"]) == (notice, heading, ""):
            return
        with props.suspend_updates():
            props.update({"view": "", "notice": notice, "heading": heading, "open": False, "closed": False,
                          "result": ""})
        self.update()

    def show(self, state: LiveState) -> None:
        """Apply a live state; sends nothing when this phone would see no change (most votes)."""
        if not self._props["view"]:
            return  # idle between steps
        live = self._live(state)
        props = self._props
        if any(props[key] != value for key, value in live.items()):
            with props.suspend_updates():
                props.update(live)
            self.update()

    def _live(self, state: LiveState) -> dict[str, Any]:
        step = state.step
        revealed = step is not None and step.results_visible and bool(state.result)
        return {
            "open": step is not None and step.state == "open",
            "closed": step is not None and step.state == "closed",
            "result": self.outcome(state, self.lang) if revealed else "",
        }

    async def _on_submit(self, e: events.GenericEventArguments) -> None:
        args = e.args if isinstance(e.args, dict) else {}
        seq, payload = args.get("seq"), args.get("payload")
        if not isinstance(seq, int) or isinstance(seq, bool):
            return  # not from our component: there is nobody to answer
        if self.step is None or (args.get("step"), args.get("round")) != (self.step.id, self.step.round):
            # tapped on a question this element no longer shows (the next one arrived meanwhile):
            # never let a "Ja" meant for the last step count for the new one
            ui.notify(t("phone.stale", self.lang), type="warning", position="top", multi_line=True)
            self.run_method("ack", seq, False, self._props["mine"])
            return
        # anything but a mapping is refused by the facilitation layer with a translated message
        shown = (self.step.id, self.step.round)
        ok = await self.submit(shown[0], payload)
        still = self.step is not None and (self.step.id, self.step.round) == shown
        if ok and still and isinstance(payload, dict):  # (the next step may have arrived meanwhile)
            with self._props.suspend_updates():  # no full update sent: the ack says it
                self._props["mine"] = self.merged(self._props["mine"], payload)
        if not self.is_deleted:
            self.run_method("ack", seq, ok, self._props["mine"])


class ConsoleView:
    def __init__(self, step: StepInfo, lang: str) -> None:
        self.step, self.lang = step, lang

    def update(self, state: LiveState) -> None:  # pragma: no cover - interface
        raise NotImplementedError

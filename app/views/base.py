"""What a method's views look like to the pages that host them.

A method's phone view is **one browser-side component** (a ``.js`` file beside the method's view
module) fed by these props: ``view`` (question, options, translated texts), ``result`` (the
revealed result), ``open``/``closed`` and ``mine`` (the participant's *committed* input). The server
holds one element per phone instead of a tree of twenty: "next step" for 500 phones is 500 small
props updates, not 10,000 element constructions (see docs/performance.md).

``view``, ``result`` and ``mine`` are JSON *strings* (``view`` and ``result`` built once per step
and state and shared by every phone of a language): NiceGUI wraps every dict or list put into
props in observable copies, which for a consensing view and 500 phones cost more than everything
else in a step change.

Taps travel as one ``submit`` event ``{seq, step, round, payload}``; the server answers with the
client-side method ``ack(seq, ok, mine)`` only after the input is committed, so the phone says
"Gespeichert" only for what is stored. The handler is synchronous and the ack is sent from the
commit's callback: a vote costs no task of its own, which matters when a room votes at once.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nicegui import events, storage, ui
from nicegui.dependencies import register_library

from app.i18n import error_text, say, t
from facilitation.snapshots import LiveState, StepInfo, StepState, StoredInput
from methods.base import Outcome
from methods.errors import KofferError

log = logging.getLogger(__name__)

Submit = Callable[[int, Any], "asyncio.Future[Any]"]
"""Queues (step id, payload) for the next group commit; the future resolves once it is committed
or fails with the reason (a :class:`KofferError` for a refusal)."""

Task = Callable[[StepInfo], list[Any]]
"""The participant's next task in a step (the engine's ``next_task``, e.g. the next pair to
compare; ``[None]`` when there is none), then the task after it where the method can tell it
(``live.next_tasks``: the pair a phone holds ahead); the page binds it to its participant."""

Move = Callable[[int, Any], None]
"""Shows (step id, payload) to the room as an input in motion (a dot being dragged) without
storing it; the page binds it to its participant (``live.move``)."""


def compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _json(value: Any) -> str:
    """``compact`` with the answers most phones hold when a step opens (nothing yet) spelled out:
    a step change for 500 phones is 500 of these."""
    if value is None:
        return "null"
    if isinstance(value, dict) and not value:
        return "{}"
    return compact(value)


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
        text = "" if value is None else compact(value)
        self.last[lang] = (source, key, text)
        return text


def step_key(step: StepInfo) -> tuple[Any, ...]:
    """What a phone view is built from: the step, its round, title and config."""
    return (step.id, step.round, step.title, repr(step.live_config))


def texts(lang: str, *keys: str) -> dict[str, str]:
    """Translated strings for the component; keys lose their namespace ('phone.saved' → 'saved')."""
    return {key.split(".", 1)[1]: t(key, lang) for key in (*COMMON_TEXTS, *keys)}


LIVE_PROPS = ("view", "mine", "open", "closed", "result", "notice", "heading")
"""The props that change while a phone is connected; :meth:`PhoneHost.flush` sends only these
(and the method's own, ``PhoneView.EXTRA_PROPS``), and only those that changed."""
HOST_PROPS = ("component", "texts")
"""The host's props that change when another method's step comes: which component it draws and
that component's step-independent texts."""
PATCH = "var e=mounted_app.elements["
"""How a patch starts; several patches for one phone go as lines of one message (JSON text never
holds a raw line break)."""
RAW_JSON = ("view", "result")
"""Props held as JSON text on the server and sent as JSON values in a patch (no second escaping)."""


class PhoneHost(ui.element, component="phone_host.js", dependencies=["phone_parts.js"]):
    """The one element of a phone page that draws a method's phone component.

    A phone used to keep one element per method of its session's agenda, built at the join so a
    step change only patched props. Each NiceGUI element costs ~5 KiB of the server's memory per
    phone, and an agenda with all six methods kept six: 200+ KiB per phone (issue 5's limit is
    200). The host is one element whatever the agenda: its ``component`` prop names the method's
    browser component (app/views/<method>.js, loaded by the browser the first time a step of that
    method comes), and every other prop is handed to that component as it is. Another method's
    step is one patch of the host's props, as another step of the same method always was.

    The method's server side is a :class:`PhoneView` (a plain object, made when the phone first
    meets the method): it writes the host's props, and the host sends them. Events from the
    browser (``submit``, ``move``, ...) reach the view the host shows."""

    def __init__(self, events: Sequence[str] = ("submit",)) -> None:
        super().__init__()
        self.view: PhoneView | None = None
        self.keys: list[str] = [*HOST_PROPS, *LIVE_PROPS]
        """The props that change while the phone is connected (a method's own are added when the
        host first shows it)."""
        with self._props.suspend_updates():
            self._props.update({"component": "", "texts": "", "view": "", "mine": "null", "open": False,
                                "closed": False, "result": "", "notice": "", "heading": ""})
        # what the browser has: the page (or the full update that creates this element) carries it
        self._sent: dict[str, Any] = {key: self._props[key] for key in self.keys}
        # an element never changes its client: ``self.client`` dereferences a weak reference
        # and checks it on every call, 500 times per step change
        self._outbox, self._client_id = self.client.outbox, self.client.id
        self.calls: list[str] = []
        """Calls of the component's own methods that go with the next flush, after the props
        (theme tables: ``apply`` a delta of the table's cards); dropped when a full update of the
        element is on its way (the component then gets everything from its props)."""
        self._events: set[str] = set()
        self.listen(events)

    def listen(self, events: Sequence[str]) -> None:
        """Take these events from the browser (each goes to the view on screen). The page asks for
        its agenda's methods' events at once: a listener added later costs a full update."""
        for name in events:
            if name not in self._events:
                self._events.add(name)
                self.on(name, functools.partial(self._dispatch, name))

    def _dispatch(self, name: str, e: events.GenericEventArguments) -> Any:
        view = self.view
        handler = view.handlers.get(name) if view is not None else None
        return None if handler is None else handler(e)

    def _handle_event(self, msg: dict[str, Any]) -> None:
        """NiceGUI's dispatch without its per-event ``inspect.signature`` of the handler (whether it
        takes the event: every handler here does). That look-up cost ~20 µs of each event, and a
        room dragging its dots sends 2,000 of them a second."""
        listener = self._event_listeners[msg["listener_id"]]
        storage.request_contextvar.set(listener.request)
        events.handle_event(listener.handler, events.GenericEventArguments(sender=self, client=self.client,
                                                                           args=msg["args"]), expect_args=True)

    def show(self, view: PhoneView) -> None:
        """Draw ``view``'s component from now on (sent with the view's next flush). The props the
        last method had of its own are emptied: they mean nothing to the next one."""
        if view is self.view:
            return
        old, self.view = self.view, view
        values: dict[str, Any] = {"component": view.script, "texts": view.static_texts(view.lang)}
        if old is not None:
            values.update(dict.fromkeys((k for k in old.EXTRA_PROPS if k not in view.EXTRA_PROPS), ""))
        for key in view.EXTRA_PROPS:
            if key not in self.keys:  # new to the browser too: the patch below carries it
                self.keys.append(key)
                self._sent[key] = None
                dict.__setitem__(self._props, key, "")  # no change handler: it would send the whole element
        dict.update(self._props, values)

    def write(self, values: dict[str, Any]) -> None:
        """Set live props on the server without NiceGUI's observable machinery: the values are
        strings and booleans (nothing to observe), and the browser gets them from :meth:`flush`
        as a patch, never from a change event. ``Props.update`` wraps and unwraps every value and
        runs the (suspended) change handlers: a third of a phone's share of a step change for
        500 phones (py-spy, bench/diagnose.py gcsteps spy)."""
        dict.update(self._props, values)

    def flush(self, mine_alone: bool = True, live_mine: bool = False) -> None:
        """Send the browser the props that differ from what it has, as one small patch of the
        host's props (nothing when nothing changed: most votes elsewhere in the room).

        ``mine`` committed by a tap is set silently (the ack tells the component); a live update
        (``mine_alone=False``) takes it along only with another change, unless the method's
        ``mine`` follows the room (``live_mine``): sent on its own right after its own commit, it
        would reset the component while the person's next tap is still on its way."""
        props, sent = self._props, self._sent
        calls, self.calls = self.calls, []
        changed = {key: props[key] for key in self.keys if sent.get(key) is not props[key]
                   and sent.get(key) != props[key]}
        if not mine_alone and changed.keys() == {"mine"} and not live_mine:
            changed = {}
        if not changed and not calls:
            return
        sent.update(changed)
        outbox = self._outbox
        if self.is_deleted or self.id in outbox.updates:
            return  # the full update already on its way carries the props as they are now
        lines = []
        if changed:
            # the shared JSON texts go in as they are; the rest in one dumps (not one per prop)
            raw = (*RAW_JSON, "texts", *(self.view.EXTRA_PROPS if self.view is not None else ()))
            parts = [f'"{key}":{changed.pop(key)}' for key in raw if changed.get(key)]
            if changed:
                parts.insert(0, compact(changed)[1:-1])
            fields = ",".join(parts)
            # mounted_app.elements is nicegui.js' reactive element store: the component re-renders
            lines.append(f"{PATCH}{self.id}];if(e)Object.assign(e.props,{{{fields}}})")
        code = "\n".join((*lines, *calls))
        last = outbox.messages[-1] if outbox.messages else None
        if last is not None and last[1] == "run_javascript" and str(last[2].get("code", "")).startswith(PATCH):
            # another patch for this phone in the same turn: one message, not two — each message
            # costs the server a socket write per phone
            last[2]["code"] += "\n" + code
            return
        outbox.enqueue_message("run_javascript", {"code": code}, self._client_id)

    def run(self, method: str, args: str) -> None:
        """``runMethod(host, method, args)`` in the browser, queued directly: what ``run_method``
        sends, without the task and response object it makes for every call. ``args``: a JSON
        array as text. The host hands it to the method's component (phone_host.js)."""
        code = f'return runMethod({self.id}, "{method}", {args})'
        self._outbox.enqueue_message("run_javascript", {"code": code}, self._client_id)


class PhoneView:
    """A method's phone view on the server: what its browser component (``script``, the
    ``component=`` file beside the method's view module) is given, and what its taps do.

    Subclasses set ``component=`` and the builders. Their browser code imports the shared parts
    from ``phone_parts`` (app/views/phone_parts.js). A view draws through a :class:`PhoneHost`
    (the page's one element for all methods); made without one, it makes its own.

    After the page is built the host never sends a full element update: a step change, a reveal
    or "Weiter" sends a patch with only the props that changed. A full update carries every prop,
    the tag and the event listeners (2.3 KB to each of 500 phones for a consensing step); the
    patch carries the new view and a few flags. The server-side props stay the truth, so a reload
    or a reconnect shows the same."""

    script: str = ""
    """The import name of the method's browser component (its file's stem)."""
    _shared_result: SharedByStep
    _texts_cache: dict[str, str]
    TEXT_KEYS: tuple[str, ...] = ()
    """Texts the component needs whatever the step (beyond the common ones): sent once with the
    method's first step in the ``texts`` prop, never again with each step's view."""
    EMPTY_MINE = "null"
    """``mine`` as JSON when nothing is stored (what ``committed`` gives for no input)."""
    LIVE_MINE = False
    """``mine`` follows the room, not only this phone's taps (theme tables: the seat and round
    change with the moderator's next round, the host role with a link): a live delivery then
    sends it even when nothing else of the phone changed. Otherwise a live ``mine`` goes only
    along with another change (after a tap the ack carries it)."""
    EXTRA_PROPS: tuple[str, ...] = ()
    """Live props of the method's own (theme tables: ``board``, one table's cards as JSON text,
    shared by the phones at that table), patched like the common ones; set in ``_live``."""
    EVENTS: tuple[str, ...] = ("submit",)
    """The events the method's component sends (each handled by a method given to :meth:`on`)."""

    def __init__(self, lang: str, submit: Submit, task: Task | None = None, move: Move | None = None,
                 name: str | None = None, host: PhoneHost | None = None) -> None:
        """Made idle (it shows nothing); :meth:`load` gives it a step. ``task`` gives this
        participant's next task; a method that hands out tasks asks for it with :meth:`next_task`
        (in ``committed``/``merged``), the others never pay for it. ``move`` shows an input in
        motion to the room without storing it (a dragged dot); ``name`` is the participant's name
        where the session collects names (a form offers it). ``host``: the page's element that
        draws this view (one is made here without it, in the current context)."""
        self.lang, self.submit, self._task, self.name = lang, submit, task, name
        self.in_motion = move
        self.participant: int | None = None
        """The phone's participant (set by the page): a view that shows each phone its own part
        of a shared result (its theme table) looks itself up with it."""
        self.step: StepInfo | None = None
        self.mine: Any = None  # the committed input; props["mine"] is its JSON
        self.handlers: dict[str, Callable[[events.GenericEventArguments], Any]] = {}
        if host is None:
            host = PhoneHost(self.EVENTS)
        self.host = host
        host.listen(self.EVENTS)
        if host.view is None:
            host.show(self)
            host.write({"mine": self.EMPTY_MINE})
        self.on("submit", self._on_submit)

    def on(self, event: str, handler: Callable[[events.GenericEventArguments], Any]) -> None:
        """Handle the component's ``event`` (while the host shows this view)."""
        self.handlers[event] = handler

    # what the methods' views read of their element, now the host's
    @property
    def id(self) -> int:
        return self.host.id

    @property
    def client(self) -> Any:
        return self.host.client

    @property
    def is_deleted(self) -> bool:
        return self.host.is_deleted

    @property
    def props(self) -> Any:
        return self.host.props

    @property
    def _props(self) -> Any:
        return self.host._props

    @property
    def _calls(self) -> list[str]:
        return self.host.calls

    @property
    def shown(self) -> bool:
        """Whether the host draws this view (a view the phone left gets no more input)."""
        return self.host.view is self

    @classmethod
    def static_texts(cls, lang: str) -> str:
        """The ``texts`` prop: one JSON text per class and language, shared by every phone."""
        text = cls._texts_cache.get(lang)
        if text is None:
            text = cls._texts_cache[lang] = compact(cls.phone_texts(lang))
        return text

    @classmethod
    def phone_texts(cls, lang: str) -> dict[str, str]:
        """The component's step-independent texts ('phone.saved' → ``saved``)."""
        return texts(lang, *cls.TEXT_KEYS)

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

    def next_task(self, step: StepInfo) -> Any:
        """This participant's next task in ``step`` (None without a task source or task)."""
        return self.next_tasks(step)[0]

    def next_tasks(self, step: StepInfo) -> list[Any]:
        """This participant's next task in ``step``, then the one after it where the method can
        tell it (``[None]`` without a task source or task)."""
        return [None] if self._task is None else self._task(step)

    @classmethod
    def result_rows(cls, state: LiveState, lang: str) -> list[dict[str, Any]] | None:
        """The revealed result as bars ``[{id, label, frac, text}]``; None when there is nothing
        to show (nobody voted)."""
        return None

    def __init_subclass__(cls, component: str | None = None, dependencies: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # one JSON per delivered state and language, shared by every phone of the class
        cls._shared_result = SharedByStep(cls._result)
        cls._texts_cache = {}
        base = Path(inspect.getfile(cls)).parent
        for file in (*dependencies, *((component,) if component else ())):
            path = base / file
            # a library: every page's import map names it, so the host loads it by its name
            register_library(path, max_time=path.stat().st_mtime)
        if component:
            cls.script = Path(component).stem

    @classmethod
    def _result(cls, state: LiveState, lang: str) -> dict[str, Any] | None:
        rows = cls.result_rows(state, lang)
        if rows is None:
            return None
        return {"decision": decision(state.outcome, lang), "rows": rows}

    def outcome(self, state: LiveState, lang: str) -> str:
        """The revealed result as JSON ``{"decision": str, "rows": [...]}`` ("" for none)."""
        return type(self)._shared_result(state, lang)

    # --- driven by the page ----------------------------------------------------------------------
    def load(self, step: StepInfo, mine: dict[str, Any], state: LiveState) -> None:
        """Show a step (or round) of this method: one props update of the host, no new element."""
        self.host.show(self)
        self.step = step
        self.mine = self.committed(step, mine)
        self._write({"view": self.describe(step, self.lang), "mine": _json(self.mine),
                     "notice": "", "heading": "", **self._live(state)})
        self._flush()

    def idle(self, notice: str, heading: str = "") -> None:
        """Between steps: the component shows only ``heading`` (the next step's title) and
        ``notice`` ("Gleich geht es los …"); with both empty it draws nothing. Its props shrink to
        a few bytes, so "Weiter" costs each phone a tiny update."""
        self.host.show(self)
        self.step = None
        self._write({"view": "", "notice": notice, "heading": heading, "open": False, "closed": False,
                     "result": ""})
        self._flush()

    def show(self, state: LiveState) -> None:
        """Apply a live state; sends nothing when this phone would see no change (most votes)."""
        if not self.shown or not self._props["view"]:
            return  # idle between steps, or another method's view is on screen
        props = self._props
        # most deliveries change nothing this phone shows (a vote elsewhere in the room): write
        # only what differs, so 500 phones do not each run the props' change handlers
        changed = {key: value for key, value in self._live(state).items() if props[key] != value}
        if changed:
            self._write(changed)
        self._flush(mine_alone=False)

    def _write(self, values: dict[str, Any]) -> None:
        self.host.write(values)

    def _flush(self, mine_alone: bool = True) -> None:
        """Send the browser what changed (:meth:`PhoneHost.flush`). A subclass may set a prop
        silently beforehand; it goes with the next flush."""
        self.host.flush(mine_alone, self.LIVE_MINE)

    def _live(self, state: LiveState) -> dict[str, Any]:
        step = state.step
        revealed = step is not None and step.results_visible and bool(state.result)
        return {
            "open": step is not None and step.state == StepState.OPEN,
            "closed": step is not None and step.state == StepState.CLOSED,
            "result": self.outcome(state, self.lang) if revealed else "",
        }

    def _on_submit(self, e: events.GenericEventArguments) -> None:
        args = e.args if isinstance(e.args, dict) else {}
        seq, payload = args.get("seq"), args.get("payload")
        if not isinstance(seq, int) or isinstance(seq, bool):
            return  # not from our component: there is nobody to answer
        if self.step is None or (args.get("step"), args.get("round")) != (self.step.id, self.step.round):
            # tapped on a question this element no longer shows (the next one arrived meanwhile):
            # never let a "Ja" meant for the last step count for the new one
            ui.notify(t("phone.stale", self.lang), type="warning", position="top", multi_line=True)
            self._ack(seq, False)
            return
        # anything but a mapping is refused by the facilitation layer with a translated message
        shown = (self.step.id, self.step.round)
        future = self.submit(shown[0], payload)
        future.add_done_callback(lambda done: self._committed(done, seq, shown, payload))

    def _committed(self, done: asyncio.Future[Any], seq: int, shown: tuple[int, int], payload: Any) -> None:
        if self.is_deleted:
            return
        error = done.exception() if not done.cancelled() else asyncio.CancelledError()
        if error is not None:
            if not isinstance(error, KofferError):
                log.warning("a phone's input was not stored: %s", type(error).__name__)  # handled: told to retry
            with self.host:  # a callback, not an event handler: say which page the message is for
                text = error_text(error, self.lang) if isinstance(error, KofferError) else t("phone.retry", self.lang)
                ui.notify(text, type="negative", position="top", multi_line=True)
            self._ack(seq, False)
            return
        # the next step may have arrived meanwhile: then this input is not what the phone shows
        if self.shown and self.step is not None and (self.step.id, self.step.round) == shown \
                and isinstance(payload, dict):
            self.mine = self.merged(self.mine, payload)
            mine = compact(self.mine)
            self._write({"mine": mine})  # not sent now (the ack says it), with the next patch
            self._ack(seq, True, mine)
            return
        self._ack(seq, True)

    def _ack(self, seq: int, ok: bool, mine: str | None = None) -> None:
        """``ack(seq, ok, mine)`` of the component, through the host. ``mine``: ``self.mine`` as
        JSON already (the commit just wrote it into the props): a materiality ack carries the next
        pair: one JSON encoding of it per answer, not two. Not sent when the phone has moved on to
        another method's step: the ack would reach that method's component."""
        if not self.shown:
            return
        if mine is None:
            mine = compact(self.mine)
        self.host.run("ack", f'[{seq},{"true" if ok else "false"},{mine}]')


def decision(outcome: Outcome | None, lang: str, short: bool = False) -> str:
    """The outcome's sentence; ``short`` prefers the projector's headline when there is one."""
    if outcome is None:
        return ""
    if short and outcome.headline is not None:
        return say(outcome.headline, lang)
    return say(outcome.decision, lang)


TONE_CLASSES = {"good": "text-green-900", "warn": "text-red-800", "none": "text-gray-700"}


class ConsoleView:
    """What every method's console shows around its own chart, written once.

    The question; a line with the decision (after the reveal), how many have given input and
    "Ergebnis verdeckt" (before it); the outcome's notes (a tie to settle). A method adds its
    chart in :meth:`build` and fills it in :meth:`show`; it never repeats the count, the hiding
    or the decision sentence.
    """

    wide = False
    """The view is a work surface that needs the screen's width from the start (theme tables'
    boards): the console shows the join QR code in its corner, as it does beside a revealed result."""

    def __init__(self, step: StepInfo, lang: str, controls: bool = True) -> None:
        """``controls``: the moderator's console; the projector (False) shows no control, since
        nobody could use it there, and follows what the moderator opens (``step.shown_detail``)."""
        self.step, self.lang, self.controls = step, lang, controls
        question = getattr(step.config, "question", "")
        if question:
            ui.label(question).classes("text-2xl font-semibold leading-tight").mark("question")
        with ui.row().classes("w-full items-center gap-x-6 no-wrap") as self.header:
            self.decision = ui.label("").classes("text-2xl font-bold leading-tight min-w-0").mark("decision")
            self.count = ui.label("").classes("text-xl text-gray-800 whitespace-nowrap").mark("count")
            self.hidden = ui.label(t("console.hidden", lang)).classes("text-2xl text-gray-500 italic").mark("hidden")
        self.notes = ui.column().classes("gap-1").mark("notes")
        self._notes: tuple[str, ...] = ()
        self.build()

    # --- per method ------------------------------------------------------------------------------
    def build(self) -> None:
        """Make the method's own elements (chart, counts); called once, inside the view."""

    def count_text(self, state: LiveState) -> str:
        return t("console.voted", self.lang, n=state.contributors, total=state.participants)

    def show(self, state: LiveState, visible: bool) -> None:
        """Fill the method's elements; ``visible`` says whether the result is revealed."""

    def moved(self, state: LiveState) -> None:
        """A delivery that carries only inputs in motion (``state.moving``; nothing stored
        changed): the whole view again by default; a method whose inputs move (the
        constellation) redraws only what moves."""
        self.update(state)

    def news(self, inputs: Sequence[StoredInput]) -> bool:
        """Inputs a commit just stored, before any state is built (``Hub.publish``'s news): a
        method that can show one input by itself (a card on a theme table) shows it at once and
        returns True; the full delivery that follows corrects it. Nothing by default."""
        return False

    def offers(self, command: str, state: LiveState) -> bool:
        """Whether the moderator's console shows the button of the method's command ``command``
        now (every declared one by default). Only the buttons: the API takes any command, and
        its guard says why one does not fit."""
        return True

    # --- driven by the console page --------------------------------------------------------------
    def update(self, state: LiveState) -> None:
        step = state.step
        visible = bool(step and step.results_visible and state.result)
        self.count.set_text(self.count_text(state))
        self.hidden.set_visibility(not visible and step is not None and step.state != StepState.DRAFT)
        outcome = state.outcome if visible else None
        text = decision(outcome, self.lang, short=True)
        self.decision.set_visibility(bool(text))
        if text:
            self.decision.set_text(text)
            fit = "shrink-0" if len(text) <= 48 else "min-w-0"  # short lines never wrap
            tone = TONE_CLASSES[outcome.tone if outcome is not None else "none"]
            self.decision.classes(replace=f"text-2xl font-bold leading-tight {fit} {tone}")
        notes = tuple(say(n, self.lang) for n in outcome.notes) if outcome is not None else ()
        if notes != self._notes:
            self._notes = notes
            self.notes.clear()
            with self.notes:
                for note in notes:
                    ui.label(note).classes("text-2xl font-semibold text-amber-900").mark("note")
        self.show(state, visible)


Editor = Callable[[dict[str, Any], str], Callable[[], dict[str, Any]]]
"""Builds a settings form for a step's raw config in a language; returns a getter for the new
config (raising ``ValueError`` with a translated message for bad input)."""


@dataclass(frozen=True)
class MethodViews:
    """A method's views part, declared once in ``app/views/<name>.py`` as ``VIEWS``."""

    phone: type[PhoneView]
    console: type[ConsoleView]
    editor: Editor | None = None
    """A friendly settings form; without one the editor offers the config as JSON."""

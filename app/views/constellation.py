"""Room constellation views: each phone places its own dot, the console shows the room from above.

The phone (``constellation.js``) draws the line or field and the participant's dot: tap to place,
drag, nudge buttons, arrow keys. While a finger moves, the component sends ``move`` events (at
most four a second) that the room sees but nothing stores (:meth:`ConstellationPhone._on_move` →
``live.move``); the position where the finger lets go is submitted like any tap and acknowledged
after the commit. ``stage`` is one more shared JSON prop: the statement on screen, frozen or not,
which statement is being signed, and where the others stand (if the step shows them).

The console draws every dot in one browser-side SVG component (``constellation_board.js``):
the Python side hands it one JSON string per delivery (shared by console and projector) and
sends it only when it changed, so 500 dots and their drags are one coalesced props update per
hub tick, and Vue moves the existing circles instead of rebuilding them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from nicegui import events, ui

from app.i18n import t
from app.views.base import ConsoleView, MethodViews, PhoneView, SharedByStep, compact, step_key, texts
from app.views.widgets import checked
from facilitation import context, participation
from facilitation.snapshots import LiveState, StepInfo, StepState
from methods.constellation import (
    ENGINE,
    MAX_STATEMENT_CHARS,
    MAX_STATEMENTS,
    POSITION,
    SIGNATURE,
    X_DEFAULT,
    Y_DEFAULT,
    Axis,
    Board,
    Config,
    Picture,
    Result,
    Spot,
)
from methods.errors import KofferError
from methods.numbers import number

OTHERS_DIGITS = 2
"""The others' dots on a phone: two decimals are finer than a thumb and keep the prop small."""


def _typed(state: LiveState) -> Result | None:
    return state.typed if isinstance(state.typed, Result) else None


def _axis(axis: Axis | None) -> dict[str, str] | None:
    return None if axis is None else {"label": axis.label, "low": axis.low, "high": axis.high}


# --- phone ------------------------------------------------------------------------------------------


def _phone_view(step: StepInfo, lang: str) -> dict[str, Any]:
    config: Config = step.config
    n = len(config.statements)
    return {
        "title": step.title,
        "step": step.id,  # sent back with every tap: a tap on an old question is refused
        "round": step.round,
        "round_text": t("phone.round", lang, round=step.round) if step.round > 1 else "",
        "dims": config.dimensions,
        "statements": list(config.statements),
        "numbers": [t("constellation.statement_of", lang, n=i + 1, total=n) if n > 1 else "" for i in range(n)],
        "axis": _axis(config.axes.x),
        "yaxis": _axis(config.y_axis),
        "texts": texts(lang, "constellation.unplaced_line" if config.dimensions == 1 else "constellation.unplaced_field",
                       "constellation.frozen", "constellation.moving", "constellation.nudge_left",
                       "constellation.nudge_right", "constellation.nudge_up", "constellation.nudge_down",
                       "constellation.slider", "constellation.sign_title", "constellation.sign_name",
                       "constellation.sign_draw", "constellation.sign_clear", "constellation.sign_send",
                       "constellation.sign_full", "constellation.signed", "constellation.sign_again",
                       "constellation.others"),
    }


def _stage(state: LiveState, lang: str) -> dict[str, Any] | None:
    """What every phone needs from the live state besides open/closed: the same for all phones."""
    result = _typed(state)
    step = state.step
    if result is None or step is None or not result.statements:
        return None
    board = result.statements[min(result.current, len(result.statements) - 1)]
    config: Config = step.config
    others = None
    if config.phones_see_others and step.results_visible and not board.live.few:
        others = [[round(s[1], OTHERS_DIGITS), round(s[2], OTHERS_DIGITS) if s[2] is not None else None]
                  for s in board.live.spots]
    return {"current": board.index, "frozen": board.frozen, "signing": next(
        (b.index for b in result.statements if b.signing), None), "others": others}


def _mine(positions: dict[str, Any], signed: dict[str, str], name: str | None) -> dict[str, Any]:
    return {"positions": positions, "signed": signed, "name": name or ""}


class ConstellationPhone(PhoneView, component="constellation.js"):
    """The statement, the line or field with the own dot, and the sign-off when it is open."""

    VIEW = SharedByStep(_phone_view, step_key)
    STAGE = SharedByStep(_stage)
    EXTRA_PROPS = ("stage",)
    EVENTS = ("submit", "move")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current, self.frozen = 0, False
        self.on("move", self._on_move)

    def describe(self, step: StepInfo, lang: str) -> str:
        return self.VIEW(step, lang)

    def committed(self, step: StepInfo, mine: dict[str, Any]) -> dict[str, Any]:
        positions = {k.removeprefix(POSITION): v for k, v in mine.items() if k.startswith(POSITION)}
        signed = {k.removeprefix(SIGNATURE): str(v.get("name", "")) for k, v in mine.items()
                  if k.startswith(SIGNATURE) and isinstance(v, dict)}
        return _mine(positions, signed, self.name)

    def merged(self, current: Any, payload: dict[str, Any]) -> dict[str, Any]:
        mine = current if isinstance(current, dict) else _mine({}, {}, self.name)
        positions, signed = dict(mine.get("positions") or {}), dict(mine.get("signed") or {})
        sign = payload.get("sign")
        if isinstance(sign, dict):
            signed[str(sign.get("statement"))] = str(sign.get("name", "")).strip()
        else:
            y = payload.get("y")
            positions[str(payload.get("statement"))] = [payload.get("x")] if y is None else [payload.get("x"), y]
        return _mine(positions, signed, str(sign.get("name", "")).strip() if isinstance(sign, dict)
                     else mine.get("name") or self.name)

    @classmethod
    def result_rows(cls, state: LiveState, lang: str) -> list[dict[str, Any]] | None:
        """Nothing: the picture is the room's, on the projector; a median on the phone would
        only anchor those still deciding where to stand (``phones_see_others`` shows the dots)."""
        return None

    def _live(self, state: LiveState) -> dict[str, Any]:
        live = super()._live(state)
        result = _typed(state)
        if result is not None and result.statements:
            board = result.statements[min(result.current, len(result.statements) - 1)]
            self.current, self.frozen = board.index, board.frozen
        live["stage"] = type(self).STAGE(state, self.lang)
        return live

    def _on_move(self, e: events.GenericEventArguments) -> None:
        """A position in motion: checked like an input, then shown to the room, never stored."""
        args = e.args if isinstance(e.args, dict) else {}
        step = self.step
        if self.in_motion is None or step is None or step.state != StepState.OPEN or self.frozen:
            return
        if (args.get("step"), args.get("round")) != (step.id, step.round):
            return
        payload = args.get("payload")
        try:
            entries = ENGINE.validate(step.config, payload)
        except KofferError:
            return
        if len(entries) == 1 and entries[0].key == f"{POSITION}{self.current}":
            self.in_motion(step.id, payload)


# --- console ----------------------------------------------------------------------------------------


def _percent(value: float, lang: str) -> str:
    return number(round(100 * value), lang)


def _layer(kind: str, title: str, picture: Picture, moving: dict[str, Any] | None = None) -> dict[str, Any]:
    spots: list[Spot] = list(picture.spots)
    dots: list[list[Any]] = []
    if moving:
        seen = set()
        for s in spots:
            now = moving.get(s[0])
            seen.add(s[0])
            dots.append([s[0], s[1], s[2], 0] if now is None else [s[0], *now, 1])
        dots += [[p, *xy, 1] for p, xy in moving.items() if p not in seen]
    else:
        dots = [[s[0], s[1], s[2], 0] for s in spots]
    shown = not picture.few
    return {"kind": kind, "title": title, "dots": dots,
            "median": picture.median if shown else None, "q1": picture.q1 if shown else None,
            "q3": picture.q3 if shown else None, "hist": picture.histogram if shown and picture.histogram else None,
            "quad": picture.quadrants if shown and picture.quadrants else None}


def _moving(state: LiveState, dims: int, statement: int) -> dict[str, list[float | None]]:
    """Positions in motion for the statement on screen, as [x, y]."""
    out: dict[str, list[float | None]] = {}
    for participant, payload in state.moving.items():
        if isinstance(payload, dict) and payload.get("statement") == statement:
            x, y = payload.get("x"), payload.get("y")
            if isinstance(x, int | float):
                out[participant] = [float(x), float(y) if dims == 2 and isinstance(y, int | float) else None]
    return out


def _clock(at: str | None) -> str:
    return at[11:16] if at and len(at) >= 16 else ""


def board_data(state: LiveState, lang: str, names: dict[str, str] | None = None) -> dict[str, Any] | None:
    """What the console's SVG draws for the statement on screen (see ``constellation_board.js``)."""
    result = _typed(state)
    if result is None or not result.statements:
        return None
    board = result.statements[min(result.current, len(result.statements) - 1)]
    dims = result.dimensions
    layers: list[dict[str, Any]] = []
    if board.before is not None:
        layers.append(_layer("before", t("constellation.before_at", lang, time=_clock(board.before.at)), board.before))
    if board.after is not None:
        layers.append(_layer("after", t("constellation.after_at", lang, time=_clock(board.after.at)), board.after))
    else:
        moving = None if board.frozen else _moving(state, dims, board.index)
        layers.append(_layer("live", t("constellation.now", lang) if board.before is not None else "",
                             board.live, moving))
    marks: dict[str, str] = {}
    shown = board.after or board.live
    if board.highlight and shown.ends:
        for end, participant in shown.ends.items():
            name = (names or {}).get(participant) if not shown.few else None
            marks[participant] = name or t(f"constellation.end_{end}", lang)
    x, y = result.axes.get("x"), result.axes.get("y")
    return {"dims": dims, "axis": _axis(x), "yaxis": _axis(y) if dims == 2 else None,
            "layers": layers, "marks": marks, "frozen": board.frozen,
            "texts": {"median": t("constellation.median", lang), "empty": t("constellation.nobody", lang)}}


class ConstellationBoard(ui.element, component="constellation_board.js"):
    """The room from above: one SVG, its circles keyed by participant (moved, not rebuilt). It
    takes the height left on the screen (above the console's footer), so nothing is cut off."""

    def __init__(self) -> None:
        super().__init__()
        self._props["data"] = ""

    def set_data(self, data: str) -> None:
        if self._props["data"] != data:
            self._props["data"] = data
            self.update()


class ConstellationConsole(ConsoleView):
    """The statement on screen, the line or field with every dot, median and spread, the shift
    between the snapshots, the signatures; the shared header says the decision and the count."""

    PLAIN = SharedByStep(lambda state, lang: board_data(state, lang))
    """The board without names: one JSON per delivery, shared by the console and the projector."""

    def build(self) -> None:
        config: Config = self.step.config
        self.names_allowed = bool(config.names)
        self._names: tuple[frozenset[str], dict[str, str]] = (frozenset(), {})
        with ui.column().classes("w-full gap-1") as self.box:
            with ui.row().classes("w-full items-baseline gap-x-6 gap-y-0"):
                self.number = ui.label("").classes("text-xl text-gray-600").mark("statement-number")
                self.stage = ui.label("").classes("text-xl font-semibold text-amber-900").mark("stage")
            self.statement = ui.label("").classes("text-3xl font-semibold leading-snug whitespace-pre-line") \
                .mark("statement")
            self.board = ConstellationBoard().classes("w-full").mark("board")
            with ui.row().classes("w-full items-baseline gap-x-8 gap-y-1"):
                self.stats = ui.label("").classes("text-xl text-gray-900").mark("stats")
                self.shift = ui.label("").classes("text-xl text-gray-900").mark("shift")
                self.signed = ui.label("").classes("text-xl text-gray-900").mark("signatures")

    def _board(self, state: LiveState) -> Board | None:
        result = _typed(state)
        if result is None or not result.statements:
            return None
        return result.statements[min(result.current, len(result.statements) - 1)]

    def count_text(self, state: LiveState) -> str:
        board = self._board(state)
        if board is None:
            return super().count_text(state)
        live = board.live
        return t("constellation.count", self.lang, placed=live.placed, not_placed=live.not_placed)

    def offers(self, command: str, state: LiveState) -> bool:
        """Only what fits now: freeze or unfreeze, a snapshot while one is left, the next
        statement before the last, the previous after the first, signing opened or closed (the
        console's bar stays one row)."""
        result, board = _typed(state), self._board(state)
        if result is None or board is None:
            return True
        signing = any(b.signing for b in result.statements)
        return {
            "freeze": not board.frozen,
            "unfreeze": board.frozen,
            "snapshot": board.after is None,
            "highlight": board.live.placed > 0 or board.highlight,
            "next_statement": board.index < len(result.statements) - 1,
            "previous_statement": board.index > 0,
            "open_signing": result.sign_off and not board.signing,
            "close_signing": signing,
        }.get(command, True)

    def _names_for(self, state: LiveState, board: Board) -> dict[str, str] | None:
        """Names for the highlighted ends, only where the step and the session allow them."""
        if not (self.names_allowed and board.highlight and state.session.names != "none"):
            return None
        wanted = frozenset((board.after or board.live).ends.values())
        if wanted != self._names[0]:
            self._names = (wanted, participation.names(context.current(), state.session.id, wanted))
        return self._names[1]

    def show(self, state: LiveState, visible: bool) -> None:
        result, board = _typed(state), self._board(state)
        self.box.set_visibility(board is not None)
        if result is None or board is None:
            return
        lang = self.lang
        total = len(result.statements)
        self.number.set_text(t("constellation.statement_of", lang, n=board.index + 1, total=total) if total > 1 else "")
        self.statement.set_text(board.text)
        stage = []
        if board.frozen:
            stage.append(t("constellation.console_frozen", lang))
        signing = next((b for b in result.statements if b.signing), None)
        if signing is not None:
            stage.append(t("constellation.console_signing", lang, n=signing.index + 1, count=len(signing.signatures)))
        self.stage.set_text(" · ".join(stage))
        for element in (self.board, self.stats, self.shift):
            element.set_visibility(visible)
        if visible:
            self._draw(state, board)
            self.stats.set_text(stats_text(result, board, lang))
            self.shift.set_text(shift_text(result, board, lang))
            self.shift.set_visibility(bool(self.shift.text))
        signatures = sum(len(b.signatures) for b in result.statements)
        self.signed.set_text(t("constellation.signatures", lang, n=signatures) if result.sign_off else "")
        self.signed.set_visibility(result.sign_off)

    def moved(self, state: LiveState) -> None:
        """Dots in motion: only the board changes (counts, median and spread are of the stored
        positions), and only where it is on screen."""
        board = self._board(state)
        step = state.step
        if board is not None and step is not None and step.results_visible and state.result:
            self._draw(state, board)

    def _draw(self, state: LiveState, board: Board) -> None:
        names = self._names_for(state, board)
        # with names (a highlight where names are allowed) built for this screen alone
        self.board.set_data(compact(board_data(state, self.lang, names)) if names else
                            type(self).PLAIN(state, self.lang))


def stats_text(result: Result, board: Board, lang: str) -> str:
    """Median and spread of the picture on screen, in the axis's words; nothing for 3 dots or fewer."""
    shown = board.after or board.live
    if shown.few:
        return t("constellation.few", lang) if shown.placed else ""
    x = result.axes.get("x")
    parts = [t("constellation.stats", lang, axis=x.label if x else "", median=_percent(shown.median[0], lang),
               high=x.high if x else "", q1=_percent(shown.q1[0], lang), q3=_percent(shown.q3[0], lang))]
    y = result.axes.get("y")
    if result.dimensions == 2 and y is not None and len(shown.median) > 1:
        parts.append(t("constellation.stats", lang, axis=y.label, median=_percent(shown.median[1], lang),
                       high=y.high, q1=_percent(shown.q1[1], lang), q3=_percent(shown.q3[1], lang)))
    return " · ".join(parts)


def _points(delta: float, lang: str) -> str:
    points = round(100 * delta)
    sign = "+" if points > 0 else "−" if points < 0 else "±"
    return sign + number(abs(points), lang)


def shift_text(result: Result, board: Board, lang: str) -> str:
    """The median shift from before to after, and how many moved (only with both snapshots)."""
    if board.before is None or board.after is None or not board.median_shift:
        return ""
    parts = [_points(board.median_shift[0], lang)]
    if result.dimensions == 2 and len(board.median_shift) > 1:
        parts.append(_points(board.median_shift[1], lang))
    return t("constellation.shift", lang, shift=" / ".join(parts), moved=board.moved, both=len(board.shifts))


# --- the settings form in the agenda editor -----------------------------------------------------------
# A line or a field, the statements one per paragraph (a statement may be long and have line
# breaks of its own; an empty line starts the next), the axis words, names, whether phones see
# the others, sign-off. Each bad field says what is wrong right beside it; nothing is saved until
# every field is fine.

PARAGRAPH = re.compile(r"\n[ \t]*\n")
"""Statements are separated by an empty line (a single line break stays inside a statement)."""
ENDS = {"label": 120, "low": 80, "high": 80}
"""An axis's words and their longest length (as ``methods.constellation.Axis`` allows)."""


def statements_of(text: str) -> list[str]:
    """The form's text as statements: paragraphs, trimmed, empty ones dropped."""
    return [block.strip() for block in PARAGRAPH.split(text.replace("\r\n", "\n")) if block.strip()]


def edit_config(raw_config: dict[str, Any], lang: str) -> Callable[[], dict[str, Any]]:
    """The form; returns a getter for the new config that marks bad fields and raises ``ValueError``."""
    raw = dict(raw_config or {})
    given: dict[str, Any] = raw["axes"] if isinstance(raw.get("axes"), dict) else {}
    axes = {a: {**default.model_dump(), **dict(given.get(a) or {})}
            for a, default in (("x", X_DEFAULT), ("y", Y_DEFAULT))}
    statements = [str(s) for s in raw.get("statements") or []]
    fields: dict[str, Any] = {}
    with ui.column().classes("w-full gap-2"):
        fields["dimensions"] = ui.select(
            {1: t("constellation.edit.line", lang), 2: t("constellation.edit.field", lang)},
            value=2 if raw.get("dimensions") == 2 else 1, label=t("constellation.edit.dimensions", lang)) \
            .props("outlined dense").classes("w-96").mark("con-dimensions")
        fields["statements"] = ui.textarea(t("constellation.edit.statements", lang), value="\n\n".join(statements)) \
            .props(f'outlined autogrow hint="{t("constellation.edit.statements_hint", lang, max=MAX_STATEMENTS)}"') \
            .classes("w-full").mark("con-statements")
        for a in ("x", "y"):
            with ui.row().classes("w-full no-wrap gap-2 items-start") as row:
                for end in ENDS:
                    fields[f"{a}.{end}"] = ui.input(t(f"constellation.edit.{a}_{end}", lang), value=axes[a][end]) \
                        .props("outlined dense").classes("grow" if end == "label" else "w-48") \
                        .mark(f"con-{a}-{end}")
            if a == "y":
                row.bind_visibility_from(fields["dimensions"], "value", value=2)
        with ui.column().classes("gap-0"):
            for key in ("names", "phones_see_others", "sign_off"):
                fields[key] = ui.checkbox(t(f"constellation.edit.{key}", lang), value=bool(raw.get(key))) \
                    .mark(f"con-{key}")

    return checked(fields, lambda problems: _read(fields, lang, problems))


def _read(fields: dict[str, Any], lang: str, problems: list[tuple[str, str]]) -> dict[str, Any]:
    """The config the form describes; every bad field is added to ``problems`` with its message."""
    dimensions = 2 if fields["dimensions"].value == 2 else 1
    statements = statements_of(fields["statements"].value or "")
    if not 1 <= len(statements) <= MAX_STATEMENTS:
        problems.append(("statements", t("constellation.edit.err_statements", lang, max=MAX_STATEMENTS,
                                         n=len(statements))))
    long = next((k for k, s in enumerate(statements, start=1) if len(s) > MAX_STATEMENT_CHARS), None)
    if long is not None:
        problems.append(("statements", t("constellation.edit.err_statement_long", lang, n=long,
                                         max=MAX_STATEMENT_CHARS)))
    axes: dict[str, dict[str, str]] = {}
    for a in ("x", "y") if dimensions == 2 else ("x",):
        axes[a] = {}
        for end, limit in ENDS.items():
            value = (fields[f"{a}.{end}"].value or "").strip()
            if not value and end != "label":
                problems.append((f"{a}.{end}", t("constellation.edit.err_empty", lang)))
            elif len(value) > limit:
                problems.append((f"{a}.{end}", t("constellation.edit.err_length", lang, max=limit)))
            axes[a][end] = value
    return {"dimensions": dimensions, "statements": statements, "axes": axes,
            **{key: bool(fields[key].value) for key in ("names", "phones_see_others", "sign_off")}}


EDIT_TEXTS: dict[str, dict[str, str]] = {
    "constellation.edit.dimensions": {"de": "Aufstellung", "en": "Constellation"},
    "constellation.edit.line": {"de": "auf einer Linie (eine Achse)", "en": "on a line (one axis)"},
    "constellation.edit.field": {"de": "in einem Feld (zwei Achsen)", "en": "in a field (two axes)"},
    "constellation.edit.statements": {"de": "Aussagen (eine pro Absatz)", "en": "Statements (one per paragraph)"},
    "constellation.edit.statements_hint": {
        "de": "1 bis {max} Aussagen, nacheinander gezeigt; eine Leerzeile beginnt die nächste. Eine Aussage darf "
              "lang sein und eigene Zeilenumbrüche haben.",
        "en": "1 to {max} statements, shown one after another; an empty line starts the next. A statement may "
              "be long and have line breaks of its own."},
    "constellation.edit.x_label": {"de": "Achse (waagerecht)", "en": "Axis (horizontal)"},
    "constellation.edit.x_low": {"de": "linkes Ende", "en": "left end"},
    "constellation.edit.x_high": {"de": "rechtes Ende", "en": "right end"},
    "constellation.edit.y_label": {"de": "Zweite Achse (senkrecht)", "en": "Second axis (vertical)"},
    "constellation.edit.y_low": {"de": "unteres Ende", "en": "bottom end"},
    "constellation.edit.y_high": {"de": "oberes Ende", "en": "top end"},
    "constellation.edit.names": {"de": "Namen zeigen (nur wenn die Sitzung Namen erfragt)",
                                 "en": "Show names (only if the session asks for names)"},
    "constellation.edit.phones_see_others": {"de": "Handys sehen, wo die anderen stehen",
                                             "en": "Phones see where the others stand"},
    "constellation.edit.sign_off": {"de": "Aussagen können unterschrieben werden",
                                    "en": "Statements can be signed"},
    "constellation.edit.err_statements": {"de": "Bitte 1 bis {max} Aussagen angeben (jetzt {n}).",
                                          "en": "Please give 1 to {max} statements (now {n})."},
    "constellation.edit.err_statement_long": {"de": "Aussage {n} ist zu lang (höchstens {max} Zeichen).",
                                              "en": "Statement {n} is too long (at most {max} characters)."},
    "constellation.edit.err_empty": {"de": "Bitte ausfüllen.", "en": "Please fill in."},
    "constellation.edit.err_length": {"de": "Höchstens {max} Zeichen.", "en": "At most {max} characters."},
}


VIEWS = MethodViews(phone=ConstellationPhone, console=ConstellationConsole, editor=edit_config)


TEXTS: dict[str, dict[str, str]] = {
    **EDIT_TEXTS,  # the settings form's (above)
    "method.constellation": {"de": "Aufstellung im Raum", "en": "Room constellation"},
    "constellation.statement_of": {"de": "Aussage {n} von {total}", "en": "Statement {n} of {total}"},
    # the phone
    "constellation.unplaced_line": {
        "de": "Noch nicht platziert – tippen Sie auf die Linie, wo Sie stehen.",
        "en": "Not placed yet – tap the line where you stand."},
    "constellation.unplaced_field": {
        "de": "Noch nicht platziert – tippen Sie in das Feld, wo Sie stehen.",
        "en": "Not placed yet – tap the field where you stand."},
    "constellation.frozen": {"de": "Eingefroren – Ihr Punkt bleibt, wo er ist.",
                             "en": "Frozen – your dot stays where it is."},
    "constellation.moving": {"de": "Loslassen zum Speichern …", "en": "Let go to save …"},
    "constellation.nudge_left": {"de": "Punkt nach links", "en": "Dot to the left"},
    "constellation.nudge_right": {"de": "Punkt nach rechts", "en": "Dot to the right"},
    "constellation.nudge_up": {"de": "Punkt nach oben", "en": "Dot up"},
    "constellation.nudge_down": {"de": "Punkt nach unten", "en": "Dot down"},
    "constellation.slider": {"de": "Ihr Standpunkt (Pfeiltasten bewegen den Punkt)",
                             "en": "Your position (arrow keys move the dot)"},
    "constellation.others": {"de": "Graue Punkte: wo die anderen stehen", "en": "Grey dots: where the others stand"},
    "constellation.sign_title": {"de": "Unterschreiben: Aussage {n}", "en": "Sign: statement {n}"},
    "constellation.sign_name": {"de": "Ihr Name", "en": "Your name"},
    "constellation.sign_draw": {"de": "Unterschrift (freiwillig) – mit dem Finger zeichnen",
                                "en": "Signature (optional) – draw with your finger"},
    "constellation.sign_clear": {"de": "Löschen", "en": "Clear"},
    "constellation.sign_send": {"de": "Unterschreiben", "en": "Sign"},
    "constellation.sign_full": {"de": "Die Unterschrift ist voll – bitte löschen oder so absenden.",
                                "en": "The signature is full – please clear it or send it as it is."},
    "constellation.signed": {"de": "Unterschrieben als {name} ✓", "en": "Signed as {name} ✓"},
    "constellation.sign_again": {"de": "Neu unterschreiben", "en": "Sign again"},
    # the console
    "constellation.count": {"de": "{placed} platziert · {not_placed} noch nicht platziert",
                            "en": "{placed} placed · {not_placed} not placed yet"},
    "constellation.before_at": {"de": "Vor der Diskussion ({time})", "en": "Before the discussion ({time})"},
    "constellation.after_at": {"de": "Nach der Diskussion ({time})", "en": "After the discussion ({time})"},
    "constellation.now": {"de": "Jetzt", "en": "Now"},
    "constellation.median": {"de": "Median", "en": "Median"},
    "constellation.nobody": {"de": "Noch niemand platziert", "en": "Nobody placed yet"},
    "constellation.end_low": {"de": "ein Ende", "en": "one end"},
    "constellation.end_middle": {"de": "die Mitte", "en": "the middle"},
    "constellation.end_high": {"de": "das andere Ende", "en": "the other end"},
    "constellation.console_frozen": {"de": "Eingefroren", "en": "Frozen"},
    "constellation.console_signing": {"de": "Unterschreiben läuft für Aussage {n}: {count} unterschrieben",
                                      "en": "Signing statement {n}: {count} signed"},
    "constellation.signatures": {"de": "Unterschriften: {n}", "en": "Signatures: {n}"},
    "constellation.few": {"de": "Höchstens drei Punkte: keine Verteilung, keine Namen.",
                          "en": "Three dots or fewer: no distribution, no names."},
    "constellation.stats": {"de": "{axis}: Median {median} % Richtung „{high}“, mittlere Hälfte {q1}–{q3} %",
                            "en": "{axis}: median {median}% towards “{high}”, middle half {q1}–{q3}%"},
    "constellation.shift": {"de": "Verschiebung des Medians: {shift} Punkte · {moved} von {both} haben sich bewegt",
                            "en": "Median shift: {shift} points · {moved} of {both} moved"},
    # the outcome's sentences (methods/constellation.py says which), on console, phone and in the PDF
    "constellation.empty": {"de": "Noch niemand hat sich aufgestellt.", "en": "Nobody has taken a position yet."},
    "constellation.stands_high": {"de": "Aussage {n}: Median bei {median} % – Richtung „{high}“",
                                  "en": "Statement {n}: median at {median}% – towards “{high}”"},
    "constellation.stands_low": {"de": "Aussage {n}: Median bei {median} % – Richtung „{low}“",
                                 "en": "Statement {n}: median at {median}% – towards “{low}”"},
    "constellation.stands_middle": {"de": "Aussage {n}: Median bei {median} % – in der Mitte",
                                    "en": "Statement {n}: median at {median}% – in the middle"},
    "constellation.stands_many": {"de": "Median je Aussage (0 = „{low}“, 100 = „{high}“): {medians}",
                                  "en": "Median per statement (0 = “{low}”, 100 = “{high}”): {medians}"},
    "constellation.nobody_yet": {"de": "Aussage {n}: noch niemand platziert", "en": "Statement {n}: nobody placed yet"},
    "constellation.note_no_after": {"de": "Aussage {n}: Stand nach der Diskussion noch nicht festgehalten.",
                                    "en": "Statement {n}: the position after the discussion is not yet recorded."},
    # the moderator's commands (buttons and their forms)
    "constellation.cmd.freeze": {"de": "Einfrieren", "en": "Freeze"},
    "constellation.cmd.unfreeze": {"de": "Wieder freigeben", "en": "Unfreeze"},
    "constellation.cmd.snapshot": {"de": "Stand festhalten", "en": "Take a snapshot"},
    "constellation.cmd.snapshot.label": {"de": "Welcher Stand?", "en": "Which snapshot?"},
    "constellation.cmd.snapshot.label.before": {"de": "vor der Diskussion", "en": "before the discussion"},
    "constellation.cmd.snapshot.label.after": {"de": "nach der Diskussion", "en": "after the discussion"},
    "constellation.cmd.highlight": {"de": "Enden und Mitte zeigen", "en": "Show the ends and the middle"},
    "constellation.cmd.next_statement": {"de": "Nächste Aussage", "en": "Next statement"},
    "constellation.cmd.previous_statement": {"de": "Vorherige Aussage", "en": "Previous statement"},
    "constellation.cmd.open_signing": {"de": "Unterschreiben öffnen", "en": "Open signing"},
    "constellation.cmd.open_signing.statement": {"de": "Aussage (leer: die aktuelle; 0 = die erste)",
                                                 "en": "Statement (empty: the current one; 0 = the first)"},
    "constellation.cmd.close_signing": {"de": "Unterschreiben beenden", "en": "Close signing"},
    # the agenda editor's problems
    "problem.dimensions_choice": {"de": "muss 1 (eine Linie) oder 2 (ein Feld) sein.",
                                  "en": "must be 1 (a line) or 2 (a field)."},
    "problem.field.statements": {"de": "Aussagen", "en": "Statements"},
    "problem.field.dimensions": {"de": "Dimensionen", "en": "Dimensions"},
    "problem.field.phones_see_others": {"de": "Handys sehen die anderen", "en": "Phones see the others"},
    "problem.field.sign_off": {"de": "Unterschreiben", "en": "Sign-off"},
    # refusals (``err.`` + the key methods/constellation.py raises)
    "err.constellation_coordinate": {"de": "Die Position ({axis}) muss eine Zahl sein.",
                                     "en": "The position ({axis}) must be a number."},
    "err.constellation_outside": {"de": "Die Position ({axis}) muss zwischen 0 und 1 liegen.",
                                  "en": "The position ({axis}) must lie between 0 and 1."},
    "err.constellation_no_y": {"de": "Auf einer Linie gibt es nur eine Richtung (kein y).",
                               "en": "A line has only one direction (no y)."},
    "err.constellation_position_invalid": {
        "de": "Eine Position besteht aus der Aussage und x (im Feld auch y).",
        "en": "A position consists of the statement and x (in a field also y)."},
    "err.constellation_statement": {"de": "Diese Aussage gibt es nicht (Nummern 0 bis {last}).",
                                    "en": "There is no such statement (numbers 0 to {last})."},
    "err.constellation_not_current": {"de": "Aussage {n} ist gerade nicht dran (jetzt: Aussage {current}).",
                                      "en": "Statement {n} is not on screen now (now: statement {current})."},
    "err.constellation_frozen": {"de": "Aussage {n} ist eingefroren – Ihr Punkt bleibt, wo er war.",
                                 "en": "Statement {n} is frozen – your dot stays where it was."},
    "err.constellation_no_sign_off": {"de": "Bei diesem Punkt wird nicht unterschrieben.",
                                      "en": "This item has no sign-off."},
    "err.constellation_sign_invalid": {"de": "Eine Unterschrift besteht aus der Aussage, dem Namen und "
                                             "wahlweise den Strichen.",
                                       "en": "A signature consists of the statement, the name and optionally "
                                             "the strokes."},
    "err.constellation_sign_name": {"de": "Bitte geben Sie Ihren Namen ein (höchstens {max} Zeichen).",
                                    "en": "Please enter your name (at most {max} characters)."},
    "err.constellation_strokes": {"de": "Die Unterschrift ist zu groß oder ungültig (höchstens {strokes} "
                                        "Striche, {points} Punkte).",
                                  "en": "The signature is too large or invalid (at most {strokes} strokes, "
                                        "{points} points)."},
    "err.constellation_signing_closed": {"de": "Für Aussage {n} ist das Unterschreiben nicht geöffnet.",
                                         "en": "Signing is not open for statement {n}."},
    "err.constellation_already_frozen": {"de": "Aussage {n} ist schon eingefroren.",
                                         "en": "Statement {n} is already frozen."},
    "err.constellation_not_frozen": {"de": "Aussage {n} ist nicht eingefroren.", "en": "Statement {n} is not frozen."},
    "err.constellation_snapshot_taken": {"de": "Dieser Stand von Aussage {n} ist schon festgehalten und "
                                               "bleibt, wie er ist.",
                                         "en": "This snapshot of statement {n} is already taken and stays as it is."},
    "err.constellation_snapshot_before_first": {
        "de": "Bitte zuerst den Stand vor der Diskussion festhalten (Aussage {n}).",
        "en": "Please take the snapshot before the discussion first (statement {n})."},
    "err.constellation_first_statement": {"de": "Das ist schon die erste Aussage.",
                                          "en": "This is the first statement already."},
    "err.constellation_last_statement": {"de": "Das war die letzte Aussage ({n}).",
                                         "en": "That was the last statement ({n})."},
    "err.constellation_not_reached": {"de": "Aussage {n} ist noch nicht dran (jetzt: Aussage {current}).",
                                      "en": "Statement {n} has not been reached (now: statement {current})."},
    "err.constellation_signing_open": {"de": "Für Aussage {n} läuft das Unterschreiben schon.",
                                       "en": "Signing statement {n} is already open."},
    "err.constellation_signing_not_open": {"de": "Es läuft gerade kein Unterschreiben.",
                                           "en": "No signing is open."},
}

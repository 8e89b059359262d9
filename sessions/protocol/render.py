"""The Fotoprotokoll: cover, agenda, one section per step with its board "photos", closing page.

``render(data, t, progress)`` turns :class:`ProtocolData` into A4 PDF bytes. It reads nothing but
its arguments (no database, no network, no browser), so it runs in a worker thread and is tested
with hand-made data. Participant text is always printed literally (escaped or drawn as strings).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from methods import registry
from methods.base import Outcome, Text
from sessions.protocol import frame, generic, parts, style
from sessions.protocol.board import Board
from sessions.protocol.data import DecisionData, PhotoData, ProtocolData, RoundData, StepData, Translate
from sessions.protocol.registry import board as find_board
from sessions.states import PARTICIPANT_REMOVED, StepState

PAGE_W, PAGE_H = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 20 * mm
PRINT_W = 150 * mm  # a board print, border included
PHOTO_MAX_W = 135 * mm
HAND_VOTE_H = 92 * mm
PHOTO_MAX_H = 92 * mm  # two photos fit on a page

Progress = Callable[[float], None]


def render(data: ProtocolData, t: Translate, progress: Progress | None = None) -> bytes:
    """The session's photo protocol as PDF bytes; ``progress`` gets 0 … 1 as steps are laid out."""
    report: Progress = progress or (lambda fraction: None)
    report(0.0)
    style.register_fonts()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM, title=data.title, author=data.moderator,
        subject=t("pdf.cover_label"), creator="Moderationskoffer", invariant=1,
    )
    body = Frame(MARGIN_X, MARGIN_BOTTOM, PAGE_W - 2 * MARGIN_X, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM,
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([
        PageTemplate(id="cover", frames=[body], onPage=_cover_decoration),
        PageTemplate(id="page", frames=[body]),
    ])
    refs = _Refs()
    story = _Story(data, t, report, refs).build()
    doc.build(story, canvasmaker=_numbered_canvas(data, t, refs))
    report(1.0)
    return buffer.getvalue()


# --- page decoration ----------------------------------------------------------------------------


def _cover_decoration(c: Canvas, doc: Any) -> None:
    c.saveState()
    c.setFillColor(style.ACCENT)
    c.rect(0, PAGE_H - 14 * mm, PAGE_W, 14 * mm, stroke=0, fill=1)
    c.setFillColor(style.TABLE)
    c.rect(0, 0, PAGE_W, 12 * mm, stroke=0, fill=1)
    c.restoreState()


class _Refs:
    """Page references: where each step starts, and where the agenda wants to print that number."""

    def __init__(self) -> None:
        self.targets: dict[str, int] = {}
        self.slots: list[tuple[int, float, float, str]] = []


class _Anchor(Paragraph):  # type: ignore[misc]
    """A heading that notes the page it lands on."""

    def __init__(self, text: str, style_: Any, refs: _Refs, key: str) -> None:
        super().__init__(text, style_)
        self._refs = refs
        self._key = key

    def draw(self) -> None:
        self._refs.targets.setdefault(self._key, self.canv.getPageNumber())
        super().draw()


class _PageRef(Flowable):  # type: ignore[misc]
    """A table cell that shows the page of ``key``; the number is filled in when the pages are saved."""

    def __init__(self, refs: _Refs, key: str) -> None:
        super().__init__()
        self._refs = refs
        self._key = key

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, 9

    def draw(self) -> None:
        x, y = self.canv.absolutePosition(self.width, 0)
        self._refs.slots.append((self.canv.getPageNumber(), x, y, self._key))


def _numbered_canvas(data: ProtocolData, t: Translate, refs: _Refs) -> type[Canvas]:
    """A canvas that holds its pages back until the end, so every page can say "Seite 3 von 9"
    and the agenda can name the page each step starts on."""
    header_left = data.title
    header_right = f"{t('pdf.cover_label')} · {style.day(data.date, t)}"
    footer_left = t("pdf.footer_generated", at=style.stamp(data.generated_at, t))

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                Canvas.showPage(self)
            Canvas.save(self)

        def _decorate(self, total: int) -> None:
            page = self._pageNumber
            self.saveState()
            self.setFont(style.FONT, 7.5)
            self.setFillColor(style.MUTED)
            right = PAGE_W - MARGIN_X
            if page > 1:
                y = PAGE_H - 14 * mm
                width = stringWidth(header_right, style.FONT, 7.5)
                self.drawRightString(right, y, header_right)
                self.drawString(MARGIN_X, y, style.fit(header_left, style.FONT, 7.5,
                                                       right - MARGIN_X - width - 8 * mm))
                self.setStrokeColor(style.RULE)
                self.setLineWidth(0.4)
                self.line(MARGIN_X, y - 2.5 * mm, right, y - 2.5 * mm)
            y = 10 * mm if page > 1 else 4.5 * mm
            self.drawString(MARGIN_X, y, footer_left)
            self.drawRightString(right, y, t("pdf.page_of", page=page, total=total))
            self.setFont(style.FONT, 8)
            self.setFillColor(style.INK)
            for on_page, x, y, key in refs.slots:
                if on_page == page:
                    self.drawRightString(x, y + 1.5, str(refs.targets.get(key, "–")))
            self.restoreState()

    return NumberedCanvas


# --- the story ----------------------------------------------------------------------------------


def _method_name(method: str, t: Translate) -> str:
    """A registered method's name in the session language; an unknown one (an old archive) as is."""
    return t(f"method.{method}") if method in registry.names() else method


def _board(method: str) -> Board | None:
    return find_board(method)


def _outcome(method: str, rnd: RoundData) -> Outcome | None:
    """The engine's outcome of a stored round: the same sentence the console showed."""
    try:
        engine = registry.engine(method)
        return engine.outcome(engine.load_result(rnd.result))
    except Exception:  # an unknown method or an unreadable old snapshot: the numbers still print
        frame.log.exception("outcome of %s failed", method)
        return None


def _say(text: Text | None, t: Translate) -> str | None:
    return None if text is None else t(text.key, **dict(text.params))


def _window(step: StepData, t: Translate) -> str:
    if not step.rounds:
        return "–"
    return style.span(step.rounds[0].opened_at, step.rounds[-1].closed_at, t)


def _state(step: StepData, t: Translate) -> str:
    if not step.rounds:
        return t("pdf.state_not_held")
    key = f"pdf.state_{step.state}"
    text = t(key)
    return step.state if text == key else text


def _call(hook: Callable[..., Any] | None, default: Any, *args: Any) -> Any:
    """Call an optional board hook; a failing hook falls back to ``default`` (never crash)."""
    if hook is None:
        return default
    try:
        return hook(*args)
    except Exception:
        frame.log.exception("protocol hook %s failed", getattr(hook, "__qualname__", hook))
        return default


class _Story:
    def __init__(self, data: ProtocolData, t: Translate, report: Progress, refs: _Refs) -> None:
        self.refs = refs
        self.data = data
        self.t = t
        self.report = report
        self.figure = 0
        self.out: list[Flowable] = []

    def build(self) -> list[Flowable]:
        self._cover()
        self._agenda()
        steps = self.data.steps
        units = len(steps) + (1 if self.data.loose_photos else 0)
        done = 0
        for step in steps:
            self._step(step)
            done += 1
            self.out.append(frame.Progress(self.report, 0.95 * done / max(units, 1)))
        if self.data.loose_photos:
            self.out.append(PageBreak())
            heading = [style.para(self.t("pdf.loose_photos_title"), "h1"),
                       style.para(self.t("pdf.loose_photos_intro"), "meta")]
            for photo in self.data.loose_photos:
                self._photo(photo, position=len(steps), heading=heading)
                heading = []
            self.out.append(frame.Progress(self.report, 0.95))
        self._closing()
        return self.out

    # cover -------------------------------------------------------------------------------------

    def _cover(self) -> None:
        d, t = self.data, self.t
        rounds = sum(len(s.rounds) for s in d.steps)
        photos = len(d.loose_photos) + sum(len(s.photos) for s in d.steps)
        rows = [
            (t("pdf.cover_date"), style.day(d.date, t)),
            (t("pdf.cover_place"), d.place or "–"),
            (t("pdf.cover_moderator"), d.moderator or "–"),
            (t("pdf.cover_participants"),
             t("pdf.cover_participants_removed" if d.participants_removed else "pdf.cover_participants_value",
               joined=d.participants_joined, active=d.participants_active, removed=d.participants_removed)),
            (t("pdf.cover_time"), style.span(d.started_at, d.ended_at, t)),
            (t("pdf.cover_agenda"), t("pdf.cover_agenda_value", steps=len(d.steps), rounds=rounds)),
            (t("pdf.cover_photos"), str(photos)),
            (t("pdf.cover_generated"), style.stamp(d.generated_at, t)),
        ]
        table = Table([[style.para(k, "cover_key"), style.para(v, "cover_val")] for k, v in rows],
                      colWidths=[45 * mm, parts.FULL_WIDTH - 45 * mm], hAlign="LEFT")
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, style.RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ]))
        self.out += [
            NextPageTemplate("page"),
            Spacer(1, 28 * mm),
            style.para(t("pdf.cover_label").upper(), "cover_label"),
            Spacer(1, 3 * mm),
            style.para(d.title or "–", "cover_title"),
            Spacer(1, 3 * mm),
            style.para(" · ".join(p for p in (style.day(d.date, t), d.place) if p and p != "–"), "meta"),
            Spacer(1, 14 * mm),
            table,
            Spacer(1, 16 * mm),
            style.para(t("pdf.cover_note"), "small"),
            PageBreak(),
        ]

    # agenda ------------------------------------------------------------------------------------

    def _agenda(self) -> None:
        t = self.t
        self.out.append(style.para(t("pdf.agenda_title"), "h1"))
        self.out.append(Spacer(1, 3 * mm))
        if not self.data.steps:
            self.out.append(style.para(t("pdf.agenda_empty"), "body"))
            return
        rows: list[list[Any]] = [[t("pdf.col_top"), t("pdf.col_step"), t("pdf.col_method"), t("pdf.col_time"),
                                  t("pdf.col_rounds"), t("pdf.col_state"), t("pdf.col_page")]]
        for step in self.data.steps:
            rows.append([str(step.position + 1), parts.cell(step.title),
                         parts.cell(_method_name(step.method, t)), _window(step, t), str(len(step.rounds)),
                         parts.cell(_state(step, t)), _PageRef(self.refs, _step_key(step))])
        self.out.append(parts.grid(rows, [10 * mm, 53 * mm, 36 * mm, 21 * mm, 15 * mm, 24 * mm, 11 * mm],
                                   numeric=(0, 4, 6)))
        self.out.append(Spacer(1, 4 * mm))
        self.out.append(style.para(t("pdf.agenda_note"), "small"))

    # steps -------------------------------------------------------------------------------------

    def _step(self, step: StepData) -> None:
        t = self.t
        board = _board(step.method)
        self.out.append(PageBreak())
        heading = (f"<font color='#5F6B7A'>{style.esc(t('pdf.top_n', n=step.position + 1))}</font>"
                   f"&nbsp;&nbsp;{style.esc(step.title)}")
        self.out.append(_Anchor(heading, style.STYLES["h1"], self.refs, _step_key(step)))
        meta = [_method_name(step.method, t), _state(step, t)]
        if step.rounds:
            meta.append(t("pdf.rounds_count", count=len(step.rounds)))
            meta.append(_window(step, t))
        self.out.append(style.para(" · ".join(meta), "meta"))
        if not step.rounds:
            self.out.append(Spacer(1, 4 * mm))
            self.out.append(parts.decision_box(t("pdf.result_label"), t("pdf.step_not_held"), "none"))
        for index, rnd in enumerate(step.rounds):
            if index:
                self.out.append(PageBreak())
            if len(step.rounds) > 1 and index == 0:
                self.out.append(style.para(t("pdf.round_heading", n=rnd.round), "h2"))
            elif index:
                self.out.append(style.para(t("pdf.round_heading_more", n=rnd.round, top=step.position + 1,
                                             title=step.title), "h2"))
            self._round(step, rnd, index, board)
        if len(step.rounds) > 1 and board is not None and board.compare is not None:
            table = _call(board.compare, [], step.rounds, t)
            if table:
                self.out.append(CondPageBreak(45 * mm))
                self.out.append(style.para(t("pdf.compare_title"), "h3"))
                self.out.extend(table)
        photos_heading: list[Flowable] = [style.para(t("pdf.photos_title", n=step.position + 1), "h2")]
        placed: set[int] = set()  # shown by the board beside what they belong to (a table's tablecloth)
        if board is not None and board.photos is not None:
            for rnd in step.rounds:
                placed |= _call(board.photos, set(), rnd)
        for photo in step.photos:
            if photo.id is not None and photo.id in placed:
                continue
            self._photo(photo, position=step.position, heading=photos_heading)
            photos_heading = []  # the heading stays with the first photo

    def _round(self, step: StepData, rnd: RoundData, index: int, board: Board | None) -> None:
        t = self.t
        question = _question(rnd)
        if question:
            self.out.append(style.markup(f"<font color='#5F6B7A'>{style.esc(t('pdf.question'))}:</font> "
                                         f"{style.esc(question)}", "body"))
        source = _items_source(rnd, self.data)
        if source is not None:
            self.out.append(style.para(t("pdf.items_from", n=source.position + 1, title=source.title), "meta"))
        caption = t("pdf.caption_round", method=_method_name(step.method, t), round=rnd.round,
                    time=style.span(rnd.opened_at, rnd.closed_at, t), contributors=rnd.contributors)
        if board is not None:
            self.figure += 1
            height = _call(board.height, HAND_VOTE_H, rnd)

            def paint(c: Canvas, x: float, y: float, w: float, h: float, rnd: RoundData = rnd,
                      board: Board = board) -> None:
                board.draw(c, x, y, w, h, rnd, t)

            photo = frame.PrintOnTable(paint, PRINT_W, height, frame.tilt(step.position, index),
                                       MARGIN_X, MARGIN_X, board=True, failed_text=t("pdf.board_failed"))
            self.out.append(KeepTogether([
                Spacer(1, 2 * mm), photo,
                style.para(t("pdf.figure", n=self.figure, text=caption), "caption"),
            ]))
        else:
            self.out.append(style.para(caption, "caption"))
        self.out.append(style.para(t("pdf.transcription_title"), "h3"))
        flowables = _call(board.transcription if board is not None else None, None, rnd, t)
        if flowables is None:  # no board, or its transcription failed: the raw numbers instead
            flowables = generic.transcription(rnd, t)
        self.out.extend(flowables)
        outcome = _outcome(step.method, rnd)
        decision = _say(outcome.decision, t) if outcome is not None else None
        self.out.append(Spacer(1, 3 * mm))
        if decision and outcome is not None:
            self.out.append(parts.decision_box(t("pdf.result_label"), decision, outcome.tone))
        else:
            empty = t("pdf.see_transcription") if outcome is None else t("pdf.no_decision")
            self.out.append(parts.decision_box(t("pdf.result_label"), empty, "none"))
        if rnd.decisions:
            self.out.append(Spacer(1, 3 * mm))
            self.out.append(style.para(t("pdf.decisions_moderator"), "h3"))
            rows: list[list[Any]] = [[t("pdf.col_time"), t("pdf.col_command"), t("pdf.col_details")]]
            for d in rnd.decisions:
                label, details = _command_text(step.method, d, t, rnd.config)
                rows.append([style.clock(d.at, t), parts.cell(label), parts.cell(details)])
            self.out.append(parts.grid(rows, [18 * mm, 52 * mm, parts.FULL_WIDTH - 70 * mm]))

    def _photo(self, photo: PhotoData, position: int, heading: list[Flowable]) -> None:
        t = self.t
        self.figure += 1
        paint, ratio = frame.image_painter(photo.data)
        w, h = frame.photo_size(ratio, PHOTO_MAX_W, PHOTO_MAX_H)
        print_ = frame.PrintOnTable(paint, w, h, frame.tilt(position, self.figure), MARGIN_X, MARGIN_X,
                                    board=False, failed_text=t("pdf.photo_failed"))
        text = t("pdf.photo_caption", caption=photo.caption or "–")
        if photo.taken_at:
            text += " · " + t("pdf.photo_taken", at=style.stamp(photo.taken_at, t))
        self.out.append(KeepTogether([*heading, Spacer(1, 2 * mm), print_,
                                      style.para(t("pdf.figure", n=self.figure, text=text), "caption")]))

    # closing -----------------------------------------------------------------------------------

    def _closing(self) -> None:
        t = self.t
        self.out.append(PageBreak())
        self.out.append(style.para(t("pdf.decisions_title"), "h1"))
        self.out.append(Spacer(1, 2 * mm))
        issues: list[tuple[StepData, str]] = []
        if self.data.steps:
            rows: list[list[Any]] = [[t("pdf.col_top"), t("pdf.col_step"), t("pdf.col_result")]]
            for step in self.data.steps:
                text, step_issues = self._outcome(step)
                issues += [(step, i) for i in step_issues]
                rows.append([str(step.position + 1), parts.cell(step.title), parts.cell(text)])
            self.out.append(parts.grid(rows, [12 * mm, 60 * mm, 98 * mm], numeric=(0,)))
        else:
            self.out.append(style.para(t("pdf.agenda_empty"), "body"))
        self.out.append(Spacer(1, 6 * mm))
        self.out.append(style.para(t("pdf.open_title"), "h2"))
        if issues:
            rows = [[t("pdf.col_top"), t("pdf.col_step"), t("pdf.col_open")]]
            rows += [[str(s.position + 1), parts.cell(s.title), parts.cell(i)] for s, i in issues]
            self.out.append(parts.grid(rows, [12 * mm, 60 * mm, 98 * mm], numeric=(0,)))
        else:
            self.out.append(style.para(t("pdf.open_none"), "body"))
        self.out.append(Spacer(1, 18 * mm))
        self.out.append(_signatures(t))

    def _outcome(self, step: StepData) -> tuple[str, list[str]]:
        """The step's result for the closing page and its open items."""
        t = self.t
        if not step.rounds:
            return t("pdf.step_not_held"), [t("pdf.issue_not_held")]
        last = step.rounds[-1]
        outcome = _outcome(step.method, last)
        decision = (_say(outcome.decision, t) if outcome is not None else None) or (
            t("pdf.see_transcription") if outcome is None else t("pdf.no_decision"))
        if len(step.rounds) > 1:
            decision = t("pdf.in_round", round=last.round, text=decision)
        issues: list[str] = []
        if step.state == StepState.OPEN or last.closed_at is None:
            issues.append(t("pdf.issue_still_open"))
        issues += [t(n.key, **dict(n.params)) for n in outcome.notes] if outcome is not None else []
        return decision, issues


QUOTED = ("card", "cards")
"""Payload fields whose labels are participants' wording, printed in quotes."""


def _command_text(method: str, decision: DecisionData, t: Translate, config: Any = None) -> tuple[str, str]:
    """A decision's command and payload in words, with the method's own labels where it has them:
    a value the command's form picks from ``choices`` (an item id) by its label, yes/no in words."""
    if decision.command == PARTICIPANT_REMOVED:  # the moderator's, not the method's
        return t("pdf.removed_command"), t("pdf.removed_details", **decision.payload)
    method_engine = registry.engine(method) if method in registry.names() else None
    command = method_engine.command(decision.command) if method_engine is not None else None
    if command is None or method_engine is None:
        return decision.command, ", ".join(f"{k}: {v}" for k, v in decision.payload.items())
    choices: Mapping[str, Mapping[str, str]] = {}
    if command.choices is not None and isinstance(config, dict):
        try:
            choices = command.choices(method_engine.parse_config(config))
        except ValueError:  # a round's config that no longer parses: ids stay ids
            choices = {}

    # what the command recorded it saw the named ids as (a card's wording at that moment) comes
    # before the config's choices: a card id means nothing to a reader
    recorded = decision.payload.get("labels")
    if isinstance(recorded, dict):
        choices = {**choices, **{k: v for k, v in recorded.items() if isinstance(v, dict)}}

    def said(key: str, value: Any) -> str:
        if isinstance(value, bool):
            return t("pdf.yes" if value else "pdf.no")
        if isinstance(value, list):
            return "; ".join(said(key, v) for v in value)
        label = choices.get(key, {}).get(str(value))
        return f"„{label}“" if label is not None and key in QUOTED else str(label if label is not None else value)

    # only what the moderator gave: what the command recorded beside it (a snapshot of 500
    # positions) is the method's to show, not a line of this table
    fields = command.payload.model_fields
    details = ", ".join(f"{t(f'{command.label}.{k}')}: {said(k, v)}" for k, v in decision.payload.items()
                        if k in fields and v is not None)  # a field left out is no detail ("Tisch: None")
    return t(command.label), details


def _items_source(rnd: RoundData, data: ProtocolData) -> StepData | None:
    """The earlier step a round took its items from (``items_from`` in the round's config)."""
    ref = rnd.config.get("items_from") if isinstance(rnd.config, dict) else None
    position = ref.get("step") if isinstance(ref, dict) else None
    return next((s for s in data.steps if s.position == position), None) if isinstance(position, int) else None


def _step_key(step: StepData) -> str:
    return f"step-{step.position}-{id(step)}"


def _question(rnd: RoundData) -> str:
    result = rnd.result if isinstance(rnd.result, dict) else {}
    q = result.get("question") or (rnd.config.get("question") if isinstance(rnd.config, dict) else None)
    return str(q).strip() if q else ""


def _signatures(t: Translate) -> Table:
    cells = [[style.para(t("pdf.sign_place_date"), "small"), "", style.para(t("pdf.sign_minutes"), "small")]]
    table = Table([["", "", ""], *cells], colWidths=[75 * mm, 20 * mm, 75 * mm], rowHeights=[12 * mm, None],
                  hAlign="LEFT")
    table.setStyle(TableStyle([
        ("LINEBELOW", (0, 0), (0, 0), 0.6, style.INK),
        ("LINEBELOW", (2, 0), (2, 0), 0.6, style.INK),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table

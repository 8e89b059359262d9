"""Room constellation in the protocol: the room seen from above, per statement, before and after.

The board is a photo of the floor: per statement the line (or field) with every dot, stacked
where people stood close together, the median marked, before and after the discussion one
above the other (1D) or side by side (2D). The transcription gives the numbers per picture, the
shift, where the step shows names who stood where (``Result.people``, filled only where the
step allows names and the session collects them), and the signatures drawn from their strokes
with the signers' names and times.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from reportlab.graphics.shapes import Drawing, PolyLine, Rect
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Spacer

from methods.constellation import PAD, Board, Picture, Result, Signature, Spot
from sessions.protocol import parts, style
from sessions.protocol.board import Board as ProtocolBoard
from sessions.protocol.data import RoundData, Translate

HEAD_H = 9 * mm
LINE_H = 30 * mm
FIELD_H = 72 * mm
TOP = 5 * mm
FRAME = 24 * mm
"""What the print's white border, the wall and the paper's margin take (sessions/protocol/frame.py)."""
"""Kept free at the top of the print, where the pins hold it."""
MAX_H = 235 * mm
SIGN_W, SIGN_H = 42 * mm, 14 * mm


def _result(rnd: RoundData) -> Result:
    """The stored result, typed; an old or broken one reads as empty (the rest of the PDF stands)."""
    try:
        return Result.model_validate(dict(rnd.result or {}))
    except Exception:  # noqa: BLE001 - a protocol is printed whatever a snapshot holds
        return Result()


def _pictures(board: Board, t: Translate) -> list[tuple[str, Picture]]:
    """What the board shows of a statement: before and after, else the final live picture."""
    out = []
    if board.before is not None:
        out.append((t("pdf.con_before", time=_time(board.before.at)), board.before))
    if board.after is not None:
        out.append((t("pdf.con_after", time=_time(board.after.at)), board.after))
    if not out or board.after is None:
        out.append((t("pdf.con_end") if out else "", board.live))
    return out


def _time(at: str | None) -> str:
    return at[11:16] if at and len(at) >= 16 else "–"


def _shown(res: Result) -> list[Board]:
    return [b for b in res.statements if b.reached]


def _panel_height(res: Result, board: Board, t: Translate) -> float:
    rows = len(_pictures(board, t))
    return float(HEAD_H + (rows * LINE_H if res.dimensions == 1 else FIELD_H))


def board_height(rnd: RoundData) -> float:
    res = _result(rnd)
    boards = _shown(res)
    if not boards:
        return float(40 * mm)
    # the print's border, the wall around the paper and the paper's margin take FRAME of it
    total = sum(_panel_height(res, b, _no_text) for b in boards) + TOP + 4 * mm + FRAME
    return float(min(MAX_H, total))


def _no_text(key: str, **params: Any) -> str:
    return key


# --- the board ----------------------------------------------------------------------------------


def _dot_plot(c: Canvas, x: float, y: float, width: float, height: float, spots: Sequence[Spot],
              hollow: bool) -> None:
    """Dots stacked upwards from the line at y, in buckets as wide as a dot (as on the console).

    A dot stays a dot one can see on paper (at least 2 mm): where a crowd would stack higher than
    the room above the line, the dots of a stack overlap instead of shrinking to specks."""
    d = 2.6 * mm
    stacks: dict[int, int] = {}
    for _ in range(30):
        stacks = {}
        for s in spots:
            bucket = round(s[1] * width / d)
            stacks[bucket] = stacks.get(bucket, 0) + 1
        if not stacks or max(stacks.values()) * d <= height or d <= 2.0 * mm:
            break
        d *= 0.9
    step = min(d, max(height - d, d / 3) / max(1, max(stacks.values(), default=1) - 1)) if stacks else d
    heights: dict[int, int] = {}
    c.setLineWidth(0.5)
    for s in sorted(spots, key=lambda s: s[1]):
        bucket = round(s[1] * width / d)
        k = heights.get(bucket, 0)
        heights[bucket] = k + 1
        c.setStrokeColor(style.MUTED if hollow else style.PAPER)
        c.setFillColor(style.PAPER if hollow else style.BLUE)
        c.circle(x + bucket * d, y + 1.2 + d / 2 + k * step, d * 0.45, stroke=1, fill=1)


def _line(c: Canvas, x: float, y: float, width: float, height: float, title: str, pic: Picture,
          hollow: bool, res: Result, t: Translate) -> None:
    """One line: its title, the distribution behind the dots, the middle half, the median, and
    under the line the ends' words and the median's label."""
    base = y + 10 * mm
    room = height - 10 * mm - (9 if title else 2)
    if title:
        c.setFillColor(style.MUTED)
        c.setFont(style.FONT, 6.5)
        c.drawString(x, y + height - 7, style.fit(title, style.FONT, 6.5, width / 2))
    if pic.histogram and not pic.few:
        top = max(pic.histogram) or 1
        bar = width / len(pic.histogram)
        c.setFillColor(style.alpha(style.GREY, 0.18))
        for k, n in enumerate(pic.histogram):
            if n:
                c.rect(x + k * bar + 0.6, base, bar - 1.2, room * n / top, stroke=0, fill=1)
    if pic.q1 and not pic.few:
        c.setFillColor(style.alpha(style.BLUE, 0.25))
        c.rect(x + pic.q1[0] * width, base - 1.2, max(1.0, (pic.q3[0] - pic.q1[0]) * width), 2.4, stroke=0, fill=1)
    c.setStrokeColor(style.MARKER)
    c.setLineWidth(1.4)
    c.line(x, base, x + width, base)
    for k in range(5):
        tx = x + k * width / 4
        c.line(tx, base - 1.5, tx, base + (3 if k == 2 else 1.5))
    _dot_plot(c, x, base, width, room, pic.spots, hollow)
    ends = res.axes.get("x")
    if ends is not None:
        c.setFillColor(style.MARKER)
        c.setFont(style.FONT, 6)
        c.drawString(x, base - 8, style.fit(ends.low, style.FONT, 6, width / 4))
        c.drawRightString(x + width, base - 8, style.fit(ends.high, style.FONT, 6, width / 4))
    if pic.median and not pic.few:
        mx = x + pic.median[0] * width
        c.setStrokeColor(style.INK)
        c.setDash(2, 1.5)
        c.setLineWidth(0.9)
        c.line(mx, base - 2, mx, base + room)
        c.setDash()
        c.setFillColor(style.INK)
        c.setFont(style.BOLD, 6)
        c.drawCentredString(mx, base - 16, t("pdf.con_median"))
    if not pic.spots:
        c.setFillColor(style.MUTED)
        c.setFont(style.FONT, 7)
        c.drawCentredString(x + width / 2, base + room / 2, t("pdf.con_nobody"))


def _field(c: Canvas, x: float, y: float, side: float, title: str, pic: Picture, hollow: bool,
           res: Result, t: Translate) -> None:
    c.setStrokeColor(style.MARKER)
    c.setLineWidth(1.2)
    c.setFillColor(style.PAPER)
    c.rect(x, y, side, side, stroke=1, fill=1)
    c.setStrokeColor(style.FAINT)
    c.setLineWidth(0.5)
    c.line(x + side / 2, y, x + side / 2, y + side)
    c.line(x, y + side / 2, x + side, y + side / 2)
    if pic.quadrants and not pic.few:
        c.setFillColor(style.GREY)
        c.setFont(style.BOLD, 9)
        q = pic.quadrants
        c.drawString(x + 3, y + side - 11, str(q.get("top_left", 0)))
        c.drawRightString(x + side - 3, y + side - 11, str(q.get("top_right", 0)))
        c.drawString(x + 3, y + 4, str(q.get("bottom_left", 0)))
        c.drawRightString(x + side - 3, y + 4, str(q.get("bottom_right", 0)))
    r = 1.3 * mm if len(pic.spots) <= 100 else 0.8 * mm
    c.setLineWidth(0.4)
    for s in pic.spots:
        c.setStrokeColor(style.MUTED if hollow else style.PAPER)
        c.setFillColor(style.PAPER if hollow else style.BLUE)
        c.circle(x + s[1] * side, y + (s[2] if s[2] is not None else 0.5) * side, r, stroke=1, fill=1)
    if pic.median and len(pic.median) > 1 and not pic.few:
        mx, my = x + pic.median[0] * side, y + pic.median[1] * side
        c.setStrokeColor(style.INK)
        c.setLineWidth(1.2)
        c.line(mx - 4, my, mx + 4, my)
        c.line(mx, my - 4, mx, my + 4)
    ax, ay = res.axes.get("x"), res.axes.get("y")
    c.setFillColor(style.MARKER)
    c.setFont(style.FONT, 6)
    if ax is not None:
        c.drawString(x, y - 7, style.fit(ax.low, style.FONT, 6, side / 2 - 2))
        c.drawRightString(x + side, y - 7, style.fit(ax.high, style.FONT, 6, side / 2 - 2))
    if ay is not None:
        c.saveState()
        c.translate(x - 3, y)
        c.rotate(90)
        c.drawString(0, 0, style.fit(ay.low, style.FONT, 6, side / 2 - 2))
        c.drawRightString(side, 0, style.fit(ay.high, style.FONT, 6, side / 2 - 2))
        c.restoreState()
    if title:
        c.setFillColor(style.MUTED)
        c.setFont(style.FONT, 6.5)
        c.drawString(x, y + side + 3, style.fit(title, style.FONT, 6.5, side))


def draw_board(canvas: Canvas, x: float, y: float, width: float, height: float, rnd: RoundData,
               t: Translate) -> None:
    """Per statement: its text, then the line(s) or field(s) with every dot."""
    c = canvas
    res = _result(rnd)
    boards = _shown(res)
    if not boards:
        c.setFont(style.FONT, 10)
        c.setFillColor(style.MUTED)
        c.drawCentredString(x + width / 2, y + height / 2, t("pdf.board_empty"))
        return
    wanted = sum(_panel_height(res, b, t) for b in boards)
    scale = min(1.0, (height - TOP - 4 * mm) / wanted) if wanted else 1.0
    top = y + height - TOP
    for board in boards:
        panel = _panel_height(res, board, t) * scale
        c.setFillColor(style.MARKER)
        c.setFont(style.BOLD, 8.5)
        c.drawString(x + 8 * mm, top - 9, style.fit(t("pdf.con_statement", n=board.index + 1, text=board.text),
                                                    style.BOLD, 8.5, width - 16 * mm))
        body_top = top - HEAD_H * scale
        pictures = _pictures(board, t)
        if res.dimensions == 1:
            row = (panel - HEAD_H * scale) / len(pictures)
            for k, (title, pic) in enumerate(pictures):
                _line(c, x + 6 * mm, body_top - (k + 1) * row, width - 12 * mm, row, title, pic,
                      hollow=pic is board.before, res=res, t=t)
        else:
            side = panel - HEAD_H * scale - 12
            for k, (title, pic) in enumerate(pictures):
                _field(c, x + 8 * mm + k * (side + 14 * mm), body_top - side - 8, side, title, pic,
                       hollow=pic is board.before, res=res, t=t)
        top -= panel


# --- the transcription --------------------------------------------------------------------------


def _pct(values: list[float], k: int, t: Translate) -> str:
    return style.pct(round(100 * values[k]), t) if len(values) > k else "–"


def _numbers(res: Result, board: Board, t: Translate) -> Flowable:
    two = res.dimensions == 2
    head = [t("pdf.con_picture"), t("pdf.con_placed"), t("pdf.con_not_placed"), t("pdf.con_median_x")]
    head.append(t("pdf.con_iqr_x"))
    if two:
        head += [t("pdf.con_median_y"), t("pdf.con_iqr_y")]
    rows: list[list[Any]] = [head]
    for title, pic in _pictures(board, t):
        row: list[Any] = [parts.cell(title or t("pdf.con_end")), str(pic.placed), str(pic.not_placed)]
        hidden = pic.few or not pic.median
        for k in range(2 if two else 1):
            row += ["–", "–"] if hidden else [
                _pct(pic.median, k, t), f"{_pct(pic.q1, k, t)} – {_pct(pic.q3, k, t)}"]
        rows.append(row)
    widths = [44 * mm, 20 * mm, 24 * mm, 22 * mm, 30 * mm] if not two else \
        [34 * mm, 16 * mm, 20 * mm, 20 * mm, 26 * mm, 20 * mm, 26 * mm]
    return parts.grid(rows, widths, numeric=tuple(range(1, len(head))))


def _where(spot: Spot | None, t: Translate) -> str:
    if spot is None:
        return "–"
    x = style.pct(round(100 * spot[1]), t)
    return x if spot[2] is None else f"{x} / {style.pct(round(100 * spot[2]), t)}"


def _people(res: Result, board: Board, t: Translate) -> list[Flowable]:
    """Who stood where, per picture: only the named (the result carries names only where the
    step allows them), in the order of the names."""
    pictures = _pictures(board, t)
    at = [{s[0]: s for s in pic.spots} for _title, pic in pictures]
    named = sorted((name, p) for p, name in res.people.items() if any(p in spots for spots in at))
    if not named:
        return []
    rows: list[list[Any]] = [[t("pdf.con_signer")] + [parts.cell(title or t("pdf.con_end")) for title, _ in pictures]]
    rows += [[parts.cell(name)] + [_where(spots.get(p), t) for spots in at] for name, p in named]
    rest = min(44 * mm, 120 * mm / len(pictures))  # as wide as the numbers' table, not the page
    return [Spacer(1, 2 * mm), style.para(t("pdf.con_people", n=len(named)), "h3"),
            parts.grid(rows, [50 * mm] + [rest] * len(pictures), numeric=tuple(range(1, len(pictures) + 1)))]


def _signature_drawing(sig: Signature) -> Drawing:
    """The drawn signature from its strokes (vector, as signed), on a faint line."""
    drawing = Drawing(SIGN_W, SIGN_H)
    drawing.add(Rect(0, 0, SIGN_W, SIGN_H, strokeColor=style.RULE, fillColor=None, strokeWidth=0.3))
    for stroke in sig.strokes:
        points: list[float] = []
        for k in range(0, len(stroke) - 1, 2):
            points += [stroke[k] / PAD * SIGN_W, SIGN_H - stroke[k + 1] / PAD * SIGN_H]
        if len(points) == 2:
            points += [points[0] + 0.4, points[1]]
        drawing.add(PolyLine(points, strokeColor=style.INK, strokeWidth=0.9, strokeLineCap=1, strokeLineJoin=1))
    return drawing


def _at(sig: Signature, t: Translate) -> str:
    try:
        return style.clock(datetime.fromisoformat(sig.at), t) if sig.at else "–"
    except ValueError:
        return "–"


def _signatures(board: Board, t: Translate) -> list[Flowable]:
    if not board.signatures:
        return []
    rows: list[list[Any]] = [[t("pdf.con_signer"), t("pdf.col_time"), t("pdf.con_signature")]]
    for sig in sorted(board.signatures, key=lambda s: s.at or ""):
        rows.append([parts.cell(sig.name), _at(sig, t), _signature_drawing(sig) if sig.strokes else "–"])
    return [Spacer(1, 2 * mm), style.para(t("pdf.con_signed", n=len(board.signatures)), "h3"),
            parts.grid(rows, [70 * mm, 20 * mm, SIGN_W + 8 * mm])]


def transcription(rnd: RoundData, t: Translate) -> list[Flowable]:
    res = _result(rnd)
    out: list[Flowable] = []
    if not _shown(res):
        out.append(style.para(t("pdf.con_none"), "small"))
        return out
    x = res.axes.get("x")
    if x is not None:
        line = t("pdf.con_axis", label=x.label, low=x.low, high=x.high)
        y = res.axes.get("y")
        if res.dimensions == 2 and y is not None:
            line += " · " + t("pdf.con_axis", label=y.label, low=y.low, high=y.high)
        out.append(style.para(line, "body"))
    for board in res.statements:
        if not board.reached:
            out.append(style.para(t("pdf.con_statement", n=board.index + 1, text=board.text) + " – "
                                  + t("pdf.con_unreached"), "small"))
            continue
        block: list[Flowable] = [Spacer(1, 2 * mm),
                                 style.para(t("pdf.con_statement", n=board.index + 1, text=board.text), "h3"),
                                 _numbers(res, board, t)]
        if board.before is not None and board.after is not None and board.median_shift:
            shift = " / ".join(f"{'+' if d > 0 else '−' if d < 0 else '±'}{style.num(abs(round(100 * d)), t)}"
                               for d in board.median_shift)
            block += [Spacer(1, 1.5 * mm),
                      style.para(t("pdf.con_shift", shift=shift, moved=board.moved, both=len(board.shifts)), "body")]
        out.append(KeepTogether(block))
        out.extend(_people(res, board, t))
        out.extend(_signatures(board, t))
    out += [Spacer(1, 2 * mm), style.para(t("pdf.con_note"), "small")]
    return out


BOARD = ProtocolBoard(draw=draw_board, transcription=transcription, height=board_height)

TEXTS: dict[str, dict[str, str]] = {
    "pdf.con_statement": {"de": "Aussage {n}: {text}", "en": "Statement {n}: {text}"},
    "pdf.con_before": {"de": "Vor der Diskussion ({time})", "en": "Before the discussion ({time})"},
    "pdf.con_after": {"de": "Nach der Diskussion ({time})", "en": "After the discussion ({time})"},
    "pdf.con_end": {"de": "Stand am Ende", "en": "At the end"},
    "pdf.con_median": {"de": "Median", "en": "Median"},
    "pdf.con_nobody": {"de": "Niemand hat sich aufgestellt.", "en": "Nobody took a position."},
    "pdf.con_none": {"de": "Keine Aufstellung.", "en": "No constellation."},
    "pdf.con_unreached": {"de": "nicht aufgestellt", "en": "not placed"},
    "pdf.con_axis": {"de": "{label}: von „{low}“ (0 %) bis „{high}“ (100 %)",
                     "en": "{label}: from “{low}” (0%) to “{high}” (100%)"},
    "pdf.con_picture": {"de": "Stand", "en": "Picture"},
    "pdf.con_placed": {"de": "Platziert", "en": "Placed"},
    "pdf.con_not_placed": {"de": "Nicht platziert", "en": "Not placed"},
    "pdf.con_median_x": {"de": "Median", "en": "Median"},
    "pdf.con_iqr_x": {"de": "Mittlere Hälfte", "en": "Middle half"},
    "pdf.con_median_y": {"de": "Median (2. Achse)", "en": "Median (2nd axis)"},
    "pdf.con_iqr_y": {"de": "Mittlere Hälfte (2. Achse)", "en": "Middle half (2nd axis)"},
    "pdf.con_shift": {"de": "Verschiebung des Medians: {shift} Prozentpunkte · {moved} von {both} haben sich bewegt.",
                      "en": "Median shift: {shift} percentage points · {moved} of {both} moved."},
    "pdf.con_people": {"de": "Wer wo stand ({n} mit Namen)", "en": "Who stood where ({n} named)"},
    "pdf.con_signed": {"de": "Unterschrieben ({n})", "en": "Signed ({n})"},
    "pdf.con_signer": {"de": "Name", "en": "Name"},
    "pdf.con_signature": {"de": "Unterschrift", "en": "Signature"},
    "pdf.con_note": {
        "de": "Median und mittlere Hälfte (zwischen erstem und drittem Quartil) in Prozent der Strecke vom einen "
              "zum anderen Ende; nicht Platzierte zählen nicht mit. Bei höchstens drei Punkten keine Verteilung.",
        "en": "Median and middle half (between the first and third quartile) in percent of the way from one end "
              "to the other; those not placed do not count. With three dots or fewer no distribution.",
    },
}

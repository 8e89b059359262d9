"""Hand vote in the protocol: the flipchart with vertical bars, and its transcription."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Spacer

from methods import hand_vote
from methods.registry import parse_config
from sessions.protocol import parts, style
from sessions.protocol.board import Board
from sessions.protocol.data import RoundData, Translate

MAX_BARS = 30  # the engine allows at most 30 options
_FIXED = {"yes": style.GREEN, "no": style.RED, "abstain": style.GREY}


def _bar_color(option_id: str, leader: bool) -> Any:
    """Ja green, Nein red, Enthaltung grey; other options blue, the leading one(s) darker."""
    return _FIXED.get(option_id) or (style.ACCENT if leader else style.BLUE)


def _result(rnd: RoundData) -> Mapping[str, Any]:
    return rnd.result if isinstance(rnd.result, Mapping) else {}


def _count(option: Mapping[str, Any]) -> int:
    value = option.get("count")
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _label(option: Mapping[str, Any], t: Translate) -> str:
    """Ja/Nein/Enthaltung in the protocol's language; any other label as written."""
    oid, text = str(option.get("id") or ""), str(option.get("label") or option.get("id") or "")
    return t(f"hand_vote.option.{oid}") if hand_vote.standard_option(oid, text) else text


def _question(rnd: RoundData) -> str:
    q = _result(rnd).get("question")
    if not q and isinstance(rnd.config, Mapping):
        q = rnd.config.get("question")
    return str(q).strip() if q else ""


# --- the board ----------------------------------------------------------------------------------


def draw_board(canvas: Canvas, x: float, y: float, width: float, height: float, round: RoundData,
               t: Translate) -> None:
    """A flipchart: the question on top, one bar per option with its count and percentage."""
    c = canvas
    res = _result(round)
    options = parts.options_of(res)[:MAX_BARS]
    top = y + height
    question = _question(round)
    c.setFillColor(style.MARKER)
    if question:
        for i, line in enumerate(style.lines(question, style.BOLD, 11, width, 2)):
            c.setFont(style.BOLD, 11)
            c.drawString(x, top - 11 - i * 14, line)
        top -= 11 + 14 * min(2, len(style.lines(question, style.BOLD, 11, width, 2))) - 3
    voters = res.get("voters") if isinstance(res.get("voters"), int) else 0
    c.setFont(style.FONT, 8)
    c.setFillColor(style.MUTED)
    c.drawRightString(x + width, y, style.fit(t("pdf.hv_board_votes", count=voters), style.FONT, 8, width))
    if not options:
        _empty(c, x, y, width, top - y, t("pdf.board_empty"))
        return

    n = len(options)
    slot = width / n
    rotated = slot < 44
    label_size = max(5.5, min(10.0, slot / 5.5)) if not rotated else max(5.5, min(7.5, slot * 0.55))
    label_zone = (min(30 * mm, (top - y) * 0.34) if rotated else 2 * (label_size + 2) + 4) + 10
    base = y + label_zone
    chart_h = top - base - 26  # room for the count and percent above the tallest bar
    most = max((_count(o) for o in options), default=0)
    bar_w = min(slot * 0.6, 22 * mm)
    count_size = max(6.0, min(13.0, slot / 3.2))
    pct_size = max(5.0, min(8.0, slot / 5.0))

    for i, option in enumerate(options):
        cx = x + slot * (i + 0.5)
        count = _count(option)
        h = chart_h * count / most if most else 0
        color = _bar_color(str(option.get("id")), count == most and most > 0)
        c.setFillColor(style.alpha(color, 0.85))
        c.setStrokeColor(color)
        c.setLineWidth(0.8)
        if h > 0:
            c.rect(cx - bar_w / 2, base, bar_w, h, stroke=1, fill=1)
        c.setFillColor(style.MARKER)
        c.setFont(style.BOLD, count_size)
        c.drawCentredString(cx, base + h + 3 + pct_size + 2, str(count))
        c.setFont(style.FONT, pct_size)
        c.setFillColor(style.MUTED)
        c.drawCentredString(cx, base + h + 3, style.pct(option.get("percent"), t, 0 if n > 12 else 1))
        label = _label(option, t)
        c.setFillColor(style.MARKER)
        if rotated:
            c.saveState()
            c.translate(cx + label_size / 3, base - 4)
            c.rotate(55)
            c.setFont(style.FONT, label_size)
            room = (label_zone - 14) / math.sin(math.radians(55))
            c.drawRightString(0, 0, style.fit(label, style.FONT, label_size, room))
            c.restoreState()
        else:
            c.setFont(style.FONT, label_size)
            for k, line in enumerate(style.lines(label, style.FONT, label_size, slot - 4, 2)):
                c.drawCentredString(cx, base - 4 - label_size - k * (label_size + 2), line)
    # the baseline, drawn like a marker stroke
    c.setStrokeColor(style.MARKER)
    c.setLineWidth(1.2)
    c.line(x, base, x + width, base)
    if not most:
        c.setFont(style.FONT, 9)
        c.setFillColor(style.MUTED)
        c.drawCentredString(x + width / 2, base + chart_h / 2, t("pdf.board_empty"))


def _empty(c: Canvas, x: float, y: float, w: float, h: float, text: str) -> None:
    c.setFont(style.FONT, 10)
    c.setFillColor(style.MUTED)
    c.drawCentredString(x + w / 2, y + h / 2, style.fit(text, style.FONT, 10, w))


# --- the transcription --------------------------------------------------------------------------


def transcription(round: RoundData, t: Translate) -> list[Flowable]:
    res = _result(round)
    options = parts.options_of(res)
    leaders = set(res.get("leaders") or []) if isinstance(res.get("leaders"), list) else set()
    rows: list[list[Any]] = [[t("pdf.col_option"), t("pdf.col_votes"), t("pdf.col_share"), ""]]
    for o in options:
        mark = t("pdf.hv_most_votes") if o.get("id") in leaders else ""
        rows.append([parts.cell(_label(o, t)), style.num(_count(o), t),
                     style.pct(o.get("percent"), t), mark])
    highlight = [i for i, o in enumerate(options) if o.get("id") in leaders]
    out: list[Flowable] = []
    if options:
        out.append(parts.grid(rows, [92 * mm, 20 * mm, 22 * mm, 36 * mm], numeric=(1, 2),
                              highlight=highlight))
    else:
        out.append(style.para(t("pdf.no_options"), "small"))
    voters = res.get("voters") if isinstance(res.get("voters"), int) else 0
    participants = res.get("participants") if isinstance(res.get("participants"), int) else 0
    facts = [(t("pdf.hv_voters"), t("pdf.of_count", part=voters, whole=participants) if participants
              else str(voters))]
    if res.get("turnout") is not None:
        facts.append((t("pdf.turnout"), style.pct(res.get("turnout"), t)))
    mode = _mode(round, t)
    if mode:
        facts.append((t("pdf.hv_mode"), mode))
    out.append(Spacer(1, 4))
    out.append(parts.facts(facts))
    out.append(style.para(t("pdf.hv_share_note"), "small"))
    return out


def _mode(rnd: RoundData, t: Translate) -> str:
    try:
        config = parse_config(hand_vote.NAME, dict(rnd.config or {}))
    except Exception:  # an old or hand-edited config: the numbers still stand on their own
        return ""
    if not config.multiple:
        return t("pdf.hv_single")
    if config.max_choices:
        return t("pdf.hv_multiple_max", max=config.max_choices)
    return t("pdf.hv_multiple")


def compare(rounds: Sequence[RoundData], t: Translate) -> list[Flowable]:
    """Votes per option in every round side by side (first and last round, at most 4 columns)."""
    shown = list(rounds) if len(rounds) <= 4 else [*rounds[:2], *rounds[-2:]]
    last = parts.options_of(_result(rounds[-1]))
    order: list[str] = [str(o.get("id")) for o in last]
    labels = {str(o.get("id")): _label(o, t) for o in last}
    for r in rounds:
        for o in parts.options_of(_result(r)):
            oid = str(o.get("id"))
            if oid not in labels:
                order.append(oid)
                labels[oid] = _label(o, t)
    per_round = [{str(o.get("id")): o for o in parts.options_of(_result(r))} for r in shown]
    head = [t("pdf.col_option"), *(t("pdf.round_n", n=r.round) for r in shown), t("pdf.col_change")]
    rows: list[list[Any]] = [head]
    for oid in order:
        cells: list[Any] = [parts.cell(labels[oid])]
        for table in per_round:
            found = table.get(oid)
            cells.append(f"{_count(found)} ({style.pct(found.get('percent'), t)})" if found else "–")
        first, final = per_round[0].get(oid), per_round[-1].get(oid)
        cells.append(f"{_count(final) - _count(first):+d}" if first and final else "–")
        rows.append(cells)
    rest = parts.FULL_WIDTH - 70 * mm - 22 * mm
    return [parts.grid(rows, [70 * mm, *([rest / len(shown)] * len(shown)), 22 * mm],
                       numeric=tuple(range(1, len(shown) + 2)))]


BOARD = Board(draw=draw_board, transcription=transcription, compare=compare)

TEXTS: dict[str, dict[str, str]] = {
    'pdf.hv_board_votes': {"de": '{count} Stimmen', "en": '{count} votes'},
    'pdf.hv_most_votes': {"de": '✓ meiste Stimmen', "en": '✓ most votes'},
    'pdf.hv_voters': {"de": 'Abgestimmt', "en": 'Voted'},
    'pdf.hv_mode': {"de": 'Art', "en": 'Type'},
    'pdf.hv_single': {"de": 'eine Stimme je Person', "en": 'one vote per person'},
    'pdf.hv_multiple': {"de": 'Mehrfachauswahl', "en": 'multiple choice'},
    'pdf.hv_multiple_max': {
        "de": 'Mehrfachauswahl (höchstens {max})',
        "en": 'multiple choice (at most {max})',
    },
    'pdf.hv_share_note': {
        "de": 'Anteile in Prozent der Abstimmenden; Enthaltungen zählen als abgegeben. Bei Mehrfachauswahl kann die Summe über 100 % liegen.',
        "en": 'Shares in percent of those who voted; abstentions count as cast. With multiple choice the shares can add up to more than 100%.',
    },
    "pdf.col_option": {"de": "Option", "en": "Option"},
    "pdf.col_votes": {"de": "Stimmen", "en": "Votes"},
    "pdf.col_share": {"de": "Anteil", "en": "Share"},
    "pdf.turnout": {"de": "Beteiligung", "en": "Turnout"},
}

"""Dot vote in the protocol: the pinboard with its cards and sticky dots, and the ranked table.

The board is drawn like the photo of a pinboard after the dot vote: the cards with dots, ranked,
as paper notes in a grid, each with its rank and its dots stuck on it (one dot per dot up to a
card's room, then "+ n"). The transcription lists every item with dots, people and — for a merged
card — the cards it came from, so nothing depends on counting dots in the picture.
"""

from __future__ import annotations

import math
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from methods.dot_vote import Ranked, Result
from sessions.protocol import parts, style
from sessions.protocol.board import Board
from sessions.protocol.data import RoundData, Translate

MAX_CARDS = 12
"""Cards on the board picture (4 × 3); the transcription lists every item."""
DOT_COLORS = ("#D64545", "#2F6FAE", "#2E8B57", "#E0A526")
"""Sticky dots come in a few colours on a real board; one colour per card keeps counting easy."""


def _result(rnd: RoundData) -> Result:
    """The stored result, typed; an old or broken one reads as empty (the rest of the PDF stands)."""
    try:
        return Result.model_validate(dict(rnd.result or {}))
    except Exception:  # noqa: BLE001 - a protocol is printed whatever a snapshot holds
        return Result()


def draw_board(canvas: Canvas, x: float, y: float, width: float, height: float, round: RoundData,
               t: Translate) -> None:
    """A pinboard: the question on top, the cards with dots in rank order, dots stuck on them."""
    c = canvas
    res = _result(round)
    top = y + height
    if res.question:
        c.setFillColor(style.MARKER)
        for i, line in enumerate(style.lines(res.question, style.BOLD, 10.5, width, 2)):
            c.setFont(style.BOLD, 10.5)
            c.drawString(x, top - 10.5 - i * 13, line)
        top -= 10.5 + 13 * min(2, len(style.lines(res.question, style.BOLD, 10.5, width, 2))) - 2
    ranked = [r for r in res.items if r.dots]
    c.setFont(style.FONT, 8)
    c.setFillColor(style.MUTED)
    c.drawRightString(x + width, y, style.fit(t("pdf.dv_board_people", n=res.voters, dots=res.dots),
                                               style.FONT, 8, width))
    if not ranked:
        c.setFont(style.FONT, 10)
        c.drawCentredString(x + width / 2, y + (top - y) / 2, t("pdf.dv_board_empty"))
        return
    shown = ranked[:MAX_CARDS]
    cols = 4 if len(shown) > 6 else 3 if len(shown) > 2 else len(shown)
    rows = math.ceil(len(shown) / cols)
    gap = 4 * mm
    area_top, area_bottom = top - 4, y + 12
    card_w = (width - gap * (cols - 1)) / cols
    card_h = min(48 * mm, (area_top - area_bottom - gap * (rows - 1)) / rows)
    for k, row in enumerate(shown):
        col, band = k % cols, k // cols
        cx = x + col * (card_w + gap)
        cy = area_top - (band + 1) * card_h - band * gap
        _card(c, cx, cy, card_w, card_h, row, k, t)
    if len(ranked) > len(shown):
        c.setFont(style.FONT, 8)
        c.setFillColor(style.MUTED)
        c.drawString(x, y, t("pdf.dv_more", n=len(ranked) - len(shown)))


def _card(c: Canvas, x: float, y: float, w: float, h: float, row: Ranked, k: int, t: Translate) -> None:
    """One note: a slight shadow, the rank in a corner, the label, the dots below it."""
    c.setFillColor(style.alpha(style.MARKER, 0.12))
    c.rect(x + 1.2, y - 1.2, w, h, stroke=0, fill=1)
    c.setFillColor(style.PAPER if not row.tie else style.AMBER_SOFT)
    c.setStrokeColor(style.RULE)
    c.setLineWidth(0.5)
    c.rect(x, y, w, h, stroke=1, fill=1)
    pad = 2.5 * mm
    c.setFillColor(style.MARKER)
    c.setFont(style.BOLD, 9)
    c.drawString(x + pad, y + h - pad - 7, f"{row.rank}.")
    c.setFont(style.BOLD, 9)
    c.drawRightString(x + w - pad, y + h - pad - 7, str(row.dots))
    text_top = y + h - pad - 18
    label_lines = style.lines(row.label or row.id, style.FONT, 8, w - 2 * pad, 3)
    c.setFont(style.FONT, 8)
    for i, text in enumerate(label_lines):
        c.drawString(x + pad, text_top - i * 10, text)
    notes = [t("pdf.dv_tie")] if row.tie else []
    if len(row.merged_from) > 1:
        notes.append(t("pdf.dv_cards", n=len(row.merged_from)))
    if notes:
        c.setFont(style.FONT, 6.5)
        c.setFillColor(style.MUTED)
        c.drawString(x + pad, text_top - len(label_lines) * 10,
                     style.fit(" · ".join(notes), style.FONT, 6.5, w - 2 * pad))
    # the dots, in rows from the bottom left, as many as fit, then "+ n"
    radius = 2.0 * mm
    step = 2 * radius + 1.2
    per_row = max(1, int((w - 2 * pad) // step))
    dot_rows = max(1, int((text_top - len(label_lines) * 10 - 8 - (y + pad)) // step))
    room = per_row * dot_rows
    drawn = row.dots if row.dots <= room else room - 1
    color = colors.HexColor(DOT_COLORS[k % len(DOT_COLORS)])
    for d in range(drawn):
        dx = x + pad + radius + (d % per_row) * step
        dy = y + pad + radius + (d // per_row) * step
        c.setFillColor(color)
        c.setStrokeColor(style.alpha(style.MARKER, 0.35))
        c.setLineWidth(0.3)
        c.circle(dx, dy, radius, stroke=1, fill=1)
    if drawn < row.dots:
        d = drawn
        c.setFillColor(style.MARKER)
        c.setFont(style.BOLD, 7)
        c.drawString(x + pad + (d % per_row) * step + 1, y + pad + radius - 2.5 + (d // per_row) * step,
                     f"+{row.dots - drawn}")


def board_height(round: RoundData) -> float:
    shown = min(MAX_CARDS, sum(1 for r in _result(round).items if r.dots))
    return float((70 if shown <= 4 else 110 if shown <= 8 else 150) * mm)


def transcription(round: RoundData, t: Translate) -> list[Flowable]:
    res = _result(round)
    if res.empty:
        return [style.para(t("pdf.dv_none"), "small")]
    rows: list[list[Any]] = [[t("pdf.dv_rank"), t("pdf.dv_item"), t("pdf.dv_dots"), t("pdf.dv_people")]]
    for r in res.items:
        label = r.label or r.id
        if len(r.members) > 1:  # merged here: the cards' own words
            label = f"{label} ({t('pdf.dv_merged', labels=' · '.join(r.member_labels))})"
        elif len(r.merged_from) > 1:  # merged before (the harvest): how many cards it stands for
            label = f"{label} ({t('pdf.dv_cards', n=len(r.merged_from))})"
        rows.append([f"{r.rank}." if r.rank else "–", parts.cell(label, muted=not r.dots), str(r.dots),
                     str(r.people)])
    out: list[Flowable] = [parts.grid(rows, [14 * mm, 116 * mm, 20 * mm, 20 * mm], numeric=(0, 2, 3),
                                      highlight=[k for k, r in enumerate(res.items) if r.rank == 1],
                                      muted=[k for k, r in enumerate(res.items) if not r.dots])]
    facts = [
        (t("pdf.dv_voters"), t("pdf.of_count", part=res.voters, whole=res.participants) if res.participants
         else str(res.voters)),
        (t("pdf.dv_budget"), t("pdf.dv_budget_text", dots=res.budget, cap=res.max_per_item)),
        (t("pdf.dv_total"), str(res.dots)),
    ]
    out.append(parts.facts(facts))
    out.append(style.para(t("pdf.dv_note"), "small"))
    return out


BOARD = Board(draw=draw_board, transcription=transcription, height=board_height)

TEXTS: dict[str, dict[str, str]] = {
    "pdf.dv_board_people": {"de": "{n} Personen · {dots} Punkte", "en": "{n} people · {dots} dots"},
    "pdf.dv_board_empty": {"de": "Noch keine Punkte", "en": "No dots yet"},
    "pdf.dv_more": {"de": "… und {n} weitere mit Punkten (siehe Tabelle)", "en": "… and {n} more with dots (see the table)"},
    "pdf.dv_tie": {"de": "gleichauf", "en": "tied"},
    "pdf.dv_cards": {"de": "aus {n} Karten", "en": "from {n} cards"},
    "pdf.dv_none": {"de": "Keine Punkte vergeben.", "en": "No dots were given."},
    "pdf.dv_rank": {"de": "Rang", "en": "Rank"},
    "pdf.dv_item": {"de": "Thema", "en": "Item"},
    "pdf.dv_dots": {"de": "Punkte", "en": "Dots"},
    "pdf.dv_people": {"de": "Personen", "en": "People"},
    "pdf.dv_merged": {"de": "zusammengeführt aus: {labels}", "en": "merged from: {labels}"},
    "pdf.dv_voters": {"de": "Punkte vergeben", "en": "Gave dots"},
    "pdf.dv_budget": {"de": "Regel", "en": "Rule"},
    "pdf.dv_budget_text": {"de": "{dots} Punkte pro Person, höchstens {cap} pro Thema",
                           "en": "{dots} dots per person, at most {cap} per item"},
    "pdf.dv_total": {"de": "Punkte auf der Wand", "en": "Dots on the board"},
    "pdf.dv_note": {
        "de": "Gleiche Punktzahl = gleicher Rang (Gleichstand). Zusammengeführte Karten: Die Punkte einer Person auf "
              "den Originalen zählen einmal für die zusammengeführte Karte, höchstens bis zur Grenze pro Thema.",
        "en": "Equal dots = equal rank (a tie). Merged cards: a person's dots on the originals count once for the "
              "merged card, at most up to the per-item limit.",
    },
}

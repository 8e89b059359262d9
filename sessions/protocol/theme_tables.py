"""Theme tables in the protocol: one pinboard per table, then every card transcribed.

The board "photo" shows the tables side by side like pinboards photographed after the harvest:
the table's title, its prompts as headers and the cards as notes under them (a merged card with a
small badge saying how many it stands for). What does not fit on a pinboard is counted there and
written out in the transcription, which lists every card by table and prompt (merged cards with
their originals), the hosts' summaries per round, then the same cards by category. Each table's
uploaded photos of its physical tablecloth stand with that table in the transcription, scaled to
half the page's width, its host's summaries beside them (issue 13: "beside the table"); the
renderer leaves them out of the photos after the step (``BOARD.photos``).
"""

from __future__ import annotations

import math
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from methods.theme_tables import CardOut, Result, TableOut
from sessions.protocol import frame, parts, style
from sessions.protocol.board import Board
from sessions.protocol.data import PhotoData, RoundData, Translate

CORK = colors.HexColor("#D8C3A0")
NOTE = colors.HexColor("#FFF3A8")
NOTE_MERGED = colors.HexColor("#FFD98A")
MAX_HEIGHT = 190 * mm
"""With the step's heading and the caption, the print still fits on one page."""
NOTE_SIZE = 5.6
PHOTO_W = 84 * mm
"""A tablecloth photo's print (border included): half the text width, the summary beside it."""
PHOTO_H = 70 * mm


def _result(rnd: RoundData) -> Result:
    """The stored result, typed; an old or broken one reads as empty (the rest of the PDF stands)."""
    try:
        return Result.model_validate(dict(rnd.result or {}))
    except Exception:  # noqa: BLE001 - a protocol is printed whatever a snapshot holds
        return Result()


def _layout(n: int) -> tuple[int, int]:
    """(columns, rows) of pinboards: two side by side up to four tables, then three."""
    columns = 1 if n <= 1 else 2 if n <= 4 else 3
    return columns, max(1, math.ceil(n / columns))


def board_height(rnd: RoundData) -> float:
    _columns, rows = _layout(len(_result(rnd).tables))
    return float(min(MAX_HEIGHT, rows * 100 * mm))


def _groups(table: TableOut) -> list[tuple[str, list[CardOut]]]:
    labels = [(p.id, p.label) for p in table.prompts]
    out = [(label, [c for c in table.cards if c.prompt == pid]) for pid, label in labels]
    rest = [c for c in table.cards if c.prompt not in {pid for pid, _ in labels}]
    return [(label, cards) for label, cards in [*out, ("", rest)] if cards]


def _pinboard(c: Canvas, x: float, y: float, w: float, h: float, table: TableOut, t: Translate) -> None:
    """One table: a cork board, its title on a paper strip, prompts as headers, cards as notes."""
    c.setFillColor(CORK)
    c.setStrokeColor(style.TABLE_GRAIN)
    c.roundRect(x, y, w, h, 3, stroke=1, fill=1)
    c.setFillColor(style.PAPER)
    c.rect(x + 3, y + h - 15, w - 6, 12, stroke=0, fill=1)
    count = t("pdf.tt_cards", n=len(table.cards))
    count_w = c.stringWidth(count, style.FONT, 5.5)
    c.setFillColor(style.MARKER)
    c.setFont(style.BOLD, 7)
    c.drawString(x + 5, y + h - 11.5, style.fit(table.title, style.BOLD, 7, w - 14 - count_w))
    c.setFont(style.FONT, 5.5)
    c.setFillColor(style.MUTED)
    c.drawRightString(x + w - 5, y + h - 11.5, count)
    cursor = y + h - 20
    bottom = y + 10
    inner = w - 8
    note_w = (inner - 3) / 2
    left = 0
    for label, cards in _groups(table):
        if cursor - 8 < bottom:
            break
        c.setFillColor(style.MARKER)
        c.setFont(style.BOLD, 6)
        c.drawString(x + 4, cursor - 6, style.fit(label or t("pdf.tt_no_prompt"), style.BOLD, 6, inner))
        cursor -= 9
        column, row_top, row_h = 0, cursor, 0.0
        for card in cards:
            lines = style.lines(card.text, style.FONT, NOTE_SIZE, note_w - 4, 4)
            note_h = 4 + len(lines) * (NOTE_SIZE + 1.2)
            if row_top - note_h < bottom:
                left += 1
                continue
            nx = x + 4 + column * (note_w + 3)
            ny = row_top - note_h
            c.setFillColor(NOTE_MERGED if card.merged_from else NOTE)
            c.setStrokeColor(style.alpha(style.MARKER, 0.25))
            c.rect(nx, ny, note_w, note_h, stroke=1, fill=1)
            c.setFillColor(style.MARKER)
            c.setFont(style.FONT, NOTE_SIZE)
            for k, line in enumerate(lines):
                c.drawString(nx + 2, row_top - 2 - (k + 1) * (NOTE_SIZE + 1.2) + 1.5, line)
            if card.merged_from:
                c.setFont(style.BOLD, 5)
                c.drawRightString(nx + note_w - 1.5, ny + 1.5, f"×{len(card.merged_from)}")
            row_h = max(row_h, note_h)
            column += 1
            if column == 2:
                column, row_top, row_h = 0, row_top - row_h - 2, 0.0
        cursor = (row_top - row_h - 3) if column else row_top - 1
    if left:
        c.setFont(style.FONT, 5.5)
        c.setFillColor(style.MARKER)
        c.drawString(x + 5, y + 3, t("pdf.tt_more", n=left))


def draw_board(canvas: Canvas, x: float, y: float, width: float, height: float, rnd: RoundData,
               t: Translate) -> None:
    res = _result(rnd)
    if not res.tables:
        canvas.setFont(style.FONT, 10)
        canvas.setFillColor(style.MUTED)
        canvas.drawCentredString(x + width / 2, y + height / 2, t("pdf.board_empty"))
        return
    columns, rows = _layout(len(res.tables))
    gap = 4 * mm
    w = (width - gap * (columns - 1)) / columns
    h = (height - gap * (rows - 1)) / rows
    for i, table in enumerate(res.tables):
        col, row = i % columns, i // columns
        _pinboard(canvas, x + col * (w + gap), y + height - (row + 1) * h - row * gap, w, h, table, t)


# --- the transcription --------------------------------------------------------------------------------


def _card_rows(card: CardOut, prompts: dict[str, str], categories: dict[str, str], t: Translate,
               depth: int = 0) -> list[list[Any]]:
    who = card.author or (t("pdf.tt_prefilled") if card.prefilled else t("pdf.tt_merged") if card.merged_from else "")
    text = card.text + (f" ({t('pdf.tt_edited', text=card.edited_from)})" if card.edited_from else "")
    rows: list[list[Any]] = [[parts.cell(("↳ " * depth) + text, muted=depth > 0),
                              parts.cell(prompts.get(card.prompt or "", ""), muted=depth > 0),
                              parts.cell(categories.get(card.category or "", ""), muted=depth > 0),
                              str(card.round), parts.cell(who, muted=True)]]
    for original in card.merged_from:
        rows.extend(_card_rows(original, prompts, categories, t, depth + 1))
    return rows


WIDTHS = [70 * mm, 32 * mm, 34 * mm, 13 * mm, 21 * mm]


def transcription(rnd: RoundData, t: Translate) -> list[Flowable]:
    res = _result(rnd)
    out: list[Flowable] = []
    categories = {c.id: c.label for c in res.categories}
    out.append(parts.facts([
        (t("pdf.tt_cards_label"), t("pdf.tt_counts", cards=res.cards, written=res.written, writers=res.writers)),
        (t("pdf.tt_rounds_label"), t("pdf.tt_round_of", round=res.round, rounds=res.rounds)),
    ]))
    for position, table in enumerate(res.tables):
        out.append(Spacer(1, 2 * mm))
        head: list[Flowable] = [style.para(table.title, "h3")]
        if table.question:
            head.append(style.para(table.question, "small"))
        summaries = [style.markup(f"<font color='#5F6B7A'>{style.esc(t('pdf.tt_summary', round=r.round))}:"
                                  f"</font> {style.esc(r.summary)}", "body") for r in table.rounds if r.summary]
        photos = _photos_of(table, rnd)
        if photos:  # the tablecloth beside its summary, kept with the table's heading
            out.append(KeepTogether([*head, _beside(photos, summaries, position, t)]))
        else:
            out.extend([*head, *summaries])
        if not table.cards:
            out.append(style.para(t("pdf.tt_no_cards"), "small"))
            continue
        prompts = {p.id: p.label for p in table.prompts}
        rows: list[list[Any]] = [[t("pdf.tt_card"), t("pdf.tt_prompt"), t("pdf.tt_category"), t("pdf.tt_round"),
                                  t("pdf.tt_author")]]
        for card in table.cards:
            rows.extend(_card_rows(card, prompts, categories, t))
        out.append(parts.grid(rows, WIDTHS, numeric=(3,)))
    if res.categories:
        out.append(Spacer(1, 3 * mm))
        out.append(style.para(t("pdf.tt_by_category"), "h3"))
        titles = {tb.id: tb.title for tb in res.tables}
        rows = [[t("pdf.tt_category"), t("pdf.tt_card"), t("pdf.tt_table")]]
        for category in [*res.categories, None]:
            cid = category.id if category is not None else None
            label = category.label if category is not None else t("pdf.tt_no_category")
            for table in res.tables:
                for card in table.cards:
                    if card.category == cid:
                        rows.append([parts.cell(label), parts.cell(card.text), parts.cell(titles.get(card.table, ""))])
        out.append(parts.grid(rows, [34 * mm, 96 * mm, 40 * mm]))
    out.append(style.para(t("pdf.tt_note"), "small"))
    return out


def _photos_of(table: TableOut, rnd: RoundData) -> list[PhotoData]:
    """The table's tablecloth photos that the protocol has (in upload order)."""
    return [p for p in rnd.photos if p.id is not None and p.id in table.photos]


def _beside(photos: list[PhotoData], summaries: list[Flowable], position: int, t: Translate) -> Table:
    """Photos in the left column (each scaled to fit), the host's summaries and captions right."""
    prints: list[Flowable] = []
    notes: list[Flowable] = list(summaries)
    for k, photo in enumerate(photos):
        paint, ratio = frame.image_painter(photo.data)
        w, h = frame.photo_size(ratio, PHOTO_W, PHOTO_H)
        prints.append(frame.PrintOnTable(paint, w, h, frame.tilt(position, k), board=False,
                                         failed_text=t("pdf.photo_failed")))
        text = t("pdf.tt_photo", n=k + 1, caption=photo.caption or "–")
        if photo.taken_at:
            text += " · " + t("pdf.photo_taken", at=style.stamp(photo.taken_at, t))
        notes.append(style.para(text, "caption"))
    grid = Table([[prints, notes]], colWidths=[PHOTO_W + 6 * mm, parts.FULL_WIDTH - PHOTO_W - 6 * mm])
    grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (0, -1), 6 * mm)]))
    return grid


def placed_photos(rnd: RoundData) -> set[int]:
    """The step's photos this board shows with their tables (the renderer skips them later)."""
    ids = {i for table in _result(rnd).tables for i in table.photos}
    return {p.id for p in rnd.photos if p.id is not None and p.id in ids}


BOARD = Board(draw=draw_board, transcription=transcription, height=board_height, photos=placed_photos)

TEXTS: dict[str, dict[str, str]] = {
    "pdf.tt_cards": {"de": "{n} Karten", "en": "{n} cards"},
    "pdf.tt_more": {"de": "+ {n} weitere (siehe Abschrift)", "en": "+ {n} more (see the transcription)"},
    "pdf.tt_no_prompt": {"de": "Weitere Gedanken", "en": "Further thoughts"},
    "pdf.tt_cards_label": {"de": "Karten", "en": "Cards"},
    "pdf.tt_counts": {"de": "{cards} auf den Tischen (nach dem Zusammenfassen), {written} geschrieben von {writers} Personen",
                      "en": "{cards} on the tables (after merging), {written} written by {writers} people"},
    "pdf.tt_rounds_label": {"de": "Runden", "en": "Rounds"},
    "pdf.tt_round_of": {"de": "{round} von {rounds}", "en": "{round} of {rounds}"},
    "pdf.tt_summary": {"de": "Zusammenfassung Runde {round}", "en": "Summary round {round}"},
    "pdf.tt_photo": {"de": "Tischdecke, Foto {n}: {caption}", "en": "Tablecloth, photo {n}: {caption}"},
    "pdf.tt_no_cards": {"de": "Keine Karten.", "en": "No cards."},
    "pdf.tt_card": {"de": "Karte", "en": "Card"},
    "pdf.tt_prompt": {"de": "Aspekt", "en": "Prompt"},
    "pdf.tt_category": {"de": "Kategorie", "en": "Category"},
    "pdf.tt_round": {"de": "Runde", "en": "Round"},
    "pdf.tt_author": {"de": "Von", "en": "By"},
    "pdf.tt_table": {"de": "Tisch", "en": "Table"},
    "pdf.tt_prefilled": {"de": "vorbereitet", "en": "prepared"},
    "pdf.tt_merged": {"de": "zusammengefasst", "en": "merged"},
    "pdf.tt_edited": {"de": "ursprünglich: {text}", "en": "originally: {text}"},
    "pdf.tt_by_category": {"de": "Karten nach Kategorie", "en": "Cards by category"},
    "pdf.tt_no_category": {"de": "ohne Kategorie", "en": "no category"},
    "pdf.tt_note": {
        "de": "↳ = Originalkarte einer zusammengefassten Karte. „Von“ nennt ein Pseudonym (TN 1, TN 2 … in der "
              "Reihenfolge, in der die Personen mitgemacht haben), keinen Namen.",
        "en": "↳ = original card of a merged card. “By” gives a pseudonym (TN 1, TN 2 … in the order in which "
              "people took part), not a name."},
    "pdf.sheet_title": {"de": "Tischkarten – {title}", "en": "Table sheets – {title}"},
    "pdf.sheet_scan": {"de": "Mit dem Handy scannen: Sie sitzen dann an diesem Tisch.",
                       "en": "Scan with your phone: you then sit at this table."},
    "pdf.sheet_code": {"de": "Ohne Kamera: Adresse eingeben, Code {code}, dann diesen Tisch wählen.",
                       "en": "Without a camera: type the address, code {code}, then choose this table."},
}

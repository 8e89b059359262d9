"""The voting cards as a PDF: eight cards per A4 page (2 × 4), cut along the dashed lines.

Each card: the meeting's title, date and place, "Stimmkarte Nr. 12", a large QR code (the card's
one-time link) and one line on what to do. Plain data in (``CardSheet``), bytes out; titles are
drawn with ``drawString``, so participant-controlled text is never parsed as markup.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from sessions.protocol import style

COLUMNS, ROWS = 2, 4
QR_SIZE = 44 * mm


@dataclass(frozen=True)
class CardSheet:
    title: str
    date: str
    place: str
    cards: tuple[tuple[int, str], ...]
    """(number, link) per card."""


def _qr(canvas: Canvas, link: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(link, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def _date(value: str, t: Callable[..., str]) -> str:
    try:
        return date.fromisoformat(value).strftime(t("pdf.date_format"))
    except ValueError:
        return value


def _card(canvas: Canvas, sheet: CardSheet, number: int, link: str, x: float, y: float, w: float, h: float,
          t: Callable[..., str]) -> None:
    pad = 6 * mm
    text_w = w - QR_SIZE - 3 * pad
    top = y + h - pad
    canvas.setFillColor(style.ACCENT)
    canvas.setFont(style.BOLD, 15)
    canvas.drawString(x + pad, top - 12, t("cards.card", n=number))
    canvas.setFillColor(style.INK)
    canvas.setFont(style.BOLD, 10)
    lines = simpleSplit(sheet.title, style.BOLD, 10, text_w)
    if len(lines) > 3:  # a long title: three lines and a sign that it goes on
        lines = [*lines[:2], simpleSplit(lines[2] + " …", style.BOLD, 10, text_w)[0].rstrip(" …") + " …"]
    line_y = top - 32
    for line in lines:
        canvas.drawString(x + pad, line_y, line)
        line_y -= 13
    canvas.setFont(style.FONT, 9)
    canvas.setFillColor(style.MUTED)
    where = " · ".join(p for p in (_date(sheet.date, t), sheet.place) if p)
    if where:
        canvas.drawString(x + pad, line_y - 2, where[:60])
    canvas.setFillColor(style.INK)
    canvas.setFont(style.FONT, 9)
    hint = simpleSplit(t("cards.hint"), style.FONT, 9, text_w)
    hint_y = y + pad + 8 + 11 * (len(hint) - 1)
    for line in hint:
        canvas.drawString(x + pad, hint_y, line)
        hint_y -= 11
    _qr(canvas, link, x + w - pad - QR_SIZE, y + pad + 6, QR_SIZE)
    # the link in small type across the card: for a phone whose camera reads no QR codes
    canvas.setFont(style.FONT, 6)
    canvas.setFillColor(style.MUTED)
    canvas.drawString(x + pad, y + pad - 2, link)


def render(sheet: CardSheet, t: Callable[..., str]) -> bytes:
    """``t(key, **params)`` in the session's language (``cards.*`` texts)."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    canvas.setTitle(t("cards.title", title=sheet.title))
    page_w, page_h = A4
    margin = 10 * mm
    w, h = (page_w - 2 * margin) / COLUMNS, (page_h - 2 * margin) / ROWS
    per_page = COLUMNS * ROWS
    for start in range(0, max(len(sheet.cards), 1), per_page):
        chunk = sheet.cards[start:start + per_page]
        canvas.setStrokeColor(style.FAINT)
        canvas.setDash(3, 3)
        canvas.setLineWidth(0.4)
        for i in range(COLUMNS + 1):
            canvas.line(margin + i * w, margin, margin + i * w, page_h - margin)
        for j in range(ROWS + 1):
            canvas.line(margin, margin + j * h, page_w - margin, margin + j * h)
        canvas.setDash()
        for k, (number, link) in enumerate(chunk):
            col, row = k % COLUMNS, k // COLUMNS
            _card(canvas, sheet, number, link, margin + col * w, page_h - margin - (row + 1) * h, w, h, t)
        canvas.showPage()
    canvas.save()
    return out.getvalue()

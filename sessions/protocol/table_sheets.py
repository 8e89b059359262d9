"""Printable A4 sheets for theme tables: one page per table to put on it, with its own QR code.

Scanning a table's code opens the phone view with ``?table={id}``: the phone sits at that table
(``seating: "table_qr"``, useful with the other seatings too). The sheet carries the title, the
guiding question, the code and, for phones without a camera, the address and the join code.
Plain data in, PDF bytes out, like the protocol. The texts live with the theme tables' board.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from sessions.protocol import style
from sessions.protocol.data import Translate


@dataclass(frozen=True)
class Sheet:
    title: str
    question: str
    url: str


def render(session_title: str, join_code: str, sheets: list[Sheet], t: Translate) -> bytes:
    style.register_fonts()
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=A4)
    c.setTitle(t("pdf.sheet_title", title=session_title))
    width, height = A4
    for sheet in sheets:
        top = height - 25 * mm
        c.setFillColor(style.MUTED)
        c.setFont(style.FONT, 12)
        c.drawString(20 * mm, top, style.fit(session_title, style.FONT, 12, width - 40 * mm))
        top -= 16 * mm
        c.setFillColor(style.INK)
        for line in style.lines(sheet.title, style.BOLD, 30, width - 40 * mm, 3):
            c.setFont(style.BOLD, 30)
            c.drawString(20 * mm, top, line)
            top -= 12 * mm
        c.setFillColor(style.MARKER)
        for line in style.lines(sheet.question, style.FONT, 16, width - 40 * mm, 3):
            c.setFont(style.FONT, 16)
            c.drawString(20 * mm, top, line)
            top -= 7.5 * mm
        side = 120 * mm
        widget = QrCodeWidget(sheet.url, barLevel="M")
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(side, side, transform=[side / (x1 - x0), 0, 0, side / (y1 - y0), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, c, (width - side) / 2, 62 * mm)
        c.setFillColor(style.INK)
        c.setFont(style.BOLD, 16)
        c.drawCentredString(width / 2, 52 * mm, t("pdf.sheet_scan"))
        c.setFont(style.FONT, 11)
        c.setFillColor(style.MUTED)
        c.drawCentredString(width / 2, 42 * mm, style.fit(sheet.url, style.FONT, 11, width - 40 * mm))
        c.drawCentredString(width / 2, 35 * mm, t("pdf.sheet_code", code=join_code))
        c.showPage()
    c.save()
    return buffer.getvalue()


"""The "photo" look: a print with a white border and a soft shadow, slightly tilted, on a table.

:class:`PrintOnTable` is a flowable that draws a light table-coloured band (bleeding to the page
edges), then the tilted print, and inside the print either a method board (drawn natively with
reportlab by a board renderer) or an uploaded image. The tilt is deterministic per figure, so the
same session always gives the same PDF.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from typing import Any

from reportlab.lib.colors import white
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from sessions.protocol import style

log = logging.getLogger(__name__)

Painter = Callable[[Canvas, float, float, float, float], None]
"""Draws the picture inside the print: ``paint(canvas, x, y, width, height)``."""

BORDER = 4.2 * mm  # the white border of the print
BAND_PAD = 7 * mm  # table visible above and below the print


def tilt(position: int, index: int) -> float:
    """A small rotation in degrees (±0.8…1.5), alternating, the same for the same figure."""
    magnitude = 0.8 + 0.35 * ((position * 5 + index * 3) % 3)
    return magnitude if (position + index) % 2 == 0 else -magnitude


class PrintOnTable(Flowable):  # type: ignore[misc]
    """A framed, tilted print of ``width`` x ``height`` points (border included) on a table band."""

    def __init__(self, paint: Painter | None, width: float, height: float, angle: float,
                 bleed_left: float = 0.0, bleed_right: float = 0.0, board: bool = True,
                 failed_text: str = "") -> None:
        super().__init__()
        self.paint = paint
        self.print_w = width
        self.print_h = height
        self.angle = angle
        self.bleed_left = bleed_left
        self.bleed_right = bleed_right
        self.board = board
        self.failed_text = failed_text
        self.avail_w = width

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.avail_w = avail_width
        return avail_width, self.print_h + 2 * BAND_PAD

    def draw(self) -> None:
        c: Canvas = self.canv
        total_h = self.print_h + 2 * BAND_PAD
        self._table(c, total_h)
        c.saveState()
        c.translate(self.avail_w / 2, total_h / 2)
        c.rotate(self.angle)
        w, h = self.print_w, self.print_h
        x0, y0 = -w / 2, -h / 2
        # soft shadow: a few translucent grey rectangles, offset down-right and growing
        c.setStrokeColor(style.alpha(style.INK, 0))
        for i, a in enumerate((0.07, 0.05, 0.04, 0.03)):
            grow = 0.6 * i
            c.setFillColor(style.alpha(style.INK, a))
            c.roundRect(x0 + 1.4 + i * 0.5 - grow, y0 - 2.0 - i * 0.6 - grow, w + 2 * grow, h + 2 * grow,
                        1.5 + grow, stroke=0, fill=1)
        # the print: white border, hairline edge
        c.setFillColor(white)
        c.setStrokeColor(style.alpha(style.INK, 0.12))
        c.setLineWidth(0.3)
        c.rect(x0, y0, w, h, stroke=1, fill=1)
        ix, iy, iw, ih = x0 + BORDER, y0 + BORDER, w - 2 * BORDER, h - 2 * BORDER
        if self.board:
            self._board_scene(c, ix, iy, iw, ih)
        else:
            self._picture(c, ix, iy, iw, ih)
        c.restoreState()

    def _table(self, c: Canvas, total_h: float) -> None:
        """The table top: a light band across the page with a few faint grain lines."""
        c.saveState()
        left, right = -self.bleed_left, self.avail_w + self.bleed_right
        c.setFillColor(style.TABLE)
        c.rect(left, 0, right - left, total_h, stroke=0, fill=1)
        c.setStrokeColor(style.alpha(style.TABLE_GRAIN, 0.55))
        c.setLineWidth(0.4)
        for k in range(1, 9):
            y = total_h * k / 9 + (k % 3) * 1.3
            c.line(left, y, right, y + (1.5 if k % 2 else -1.0))
        c.restoreState()

    def _board_scene(self, c: Canvas, x: float, y: float, w: float, h: float) -> None:
        """What a photo of a board shows: a bit of wall around the paper, pinned at the top."""
        c.setFillColor(style.WALL)
        c.rect(x, y, w, h, stroke=0, fill=1)
        m = 2.6 * mm
        px, py, pw, ph = x + m, y + m, w - 2 * m, h - 2 * m
        c.setFillColor(style.alpha(style.INK, 0.10))
        c.rect(px + 0.8, py - 0.9, pw, ph, stroke=0, fill=1)
        c.setFillColor(style.PAPER)
        c.setStrokeColor(style.alpha(style.INK, 0.18))
        c.setLineWidth(0.4)
        c.rect(px, py, pw, ph, stroke=1, fill=1)
        for pin_x in (px + 5 * mm, px + pw - 5 * mm):  # two pins holding the paper
            c.setFillColor(style.alpha(style.INK, 0.25))
            c.circle(pin_x + 0.5, py + ph - 3.4 * mm - 0.5, 1.5 * mm, stroke=0, fill=1)
            c.setFillColor(style.RED)
            c.circle(pin_x, py + ph - 3.4 * mm, 1.5 * mm, stroke=0, fill=1)
        inset = 4 * mm
        box = (px + inset, py + inset, pw - 2 * inset, ph - 2 * inset - 2 * mm)
        if self.paint is None or not guarded(c, self.paint, *box):
            _placeholder(c, px, py, pw, ph, self.failed_text)

    def _picture(self, c: Canvas, x: float, y: float, w: float, h: float) -> None:
        if self.paint is None or not guarded(c, self.paint, x, y, w, h):
            _placeholder(c, x, y, w, h, self.failed_text)


def guarded(c: Canvas, paint: Painter, x: float, y: float, w: float, h: float) -> bool:
    """Run ``paint`` in its own graphics state; False (and a balanced state) if it raised.

    A board that cannot be drawn (a malformed result) must not take the whole protocol with it.
    """
    depth = len(c.state_stack)
    c.saveState()
    try:
        paint(c, x, y, w, h)
    except Exception:
        log.exception("protocol picture failed")
        ok = False
    else:
        ok = True
    while len(c.state_stack) > depth:
        c.restoreState()
    return ok


def _placeholder(c: Canvas, x: float, y: float, w: float, h: float, text: str) -> None:
    c.setFillColor(style.WALL)
    c.rect(x, y, w, h, stroke=0, fill=1)
    c.setFillColor(style.MUTED)
    c.setFont(style.FONT, 9)
    c.drawCentredString(x + w / 2, y + h / 2, style.fit(text, style.FONT, 9, w - 10))


def image_painter(data: bytes) -> tuple[Painter | None, float]:
    """A painter for an uploaded photo and its aspect ratio (width / height).

    Undecodable bytes give no painter, so the frame shows its placeholder instead.
    """
    try:
        reader: Any = ImageReader(io.BytesIO(data))
        iw, ih = reader.getSize()
        ratio = iw / ih if iw and ih else 4 / 3
    except Exception:
        log.warning("protocol photo could not be read")
        return None, 4 / 3

    def paint(c: Canvas, x: float, y: float, w: float, h: float) -> None:
        c.drawImage(reader, x, y, w, h, preserveAspectRatio=True, anchor="c", mask="auto")

    return paint, ratio


def photo_size(ratio: float, max_w: float, max_h: float) -> tuple[float, float]:
    """Outer size of a print (border included) showing an image of ``ratio`` within the limits."""
    inner_w, inner_h = max_w - 2 * BORDER, max_h - 2 * BORDER
    if inner_w / inner_h > ratio:
        inner_w = inner_h * ratio
    else:
        inner_h = inner_w / ratio
    return inner_w + 2 * BORDER, inner_h + 2 * BORDER


class Progress(Flowable):  # type: ignore[misc]
    """An invisible marker that reports ``fraction`` when the layout reaches it."""

    _ZEROSIZE = True

    def __init__(self, report: Callable[[float], None], fraction: float) -> None:
        super().__init__()
        self.report = report
        self.fraction = fraction
        self.done = False

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        if not self.done:
            self.done = True
            self.report(self.fraction)

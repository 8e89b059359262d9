"""Fonts, colours, paragraph styles and number/time formatting shared by the protocol modules.

Participant text (titles, labels, names) is always passed through :func:`para` / :func:`esc` or
drawn with ``drawString``, so ``<b>`` or ``&`` in a title is printed literally, never parsed as
markup.
"""

from __future__ import annotations

import threading
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph

from methods import numbers
from sessions.protocol.data import Translate

FONT = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
_FONT_DIR = Path(__file__).resolve().parent / "fonts"
_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the embedded DejaVu fonts once per process (umlauts, ß, „“, –, →, ✓)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        pdfmetrics.registerFont(TTFont(FONT, str(_FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(_FONT_DIR / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)
        _registered = True


register_fonts()

# --- colours ------------------------------------------------------------------------------------

INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#5F6B7A")
FAINT = colors.HexColor("#9AA5B1")
RULE = colors.HexColor("#CBD2D9")
ACCENT = colors.HexColor("#24507A")  # headings, cover band: a sober office blue
ZEBRA = colors.HexColor("#F4F6F8")
HEAD_BG = colors.HexColor("#E4E9EE")

TABLE = colors.HexColor("#E9E2D6")  # the table the prints lie on
TABLE_GRAIN = colors.HexColor("#D9CFBF")
WALL = colors.HexColor("#E6E8EB")  # what is seen around the board in the "photo"
PAPER = colors.HexColor("#FDFCF8")  # flipchart / pinboard paper

GREEN = colors.HexColor("#2E8B57")
GREEN_SOFT = colors.HexColor("#E6F2EA")
RED = colors.HexColor("#C0392B")
RED_SOFT = colors.HexColor("#F4C7C1")
AMBER_SOFT = colors.HexColor("#FBF0D9")
AMBER = colors.HexColor("#B7791F")
BLUE = colors.HexColor("#2F6FAE")
GREY = colors.HexColor("#8E99A4")
MARKER = colors.HexColor("#253858")  # "felt pen" ink on the boards


def alpha(color: Color, value: float) -> Color:
    return Color(color.red, color.green, color.blue, alpha=value)


# --- paragraph styles ---------------------------------------------------------------------------

STYLES: dict[str, ParagraphStyle] = {
    "body": ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, textColor=INK),
    "small": ParagraphStyle("small", fontName=FONT, fontSize=8, leading=10.5, textColor=MUTED),
    "cell": ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10, textColor=INK),
    "cell_muted": ParagraphStyle("cell_muted", fontName=FONT, fontSize=7.5, leading=9.5, textColor=MUTED),
    "head": ParagraphStyle("head", fontName=BOLD, fontSize=7.5, leading=9.5, textColor=INK),
    "head_right": ParagraphStyle("head_right", fontName=BOLD, fontSize=7.5, leading=9.5, textColor=INK,
                                 alignment=TA_RIGHT),
    "h1": ParagraphStyle("h1", fontName=BOLD, fontSize=17, leading=21, textColor=ACCENT, spaceAfter=4),
    "h2": ParagraphStyle("h2", fontName=BOLD, fontSize=12, leading=15, textColor=ACCENT,
                         spaceBefore=8, spaceAfter=4),
    "h3": ParagraphStyle("h3", fontName=BOLD, fontSize=9.5, leading=12, textColor=INK,
                         spaceBefore=6, spaceAfter=3),
    "meta": ParagraphStyle("meta", fontName=FONT, fontSize=9, leading=12, textColor=MUTED, spaceAfter=2),
    "caption": ParagraphStyle("caption", fontName=FONT, fontSize=8, leading=10.5, textColor=MUTED,
                              alignment=TA_LEFT, spaceBefore=3, spaceAfter=6),
    "decision": ParagraphStyle("decision", fontName=BOLD, fontSize=9.5, leading=13, textColor=INK),
    "cover_title": ParagraphStyle("cover_title", fontName=BOLD, fontSize=26, leading=32, textColor=INK),
    "cover_label": ParagraphStyle("cover_label", fontName=BOLD, fontSize=10, leading=13, textColor=ACCENT),
    "cover_key": ParagraphStyle("cover_key", fontName=FONT, fontSize=10, leading=14, textColor=MUTED),
    "cover_val": ParagraphStyle("cover_val", fontName=FONT, fontSize=11, leading=15, textColor=INK),
}


def esc(text: object) -> str:
    """Escape any text for use inside a Paragraph (``<``, ``>``, ``&`` stay literal)."""
    return escape(str(text))


def para(text: object, style: str = "body") -> Paragraph:
    """A Paragraph of *plain* text: never interpreted as markup."""
    return Paragraph(esc(text), STYLES[style])


def markup(html: str, style: str = "body") -> Paragraph:
    """A Paragraph of markup the caller built from escaped pieces (see :func:`esc`)."""
    return Paragraph(html, STYLES[style])


# --- formatting ---------------------------------------------------------------------------------


def _lang(t: Translate) -> str:
    """The session language as the catalog knows it (the renderer is handed only ``t``)."""
    return "de" if t("pdf.decimal_separator") == "," else "en"


def num(value: Any, t: Translate, digits: int = 1) -> str:
    """A number in the session language (``74,2`` in German); ``–`` for missing values.
    The same formatter as the projector's (:mod:`methods.numbers`)."""
    return numbers.number(value, _lang(t), digits)


def pct(value: Any, t: Translate, digits: int = 1) -> str:
    return numbers.percent(value, _lang(t), digits)


def clock(value: datetime | None, t: Translate) -> str:
    return value.strftime(t("pdf.time_format")) if value else "–"


def stamp(value: datetime | None, t: Translate) -> str:
    return value.strftime(t("pdf.datetime_format")) if value else "–"


def day(value: str, t: Translate) -> str:
    """The session date: an ISO date is written the local way, anything else as given."""
    try:
        return date.fromisoformat(value.strip()).strftime(t("pdf.date_format"))
    except (ValueError, AttributeError):
        return value or "–"


def span(start: datetime | None, end: datetime | None, t: Translate) -> str:
    """``14:05–14:31``; an unfinished span ends in "open"; nothing at all is ``–``."""
    if start is None and end is None:
        return "–"
    return f"{clock(start, t)}–{clock(end, t) if end else t('pdf.still_open')}"


# --- drawing text on a canvas -------------------------------------------------------------------


def fit(text: str, font: str, size: float, width: float) -> str:
    """Cut ``text`` with an ellipsis so that it fits ``width`` points."""
    text = " ".join(str(text).split())
    if width <= 0:
        return ""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # longest prefix that fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if pdfmetrics.stringWidth(text[:mid].rstrip() + "…", font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…" if lo else ""


def lines(text: str, font: str, size: float, width: float, most: int) -> list[str]:
    """Wrap ``text`` into at most ``most`` lines of ``width``; the last one ends in … if cut."""
    text = " ".join(str(text).split())
    if not text or most < 1:
        return []
    out = simpleSplit(text, font, size, width)
    if len(out) <= most:
        return [fit(line, font, size, width) for line in out]
    kept = out[: most - 1]
    rest = " ".join(out[most - 1 :])
    return [*(fit(line, font, size, width) for line in kept), fit(rest + " …", font, size, width)]

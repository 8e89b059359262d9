"""Building blocks of the transcriptions: tidy tables, fact lines, the decision box."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, LongTable, Paragraph, Table, TableStyle

from sessions.protocol import style

FULL_WIDTH = 170 * mm  # A4 minus 2 x 20 mm margins


def grid(rows: Sequence[Sequence[Any]], widths: Sequence[float], *, numeric: Sequence[int] = (),
         highlight: Sequence[int] = (), muted: Sequence[int] = (), repeat_header: bool = True) -> Table:
    """A table with a header row, hairline rules and zebra stripes.

    ``rows[0]`` is the header; cells may be strings (drawn as plain text) or flowables.
    ``numeric`` columns are right-aligned; ``highlight``/``muted`` are data-row indices (0-based,
    header excluded) drawn green-tinted / grey.
    """
    body = [[_cell(v, head=(i == 0), right=(j in numeric)) for j, v in enumerate(row)]
            for i, row in enumerate(rows)]
    cls = LongTable if len(body) > 40 else Table
    table = cls(body, colWidths=list(widths), repeatRows=1 if repeat_header else 0, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), style.FONT, 8),
        ("TEXTCOLOR", (0, 0), (-1, -1), style.INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), style.HEAD_BG),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, style.MUTED),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, style.RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.6),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    for i in range(1, len(body)):
        if i % 2 == 0:
            commands.append(("BACKGROUND", (0, i), (-1, i), style.ZEBRA))
    for col in numeric:
        commands.append(("ALIGN", (col, 0), (col, -1), "RIGHT"))
    for r in highlight:
        commands.append(("BACKGROUND", (0, r + 1), (-1, r + 1), style.GREEN_SOFT))
    for r in muted:
        commands.append(("TEXTCOLOR", (0, r + 1), (-1, r + 1), style.MUTED))
    table.setStyle(TableStyle(commands))
    return table


def _cell(value: Any, head: bool, right: bool) -> Any:
    if isinstance(value, Flowable):
        return value
    if head:  # our own header texts; a line break in a key ("Wider-\nstand") is kept
        html = "<br/>".join(style.esc(part) for part in str(value).split("\n"))
        return Paragraph(html, style.STYLES["head_right" if right else "head"])
    return "" if value is None else str(value)


def cell(text: object, muted: bool = False) -> Paragraph:
    """A wrapping table cell of plain (escaped) text, for labels that may be long."""
    return style.para(text, "cell_muted" if muted else "cell")


def facts(pairs: Sequence[tuple[str, str]]) -> Paragraph:
    """``Key: value · Key: value`` in small print; keys are ours, values are escaped."""
    parts = [f"<font color='#5F6B7A'>{style.esc(k)}:</font> {style.esc(v)}" for k, v in pairs if v]
    return style.markup(" · ".join(parts), "body")


def decision_box(label: str, text: str, tone: str = "good") -> Table:
    """The round's outcome in a tinted box with a coloured bar on the left."""
    bg, bar = {
        "good": (style.GREEN_SOFT, style.GREEN),
        "warn": (style.AMBER_SOFT, style.AMBER),
        "none": (style.ZEBRA, style.FAINT),
    }.get(tone, (style.ZEBRA, style.FAINT))
    content = style.markup(f"<font name='{style.BOLD}' color='#5F6B7A'>{style.esc(label)}</font> "
                           f"{style.esc(text)}", "decision")
    box = Table([[content]], colWidths=[FULL_WIDTH], hAlign="LEFT")
    box.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), bg),
        ("LINEBEFORE", (0, 0), (0, -1), 3, bar),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))
    return box


def options_of(result: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    """The ``options`` rows of a result, tolerating a missing or malformed result."""
    if not isinstance(result, Mapping):
        return []
    raw = result.get("options")
    if not isinstance(raw, list):
        return []
    return [o for o in raw if isinstance(o, Mapping)]


def number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)

"""Systemic consensing in the protocol: the ranked acceptance board, and its transcription.

The board shows acceptance (100 % = no resistance) as horizontal bars in rank order; the dashed
line is the passive solution, the limit of what is acceptable. Selected proposals are green,
acceptable ones blue, proposals not better than the passive solution light red.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Spacer

from methods.consensing import PASSIVE_ID, compare_rounds
from sessions.protocol import parts, style
from sessions.protocol.board import Board
from sessions.protocol.data import RoundData, Translate

MAX_ROWS = 30


def _result(rnd: RoundData) -> Mapping[str, Any]:
    return rnd.result if isinstance(rnd.result, Mapping) else {}


def _question(rnd: RoundData) -> str:
    q = _result(rnd).get("question")
    if not q and isinstance(rnd.config, Mapping):
        q = rnd.config.get("question")
    return str(q).strip() if q else ""


def _is_passive(option: Mapping[str, Any]) -> bool:
    return bool(option.get("passive")) or option.get("id") == PASSIVE_ID


def _label(option: Mapping[str, Any]) -> str:
    return str(option.get("label") or option.get("id") or "")


def shown_rows(options: list[Mapping[str, Any]], cap: int = MAX_ROWS) -> tuple[list[Mapping[str, Any]], int]:
    """The rows a board shows (at most ``cap``; the passive solution always) and how many are left."""
    if len(options) <= cap:
        return options, 0
    rows = options[:cap]
    if not any(_is_passive(o) for o in rows):
        passive = next((o for o in options if _is_passive(o)), None)
        if passive is not None:
            rows = [*options[: cap - 1], passive]
    return rows, len(options) - len(rows)


def _bar_color(option: Mapping[str, Any]) -> Any:
    if _is_passive(option):
        return style.GREY
    if option.get("selected"):
        return style.GREEN
    if option.get("acceptable"):
        return style.BLUE
    return style.RED_SOFT


# --- the board ----------------------------------------------------------------------------------


def draw_board(canvas: Canvas, x: float, y: float, width: float, height: float, round: RoundData,
               t: Translate) -> None:
    c = canvas
    res = _result(round)
    top = y + height
    question = _question(round)
    if question:
        qlines = style.lines(question, style.BOLD, 11, width, 2)
        c.setFillColor(style.MARKER)
        c.setFont(style.BOLD, 11)
        for i, line in enumerate(qlines):
            c.drawString(x, top - 11 - i * 14, line)
        top -= 14 * len(qlines) + 4
    options = parts.options_of(res)
    rows, hidden = shown_rows(options)

    # footer: legend (left) and the number of raters (right)
    foot = y
    c.setFont(style.FONT, 7)
    raters = res.get("raters") if isinstance(res.get("raters"), int) else 0
    c.setFillColor(style.MUTED)
    c.drawRightString(x + width, foot, t("pdf.cs_board_raters", count=raters))
    lx = x
    for color, key in ((style.GREEN, "pdf.cs_legend_selected"), (style.BLUE, "pdf.cs_legend_acceptable"),
                       (style.RED_SOFT, "pdf.cs_legend_not_acceptable")):
        c.setFillColor(color)
        c.rect(lx, foot, 6, 6, stroke=0, fill=1)
        c.setFillColor(style.MUTED)
        text = t(key)
        c.drawString(lx + 8, foot, text)
        lx += 8 + stringWidth(text, style.FONT, 7) + 10
    c.setStrokeColor(style.MARKER)
    c.setLineWidth(0.9)
    c.setDash(3, 2)
    c.line(lx, foot + 3, lx + 12, foot + 3)
    c.setDash()
    c.drawString(lx + 15, foot, t("pdf.cs_passive_line"))

    if not rows:
        _centre(c, x, y, width, top - y, t("pdf.board_empty"))
        return

    scale_h = 11  # the 0 % … 100 % scale under the bars
    area_bottom = y + 12 + scale_h + (9 if hidden else 0)
    area_top = top - 10  # room for the passive line's label
    n = len(rows)
    row_h = min(20.0, (area_top - area_bottom) / n)
    size = max(5.0, min(9.0, row_h * 0.58))
    rank_w = stringWidth("00", style.BOLD, size) + 4
    label_w = width * 0.40
    value_w = stringWidth("100,0 % ✓", style.FONT, size) + 6
    bar_x = x + rank_w + label_w + 6
    bar_w = x + width - value_w - bar_x
    rows_top = area_bottom + row_h * n
    # one label size for the whole board: smaller (and on two lines) if any label needs it
    small = min(size * 0.86, (row_h - 2) / 2.15)
    if small >= 5.5 and any(stringWidth(_label(o), style.FONT, size) > label_w - 4 for o in rows):
        label_size, two_lines = small, True
    else:
        label_size, two_lines = size, False

    # grid lines and the scale
    c.setLineWidth(0.3)
    c.setStrokeColor(style.alpha(style.MARKER, 0.15))
    c.setFont(style.FONT, 6.5)
    c.setFillColor(style.MUTED)
    for k in range(0, 5):
        gx = bar_x + bar_w * k / 4
        c.line(gx, area_bottom, gx, rows_top)
        c.drawCentredString(gx, area_bottom - 8, style.pct(25 * k, t, 0))
    if hidden:
        c.setFont(style.FONT, 7)
        c.drawString(x, area_bottom - 8 - 10, t("pdf.more_rows", count=hidden))

    for i, option in enumerate(rows):
        cy = rows_top - row_h * (i + 0.5)  # centre line of the row
        baseline = cy - size * 0.35
        passive = _is_passive(option)
        rank = option.get("rank")
        c.setFillColor(style.MARKER)
        c.setFont(style.BOLD, size)
        c.drawRightString(x + rank_w - 3, baseline, str(rank) if isinstance(rank, int) else "–")
        c.setFillColor(style.MUTED if passive else style.MARKER)
        _draw_label(c, _label(option), x + rank_w + 2, cy, label_w - 4, label_size, two_lines)
        acceptance = parts.number(option.get("acceptance"))
        if acceptance is None:
            c.setFillColor(style.MUTED)
            c.drawString(bar_x + 2, baseline, t("pdf.cs_not_rated"))
            continue
        length = bar_w * max(0.0, min(100.0, acceptance)) / 100
        bh = row_h * 0.62
        color = _bar_color(option)
        c.setFillColor(style.alpha(color, 0.9))
        c.setStrokeColor(color)
        c.setLineWidth(0.5)
        if length > 0:
            c.rect(bar_x, cy - bh / 2, length, bh, stroke=1, fill=1)
        c.setFillColor(style.MARKER)
        c.setFont(style.BOLD if option.get("selected") else style.FONT, size)
        value = style.pct(acceptance, t)
        if option.get("selected"):
            value += " ✓"
        c.drawString(bar_x + length + 3, baseline, value)

    passive_row = next((o for o in options if _is_passive(o)), None)
    p_acc = parts.number(passive_row.get("acceptance")) if passive_row else None
    if p_acc is not None:
        px = bar_x + bar_w * max(0.0, min(100.0, p_acc)) / 100
        c.setStrokeColor(style.MARKER)
        c.setLineWidth(1.0)
        c.setDash(4, 2.5)
        c.line(px, area_bottom - 2, px, rows_top + 3)
        c.setDash()
        c.setFont(style.FONT, 7)
        c.setFillColor(style.MARKER)
        label = t("pdf.cs_passive_line")
        lw = stringWidth(label, style.FONT, 7)
        c.drawString(min(max(px - lw / 2, bar_x), x + width - lw), rows_top + 5, label)


def _draw_label(c: Canvas, label: str, x: float, cy: float, width: float, size: float,
                two_lines: bool) -> None:
    """A label centred on the row: on up to two lines if allowed, cut with an ellipsis if longer."""
    c.setFont(style.FONT, size)
    wrapped = style.lines(label, style.FONT, size, width, 2) if two_lines else []
    if len(wrapped) == 2:
        c.drawString(x, cy + 0.2 * size, wrapped[0])
        c.drawString(x, cy - 0.95 * size, wrapped[1])
    else:
        c.drawString(x, cy - 0.35 * size, style.fit(label, style.FONT, size, width))


def _centre(c: Canvas, x: float, y: float, w: float, h: float, text: str) -> None:
    c.setFont(style.FONT, 10)
    c.setFillColor(style.MUTED)
    c.drawCentredString(x + w / 2, y + h / 2, style.fit(text, style.FONT, 10, w))


def board_height(round: RoundData) -> float:
    """A print tall enough for the rows it shows (used by the renderer to size the photo)."""
    rows, hidden = shown_rows(parts.options_of(_result(round)))
    per_row = 7 * mm if len(rows) <= 12 else 6.2 * mm
    return float(max(62 * mm, min(150 * mm, 42 * mm + len(rows) * per_row + (4 * mm if hidden else 0))))


# --- the transcription --------------------------------------------------------------------------


def _flags(option: Mapping[str, Any], t: Translate) -> str:
    flags = []
    if _is_passive(option):
        flags.append(t("pdf.cs_flag_passive"))
    elif option.get("selected"):
        flags.append(t("pdf.cs_flag_selected"))
    elif option.get("acceptance") is not None and not option.get("acceptable"):
        flags.append(t("pdf.cs_flag_not_better"))
    if option.get("tie"):
        flags.append(t("pdf.cs_flag_tie"))
    elif option.get("tie_break") in ("max", "high"):
        flags.append(t(f"pdf.cs_flag_tie_break_{option.get('tie_break')}"))
    if option.get("low_quorum") and option.get("raters"):
        flags.append(t("pdf.cs_flag_low_quorum"))
    return "; ".join(flags)


def transcription(round: RoundData, t: Translate) -> list[Flowable]:
    res = _result(round)
    options = parts.options_of(res)
    threshold = res.get("high_threshold")
    head = [t("pdf.col_rank"), t("pdf.col_proposal"), t("pdf.col_mean"), t("pdf.col_acceptance"),
            t("pdf.col_raters"), t("pdf.col_abstentions"),
            t("pdf.col_high", threshold=threshold if isinstance(threshold, int) else "–"), t("pdf.col_notes")]
    rows: list[list[Any]] = [head]
    for o in options:
        rank = o.get("rank")
        rows.append([
            str(rank) if isinstance(rank, int) else "–",
            parts.cell(_label(o), muted=_is_passive(o)),
            style.num(o.get("mean"), t, 2),
            style.pct(o.get("acceptance"), t),
            style.num(o.get("raters"), t),
            style.num(o.get("abstentions"), t),
            style.num(o.get("high"), t),
            parts.cell(_flags(o, t), muted=True),
        ])
    out: list[Flowable] = []
    if options:
        widths = [11 * mm, 56 * mm, 16 * mm, 17 * mm, 15 * mm, 15 * mm, 16 * mm, 24 * mm]
        out.append(parts.grid(rows, widths, numeric=(0, 2, 3, 4, 5, 6),
                              highlight=[i for i, o in enumerate(options) if o.get("selected")],
                              muted=[i for i, o in enumerate(options) if o.get("rank") is None]))
    else:
        out.append(style.para(t("pdf.no_options"), "small"))
    scale = res.get("scale_max")
    participants = res.get("participants") if isinstance(res.get("participants"), int) else 0
    raters = res.get("raters") if isinstance(res.get("raters"), int) else 0
    facts = [
        (t("pdf.cs_scale"), f"0–{scale}" if isinstance(scale, int) else "–"),
        (t("pdf.cs_raters"),
         t("pdf.of_count", part=raters, whole=participants) if participants else str(raters)),
        (t("pdf.cs_select"), str(res.get("select", "–"))),
    ]
    out.append(Spacer(1, 4))
    out.append(parts.facts(facts))
    out.append(style.para(t("pdf.cs_reading_note"), "small"))
    return out


def compare(rounds: Sequence[RoundData], t: Translate) -> list[Flowable]:
    """Acceptance per option in each round (at most 4 columns) and the change first → last."""
    shown = list(rounds) if len(rounds) <= 4 else [*rounds[:2], *rounds[-2:]]
    first, last = _result(rounds[0]), _result(rounds[-1])
    table = compare_rounds(first, last)
    per_round = [{o.get("id"): o.get("acceptance") for o in parts.options_of(_result(r))} for r in shown]
    head = [t("pdf.col_proposal"), *(t("pdf.round_n", n=r.round) for r in shown), t("pdf.col_change")]
    rows: list[list[Any]] = [head]
    for row in table:
        delta = row.get("delta")
        rows.append([
            parts.cell(row.get("label") or row.get("id") or "", muted=row.get("id") == PASSIVE_ID),
            *(style.pct(acc.get(row.get("id")), t) for acc in per_round),
            t("pdf.points", value=("+" if delta > 0 else "") + style.num(delta, t))
            if isinstance(delta, int | float) else "–",
        ])
    rest = parts.FULL_WIDTH - 80 * mm - 26 * mm
    return [parts.grid(rows, [80 * mm, *([rest / len(shown)] * len(shown)), 26 * mm],
                       numeric=tuple(range(1, len(shown) + 2)))]


BOARD = Board(draw=draw_board, transcription=transcription, height=board_height, compare=compare)

TEXTS: dict[str, dict[str, str]] = {
    'pdf.cs_board_raters': {"de": '{count} Bewertende', "en": '{count} raters'},
    'pdf.cs_legend_selected': {"de": 'ausgewählt', "en": 'selected'},
    'pdf.cs_legend_acceptable': {"de": 'besser als Passivlösung', "en": 'better than passive'},
    'pdf.cs_legend_not_acceptable': {"de": 'nicht besser', "en": 'not better'},
    'pdf.cs_passive_line': {"de": 'Passivlösung', "en": 'Passive solution'},
    'pdf.cs_not_rated': {"de": 'nicht bewertet', "en": 'not rated'},
    'pdf.cs_flag_passive': {"de": 'Passivlösung', "en": 'passive solution'},
    'pdf.cs_flag_selected': {"de": '✓ ausgewählt', "en": '✓ selected'},
    'pdf.cs_flag_not_better': {"de": 'nicht besser als Passivlösung', "en": 'not better than passive'},
    'pdf.cs_flag_tie': {"de": 'Gleichstand', "en": 'tie'},
    'pdf.cs_flag_tie_break_max': {"de": 'Stichentscheid: Höchstwert', "en": 'tie broken by highest rating'},
    'pdf.cs_flag_tie_break_high': {
        "de": 'Stichentscheid: hohe Widerstände',
        "en": 'tie broken by high ratings',
    },
    'pdf.cs_flag_low_quorum': {"de": 'wenige Bewertungen', "en": 'low quorum'},
    'pdf.cs_scale': {"de": 'Skala', "en": 'Scale'},
    'pdf.cs_raters': {"de": 'Bewertet haben', "en": 'Rated by'},
    'pdf.cs_select': {"de": 'Auszuwählen', "en": 'To select'},
    'pdf.cs_reading_note': {
        "de": 'Rang nach mittlerem Widerstand (Ø); Akzeptanz = 100 % minus mittlerer Widerstand in Prozent der Skala. Annehmbar ist nur ein Vorschlag mit weniger Widerstand als die Passivlösung. Enthaltungen zählen nicht als Bewertung.',
        "en": 'Ranked by mean resistance; acceptance = 100% minus mean resistance in percent of the scale. Only a proposal with less resistance than the passive solution is acceptable. Abstentions do not count as ratings.',
    },
    "pdf.points": {"de": "{value} Pkt.", "en": "{value} pts"},
    "pdf.more_rows": {"de": "+{count} weitere (siehe Abschrift)", "en": "+{count} more (see transcription)"},
    "pdf.col_rank": {"de": "Rang", "en": "Rank"},
    "pdf.col_proposal": {"de": "Vorschlag", "en": "Proposal"},
    "pdf.col_mean": {"de": "Ø Wider-\nstand", "en": "Mean re-\nsistance"},
    "pdf.col_acceptance": {"de": "Akzep-\ntanz", "en": "Accep-\ntance"},
    "pdf.col_raters": {"de": "Bewer-\ntende", "en": "Raters"},
    "pdf.col_abstentions": {"de": "Enthal-\ntungen", "en": "Absten-\ntions"},
    "pdf.col_high": {"de": "Hohe W.\n(≥ {threshold})", "en": "High\n(≥ {threshold})"},
    "pdf.col_notes": {"de": "Hinweise", "en": "Notes"},
}

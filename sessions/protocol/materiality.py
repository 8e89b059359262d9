"""Materiality matrix in the protocol: the pinned matrix as a photo, and its transcription."""

from __future__ import annotations

import math
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Spacer

from methods.materiality import AXES, QUADRANTS, Placed, Result
from sessions.protocol import parts, style
from sessions.protocol.board import Board
from sessions.protocol.data import RoundData, Translate

MOVED = colors.HexColor("#7B3FA0")
"""Moderator moves (as on the console): the ring, the arrow, the moved dot's edge."""
MAX_LEGEND = 30
"""Legend lines beside the matrix (the engine allows 60 items; the transcription lists all)."""


def _result(rnd: RoundData) -> Result:
    """The stored result, typed; an old or broken one reads as empty (the rest of the PDF stands)."""
    try:
        return Result.model_validate(dict(rnd.result or {}))
    except Exception:  # noqa: BLE001 - a protocol is printed whatever a snapshot holds
        return Result()


def _color(p: Placed) -> Any:
    if p.uncertain:
        return style.AMBER
    return style.GREEN if p.prioritised else style.BLUE


# --- the board ----------------------------------------------------------------------------------


def draw_board(canvas: Canvas, x: float, y: float, width: float, height: float, round: RoundData,
               t: Translate) -> None:
    """A pinboard: the matrix on the left (axes with their ends, split lines, quadrant labels,
    numbered dots), the numbered items as a legend on the right."""
    c = canvas
    res = _result(round)
    top = y + height
    if res.question:
        c.setFillColor(style.MARKER)
        c.setFont(style.BOLD, 10)
        c.drawString(x, top - 10, style.fit(res.question, style.BOLD, 10, width))
        top -= 16
    if res.empty or not res.items:
        c.setFont(style.FONT, 10)
        c.setFillColor(style.MUTED)
        c.drawCentredString(x + width / 2, y + (top - y) / 2, t("pdf.board_empty"))
        return
    legend_w = width * 0.36
    side = min(width - legend_w - 22 * mm, top - y - 14 * mm)
    mx, my = x + 14 * mm, y + 12 * mm  # the matrix's lower left corner
    ax, ay = res.axes.get("x"), res.axes.get("y")
    # the field and its quadrants
    c.setStrokeColor(style.MARKER)
    c.setLineWidth(1.2)
    c.rect(mx, my, side, side, stroke=1, fill=0)
    sx, sy = res.split.get("x", 0.5), res.split.get("y", 0.5)
    c.setDash(3, 2)
    c.setLineWidth(0.6)
    c.setStrokeColor(style.FAINT)
    c.line(mx + sx * side, my, mx + sx * side, my + side)
    c.line(mx, my + sy * side, mx + side, my + sy * side)
    c.setDash()
    c.setFont(style.FONT, 6.5)
    c.setFillColor(style.MUTED)
    quarter = side / 2 - 4
    for q in QUADRANTS:
        label = style.fit(res.quadrant_labels.get(q, ""), style.FONT, 6.5, quarter)
        if q.startswith("top"):
            ty = my + side - 9
        else:
            ty = my + 4
        if q.endswith("right"):
            c.drawRightString(mx + side - 3, ty, label)
        else:
            c.drawString(mx + 3, ty, label)
    # the axes: labels and their ends
    c.setFillColor(style.MARKER)
    c.setFont(style.FONT, 7)
    if ax is not None:
        c.drawString(mx, my - 9, style.fit(ax.low, style.FONT, 7, side / 3))
        c.drawRightString(mx + side, my - 9, style.fit(ax.high, style.FONT, 7, side / 3))
        c.setFont(style.BOLD, 7.5)
        c.drawCentredString(mx + side / 2, my - 10, style.fit(ax.label, style.BOLD, 7.5, side * 0.5))
    if ay is not None:
        c.saveState()
        c.translate(mx - 4, my)
        c.rotate(90)
        c.setFont(style.FONT, 7)
        c.drawString(0, 0, style.fit(ay.low, style.FONT, 7, side / 3))
        c.drawRightString(side, 0, style.fit(ay.high, style.FONT, 7, side / 3))
        c.setFont(style.BOLD, 7.5)
        c.drawCentredString(side / 2, 0, style.fit(ay.label, style.BOLD, 7.5, side * 0.5))
        c.restoreState()
    # the dots, numbered as in the legend; a moved item like a card the group re-pinned: a pencil
    # ring where the comparisons put it, an arrow to where it hangs now
    radius = 3.2 * mm if len(res.items) <= 30 else 2.4 * mm
    for p in res.items:
        if p.moderator is not None and p.comparisons.get("x") and p.comparisons.get("y"):
            _moved_arrow(c, (mx + p.x * side, my + p.y * side),
                         (mx + p.moderator.x * side, my + p.moderator.y * side), radius)
    for k, p in enumerate(res.items, start=1):
        if p.quadrant is None:
            continue
        wx, wy = (p.moderator.x, p.moderator.y) if p.moderator is not None else (p.x, p.y)
        px, py = mx + wx * side, my + wy * side
        c.setFillColor(_color(p))
        c.setStrokeColor(MOVED if p.moderator is not None else style.PAPER)
        c.setLineWidth(1.4 if p.moderator is not None else 1)
        c.circle(px, py, radius, stroke=1, fill=1)
        c.setFillColor(style.PAPER)
        c.setFont(style.BOLD, 6.5)
        c.drawCentredString(px, py - 2.3, str(k))
    # the legend
    lx = x + width - legend_w
    line_h = min(9.0, (top - y) / max(1, min(len(res.items), MAX_LEGEND) + 1))
    size = min(7.0, line_h - 1.5)
    ly = top - line_h
    for k, p in enumerate(res.items[:MAX_LEGEND], start=1):
        c.setFillColor(_color(p) if p.quadrant else style.MUTED)
        c.setFont(style.BOLD, size)
        c.drawRightString(lx + 10, ly, str(k))
        c.setFillColor(style.MARKER)
        c.setFont(style.FONT, size)
        mark = " ↗" if p.moderator is not None else ""  # moved: see the arrow in the matrix
        c.drawString(lx + 14, ly, style.fit(p.title or p.id, style.FONT, size, legend_w - 16 - (8 if mark else 0))
                     + mark)
        ly -= line_h
    if len(res.items) > MAX_LEGEND:
        c.setFont(style.FONT, size)
        c.setFillColor(style.MUTED)
        c.drawString(lx + 14, ly, t("pdf.mat_more", n=len(res.items) - MAX_LEGEND))


def _moved_arrow(c: Canvas, start: tuple[float, float], end: tuple[float, float], radius: float) -> None:
    """The computed position as a ring, and an arrow from its edge to the moved dot's edge."""
    (x0, y0), (x1, y1) = start, end
    c.setStrokeColor(MOVED)
    c.setLineWidth(1)
    c.setDash(1.5, 1.5)
    c.circle(x0, y0, radius, stroke=1, fill=0)
    c.setDash()
    length = math.hypot(x1 - x0, y1 - y0)
    if length <= 2 * radius + 2:
        return  # moved a hair: ring and dot overlap, an arrow would point nowhere
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    sx, sy = x0 + ux * radius, y0 + uy * radius
    ex, ey = x1 - ux * (radius + 0.6), y1 - uy * (radius + 0.6)
    c.setLineWidth(1.1)
    c.line(sx, sy, ex, ey)
    head = 2.2 * mm
    path = c.beginPath()
    path.moveTo(ex, ey)
    path.lineTo(ex - head * ux + head * 0.45 * uy, ey - head * uy - head * 0.45 * ux)
    path.lineTo(ex - head * ux - head * 0.45 * uy, ey - head * uy + head * 0.45 * ux)
    path.close()
    c.setFillColor(MOVED)
    c.drawPath(path, stroke=0, fill=1)


def board_height(round: RoundData) -> float:
    return float(115 * mm)


# --- the transcription --------------------------------------------------------------------------


def _interval(values: list[float], t: Translate) -> str:
    low, high = (values + [0.0, 1.0])[:2]
    return f"{style.num(low * 100, t, 0)}–{style.num(high * 100, t, 0)}"


def transcription(round: RoundData, t: Translate) -> list[Flowable]:
    res = _result(round)
    out: list[Flowable] = []
    if res.empty or not res.items:
        out.append(style.para(t("pdf.mat_none"), "small"))
        return out
    by_id = {p.id: p for p in res.items}
    numbers = {p.id: k for k, p in enumerate(res.items, start=1)}
    for axis in AXES:
        info = res.axes.get(axis)
        out.append(style.para(t("pdf.mat_axis", axis=info.label if info else axis,
                                low=info.low if info else "", high=info.high if info else ""), "body"))
        rows: list[list[Any]] = [[t("pdf.mat_rank"), t("pdf.mat_item"), t("pdf.mat_score"),
                                  t("pdf.mat_interval"), t("pdf.mat_comparisons")]]
        for rank, item_id in enumerate(res.rankings.get(axis, []), start=1):
            p = by_id.get(item_id)
            if p is None:
                continue
            score = p.x if axis == "x" else p.y
            interval = p.x_interval if axis == "x" else p.y_interval
            rows.append([str(rank), parts.cell(f"{numbers[p.id]}  {p.title or p.id}"),
                         style.num(score * 100, t, 0), _interval(list(interval), t),
                         str(p.comparisons.get(axis, 0))])
        out.append(parts.grid(rows, [12 * mm, 92 * mm, 18 * mm, 24 * mm, 24 * mm], numeric=(0, 2, 4)))
        out.append(Spacer(1, 4))
    chosen = [by_id[i].title or i for i in res.prioritised if i in by_id]
    out.append(style.para(t("pdf.mat_prioritised", labels=" · ".join(chosen)) if chosen
                          else t("pdf.mat_prioritised_none"), "body"))
    unsure = [p.title or p.id for p in res.items if p.uncertain and p.quadrant]
    facts = [
        (t("pdf.mat_total"), t("pdf.mat_counts", x=res.comparisons.get("x", 0), y=res.comparisons.get("y", 0),
                                skips=sum(res.skips.values()))),
        (t("pdf.mat_raters"), t("pdf.of_count", part=res.raters, whole=res.participants) if res.participants
         else str(res.raters)),
        (t("pdf.mat_enough"), t("pdf.mat_yes") if res.enough else t("pdf.mat_no")),
    ]
    if unsure:
        facts.append((t("pdf.mat_uncertain"), " · ".join(unsure)))
    out.append(parts.facts(facts))
    decided = [p for p in res.items if p.moderator is not None or p.marked is not None]
    if decided:
        out.append(Spacer(1, 4))
        out.append(style.para(t("pdf.mat_moderation"), "body"))
        rows = [[t("pdf.mat_item"), t("pdf.mat_computed"), t("pdf.mat_moved_to"), t("pdf.mat_marked")]]
        for p in decided:
            moved = p.moderator
            rows.append([parts.cell(f"{numbers[p.id]}  {p.title or p.id}"), _point(p.x, p.y, t),
                         _point(moved.x, moved.y, t) if moved is not None else "–",
                         "–" if p.marked is None else t("pdf.mat_yes") if p.marked else t("pdf.mat_no_mark")])
        out.append(parts.grid(rows, [84 * mm, 28 * mm, 28 * mm, 30 * mm]))
    out.append(style.para(t("pdf.mat_note"), "small"))
    return out


def _point(x: float, y: float, t: Translate) -> str:
    """A position as the table writes scores: percent on each axis, ``(80 | 35)``."""
    return f"({style.num(x * 100, t, 0)} | {style.num(y * 100, t, 0)})"


BOARD = Board(draw=draw_board, transcription=transcription, height=board_height)

TEXTS: dict[str, dict[str, str]] = {
    "pdf.mat_more": {"de": "… und {n} weitere (siehe Tabelle)", "en": "… and {n} more (see the table)"},
    "pdf.mat_none": {"de": "Keine Vergleiche abgegeben.", "en": "No comparisons were made."},
    "pdf.mat_axis": {"de": "Rangfolge: {axis} ({low} → {high})", "en": "Ranking: {axis} ({low} → {high})"},
    "pdf.mat_rank": {"de": "Rang", "en": "Rank"},
    "pdf.mat_item": {"de": "Thema", "en": "Item"},
    "pdf.mat_score": {"de": "Wert", "en": "Score"},
    "pdf.mat_interval": {"de": "95 %-Bereich", "en": "95% range"},
    "pdf.mat_comparisons": {"de": "Vergleiche", "en": "Comparisons"},
    "pdf.mat_prioritised": {"de": "Priorisiert (oben rechts): {labels}", "en": "Prioritised (top right): {labels}"},
    "pdf.mat_prioritised_none": {"de": "Kein Thema liegt im Feld oben rechts.",
                                 "en": "No item lies in the top-right quadrant."},
    "pdf.mat_total": {"de": "Vergleiche", "en": "Comparisons"},
    "pdf.mat_counts": {"de": "{x} + {y} (Achse 1 + Achse 2), {skips} × „gleich“",
                       "en": "{x} + {y} (axis 1 + axis 2), {skips} × “equal”"},
    "pdf.mat_raters": {"de": "Beteiligt", "en": "Took part"},
    "pdf.mat_enough": {"de": "Genug Vergleiche", "en": "Enough comparisons"},
    "pdf.mat_yes": {"de": "ja", "en": "yes"},
    "pdf.mat_no": {"de": "noch nicht", "en": "not yet"},
    "pdf.mat_uncertain": {"de": "Noch unsicher", "en": "Still uncertain"},
    "pdf.mat_moderation": {"de": "Nach der Diskussion von der Moderation gesetzt (Pfeil im Bild: von der berechneten "
                                 "zur gesetzten Position):",
                           "en": "Set by the facilitator after the discussion (arrow in the picture: from the computed "
                                 "to the set position):"},
    "pdf.mat_computed": {"de": "berechnet", "en": "computed"},
    "pdf.mat_moved_to": {"de": "gesetzt", "en": "set to"},
    "pdf.mat_marked": {"de": "priorisiert", "en": "prioritised"},
    "pdf.mat_no_mark": {"de": "nein", "en": "no"},
    "pdf.mat_note": {
        "de": "Wert: Wahrscheinlichkeit in Prozent, dass das Thema bei dieser Achse gegen ein zufällig gewähltes "
              "anderes gewinnt (Bradley–Terry-Modell aus allen Paarvergleichen); 95 %-Bereich: wie genau das "
              "die Vergleiche bestimmen.",
        "en": "Score: the probability in percent that the item wins on this axis against a randomly chosen other "
              "one (Bradley–Terry model of all pairwise comparisons); 95% range: how precisely the comparisons "
              "determine it.",
    },
}

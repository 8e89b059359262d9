"""The protocol board of the throwaway test method (see tests/plugin/engine.py)."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from sessions.protocol import style
from sessions.protocol.board import Board
from sessions.protocol.data import RoundData, Translate
from tests.plugin.engine import ENGINE


def draw(c: Canvas, x: float, y: float, width: float, height: float, rnd: RoundData, t: Translate) -> None:
    result = ENGINE.load_result(rnd.result)
    c.setFont(style.BOLD, 14)
    c.drawString(x, y + height - 20, t("pdf.pulse_board", voters=result.voters))


def transcription(rnd: RoundData, t: Translate) -> list[Flowable]:
    result = ENGINE.load_result(rnd.result)
    return [style.para(" · ".join(f"{i + 1}: {n}" for i, n in enumerate(result.counts)), "body")]


BOARD = Board(draw=draw, transcription=transcription)

TEXTS: dict[str, dict[str, str]] = {
    "pdf.pulse_board": {"de": "Stimmungsbild mit {voters} Stimmen", "en": "Mood with {voters} votes"},
}

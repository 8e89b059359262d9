"""What a method's protocol board provides, declared once in ``sessions/protocol/<name>.py``.

The decision, its tone and the open items come from the engine's ``outcome`` (the same sentence
the console showed); the board draws the picture and writes the transcription.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from sessions.protocol.data import RoundData, Translate

Draw = Callable[[Canvas, float, float, float, float, RoundData, Translate], None]
"""Paints the board into the box (x, y, width, height) of the print."""


@dataclass(frozen=True)
class Board:
    draw: Draw
    transcription: Callable[[RoundData, Translate], list[Flowable]]
    """Everything on the board as text and tables, so nothing depends on reading the picture."""
    height: Callable[[RoundData], float] | None = None
    """The print's height for this round (default: a fixed flipchart size)."""
    compare: Callable[[Sequence[RoundData], Translate], list[Flowable]] | None = None
    """A table of all rounds side by side, for a step run more than once."""
    photos: Callable[[RoundData], set[int]] | None = None
    """Ids of the step's photos (``RoundData.photos``) the transcription shows itself, beside what
    they belong to (theme tables: each table's tablecloth with its cards and summary); the
    renderer leaves them out of the photos after the step."""

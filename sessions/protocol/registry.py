"""Each method's protocol board, found by convention in ``sessions/protocol/<name>.py``.

A method without a board (or an unknown method in an old archive) is still printed:
:mod:`sessions.protocol.generic` transcribes its raw result.
"""

from __future__ import annotations

from methods import registry
from sessions.protocol.board import Board


def board(method: str) -> Board | None:
    """The board of a registered method; None for a method that is no longer registered."""
    if method not in registry.names():
        return None
    found: Board = registry.part(method, "board", "BOARD", Board)
    return found

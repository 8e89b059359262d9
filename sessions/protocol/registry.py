"""Protocol boards keyed by method name (the same names as ``methods.registry.ENGINES``).

Each board module provides ``draw_board(canvas, x, y, width, height, round, t)``,
``transcription(round, t) -> list[Flowable]`` and ``decision(round, t) -> str | None``; optionally
``board_height(round)``, ``tone(round)``, ``open_issues(round, t)`` and ``compare(rounds, t)``.
A method missing here is still printed: :mod:`sessions.protocol.generic` transcribes its raw result.
"""

from __future__ import annotations

from types import ModuleType

from sessions.protocol import consensing, hand_vote

BOARDS: dict[str, ModuleType] = {
    "hand_vote": hand_vote,
    "consensing": consensing,
}

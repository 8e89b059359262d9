"""The photo protocol (Fotoprotokoll) as PDF: ``render(data, t, progress) -> bytes``.

``data`` is plain :class:`~sessions.protocol.data.ProtocolData` gathered by
``facilitation.protocol``; ``t(key, **params)`` translates the ``pdf.*`` texts in the session's
language. Each method has its board in ``sessions/protocol/<method>.py`` (``BOARD``, found by ``registry.board``).
"""

from __future__ import annotations

from sessions.protocol.render import render

__all__ = ["render"]

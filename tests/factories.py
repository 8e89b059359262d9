"""Building blocks for tests: a session with given steps, n phones joined to it.

Plain functions, so a test that already has a context (the app's, a second one on the same
file) uses the same factories as the ``make_session``/``participants`` fixtures in conftest.
"""

from __future__ import annotations

from typing import Any

from facilitation import agenda, organize, participation
from facilitation.context import Context
from facilitation.snapshots import Created

Step = str | dict[str, Any]
"""A step of an agenda: a method name (``"hand_vote"``) or the step's full document."""


def create_session(ctx: Context, *steps: Step, title: str = "Treffen", **fields: Any) -> Created:
    """A session with the given steps; ``fields`` are further agenda fields (names, date, ...)."""
    doc = {"title": title, **fields, "steps": [{"method": s} if isinstance(s, str) else s for s in steps]}
    return organize.create_session(ctx, agenda.parse(doc))


def join(ctx: Context, session: Created | int, n: int) -> list[int]:
    """``n`` phones joined to the session (a :class:`Created` or its id); their participant ids."""
    session_id = session if isinstance(session, int) else session.session.id
    return [participation.join_session(ctx, session_id).participant_id for _ in range(n)]

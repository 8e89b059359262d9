"""Fixtures shared by all tests: a facilitation context, sessions, participants, a fake clock.

One place instead of a copy per test file, so every test builds its world the same way: a
context on its own SQLite *file* (as production runs; an in-memory database is one connection
shared by all threads), disposed after the test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from facilitation import agenda, context, organize, participation
from facilitation.context import Context
from facilitation.snapshots import Created
from tests.clock import FakeClock

pytest_plugins = ["nicegui.testing.user_plugin"]

Step = str | dict[str, Any]
"""A step of an agenda: a method name (``"hand_vote"``) or the step's full document."""


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[Context]:
    """A facilitation context on a fresh SQLite file in the test's temporary folder."""
    made = context.create(f"sqlite:///{tmp_path / 'koffer.sqlite3'}")
    yield made
    made.db.dispose()


@pytest.fixture
def clock() -> FakeClock:
    """Time for the live hub that moves only on ``clock.advance(seconds)``."""
    return FakeClock()


def create_session(ctx: Context, *steps: Step, title: str = "Treffen", **fields: Any) -> Created:
    """A session with the given steps; ``fields`` are further agenda fields (names, date, ...)."""
    doc = {"title": title, **fields, "steps": [{"method": s} if isinstance(s, str) else s for s in steps]}
    return organize.create_session(ctx, agenda.parse(doc))


def join(ctx: Context, session_id: int, n: int) -> list[int]:
    """``n`` phones joined to the session; their participant ids."""
    return [participation.join_session(ctx, session_id).participant_id for _ in range(n)]


@pytest.fixture
def make_session(ctx: Context) -> Callable[..., Created]:
    """``make_session("hand_vote", {"method": "consensing", ...}, title=..., names=...)``."""
    return lambda *steps, **fields: create_session(ctx, *steps, **fields)


@pytest.fixture
def participants(ctx: Context) -> Callable[[Created | int, int], list[int]]:
    """``participants(created, n)``: n phones joined to that session, their participant ids."""
    return lambda session, n: join(ctx, session if isinstance(session, int) else session.session.id, n)

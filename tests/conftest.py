"""Fixtures shared by all tests: a facilitation context, sessions, participants, a fake clock.

One place instead of a copy per test file, so every test builds its world the same way: a
context on its own SQLite *file* (as production runs; an in-memory database is one connection
shared by all threads), disposed after the test. The factories behind the fixtures are plain
functions in tests/factories.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app import i18n
from facilitation import root
from facilitation.context import Context
from facilitation.snapshots import Created
from tests.clock import FakeClock
from tests.factories import create_session, join

pytest_plugins = ["nicegui.testing.user_plugin"]


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[Context]:
    """A facilitation context on a fresh SQLite file in the test's temporary folder."""
    made = root.create(f"sqlite:///{tmp_path / 'koffer.sqlite3'}")
    yield made
    made.db.dispose()


@pytest.fixture
def clock() -> FakeClock:
    """Time for the live hub that moves only on ``clock.advance(seconds)``."""
    return FakeClock()


@pytest.fixture
def make_session(ctx: Context) -> Callable[..., Created]:
    """``make_session("hand_vote", {"method": "consensing", ...}, title=..., names=...)`` in ``ctx``."""
    return lambda *steps, **fields: create_session(ctx, *steps, **fields)


@pytest.fixture
def participants(ctx: Context) -> Callable[[Created | int, int], list[int]]:
    """``participants(created, n)``: n phones joined to that session in ``ctx``, their ids."""
    return lambda session, n: join(ctx, session, n)


@pytest.fixture(autouse=True)
def every_text_exists() -> Iterator[None]:
    """A text key asked for during a test but missing from the catalog fails that test: ``t()``
    shows a missing key instead of raising (a room should never see a crash), so this is where a
    gap becomes visible. Keys built at run time (``f"method.{name}"``) are covered this way."""
    i18n.missing.clear()
    yield
    missing = set(i18n.missing)
    i18n.missing.clear()
    assert not missing, f"texts missing from the catalog: {sorted(missing)}"

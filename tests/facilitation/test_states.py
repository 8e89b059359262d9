"""Named states: the enums store and print exactly the strings the database and the API always had."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from app.i18n import t
from facilitation import agenda, lifecycle, organize, root
from facilitation.context import Context
from facilitation.snapshots import SessionState, StepState
from sessions import models

AGENDA = {"title": "Zustände", "steps": [{"method": "hand_vote", "title": "Frage", "config": {}}]}


@pytest.fixture
def ctx() -> Iterator[Context]:
    ctx = root.create("sqlite://")
    yield ctx
    ctx.db.dispose()


def raw_states(ctx: Context, session_id: int) -> tuple[object, list[object]]:
    with ctx.db.engine.connect() as conn:
        session = conn.execute(text("SELECT state FROM sessions WHERE id = :i"), {"i": session_id}).scalar_one()
        steps = list(conn.execute(text("SELECT state FROM steps WHERE session_id = :i ORDER BY position"),
                                  {"i": session_id}).scalars())
    return session, steps


def test_the_values_are_the_stored_strings() -> None:
    assert [s.value for s in StepState] == ["draft", "open", "closed"]
    assert [s.value for s in SessionState] == ["planned", "live", "ended"]
    checks = {c.name: str(c.sqltext) for table in (models.Session.__table__, models.Step.__table__)
              for c in table.constraints if c.name in ("session_state", "step_state")}
    assert checks == {"session_state": "state in ('planned','live','ended')",
                      "step_state": "state in ('draft','open','closed')"}


def test_the_database_keeps_plain_strings(ctx: Context) -> None:
    created = organize.create_session(ctx, agenda.parse(AGENDA))
    sid, step_id = created.session.id, created.session.steps[0].id
    assert raw_states(ctx, sid) == ("planned", ["draft"])
    lifecycle.open_step(ctx, step_id)
    assert raw_states(ctx, sid) == ("live", ["open"])
    lifecycle.end_session(ctx, sid)
    session, steps = raw_states(ctx, sid)
    assert (session, steps) == ("ended", ["closed"])
    assert type(session) is str and type(steps[0]) is str


def test_snapshots_carry_members_that_format_as_their_value(ctx: Context) -> None:
    info = organize.create_session(ctx, agenda.parse(AGENDA)).session
    assert info.state is SessionState.PLANNED and info.steps[0].state is StepState.DRAFT
    assert f"step.{info.steps[0].state}" == "step.draft" and str(info.state) == "planned"
    assert json.dumps({"state": info.state}) == '{"state": "planned"}'


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_state_has_its_text(lang: str) -> None:
    for step_state in StepState:
        assert t(f"step.{step_state}", lang) != f"step.{step_state}"
    for session_state in SessionState:
        assert t(f"state.{session_state}", lang) != f"state.{session_state}"

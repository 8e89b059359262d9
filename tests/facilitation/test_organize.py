"""Organizer's desk: deleting a session removes every trace of it and nothing else."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import Table, func, select, text

from facilitation import access, agenda, cards, contributions, lifecycle, organize, participation
from facilitation.context import Context
from facilitation.snapshots import Created
from methods.errors import InvalidContribution, InvalidTransition, NotFound
from sessions import models
from tests.factories import join

INSTANCE_TABLES = {"settings", "organizer_tokens"}  # not owned by any session


@pytest.fixture(autouse=True)
def admin_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOFFER_ADMIN_PASSWORD", "richtig")


def make(ctx: Context, title: str = "Treffen", date: str = "2017-11-07", place: str = "Bottrop") -> Created:
    doc = {
        "title": title,
        "date": date,
        "place": place,
        "steps": [
            {"method": "hand_vote", "title": "Protokoll"},
            {"method": "consensing", "title": "Reallabore", "config": {"proposals": ["A", "B"]}},
        ],
    }
    return organize.create_session(ctx, agenda.parse(doc))


def fill(ctx: Context, created: Created) -> None:
    """Participants, votes in two rounds, a closed snapshot, a moderator decision and a photo."""
    sid = created.session.id
    vote, rate = created.session.steps[0].id, created.session.steps[1].id
    a, b = join(ctx, sid, 2)
    lifecycle.open_step(ctx, vote)
    contributions.submit(ctx, vote, a, {"option": "yes"})
    contributions.submit(ctx, vote, b, {"option": "no"})
    lifecycle.close_step(ctx, vote)
    lifecycle.open_step(ctx, vote)
    contributions.submit(ctx, vote, b, {"option": "yes"})
    lifecycle.open_step(ctx, rate)
    contributions.submit(ctx, rate, a, {"ratings": {"p1": 3, "p2": 8}})
    card = cards.issue(ctx, sid, 2)[0]  # printed voting cards, one of them used
    cards.redeem(ctx, card.token)
    with ctx.db.transaction() as orm:
        # a moderator decision (hand vote and consensing declare no command: the row as stored)
        orm.add(models.Decision(session_id=sid, step_id=rate, round=1, command="pin", payload={"item": "p1"},
                                actor="moderator", created_at=datetime(2017, 11, 7)))
        orm.add(
            models.Attachment(
                session_id=sid,
                step_id=rate,
                filename="tisch.jpg",
                mime="image/jpeg",
                width=1,
                height=1,
                data=b"\xff\xd8",
                created_at=datetime(2017, 11, 7),
            )
        )


def owner_column(table: Table):
    """An expression giving the session id a row of ``table`` belongs to (None: instance-wide)."""
    if table.name == "sessions":
        return table.c.id
    if "session_id" in table.c:
        return table.c.session_id
    if "step_id" in table.c:
        steps = models.Step.__table__
        return select(steps.c.session_id).where(steps.c.id == table.c.step_id).scalar_subquery()
    return None


def rows_by_table(ctx: Context, session_id: int) -> dict[str, int]:
    out = {}
    with ctx.db.session() as orm:
        for table in models.Base.metadata.sorted_tables:
            owner = owner_column(table)
            if owner is None:
                continue
            out[table.name] = int(
                orm.execute(select(func.count()).select_from(table).where(owner == session_id)).scalar_one()
            )
    return out


def test_every_session_table_is_understood() -> None:
    """A new table must either belong to a session (and be deleted with it) or be instance-wide."""
    for table in models.Base.metadata.sorted_tables:
        assert owner_column(table) is not None or table.name in INSTANCE_TABLES, table.name


def test_delete_session_removes_every_row_and_leaves_others_intact(ctx: Context) -> None:
    access.ensure_admin_password(ctx)
    token = access.login(ctx, "richtig")
    doomed, kept = make(ctx), make(ctx, title="Anderes Treffen")
    fill(ctx, doomed)
    fill(ctx, kept)
    before_doomed = rows_by_table(ctx, doomed.session.id)
    before_kept = rows_by_table(ctx, kept.session.id)
    assert all(n > 0 for n in before_doomed.values()), before_doomed  # the test data touches every table
    assert before_kept == before_doomed

    organize.delete_session(ctx, doomed.session.id)

    assert rows_by_table(ctx, doomed.session.id) == {name: 0 for name in before_doomed}
    assert rows_by_table(ctx, kept.session.id) == before_kept
    access.check_organizer(ctx, token)  # instance-wide rows are untouched
    with pytest.raises(NotFound):
        organize.get_session(ctx, doomed.session.id)
    with pytest.raises(NotFound):
        participation.join(ctx, doomed.session.join_code)
    with pytest.raises(NotFound):
        organize.delete_session(ctx, doomed.session.id)
    assert [s.id for s in organize.list_sessions(ctx)] == [kept.session.id]


def test_delete_expired_only_takes_old_ended_sessions(ctx: Context) -> None:
    now = [datetime(2018, 1, 1)]
    ctx.clock = lambda: now[0]
    old, recent, running = make(ctx, title="alt"), make(ctx, title="neu"), make(ctx, title="läuft")
    lifecycle.end_session(ctx, old.session.id)
    now[0] += timedelta(days=40)
    lifecycle.end_session(ctx, recent.session.id)
    lifecycle.open_step(ctx, running.session.steps[0].id)
    now[0] += timedelta(days=1)
    assert organize.delete_expired(ctx, retention_days=30) == [old.session.id]
    assert {s.title for s in organize.list_sessions(ctx)} == {"neu", "läuft"}


def test_sessions_nobody_ended_fall_under_retention_too(ctx: Context) -> None:
    """Issue 14, finding 5: a meeting left running (never ended), or prepared and never held, is
    deleted once it was last in use longer ago than the retention period; one planned for a day
    ahead is kept until that day has passed."""
    now = [datetime(2018, 1, 1, 9, 0)]
    ctx.clock = lambda: now[0]
    running, idle, ahead, busy = (make(ctx, title=t, date=d) for t, d in (
        ("läuft seit Januar", "2018-01-01"), ("nie gehalten", ""), ("im Sommer", "2018-06-30"),
        ("gestern noch benutzt", "2018-01-01")))
    lifecycle.open_step(ctx, running.session.steps[0].id)
    lifecycle.open_step(ctx, busy.session.steps[0].id)
    now[0] += timedelta(days=60)
    join(ctx, busy.session.id, 1)  # a phone came back yesterday: still in use
    now[0] += timedelta(days=1)
    assert organize.expired_ids(ctx, 30) == sorted([running.session.id, idle.session.id])
    assert organize.delete_expired(ctx, 30) == sorted([running.session.id, idle.session.id])
    assert {s.title for s in organize.list_sessions(ctx)} == {"im Sommer", "gestern noch benutzt"}
    now[0] = datetime(2018, 8, 1)  # June 30's meeting was never held either; 30 days have passed
    assert organize.expired_ids(ctx, 30) == sorted([ahead.session.id, busy.session.id])


def test_the_database_overwrites_what_it_deletes(ctx: Context) -> None:
    """``secure_delete`` is set by the app on every connection, whatever SQLite was built with."""
    with ctx.db.session() as orm:
        assert orm.execute(text("PRAGMA secure_delete")).scalar_one() == 1


def test_list_sessions_counts_and_filters(ctx: Context) -> None:
    a = make(ctx, title="Wirtschaftsallianz", date="2017-11-07", place="Bottrop")
    make(ctx, title="Klimabeirat", date="2018-02-01", place="Gladbeck")
    fill(ctx, a)
    listed = organize.list_sessions(ctx)
    assert [s.title for s in listed] == ["Klimabeirat", "Wirtschaftsallianz"]  # newest date first
    assert (listed[1].participants, listed[1].steps) == (3, 2)  # two by code, one by card
    assert [s.title for s in organize.list_sessions(ctx, text="BOTTROP")] == ["Wirtschaftsallianz"]
    assert [s.title for s in organize.list_sessions(ctx, date_from="2018-01-01")] == ["Klimabeirat"]
    assert [s.title for s in organize.list_sessions(ctx, date_to="2017-12-31")] == ["Wirtschaftsallianz"]


def test_steps_with_contributions_cannot_be_removed_or_edited_while_open(ctx: Context) -> None:
    created = make(ctx)
    fill(ctx, created)
    vote = created.session.steps[0].id
    with pytest.raises(InvalidTransition) as info:
        organize.remove_step(ctx, vote)
    assert info.value.key == "step_has_contributions"
    with pytest.raises(InvalidTransition):
        organize.update_step(ctx, vote, "neu", {})
    with pytest.raises(InvalidContribution):
        organize.add_step(ctx, created.session.id, "hand_vote", "Neu", {"options": ["nur eine"]})

"""The rows a commit stored itself join the round's kept rows, so the next pair for each answer
of a burst needs no query (``RoundRows.before_insert`` / ``committed`` / ``current``), and every
guarantee of a read stays: the kept rows equal a fresh read, nobody gets a pair twice, and
whenever the kept rows cannot vouch for every row (replaced by another read, a failed commit,
a database whose ids do not come in order) the next task reads again."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from facilitation import contributions, lifecycle, live
from facilitation.context import Context
from facilitation.round_rows import RoundRows
from facilitation.snapshots import StepInfo
from sessions import store
from tests.factories import create_session, join

ITEMS = ["Co-Working", "Gründerfonds", "Fachkräfteportal", "City-Hub", "Bottrop-Card", "WLAN"]
STEP: dict[str, Any] = {"method": "materiality", "title": "Matrix",
                        "config": {"items": ITEMS, "comparisons_per_axis": 5}}


@contextmanager
def statements(ctx: Context) -> Iterator[list[str]]:
    """The SQL statements run on the database meanwhile."""
    seen: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(ctx.db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", note)


def room(ctx: Context, people: int) -> tuple[int, StepInfo, list[int]]:
    created = create_session(ctx, STEP)
    sid, step_id = created.session.id, created.session.steps[0].id
    joined = join(ctx, sid, people)
    lifecycle.open_step(ctx, step_id)
    step = live.build_state(ctx, sid).step
    assert step is not None
    return sid, step, joined


def answer(task: dict[str, Any], k: int) -> dict[str, Any]:
    pair = [item["id"] for item in task["pair"]]
    return {"axis": task["axis"], "pair": pair, "choice": None if k % 3 == 0 else pair[k % 2]}


def pair_of(payload: dict[str, Any]) -> tuple[str, frozenset[str]]:
    return payload["axis"], frozenset(payload["pair"])


def fresh_read(ctx: Context, step: StepInfo) -> list[tuple[int, str, str, Any, str | None]]:
    with ctx.db.session() as orm:
        return [(r.seq, r.participant, r.key, r.value, r.at) for r in store.rows(orm, step.id, step.round)]


def kept(ctx: Context, step: StepInfo) -> list[tuple[int, str, str, Any, str | None]] | None:
    rows = ctx.round_rows.current(step)
    return None if rows is None else [(r.seq, r.participant, r.key, r.value, r.at) for r in rows]


def test_a_burst_in_group_commits_gets_each_next_pair_without_a_query_and_never_a_pair_twice(ctx: Context) -> None:
    """Four phones answer as their acks come back, their answers committed in groups as the
    batcher does: every ack's next pair comes from the kept rows (no read of the round; no
    statement at all unless the shared model is renewed), a commit reads the round only while
    its rows are not all kept, and no one is handed a pair they answered already."""
    _sid, step, people = room(ctx, 4)
    tasks = {p: live.next_task(ctx, step, p) for p in people}
    answered: dict[int, set[tuple[str, frozenset[str]]]] = {p: set() for p in people}
    acks = 0
    for k in range(12):
        group = [p for p in people if tasks[p]]
        if not group:
            break
        payloads = {p: answer(tasks[p], k + p) for p in group}
        with statements(ctx) as written:
            outcomes = contributions.submit_many(ctx, [(step.id, p, payloads[p]) for p in group])
        assert not [o for o in outcomes if isinstance(o, Exception)]
        # the first commit reads the round inside its transaction; after it every row is kept
        assert any("FROM contributions" in s for s in written) == (k == 0)
        for p in group:
            answered[p].add(pair_of(payloads[p]))
            builds = ctx.tasks.builds
            with statements(ctx) as seen:
                tasks[p] = live.next_task(ctx, step, p)
            assert not [s for s in seen if "FROM contribution" in s]
            if ctx.tasks.builds == builds:  # who was removed is read only for a renewed model
                assert seen == []
            acks += 1
            if tasks[p]:
                assert pair_of(answer(tasks[p], 0)) not in answered[p]
        assert kept(ctx, step) == fresh_read(ctx, step)  # ids, values and times as a read gives them
    assert acks == 40 and not any(tasks.values())  # everyone's 10 comparisons done
    assert ctx.round_rows.skipped >= acks


def test_without_the_kept_rows_the_next_pair_would_have_read(ctx: Context) -> None:
    """What the change saves: the same ack after another read replaced the kept rows (a delivery
    on a worker thread that read before the commit) queries the database, and is still right."""
    _sid, step, people = room(ctx, 2)
    p = people[0]
    task = live.next_task(ctx, step, p)
    payload = answer(task, 1)
    contributions.submit_many(ctx, [(step.id, p, payload)])
    key, rows = ctx.round_rows.entries[step.id]
    ctx.round_rows.entries[step.id] = (key, rows[:-1])  # an older read lands after the commit
    assert ctx.round_rows.current(step) is None
    with statements(ctx) as seen:
        again = live.next_task(ctx, step, p)
    assert any("FROM contribution" in s for s in seen)
    assert again and pair_of(answer(again, 0)) != pair_of(payload)
    assert [r.seq for r in ctx.round_rows.entries[step.id][1]] == [r[0] for r in fresh_read(ctx, step)]


def test_a_failed_commit_vouches_for_nothing(ctx: Context) -> None:
    """The insert fails: nobody is told "saved", the kept rows no longer claim to be complete,
    and the next task reads (and still offers the pair, since nothing was stored)."""
    _sid, step, people = room(ctx, 2)
    p = people[0]
    contributions.submit_many(ctx, [(step.id, people[1], answer(live.next_task(ctx, step, people[1]), 1))])
    assert ctx.round_rows.current(step) is not None
    task = live.next_task(ctx, step, p)

    def fail(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("INSERT INTO contribution"):
            raise RuntimeError("disk full")

    event.listen(ctx.db.engine, "before_cursor_execute", fail)
    try:
        with pytest.raises(Exception, match="disk full"):
            contributions.submit_many(ctx, [(step.id, p, answer(task, 1))])
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", fail)
    assert ctx.round_rows.current(step) is None
    assert fresh_read(ctx, step) == [r for r in fresh_read(ctx, step) if r[1] != str(p)]
    assert live.next_task(ctx, step, p) == task  # read again: the same pair, still open


def test_where_ids_may_commit_out_of_order_every_next_pair_reads(ctx: Context) -> None:
    """Not incremental (PostgreSQL): a commit keeps nothing and each task reads the round."""
    ctx.round_rows = RoundRows(incremental=False)
    _sid, step, people = room(ctx, 2)
    p = people[0]
    payload = answer(live.next_task(ctx, step, p), 1)
    contributions.submit_many(ctx, [(step.id, p, payload)])
    assert ctx.round_rows.current(step) is None
    with statements(ctx) as seen:
        again = live.next_task(ctx, step, p)
    assert any("FROM contribution" in s for s in seen)
    assert again and pair_of(answer(again, 0)) != pair_of(payload)

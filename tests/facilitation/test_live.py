"""The live tally reads only the rows added since its last delivery — and never misses one."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

from facilitation import admission, commands, contributions, hub, lifecycle, live, root
from facilitation.context import Context
from tests.factories import create_session, join


def session(ctx: Context) -> tuple[int, list[int]]:
    created = create_session(ctx, "hand_vote", title="T")
    return created.session.id, [s.id for s in created.session.steps]


def counts(ctx: Context, sid: int) -> list[int]:
    return [o["count"] for o in live.build_state(ctx, sid).result["options"]]


def test_votes_between_deliveries_count_and_a_change_replaces(ctx: Context) -> None:
    sid, (step,) = session(ctx)
    people = join(ctx, sid, 4)
    lifecycle.open_step(ctx, step)
    assert counts(ctx, sid) == [0, 0, 0]
    contributions.submit(ctx, step, people[0], {"option": "yes"})
    contributions.submit(ctx, step, people[1], {"option": "no"})
    assert counts(ctx, sid) == [1, 1, 0]
    contributions.submit(ctx, step, people[1], {"option": "yes"})  # changed: replaces "no"
    contributions.submit(ctx, step, people[2], {"option": "abstain"})
    assert counts(ctx, sid) == [2, 0, 1]
    assert counts(ctx, sid) == [2, 0, 1]  # nothing new: the same tally
    # the incremental reading equals a fresh one (a second context reads everything)
    fresh = root.create(ctx.db.url)
    assert live.build_state(fresh, sid).result == live.build_state(ctx, sid).result


def test_a_new_round_starts_from_nothing(ctx: Context) -> None:
    sid, (step,) = session(ctx)
    (pid,) = join(ctx, sid, 1)
    lifecycle.open_step(ctx, step)
    contributions.submit(ctx, step, pid, {"option": "no"})
    assert counts(ctx, sid) == [0, 1, 0]
    lifecycle.close_step(ctx, step)
    lifecycle.open_step(ctx, step)  # round 2
    assert counts(ctx, sid) == [0, 0, 0]
    contributions.submit(ctx, step, pid, {"option": "yes"})
    assert counts(ctx, sid) == [1, 0, 0]


def test_rows_remembered_for_a_step_are_not_used_for_another_opening(ctx: Context) -> None:
    """A step id reused after a deletion is told apart by its open time: nothing old leaks in."""
    sid, (step,) = session(ctx)
    (pid,) = join(ctx, sid, 1)
    lifecycle.open_step(ctx, step)
    contributions.submit(ctx, step, pid, {"option": "no"})
    assert counts(ctx, sid) == [0, 1, 0]
    key, rows = ctx.round_rows.entries[step]
    stale = rows + [rows[0].__class__(seq=10**9, participant="999", key="vote", value={"option": "abstain"})]
    ctx.round_rows.entries[step] = ((key[0], key[1], None), stale)  # as if from another opening
    assert counts(ctx, sid) == [0, 1, 0]


def test_a_delivery_for_dots_in_motion_does_not_tally_again(ctx: Context, monkeypatch: Any) -> None:
    """A dragged dot changes only ``moving``: the delivery it causes reuses the last tally. A
    stored position, a moderator decision, a new participant and a removal each count anew."""
    created = create_session(ctx, {"method": "constellation", "config": {"statements": ["A", "B"]}})
    sid, step = created.session.id, created.session.steps[0].id
    people = join(ctx, sid, 5)
    lifecycle.open_step(ctx, step)
    tallies = 0
    real = live.engine

    def counting(name: str) -> Any:
        engine = real(name)

        def tally(*args: Any) -> Any:
            nonlocal tallies
            tallies += 1
            return engine.tally(*args)
        return dataclasses.replace(engine, tally=tally)

    monkeypatch.setattr(live, "engine", counting)
    for k, pid in enumerate(people[:4]):
        contributions.submit(ctx, step, pid, {"statement": 0, "x": k / 4})
    first = live.build_state(ctx, sid)
    assert tallies == 1 and first.result is not None and first.result["statements"][0]["live"]["placed"] == 4
    for k, pid in enumerate(people):  # everyone drags: three deliveries, no new tally
        ctx.drags.move(step, pid, {"statement": 0, "x": 0.9})
        state = live.build_state(ctx, sid)
        assert state.moving[str(pid)] == {"statement": 0, "x": 0.9}
    assert tallies == 1 and state.result == first.result and state.contributors == 4
    contributions.submit(ctx, step, people[4], {"statement": 0, "x": 0.9})  # a release is stored
    assert live.build_state(ctx, sid).result["statements"][0]["live"]["placed"] == 5  # type: ignore[index]
    assert tallies == 2
    commands.run(ctx, sid, step, "freeze", {})
    assert live.build_state(ctx, sid).result["statements"][0]["frozen"] is True  # type: ignore[index]
    join(ctx, sid, 1)
    assert live.build_state(ctx, sid).result["participants"] == 6  # type: ignore[index]
    admission.remove(ctx, sid, people[0])
    after = live.build_state(ctx, sid)
    assert after.result is not None and after.result["statements"][0]["live"]["placed"] == 4
    assert tallies == 5
    fresh = root.create(ctx.db.url)  # the kept tally equals one made from nothing
    assert live.build_state(fresh, sid).result == after.result


async def test_a_room_dragging_is_shown_from_the_last_state_and_the_releases_from_a_fresh_one(
    ctx: Context, clock: Any, monkeypatch: Any,
) -> None:
    """500 dots in motion: the console sees every position without the database being read for
    it, the phones hear nothing; after the releases every final position is in what the console
    gets, and nothing of the drag is left in motion."""
    ctx.hub.clock = clock
    created = create_session(ctx, {"method": "constellation", "config": {"statements": ["A"]}}, head_count=600)
    sid, step = created.session.id, created.session.steps[0].id
    people = join(ctx, sid, 500)
    lifecycle.open_step(ctx, step)
    builds = 0
    real, real_rebuild = live.build_state, live.rebuild_state

    def counting(c: Context, session_id: int) -> Any:
        nonlocal builds
        builds += 1
        return real(c, session_id)

    def counting_rebuild(c: Context, last: Any) -> Any:  # the releases: stored inputs only
        nonlocal builds
        builds += 1
        return real_rebuild(c, last)

    monkeypatch.setattr(live, "build_state", counting)
    monkeypatch.setattr(live, "rebuild_state", counting_rebuild)
    screen: list[Any] = []
    phones: list[Any] = []
    ctx.hub.subscribe(sid, screen.append, priority=hub.FIRST, motion=screen.append)
    ctx.hub.subscribe(sid, phones.append)
    ctx.hub.publish(sid)
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert builds == 1 and len(phones) == 1
    ctx.drags.clock = clock.now
    for tick in range(4):  # 4 moves a second for a second, every phone
        for k, pid in enumerate(people):
            live.move(ctx, sid, step, pid, {"statement": 0, "x": (k + tick) % 100 / 100})
            if k % 50 == 0:
                await asyncio.sleep(0)
                clock.advance(0.025)
    clock.advance(0.3)
    assert builds == 1 and len(phones) == 1  # nothing read, no phone told
    assert screen[-1].moving == {str(pid): {"statement": 0, "x": (k + 3) % 100 / 100} for k, pid in enumerate(people)}
    for k, pid in enumerate(people):  # the releases
        contributions.submit(ctx, step, pid, {"statement": 0, "x": k / 500})
    await asyncio.sleep(0)
    clock.advance(0.2)
    await asyncio.sleep(0)
    final = screen[-1]
    assert builds >= 2 and final.moving == {}
    spots = final.result["statements"][0]["live"]["spots"]
    assert sorted(s[1] for s in spots) == [k / 500 for k in range(500)]


def _same(a: Any, b: Any) -> None:
    """Two live states show the same (``kept_typed`` is a cache, not part of what is shown)."""
    for f in dataclasses.fields(a):
        if f.name != "kept_typed":
            assert getattr(a, f.name) == getattr(b, f.name), f.name


async def test_a_delivery_of_votes_alone_equals_a_fresh_build_and_commands_amid_them_show(
    ctx: Context, clock: Any,
) -> None:
    """Votes alone are delivered from the last state (the session is not read again), and what is
    delivered equals a full build. A title change, a join or a removal published in the same
    window as votes is in the next delivery: the rebuild never hides a command."""
    from facilitation import organize

    ctx.hub.clock = clock
    sid, steps = session(ctx)
    people = join(ctx, sid, 6)
    lifecycle.open_step(ctx, steps[0])
    seen: list[Any] = []
    ctx.hub.subscribe(sid, seen.append, priority=hub.FIRST)
    ctx.hub.publish(sid)

    async def window() -> Any:
        await asyncio.sleep(0)
        clock.advance(0.5)
        await asyncio.sleep(0)
        return seen[-1]

    await window()
    for pid in people[:3]:
        contributions.submit(ctx, steps[0], pid, {"option": "yes"})
    rebuilds = ctx.hub.rebuilds
    _same(await window(), live.build_state(ctx, sid))
    assert ctx.hub.rebuilds == rebuilds + 1 and seen[-1].contributors == 3

    contributions.submit(ctx, steps[0], people[3], {"option": "no"})
    organize.update_details(ctx, sid, title="Neuer Titel")
    contributions.submit(ctx, steps[0], people[4], {"option": "no"})
    state = await window()
    assert state.session.title == "Neuer Titel" and state.contributors == 5
    _same(state, live.build_state(ctx, sid))

    newcomer = join(ctx, sid, 1)[0]
    contributions.submit(ctx, steps[0], newcomer, {"option": "yes"})
    state = await window()
    assert state.participants == 7 and state.contributors == 6

    admission.remove(ctx, sid, people[0])
    contributions.submit(ctx, steps[0], people[5], {"option": "yes"})
    state = await window()
    assert people[0] in state.removed and state.participants == 6
    _same(state, live.build_state(ctx, sid))
    assert counts(ctx, sid) == [4, 2, 0]  # five "yes", the removed participant's counts no more

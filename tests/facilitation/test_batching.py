"""Group commit: votes of one loop turn share a transaction; each is answered on its own."""

from __future__ import annotations

import asyncio

import pytest

from facilitation import agenda, context, lifecycle, live, organize, participation
from facilitation.errors import InvalidContribution


async def test_votes_of_one_loop_turn_share_one_commit_and_errors_stay_separate() -> None:
    ctx = context.create("sqlite://")
    created = organize.create_session(ctx, agenda.parse({"title": "B", "steps": [{"method": "hand_vote"}]}))
    step = created.session.steps[0].id
    people = [participation.join_session(ctx, created.session.id).participant_id for _ in range(30)]
    lifecycle.open_step(ctx, step)
    payloads = [{"option": "yes"} for _ in people]
    payloads[7] = {"option": "vielleicht"}  # one phone sends nonsense
    results = await asyncio.gather(*(ctx.batcher.submit(step, p, body) for p, body in zip(people, payloads)),
                                   return_exceptions=True)
    assert ctx.batcher.batches == 1
    assert isinstance(results[7], InvalidContribution)
    assert all(not isinstance(r, Exception) for i, r in enumerate(results) if i != 7)
    assert live.build_state(ctx, created.session.id).result["voters"] == 29


async def test_a_vote_on_a_closed_step_is_refused_through_the_batcher() -> None:
    ctx = context.create("sqlite://")
    created = organize.create_session(ctx, agenda.parse({"title": "B", "steps": [{"method": "hand_vote"}]}))
    step = created.session.steps[0].id
    pid = participation.join_session(ctx, created.session.id).participant_id
    with pytest.raises(Exception) as err:
        await ctx.batcher.submit(step, pid, {"option": "yes"})
    assert err.value.key == "step_not_open"

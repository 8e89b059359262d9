"""Group commit: votes within a few milliseconds share a transaction; each is answered on its own."""

from __future__ import annotations

import asyncio

import pytest

from facilitation import lifecycle, live
from facilitation.context import Context
from methods.errors import InvalidContribution
from tests.factories import create_session, join


async def test_votes_of_one_loop_turn_share_one_commit_and_errors_stay_separate(ctx: Context) -> None:
    created = create_session(ctx, "hand_vote")
    step = created.session.steps[0].id
    people = join(ctx, created, 30)
    lifecycle.open_step(ctx, step)
    payloads = [{"option": "yes"} for _ in people]
    payloads[7] = {"option": "vielleicht"}  # one phone sends nonsense
    results = await asyncio.gather(*(ctx.batcher.submit(step, p, body) for p, body in zip(people, payloads)),
                                   return_exceptions=True)
    assert ctx.batcher.batches == 1
    assert isinstance(results[7], InvalidContribution)
    assert all(not isinstance(r, Exception) for i, r in enumerate(results) if i != 7)
    assert live.build_state(ctx, created.session.id).result["voters"] == 29


async def test_a_vote_on_a_closed_step_is_refused_through_the_batcher(ctx: Context) -> None:
    created = create_session(ctx, "hand_vote")
    step = created.session.steps[0].id
    (pid,) = join(ctx, created, 1)
    with pytest.raises(Exception) as err:
        await ctx.batcher.submit(step, pid, {"option": "yes"})
    assert err.value.key == "step_not_open"


async def test_votes_arriving_within_the_window_share_a_commit_and_the_mixed_batch_checks_each(ctx: Context) -> None:
    """Votes a millisecond apart share one transaction; a stranger's vote and a vote for another
    session's step in the same batch are refused on their own."""
    one = create_session(ctx, "hand_vote", title="A")
    two = create_session(ctx, "hand_vote", title="B")
    step_one, step_two = one.session.steps[0].id, two.session.steps[0].id
    lifecycle.open_step(ctx, step_one)
    lifecycle.open_step(ctx, step_two)
    here = join(ctx, one, 5)
    (there,) = join(ctx, two, 1)
    # a window that a busy test machine cannot overrun: what is tested is the sharing, not the 3 ms
    ctx.batcher.window = 0.05

    async def later(delay: float, step: int, pid: int) -> object:
        await asyncio.sleep(delay)
        return await ctx.batcher.submit(step, pid, {"option": "yes"})

    results = await asyncio.gather(
        *(later(i * 0.0005, step_one, p) for i, p in enumerate(here)),
        later(0.001, step_one, there),  # a participant of session B votes in session A
        later(0.001, step_two, there),
        return_exceptions=True,
    )
    assert ctx.batcher.batches == 1
    assert [type(r).__name__ for r in results] == ["Receipt"] * 5 + ["NotAllowed", "Receipt"]
    assert live.build_state(ctx, one.session.id).result["voters"] == 5
    assert live.build_state(ctx, two.session.id).result["voters"] == 1

"""A vote racing a close: either refused, or counted in the closed round's snapshot — never lost."""

from __future__ import annotations

import threading
import time

import pytest

from facilitation import contributions, lifecycle, live, organize
from facilitation.context import Context
from methods.errors import InvalidTransition
from tests.factories import create_session, join


def test_vote_during_close_is_in_the_snapshot_or_refused(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    created = create_session(ctx, "hand_vote", title="Race")
    step = created.session.steps[0].id
    first, late = join(ctx, created, 2)
    lifecycle.open_step(ctx, step)
    contributions.submit(ctx, step, first, {"option": "yes"})

    real_tally = lifecycle.tally_round

    def slow_tally(*args, **kwargs):
        result = real_tally(*args, **kwargs)
        time.sleep(0.4)  # the close is slow: a vote arrives in the middle of it
        return result

    monkeypatch.setattr(lifecycle, "tally_round", slow_tally)
    closer = threading.Thread(target=lifecycle.close_step, args=(ctx, step))
    closer.start()
    time.sleep(0.1)
    try:
        contributions.submit(ctx, step, late, {"option": "no"})
        acknowledged = True
    except InvalidTransition:
        acknowledged = False
    closer.join()
    snapshot = live.step_results(ctx, created.session.id)[0]["rounds"][0]["result"]
    if acknowledged:
        assert snapshot["voters"] == 2, "an acknowledged vote is missing from the closed result"
    else:
        assert snapshot["voters"] == 1
    with pytest.raises(InvalidTransition):
        contributions.submit(ctx, step, late, {"option": "no"})


def test_results_cannot_be_revealed_before_the_step_opens(ctx: Context) -> None:
    created = create_session(ctx, "hand_vote", title="R")
    step = created.session.steps[0].id
    with pytest.raises(InvalidTransition):
        lifecycle.reveal(ctx, step)
    lifecycle.open_step(ctx, step)
    assert organize.get_session(ctx, created.session.id).steps[0].results_visible is False

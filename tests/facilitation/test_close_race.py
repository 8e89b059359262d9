"""A vote racing a close: either refused, or counted in the closed round's snapshot — never lost."""

from __future__ import annotations

import threading
import time

import pytest

from facilitation import agenda, contributions, lifecycle, live, organize, participation, root
from methods.errors import InvalidTransition


def test_vote_during_close_is_in_the_snapshot_or_refused(tmp_path, monkeypatch) -> None:
    ctx = root.create(f"sqlite:///{tmp_path / 'race.sqlite3'}")
    created = organize.create_session(ctx, agenda.parse({"title": "Race", "steps": [{"method": "hand_vote"}]}))
    step = created.session.steps[0].id
    first = participation.join_session(ctx, created.session.id)
    late = participation.join_session(ctx, created.session.id)
    lifecycle.open_step(ctx, step)
    contributions.submit(ctx, step, first.participant_id, {"option": "yes"})

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
        contributions.submit(ctx, step, late.participant_id, {"option": "no"})
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
        contributions.submit(ctx, step, late.participant_id, {"option": "no"})


def test_results_cannot_be_revealed_before_the_step_opens() -> None:
    ctx = root.create("sqlite://")
    created = organize.create_session(ctx, agenda.parse({"title": "R", "steps": [{"method": "hand_vote"}]}))
    step = created.session.steps[0].id
    with pytest.raises(InvalidTransition):
        lifecycle.reveal(ctx, step)
    lifecycle.open_step(ctx, step)
    assert organize.get_session(ctx, created.session.id).steps[0].results_visible is False

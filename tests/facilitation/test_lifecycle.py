"""Step lifecycle, result snapshots and the append-only contribution log (in-memory database)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from facilitation import agenda, contributions, lifecycle, live, organize, participation
from facilitation.context import Context
from facilitation.snapshots import Created
from methods.errors import InvalidContribution, InvalidTransition, NotAllowed, NotFound
from sessions import models
from tests.factories import join

AGENDA = {
    "title": "4. Treffen der Wirtschaftsallianz",
    "date": "2017-11-07",
    "place": "Bottrop",
    "steps": [
        {"method": "hand_vote", "title": "Protokoll", "config": {"question": "Protokoll genehmigt?"}},
        {"method": "hand_vote", "title": "Termin", "config": {"options": ["Januar", "Februar", "März"]}},
    ],
}


def make(ctx: Context, **overrides: object) -> Created:
    return organize.create_session(ctx, agenda.parse({**AGENDA, **overrides}))


def contribution_rows(ctx: Context) -> int:
    with ctx.db.session() as orm:
        return int(orm.execute(select(func.count()).select_from(models.Contribution)).scalar_one())


def step_of(ctx: Context, session_id: int, index: int = 0):
    return organize.get_session(ctx, session_id).steps[index]


def counts(result: dict) -> list[int]:
    return [o["count"] for o in result["options"]]


# --- transitions --------------------------------------------------------------------------------


def test_new_steps_are_drafts_and_the_first_is_current(ctx: Context) -> None:
    created = make(ctx)
    info = created.session
    assert info.state == "planned"
    assert [s.state for s in info.steps] == ["draft", "draft"]
    assert [s.round for s in info.steps] == [1, 1]
    assert info.current_step_id == info.steps[0].id


def test_open_makes_the_session_live(ctx: Context) -> None:
    created = make(ctx)
    second = created.session.steps[1].id
    lifecycle.open_step(ctx, second)
    info = organize.get_session(ctx, created.session.id)
    assert info.state == "live" and info.started_at is not None
    assert info.step(second).state == "open"
    assert info.current_step_id == second  # opening a step brings it on the screen


def test_open_twice_is_an_invalid_transition(ctx: Context) -> None:
    step = make(ctx).session.steps[0].id
    lifecycle.open_step(ctx, step)
    with pytest.raises(InvalidTransition) as info:
        lifecycle.open_step(ctx, step)
    assert info.value.key == "step_already_open"
    assert info.value.params == {"step": 1}


def test_close_a_draft_is_an_invalid_transition(ctx: Context) -> None:
    created = make(ctx)
    with pytest.raises(InvalidTransition) as info:
        lifecycle.close_step(ctx, created.session.steps[1].id)
    assert info.value.key == "step_not_open"
    assert info.value.params == {"step": 2}
    assert step_of(ctx, created.session.id, 1).state == "draft"


def test_close_twice_is_harmless_and_keeps_the_snapshot(ctx: Context) -> None:
    created = make(ctx)
    step = created.session.steps[0].id
    (p1,) = join(ctx, created, 1)
    lifecycle.open_step(ctx, step)
    contributions.submit(ctx, step, p1, {"option": "yes"})
    lifecycle.close_step(ctx, step)
    first = live.step_results(ctx, created.session.id)[0]["rounds"]
    lifecycle.close_step(ctx, step)  # the moderator double-clicked
    again = live.step_results(ctx, created.session.id)[0]["rounds"]
    assert again == first
    assert len(again) == 1
    assert step_of(ctx, created.session.id).state == "closed"


def test_unknown_step_is_not_found(ctx: Context) -> None:
    for transition in (lifecycle.open_step, lifecycle.close_step, lifecycle.reveal):
        with pytest.raises(NotFound):
            transition(ctx, 999)


def test_reopen_starts_round_two_and_keeps_round_one(ctx: Context) -> None:
    created = make(ctx)
    sid, step = created.session.id, created.session.steps[0].id
    a, b, c = join(ctx, created, 3)
    lifecycle.open_step(ctx, step)
    for p, choice in ((a, "yes"), (b, "no"), (c, "no")):
        contributions.submit(ctx, step, p, {"option": choice})
    lifecycle.reveal(ctx, step)
    lifecycle.close_step(ctx, step)
    round_one = live.step_results(ctx, sid)[0]["rounds"][0]["result"]
    assert counts(round_one) == [1, 2, 0] and round_one["accepted"] is False

    lifecycle.open_step(ctx, step)  # after discussion: vote again
    info = step_of(ctx, sid)
    assert (info.state, info.round) == ("open", 2)
    assert info.results_visible is False  # a new round starts hidden again
    state = live.build_state(ctx, sid)
    assert state.result["voters"] == 0 and state.contributors == 0  # round 2 starts empty
    assert contributions.my_inputs(ctx, step, a) == {}

    contributions.submit(ctx, step, b, {"option": "yes"})
    contributions.submit(ctx, step, a, {"option": "yes"})
    lifecycle.close_step(ctx, step)
    rounds = live.step_results(ctx, sid)[0]["rounds"]
    assert [r["round"] for r in rounds] == [1, 2]
    assert rounds[0]["result"] == round_one  # round 1 untouched by round 2's votes
    assert counts(rounds[1]["result"]) == [2, 0, 0] and rounds[1]["result"]["accepted"] is True
    assert [r["contributors"] for r in rounds] == [3, 2]
    with ctx.db.session() as orm:
        by_round = dict(
            orm.execute(
                select(models.Contribution.round, func.count()).group_by(models.Contribution.round)
            ).all()
        )
    assert by_round == {1: 3, 2: 2}


def test_snapshot_at_close_equals_the_live_tally_and_later_votes_cannot_change_it(ctx: Context) -> None:
    created = make(ctx)
    sid, step = created.session.id, created.session.steps[1].id
    a, b, c, d = join(ctx, created, 4)
    lifecycle.open_step(ctx, step)
    for p, choice in ((a, "o1"), (b, "o2"), (c, "o2")):
        contributions.submit(ctx, step, p, {"option": choice})
    live_before = live.build_state(ctx, sid).result
    lifecycle.close_step(ctx, step)
    snapshot = live.step_results(ctx, sid)[1]["rounds"][0]["result"]
    assert snapshot == live_before
    assert counts(snapshot) == [1, 2, 0]
    assert snapshot["participants"] == 4 and snapshot["turnout"] == 75.0

    rows = contribution_rows(ctx)
    for p in (a, d):
        with pytest.raises(InvalidTransition) as info:
            contributions.submit(ctx, step, p, {"option": "o3"})
        assert info.value.key == "step_closed"
    assert contribution_rows(ctx) == rows
    participation.join_session(ctx, sid)  # someone arrives late: the closed result stays as it was
    assert live.build_state(ctx, sid).result == snapshot
    assert live.step_results(ctx, sid)[1]["rounds"][0]["result"] == snapshot


def test_snapshot_is_taken_from_the_stored_row_not_recomputed(ctx: Context) -> None:
    """A closed round shows what was stored at close, even if the rows were tampered with later."""
    created = make(ctx)
    sid, step = created.session.id, created.session.steps[0].id
    (a,) = join(ctx, created, 1)
    lifecycle.open_step(ctx, step)
    contributions.submit(ctx, step, a, {"option": "yes"})
    lifecycle.close_step(ctx, step)
    with ctx.db.transaction() as orm:
        row = orm.execute(select(models.Contribution)).scalar_one()
        orm.add(
            models.Contribution(
                step_id=step,
                round=1,
                participant_id=a,
                key="vote",
                payload={"option": "no"},
                created_at=row.created_at,
            )
        )
    assert counts(live.build_state(ctx, sid).result) == [1, 0, 0]
    assert counts(live.step_results(ctx, sid)[0]["rounds"][0]["result"]) == [1, 0, 0]


def test_reveal_and_hide(ctx: Context) -> None:
    created = make(ctx)
    step = created.session.steps[0].id
    lifecycle.open_step(ctx, step)
    lifecycle.reveal(ctx, step)
    assert step_of(ctx, created.session.id).results_visible is True
    lifecycle.hide(ctx, step)
    assert step_of(ctx, created.session.id).results_visible is False


def test_end_session_closes_open_steps_and_blocks_opening(ctx: Context) -> None:
    created = make(ctx)
    sid, step = created.session.id, created.session.steps[0].id
    (a,) = join(ctx, created, 1)
    lifecycle.open_step(ctx, step)
    contributions.submit(ctx, step, a, {"option": "no"})
    lifecycle.end_session(ctx, sid)
    info = organize.get_session(ctx, sid)
    assert info.state == "ended" and info.ended_at is not None
    assert info.steps[0].state == "closed"
    assert counts(live.step_results(ctx, sid)[0]["rounds"][0]["result"]) == [0, 1, 0]
    with pytest.raises(InvalidTransition) as err:
        lifecycle.open_step(ctx, info.steps[1].id)
    assert err.value.key == "session_ended"
    lifecycle.end_session(ctx, sid)  # harmless twice


# --- contributions ------------------------------------------------------------------------------


def test_latest_vote_wins_but_every_row_is_kept(ctx: Context) -> None:
    created = make(ctx)
    sid, step = created.session.id, created.session.steps[0].id
    a, b = join(ctx, created, 2)
    lifecycle.open_step(ctx, step)
    contributions.submit(ctx, step, a, {"option": "no"})
    contributions.submit(ctx, step, b, {"option": "no"})
    contributions.submit(ctx, step, a, {"option": "yes"})
    assert counts(live.build_state(ctx, sid).result) == [1, 1, 0]
    assert contributions.my_inputs(ctx, step, a) == {"vote": {"option": "yes"}}
    with ctx.db.session() as orm:
        mine = (
            orm.execute(
                select(models.Contribution.payload)
                .where(models.Contribution.participant_id == a)
                .order_by(models.Contribution.id)
            )
            .scalars()
            .all()
        )
    assert mine == [{"option": "no"}, {"option": "yes"}]  # append-only: the old row stays
    assert contribution_rows(ctx) == 3


def test_receipt_names_step_round_and_keys(ctx: Context) -> None:
    created = make(ctx)
    step = created.session.steps[0].id
    (a,) = join(ctx, created, 1)
    lifecycle.open_step(ctx, step)
    receipt = contributions.submit(ctx, step, a, {"option": "abstain"})
    assert (receipt.step_id, receipt.round, receipt.keys) == (step, 1, ("vote",))


def test_submit_to_a_draft_step_is_refused(ctx: Context) -> None:
    created = make(ctx)
    (a,) = join(ctx, created, 1)
    with pytest.raises(InvalidTransition) as info:
        contributions.submit(ctx, created.session.steps[0].id, a, {"option": "yes"})
    assert info.value.key == "step_not_open"
    assert contribution_rows(ctx) == 0


def test_submit_unknown_option_is_refused(ctx: Context) -> None:
    created = make(ctx)
    step = created.session.steps[0].id
    (a,) = join(ctx, created, 1)
    lifecycle.open_step(ctx, step)
    contributions.submit(ctx, step, a, {"option": "yes"})
    with pytest.raises(InvalidContribution) as info:
        contributions.submit(ctx, step, a, {"option": "vielleicht"})
    assert info.value.key == "unknown_option"
    assert contribution_rows(ctx) == 1
    assert contributions.my_inputs(ctx, step, a) == {"vote": {"option": "yes"}}


def test_submit_by_a_participant_of_another_session_is_refused(ctx: Context) -> None:
    mine, other = make(ctx), make(ctx, title="Andere Sitzung")
    step = mine.session.steps[0].id
    lifecycle.open_step(ctx, step)
    (stranger,) = join(ctx, other, 1)
    with pytest.raises(NotAllowed) as info:
        contributions.submit(ctx, step, stranger, {"option": "yes"})
    assert info.value.key == "not_a_participant"
    with pytest.raises(NotAllowed):
        contributions.submit(ctx, step, 4711, {"option": "yes"})  # nobody at all
    assert contribution_rows(ctx) == 0


def test_submit_to_unknown_step_and_non_object_payload(ctx: Context) -> None:
    created = make(ctx)
    (a,) = join(ctx, created, 1)
    with pytest.raises(NotFound):
        contributions.submit(ctx, 999, a, {"option": "yes"})
    lifecycle.open_step(ctx, created.session.steps[0].id)
    with pytest.raises(InvalidContribution) as info:
        contributions.submit(ctx, created.session.steps[0].id, a, ["yes"])
    assert info.value.key == "payload_not_object"
    assert contribution_rows(ctx) == 0


def test_shown_detail_follows_the_moderator_and_closes_with_the_result(ctx: Context) -> None:
    """One option's distribution opened on the console is live state: the projector follows it."""
    created = make(ctx)
    sid, first = created.session.id, created.session.steps[0].id
    lifecycle.open_step(ctx, first)
    with pytest.raises(InvalidTransition):  # a hidden result shows no part of itself
        lifecycle.show_detail(ctx, first, "yes")
    lifecycle.reveal(ctx, first)
    lifecycle.show_detail(ctx, first, "yes")
    assert live.build_state(ctx, sid).step.shown_detail == "yes"
    lifecycle.show_detail(ctx, first, None)  # "Zurück zur Rangfolge"
    assert step_of(ctx, sid).shown_detail is None
    with pytest.raises(InvalidContribution):
        lifecycle.show_detail(ctx, first, "x" * 61)

    lifecycle.show_detail(ctx, first, "yes")
    lifecycle.hide(ctx, first)
    assert step_of(ctx, sid).shown_detail is None
    lifecycle.reveal(ctx, first)
    lifecycle.show_detail(ctx, first, "no")
    lifecycle.move(ctx, sid, 1)  # moving on closes it: coming back shows the result
    lifecycle.move(ctx, sid, -1)
    assert step_of(ctx, sid).shown_detail is None
    lifecycle.show_detail(ctx, first, "no")
    lifecycle.close_step(ctx, first)
    assert step_of(ctx, sid).shown_detail == "no"  # closing keeps the result and its detail shown
    lifecycle.open_step(ctx, first)  # round 2: nothing shown yet
    assert step_of(ctx, sid).shown_detail is None

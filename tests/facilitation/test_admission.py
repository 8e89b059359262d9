"""One person, one voice without accounts: what a facilitator can trust when a hostile participant
scripts joins with the projected code (issue 14, finding 1).

Each test plays the room: a script behind one address, a full room behind one venue router, a late
joiner, a card passed on to a second phone, a participant the moderator removes.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import select

from facilitation import (
    access,
    admission,
    cards,
    contributions,
    export,
    lifecycle,
    live,
    participation,
    protocol,
)
from facilitation.context import Context
from facilitation.participation import JOIN_BUDGET, WAITING_BUDGET, join_limit
from facilitation.snapshots import Created
from methods.errors import InvalidTransition, NotAllowed, NotFound, RateLimited
from sessions import models
from tests.factories import create_session

VOTE = {"method": "hand_vote", "title": "Reallabor Ja oder Nein?", "config": {"question": "Soll es das Reallabor geben?"}}


def tally(ctx: Context, created: Created) -> dict[str, int]:
    state = live.build_state(ctx, created.session.id)
    assert state.result is not None
    return {o["id"]: o["count"] for o in state.result["options"]}


def vote(ctx: Context, step_id: int, participant_id: int, option: str) -> Any:
    return contributions.submit(ctx, step_id, participant_id, {"option": option})


# --- the per-address join budget -------------------------------------------------------------------


def test_a_full_room_behind_one_router_never_hits_the_join_budget(ctx: Context) -> None:
    """100 phones behind the venue's NAT join within two minutes: every one of them is in, with and
    without an expected head count of 100."""
    for head_count in (None, 100):
        created = create_session(ctx, VOTE, head_count=head_count) if head_count else create_session(ctx, VOTE)
        joined = [participation.join(ctx, created.session.join_code, address="203.0.113.7") for _ in range(100)]
        assert {j.status for j in joined} == {"in"}
        assert live.build_state(ctx, created.session.id).participants == 100


def test_a_script_behind_one_address_cannot_add_hundreds_of_voices_unseen(ctx: Context) -> None:
    """The issue's attack: 300 scripted joins with the projected code, then votes from every token.
    With 30 people expected, 55 get in (half as many again, and ten); the next 50 wait for the
    moderator's OK and cannot vote; the rest are refused. The console flags 55 against 30."""
    created = create_session(ctx, VOTE, head_count=30)
    step = created.session.steps[0].id
    lifecycle.open_step(ctx, step)
    statuses: list[str] = []
    tokens: list[int] = []
    for _ in range(300):
        try:
            joined = participation.join(ctx, created.session.join_code, address="198.51.100.66")
        except RateLimited as refused:
            assert refused.key == "too_many_joins"
            statuses.append("refused")
            continue
        statuses.append(joined.status)
        tokens.append(joined.participant_id)
    assert (statuses.count("in"), statuses.count("waiting"), statuses.count("refused")) == (55, 50, 195)
    assert join_limit(30) == 55 and WAITING_BUDGET == 50
    stored = refused = 0
    for pid in tokens:  # every token the script got votes
        try:
            vote(ctx, step, pid, "yes")
            stored += 1
        except NotAllowed as exc:
            assert exc.key == "participant_waiting"
            refused += 1
    assert (stored, refused) == (55, 50)
    state = live.build_state(ctx, created.session.id)
    assert (state.participants, len(state.waiting)) == (55, 50)
    assert tally(ctx, created)["yes"] == 55
    # another address (a real phone in the room) is not affected by the script's budget
    assert participation.join(ctx, created.session.join_code, address="198.51.100.7").status == "in"


def test_join_budget_without_a_head_count_is_generous(ctx: Context) -> None:
    assert join_limit(None) == JOIN_BUDGET == 150
    assert join_limit(10) == 30  # never below 30: a small room's late friends still get in
    assert join_limit(200) == 310


# --- closing joining ----------------------------------------------------------------------------------


def test_closed_after_start_lets_late_joiners_wait_for_the_moderators_ok(ctx: Context) -> None:
    created = create_session(ctx, VOTE, admission="closed_after_start")
    sid, step = created.session.id, created.session.steps[0].id
    early = participation.join(ctx, created.session.join_code, address="10.0.0.2")
    assert early.status == "in"
    lifecycle.open_step(ctx, step)  # the session starts: joining closes by itself
    assert live.build_state(ctx, sid).session.joining_closed
    late = participation.join(ctx, created.session.join_code, address="10.0.0.3")
    assert late.status == "waiting"
    with pytest.raises(NotAllowed) as waiting:
        vote(ctx, step, late.participant_id, "yes")
    assert waiting.value.key == "participant_waiting"
    assert live.build_state(ctx, sid).waiting == {late.participant_id}
    # a phone already in comes back after sleep or reload, whatever the door says
    again = participation.join(ctx, created.session.join_code, token=early.token, address="10.0.0.2")
    assert (again.participant_id, again.status) == (early.participant_id, "in")
    admission.admit(ctx, sid, late.participant_id)
    assert vote(ctx, step, late.participant_id, "no").keys == ("vote",)
    assert tally(ctx, created) == {"yes": 0, "no": 1, "abstain": 0}
    with pytest.raises(InvalidTransition):
        admission.admit(ctx, sid, late.participant_id)  # not waiting any more


def test_beitritt_schliessen_and_oeffnen(ctx: Context) -> None:
    created = create_session(ctx, VOTE)
    sid = created.session.id
    admission.set_admission(ctx, sid, closed=True)
    assert participation.join(ctx, created.session.join_code).status == "waiting"
    admission.set_admission(ctx, sid, closed=False)
    assert participation.join(ctx, created.session.join_code).status == "in"


def test_admit_all_and_turning_a_waiting_phone_away(ctx: Context) -> None:
    created = create_session(ctx, VOTE)
    sid = created.session.id
    admission.set_admission(ctx, sid, closed=True)
    a, b, c = (participation.join(ctx, created.session.join_code) for _ in range(3))
    admission.remove(ctx, sid, c.participant_id)  # "Abweisen"
    assert admission.admit_all(ctx, sid) == 2
    roster = {e.id: e.status for e in admission.roster(ctx, sid)}
    assert roster == {a.participant_id: "in", b.participant_id: "in", c.participant_id: "removed"}
    assert participation.resume(ctx, sid, c.token).status == "removed"


def test_admission_settings_are_checked(ctx: Context) -> None:
    created = create_session(ctx, VOTE)
    sid = created.session.id
    for bad in ({"level": "everyone"}, {"head_count": 0}, {"head_count": 5001}, {"head_count": True}):
        with pytest.raises(Exception) as refused:
            admission.set_admission(ctx, sid, **bad)
        assert getattr(refused.value, "key", "") in ("admission_unknown", "head_count_out_of_range")
    admission.set_admission(ctx, sid, level="cards", head_count=40)
    info = live.build_state(ctx, sid).session
    assert (info.admission, info.head_count, info.code_admits) == ("cards", 40, False)
    admission.set_admission(ctx, sid, head_count=None)
    assert live.build_state(ctx, sid).session.head_count is None


# --- voting cards ------------------------------------------------------------------------------------


def test_each_card_admits_exactly_one_phone(ctx: Context) -> None:
    created = create_session(ctx, VOTE, admission="cards", head_count=3)
    sid = created.session.id
    deck = cards.issue(ctx, sid, 3)
    assert [c.number for c in deck] == [1, 2, 3] and len({c.token for c in deck}) == 3
    # with cards, the projected code only asks for the moderator's OK
    assert participation.join(ctx, created.session.join_code, address="10.0.0.9").status == "waiting"
    first = cards.redeem(ctx, deck[0].token, device="phone-a")
    assert first.status == "in"
    # the same phone again (a reload, another tab of the same browser) is the same participant
    assert cards.redeem(ctx, deck[0].token, device="phone-a").participant_id == first.participant_id
    # a second phone with the same card is refused, and so is an API client without a device
    for other in ("phone-b", None):
        with pytest.raises(InvalidTransition) as used:
            cards.redeem(ctx, deck[0].token, device=other)
        assert used.value.key == "card_used" and used.value.params == {"number": 1}
    with pytest.raises(NotFound):
        cards.redeem(ctx, "made-up-card-token")
    assert cards.issued(ctx, sid) == (3, 1)
    # printing again gives the same cards; more cards keep the first ones
    again = cards.issue(ctx, sid, 5)
    assert [c.token for c in again[:3]] == [c.token for c in deck] and again[0].used
    assert cards.issued(ctx, sid) == (5, 1)


def test_a_card_lets_a_waiting_phone_in(ctx: Context) -> None:
    """Someone typed the code first (waiting), then found their card: the card lets that phone in."""
    created = create_session(ctx, VOTE, admission="cards")
    sid = created.session.id
    waiting = participation.join(ctx, created.session.join_code, token="phone-c")
    assert waiting.status == "waiting"
    card = cards.issue(ctx, sid, 1)[0]
    joined = cards.redeem(ctx, card.token, device="phone-c")
    assert (joined.participant_id, joined.status) == (waiting.participant_id, "in")


def test_two_phones_scanning_one_card_at_the_same_moment(ctx: Context) -> None:
    created = create_session(ctx, VOTE, admission="cards")
    card = cards.issue(ctx, created.session.id, 1)[0]
    outcomes: list[str] = []
    start = threading.Barrier(8)

    def scan(device: str) -> None:
        start.wait()
        try:
            cards.redeem(ctx, card.token, device=device)
            outcomes.append("in")
        except InvalidTransition as exc:
            outcomes.append(exc.key)

    threads = [threading.Thread(target=scan, args=(f"phone-{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["card_used"] * 7 + ["in"]
    assert live.build_state(ctx, created.session.id).participants == 1


def test_cards_of_an_ended_session_admit_nobody(ctx: Context) -> None:
    created = create_session(ctx, VOTE, admission="cards")
    card = cards.issue(ctx, created.session.id, 1)[0]
    lifecycle.end_session(ctx, created.session.id)
    with pytest.raises(InvalidTransition) as ended:
        cards.redeem(ctx, card.token)
    assert ended.value.key == "session_ended"


def test_card_tokens_are_derived_from_the_instance_secret(ctx: Context) -> None:
    """Like the session's links: reprintable, unguessable without the secret, only the hash stored."""
    created = create_session(ctx, VOTE, admission="cards")
    card = cards.issue(ctx, created.session.id, 1)[0]
    assert len(card.token) == 24
    with ctx.db.session() as orm:
        stored = orm.execute(select(models.VotingCard.token_hash)).scalar_one()
    assert card.token not in stored and len(stored) == 64
    assert access.link_secret(ctx) not in card.token


# --- removing a participant -----------------------------------------------------------------------


def test_removing_a_participant_takes_their_inputs_out_of_every_result(ctx: Context) -> None:
    second = {**VOTE, "title": "Zweite Frage"}
    created = create_session(ctx, VOTE, second)
    sid = created.session.id
    first_step, second_step = (s.id for s in created.session.steps)
    honest = participation.join_session(ctx, sid)
    stuffer = participation.join_session(ctx, sid)
    lifecycle.open_step(ctx, first_step)
    vote(ctx, first_step, honest.participant_id, "no")
    vote(ctx, first_step, stuffer.participant_id, "yes")
    vote(ctx, first_step, stuffer.participant_id, "yes")  # changed twice: two rows, one counts
    lifecycle.close_step(ctx, first_step)
    lifecycle.move(ctx, sid, 1)
    lifecycle.open_step(ctx, second_step)
    vote(ctx, second_step, stuffer.participant_id, "yes")
    assert live.build_state(ctx, sid).participants == 2
    assert tally(ctx, created) == {"yes": 1, "no": 0, "abstain": 0}

    removed = admission.remove(ctx, sid, stuffer.participant_id)
    assert (removed.number, removed.rounds, removed.inputs) == (2, 2, 3)
    state = live.build_state(ctx, sid)
    assert state.participants == 1 and state.removed == {stuffer.participant_id}
    assert tally(ctx, created) == {"yes": 0, "no": 0, "abstain": 0}  # the open round, live
    results = live.step_results(ctx, sid)
    closed = results[0]["rounds"][0]
    counts = {o["id"]: o["count"] for o in closed["result"]["options"]}
    assert counts == {"yes": 0, "no": 1, "abstain": 0}  # the closed round, counted again
    assert closed["contributors"] == 1 and closed["result"]["participants"] == 1
    # the decision is recorded in each round they had input in (who, when, what)
    for step in results:
        assert [(d["command"], d["payload"], d["actor"]) for d in step["rounds"][0]["decisions"]] == [
            ("participant_removed", {"participant": 2, "inputs": 2 if step is results[0] else 1}, "moderator")]
    # their phone cannot give input any more
    with pytest.raises(NotAllowed) as gone:
        vote(ctx, second_step, stuffer.participant_id, "no")
    assert gone.value.key == "participant_removed"
    # the inputs stay stored (append-only), marked in the raw export
    rows = export.export_json(ctx, sid)["contributions"]
    assert [(r["participant"], r["counted"]) for r in rows].count((stuffer.participant_id, False)) == 3
    # the protocol says so on the cover and at each round
    data = protocol.gather(ctx, sid)
    assert (data.participants_joined, data.participants_removed) == (1, 1)
    assert data.steps[0].rounds[0].decisions[0].command == "participant_removed"
    with pytest.raises(InvalidTransition):
        admission.remove(ctx, sid, stuffer.participant_id)  # once is enough


def test_removing_needs_a_participant_of_this_session(ctx: Context) -> None:
    created, other = create_session(ctx, VOTE), create_session(ctx, VOTE)
    stranger = participation.join_session(ctx, other.session.id)
    with pytest.raises(NotFound):
        admission.remove(ctx, created.session.id, stranger.participant_id)
    with pytest.raises(NotFound):
        admission.admit(ctx, created.session.id, 424242)


def test_the_roster_numbers_people_in_join_order_with_cards_and_inputs(ctx: Context) -> None:
    created = create_session(ctx, VOTE, names="optional")
    sid, step = created.session.id, created.session.steps[0].id
    anna = participation.join_session(ctx, sid, name="Anna")
    card = cards.issue(ctx, sid, 1)[0]
    ben = cards.redeem(ctx, card.token, name="Ben")
    lifecycle.open_step(ctx, step)
    vote(ctx, step, ben.participant_id, "yes")
    roster = admission.roster(ctx, sid)
    assert [(e.number, e.name, e.card, e.inputs, e.status) for e in roster] == [
        (1, "Anna", None, 0, "in"), (2, "Ben", 1, 1, "in")]
    assert admission.number_of(ctx, sid, anna.participant_id) == 1

"""The timer belongs to its step, ends visibly, and may close the step when the time is up.

Time is a hand-moved pair: the context's wall clock (``ctx.clock``, what the database stores) and
the scheduler's loop clock (a :class:`FakeClock`): ``Room.wait(s)`` moves both, so a test says
"a minute later" instead of sleeping.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from facilitation import contributions, lifecycle, live, organize, root
from facilitation.context import Context
from facilitation.snapshots import Created, Timer
from methods.errors import InvalidContribution, InvalidTransition
from tests.clock import FakeClock
from tests.factories import create_session, join

START = datetime(2017, 11, 7, 10, 0)

STEPS = (
    {"method": "hand_vote", "title": "Protokoll", "config": {"question": "Protokoll genehmigt?"}},
    {"method": "hand_vote", "title": "Termin", "config": {"options": ["Januar", "Februar"]}},
)


class Room:
    """A session of two hand votes, a clock for the room and the scheduler's loop."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.now = START
        self.loop = FakeClock()
        ctx.clock = lambda: self.now
        ctx.timers.clock = self.loop
        self.created: Created = create_session(ctx, *STEPS)
        self.id = self.created.session.id
        self.first, self.second = (s.id for s in self.created.session.steps)

    def wait(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        self.loop.advance(seconds)

    @property
    def timer(self) -> Timer | None:
        """What console, projector and phones are given to show."""
        return live.build_state(self.ctx, self.id).session.timer

    def state(self, step_id: int) -> str:
        step = organize.get_session(self.ctx, self.id).step(step_id)
        assert step is not None
        return step.state


@pytest.fixture
def room(ctx: Context) -> Room:
    return Room(ctx)


def test_a_timer_belongs_to_the_step_it_was_set_for(room: Room) -> None:
    lifecycle.open_step(room.ctx, room.first)
    lifecycle.set_timer(room.ctx, room.id, 60)
    assert room.timer == Timer(room.first, START + timedelta(seconds=60), closes_step=False)


def test_moving_on_clears_the_timer_and_coming_back_shows_nothing(room: Room) -> None:
    lifecycle.open_step(room.ctx, room.first)
    lifecycle.set_timer(room.ctx, room.id, 60)
    lifecycle.move(room.ctx, room.id, 1)
    assert room.timer is None  # the next step's phones show no countdown
    room.wait(90)
    lifecycle.move(room.ctx, room.id, -1)
    assert room.timer is None  # back on the first step: its timer ran out, nothing is shown


@pytest.mark.parametrize("leave", ["goto", "open_other"])
def test_any_way_to_another_step_clears_the_timer(room: Room, leave: str) -> None:
    lifecycle.set_timer(room.ctx, room.id, 120)  # a timer for discussion, before opening
    if leave == "goto":
        lifecycle.goto_step(room.ctx, room.id, room.second)
    else:
        lifecycle.open_step(room.ctx, room.second)
    lifecycle.goto_step(room.ctx, room.id, room.first)
    assert room.timer is None


def test_opening_the_step_the_timer_was_set_for_keeps_it(room: Room) -> None:
    lifecycle.set_timer(room.ctx, room.id, 120)
    lifecycle.open_step(room.ctx, room.first)
    assert room.timer is not None and room.timer.step_id == room.first


def test_a_timer_that_ran_out_is_still_there_so_the_views_can_say_time_is_up(room: Room) -> None:
    lifecycle.open_step(room.ctx, room.first)
    lifecycle.set_timer(room.ctx, room.id, 60)
    room.wait(61)
    timer = room.timer
    assert timer is not None and timer.ends_at < room.now  # "Zeit ist um", not a countdown
    assert room.state(room.first) == "open"  # nothing was asked to happen at zero


def test_closing_the_step_stops_its_running_countdown(room: Room) -> None:
    lifecycle.open_step(room.ctx, room.first)
    lifecycle.set_timer(room.ctx, room.id, 60)
    lifecycle.close_step(room.ctx, room.first)
    assert room.timer is None


def test_a_new_round_does_not_start_with_time_is_up(room: Room) -> None:
    lifecycle.open_step(room.ctx, room.first)
    lifecycle.set_timer(room.ctx, room.id, 60)
    room.wait(60)
    lifecycle.close_step(room.ctx, room.first)
    assert room.timer is not None  # closed after the time ran out: still says so
    lifecycle.open_step(room.ctx, room.first)  # round 2
    assert room.timer is None


def test_stop_and_range(room: Room) -> None:
    lifecycle.open_step(room.ctx, room.first)
    lifecycle.set_timer(room.ctx, room.id, 60)
    lifecycle.set_timer(room.ctx, room.id, None)
    assert room.timer is None
    with pytest.raises(InvalidContribution) as info:
        lifecycle.set_timer(room.ctx, room.id, lifecycle.MAX_TIMER_SECONDS + 1)
    assert info.value.key == "timer_out_of_range"


# --- "Schritt bei Ablauf schließen" -------------------------------------------------------------


def test_the_step_closes_itself_when_the_time_is_up_and_the_snapshot_is_taken(room: Room) -> None:
    yes, no = join(room.ctx, room.id, 2)
    lifecycle.open_step(room.ctx, room.first)
    lifecycle.set_timer(room.ctx, room.id, 60, close_step=True)
    contributions.submit(room.ctx, room.first, yes, {"option": "yes"})
    room.wait(59)
    contributions.submit(room.ctx, room.first, no, {"option": "no"})
    assert room.state(room.first) == "open"
    room.wait(1)
    assert room.state(room.first) == "closed"
    [step] = [s for s in live.step_results(room.ctx, room.id) if s["id"] == room.first]
    assert step["rounds"][0]["closed_at"] == (START + timedelta(seconds=60)).isoformat()
    assert [o["count"] for o in step["rounds"][0]["result"]["options"]] == [1, 1, 0]
    with pytest.raises(InvalidTransition):  # no vote after zero
        contributions.submit(room.ctx, room.first, yes, {"option": "no"})
    timer = room.timer
    assert timer is not None and not timer.closes_step  # "Zeit ist um" stays beside "closed"
    assert not room.ctx.timers.armed(room.id)


@pytest.mark.parametrize("cancel", ["stop", "plain_timer", "closed_by_hand", "moved_on", "ended"])
def test_the_scheduled_close_is_cancelled(room: Room, cancel: str) -> None:
    lifecycle.open_step(room.ctx, room.first)
    lifecycle.set_timer(room.ctx, room.id, 60, close_step=True)
    assert room.ctx.timers.armed(room.id)
    room.wait(30)
    if cancel == "stop":
        lifecycle.set_timer(room.ctx, room.id, None)
    elif cancel == "plain_timer":
        lifecycle.set_timer(room.ctx, room.id, 60)  # the same minute again, without closing
    elif cancel == "closed_by_hand":
        lifecycle.close_step(room.ctx, room.first)
        lifecycle.open_step(room.ctx, room.first)  # round 2 must not be closed by round 1's timer
    elif cancel == "moved_on":
        lifecycle.move(room.ctx, room.id, 1)
    else:
        lifecycle.end_session(room.ctx, room.id)
    assert not room.ctx.timers.armed(room.id)
    room.wait(120)
    step = organize.get_session(room.ctx, room.id).step(room.first)
    assert step is not None
    if cancel == "ended":
        assert step.state == "closed" and step.round == 1
    else:
        assert (step.state, step.round) == ("open", 2 if cancel == "closed_by_hand" else 1)


def test_changing_the_time_moves_the_close(room: Room) -> None:
    lifecycle.open_step(room.ctx, room.first)
    lifecycle.set_timer(room.ctx, room.id, 60, close_step=True)
    room.wait(30)
    lifecycle.set_timer(room.ctx, room.id, 120, close_step=True)
    room.wait(100)
    assert room.state(room.first) == "open"  # the first minute's close did not fire
    room.wait(20)
    assert room.state(room.first) == "closed"


def test_closing_needs_an_open_step(room: Room) -> None:
    with pytest.raises(InvalidTransition) as info:
        lifecycle.set_timer(room.ctx, room.id, 60, close_step=True)
    assert (info.value.key, info.value.params) == ("timer_close_needs_open_step", {"step": 1})
    assert room.timer is None


def test_a_late_call_closes_only_when_the_wall_clock_says_so(room: Room) -> None:
    """The loop's timer may fire a little before the wall clock reaches the end: it waits again."""
    lifecycle.open_step(room.ctx, room.first)
    lifecycle.set_timer(room.ctx, room.id, 60, close_step=True)
    room.loop.advance(60)  # the loop fires; the wall clock is still at the start
    assert room.state(room.first) == "open" and room.ctx.timers.armed(room.id)
    room.now += timedelta(seconds=60)
    room.loop.advance(60)
    assert room.state(room.first) == "closed"


def test_a_restart_while_the_timer_runs_closes_the_step_at_start(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'koffer.sqlite3'}"
    before = root.create(url)
    room = Room(before)
    lifecycle.open_step(before, room.first)
    lifecycle.set_timer(before, room.id, 60, close_step=True)
    other = create_session(before, *STEPS, title="Zweites Treffen")  # its timer runs past the restart
    lifecycle.open_step(before, other.session.steps[0].id)
    lifecycle.set_timer(before, other.session.id, 300, close_step=True)
    before.db.dispose()  # the server stops; nothing in memory survives

    after = root.create(url)
    try:
        loop = FakeClock()
        after.clock = lambda: START + timedelta(seconds=90)  # it comes back after the first ran out
        after.timers.clock = loop
        assert sorted(lifecycle.resume_timers(after)) == sorted([room.id, other.session.id])
        closed = organize.get_session(after, room.id).step(room.first)
        assert closed is not None and closed.state == "closed"
        [step] = [s for s in live.step_results(after, room.id) if s["id"] == room.first]
        assert step["rounds"][0]["result"] is not None  # the snapshot was taken
        assert after.timers.armed(other.session.id) and not after.timers.armed(room.id)
        after.clock = lambda: START + timedelta(seconds=300)
        loop.advance(210)
        still = organize.get_session(after, other.session.id).steps[0]
        assert still.state == "closed"
    finally:
        after.db.dispose()


def test_without_a_loop_nothing_is_scheduled_and_the_start_catches_up(ctx: Context) -> None:
    """A command run where no server loop exists (the CLI) arms nothing; the server's start
    closes what is due."""
    created = create_session(ctx, *STEPS)
    now = [START]
    ctx.clock = lambda: now[0]
    lifecycle.open_step(ctx, created.session.steps[0].id)
    lifecycle.set_timer(ctx, created.session.id, 60, close_step=True)
    assert not ctx.timers.armed(created.session.id)
    now[0] += timedelta(seconds=61)
    lifecycle.resume_timers(ctx)
    assert organize.get_session(ctx, created.session.id).steps[0].state == "closed"

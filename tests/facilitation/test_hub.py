"""The live hub: bursts are coalesced, the last delivery shows the final state.

Time is a :class:`~tests.clock.FakeClock` the tests advance by hand, so each test says exactly
when a delivery is due and checks that it came then. ``await asyncio.sleep(0)`` is one loop turn:
the leading-edge delivery and the chunks to the phones run on the loop, not on the clock.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import pytest

from facilitation import contributions, lifecycle
from facilitation.context import Context
from facilitation.hub import AFTER_PHONES, CHUNK, FIRST, SPACING_MIN, InProcessHub
from facilitation.snapshots import Created, LiveState
from tests.clock import FakeClock


async def test_300_votes_in_a_burst_are_coalesced(
    ctx: Context, clock: FakeClock, make_session: Callable[..., Created],
    participants: Callable[[Created, int], list[int]],
) -> None:
    ctx.hub.clock = clock
    created = make_session("hand_vote", title="Konferenz")
    sid, step = created.session.id, created.session.steps[0].id
    phones = participants(created, 300)
    lifecycle.open_step(ctx, step)
    seen: list[LiveState] = []
    times: list[float] = []
    subscription = ctx.hub.subscribe(sid, lambda state: (seen.append(state), times.append(clock.now())))

    for i, phone in enumerate(phones):  # one vote a millisecond for 0.3 s
        contributions.submit(ctx, step, phone, {"option": "yes" if i % 3 else "no"})
        await asyncio.sleep(0)  # the event loop runs between votes, as with real requests
        clock.advance(0.001)
    clock.advance(1.0)

    # the first vote at once, then one delivery per interval (0.1 s) while the votes go on
    assert times == pytest.approx([0.0, 0.1, 0.2, 0.3])
    assert ctx.hub.deliveries == len(seen)
    assert seen[0].result is not None and seen[0].result["voters"] == 1
    final = seen[-1]
    assert final.result is not None
    assert final.result["voters"] == 300
    assert [o["count"] for o in final.result["options"]] == [200, 100, 0]
    assert final.contributors == 300 and final.participants == 300
    subscription.cancel()
    assert ctx.hub.listener_count(sid) == 0


async def test_a_burst_in_one_instant_gives_one_prompt_delivery_and_one_trailing(clock: FakeClock) -> None:
    built: list[int] = []
    state = {"value": 0}

    def builder(session_id: int) -> Any:
        built.append(session_id)
        return state["value"]

    hub = InProcessHub(builder, interval=0.1, clock=clock, spacing_min=0.05)  # a costly room's spacing
    got: list[int] = []
    hub.subscribe(7, got.append)
    for value in range(1, 301):
        state["value"] = value
        hub.publish(7)
        await asyncio.sleep(0)
    assert got == [1]  # the first change is delivered on the next loop turn, the rest wait
    clock.advance(0.05 - 1e-9)
    assert got == [1]  # quiet early flushes are spaced by at least half an interval
    clock.advance(1e-9)
    assert got == [1, 300]  # the final state, not a stale one
    assert built == [7, 7]  # state is built once per delivery, not per listener or publish
    assert clock.pending == 0


async def test_sessions_are_independent_and_unsubscribed_hear_nothing(clock: FakeClock) -> None:
    hub = InProcessHub(lambda sid: f"state of {sid}", interval=0.05, clock=clock)
    a: list[str] = []
    b: list[str] = []
    hub.subscribe(1, a.append)
    sub_b = hub.subscribe(2, b.append)
    hub.publish(1)
    await asyncio.sleep(0)
    assert a == ["state of 1"] and b == []
    sub_b.cancel()
    hub.publish(2)
    hub.publish(1)
    await asyncio.sleep(0)
    clock.advance(1.0)
    assert a == ["state of 1", "state of 1"]  # session 1's second change did arrive ...
    assert b == []  # ... session 2's went to nobody
    assert hub.deliveries == 2  # nobody listening: nothing is built


async def test_a_broken_listener_does_not_silence_the_room(
    clock: FakeClock, caplog: pytest.LogCaptureFixture,
) -> None:
    hub = InProcessHub(lambda sid: "s", interval=0.05, clock=clock)
    good: list[str] = []

    def broken(_: Any) -> None:
        raise RuntimeError("tab gone")

    hub.subscribe(1, broken)
    hub.subscribe(1, good.append)
    hub.publish(1)
    await asyncio.sleep(0)
    assert good == ["s"]
    assert "live listener failed" in caplog.text


def test_without_a_running_loop_publish_delivers_at_once(ctx: Context, make_session: Callable[..., Created]) -> None:
    created = make_session("hand_vote", title="T")
    seen: list[LiveState] = []
    ctx.hub.subscribe(created.session.id, seen.append)
    lifecycle.open_step(ctx, created.session.steps[0].id)
    assert len(seen) == 1 and seen[0].step is not None and seen[0].step.state == "open"


def test_listeners_whose_handle_was_dropped_stay_subscribed() -> None:
    """Regression: keys were id(handle); a dropped handle's id was reused and replaced a listener."""
    hub = InProcessHub(lambda sid: sid)
    heard: list[str] = []
    for name in ("console", "projector", "phone"):
        hub.subscribe(3, lambda _state, name=name: heard.append(name))  # handles not kept
    assert hub.listener_count(3) == 3
    hub.publish(3)  # no running loop: delivered at once
    assert sorted(heard) == ["console", "phone", "projector"]


def test_cancel_removes_only_its_own_listener() -> None:
    hub = InProcessHub(lambda sid: sid)
    heard: list[str] = []
    first = hub.subscribe(3, lambda _s: heard.append("first"))
    hub.subscribe(3, lambda _s: heard.append("second"))
    first.cancel()
    first.cancel()  # twice is harmless
    hub.publish(3)
    assert heard == ["second"]


async def test_publish_from_a_worker_thread_is_delivered_on_the_loop(clock: FakeClock) -> None:
    """Regression: a publish from a thread (sync API route) ran the listeners in that thread."""
    hub = InProcessHub(lambda sid: sid, interval=0.05, clock=clock)
    threads: list[int] = []
    hub.subscribe(5, lambda _state: threads.append(threading.get_ident()))
    for _ in range(20):
        await asyncio.to_thread(hub.publish, 5)
        await asyncio.sleep(0)
    clock.advance(1.0)
    assert set(threads) == {threading.get_ident()}
    assert len(threads) == 2  # and coalesced like any other burst: at once, then once at the end


async def test_console_first_then_phones_in_chunks_with_the_loop_free_in_between() -> None:
    hub = InProcessHub(lambda sid: {"sid": sid}, interval=0.0)
    order: list[str] = []
    for i in range(3 * CHUNK):
        hub.subscribe(1, lambda state, i=i: order.append(f"phone{i}"))
    hub.subscribe(1, lambda state: order.append("console"), priority=0)
    ticks: list[int] = []

    async def other_work() -> None:  # e.g. votes and socket pings arriving meanwhile
        for _ in range(10):
            ticks.append(len(order))
            await asyncio.sleep(0)

    hub.publish(1)
    await other_work()
    assert order[0] == "console"
    assert sorted(order[1:]) == sorted(f"phone{i}" for i in range(3 * CHUNK))
    # the loop ran other work while phones were still being told (not one blocking sweep)
    assert any(0 < n < len(order) for n in ticks), ticks


async def test_the_end_of_a_burst_is_shown_without_waiting_the_full_interval(clock: FakeClock) -> None:
    hub = InProcessHub(lambda sid: clock.now(), interval=0.1, quiet=0.02, clock=clock)
    seen: list[float] = []
    hub.subscribe(1, seen.append)
    hub.publish(1)
    await asyncio.sleep(0)
    assert seen == [0.0]  # leading edge: delivered on the next loop turn
    clock.advance(0.06)
    for _ in range(20):  # a burst arriving 60 ms later
        hub.publish(1)
    clock.advance(0.2)
    # shown 20 ms (quiet) after the burst instead of waiting for the slot at 100 ms
    assert seen == pytest.approx([0.0, 0.08])


async def test_a_trickle_of_votes_is_refreshed_at_most_20_times_a_second_and_each_is_shown(
    clock: FakeClock,
) -> None:
    interval = 0.1
    published: list[float] = []
    # deliveries that cost 12.5 ms each (500 phones): spaced by 4 × that, half an interval
    hub = InProcessHub(lambda sid: costly(len(published)), interval=interval, quiet=0.02, clock=clock)

    def costly(votes: int) -> int:
        clock.time += 0.0125  # the builder's and listeners' work, on the hub's clock
        return votes

    shown: list[tuple[float, int]] = []  # (when, how many votes the delivered state holds)
    hub.subscribe(1, lambda votes: shown.append((clock.now(), votes)))
    for _ in range(40):  # a vote every 25 ms for a second
        published.append(clock.now())
        hub.publish(1)
        await asyncio.sleep(0)
        clock.advance(0.025)
    clock.advance(0.15)

    times = [when for when, _votes in shown]
    assert len(shown) == 21  # at once, then every 50 ms: a refresh for every other vote
    assert all(later - earlier >= interval / 2 - 1e-9 for earlier, later in zip(times, times[1:]))
    for number, when in enumerate(published, start=1):  # ... and no vote waits longer than interval
        assert any(votes >= number and when <= at <= when + interval for at, votes in shown), number
    assert shown[-1][1] == 40


async def test_cheap_deliveries_show_each_of_two_close_inputs_at_once(clock: FakeClock) -> None:
    """80 phones at theme tables: a delivery costs ~1 ms, so the second of two cards 15 ms apart
    is shown 5 ms (quiet) after it, not held back to half an interval (it was: p95 65 ms)."""
    def cheap(sid: int) -> float:
        clock.time += 0.001
        return clock.now()

    hub = InProcessHub(cheap, interval=0.1, quiet=0.005, clock=clock)
    seen: list[float] = []
    hub.subscribe(1, lambda s: seen.append(clock.now()))
    hub.publish(1)
    await asyncio.sleep(0)
    clock.advance(0.014)
    hub.publish(1)  # 15 ms after the first card
    clock.advance(0.2)
    assert seen == pytest.approx([0.001, 0.021])  # 5 ms quiet after the card, plus its own 1 ms
    assert hub.spacing(1) == pytest.approx(SPACING_MIN)


async def test_costly_deliveries_are_spaced_by_what_they_cost(clock: FakeClock) -> None:
    def costly(sid: int) -> float:
        clock.time += 0.008
        return clock.now()

    hub = InProcessHub(costly, interval=0.1, quiet=0.005, clock=clock)
    seen: list[float] = []
    hub.subscribe(1, lambda s: seen.append(clock.now()))
    hub.publish(1)
    await asyncio.sleep(0)  # flushed at 0, cost 8 ms: the next early flush not before 32 ms
    clock.advance(0.002)
    hub.publish(1)
    clock.advance(0.2)
    assert hub.spacing(1) == pytest.approx(4 * 0.008)
    assert seen == pytest.approx([0.008, 0.032 + 0.008])


async def test_work_after_the_phones_comes_after_the_phones_messages_are_sent() -> None:
    """A phone's message leaves a few loop turns after the phone was told (its outbox task, the
    socket.io emit, the engine.io writer: modelled as four hops); building the console's view must
    not hold any of them back."""
    hub = InProcessHub(lambda sid: {"sid": sid}, interval=0.0)
    loop = asyncio.get_running_loop()
    order: list[str] = []

    def phone(i: int) -> Callable[[Any], None]:
        def send(hops: int) -> None:
            if hops:
                loop.call_soon(send, hops - 1)
            else:
                order.append(f"sent{i}")

        def told(state: Any) -> None:
            order.append(f"phone{i}")
            loop.call_soon(send, 4)
        return told

    hub.subscribe(1, lambda state: order.append("console view"), priority=AFTER_PHONES)
    for i in range(2 * CHUNK + 3):
        hub.subscribe(1, phone(i))
    hub.subscribe(1, lambda state: order.append("console count"), priority=FIRST)
    hub.publish(1)
    for _ in range(40):
        await asyncio.sleep(0)
    assert order[0] == "console count"
    assert order[-1] == "console view"  # after every phone's message, not just after the last phone
    assert sum(entry.startswith("sent") for entry in order) == 2 * CHUNK + 3


async def test_work_after_the_phones_runs_even_without_phones() -> None:
    hub = InProcessHub(lambda sid: {"sid": sid}, interval=0.0)
    order: list[str] = []
    hub.subscribe(1, lambda state: order.append("console view"), priority=AFTER_PHONES)
    hub.subscribe(1, lambda state: order.append("console count"), priority=FIRST)
    hub.publish(1)
    for _ in range(20):
        await asyncio.sleep(0)
    assert order == ["console count", "console view"]


async def test_dots_in_motion_reach_only_the_screens_without_rebuilding_at_most_every_motion_interval(
    clock: FakeClock,
) -> None:
    """A delivery caused only by motion starts from the last built state (``restate``), goes to the
    listeners that show motion and to nobody else, at most every ``motion_interval``; a stored
    change afterwards is built anew and told to everyone, phones included."""
    positions: list[float] = []
    built: list[int] = []

    def builder(session_id: int) -> dict[str, Any]:
        built.append(session_id)
        return {"stored": len(built), "moving": None}

    hub = InProcessHub(builder, interval=0.1, quiet=0.005, clock=clock, motion_interval=0.125,
                       restate=lambda last: {**last, "moving": positions[-1] if positions else None})
    screen: list[tuple[float, dict[str, Any]]] = []
    moved: list[tuple[float, dict[str, Any]]] = []
    phones: list[dict[str, Any]] = []
    hub.subscribe(1, lambda s: screen.append((clock.now(), s)), priority=FIRST,
                  motion=lambda s: moved.append((clock.now(), s)))
    hub.subscribe(1, phones.append)
    hub.publish(1)  # the step opens: everyone, built once
    await asyncio.sleep(0)
    await asyncio.sleep(0)  # the phones' chunk
    assert built == [1] and len(phones) == 1 and len(screen) == 1
    for k in range(400):  # 2,000 moves a second for 0.2 s
        positions.append(k / 400)
        hub.publish_motion(1)
        await asyncio.sleep(0)
        clock.advance(0.0005)
    clock.advance(0.3)
    assert built == [1] and len(phones) == 1 and len(screen) == 1  # no rebuild, no phone told
    # every 125 ms, also after the moves stopped (at 0.1995): no early flush for a pause in motion
    assert [at for at, _s in moved] == pytest.approx([0.125, 0.25])
    assert moved[-1][1] == {"stored": 1, "moving": 399 / 400}  # the last position shown
    assert hub.motion_deliveries == len(moved) and hub.deliveries == 1
    hub.publish(1)  # a release is stored: built anew for everyone
    await asyncio.sleep(0)  # the flush (the last one is long enough ago)
    await asyncio.sleep(0)  # the phones' chunk
    assert built == [1, 1] and phones[-1]["stored"] == 2 and screen[-1][1]["stored"] == 2


async def test_a_stored_change_during_a_drag_is_not_held_back_to_the_motion_interval(clock: FakeClock) -> None:
    """Moves keep the session pending; a vote or release that comes in between is delivered
    within the ordinary interval (the quiet rule), not the slower motion one."""
    hub = InProcessHub(lambda sid: "built", interval=0.1, quiet=0.005, clock=clock, motion_interval=0.4,
                       restate=lambda last: "moved", spacing_min=0.05)
    seen: list[tuple[float, str]] = []
    hub.subscribe(1, lambda s: seen.append((clock.now(), s)), priority=FIRST,
                  motion=lambda s: seen.append((clock.now(), s)))
    hub.publish(1)
    await asyncio.sleep(0)
    hub.publish_motion(1)
    clock.advance(0.01)
    hub.publish(1)  # the release, 10 ms after the last delivery
    clock.advance(0.2)
    assert seen == [(0.0, "built"), pytest.approx((0.05, "built"))]


async def test_a_motion_delivery_does_not_abandon_a_full_one_still_going_to_the_phones() -> None:
    """The full state goes to the phones in chunks over several loop turns; a motion delivery in
    between (console only) must not count as the newer state that replaces it."""
    hub = InProcessHub(lambda sid: "full", interval=0.0, motion_interval=0.0, restate=lambda last: "moved")
    phones: list[str] = []
    hub.subscribe(1, lambda s: None, priority=FIRST, motion=lambda s: None)
    for _ in range(3 * CHUNK):
        hub.subscribe(1, phones.append)
    hub.publish(1)
    await asyncio.sleep(0)  # the flush: the console and the first chunk
    hub.publish_motion(1)
    for _ in range(10):
        await asyncio.sleep(0)
    assert phones == ["full"] * (3 * CHUNK) and hub.motion_deliveries == 1


async def test_the_last_release_shows_soon_although_others_still_drag(clock: FakeClock) -> None:
    """Moves are no stored change: they do not keep a burst of releases from going quiet, so the
    last release is on the console ~5 ms after it, not at the end of the interval."""
    stored = {"n": 0}
    hub = InProcessHub(lambda sid: stored["n"], interval=0.1, quiet=0.005, clock=clock, motion_interval=0.125,
                       restate=lambda last: last)
    seen: list[tuple[float, int]] = []
    hub.subscribe(1, lambda n: seen.append((clock.now(), n)), priority=FIRST, motion=lambda n: None)
    hub.publish(1)
    await asyncio.sleep(0)
    clock.advance(0.06)
    for k in range(20):  # releases 1 ms apart, each with moves of others around it
        stored["n"] += 1
        hub.publish(1)
        hub.publish_motion(1)
        clock.advance(0.001)
    for _ in range(10):  # the others go on dragging
        hub.publish_motion(1)
        clock.advance(0.001)
    assert seen[-1] == (pytest.approx(0.06 + 0.019 + 0.005), 20)


async def test_a_room_that_left_leaves_no_state_behind(clock: FakeClock) -> None:
    """The last state is kept for motion deliveries only while someone listens: once the last
    console and phone of a session are gone, the next listener gets a freshly built state."""
    built: list[int] = []
    hub = InProcessHub(lambda sid: built.append(sid) or len(built), interval=0.1, clock=clock,
                       restate=lambda last: ("moved", last))
    first = hub.subscribe(1, lambda s: None, motion=lambda s: None)
    hub.publish(1)
    await asyncio.sleep(0)
    assert built == [1] and 1 in hub._last  # noqa: SLF001 - what memory holds
    first.cancel()
    assert 1 not in hub._last  # noqa: SLF001
    seen: list[Any] = []
    hub.subscribe(1, seen.append, motion=seen.append)
    clock.advance(1.0)
    hub.publish_motion(1)  # a move after the room came back: built anew, not from the old state
    await asyncio.sleep(0)
    assert built == [1, 1] and seen == [2]


async def test_news_reach_their_listeners_before_any_state_is_built_and_the_delivery_follows(
        clock: FakeClock) -> None:
    """Issue 13: a card reached the wall only with the full delivery (its build, its spacing).
    The inputs a commit stored are handed to the news listeners on the next loop turn; the
    delivery comes ``quiet`` later, so the news' messages leave the server first."""
    events: list[tuple[str, Any, float]] = []
    hub = InProcessHub(lambda sid: events.append(("built", sid, clock.now())) or "state", interval=0.1,
                       quiet=0.005, clock=clock)
    hub.subscribe(1, lambda s: events.append(("console", s, clock.now())), priority=FIRST,
                  news=lambda items: events.append(("news", list(items), clock.now())) or True)
    hub.subscribe(1, lambda s: events.append(("phone", s, clock.now())))
    hub.publish(1, ["card A"])
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert events == [("news", ["card A"], 0.0)]  # nothing built yet
    clock.advance(0.004)
    assert [e[0] for e in events] == ["news"]
    clock.advance(0.001)
    await asyncio.sleep(0)
    assert events[1:] == [("built", 1, 0.005), ("console", "state", 0.005), ("phone", "state", 0.005)]
    hub.publish(1)  # a change without news (a vote on another kind of step): no news listener hears it
    clock.advance(0.2)
    assert [e[0] for e in events].count("news") == 1


async def test_a_stream_of_news_never_starves_the_full_delivery(clock: FakeClock) -> None:
    """The delivery waits for news once per flush: cards every 2 ms for 0.3 s (a burst) still
    bring the phones a full state at least every interval."""
    hub = InProcessHub(lambda sid: clock.now(), interval=0.1, quiet=0.005, clock=clock)
    told: list[Any] = []
    delivered: list[float] = []
    hub.subscribe(1, delivered.append, priority=FIRST, news=lambda items: told.extend(items) or True)
    for i in range(150):
        hub.publish(1, [i])
        await asyncio.sleep(0)
        clock.advance(0.002)
    clock.advance(0.2)
    assert told == list(range(150))
    gaps = [b - a for a, b in zip(delivered, delivered[1:])]
    assert len(delivered) >= 3 and max(gaps) <= 0.1 + 0.005 + 1e-9, delivered
    assert delivered[-1] >= 0.298  # the last card is in a delivery too


async def test_news_from_a_worker_thread_are_told_on_the_loop(clock: FakeClock) -> None:
    """The API's sync routes commit in a worker thread: its news reach the views on the loop."""
    hub = InProcessHub(lambda sid: sid, interval=0.05, clock=clock)
    threads: list[int] = []
    hub.subscribe(5, lambda _state: None, priority=FIRST,
                  news=lambda _items: threads.append(threading.get_ident()) or True)
    await asyncio.to_thread(hub.publish, 5, ["card"])
    for _ in range(3):
        await asyncio.sleep(0)
    assert threads == [threading.get_ident()]


def test_a_cancelled_news_listener_hears_nothing() -> None:
    hub = InProcessHub(lambda sid: sid)
    told: list[Any] = []
    subscription = hub.subscribe(1, lambda s: None, news=lambda items: told.extend(items) or True)
    hub.subscribe(1, lambda s: None)  # someone else still listens
    subscription.cancel()
    hub.publish(1, ["card"])
    assert told == []


async def test_news_nobody_showed_do_not_hold_the_delivery_back(clock: FakeClock) -> None:
    """Every commit tells the console its news; on a hand vote the view shows none of them, and
    the vote's count must come on the next loop turn as before, not ``quiet`` later (it did: the
    single vote's latency grew by 5 ms)."""
    built: list[float] = []
    hub = InProcessHub(lambda sid: built.append(clock.now()) or "state", interval=0.1, quiet=0.005, clock=clock)
    told: list[Any] = []
    hub.subscribe(1, lambda s: None, priority=FIRST, news=lambda items: told.extend(items) and False)
    hub.publish(1, ["a vote"])
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert told == ["a vote"] and built == [0.0]


async def test_a_delivery_after_stored_inputs_alone_is_rebuilt_from_the_last_state(clock: FakeClock) -> None:
    """Inputs (a publish with news) change only the round's rows: the state is made from the last
    one by ``rebuild``. Any publish without news (a command, a join) makes the next delivery a
    full build, also when inputs arrive in the same window."""
    made: list[tuple[str, Any]] = []

    def builder(session_id: int) -> Any:
        made.append(("built", None))
        return f"full {len(made)}"

    def rebuild(session_id: int, last: Any) -> Any:
        made.append(("rebuilt", last))
        return f"from {last}"

    hub = InProcessHub(builder, interval=0.1, quiet=0.005, clock=clock, rebuild=rebuild)
    seen: list[Any] = []
    hub.subscribe(1, seen.append)

    async def deliver(*news: Any) -> None:
        for item in news:
            hub.publish(1, item)
        await asyncio.sleep(0)
        clock.advance(0.2)
        await asyncio.sleep(0)

    await deliver(["vote"])  # nothing built yet: there is no last state to start from
    await deliver(["vote"], ["vote"])
    await deliver(())  # a command
    await deliver(["vote"], (), ["vote"])  # a command amid the votes
    await deliver(["vote"])
    assert made == [("built", None), ("rebuilt", "full 1"), ("built", None), ("built", None),
                    ("rebuilt", "full 4")]
    assert seen == ["full 1", "from full 1", "full 3", "full 4", "from full 4"]
    assert hub.rebuilds == 2 and hub.deliveries == 5


async def test_a_failed_full_build_leaves_the_next_delivery_a_full_build(clock: FakeClock) -> None:
    """The command's change must not be lost because the build that was to show it failed."""
    made: list[str] = []
    failing = {"now": False}

    def builder(session_id: int) -> Any:
        if failing["now"]:
            failing["now"] = False
            raise RuntimeError("database away")
        made.append("built")
        return "full"

    hub = InProcessHub(builder, interval=0.0, clock=clock,
                       rebuild=lambda session_id, last: made.append("rebuilt") or "partial")
    hub.subscribe(1, lambda state: None)
    hub.publish(1)
    await asyncio.sleep(0)
    failing["now"] = True
    hub.publish(1)  # a command whose build fails
    with pytest.raises(RuntimeError):
        hub._flush(1)
    hub.publish(1, ["vote"])
    await asyncio.sleep(0)
    assert made == ["built", "built"]


async def test_without_rebuild_every_delivery_is_a_full_build(clock: FakeClock) -> None:
    built: list[int] = []
    hub = InProcessHub(lambda sid: built.append(sid) or len(built), interval=0.0, clock=clock)
    hub.subscribe(1, lambda state: None)
    for _ in range(3):
        hub.publish(1, ["vote"])
        await asyncio.sleep(0)
    assert built == [1, 1, 1] and hub.rebuilds == 0

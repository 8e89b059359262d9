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
from facilitation.hub import AFTER_PHONES, CHUNK, FIRST, InProcessHub
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

    hub = InProcessHub(builder, interval=0.1, clock=clock)
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
    hub = InProcessHub(lambda sid: len(published), interval=interval, quiet=0.02, clock=clock)
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

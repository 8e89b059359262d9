"""The live hub: bursts are coalesced, the last delivery shows the final state."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest

from facilitation import agenda, contributions, lifecycle, organize, participation, root
from facilitation.context import Context
from facilitation.hub import InProcessHub
from facilitation.snapshots import LiveState


@pytest.fixture
def ctx() -> Iterator[Context]:
    ctx = root.create("sqlite://", hub_interval=0.1)
    yield ctx
    ctx.db.dispose()


async def settle(hub: InProcessHub, session_id: int) -> None:
    """Wait until no coalesced delivery is pending any more."""
    for _ in range(100):
        if session_id not in hub._pending:
            return
        await asyncio.sleep(hub.interval / 4)
    raise AssertionError("a delivery stayed pending")


async def test_300_votes_in_a_burst_are_coalesced(ctx: Context) -> None:
    created = organize.create_session(
        ctx, agenda.parse({"title": "Konferenz", "steps": [{"method": "hand_vote"}]})
    )
    sid, step = created.session.id, created.session.steps[0].id
    phones = [participation.join_session(ctx, sid).participant_id for _ in range(300)]
    lifecycle.open_step(ctx, step)
    seen: list[LiveState] = []
    subscription = ctx.hub.subscribe(sid, seen.append)

    started = time.monotonic()
    for i, phone in enumerate(phones):
        contributions.submit(ctx, step, phone, {"option": "yes" if i % 3 else "no"})
        await asyncio.sleep(0)  # the event loop runs between votes, as with real requests
    elapsed = time.monotonic() - started
    await settle(ctx.hub, sid)

    # at most one delivery per interval (plus the immediate first one and the trailing one)
    assert 1 <= len(seen) <= elapsed / ctx.hub.interval + 2, (len(seen), elapsed)
    assert len(seen) <= 30  # far below one refresh per vote
    assert ctx.hub.deliveries == len(seen)
    final = seen[-1]
    assert final.result is not None
    assert final.result["voters"] == 300
    assert [o["count"] for o in final.result["options"]] == [200, 100, 0]
    assert final.contributors == 300 and final.participants == 300
    subscription.cancel()
    assert ctx.hub.listener_count(sid) == 0


async def test_a_quiet_burst_gives_one_prompt_delivery_and_one_trailing() -> None:
    built: list[int] = []
    state = {"value": 0}

    def builder(session_id: int) -> Any:
        built.append(session_id)
        return state["value"]

    hub = InProcessHub(builder, interval=0.1)
    got: list[int] = []
    hub.subscribe(7, got.append)
    for value in range(1, 301):
        state["value"] = value
        hub.publish(7)
        await asyncio.sleep(0)
    await settle(hub, 7)
    assert got[0] == 1 or got[0] <= 3  # the first change is delivered on the next loop turn
    assert 1 <= len(got) <= 3
    assert got[-1] == 300  # the final state, not a stale one
    assert built == [7] * len(got)  # state is built once per delivery, not per listener or publish


async def test_sessions_are_independent_and_unsubscribed_hear_nothing() -> None:
    hub = InProcessHub(lambda sid: f"state of {sid}", interval=0.05)
    a: list[str] = []
    b: list[str] = []
    hub.subscribe(1, a.append)
    sub_b = hub.subscribe(2, b.append)
    hub.publish(1)
    await settle(hub, 1)
    assert a == ["state of 1"] and b == []
    sub_b.cancel()
    hub.publish(2)
    await asyncio.sleep(0.06)
    assert b == []
    assert hub.deliveries == 1  # nobody listening: nothing is built


async def test_a_broken_listener_does_not_silence_the_room(caplog: pytest.LogCaptureFixture) -> None:
    hub = InProcessHub(lambda sid: "s", interval=0.05)
    good: list[str] = []

    def broken(_: Any) -> None:
        raise RuntimeError("tab gone")

    hub.subscribe(1, broken)
    hub.subscribe(1, good.append)
    hub.publish(1)
    await settle(hub, 1)
    assert good == ["s"]
    assert "live listener failed" in caplog.text


def test_without_a_running_loop_publish_delivers_at_once(ctx: Context) -> None:
    created = organize.create_session(ctx, agenda.parse({"title": "T", "steps": [{"method": "hand_vote"}]}))
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


async def test_publish_from_a_worker_thread_is_delivered_on_the_loop() -> None:
    """Regression: a publish from a thread (sync API route) ran the listeners in that thread."""
    import threading

    hub = InProcessHub(lambda sid: sid, interval=0.05)
    threads: list[int] = []
    hub.subscribe(5, lambda _state: threads.append(threading.get_ident()))
    for _ in range(20):
        await asyncio.to_thread(hub.publish, 5)
    await asyncio.sleep(0)
    await settle(hub, 5)
    assert threads and set(threads) == {threading.get_ident()}
    assert len(threads) <= 3  # and coalesced like any other burst


async def test_console_first_then_phones_in_chunks_with_the_loop_free_in_between() -> None:
    from facilitation.hub import CHUNK

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
    await asyncio.gather(other_work(), asyncio.sleep(0.05))
    assert order[0] == "console"
    assert sorted(order[1:]) == sorted(f"phone{i}" for i in range(3 * CHUNK))
    # the loop ran other work while phones were still being told (not one blocking sweep)
    assert any(0 < n < len(order) for n in ticks), ticks


async def test_the_end_of_a_burst_is_shown_without_waiting_the_full_interval() -> None:
    hub = InProcessHub(lambda sid: time.monotonic(), interval=0.1, quiet=0.02)
    seen: list[float] = []
    hub.subscribe(1, seen.append)
    hub.publish(1)  # leading edge: delivered at once
    await asyncio.sleep(0.06)
    for _ in range(20):  # a burst arriving 60 ms later
        hub.publish(1)
    burst_end = time.monotonic()
    await asyncio.sleep(0.2)
    assert len(seen) == 2
    assert seen[1] - burst_end < 0.045  # ~20 ms quiet instead of waiting for the 100 ms slot


async def test_a_trickle_of_votes_is_refreshed_at_most_20_times_a_second() -> None:
    hub = InProcessHub(lambda sid: None, interval=0.1, quiet=0.02)
    hub.subscribe(1, lambda state: None)
    start = time.monotonic()
    while time.monotonic() - start < 1.0:
        hub.publish(1)
        await asyncio.sleep(0.025)
    await asyncio.sleep(0.15)
    assert hub.deliveries <= 21

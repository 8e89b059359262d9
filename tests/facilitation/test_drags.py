"""Positions in motion: one per participant and step, never stored, forgotten when stale."""

from __future__ import annotations

from facilitation.drags import MIN_GAP, TTL, Drags


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_latest_move_shows_and_a_stored_input_ends_it() -> None:
    clock = Clock()
    drags = Drags(clock)
    assert drags.move(7, 1, {"x": 0.1})
    clock.now += MIN_GAP
    assert drags.move(7, 1, {"x": 0.2})
    assert drags.move(7, 2, {"x": 0.9})
    assert drags.current(7) == {"1": {"x": 0.2}, "2": {"x": 0.9}}
    assert drags.current(8) == {}
    drags.end(7, 1)
    assert drags.current(7) == {"2": {"x": 0.9}}


def test_moves_faster_than_a_phone_sends_them_are_dropped() -> None:
    clock = Clock()
    drags = Drags(clock)
    assert drags.move(7, 1, {"x": 0.1})
    clock.now += MIN_GAP / 2
    assert not drags.move(7, 1, {"x": 0.5})
    assert drags.current(7) == {"1": {"x": 0.1}} and drags.dropped == 1


def test_a_phone_that_slept_mid_drag_is_forgotten() -> None:
    clock = Clock()
    drags = Drags(clock)
    drags.move(7, 1, {"x": 0.1})
    drags.move(9, 2, {"x": 0.3})  # another session's step
    clock.now += TTL + 0.1
    assert drags.current(7) == {}
    drags.move(7, 3, {"x": 0.5})  # the next move sweeps every stale entry, of every step
    assert drags._steps == {7: {3: (clock.now, {"x": 0.5})}}  # noqa: SLF001 - memory stays bounded

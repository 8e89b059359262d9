"""Garbage is collected and freed memory goes back to the OS only when the room is quiet, once per quiet spell."""

from __future__ import annotations

import asyncio
import gc
import sys

import pytest

from app import housekeeping


async def test_collects_the_middle_generation_when_quiet_and_never_while_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The collections happen in the quiet spell, not at the moment the allocation count runs out
    (which may be the middle of a step change for 500 phones)."""
    collected: list[int] = []
    counter = {"n": 0}
    monkeypatch.setattr(housekeeping, "_libc_trim", lambda: None)
    monkeypatch.setattr(housekeeping, "collect_young", lambda: collected.append(counter["n"]))
    task = asyncio.create_task(housekeeping.tidy_when_quiet(lambda: counter["n"], quiet=0.1))
    try:
        for _ in range(10):
            counter["n"] += 1
            await asyncio.sleep(0.01)  # busy: ten deliveries a quiet spell
        assert collected == []
        await asyncio.sleep(0.4)
        assert collected == [10]
    finally:
        task.cancel()


def test_collect_young_empties_the_middle_generation_and_leaves_the_oldest() -> None:
    gc.collect()
    gc.collect(0)  # something in the middle generation
    assert gc.get_count()[1] >= 1
    old = gc.get_count()[2]
    housekeeping.collect_young()
    assert gc.get_count()[1] == 0
    assert gc.get_count()[2] == old + 1  # a middle collection, not a full one (which resets it)


async def test_trims_once_after_a_quiet_spell_and_never_while_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    trims: list[int] = []
    counter = {"n": 0}
    monkeypatch.setattr(housekeeping, "_libc_trim", lambda: lambda: trims.append(counter["n"]))
    task = asyncio.create_task(housekeeping.tidy_when_quiet(lambda: counter["n"], quiet=0.1))
    try:
        for _ in range(10):  # busy: a delivery in every interval
            counter["n"] += 1
            await asyncio.sleep(0.01)  # busy: ten deliveries a quiet spell
        assert trims == []
        await asyncio.sleep(0.4)  # quiet: one trim, not one per interval
        assert trims == [10]
        counter["n"] += 1  # busy again, then quiet again: one more
        await asyncio.sleep(0.4)
        assert trims == [10, 11]
    finally:
        task.cancel()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc_trim is glibc's")
def test_the_trim_is_found_on_linux() -> None:
    assert housekeeping._libc_trim() is not None  # glibc: the CI machine, a Linux laptop

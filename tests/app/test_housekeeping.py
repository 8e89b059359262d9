"""Freed memory goes back to the OS only when the room is quiet, once per quiet spell."""

from __future__ import annotations

import asyncio
import sys

import pytest

from app import housekeeping


async def test_trims_once_after_a_quiet_spell_and_never_while_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    trims: list[int] = []
    counter = {"n": 0}
    monkeypatch.setattr(housekeeping, "_libc_trim", lambda: lambda: trims.append(counter["n"]))
    task = asyncio.create_task(housekeeping.trim_when_quiet(lambda: counter["n"], quiet=0.02))
    try:
        for _ in range(10):  # busy: a delivery in every interval
            counter["n"] += 1
            await asyncio.sleep(0.02)
        assert trims == []
        await asyncio.sleep(0.1)  # quiet: one trim, not one per interval
        assert trims == [10]
        counter["n"] += 1  # busy again, then quiet again: one more
        await asyncio.sleep(0.1)
        assert trims == [10, 11]
    finally:
        task.cancel()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc_trim is glibc's")
def test_the_trim_is_found_on_linux() -> None:
    assert housekeeping._libc_trim() is not None  # glibc: the CI machine, a Linux laptop

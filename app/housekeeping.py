"""Give freed memory back to the operating system when the room is quiet.

Joining phones leave a high-water mark in the C heap (page rendering, compression buffers, the
socket handshake); CPython frees those objects, but glibc keeps the pages mapped, so the laptop in
the room sees the peak, not what is in use. After the room has been quiet for a moment (no live
delivery: no join, vote or step change) the server calls ``malloc_trim(0)`` once, which returns
those pages. It costs a few milliseconds and never runs during activity. Measured effect:
bench/harness.py memory, docs/performance.md.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
from collections.abc import Callable

QUIET_SECONDS = 2.0


def _libc_trim() -> Callable[[], None] | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to do
        return None
    trim.argtypes = [ctypes.c_size_t]

    def release() -> None:
        trim(0)

    return release


async def trim_when_quiet(activity: Callable[[], int], quiet: float = QUIET_SECONDS) -> None:
    """``activity`` is a counter that grows with every live delivery (the hub's)."""
    trim = _libc_trim()
    if trim is None:
        return
    seen, trimmed = activity(), True
    while True:
        await asyncio.sleep(quiet)
        now = activity()
        if now != seen:
            seen, trimmed = now, False  # busy: look again after a quiet interval
            continue
        if not trimmed:
            trim()
            trimmed = True

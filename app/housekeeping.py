"""Tidy up when the room is quiet: collect cyclic garbage, give freed memory back to the OS.

**Garbage collection.** The server raises the collector's thresholds (``app.main.tune_gc``), so
collections are rare — but the objects a burst of joins leaves behind (500 phones: ~150,000) wait
in the middle generation until its next collection, which then scans them all: 100–240 ms, at
whatever moment the allocation count happens to run out. In the benchmark that moment fell into a
step change now and then (bench/diagnose.py gcsteps; the consensing step took 2–3× its usual time
in those runs). So when the room is quiet the server collects the middle generation itself. Not
the oldest: a full collection scans every object of every connected phone (more than the 200–250 ms
a middle one took after 500 joins), and a moderator pressing "Weiter" just then would wait for it;
its threshold stays as ``tune_gc`` set it.

**Memory.**
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
import gc
from collections.abc import Callable

QUIET_SECONDS = 1.0
def collect_young() -> None:
    """The middle generation (and the youngest with it) when something has arrived there since
    its last collection."""
    if gc.get_count()[1] > 0:
        gc.collect(1)


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


async def tidy_when_quiet(activity: Callable[[], int], quiet: float = QUIET_SECONDS) -> None:
    """``activity`` is a counter that grows with every live delivery (the hub's). Once per quiet
    spell (``quiet`` seconds without a delivery, looked at four times as often): the garbage
    collection above, then the memory trim."""
    trim = _libc_trim()
    loop = asyncio.get_running_loop()
    seen, since, tidied = activity(), loop.time(), True
    while True:
        await asyncio.sleep(quiet / 4)
        now = activity()
        if now != seen:
            seen, since, tidied = now, loop.time(), False  # busy: wait for a whole quiet spell
            continue
        if not tidied and loop.time() - since >= quiet:
            collect_young()
            if trim is not None:
                trim()
            tidied = True

"""What the garbage collector cost so far: collections per generation and the time they took.

Why: the same burst of answers costs the server 0.46 ms of CPU per answer in one run and 0.88 ms
in the next (docs/performance.md, s16). A collection of the middle or the oldest generation
scans every object of every connected phone and takes tens to hundreds of milliseconds; whether
one falls into a burst would explain such a swing. The counters are logged with the server's
work counters (``kill -USR1``, app/main.py), read by bench/harness.py around each burst.
"""

from __future__ import annotations

import gc
import time
from typing import Any


class GcWatch:
    """A ``gc.callbacks`` hook: two calls per collection, which the raised thresholds make rare
    (``app.main.tune_gc``)."""

    def __init__(self) -> None:
        self.collections = [0, 0, 0]
        self.seconds = [0.0, 0.0, 0.0]
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            return
        generation = int(info.get("generation", 0))
        self.collections[generation] += 1
        self.seconds[generation] += time.perf_counter() - self._started

    def line(self) -> str:
        """``gc collections a/b/c, ms x/y/z`` per generation 0/1/2."""
        counts = "/".join(str(c) for c in self.collections)
        ms = "/".join(f"{s * 1000:.1f}" for s in self.seconds)
        return f"gc collections {counts}, ms {ms}"


watch = GcWatch()


def install() -> None:
    """Add the hook once per process."""
    if watch not in gc.callbacks:
        gc.callbacks.append(watch)

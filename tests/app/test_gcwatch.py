"""The collector's counters that the server logs on SIGUSR1 (app/gcwatch.py)."""

from __future__ import annotations

import gc

from app.gcwatch import GcWatch


def test_a_collection_of_the_middle_generation_is_counted_with_its_time() -> None:
    watch = GcWatch()
    gc.callbacks.append(watch)
    try:
        garbage = [[i] for i in range(20_000)]
        for item in garbage:
            item.append(item)  # cycles: only the collector frees them
        del garbage, item
        gc.collect(1)
    finally:
        gc.callbacks.remove(watch)
    assert watch.collections[1] >= 1
    assert watch.seconds[1] > 0
    assert watch.line().startswith(f"gc collections {watch.collections[0]}/{watch.collections[1]}/")


def test_the_line_is_what_the_harness_parses() -> None:
    from bench.harness import COUNTERS

    watch = GcWatch()
    watch("start", {"generation": 2})
    watch("stop", {"generation": 2})
    found = COUNTERS.search(f"counters: group commits 3, deliveries 4, {watch.line()}")
    assert found is not None
    assert found.groups()[:5] == ("3", "4", "0", "0", "1")

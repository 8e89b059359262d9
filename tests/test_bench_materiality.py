"""The materiality accuracy benchmark simulates the room deterministically (bench/bench_materiality.py)."""

from __future__ import annotations

import dataclasses
import random
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from methods import materiality as m

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import bench_materiality as bm  # noqa: E402


def test_the_simulated_room_does_not_depend_on_how_fast_the_machine_fits(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same seed gives the same answers whether a fit of the shared model takes no time or
    3 ms: the model's renewal spacing runs on the simulation's clock. On the wall clock a slow
    fit held renewals back and the pairs, and so the accuracy figures, changed from run to run."""
    seed = 3
    config = m.Config(items=[f"Thema {k}" for k in range(1, bm.N_ITEMS + 1)], comparisons_per_axis=bm.PER_AXIS)
    rng = random.Random(seed)
    truth = {a: [rng.gauss(0.0, bm.SD[a]) for _ in range(bm.N_ITEMS)] for a in m.AXES}
    fast = bm.simulate_adaptive(config, truth, random.Random(10_000 + seed), seed)

    def slow_place(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.003)
        return m.place(*args, **kwargs)

    monkeypatch.setattr(m, "ENGINE", dataclasses.replace(m.ENGINE, task_model=slow_place))
    slow = bm.simulate_adaptive(config, truth, random.Random(10_000 + seed), seed)
    assert slow == fast
    assert len(fast) == bm.PARTICIPANTS * 2 * bm.PER_AXIS

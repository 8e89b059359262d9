"""How far can pair choice lift the right-side share? ``.venv/bin/python bench/materiality_ceiling.py``.

A clairvoyant check for ``bench_materiality.py``: the same case (30 items, sd 1.3 / 1.0 logits,
600 comparisons per axis, 10 % "can't say", the engine's Bradley–Terry fit), but the pairs are
drawn from a fixed allocation that *knows* the true values: each comparison's first item with a
weight ``exp(−d² / 2 s²) + c`` (``d``: its true distance from the median), the second item the
same way (``w``) or uniformly (``u``). No real design knows the truth, so the best share found
here bounds what any choice of pairs can reach with this many answers (uniform = random pairs).
"""

from __future__ import annotations

import math
import random
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_materiality as b  # noqa: E402

from methods import materiality as m  # noqa: E402

N, COMPARISONS, SEEDS = 30, 600, 300


def share(sd: float, s: float, c: float, partner: str) -> tuple[float, float]:
    """Mean right-side share and Spearman over the seeds for one allocation (``s == 0``: uniform)."""
    right, rho = [], []
    for seed in range(SEEDS):
        rng = random.Random(seed)
        truth = [rng.gauss(0.0, sd) for _ in range(N)]
        median = statistics.median(truth)
        weight = [math.exp(-(((t - median) / s) ** 2) / 2) + c if s else 1.0 for t in truth]
        wins: dict[tuple[int, int], int] = {}
        for _ in range(COMPARISONS):
            if rng.random() < b.SKIP:
                continue
            i = rng.choices(range(N), weight)[0]
            j = i
            while j == i:
                j = rng.choices(range(N), weight)[0] if partner == "w" else rng.randrange(N)
            p = 1.0 / (1.0 + math.exp(truth[j] - truth[i]))
            key = (i, j) if rng.random() < p else (j, i)
            wins[key] = wins.get(key, 0) + 1
        estimate = list(m.fit(N, wins).score)
        right.append(sum(e == t for e, t in zip(b.sides(estimate), b.sides(truth))) / N)
        rho.append(b.spearman(estimate, truth))
    return statistics.fmean(right), statistics.fmean(rho)


def main() -> None:
    for sd in (1.3, 1.0):
        print(f"sd {sd}: uniform right side {share(sd, 0, 0, 'u')[0]:.3f}")
        for s in (0.3, 0.5, 0.8):
            for c in (0.1, 0.3):
                for partner in ("w", "u"):
                    r, rho = share(sd, s, c, partner)
                    print(f"sd {sd}: s {s} c {c} partner {partner}: right side {r:.3f}, Spearman {rho:.3f}", flush=True)


if __name__ == "__main__":
    main()

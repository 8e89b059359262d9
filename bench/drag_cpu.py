"""CPU per dragged dot, in process: where a constellation drag's server time goes, without sockets.

Usage::

    PYTHONPATH=. .venv/bin/python bench/drag_cpu.py [--phones 500] [--moves 4000]

A session with one constellation step, ``--phones`` participants, every dot placed; then the
pieces of one drag, each timed on its own (CPU time, ``time.process_time``, best of three):

* a move: the engine's check of the payload and ``live.move`` (the in-memory position, the hub told);
* a delivery during the drag as it was (``live.build_state``: seven queries, the kept tally) and
  as it is (``live.with_motion``: the last state with the positions in motion as they are now),
  each with the console's board for it: ``board_data`` of the statement on screen as JSON.

The socket and NiceGUI's event dispatch are not in it (``bench/harness.py drag`` measures the
whole); these are the parts the app owns, measured the same way on a busy machine.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.views.base import compact  # noqa: E402
from app.views.constellation import board_data  # noqa: E402
from facilitation import contributions, lifecycle, live, root  # noqa: E402
from methods.constellation import ENGINE  # noqa: E402
from tests.factories import create_session, join  # noqa: E402


def best(repeat: int, n: int, work: Callable[[int], object]) -> float:
    """Best CPU microseconds per call of ``work(i)`` over ``repeat`` runs of ``n`` calls."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        for i in range(n):
            work(i)
        times.append((time.process_time() - start) / n * 1e6)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phones", type=int, default=500)
    parser.add_argument("--moves", type=int, default=4000)
    args = parser.parse_args()
    rng = random.Random(12)
    with tempfile.TemporaryDirectory() as tmp:
        ctx = root.create(f"sqlite:///{Path(tmp) / 'koffer.sqlite3'}")
        created = create_session(ctx, {"method": "constellation", "config": {"statements": ["Leitbild"]}},
                                 head_count=600)
        sid, step = created.session.id, created.session.steps[0].id
        people = join(ctx, sid, args.phones)
        lifecycle.open_step(ctx, step)
        for p in people:
            contributions.submit(ctx, step, p, {"statement": 0, "x": rng.random()})
        state = live.build_state(ctx, sid)
        assert state.step is not None
        config = state.step.config
        clock = [0.0]
        ctx.drags.clock = lambda: clock[0]

        def move(i: int) -> None:
            clock[0] += 0.001  # every phone's moves are further apart than MIN_GAP
            payload = {"statement": 0, "x": round(rng.random(), 4)}
            ENGINE.validate(config, payload)
            live.move(ctx, sid, step, people[i % len(people)], payload)

        per_move = best(3, args.moves, move)
        def full(i: int) -> None:  # a delivery that reads and tallies (before: every one during a drag)
            compact(board_data(live.build_state(ctx, sid), "de"))

        restate = getattr(live, "with_motion", None)  # None on a branch from before it

        def motion(i: int) -> None:  # a delivery of dots in motion only: the last state, new positions
            assert restate is not None
            compact(board_data(restate(ctx, state), "de"))

        per_build = best(3, 50, lambda i: live.build_state(ctx, sid))
        per_full = best(3, 50, full)
        per_restate = best(3, 200, lambda i: restate(ctx, state)) if restate else float("nan")
        per_motion = best(3, 50, motion) if restate else float("nan")
        moving = restate(ctx, state) if restate else live.build_state(ctx, sid)
        size = len(compact(board_data(moving, "de")))
        print(f"phones {args.phones}, dots in motion {len(moving.moving)}")
        print(f"move (check + live.move)                  {per_move:8.1f} µs")
        print(f"full delivery: build_state                {per_build:8.1f} µs")
        print(f"full delivery: build_state + board JSON   {per_full:8.1f} µs")
        print(f"motion delivery: with_motion              {per_restate:8.1f} µs")
        print(f"motion delivery: with_motion + board JSON {per_motion:8.1f} µs  (board {size} bytes)")
        ctx.db.dispose()


if __name__ == "__main__":
    main()

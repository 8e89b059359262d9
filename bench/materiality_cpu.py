"""Server CPU per materiality answer, in-process: ``.venv/bin/python bench/materiality_cpu.py``.

The harness (``bench/harness.py pairs``) measures the whole server over sockets, which on a
shared machine swings with everyone else's load. This builds the same room through the
facilitation layer — one session, the demo's materiality step (20 items, 12 comparisons per
axis), ``--phones`` participants — and times the parts of one answer on a single thread:

* **answer**: commit through ``contributions.submit_many`` (validate, ``admit`` against the
  shared task model, insert) and the next pair (``live.next_task``: the phone's ack);
* **delivery**: one ``live.build_state`` as the hub makes it for console and phones, one per
  ``--per-delivery`` answers (the hub coalesces to ~10 a second; 200 phones answering every
  3–6 s give ~44 answers a second, so ~4–5 answers per delivery).

Times are the thread's CPU time (``time.thread_time``), so other processes on a shared machine
move them less than wall time. It prints the mean per answer of each part and the fits done, and with ``--profile`` the
cProfile of the whole loop. Single-threaded and without sockets, so the numbers are the app's
own work: compare before/after on the same machine, not with the harness's totals.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from facilitation import agenda, contributions, lifecycle, live, organize, participation, root  # noqa: E402
from facilitation.context import Context  # noqa: E402
from methods import materiality  # noqa: E402


def room(phones: int, items: int, method: str = "materiality",
         revealed: bool = False) -> tuple[Context, int, int, list[int]]:
    ctx = root.create(f"sqlite:///{tempfile.mkdtemp(prefix='matcpu-')}/koffer.db")
    ctx.hub.subscribe(0, lambda state: None)  # never published: the hub stays out of the timing
    step = materiality.ENGINE.demo_steps[0]
    config = {**step.config, "items": materiality.TREFFEN3_TOPICS[:items]}
    doc: dict[str, Any] = {"title": "Last", "steps": [{"method": "materiality", "title": step.title, "config": config}]}
    if method == "hand_vote":
        doc["steps"] = [{"method": "hand_vote", "title": "Abstimmung", "config": {"question": "Einverstanden?"}}]
    created = organize.create_session(ctx, agenda.parse(doc))
    session_id, step_id = created.session.id, created.session.steps[0].id
    people = [participation.join_session(ctx, session_id).participant_id for _ in range(phones)]
    lifecycle.open_step(ctx, step_id)
    if revealed:  # the matrix on the projector while answers arrive: every delivery refits
        lifecycle.reveal(ctx, step_id)
    return ctx, session_id, step_id, people


def run(phones: int, answers: int, per_delivery: int, items: int, seed: int,
        method: str = "materiality", revealed: bool = False, batch: int = 1) -> dict[str, Any]:
    """``method="hand_vote"``: the reference, each answer a changed hand vote (no next task).
    ``batch``: answers of different phones committed together, as the batcher groups a burst."""
    ctx, session_id, step_id, people = room(phones, items, method, revealed)
    rng = random.Random(seed)
    state = live.build_state(ctx, session_id)
    step = state.step
    assert step is not None
    vote = method == "hand_vote"
    tasks = {p: {"axis": "-", "pair": [{"id": "yes"}, {"id": "no"}]} if vote else live.next_task(ctx, step, p)
             for p in people}
    commit = task = deliver = 0.0
    done = deliveries = 0
    while done < answers:
        ready = [p for p in people if tasks[p]]
        if not ready:
            break
        group = rng.sample(ready, min(batch, len(ready), answers - done))
        requests: list[tuple[int, int, Any]] = []
        for p in group:
            pair = [item["id"] for item in tasks[p]["pair"]]
            payload: dict[str, Any] = {"axis": tasks[p]["axis"], "pair": pair, "choice": rng.choice([*pair, None])}
            if vote:
                payload = {"option": rng.choice(["yes", "no", "abstain"])}
            requests.append((step_id, p, payload))
        t0 = time.thread_time()
        outcomes = contributions.submit_many(ctx, requests)
        t1 = time.thread_time()
        assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
        if not vote:
            for p in group:
                tasks[p] = live.next_task(ctx, step, p)
        t2 = time.thread_time()
        commit, task = commit + t1 - t0, task + t2 - t1
        before, done = done, done + len(group)
        if done // per_delivery > before // per_delivery:
            t3 = time.thread_time()
            live.build_state(ctx, session_id)
            deliver += time.thread_time() - t3
            deliveries += 1
    return {"answers": done, "deliveries": deliveries, "commit_ms": commit * 1000 / done,
            "task_ms": task * 1000 / done, "delivery_ms": deliver * 1000 / max(deliveries, 1),
            "delivery_per_answer_ms": deliver * 1000 / done,
            "total_per_answer_ms": (commit + task + deliver) * 1000 / done,
            "model_builds": ctx.tasks.builds, "tallies": ctx.tallies.computed}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--answers", type=int, default=2000)
    parser.add_argument("--per-delivery", type=int, default=4)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--method", choices=["materiality", "hand_vote"], default="materiality",
                        help="hand_vote: the reference, the same room changing hand votes")
    parser.add_argument("--revealed", action="store_true", help="the result revealed while answers arrive")
    parser.add_argument("--batch", type=int, default=1,
                        help="answers committed together (the batcher groups a burst: try 8)")
    args = parser.parse_args()
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    out = run(args.phones, args.answers, args.per_delivery, args.items, args.seed, args.method, args.revealed,
              args.batch)
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    print(f"{args.method}{' (revealed)' if args.revealed else ''}: {out['answers']} answers, {out['deliveries']} deliveries (one per {args.per_delivery} answers), "
          f"{args.phones} phones, {args.items} items, {args.batch} per commit")
    print(f"  commit (validate, admit, insert)  {out['commit_ms']:.2f} ms per answer")
    print(f"  next pair for the ack             {out['task_ms']:.2f} ms per answer")
    print(f"  delivery (build_state)            {out['delivery_ms']:.2f} ms each, "
          f"{out['delivery_per_answer_ms']:.2f} ms per answer")
    print(f"  total                             {out['total_per_answer_ms']:.2f} ms per answer")
    print(f"  task models built {out['model_builds']}, live tallies run {out['tallies']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

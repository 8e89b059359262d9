"""One hub delivery to 200 phones, materiality vs hand vote, in-process:
``PYTHONPATH=$PWD .venv/bin/python bench/delivery_cpu.py [--repeats 7]``.

``bench/answer_cpu.py`` spreads a delivery's cost over the answers of a burst; this times one
delivery by its parts — ``live.build_state`` after one new answer (and ``live.rebuild_state``
from the last state, what the hub runs when only inputs came since), then ``view.show(state)`` on
every phone (the real ``PhoneView`` classes on NiceGUI clients that never connect) — repeated
``--deliveries`` times per run. In a burst the ack already carried each phone's next pair, so
nearly every delivery changes nothing a phone shows: the phones' part is what a delivery costs
when nothing is sent. Thread CPU, min / median of ``--repeats`` runs, interleaved.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from materiality_cpu import room  # noqa: E402
from nicegui import Client, ui  # noqa: E402

from app.views import views  # noqa: E402
from facilitation import contributions, live  # noqa: E402


async def run(method: str, phones: int, deliveries: int, seed: int, rebuilt: bool = False) -> dict[str, float]:
    """``rebuilt``: each delivery from the last state (``live.rebuild_state``), as the hub makes
    one after stored inputs alone; else a full ``live.build_state``. Separate runs: the second
    of the two on the same rows would find the tally the first one kept."""
    ctx, session_id, _step_id, people = room(phones, 20, method)
    state = live.build_state(ctx, session_id)
    step = state.step
    assert step is not None
    page = ui.page(f"/delivery-{method}-{seed}-{time.monotonic_ns()}")
    loop = asyncio.get_running_loop()
    shown = []
    for p in people:
        with Client(page).layout:
            view = views(method).phone("de", lambda s, x: loop.create_future(),
                                       (lambda q: (lambda s: live.next_tasks(ctx, s, q)))(p), None)
        view.participant = p
        view.load(step, {}, state)
        shown.append(view)
    rng = random.Random(seed)
    build = show = 0.0
    sent = 0
    for _ in range(deliveries):
        p = rng.choice(people)
        if method == "hand_vote":
            payload: dict[str, Any] = {"option": rng.choice(["yes", "no", "abstain"])}
        else:
            task = live.next_task(ctx, step, p)
            payload = {"axis": task["axis"], "pair": [i["id"] for i in task["pair"]], "choice": None}
        contributions.submit(ctx, step.id, p, payload)
        for v in shown:
            v.client.outbox.messages.clear()
        t0 = time.thread_time()
        fresh = live.rebuild_state(ctx, state) if rebuilt else live.build_state(ctx, session_id)
        t1 = time.thread_time()
        for v in shown:
            v.show(fresh)
        t2 = time.thread_time()
        build += t1 - t0
        state = fresh
        show += t2 - t1
        sent += sum(len(v.client.outbox.messages) for v in shown)
    for v in shown:
        v.client.delete()
    return {"rebuild_state" if rebuilt else "build_state": build * 1000 / deliveries, "phones_show": show * 1000 / deliveries,
            "sent": sent / deliveries}


async def main_async(args: argparse.Namespace) -> None:
    results: dict[str, list[dict[str, float]]] = {"hand_vote": [], "materiality": []}
    for r in range(args.repeats):
        for m in results:
            results[m].append(await run(m, args.phones, args.deliveries, args.seed + r))
            results[m][-1].update({k: v for k, v in (await run(m, args.phones, args.deliveries, args.seed + r, True)).items()
                                   if k == "rebuild_state"})
    print(f"{args.phones} phones, {args.deliveries} deliveries per run, {args.repeats} runs; ms per delivery, min / median")
    for key in ("build_state", "rebuild_state", "phones_show", "sent"):
        print(f"{key:<14}" + "".join(
            f"  {m}: {min(x[key] for x in v):.3f} / {statistics.median(x[key] for x in v):.3f}"
            for m, v in results.items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--deliveries", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    asyncio.run(main_async(parser.parse_args()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

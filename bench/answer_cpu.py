"""Server CPU of one answer's whole path, hand vote and materiality side by side, in-process:
``PYTHONPATH=$PWD .venv/bin/python bench/answer_cpu.py [--repeats 5] [--profile materiality]``.

``bench/materiality_cpu.py`` times the facilitation layer alone; a phone's answer also passes
NiceGUI's event dispatch, the phone view's handler, the ack and the hub's deliveries to every
phone. This builds the room of the harness's ``pairs`` burst — ``--phones`` phone components
(the real ``PhoneView`` classes, each on its own NiceGUI client that never connects), the demo's
materiality step (20 items) or a hand vote — and runs a closed loop: ``--batch`` phones answer
what their component shows (the materiality pair from the ack's ``mine``), through

* **dispatch**: ``PhoneView._handle_event`` with the component's ``submit`` event, as NiceGUI
  calls it for the socket message (the handler hands the payload to the group commit);
* **commit**: ``contributions.submit_many`` for the batch (the batcher's one transaction);
* **ack**: the futures' callbacks — ``_committed`` → ``merged`` (materiality: the next pair,
  ``live.next_tasks``: the next pair and the one held after it) → the ack queued in the phone's outbox;
* **delivery**: ``live.rebuild_state`` from the last state, as the hub makes it after stored
  inputs alone (``build_state`` in the column's name: what it replaced), then ``view.show(state)`` on every
  phone (one delivery per ``--per-delivery`` answers), and how many messages that queued.

Times are thread CPU (``time.thread_time``); ``--repeats`` runs each method that many times,
interleaved, and prints min / median / max per answer. Before ``--answers`` are timed,
``--warm`` answers are given unmeasured (the harness's burst comes after ~1,760 steady answers).
Single-threaded, no sockets: the app's own work, to compare before/after on one machine.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
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
from app.views.base import PhoneView  # noqa: E402
from facilitation import contributions, live  # noqa: E402

PARTS = ("dispatch", "commit", "ack", "build_state", "phones_show")


def _listener(view: PhoneView) -> str:
    """The ``submit`` listener of the page's host, which hands the event to the view it draws."""
    return next(k for k, v in view.host._event_listeners.items() if v.type == "submit")  # noqa: SLF001


async def run(method: str, phones: int, warm: int, answers: int, batch: int, per_delivery: int,
              seed: int, profiler: cProfile.Profile | None = None) -> dict[str, Any]:
    ctx, session_id, step_id, people = room(phones, 20, method)
    loop = asyncio.get_running_loop()
    state = live.build_state(ctx, session_id)
    step = state.step
    assert step is not None
    page = ui.page(f"/bench-{method}-{seed}-{time.monotonic_ns()}")
    queued: list[tuple[int, int, Any, asyncio.Future[Any]]] = []

    def submitter(p: int) -> Any:
        def submit(step: int, payload: Any) -> asyncio.Future[Any]:
            future: asyncio.Future[Any] = loop.create_future()
            queued.append((step, p, payload, future))
            return future
        return submit

    spent = {"next_task": 0.0, "renewals": 0.0, "renewed": 0}
    measuring = [False]

    def tasker(p: int) -> Any:
        def task(s: Any) -> Any:
            t0 = time.thread_time()
            try:
                return live.next_tasks(ctx, s, p)
            finally:
                if measuring[0]:
                    spent["next_task"] += time.thread_time() - t0
        return task

    renew = ctx.tasks.model

    def timed_model(*args: Any, **kwargs: Any) -> Any:
        builds, t0 = ctx.tasks.builds, time.thread_time()
        try:
            return renew(*args, **kwargs)
        finally:
            if measuring[0] and ctx.tasks.builds > builds:
                spent["renewals"] += time.thread_time() - t0
                spent["renewed"] += 1

    ctx.tasks.model = timed_model  # type: ignore[method-assign]

    phone_views: dict[int, PhoneView] = {}
    for p in people:
        client = Client(page)
        with client.layout:
            view = views(method).phone("de", submitter(p), tasker(p), None)
        view.participant = p
        view.load(step, {}, state)
        phone_views[p] = view
    listeners = {p: _listener(v) for p, v in phone_views.items()}
    for v in phone_views.values():
        v.client.outbox.messages.clear()

    rng = random.Random(seed)
    seq = dict.fromkeys(people, 0)
    cpu = dict.fromkeys(PARTS, 0.0)
    done = deliveries = sent_on_delivery = ack_bytes = acks = 0

    def payload_for(p: int) -> dict[str, Any] | None:
        if method == "hand_vote":
            return {"option": rng.choice(["yes", "no", "abstain"])}
        task = (phone_views[p].mine or {}).get("task")
        if not task:
            return None
        pair = [item["id"] if isinstance(item, dict) else item for item in task["pair"]]  # ids (older: objects)
        return {"axis": task["axis"], "pair": pair, "choice": rng.choice([*pair, None])}

    total = warm + answers
    profiling = False
    while done < total:
        timing = measuring[0] = done >= warm
        if timing and profiler is not None and not profiling:  # a batch may step over ``warm``
            profiler.enable()
            profiling = True
        ready = [p for p in people if payload_for(p) is not None]
        if not ready:
            break
        group = rng.sample(ready, min(batch, len(ready), total - done))
        t0 = time.thread_time()
        for p in group:
            seq[p] += 1
            view = phone_views[p]
            assert view.step is not None
            view.host._handle_event({"listener_id": listeners[p], "args": {  # noqa: SLF001
                "seq": seq[p], "step": view.step.id, "round": view.step.round, "payload": payload_for(p)}})
        t1 = time.thread_time()
        items, queued[:] = list(queued), []
        outcomes = contributions.submit_many(ctx, [(s, p, payload) for s, p, payload, _ in items])
        for (_, _, _, future), outcome in zip(items, outcomes, strict=True):
            assert not isinstance(outcome, Exception), outcome
            future.set_result(outcome)
        t2 = time.thread_time()
        await asyncio.sleep(0)  # the futures' done callbacks: _committed, next task, ack
        t3 = time.thread_time()
        for p in group:
            messages = phone_views[p].client.outbox.messages
            assert messages and "ack" in messages[-1][2]["code"], "no ack after the commit"
            if timing:
                ack_bytes += sum(len(m[2]["code"]) for m in messages)
                acks += 1
            messages.clear()
        before, done = done, done + len(group)
        t4 = t5 = t6 = 0.0
        delivered = done // per_delivery > before // per_delivery
        if delivered:
            t4 = time.thread_time()
            fresh = state = live.rebuild_state(ctx, state)
            t5 = time.thread_time()
            for view in phone_views.values():
                view.show(fresh)
            t6 = time.thread_time()
            for view in phone_views.values():
                messages = view.client.outbox.messages
                if timing:
                    sent_on_delivery += len(messages)
                messages.clear()
        if timing:
            cpu["dispatch"] += t1 - t0
            cpu["commit"] += t2 - t1
            cpu["ack"] += t3 - t2
            if delivered:
                deliveries += 1
                cpu["build_state"] += t5 - t4
                cpu["phones_show"] += t6 - t5
    if profiler is not None:
        profiler.disable()
    for v in phone_views.values():
        v.client.delete()
    measured = done - warm
    out = {part: cpu[part] * 1000 / measured for part in PARTS}
    out["total"] = sum(cpu.values()) * 1000 / measured
    # parts of ``ack`` (the commit's admit may renew the model too: then it counts there)
    out["ack: next_task"] = spent["next_task"] * 1000 / measured
    out["renewals"] = spent["renewals"] * 1000 / measured
    out["renewed"] = spent["renewed"]
    out.update(answers=measured, deliveries=deliveries, ack_bytes=ack_bytes / max(acks, 1),
               messages_per_delivery=sent_on_delivery / max(deliveries, 1), model_builds=ctx.tasks.builds)
    return out


def _fmt(values: list[float]) -> str:
    return f"{min(values):.3f} / {statistics.median(values):.3f} / {max(values):.3f}"


async def main_async(args: argparse.Namespace) -> int:
    methods = ["hand_vote", "materiality"]
    results: dict[str, list[dict[str, Any]]] = {m: [] for m in methods}
    for r in range(args.repeats):
        for m in methods:
            profiler = cProfile.Profile() if args.profile == m and r == 0 else None
            results[m].append(await run(m, args.phones, args.warm, args.answers, args.batch, args.per_delivery,
                                        args.seed + r, profiler))
            if profiler is not None:
                pstats.Stats(profiler).sort_stats(args.sort).print_stats(45)
    print(f"{args.phones} phones, {args.warm} answers unmeasured, then {args.answers} timed; {args.batch} per commit,"
          f" one delivery per {args.per_delivery} answers; {args.repeats} runs each, interleaved")
    print("ms of thread CPU per answer, min / median / max")
    print(f"{'part':<14}" + "".join(f"{m:>26}" for m in methods) + f"{'ratio (medians)':>18}")
    for key in (*PARTS, "total", "ack: next_task", "renewals"):
        row = [_fmt([x[key] for x in results[m]]) for m in methods]
        mh, mm = (statistics.median(x[key] for x in results[m]) for m in methods)
        print(f"{key:<14}" + "".join(f"{v:>26}" for v in row) + (f"{mm / mh:>17.2f}×" if mh > 0 else ""))
    for key in ("ack_bytes", "messages_per_delivery", "renewed", "deliveries"):
        print(f"{key:<22}" + "  ".join(f"{m}: {statistics.median(x[key] for x in results[m]):.1f}" for m in methods))
    if args.json:
        print(json.dumps(results))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--warm", type=int, default=1760, help="answers before the timed burst (unmeasured)")
    parser.add_argument("--answers", type=int, default=500)
    parser.add_argument("--batch", type=int, default=8, help="answers per group commit")
    parser.add_argument("--per-delivery", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", choices=["hand_vote", "materiality"], help="cProfile the first timed run")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--json", action="store_true")
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())

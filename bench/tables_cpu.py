"""In-process: server CPU and bytes of one theme-tables card's delivery with N cards on the boards.

The harness's ``tables`` benchmark needs a quiet machine and 3 minutes; this measures the part that
grew with the boards (issue 13) in-process, where other engineers' load disturbs it less: a
console and ``TT_PHONES`` phones (NiceGUI's simulated clients) at table 1, 80 people seated, N
cards stored, then 15 cards one by one — per card the process CPU over a 0.4 s window minus an
idle window's, and the bytes of every message sent to the console and the phones (as JSON).

    TT_CARDS=900 PYTHONPATH=$PWD .venv/bin/python -m pytest -q -s -p nicegui.testing.user_plugin \
        bench/tables_cpu.py            # TT_PROF=1: a cProfile of the card windows
"""
from __future__ import annotations

import asyncio
import json
import os
import random
import time
from typing import Any

from nicegui.testing import User

from facilitation import agenda, context, contributions, lifecycle, organize, participation

N = int(os.environ.get("TT_CARDS", "900"))
PHONES = int(os.environ.get("TT_PHONES", "20"))


async def test_cpu_per_card(user: User, create_user: Any) -> None:
    ctx = context.current()
    tables = [{"title": t, "question": f"Was gehört zu {t}?", "prompts": ["Heute", "Morgen"]}
              for t in ("Herausforderungen", "Visionen", "Kooperation", "Erfolg")]
    created = organize.create_session(ctx, agenda.parse({"format": "moderationskoffer/agenda@1", "title": "B",
        "names": "none", "steps": [{"method": "theme_tables", "title": "T", "config": {"tables": tables, "rounds": 1}}]}))
    sid, step = created.session.id, created.session.steps[0].id
    lifecycle.open_step(ctx, step)
    await user.open(f"/s/{sid}/console?key={created.moderator_key}")
    await user.should_see("Tischrunde 1 von 1")
    sizes: list[int] = []
    counting = [False]

    def count(client: Any) -> None:
        forward = client.outbox._emit

        async def capture(message: Any) -> None:
            if counting[0]:
                sizes.append(len(json.dumps(message[2], ensure_ascii=False)))
            await forward(message)
        client.outbox._emit = capture

    count(user.client)
    phones = []
    for _ in range(PHONES):
        other = create_user()
        await other.open(f"/j/{created.session.join_code}")
        phones.append(other)
        count(other.client)
    await asyncio.sleep(0.5)
    _ = [p.participant_id for p in (participation.join_session(ctx, sid) for _ in range(80 - PHONES))]
    # the phones' participants are the first ids; seat everybody via the API path
    from sessions import models
    with ctx.db.session() as orm:
        ids = [p.id for p in orm.query(models.Participant).filter(models.Participant.session_id == sid)]
    for i, pid in enumerate(ids):
        contributions.submit(ctx, step, pid, {"seat": {"table": "t1" if i < PHONES else ["t2", "t3", "t4"][i % 3]}})
    rnd = random.Random(1)
    reqs = [(step, ids[i % 80], {"card": {"table": ["t1", "t2", "t3", "t4"][i % 4] if i % 80 >= PHONES else "t1",
                                          "text": f"Karte {i} " + "x" * rnd.randint(20, 120),
                                          "prompt": rnd.choice(["p1", "p2", None])}}) for i in range(N)]
    for k in range(0, len(reqs), 100):
        contributions.submit_many(ctx, reqs[k:k + 100])
        ctx.hub.publish(sid)
        await asyncio.sleep(0.3)
    await asyncio.sleep(1.0)

    # the path before the console's message leaves: the flush builds the state and delivers it to
    # the first listeners (the console) — its thread CPU, and of that the build (``build_state``)
    hub = ctx.hub
    flush, builder = hub._flush, hub.builder
    spans: dict[str, list[float]] = {"flush": [], "build": []}

    def timed(name: str, fn: Any) -> Any:
        def run(*args: Any) -> Any:
            c0 = time.thread_time()
            try:
                return fn(*args)
            finally:
                if counting[0]:
                    spans[name].append(time.thread_time() - c0)
        return run
    hub._flush = timed("flush", flush)  # type: ignore[method-assign]
    hub.builder = timed("build", builder)

    async def window(card: bool, i: int) -> tuple[float, int]:
        sizes.clear()
        counting[0] = True
        c0 = time.process_time()
        if card:
            contributions.submit(ctx, step, ids[0], {"card": {"table": "t1", "text": f"Neue Karte {i:03d} " + "y" * 60}})
        await asyncio.sleep(0.4)
        counting[0] = False
        return time.process_time() - c0, sum(sizes)

    idle = [await window(False, i) for i in range(5)]
    import cProfile
    import pstats
    prof = cProfile.Profile()
    if os.environ.get("TT_PROF"):
        prof.enable()
    cards = [await window(True, i) for i in range(15)]
    prof.disable()
    if os.environ.get("TT_PROF"):
        pstats.Stats(prof).sort_stats("cumulative").print_stats(45)
    med = lambda xs: sorted(xs)[len(xs) // 2]  # noqa: E731
    idle_ms = med([c for c, _ in idle]) * 1000
    card_ms = med([c for c, _ in cards]) * 1000
    print(f"\nRESULT cards={N} phones_at_t1={PHONES}: CPU per card {card_ms - idle_ms:.1f} ms "
          f"(window {card_ms:.1f}, idle {idle_ms:.1f}); bytes per card {med([b for _, b in cards])}; "
          f"flush (state + console) {med(spans['flush']) * 1000:.2f} ms, of it build_state "
          f"{med(spans['build']) * 1000:.2f} ms")

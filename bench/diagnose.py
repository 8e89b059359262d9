"""Diagnosis for missed targets: profile the server with py-spy during one benchmark action.

Usage::

    .venv/bin/python bench/diagnose.py burst [N]      # N phones vote within 50 ms
    .venv/bin/python bench/diagnose.py pairs [N]      # closed-loop bursts of N phones: hand vote, then pairs
    .venv/bin/python bench/diagnose.py pairsgc [N]    # the same bursts, no py-spy: CPU, wall and GC collections of each
    .venv/bin/python bench/diagnose.py pairsspread [N]  # six bursts, py-spy --nonblocking: the dearest vs the cheapest
    .venv/bin/python bench/diagnose.py nextstep [N]   # open step 2 (consensing) with N phones
    .venv/bin/python bench/diagnose.py nextsmall [N]  # open step 3 (hand vote) with N phones
    .venv/bin/python bench/diagnose.py latency [N]    # 20 single votes with N phones connected
    .venv/bin/python bench/diagnose.py weiter [N] [keep|close|closed]  # console "Weiter", step 1 open
    .venv/bin/python bench/diagnose.py views [N]      # RSS per phone: waiting view vs vote view
    .venv/bin/python bench/diagnose.py hub [SECONDS|default]  # what-if: hub coalescing interval
    .venv/bin/python bench/diagnose.py fonts          # fonts a phone loads: draft step vs vote buttons
    .venv/bin/python bench/diagnose.py submit [N]     # in-process: ms per committed vote vs plain sqlite3
    .venv/bin/python bench/diagnose.py gc [N] [default|freeze|tuned]  # cyclic-GC pauses (what-if: gc.freeze)

py-spy (``pip install py-spy``) samples the real server process (``py-spy record -p PID -f raw``);
the collapsed stacks are aggregated here by *inclusive* share of samples per function and the
lines in app/ and facilitation/ are listed separately. The raw file stays in /tmp for
``flamegraph.pl`` or speedscope. Targets are 127.0.0.1 only; servers are stopped in ``finally``.
"""

from __future__ import annotations

import asyncio
import collections
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import harness as h  # noqa: E402

PY_SPY = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")


class Spy:
    def __init__(self, pid: int, out: str, rate: int = 250) -> None:
        self.out = out
        self.proc = subprocess.Popen(  # noqa: S603
            [PY_SPY, "record", "-p", str(pid), "-o", out, "-f", "raw", "-r", str(rate), "-d", "120"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(2)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


APP_DIRS = ("app/", "facilitation/", "methods/", "sessions/")
FRAME = re.compile(r"^(.*) \((.*):(\d+)\)$")


def aggregate(path: str, focus: str = "", top: int = 30) -> str:
    """Inclusive share per function (``focus``: only stacks containing this text)."""
    incl: collections.Counter[str] = collections.Counter()
    lines: collections.Counter[str] = collections.Counter()
    total = 0
    for raw in Path(path).read_text().splitlines():
        stack, _, count = raw.rpartition(" ")
        n = int(count)
        frames = stack.split(";")
        if focus and not any(focus in f for f in frames):
            continue
        total += n
        seen = set()
        for f in frames:
            m = FRAME.match(f)
            func = f"{m.group(1)} ({m.group(2)})" if m else f
            if func not in seen:
                incl[func] += n
                seen.add(func)
            if m and m.group(2).startswith(APP_DIRS) and f not in seen:
                lines[f] += n
                seen.add(f)
    out = [f"samples: {total} in focus{f' ({focus!r})' if focus else ''}"]
    skip = (
        "runpy",
        "<module>",
        "(app/cli.py)",
        "run (app/main.py)",
        "run (nicegui/ui_run.py)",
        "Server.run",
        "asyncio_run",
        "Runner.run",
    )
    shown = 0
    for func, n in incl.most_common():
        if any(s in func for s in skip):
            continue
        out.append(f"  {100 * n / max(total, 1):5.1f}%  {func[:130]}")
        shown += 1
        if shown >= top:
            break
    out.append("  app lines (inclusive):")
    for key, n in lines.most_common(20):
        if any(s in key for s in skip):
            continue
        out.append(f"  {100 * n / max(total, 1):5.1f}%  {key[:130]}")
    return "\n".join(out)


async def burst(n: int) -> None:
    with h.running("app") as t:
        async with h.sessions(t) as http:
            await t.prepare(http)
            console = await t.console(http)
            phones = await h.join_many(t, http, n)
            await asyncio.sleep(2)
            _, participants = await t.counts(http)
            out = tempfile.mktemp(prefix="spy-burst-", suffix=".txt")
            spy = Spy(t.pid, out, rate=1000)
            await asyncio.sleep(1.5)
            seen = console.expect(f'"{n} von {participants} haben abgestimmt"')
            cpu0 = h.cpu_seconds(t.pid)
            try:
                tasks, t0 = await h.spread(
                    [lambda p=p: p.tab.click(p.vote_id) for p in phones], h.BURST_WINDOW, inline=True
                )
                await asyncio.gather(*tasks)
                shown = await asyncio.wait_for(seen, 60) - t0
                cpu = h.cpu_seconds(t.pid) - cpu0
            finally:
                spy.stop()
            voters, _ = await t.counts(http)
            print(
                f"burst {n}: console shows {n} after {shown * 1000:.0f} ms; "
                f"server CPU until then {cpu:.2f} s "
                f"({cpu / n * 1000:.2f} ms per vote); voters committed {voters}"
            )
            await h.close_all([p.tab for p in phones] + [console])
    print(aggregate(out, "Handle._run"))
    print("\n-- the vote handler only (PhoneView._on_submit):")
    print(aggregate(out, "PhoneView._on_submit", 25))
    print("\n-- the hub flush only (InProcessHub._flush):")
    print(aggregate(out, "InProcessHub._flush", 20))
    print(f"raw stacks: {out}")


class PairsRoom:
    """The pairs benchmark's room: the demo with its hand vote open, a console, ``n`` phones, and
    the answers of both kinds as the harness gives them (a vote flipped, the shown pair's first item)."""

    def __init__(self, t: Any, http: Any, console: Any, phones: list[Any], step: dict[str, Any]) -> None:
        self.t, self.http, self.console, self.phones, self.step = t, http, console, phones, step
        self.flips = [0] * len(phones)
        self.shown: list[Any] = []
        self.state: list[Any] = []

    @classmethod
    async def make(cls, t: Any, http: Any, n: int) -> PairsRoom:
        await t.prepare(http)  # demo step 1, a hand vote, open
        console = await t.console(http)
        phones = await h.join_many(t, http, n)
        await asyncio.sleep(2)
        async with http.get(f"{t.base}/api/v1/sessions/{t.sid}", headers=t.auth) as r:
            step = next(s for s in (await r.json())["steps"] if s["method"] == "materiality")
        return cls(t, http, console, phones, step)

    async def vote(self, i: int) -> bool:
        self.flips[i] += 1
        return (await h._vote(self.phones[i], "no" if self.flips[i] % 2 else "yes"))[1]

    async def open_pairs(self) -> None:
        await self.t._post(self.http, f"/api/v1/sessions/{self.t.sid}/steps/{self.step['id']}/open",
                           headers=self.t.auth)
        self.shown = await asyncio.gather(*(p.tab.wait_for(h._pairs_ready, 60) for p in self.phones))
        self.state = [mine for _eid, mine in self.shown]

    async def answer(self, i: int) -> bool:
        if not (self.state[i] and self.state[i].get("task")):
            return False
        one = await h._answer(self.phones[i], self.shown[i][0], self.state[i])
        self.state[i] = one.mine or self.state[i]
        return one.ok

    async def close(self) -> None:
        await h.close_all([p.tab for p in self.phones] + [self.console])


async def pairs(n: int, burst_size: int = 0) -> None:
    """The pairs benchmark's two bursts with py-spy on the server: the ``n`` phones change their
    hand vote as fast as their acks come back, then answer materiality pairs the same way
    (``burst_size`` answers each, 2.5 per phone by default, as 500 for 200; the pairs after ten
    answers per phone, unmeasured). Prints the server's CPU per answer of both and where the
    pairs' answers went."""
    burst_size = burst_size or n * 5 // 2
    outs: dict[str, str] = {}
    with h.running("app") as t:
        async with h.sessions(t) as http:
            room = await PairsRoom.make(t, http, n)
            cpu: dict[str, float] = {}
            for kind in ("vote", "pairs"):
                if kind == "pairs":
                    await room.open_pairs()
                    # unmeasured: the full benchmark's burst starts at ~1,760 rows, where the
                    # shared model is renewed every ~180 answers, not every few as in an empty round
                    await h.closed_loop(n, n * 10, room.answer)
                await asyncio.sleep(1.5)
                outs[kind] = tempfile.mktemp(prefix=f"spy-pairs-{kind}-", suffix=".txt")
                spy = Spy(t.pid, outs[kind], rate=500)
                await asyncio.sleep(1.0)
                cpu0 = h.cpu_seconds(t.pid)
                try:
                    await h.closed_loop(n, burst_size, room.vote if kind == "vote" else room.answer)
                    cpu[kind] = (h.cpu_seconds(t.pid) - cpu0) * 1000 / burst_size
                finally:
                    spy.stop()
            print(f"pairs {n} phones, bursts of {burst_size}: server CPU per hand vote {cpu['vote']:.2f} ms, "
                  f"per pair answer {cpu['pairs']:.2f} ms ({cpu['pairs'] / cpu['vote']:.2f}x)")
            await room.close()
    for kind, out in outs.items():
        print(f"\n-- {kind}: everything on the loop")
        print(aggregate(out, "", 25))
        print(f"raw stacks: {out}")


async def pairs_spread(n: int, repeats: int = 6) -> None:
    """Why do some materiality bursts cost a third more CPU than others? ``repeats`` closed-loop
    bursts of ``n * 5 // 2`` answers on one server, each sampled by py-spy without pausing the
    server (``--nonblocking``); prints each burst's CPU per answer and, for the cheapest and the
    dearest burst, the functions whose share differs most."""
    outs: list[tuple[float, str]] = []
    with h.running("app") as t:
        async with h.sessions(t) as http:
            room = await PairsRoom.make(t, http, n)
            await room.open_pairs()
            await h.closed_loop(n, n * 4, room.answer)  # unmeasured: the round fills first
            size = n * 5 // 2
            for rep in range(repeats):
                await asyncio.sleep(1.5)
                out = tempfile.mktemp(prefix=f"spy-spread-{rep}-", suffix=".txt")
                spy = subprocess.Popen(  # noqa: S603
                    [PY_SPY, "record", "--nonblocking", "-p", str(t.pid), "-o", out, "-f", "raw", "-r", "500",
                     "-d", "60"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                await asyncio.sleep(1.0)
                cpu0, t0 = h.cpu_seconds(t.pid), time.perf_counter()
                await h.closed_loop(n, size, room.answer)
                cpu, wall = h.cpu_seconds(t.pid) - cpu0, time.perf_counter() - t0
                spy.send_signal(2)
                spy.wait(timeout=30)
                outs.append((cpu * 1000 / size, out))
                print(f"burst {rep}: {cpu * 1000 / size:.2f} ms CPU/answer, wall {wall * 1000:.0f} ms", flush=True)
            await room.close()
    outs.sort()
    (cheap, cheap_out), (dear, dear_out) = outs[0], outs[-1]
    shares = []
    for _cpu, out in (outs[0], outs[-1]):
        counts: collections.Counter[str] = collections.Counter()
        total = 0
        for line in Path(out).read_text().splitlines():
            stack, _, k = line.rpartition(" ")
            if not k.isdigit() or "Condition.wait" in stack or "select (selectors" in stack:
                continue
            total += int(k)
            for frame in set(stack.split(";")):
                counts[frame.split(" (")[0]] += int(k)
        shares.append((total, counts))
    print(f"\ncheapest burst {cheap:.2f} ms/answer ({shares[0][0]} busy samples), dearest {dear:.2f} "
          f"({shares[1][0]} busy samples); functions by extra samples in the dearest:")
    diff = {f: shares[1][1][f] - shares[0][1][f] for f in shares[1][1]}
    for frame, extra in sorted(diff.items(), key=lambda kv: -kv[1])[:30]:
        print(f"  +{extra:5d}  {shares[0][1][frame]:5d} -> {shares[1][1][frame]:5d}  {frame}")
    print(f"raw: {cheap_out} {dear_out}")


async def pairs_gc(n: int, repeats: int = 3) -> None:
    """The pairs benchmark's bursts without py-spy (which pauses the server), ``repeats`` times
    each on one server, interleaved: per burst the server CPU per answer, the wall time and every
    garbage collection in it (bench/memprobe.py's logger) — is a slow burst one with a collection?"""
    log = GcLog()
    try:
        with h.running("app") as t:
            log.release_env()
            async with h.sessions(t) as http:
                room = await PairsRoom.make(t, http, n)
                size = n * 5 // 2
                results: list[str] = []

                async def measure(label: str, answer: Any) -> None:
                    w0, cpu0, t0 = time.time(), h.cpu_seconds(t.pid), time.perf_counter()
                    await h.closed_loop(n, size, answer)
                    wall, cpu = time.perf_counter() - t0, h.cpu_seconds(t.pid) - cpu0
                    results.append(f"{label}: {cpu * 1000 / size:.2f} ms CPU/answer, wall {wall * 1000:.0f} ms; "
                                   + gc_summary(await log.read(t.pid), w0, w0 + wall))

                for rep in range(repeats):
                    await measure(f"vote  #{rep}", room.vote)
                    await asyncio.sleep(1.5)
                await room.open_pairs()
                await h.closed_loop(n, n * 4, room.answer)  # unmeasured: the round fills a little first
                for rep in range(repeats):
                    await asyncio.sleep(1.5)
                    await measure(f"pairs #{rep}", room.answer)
                print("\n".join(results))
                await room.close()
    finally:
        log.release_env()
        log.cleanup()


async def nextstep(n: int, small: bool = False) -> None:
    with h.running("app") as t:
        async with h.sessions(t) as http:
            await t.prepare(http)
            phones = await h.join_many(t, http, n)
            await asyncio.sleep(2)
            out = tempfile.mktemp(prefix="spy-next-", suffix=".txt")
            spy = Spy(t.pid, out)
            await asyncio.sleep(1.5)
            futures = [p.tab.expect(t.next_small_needle if small else t.next_api_needle) for p in phones]
            t0 = time.perf_counter()
            try:
                await t.api_next(http, small=small)
                done, _ = await asyncio.wait(futures, timeout=90)
            finally:
                await asyncio.sleep(0.3)
                spy.stop()
            times = [f.result() - t0 for f in done if not f.exception()]
            size = sum(len(d) for ts, d in phones[0].tab.received if ts >= t0)
            print(
                f"open step {3 if small else 2} with {n} phones: all shown after {max(times) * 1000:.0f} ms "
                f"({len(times)}/{n}); first phone {min(times) * 1000:.0f} ms; {size} bytes to one phone; "
                f"{len(phones[0].tab.sync())} elements on one phone afterwards"
            )
            await h.close_all([p.tab for p in phones])
    print(aggregate(out, "_flush"))
    print(f"raw stacks: {out}")


async def latency(n: int) -> None:
    with h.running("app") as t:
        async with h.sessions(t) as http:
            await t.prepare(http)
            console = await t.console(http)
            phones = await h.join_many(t, http, n)
            await asyncio.sleep(2)
            _, participants = await t.counts(http)
            out = tempfile.mktemp(prefix="spy-latency-", suffix=".txt")
            spy = Spy(t.pid, out, rate=1000)
            await asyncio.sleep(1.5)
            lat = []
            try:
                for i in range(20):
                    seen = console.expect(f'"{i + 1} von {participants} haben abgestimmt"')
                    t0 = await phones[i].tab.click(phones[i].vote_id)
                    lat.append((await asyncio.wait_for(seen, 10) - t0) * 1000)
                    await asyncio.sleep(0.25)
            finally:
                spy.stop()
                await h.close_all([p.tab for p in phones] + [console])
            print(
                f"{n} phones: single vote -> console p50 {h.pct(lat, 0.5):.1f} ms, "
                f"p95 {h.pct(lat, 0.95):.1f} ms"
            )
            other = [len(d) for ts, d in phones[-1].tab.received]
            print(f"a phone that did not vote received {len(other)} messages, {sum(other)} bytes since join")
    print(aggregate(out, "_run"))
    print("\n-- only the hub flush:")
    print(aggregate(out, "InProcessHub._flush", 25))
    print(f"raw stacks: {out}")


async def views(n: int) -> None:
    """Memory per phone follows the number of NiceGUI elements a phone page keeps (~6.3 KiB of
    RSS each, docs/performance.md): ``n`` phones join the demo with its first step (a hand vote)
    open; prints the RSS per phone and the page's elements by tag (NiceGUI's page structure, our
    labels and link, the one host that draws every method)."""
    with h.running("app") as t:
        async with h.sessions(t) as http:
            await t.prepare(http)
            console = await t.console(http)
            rss0 = await h.settled_rss(t.pid)
            phones = await h.join_many(t, http, n)
            rss = await h.settled_rss(t.pid)
            elements = phones[0].tab.sync()
            tags = collections.Counter(
                str(e.get("tag")) for e in (elements.values() if isinstance(elements, dict) else elements))
            await h.close_all([*(p.tab for p in phones), console])
    print(f"{(rss - rss0) / n:6.1f} KiB per phone, {len(elements)} elements on a phone's page:")
    for tag, count in tags.most_common():
        print(f"  {count:3d}  {tag}")


async def weiter(n: int, mode: str = "keep") -> None:
    """The console's "Weiter" with step 1 open: the console asks first ("Punkt 1 ist noch offen");
    ``keep``/``close`` answer it ("Offen lassen und weiter" / "Schließen und weiter"), ``closed``
    closes step 1 through the API first, so "Weiter" moves on without a question."""
    with h.running("app") as t:
        async with h.sessions(t) as http:
            await t.prepare(http)
            console = await t.console(http)
            phones = await h.join_many(t, http, n)
            if mode == "closed":
                await t._post(http, f"/api/v1/sessions/{t.sid}/steps/{t.step1}/close", headers=t.auth)
            await asyncio.sleep(2)
            out = tempfile.mktemp(prefix=f"spy-weiter-{mode}-", suffix=".txt")
            spy = Spy(t.pid, out, rate=1000)
            await asyncio.sleep(1.5)
            futures = [p.tab.expect(t.next_console_needle) for p in phones]
            cpu0 = h.cpu_seconds(t.pid)
            try:
                t0 = await h.press_next(console, mode)
                done, _ = await asyncio.wait(futures, timeout=90)
            finally:
                await asyncio.sleep(0.3)
                spy.stop()
            cpu = h.cpu_seconds(t.pid) - cpu0
            times = [f.result() - t0 for f in done if not f.exception()]
            print(
                f"console 'Weiter' ({mode}) with {n} phones: all shown after {max(times) * 1000:.0f} ms "
                f"({len(times)}/{n}); first phone {min(times) * 1000:.0f} ms; server CPU {cpu:.2f} s"
            )
            await h.close_all([p.tab for p in phones] + [console])
    print(aggregate(out, "Handle._run"))
    print("\n-- only the hub flush:")
    print(aggregate(out, "_flush", 25))
    print(f"raw stacks: {out}")


class GcLog:
    """Start the app with the GC logger of bench/memprobe.py; ``read()`` returns the collections."""

    def __init__(self, threshold: str = "", freeze: bool = False, hub_interval: str = "") -> None:
        import os

        from bench import memprobe

        self.freeze = freeze
        self.prefix, env = memprobe.enable(
            gc_only=True, threshold=threshold, freeze=freeze, hub_interval=hub_interval
        )
        self.saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)

    def release_env(self) -> None:
        import os

        for k, v in self.saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v

    async def read(self, pid: int) -> list[list[float]]:
        import json
        import os
        import signal

        path = Path(self.prefix + ".gc.json")
        path.unlink(missing_ok=True)
        os.kill(pid, signal.SIGUSR2)
        for _ in range(100):
            if path.exists():
                return json.loads(path.read_text())
            await asyncio.sleep(0.05)
        return []

    def cleanup(self) -> None:
        from bench import memprobe

        memprobe.cleanup(self.prefix)


def gc_summary(events: list[list[float]], since: float, until: float) -> str:
    window = [e for e in events if since <= e[0] <= until + 0.05]
    out = []
    for gen in (0, 1, 2):
        ev = [e for e in window if e[1] == gen]
        if ev:
            out.append(
                f"gen{gen}: {len(ev)} collections, {sum(e[2] for e in ev) * 1000:.0f} ms total, "
                f"longest {max(e[2] for e in ev) * 1000:.0f} ms"
            )
    return "; ".join(out) or "no collections"


async def gcpause(n: int, variant: str = "default") -> None:
    """GC pauses during the benchmark actions (single votes, a burst, open step 3).

    variant: ``default``; ``freeze`` = gc.freeze() once the server is up (before phones join);
    ``tuned`` = freeze plus gc.set_threshold(10000, 50, 1000) from the start.
    """
    log = GcLog(
        threshold="10000,50,1000" if variant == "tuned" else "", freeze=variant in ("freeze", "tuned")
    )
    try:
        with h.running("app") as t:
            log.release_env()
            if log.freeze:
                import os
                import signal

                os.kill(t.pid, signal.SIGHUP)
                await asyncio.sleep(1)
            print(f"variant {variant}: RSS {h.rss_kib(t.pid) / 1024:.0f} MiB before phones")
            async with h.sessions(t) as http:
                await t.prepare(http)
                console = await t.console(http)
                phones = await h.join_many(t, http, n)
                await asyncio.sleep(2)
                _, participants = await t.counts(http)
                lat = []
                w0 = time.time()
                for i in range(20):
                    seen = console.expect(f'"{i + 1} von {participants} haben abgestimmt"')
                    t0 = await phones[i].tab.click(phones[i].vote_id)
                    lat.append((await asyncio.wait_for(seen, 10) - t0) * 1000)
                    await asyncio.sleep(0.25)
                w1 = time.time()
                print(
                    f"{n} phones, 20 single votes: p50 {h.pct(lat, 0.5):.1f} ms, max {max(lat):.1f} ms; GC: "
                    + gc_summary(await log.read(t.pid), w0, w1)
                )
                futures = [p.tab.expect(t.next_small_needle) for p in phones]
                w0, t0 = time.time(), time.perf_counter()
                await t.api_next(http, small=True)
                done, _ = await asyncio.wait(futures, timeout=90)
                w1 = time.time()
                took = max(f.result() for f in done) - t0
                print(
                    f"open step 3 (hand vote) to {n} phones: {took * 1000:.0f} ms; GC: "
                    + gc_summary(await log.read(t.pid), w0, w1)
                )
                await t.new_round(http)  # back to step 1 (new round) for a burst
                for p in phones:
                    p.vote_id = await t.vote_ready(p.tab, old=p.vote_id)
                await asyncio.sleep(1.5)
                w0 = time.time()
                res = await h.run_burst(t, http, console, phones, via_api=False)
                print(
                    f"burst of {n} votes: console {res['console_ms']:.0f} ms, lost {res['lost']}; GC: "
                    + gc_summary(await log.read(t.pid), w0, w0 + res["console_ms"] / 1000)
                )
                await h.close_all([p.tab for p in phones] + ([console] if console is not None else []))
    finally:
        log.release_env()
        log.cleanup()


def submit_cost(n: int) -> None:
    """In-process: what one committed vote costs (facilitation.contributions.submit), per call,
    and how much of it is fixed per-transaction overhead (the same rows in one transaction)."""
    import sqlite3

    from facilitation import context, contributions, lifecycle, participation, root
    from facilitation.demo import ensure_demo

    with tempfile.TemporaryDirectory() as tmp:
        ctx = context.install(root.for_data_dir(Path(tmp)))
        created = ensure_demo(ctx)
        sid, step = created.session.id, created.session.steps[0].id
        lifecycle.open_step(ctx, step)
        people = [participation.join_session(ctx, sid).participant_id for _ in range(n)]
        t0 = time.perf_counter()
        for pid in people:
            contributions.submit(ctx, step, pid, {"option": "yes"})
        per_vote = (time.perf_counter() - t0) / n * 1000
        print(
            f"contributions.submit: {per_vote:.2f} ms per vote ({n} votes, one transaction each; "
            f"SQLite WAL, synchronous=NORMAL)"
        )
        best = float("inf")
        for r in range(5):  # what the group commit does with a room's votes: one batch
            batch = [(step, pid, {"option": "no" if r % 2 else "yes"}) for pid in people]
            t0 = time.perf_counter()
            contributions.submit_many(ctx, batch)
            best = min(best, time.perf_counter() - t0)
        print(f"contributions.submit_many: {best * 1000:.1f} ms for {n} votes in one batch "
              f"({best / n * 1000:.3f} ms per vote; best of 5)")
        db = Path(tmp) / "koffer.sqlite3"
        con = sqlite3.connect(db)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        cols = [r[1] for r in con.execute("PRAGMA table_info(contributions)")]
        t0 = time.perf_counter()
        for pid in people:
            with con:
                con.execute(
                    "INSERT INTO contributions (step_id, round, participant_id, key, payload, created_at) "
                    "VALUES (?, 1, ?, 'vote', '\"no\"', '2026-01-01 00:00:00')",
                    (step, pid),
                )
        single = (time.perf_counter() - t0) / n * 1000
        t0 = time.perf_counter()
        with con:
            con.executemany(
                "INSERT INTO contributions (step_id, round, participant_id, key, payload, created_at) "
                "VALUES (?, 1, ?, 'vote', '\"no\"', '2026-01-01 00:00:00')",
                [(step, p) for p in people],
            )
        batched = (time.perf_counter() - t0) / n * 1000
        con.close()
        print(
            f"plain sqlite3, same row, one commit per vote: {single:.3f} ms per vote; "
            f"all {n} in one commit: {batched:.4f} ms per vote  (columns: {', '.join(cols)})"
        )
        ctx.db.dispose()


async def deflate(n: int) -> None:
    """What a browser's permessage-deflate offer costs the server: RSS per phone and CPU of a
    consensing step change, tabs offering it (as Chromium does) against tabs that do not."""
    from bench import tab as tabmod

    for bits in (0, 15):
        tabmod.COMPRESS = bits
        with h.running("app") as t:
            async with h.sessions(t) as http:
                await t.prepare(http)
                rss0 = await h.settled_rss(t.pid, 2.0)
                phones = await h.join_many(t, http, n)
                rss1 = await h.settled_rss(t.pid, 2.0)
                agreed = phones[0].tab.ws.compress if phones[0].tab.ws is not None else None
                futures = [p.tab.expect(t.next_api_needle) for p in phones]
                cpu0, t0 = h.cpu_seconds(t.pid), time.perf_counter()
                await t.api_next(http, small=False)
                done, _ = await asyncio.wait(futures, timeout=90)
                took = max(f.result() for f in done) - t0
                await asyncio.sleep(0.5)
                print(f"tabs offering deflate bits={bits} (agreed: {agreed}): RSS {(rss1 - rss0) / n:.0f} KiB per "
                      f"phone; consensing step to {n} phones {took * 1000:.0f} ms, server CPU "
                      f"{h.cpu_seconds(t.pid) - cpu0:.2f} s")
                await h.close_all([p.tab for p in phones])
    tabmod.COMPRESS = 0


SPY_STEPS = False
"""gcsteps: also record py-spy per step change (/tmp/spy-console|small|api.txt)."""


async def gcsteps(n: int, with_console: bool = True) -> None:
    """The ``nextstep`` benchmark's three step changes with the app's own GC settings, logging
    every collection: which change has a collection in its window, and what it costs."""
    log = GcLog()
    try:
        with h.running("app") as t:
            log.release_env()
            async with h.sessions(t) as http:
                await t.prepare(http)
                console = await t.console(http) if with_console else None
                phones = await h.join_many(t, http, n)
                await asyncio.sleep(h.settle(2.0))  # the waits of bench/harness.py nextstep
                print("after join: " + gc_summary(await log.read(t.pid), 0, time.time()))
                joined = time.time()
                for how in ("console", "small", "api") if console is not None else ("small", "api"):
                    needle = {"console": t.next_console_needle, "api": t.next_api_needle,
                              "small": t.next_small_needle}[how]
                    futures = [p.tab.expect(needle) for p in phones]
                    spy = None
                    if SPY_STEPS:
                        spy = Spy(t.pid, f"/tmp/spy-{how}.txt", rate=2000)
                        await asyncio.sleep(1.5)
                    cpu0, w0 = h.cpu_seconds(t.pid), time.time()
                    if how == "console" and console is not None:
                        t0 = await h.press_next(console, "keep")
                    else:
                        t0 = time.perf_counter()
                        await t.api_next(http, small=how == "small")
                    done, _ = await asyncio.wait(futures, timeout=90)
                    took = max(f.result() for f in done) - t0
                    cpu_reach = h.cpu_seconds(t.pid) - cpu0
                    await asyncio.sleep(0.5)
                    if spy is not None:
                        spy.stop()
                    print(f"{how}: all {n} phones in {took * 1000:.0f} ms, server CPU {cpu_reach:.2f} s until "
                          f"then, {h.cpu_seconds(t.pid) - cpu0:.2f} s with 0.5 s after; GC until reached: "
                          + gc_summary(await log.read(t.pid), w0, w0 + took) + "; GC in the 0.5 s after: "
                          + gc_summary(await log.read(t.pid), w0 + took + 0.05, time.time()))
                    await asyncio.sleep(3.0)  # nextstep: settled_rss (2 s), then 1 s
                later = [e for e in await log.read(t.pid) if e[0] >= joined and e[1] >= 1]
                print("collections of the older generations after the join (s after it, generation, ms):",
                      [(round(e[0] - joined, 2), e[1], round(e[2] * 1000)) for e in later])
                await h.close_all([p.tab for p in phones] + ([console] if console is not None else []))
    finally:
        log.release_env()
        log.cleanup()


async def hub_interval(sizes: list[int], interval: str) -> None:
    """What-if: the same bursts with a different hub coalescing interval (app code unchanged)."""
    log = GcLog(hub_interval=interval if interval != "default" else "")
    try:
        with h.running("app") as t:
            log.release_env()
            async with h.sessions(t) as http:
                await t.prepare(http)
                console = await t.console(http)
                phones: list[h.Phone] = []
                first = True
                for n in sizes:
                    phones += await h.join_many(t, http, n - len(phones))
                    await asyncio.sleep(1.5)
                    times = []
                    for _ in range(3):
                        if not first:
                            await t.new_round(http)
                            for p in phones:
                                p.vote_id = await t.vote_ready(p.tab, old=p.vote_id)
                            await asyncio.sleep(1.0)
                        first = False
                        res = await h.run_burst(t, http, console, phones[:n], via_api=False)
                        times.append(res["console_ms"])
                    print(
                        f"hub interval {interval}: burst {n} -> console "
                        + "/".join(f"{x:.0f}" for x in times)
                        + f" ms (median {h.statistics.median(times):.0f})",
                        flush=True,
                    )
                await h.close_all([p.tab for p in phones] + ([console] if console is not None else []))
    finally:
        log.release_env()
        log.cleanup()


async def fonts() -> None:
    """Which fonts a phone downloads: step still in draft (waiting view) vs open (vote buttons)."""
    from playwright.async_api import async_playwright

    for opened in (False, True):
        with h.running("app") as t:
            async with h.sessions(t) as http:
                if opened:
                    await t.prepare(http)
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(
                    executable_path="/usr/bin/chromium",
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                )
                try:
                    page = await browser.new_page()
                    got: list[tuple[str, int]] = []

                    async def on_response(r: object) -> None:
                        url = r.url  # type: ignore[attr-defined]
                        if ".woff" in url:
                            body = await r.body()  # type: ignore[attr-defined]
                            got.append((url.rsplit("/", 1)[-1], len(body)))

                    page.on("response", on_response)
                    await page.goto(t.base + t.phone_path, wait_until="networkidle")
                    await page.get_by_role("button", name="Ohne Namen weiter").click()
                    if opened:
                        await page.get_by_role("button", name="Ja").wait_for()
                    else:
                        await page.get_by_text("Gleich geht es los").wait_for()
                    await page.wait_for_load_state("networkidle")
                    await asyncio.sleep(1)
                    icons = await page.evaluate(
                        "document.querySelectorAll('.material-icons, .q-icon').length"
                    )
                    state = "open (vote buttons)" if opened else "draft (waiting view)"
                    print(f"step {state}: fonts {got}; icon elements on the page: {icons}")
                finally:
                    await browser.close()


def main() -> None:
    what = sys.argv[1] if len(sys.argv) > 1 else "burst"
    defaults = {
        "burst": 500,
        "nextstep": 100,
        "nextsmall": 200,
        "latency": 200,
        "views": 300,
        "weiter": 500,
        "gc": 200,
        "submit": 500,
        "gcsteps": 500,
        "deflate": 300,
        "pairs": 60,
        "pairsgc": 200,
        "pairsspread": 200,
    }
    n = min(int(sys.argv[2]) if len(sys.argv) > 2 and what != "hub" else defaults.get(what, 0), 500)
    global SPY_STEPS
    SPY_STEPS = "spy" in sys.argv[3:]
    if what == "submit":
        submit_cost(n)
        return
    if what == "fonts":
        asyncio.run(asyncio.wait_for(fonts(), 300))
        return
    if what == "hub":
        interval = sys.argv[2] if len(sys.argv) > 2 else "0.02"
        asyncio.run(asyncio.wait_for(hub_interval([80, 250], interval), 600))
        return
    scenarios = {
        "burst": burst,
        "pairs": lambda k: pairs(k, int(sys.argv[3]) if len(sys.argv) > 3 else 0),
        "pairsgc": pairs_gc,
        "pairsspread": pairs_spread,
        "nextstep": nextstep,
        "nextsmall": lambda k: nextstep(k, small=True),
        "latency": latency,
        "views": views,
        "weiter": lambda k: weiter(k, sys.argv[3] if len(sys.argv) > 3 else "keep"),
        "gc": lambda k: gcpause(k, sys.argv[3] if len(sys.argv) > 3 else "default"),
        "deflate": deflate,
        "gcsteps": lambda k: gcsteps(k, "noconsole" not in sys.argv[3:]),
    }
    asyncio.run(asyncio.wait_for(scenarios[what](n), 600))


if __name__ == "__main__":
    main()

"""Server memory per phone for a session from an agenda file, not the demo:
``.venv/bin/python bench/memory_agenda.py AGENDA.json [...] [--levels 100,250,500]``.

``bench/harness.py memory`` joins the demo session, whose agenda holds every method. A phone
page has one element for all methods (``PhoneHost``), so the agenda changes little of a phone's
memory since the night of 2026-11-30 (before, a page kept one element per method of the agenda, and the demo
was the worst case); this measures it for the agendas given. Per agenda: a fresh
server, the session created through the API (the organizer's login), its first step opened,
phones joined at each level, ``(RSS_N − RSS_0) / N`` once the RSS settled, and the marginal
figure between the first and the last level (the first level can come out low: the first joins
reuse heap the session's creation freed without giving it back). A method the app does
not have (the agenda's ``profiles`` steps) is left out, and said. Prints the figures; exits 1
when a level is above the harness's 200 KiB target.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import harness as h  # noqa: E402
from bench.tab import Tab  # noqa: E402
from methods.registry import names  # noqa: E402


def _open_component(tab: Tab) -> bool:
    """The phone shows the open first step in its method's component."""
    elements = tab.sync()
    found = elements.values() if isinstance(elements, dict) else elements
    return any((e.get("props") or {}).get("component") and (e.get("props") or {}).get("open") for e in found)


async def measure(doc: dict[str, Any], levels: list[int]) -> tuple[list[float], list[str]]:
    with h.running("app") as t:
        assert isinstance(t, h.AppTarget)
        async with h.sessions(t) as http:
            await h.open_session(t, http, doc)
            console = await t.console(http)
            rss0 = await h.settled_rss(t.pid)
            sem = asyncio.Semaphore(h.JOIN_CONCURRENCY)

            async def join() -> Tab:
                async with sem:
                    tab = Tab(http, t.base, t.phone_path, ws_http=t.ws_http)
                    await tab.load()
                    await tab.connect()
                    await tab.wait_for(_open_component, h.STEP_TIMEOUT)
                    return tab

            tabs: list[Tab] = []
            per_phone = []
            try:
                for level in levels:
                    tabs += await asyncio.gather(*(join() for _ in range(level - len(tabs))))
                    per_phone.append((await h.settled_rss(t.pid) - rss0) / level)
                # one host draws every method now: the components are the agenda's methods
                components = sorted({str(s["method"]) for s in doc.get("steps", [])} & set(names()))
            finally:
                await h.close_all([*tabs, console])
    return per_phone, components


async def main_async(paths: list[str], levels: list[int]) -> int:
    missed = 0
    limit = h.TARGETS["memory"][1]
    known = set(names())
    for path in paths:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        left_out = sorted({s["method"] for s in doc["steps"] if s["method"] not in known})
        doc["steps"] = [s for s in doc["steps"] if s["method"] in known]
        doc["names"] = "none"  # the phones join without the name form, as the harness's do
        doc["head_count"] = h.ROOM_HEAD_COUNT  # the room's size: admission lets them all in
        per_phone, components = await measure(doc, levels)
        figures = " / ".join(f"{kib:.0f}" for kib in per_phone)
        marginal = ((per_phone[-1] * levels[-1] - per_phone[0] * levels[0]) / (levels[-1] - levels[0])
                    if len(levels) > 1 else per_phone[0])
        print(f"{Path(path).name}: {figures} KiB per phone at {' / '.join(map(str, levels))} phones "
              f"(marginal {levels[0]}->{levels[-1]}: {marginal:.0f} KiB); "
              f"components on a phone: {', '.join(components)}"
              + (f" (left out, not an app method: {', '.join(left_out)})" if left_out else ""), flush=True)
        missed += sum(kib > limit for kib in per_phone) + (marginal > limit)
    return 1 if missed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("agendas", nargs="+")
    parser.add_argument("--levels", default="100,250,500")
    args = parser.parse_args()
    return asyncio.run(main_async(args.agendas, [int(x) for x in args.levels.split(",")]))


if __name__ == "__main__":
    sys.exit(main())

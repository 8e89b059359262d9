"""What a phone receives on the wire when the room moves on: a small patch of its component's
props, never the whole element again; and a reload shows the same as the patched page.

Driven like the load harness drives 500 phones (bench/tab.py: the page GET, then the socket.io
websocket nicegui.js opens), against the real server the README starts."""

from __future__ import annotations

import asyncio
import json
import time

import aiohttp
import httpx
import pytest

from bench.tab import Tab
from tests import serverproc

pytestmark = pytest.mark.server


def _auth(srv: serverproc.Server) -> dict[str, str]:
    return {"Authorization": f"Bearer {srv.console.split('key=', 1)[1]}"}


def _component(tab: Tab, method: str) -> dict[str, object]:
    """The page's host while it draws ``method``'s component (app/views/base.py: PhoneHost)."""
    return next(el for el in tab.sync().values() if (el.get("props") or {}).get("component") == method)


async def _phone(http: aiohttp.ClientSession, srv: serverproc.Server, cookie: str | None = None) -> Tab:
    tab = Tab(http, srv.base, f"/j/{srv.code}", cookie=cookie, reconnect=False)
    await tab.load()
    await tab.connect()
    skip = tab.find(label="Ohne Namen weiter", tag="q-btn")  # the demo asks for an optional name
    if skip is not None:
        await tab.click(skip)
    await tab.wait_for(lambda t: any((el.get("props") or {}).get("component") == "hand_vote"
                                     for el in t.sync().values()), 10)
    return tab


def test_a_step_change_sends_each_phone_a_small_patch_and_a_reload_agrees(tmp_path) -> None:
    srv = serverproc.start(tmp_path / "data")
    try:
        sid = int(srv.console.split("/s/", 1)[1].split("/", 1)[0])
        steps = httpx.get(f"{srv.base}/api/v1/sessions/{sid}", headers=_auth(srv)).json()["steps"]
        agenda = httpx.get(f"{srv.base}/api/v1/sessions/{sid}/agenda", headers=_auth(srv)).json()["steps"]
        position = next(i for i, s in enumerate(agenda) if s["method"] == "consensing")
        consensing, config = steps[position], agenda[position]["config"]
        question = config["question"]

        async def scenario() -> None:
            async with aiohttp.ClientSession() as http:
                phone = await _phone(http, srv)
                arrived = phone.expect(question)
                t0 = time.perf_counter()
                async with http.post(f"{srv.base}/api/v1/sessions/{sid}/steps/{consensing['id']}/open",
                                     headers=_auth(srv)) as r:
                    assert r.status == 200
                await asyncio.wait_for(arrived, 10)
                await asyncio.sleep(0.5)  # anything else that belongs to this step change
                frames = [data for ts, data in phone.received if ts >= t0]
                # one message: a patch of the page's host that names the consensing component and
                # carries its view and, the first time the phone meets the method, its texts
                # (~450 bytes); no element sent again with its tag and listeners (a full update
                # was 2,274 bytes)
                assert len(frames) == 1 and frames[0].startswith(b'42["run_javascript"'), frames
                assert b'"events"' not in b"".join(frames)
                assert sum(len(f) for f in frames) < 1700
                # the phone shows the question (the patch applied as nicegui.js applies it)
                view = json.loads(str(_component(phone, "consensing")["props"]["view"]))  # type: ignore[index]
                assert view["question"] == question and len(view["options"]) == len(config["proposals"]) + 1
                # the step-independent texts come once per method, not with each step's view
                assert "texts" not in view
                texts = _component(phone, "consensing")["props"]["texts"]  # type: ignore[index]
                texts = json.loads(texts) if isinstance(texts, str) else texts  # an object in a patch
                assert texts["value_abstain"] == "Enthaltung"

                # a reload (same device cookie) builds the page from the server's props: the same view
                again = Tab(http, srv.base, f"/j/{srv.code}", cookie=phone.cookie, reconnect=False)
                await again.load()
                reloaded = _component(again, "consensing")["props"]
                assert json.loads(str(reloaded["view"])) == view  # type: ignore[index]
                assert reloaded["open"] is True  # type: ignore[index]
                await phone.close()

        asyncio.run(scenario())
    finally:
        srv.stop()


def test_the_socket_declines_compression_a_browser_offers(tmp_path) -> None:
    """Chromium offers permessage-deflate on every socket; accepted, it costs the server a zlib
    state per phone (+169 KiB) and a compression per message (bench/diagnose.py deflate)."""
    from bench import tab as tabmod

    srv = serverproc.start(tmp_path / "data")

    async def scenario() -> None:
        async with aiohttp.ClientSession() as http:
            tabmod.COMPRESS = 15  # offer it, as a browser does
            try:
                phone = await _phone(http, srv)
            finally:
                tabmod.COMPRESS = 0
            assert phone.ws is not None and phone.ws.compress == 0  # the server said no
            await phone.close()

    try:
        asyncio.run(scenario())
    finally:
        srv.stop()


def test_sigusr1_logs_the_work_counters_and_a_phones_vote_moves_them() -> None:
    """The pairs benchmark reads a burst's group commits and deliveries from the server's log
    (no client sees a delivery that changes nothing): one vote from a phone is one more group
    commit and at least one more delivery."""
    from bench import harness

    async def scenario() -> None:
        with harness.running("app") as target:
            async with harness.sessions(target) as http:
                await target.prepare(http)
                phone = await target.join_phone(http)
                before = await harness.server_counters(target)
                _ms, stored = await harness._vote(phone, "yes")
                await asyncio.sleep(0.3)  # the delivery follows the commit
                after = await harness.server_counters(target)
                await phone.tab.close()
        assert stored and after[0] == before[0] + 1 and after[1] >= before[1] + 1
        # the collector's counts are in the line (the server started with a full collection) and
        # the event loop waited for the vote at least once
        assert len(after) == 11 and sum(after[2:5]) >= 1 and after[8] > before[8]
        # the phones spoke to websockets' Sans-IO protocol, not NiceGUI's wsproto (app/websocket.py)
        assert any("websockets websockets-sansio" in line for line in target.output)

    asyncio.run(scenario())

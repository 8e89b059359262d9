"""kill -9 in the middle of a vote stream: every acknowledged vote survives, none counts twice."""

from __future__ import annotations

import threading
import time
from collections import Counter

import httpx
import pytest

from tests import serverproc

pytestmark = pytest.mark.server

OPTIONS = ["yes", "no", "abstain"]


def moderator_key(srv: serverproc.Server) -> str:
    return srv.console.split("key=", 1)[1]


def session_and_step(srv: serverproc.Server) -> tuple[int, int]:
    sid = int(srv.console.split("/s/", 1)[1].split("/", 1)[0])
    info = httpx.get(f"{srv.base}/api/v1/sessions/{sid}",
                     headers={"Authorization": f"Bearer {moderator_key(srv)}"}).json()
    return sid, info["steps"][0]["id"]


def test_acknowledged_votes_survive_kill_9(tmp_path) -> None:
    data = tmp_path / "data"
    srv = serverproc.start(data)
    try:
        sid, step = session_and_step(srv)
        auth = {"Authorization": f"Bearer {moderator_key(srv)}"}
        assert httpx.post(f"{srv.base}/api/v1/sessions/{sid}/steps/{step}/open", headers=auth).status_code == 200
        tokens = []
        for _ in range(8):
            r = httpx.post(f"{srv.base}/api/v1/join", json={"code": srv.code})
            tokens.append((r.json()["participant_id"], r.json()["participant_token"]))

        acked: Counter[int] = Counter()
        attempted: Counter[int] = Counter()
        stop = threading.Event()

        def phone(pid: int, token: str) -> None:
            i = 0
            with httpx.Client(timeout=2) as client:
                while not stop.is_set() and i < 2000:
                    attempted[pid] += 1
                    try:
                        r = client.post(f"{srv.base}/api/v1/steps/{step}/contributions",
                                        json={"option": OPTIONS[i % 3]},
                                        headers={"Authorization": f"Bearer {token}"})
                    except httpx.HTTPError:
                        return  # the server died mid-request: not acknowledged
                    if r.status_code == 201:
                        acked[pid] += 1
                    i += 1

        threads = [threading.Thread(target=phone, args=t) for t in tokens]
        for th in threads:
            th.start()
        time.sleep(1.5)
        srv.stop(kill=True)  # SIGKILL: no shutdown hooks, no flush
        stop.set()
        for th in threads:
            th.join(timeout=10)
        assert sum(acked.values()) > 20, "the stream was too short to prove anything"
    finally:
        srv.stop(kill=True)

    srv2 = serverproc.start(data)
    try:
        sid2, step2 = session_and_step(srv2)
        assert (sid2, step2) == (sid, step)
        auth = {"Authorization": f"Bearer {moderator_key(srv2)}"}
        info = httpx.get(f"{srv2.base}/api/v1/sessions/{sid}", headers=auth).json()
        assert info["steps"][0]["state"] == "open", "the open step is still open after the crash"
        rows = httpx.get(f"{srv2.base}/api/v1/sessions/{sid}/export.json", headers=auth).json()["contributions"]
        stored = Counter(r["participant"] for r in rows)
        for pid, n in acked.items():
            # every acknowledged vote is there; at most the one in flight at the kill is extra
            assert n <= stored[pid] <= n + 1, (pid, n, stored[pid])
        # the session continues: a phone votes again with its old token
        pid, token = tokens[0]
        r = httpx.post(f"{srv2.base}/api/v1/steps/{step}/contributions", json={"option": "no"},
                       headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 201
    finally:
        srv2.stop()
    # no tokens or keys in what the server logged (the start banner prints the links on purpose)
    for server in (srv, srv2):
        after_banner = "".join(server.output).split("ready to go", 1)[-1]
        for _pid, token in tokens:
            assert token not in after_banner
        assert moderator_key(server) not in after_banner


def test_retry_of_the_same_vote_counts_once(tmp_path) -> None:
    srv = serverproc.start(tmp_path / "data")
    try:
        sid, step = session_and_step(srv)
        auth = {"Authorization": f"Bearer {moderator_key(srv)}"}
        httpx.post(f"{srv.base}/api/v1/sessions/{sid}/steps/{step}/open", headers=auth)
        token = httpx.post(f"{srv.base}/api/v1/join", json={"code": srv.code}).json()["participant_token"]
        for _ in range(3):  # a phone retrying after a dropped connection
            r = httpx.post(f"{srv.base}/api/v1/steps/{step}/contributions", json={"option": "yes"},
                           headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 201
        result = httpx.get(f"{srv.base}/api/v1/sessions/{sid}/results", headers=auth).json()
        vote = result["steps"][0]["rounds"][-1]["result"]
        assert vote["voters"] == 1
        assert [o["count"] for o in vote["options"]] == [1, 0, 0]
    finally:
        srv.stop()


def test_a_timer_that_runs_out_while_the_server_is_down_closes_its_step_at_start(tmp_path) -> None:
    """"Schritt bei Ablauf schließen", and the server dies before zero: the close is not lost."""
    data = tmp_path / "data"
    srv = serverproc.start(data)
    try:
        sid, step = session_and_step(srv)
        auth = {"Authorization": f"Bearer {moderator_key(srv)}"}
        assert httpx.post(f"{srv.base}/api/v1/sessions/{sid}/steps/{step}/open", headers=auth).status_code == 200
        token = httpx.post(f"{srv.base}/api/v1/join", json={"code": srv.code}).json()["participant_token"]
        r = httpx.post(f"{srv.base}/api/v1/steps/{step}/contributions", json={"option": "no"},
                       headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 201
        r = httpx.post(f"{srv.base}/api/v1/sessions/{sid}/timer", json={"seconds": 2, "close_step": True},
                       headers=auth)
        assert r.status_code == 200, r.text
        srv.stop(kill=True)  # before zero; nothing in memory survives
    finally:
        srv.stop(kill=True)
    time.sleep(2.5)

    srv2 = serverproc.start(data)
    try:
        auth = {"Authorization": f"Bearer {moderator_key(srv2)}"}
        info = httpx.get(f"{srv2.base}/api/v1/sessions/{sid}", headers=auth).json()
        assert info["steps"][0]["state"] == "closed"
        assert info["timer"]["close_step"] is False  # done; it still says "Zeit ist um"
        result = httpx.get(f"{srv2.base}/api/v1/sessions/{sid}/results", headers=auth).json()
        assert [o["count"] for o in result["steps"][0]["rounds"][0]["result"]["options"]] == [0, 1, 0]
    finally:
        srv2.stop()


def test_links_printed_for_a_server_bound_to_localhost_open(tmp_path) -> None:
    """``--host 127.0.0.1`` without ``--public-url``: the printed links must not name a LAN address
    the server does not listen on."""
    srv = serverproc.start(tmp_path / "data", public_url=False)
    try:
        for link in (srv.console, srv.projector, srv.join_url):
            assert link.startswith(f"http://127.0.0.1:{srv.port}/"), link
            # a keyed link first moves its key into a cookie (303 to the clean address), then opens
            page = httpx.get(link, timeout=5, follow_redirects=True)
            assert page.status_code == 200 and "Der Zugangsschlüssel fehlt" not in page.text
    finally:
        srv.stop()

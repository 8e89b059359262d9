"""Issue 14 against the real server (``koffer demo`` in a subprocess, as the README starts it):
what it logs, what decompression bombs cost it, and what deleting a session leaves on disk."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PIL import Image

from facilitation import photos
from tests import serverproc
from tests.bombs import png_bomb

pytestmark = pytest.mark.server

PASSWORD = "organizer-secret"  # noqa: S105 - the test server's, set by serverproc


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[serverproc.Server]:
    server = serverproc.start(tmp_path_factory.mktemp("trust") / "data")
    yield server
    server.stop()


def moderator_key(srv: serverproc.Server) -> str:
    return srv.console.split("key=", 1)[1]


def session_id(srv: serverproc.Server) -> int:
    return int(srv.console.split("/s/", 1)[1].split("/", 1)[0])


def organizer(srv: serverproc.Server) -> dict[str, str]:
    token = httpx.post(f"{srv.base}/api/v1/login", json={"password": PASSWORD}).json()["token"]
    return {"Authorization": f"Bearer {token}"}


def logged(srv: serverproc.Server) -> str:
    """What the server wrote after its start banner (which prints the demo links on purpose)."""
    time.sleep(0.5)  # the output is drained by a thread
    return "".join(srv.output).split("ready to go", 1)[-1]


def test_no_key_in_any_log_line(srv: serverproc.Server) -> None:
    key = moderator_key(srv)
    sid = session_id(srv)
    card = "Kq3Zx9SecretCardTokenAbc"
    with httpx.Client(base_url=srv.base, follow_redirects=False) as client:
        first = client.get(f"/s/{sid}/console?key={key}")
        assert first.status_code == 303 and first.headers["location"] == f"/s/{sid}/console"
        assert client.get(f"/s/{sid}/console").status_code == 200  # by the cookie
        # the typo that made NiceGUI log the key: a 404 with the key in the address
        assert client.get(f"/s/{sid}/consloe?key={key}").status_code == 404
        assert client.get(f"/nicht/da?token={key}&key={key}").status_code == 404
        assert client.get(f"/k/{card}/x").status_code == 404
        assert client.get(f"/k/{card}").status_code == 200  # an unknown card: said on the page
    output = logged(srv)
    assert "not found" in output  # NiceGUI did log the 404s ...
    assert key not in output and card not in output  # ... without the secrets
    assert "key=***" in output and "/k/***" in output


def test_malformed_json_is_a_short_422_without_a_log(srv: serverproc.Server) -> None:
    """Nesting deeper than the parser goes and a lone surrogate: 422 for anyone, no traceback logged
    (4,000 levels as in the issue are over these routes' 4 KB cap, so 2,040 within it)."""
    before = len(logged(srv))
    deep = "[" * 2040 + "]" * 2040
    for body in (deep, '{"code": "\\ud800"}', '{"password": "\\udfff"}'):
        for path in ("/api/v1/join", "/api/v1/login"):
            response = httpx.post(f"{srv.base}{path}", content=body, headers={"Content-Type": "application/json"})
            assert response.status_code == 422, (path, body[:20], response.text[:200])
            assert response.json()["error"] == "malformed_json"
    assert len(logged(srv)) - before < 200


def _peak_rss_mb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    raise AssertionError("no VmHWM")


def test_four_decompression_bombs_in_parallel_leave_the_servers_memory_alone(srv: serverproc.Server) -> None:
    """The issue measured +610 MB for one and 4.1 GB for four in parallel; now each is refused from
    its header (413) and the server's peak memory stays where it was."""
    bomb = png_bomb()
    sid = session_id(srv)
    auth = {"Authorization": f"Bearer {moderator_key(srv)}"}
    before = _peak_rss_mb(srv.proc.pid)
    answers: list[httpx.Response] = []

    def upload() -> None:
        answers.append(httpx.post(f"{srv.base}/api/v1/sessions/{sid}/photos?filename=bombe.png", content=bomb,
                                  headers=auth, timeout=60))

    threads = [threading.Thread(target=upload) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [(a.status_code, a.json()["error"]) for a in answers] == [(413, "photo_too_many_pixels")] * 4
    grown = _peak_rss_mb(srv.proc.pid) - before
    assert grown < 60, f"peak memory grew by {grown} MB"


def _photo() -> tuple[bytes, bytes]:
    """A noisy photo and a piece of the bytes the server stores for it (it re-encodes the same way)."""
    img = Image.effect_noise((160, 120), 80).convert("RGB")
    out = io.BytesIO()
    img.save(out, format="PNG")
    stored, _mime, _w, _h = photos.clean_image(out.getvalue())
    return out.getvalue(), stored[200:264]


def _files(data: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(data.iterdir()) if p.name.startswith("koffer.sqlite3")}


def test_deleting_a_session_leaves_no_trace_in_the_database_files(srv: serverproc.Server) -> None:
    """Right after the delete (server still running): the participant's name, their input and the
    photo are in no database file, the write-ahead log included."""
    office = organizer(srv)
    name, idea = "Zacharias Quellwasser-Probe", "Geheimer Vorschlag Xylophon-Kooperative"
    doc = {"title": "Vertraulich 2018", "names": "optional", "steps": [
        {"method": "hand_vote", "title": "Wahl", "config": {"question": idea, "options": ["Ja", idea]}}]}
    created = httpx.post(f"{srv.base}/api/v1/sessions", json=doc, headers=office).json()
    sid, step = created["id"], created["steps"][0]["id"]
    moderator = {"Authorization": f"Bearer {created['moderator_key']}"}
    httpx.post(f"{srv.base}/api/v1/sessions/{sid}/steps/{step}/open", headers=moderator)
    joined = httpx.post(f"{srv.base}/api/v1/join", json={"code": created["join_code"], "name": name}).json()
    phone = {"Authorization": f"Bearer {joined['participant_token']}"}
    task = httpx.get(f"{srv.base}/api/v1/sessions/{sid}/current", headers=phone).json()["step"]["task"]
    option = next(o["id"] for o in task["config"]["options"] if o["label"] == idea)
    vote = httpx.post(f"{srv.base}/api/v1/steps/{step}/contributions", json={"option": option}, headers=phone)
    assert vote.status_code == 201, vote.text
    raw, piece = _photo()
    assert httpx.post(f"{srv.base}/api/v1/sessions/{sid}/photos?filename=tisch.png", content=raw,
                      headers=moderator).status_code == 201
    marks = (name.encode(), idea.encode(), piece)
    before = b"".join(_files(srv.data_dir).values())
    assert all(mark in before for mark in marks)  # the test data is really on disk

    assert httpx.delete(f"{srv.base}/api/v1/sessions/{sid}", headers=office).status_code == 204
    files = _files(srv.data_dir)
    assert "koffer.sqlite3" in files and "koffer.sqlite3-wal" in files
    for file, content in files.items():
        for mark in marks:
            assert mark not in content, f"{mark[:30]!r} still in {file}"
    assert files["koffer.sqlite3-wal"] == b""  # checkpointed and truncated
    for path in srv.data_dir.iterdir():  # and the files are the server's user's alone (umask 077)
        assert path.stat().st_mode & 0o077 == 0, (path.name, oct(path.stat().st_mode))
    # the rest of the archive is untouched
    demo = httpx.get(f"{srv.base}/api/v1/sessions/{session_id(srv)}", headers=office)
    assert demo.status_code == 200


def _socketio_handshake(srv: serverproc.Server, origin: str | None) -> httpx.Response:
    headers = {"Origin": origin} if origin else {}
    return httpx.get(f"{srv.base}/_nicegui_ws/socket.io/", params={"EIO": "4", "transport": "polling"},
                     headers=headers, timeout=10)


def test_live_connection_only_from_the_pages_own_origin(srv: serverproc.Server) -> None:
    """A page on another site must not open the app's socket.io with the visitor's cookies
    (NiceGUI's default reflects any Origin, with credentials)."""
    refused = _socketio_handshake(srv, "http://evil.example")
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
    own = _socketio_handshake(srv, srv.base)
    assert own.status_code == 200 and own.text.startswith("0{")  # an engine.io open packet
    assert own.headers["access-control-allow-origin"] == srv.base
    assert _socketio_handshake(srv, None).status_code == 200  # no Origin: no browser page, no cross-site request


async def test_websocket_from_another_origin_is_refused(srv: serverproc.Server) -> None:
    from websockets.asyncio.client import connect
    from websockets.exceptions import InvalidStatus
    from websockets.typing import Origin

    url = srv.base.replace("http://", "ws://") + "/_nicegui_ws/socket.io/?EIO=4&transport=websocket"
    with pytest.raises(InvalidStatus):
        async with connect(url, origin=Origin("http://evil.example")):
            pass
    async with connect(url, origin=Origin(srv.base)) as ws:
        assert str(await ws.recv()).startswith("0{")


def test_content_security_policy_limits_connections_to_this_host(srv: serverproc.Server) -> None:
    policy = httpx.get(f"{srv.base}/").headers["content-security-policy"]
    host = srv.base.removeprefix("http://")
    assert f"connect-src 'self' ws://{host} wss://{host}" in policy
    assert "ws: " not in policy and not policy.rstrip().endswith(("ws:", "wss:"))


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_requests_to_unknown_addresses_leave_nothing_behind(srv: serverproc.Server) -> None:
    """5,000 requests without a cookie to addresses that do not exist (a scanner on the Wi-Fi):
    NiceGUI rendered each 404 as a page and kept it for a minute — 1,000 of them grew the server
    by 70 MB (measured: 117 → 471 MB after 5,000). Now the memory stays flat."""
    with httpx.Client(base_url=srv.base, timeout=10) as client:
        for i in range(500):  # warm up: first allocations, caches
            client.cookies.clear()
            client.get(f"/gibt/es/nicht/{i}")
        before = _rss_mb(srv.proc.pid)
        for i in range(5000):
            client.cookies.clear()
            response = client.get(f"/gibt/es/nicht/{i}")
        assert response.status_code == 404 and "Seite nicht gefunden" in response.text
        assert client.get("/api/v1/sessions/999999").headers["content-type"].startswith("application/json")
    grown = _rss_mb(srv.proc.pid) - before
    assert grown < 20, f"grew by {grown:.0f} MB"

"""A NiceGUI browser tab without a browser: what ``nicegui.js`` does, on a raw websocket.

One :class:`Tab` is one phone (or console) tab:

1. ``GET`` the page (cookies kept per tab, like a browser's cookie jar for one device);
   the HTML carries the client id, the next message id and the initial element tree
   (``parseElements(String.raw`...`)``, HTML-escaped the way ``client.build_response`` does it).
2. Open the socket.io websocket at ``/_nicegui_ws/socket.io/`` with the query the page script
   builds (``client_id``, ``next_message_id``, ``implicit_handshake=true``, ``document_id``,
   ``tab_id``, ``old_tab_id``) plus ``EIO=4&transport=websocket``; send the namespace connect
   ``40`` and wait for the server's ``40{...}`` (the implicit handshake runs before it).
3. Answer engine.io pings (``2`` → ``3``), send ``ack`` every 3 s like ``nicegui.js``; when the
   server drops the socket, reconnect like socket.io-client (1 s base delay doubling to 5 s, ±50 %
   jitter) with the same client/tab/document ids and the current ``next_message_id``, so the
   server replays what was missed (``Outbox.try_rewind``).
4. Apply ``update`` messages to the local element tree (replace/delete by id, as the Vue app does)
   and emit ``event`` messages for clicks: ``{"id", "client_id", "listener_id", "args": []}``.

Incoming messages are kept raw with their arrival time; they are parsed only when a benchmark
needs the element tree, so one process can drive hundreds of tabs without its own JSON work
delaying the timestamps. ``expect(text)`` arms a future that resolves with the arrival time of the
first later message containing ``text`` (the JSON is UTF-8, not ``\\u``-escaped).
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp

ELEMENTS_RE = re.compile(r"parseElements\(String\.raw`(.*?)`\)", re.S)
QUERY_RE = re.compile(r"query:\s*(\{.*?\}),\s*\n", re.S)
MSG_ID_RE = re.compile(rb'"_id":(\d+)\}\]$')
# a phone view's patch of its own props (app/views/base.py: PhoneView._flush), as nicegui.js evals it
PATCH_RE = re.compile(r"^var e=mounted_app\.elements\[(\d+)\];if\(e\)Object\.assign\(e\.props,(\{.*\})\)$", re.S)
ACK_INTERVAL = 3.0  # nicegui.js: setInterval(() => ack(), 3000)


def _unescape_elements(raw: str) -> dict[str, Any]:
    # inverse of client.HTML_ESCAPE_TABLE, in the order nicegui.js' parseElements() applies it
    for a, b in (("&#36;", "$"), ("&#96;", "`"), ("&gt;", ">"), ("&lt;", "<"), ("&amp;", "&")):
        raw = raw.replace(a, b)
    return json.loads(raw)


def _py_dict(text: str) -> dict[str, Any]:
    """The query object is rendered with Python's repr (True/None); make it JSON."""
    text = text.replace("'", '"').replace("True", "true").replace("False", "false").replace("None", "null")
    return json.loads(text)


COMPRESS = 0
"""permessage-deflate window bits the tab offers (0: none). A browser offers it; the server's
answer decides (``bench/diagnose.py deflate`` compares)."""

class TabError(RuntimeError):
    pass


@dataclass
class Expectation:
    needle: bytes
    future: asyncio.Future[float]


@dataclass
class Tab:
    http: aiohttp.ClientSession
    base: str
    path: str
    # Browsers open websockets on their own connection; reusing the page GET's keep-alive
    # connection for the upgrade lets uvicorn's keep-alive timer (5 s) close the socket.
    ws_http: aiohttp.ClientSession | None = None
    cookie: str | None = None
    client_id: str = ""
    next_message_id: int = 0
    elements: dict[str, Any] = field(default_factory=dict)
    html_bytes: int = 0
    ws: aiohttp.ClientWebSocketResponse | None = None
    received: list[tuple[float, bytes]] = field(default_factory=list)
    received_bytes: int = 0
    applied: int = 0  # how many of ``received`` are merged into ``elements``
    expectations: list[Expectation] = field(default_factory=list)
    closed: bool = False
    tab_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    document_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    reconnect: bool = True
    reconnects: int = 0
    disconnects: int = 0
    _closing: bool = False
    _reconnector: asyncio.Task[None] | None = None
    _reader: asyncio.Task[None] | None = None
    _acker: asyncio.Task[None] | None = None
    _acked: int = -1
    seq: int = 0  # numbers the phone component's submits, as the browser code does

    # --- HTTP --------------------------------------------------------------------------------
    async def load(self, timeout: float = 30.0) -> None:
        # redirects are followed here, as a browser does, keeping every cookie they set: a keyed
        # console link answers 303 with the key in a cookie and the address without it
        jar: dict[str, str] = dict(part.split("=", 1) for part in (self.cookie or "").split("; ") if "=" in part)
        for _hop in range(5):
            headers = {"Accept": "text/html", "Accept-Encoding": "gzip, deflate"}
            if jar:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
            async with self.http.get(
                self.base + self.path, headers=headers, allow_redirects=False,
                timeout=aiohttp.ClientTimeout(total=timeout)
            ) as r:
                body = await r.read()
                for value in r.headers.getall("Set-Cookie", []):
                    name, _, val = value.split(";", 1)[0].partition("=")
                    jar[name.strip()] = val
                self.cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
                if r.status in (301, 302, 303, 307, 308) and r.headers.get("Location"):
                    self.path = r.headers["Location"].replace(self.base, "")
                    continue
                if r.status != 200:
                    raise TabError(f"GET {self.path}: HTTP {r.status}")
                self.html_bytes = int(r.headers.get("Content-Length") or len(body))
                break
        else:
            raise TabError(f"GET {self.path}: too many redirects")
        text = body.decode()
        m_el, m_q = ELEMENTS_RE.search(text), QUERY_RE.search(text)
        if not m_el or not m_q:
            raise TabError("page without NiceGUI app script")
        self.elements = _unescape_elements(m_el.group(1))
        query = _py_dict(m_q.group(1))
        self.client_id = query["client_id"]
        self.next_message_id = int(query["next_message_id"])
        self.received.clear()
        self.applied = 0

    # --- socket ------------------------------------------------------------------------------
    async def connect(self, timeout: float = 30.0) -> None:
        await self._open(timeout)
        self._acker = asyncio.create_task(self._ack_loop())

    async def _open(self, timeout: float) -> None:
        query = {
            "client_id": self.client_id,
            "next_message_id": self.next_message_id,
            "implicit_handshake": "true",
            "document_id": self.document_id,
            "tab_id": self.tab_id,
            "old_tab_id": "null",  # what socket.io's query encoding makes of OLD_TAB_ID = null
            "EIO": "4",
            "transport": "websocket",
        }
        url = self.base.replace("http", "ws", 1) + "/_nicegui_ws/socket.io/?" + urlencode(query)
        headers = {"Origin": self.base}
        if self.cookie:
            headers["Cookie"] = self.cookie
        self.ws = await (self.ws_http or self.http).ws_connect(
            url,
            headers=headers,
            autoping=True,
            max_msg_size=0,
            timeout=aiohttp.ClientWSTimeout(ws_close=5),
            compress=COMPRESS,
        )
        opened = await asyncio.wait_for(self.ws.receive_str(), timeout)
        if not opened.startswith("0"):
            raise TabError(f"engine.io open expected, got {opened[:80]!r}")
        await self.ws.send_str("40")
        while True:
            msg = await asyncio.wait_for(self.ws.receive_str(), timeout)
            if msg == "2":
                await self.ws.send_str("3")
            elif msg.startswith("40"):
                break
            elif msg.startswith("44"):
                raise TabError(f"socket.io connect refused: {msg[:200]}")
            else:
                self._store(msg.encode())
        self._reader = asyncio.create_task(self._read())

    def _store(self, data: bytes) -> None:
        now = time.perf_counter()
        self.received_bytes += len(data)
        if not data.startswith(b"42"):
            return
        self.received.append((now, data))
        m = MSG_ID_RE.search(data[-40:])
        if m:
            self.next_message_id = int(m.group(1)) + 1
        if self.expectations:
            keep = []
            for e in self.expectations:
                if e.future.done():
                    continue
                if e.needle in data:
                    e.future.set_result(now)
                else:
                    keep.append(e)
            self.expectations = keep

    async def _read(self) -> None:
        assert self.ws is not None
        try:
            async for msg in self.ws:
                if msg.type == aiohttp.WSMsgType.TEXT:
                    if msg.data == "2":
                        await self.ws.send_str("3")
                    else:
                        self._store(msg.data.encode())
                elif msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                    break
        except (aiohttp.ClientError, ConnectionError):
            pass
        finally:
            if self._closing or not self.reconnect:
                self._give_up()
            else:
                self.disconnects += 1
                self._reconnector = asyncio.create_task(self._reconnect())

    def _give_up(self) -> None:
        self.closed = True
        for e in self.expectations:
            if not e.future.done():
                e.future.set_exception(TabError("socket closed"))

    async def _reconnect(self) -> None:
        delay = 1.0
        for _ in range(12):
            await asyncio.sleep(delay * random.uniform(0.5, 1.5))
            delay = min(delay * 2, 5.0)
            if self._closing:
                break
            try:
                await self._open(timeout=20)
            except (TabError, aiohttp.ClientError, ConnectionError, TimeoutError):
                continue
            self.reconnects += 1
            return
        self._give_up()

    @property
    def connected(self) -> bool:
        return self.ws is not None and not self.ws.closed and not self.closed

    async def _ack_loop(self) -> None:
        while not self.closed:
            await asyncio.sleep(ACK_INTERVAL)
            if self._acked < self.next_message_id and self.connected:
                try:
                    await self.emit(
                        "ack", {"client_id": self.client_id, "next_message_id": self.next_message_id}
                    )
                except (TabError, aiohttp.ClientError, ConnectionError):
                    continue
                self._acked = self.next_message_id

    async def emit(self, event: str, data: dict[str, Any]) -> None:
        if not self.connected:
            raise TabError("not connected")
        assert self.ws is not None
        await self.ws.send_str("42" + json.dumps([event, data], separators=(",", ":")))

    async def close(self) -> None:
        self._closing = True
        for task in (self._acker, self._reader, self._reconnector):
            if task is not None:
                task.cancel()
        if self.ws is not None and not self.ws.closed:
            try:
                await asyncio.wait_for(self.ws.close(), 2)
            except (TimeoutError, aiohttp.ClientError, ConnectionError):
                pass
        self.closed = True

    # --- element tree ------------------------------------------------------------------------
    def sync(self) -> dict[str, Any]:
        """Merge the updates received so far into the element tree (the Vue app's update handler)."""
        while self.applied < len(self.received):
            data = self.received[self.applied][1]
            self.applied += 1
            event, payload = json.loads(data[2:])[:2]
            if event == "run_javascript":
                self._patch(str(payload.get("code", "")))
                continue
            if event != "update":
                continue
            payload.pop("_id", None)
            for eid, element in payload.items():
                if element is None:
                    self.elements.pop(eid, None)
                else:
                    self.elements[eid] = element
        return self.elements

    def _patch(self, code: str) -> None:
        """A props patch changes the element in place; view and result arrive as JSON values and
        are kept as the JSON text a full update carries, so readers see one shape."""
        for line in code.split("\n"):  # one patch per line (several views of one phone)
            m = PATCH_RE.match(line)
            if m is None or m.group(1) not in self.elements:
                continue
            changes = json.loads(m.group(2))
            for key in ("view", "result"):
                if key in changes and not isinstance(changes[key], str):
                    changes[key] = json.dumps(changes[key], ensure_ascii=False, separators=(",", ":"))
            self.elements[m.group(1)].setdefault("props", {}).update(changes)

    def find(
        self, *, label: str | None = None, text: str | None = None, tag: str | None = None
    ) -> str | None:
        for eid, el in self.sync().items():
            if tag is not None and el.get("tag") != tag:
                continue
            if label is not None and el.get("props", {}).get("label") != label:
                continue
            if text is not None and el.get("text") != text:
                continue
            return eid
        return None

    def texts(self) -> list[str]:
        return [el["text"] for el in self.sync().values() if isinstance(el.get("text"), str)]

    async def until_connected(self, timeout: float = 30.0) -> None:
        """A person taps once the page is back: wait (bounded) while the tab reconnects."""
        deadline = time.perf_counter() + timeout
        while not self.connected:
            if self.closed or time.perf_counter() > deadline:
                raise TabError("not connected")
            await asyncio.sleep(0.05)

    async def click(self, element_id: str, payload: dict[str, Any] | None = None) -> float:
        """Emit what the browser emits when this control is pressed; returns the send time.

        A button sends its ``click``. The app's phone components (app/views/*.js) send one
        ``submit`` event ``{seq, payload}`` instead; ``element_id`` may then carry ``@round``
        (see ``AppTarget.vote_ready``), and the payload defaults to the vote for "yes".
        """
        if not self.connected:
            await self.until_connected()
        eid = element_id.split("@", 1)[0]
        el = self.elements[eid]
        listener = next((e for e in el.get("events", []) if e["type"] in ("click", "submit")), None)
        if listener is None:
            raise TabError(f"element {eid} has no click or submit listener")
        args: list[str] = []
        if listener["type"] == "submit":
            self.seq += 1
            raw = el.get("props", {}).get("view")
            view = json.loads(raw) if isinstance(raw, str) else {}
            args = [json.dumps({"seq": self.seq, "step": view.get("step"), "round": view.get("round"),
                                "payload": payload or {"option": "yes"}})]
        t = time.perf_counter()
        await self.emit(
            "event",
            {
                "id": int(eid),
                "client_id": self.client_id,
                "listener_id": listener["listener_id"],
                "args": args,
            },
        )
        return t

    def expect(self, needle: str) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.expectations.append(Expectation(needle.encode(), future))
        return future

    async def wait_for(self, predicate: Any, timeout: float) -> Any:
        """Poll the element tree until ``predicate(tab)`` is truthy (for set-up, not for timing)."""
        deadline = time.perf_counter() + timeout
        while True:
            result = predicate(self)
            if result:
                return result
            if self.closed:
                raise TabError("socket closed while waiting")
            if time.perf_counter() > deadline:
                raise TabError(f"timeout waiting on {self.path}; texts: {self.texts()[:12]}")
            await asyncio.sleep(0.02)

"""Drive a method's phone component from the User fixture the way its browser code does.

The component's buttons live in the browser; what reaches the server is one ``submit`` event
``{seq, payload}`` and what comes back is the props (``view``, ``mine``, ``live``) plus the
``ack(seq, ok, mine)`` call. Those are what these helpers send and read, so the tests observe
exactly what a phone would receive. What the browser draws from them is checked in tests/e2e.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from typing import Any

from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction

from app.views.base import PhoneHost, PhoneView

ACK = re.compile(r'^return runMethod\((\d+), "ack", (.*)\)$', re.S)


class Phone:
    def __init__(self, user: User) -> None:
        self.user = user
        self.seq = 0
        self.acks: dict[int, tuple[bool, Any]] = {}

        client = user.client
        assert client is not None
        forward = client.outbox._emit  # noqa: SLF001 - the one place the phone's messages pass

        async def capture(message: Any) -> None:
            await forward(message)
            _, kind, data = message
            match = ACK.match(data.get("code", "")) if kind == "run_javascript" else None
            if match:
                seq, ok, mine = json.loads(match.group(2))
                self.acks[seq] = (ok, mine)

        client.outbox._emit = capture  # type: ignore[method-assign]  # noqa: SLF001

    async def wait_view(self) -> PhoneView:
        """The live view appears once the socket is connected."""
        for _ in range(50):
            try:
                view = self.view
            except AssertionError:
                view = None
            if view is not None and view.props["view"]:  # not idle between two steps
                return view
            await asyncio.sleep(0.05)
        raise AssertionError("no phone view with a step on the page")

    @property
    def view(self) -> PhoneView:
        """The method's view the page's host draws (one host per phone page)."""
        client = self.user.client
        assert client is not None
        hosts = [e for e in client.elements.values() if isinstance(e, PhoneHost)]
        assert len(hosts) == 1, f"{len(hosts)} phone hosts on the page"
        assert hosts[0].view is not None, "the host draws no method"
        return hosts[0].view

    @property
    def mine(self) -> Any:
        """The committed input the component was given (a JSON prop), decoded."""
        return json.loads(self.view.props["mine"])

    @property
    def shown(self) -> dict[str, Any]:
        """The ``view`` prop (a JSON string shared by all phones), decoded."""
        return screen(self.view)

    @property
    def live(self) -> dict[str, Any]:
        return live(self.view)

    async def send(self, payload: Any, step: int | None = None, round: int | None = None) -> tuple[bool, Any]:
        """One tap: resolves to the ack (ok, committed input) the phone gets back. The component
        sends the step and round it shows with every tap; ``step``/``round`` override them."""
        self.seq += 1
        seq = self.seq
        element = self.view
        view = screen(element)
        UserInteraction(self.user, {element.host}, PhoneHost).trigger("submit", {
            "seq": seq, "payload": payload,
            "step": view["step"] if step is None else step, "round": view["round"] if round is None else round,
        })
        for _ in range(100):
            if seq in self.acks:
                return self.acks[seq]
            await asyncio.sleep(0.02)
        raise AssertionError(f"no ack for submit {seq}")

    async def vote(self, option: str) -> tuple[bool, Any]:
        return await self.send({"option": option})

    async def rate(self, option: str, value: Any) -> tuple[bool, Any]:
        return await self.send({"ratings": {option: value}})


def screen(element: PhoneView) -> dict[str, Any]:
    """What a phone component shows: its ``view`` prop decoded, with the texts that came with the
    page (``texts``) merged under the view's own, as ``phone_parts.js`` does."""
    decoded: dict[str, Any] = json.loads(element.props["view"])
    decoded["texts"] = json.loads(element.props["texts"]) | decoded.get("texts", {})
    return decoded


def live(element: PhoneView) -> dict[str, Any]:
    """``{"open": bool}`` plus ``"closed": True`` and the decoded ``"result"`` when present."""
    props = element.props
    state: dict[str, Any] = {"open": props["open"]}
    if props["closed"]:
        state["closed"] = True
    if props["result"]:
        state["result"] = json.loads(props["result"])
    return state


async def until(condition: Callable[[], object], seconds: float = 2.0) -> None:
    """Wait until a hub delivery has reached the phone (the assertion after it says what)."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)


async def notice(user: User) -> str:
    """The waiting/ended notice a phone shows (by its first component, which also shows it before
    any step opened), once it arrived."""
    for _ in range(60):
        client = user.client
        if client is not None:
            for element in list(client.elements.values()):
                if isinstance(element, PhoneHost) and element.props["notice"]:
                    return str(element.props["notice"])
        await asyncio.sleep(0.05)
    raise AssertionError("the phone shows no notice")


class Outgoing:
    """Every message the server sends one client from now on (kind, data), and a way to wait until
    what is queued has gone out: a no-op script queued behind it, then awaited on the wire."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.sent: list[tuple[str, Any]] = []
        forward = client.outbox._emit  # noqa: SLF001 - the one place the messages pass

        async def spy(message: Any) -> None:
            self.sent.append((message[1], message[2]))
            await forward(message)

        client.outbox._emit = spy  # noqa: SLF001

    async def all_sent(self) -> None:
        marker = f"/* marker {len(self.sent)} */"
        self.client.outbox.enqueue_message("run_javascript", {"code": marker}, self.client.id)
        await until(lambda: ("run_javascript", marker) in [(k, d.get("code")) for k, d in self.sent])
        assert ("run_javascript", marker) in [(k, d.get("code")) for k, d in self.sent], "the outbox is stuck"

    def messages(self) -> list[tuple[str, Any]]:
        """What was sent, without the markers."""
        return [(k, d) for k, d in self.sent if not str(d.get("code", "")).startswith("/* marker")]

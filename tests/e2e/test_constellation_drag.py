"""A drag seen from the room (Debian's chromium): the console draws the dot while a finger still
holds it, the other phone's socket hears nothing of it (its view does not change), the release
shows at once as a placed dot, and a reloaded console shows every dot."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.e2e.test_browser import ARGS, CHROMIUM, browser, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.e2e

MOVING = "rgb(217, 119, 6)"  # the stroke of a dot in motion (#D97706 in constellation_board.js)


def _phone(browser: Any, join_url: str) -> Any:
    page = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True).new_page()
    page.goto(join_url)
    page.get_by_role("button", name="Ohne Namen weiter").click()
    page.get_by_text("Noch nicht platziert").wait_for()
    return page


def _dots(console: Any) -> list[dict[str, Any]]:
    """The console's circles for the live picture: participant, stroke, where on the line."""
    dots: list[dict[str, Any]] = console.eval_on_selector_all(
        "[data-koffer=board] circle[data-participant]",
        "cs => cs.map(c => ({id: c.dataset.participant, stroke: getComputedStyle(c).stroke,"
        " x: new DOMMatrixReadOnly(getComputedStyle(c).transform).m41}))")
    return dots


def test_the_console_draws_a_held_drag_and_the_other_phone_hears_nothing(server, browser) -> None:
    key = server.console.split("key=")[1]
    sid = int(re.search(r"/s/(\d+)/", server.console).group(1))
    moderator = {"Authorization": f"Bearer {key}"}
    steps = httpx.get(f"{server.base}/api/v1/sessions/{sid}", headers=moderator).json()["steps"]
    step = next(s for s in steps if s["method"] == "constellation")
    assert httpx.post(f"{server.base}/api/v1/sessions/{sid}/steps/{step['id']}/open",
                      headers=moderator).status_code == 200
    console = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    console.goto(server.console)
    console.get_by_text("0 platziert · 0 noch nicht platziert").wait_for()
    dragging, watching = _phone(browser, server.join_url), _phone(browser, server.join_url)
    console.get_by_text("0 platziert · 2 noch nicht platziert").wait_for()

    heard: list[str] = []  # what the watching phone's socket receives from now on
    watching.on("websocket", lambda ws: ws.on("framereceived", lambda frame: heard.append(str(frame))))
    watching.reload()  # its socket from here on is the one listened to
    watching.get_by_text("Noch nicht platziert").wait_for()
    watching.wait_for_timeout(500)
    quiet_before = len(heard)

    box = dragging.locator("[data-koffer=area]").bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    dragging.mouse.move(box["x"] + box["width"] * 0.2, y)
    dragging.mouse.down()
    for k in range(16):  # ~1.3 s of dragging, then held still
        dragging.mouse.move(box["x"] + box["width"] * (0.2 + k * 0.03), y)
        dragging.wait_for_timeout(80)
    console.wait_for_function(
        "() => [...document.querySelectorAll('[data-koffer=board] circle[data-participant]')]"
        f".some(c => getComputedStyle(c).stroke === '{MOVING}')")
    held = _dots(console)
    assert len(held) == 1 and held[0]["stroke"] == MOVING  # drawn while the finger still holds it
    events = [f for f in heard[quiet_before:] if f.startswith("42")]  # socket.io events (pings are "2")
    assert events == []  # the other phone's view did not change, so nothing was sent to it

    dragging.mouse.up()
    dragging.get_by_text("Gespeichert ✓").wait_for()
    console.get_by_text("1 platziert · 1 noch nicht platziert").wait_for()
    console.wait_for_function(
        "() => [...document.querySelectorAll('[data-koffer=board] circle[data-participant]')]"
        f".every(c => getComputedStyle(c).stroke !== '{MOVING}')")
    released = _dots(console)
    assert len(released) == 1 and released[0]["id"] == held[0]["id"]

    # the watching phone places its dot by a tap; a reload of the console shows both, placed
    area = watching.locator("[data-koffer=area]").bounding_box()
    assert area is not None
    watching.touchscreen.tap(area["x"] + 12 + (area["width"] - 24) * 0.1, area["y"] + area["height"] / 2)
    watching.get_by_text("Gespeichert ✓").wait_for()
    assert any(f.startswith("42") and "ack" in f for f in heard)  # the listening itself works
    console.reload()
    console.get_by_text("2 platziert · 0 noch nicht platziert").wait_for()
    console.wait_for_function("() => document.querySelectorAll('[data-koffer=board] circle[data-participant]').length === 2")
    after = _dots(console)
    assert sorted(d["stroke"] != MOVING for d in after) == [True, True]
    assert after[0]["x"] != after[1]["x"]

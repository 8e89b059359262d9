"""The constellation on a real phone (Debian's chromium): tap to place, nudge, arrow keys, drag
(only the release is stored), reload keeps the dot, frozen locks it, a drawn signature is sent
as strokes."""

from __future__ import annotations

import re
import time
from typing import Any

import httpx
import pytest

from tests.e2e.test_browser import ARGS, CHROMIUM, browser, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.e2e


def _stored(base: str, sid: int, moderator: dict[str, str]) -> list[dict[str, Any]]:
    rows = httpx.get(f"{base}/api/v1/sessions/{sid}/export.json", headers=moderator).json()["contributions"]
    return [r for r in rows if r["method"] == "constellation"]


def _eventually(read: Any, ok: Any, seconds: float = 5.0) -> Any:
    """Poll an API answer until it satisfies ``ok`` (the phone said "saved"; the next read sees it)."""
    deadline = time.monotonic() + seconds
    value = read()
    while not ok(value) and time.monotonic() < deadline:
        time.sleep(0.1)
        value = read()
    return value


def _position(base: str, sid: int, moderator: dict[str, str]) -> float:
    steps = httpx.get(f"{base}/api/v1/sessions/{sid}/results", headers=moderator).json()["steps"]
    result = next(s for s in steps if s["method"] == "constellation")["rounds"][-1]["result"]
    spots = result["statements"][0]["live"]["spots"]
    assert len(spots) == 1, spots
    return float(spots[0][1])


def test_a_phone_places_its_dot_without_dragging_and_keeps_it(server, browser) -> None:
    key = server.console.split("key=")[1]
    sid = int(re.search(r"/s/(\d+)/", server.console).group(1))
    moderator = {"Authorization": f"Bearer {key}"}
    steps = httpx.get(f"{server.base}/api/v1/sessions/{sid}", headers=moderator).json()["steps"]
    step = next(s for s in steps if s["method"] == "constellation")
    commands = f"{server.base}/api/v1/sessions/{sid}/steps/{step['id']}/commands"
    assert httpx.post(f"{server.base}/api/v1/sessions/{sid}/steps/{step['id']}/open",
                      headers=moderator).status_code == 200

    phone = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True).new_page()
    phone.goto(server.join_url)
    phone.get_by_role("button", name="Ohne Namen weiter").click()
    phone.get_by_text("Noch nicht platziert").wait_for()
    phone.get_by_text("Das Leitbild: gemeinsam, innovativ, nachhaltig").wait_for()
    area = phone.locator("[data-koffer=area]")
    box = area.bounding_box()
    assert box is not None and box["width"] >= 340 and box["height"] >= 100  # the line fills the screen
    assert phone.locator("[data-koffer=dot]").count() == 0  # not placed: no dot, not in the middle

    # tap to place (WCAG 2.5.7: no dragging needed), stored and acknowledged
    phone.touchscreen.tap(box["x"] + 12 + (box["width"] - 24) * 0.8, box["y"] + box["height"] / 2)
    phone.get_by_text("Gespeichert ✓").wait_for()
    assert abs(_position(server.base, sid, moderator) - 0.8) < 0.02  # "saved" came after the commit
    assert len(_stored(server.base, sid, moderator)) == 1

    # the nudge buttons: a thumb's target, stored once the nudging pauses
    for button in phone.locator("[data-koffer=nudges] button").all():
        nudge = button.bounding_box()
        assert nudge is not None and nudge["width"] >= 44 and nudge["height"] >= 44
    phone.locator("[data-koffer=nudge-left]").click()
    phone.locator("[data-koffer=nudge-left]").click()
    assert abs(_eventually(lambda: _position(server.base, sid, moderator), lambda x: abs(x - 0.7) < 0.02) - 0.7) < 0.02
    phone.get_by_text("Gespeichert ✓").wait_for()
    assert len(_stored(server.base, sid, moderator)) == 2  # two taps, one stored position

    # the arrow keys move the focused dot
    area.focus()
    for _ in range(5):
        phone.keyboard.press("ArrowRight")
    assert abs(_eventually(lambda: _position(server.base, sid, moderator), lambda x: abs(x - 0.8) < 0.02) - 0.8) < 0.02

    # a drag: many pointer moves, one stored position (the release)
    before = len(_stored(server.base, sid, moderator))
    moved = area.bounding_box()
    assert moved == box  # the line never jumps under a thumb (the hints sit below it)
    y = box["y"] + box["height"] / 2
    phone.mouse.move(box["x"] + box["width"] * 0.2, y)
    phone.mouse.down()
    for k in range(20):
        phone.mouse.move(box["x"] + box["width"] * (0.2 + k * 0.02), y)
        phone.wait_for_timeout(40)
    phone.mouse.up()
    rows = _eventually(lambda: _stored(server.base, sid, moderator), lambda r: len(r) > before)
    phone.wait_for_timeout(500)
    assert len(_stored(server.base, sid, moderator)) == before + 1 == len(rows)
    dragged = _position(server.base, sid, moderator)
    assert 0.55 < dragged < 0.62

    # sleep / reload: the dot is where it was stored
    phone.reload()
    phone.get_by_text("Gespeichert ✓").wait_for()
    dot = phone.locator("[data-koffer=dot]").bounding_box()
    area_box = phone.locator("[data-koffer=area]").bounding_box()
    assert dot is not None and area_box is not None
    shown = (dot["x"] + dot["width"] / 2 - area_box["x"] - 12) / (area_box["width"] - 24)
    assert abs(shown - dragged) < 0.02

    # frozen: the dot is locked, a tap stores nothing
    assert httpx.post(f"{commands}/freeze", json={}, headers=moderator).status_code == 200
    phone.get_by_text("Eingefroren").wait_for()
    stored = len(_stored(server.base, sid, moderator))
    phone.touchscreen.tap(area_box["x"] + 20, area_box["y"] + area_box["height"] / 2)
    phone.wait_for_timeout(800)
    assert len(_stored(server.base, sid, moderator)) == stored
    assert phone.locator("[data-koffer=nudges]").count() == 0

    # sign-off: a name and a drawn signature, sent as strokes
    assert httpx.post(f"{commands}/open_signing", json={}, headers=moderator).status_code == 200
    phone.get_by_text("Unterschreiben: Aussage 1").wait_for()
    phone.locator("[data-koffer=sign-name]").fill("Anna Weber")
    pad = phone.locator("[data-koffer=sign-pad]").bounding_box()
    assert pad is not None
    phone.mouse.move(pad["x"] + 20, pad["y"] + pad["height"] * 0.7)
    phone.mouse.down()
    for k in range(10):
        phone.mouse.move(pad["x"] + 20 + k * 25, pad["y"] + pad["height"] * (0.3 if k % 2 else 0.7))
    phone.mouse.up()
    phone.get_by_role("button", name="Unterschreiben", exact=True).click()
    phone.get_by_text("Unterschrieben als Anna Weber ✓").wait_for()
    steps = httpx.get(f"{server.base}/api/v1/sessions/{sid}/results", headers=moderator).json()["steps"]
    result = next(s for s in steps if s["method"] == "constellation")["rounds"][-1]["result"]
    signature = result["statements"][0]["signatures"][0]
    assert signature["name"] == "Anna Weber" and len(signature["strokes"]) == 1
    assert len(signature["strokes"][0]) >= 10  # the stroke's points, not a bitmap

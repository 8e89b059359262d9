"""The dot vote on a real phone (Debian's chromium): the demo's dot vote takes the four labs the
consensing step selected, + / − spend the dots tap by tap (quick taps included), the budget and
the cap stop the +, a reload shows the stored dots, a merge by the moderator shows one card with
the person's dots on both, the console and the projector rank them after the reveal."""

from __future__ import annotations

import os
import re
from pathlib import Path

import httpx
import pytest

from tests.e2e.test_browser import ARGS, CHROMIUM, browser, server  # noqa: F401  (fixtures)
from tests.e2e.test_projector import MEASURE, too_small_or_cut

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("KOFFER_SHOTS")
"""A folder to keep screenshots in (to look at them); unset: none are taken."""


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=False)


def test_a_phone_spends_its_dots_with_plus_and_minus(server, browser) -> None:
    key = server.console.split("key=")[1]
    sid = int(re.search(r"/s/(\d+)/", server.console).group(1))
    moderator = {"Authorization": f"Bearer {key}"}
    base = f"{server.base}/api/v1"
    steps = httpx.get(f"{base}/sessions/{sid}", headers=moderator).json()["steps"]
    consensing = next(s for s in steps if s["method"] == "consensing")
    dots = next(s for s in steps if s["method"] == "dot_vote")
    # the consensing step selects four labs (two raters through the API)
    assert httpx.post(f"{base}/sessions/{sid}/steps/{consensing['id']}/open", headers=moderator).status_code == 200
    for ratings in ({"p1": 0, "p2": 1, "p3": 2, "p4": 3, "p5": 9, "p6": 9, "passive": 10},
                    {"p1": 1, "p2": 0, "p3": 3, "p4": 2, "p5": 8, "p6": 9, "passive": 10}):
        token = httpx.post(f"{base}/join", json={"code": server.code}).json()["participant_token"]
        posted = httpx.post(f"{base}/steps/{consensing['id']}/contributions", json={"ratings": ratings},
                            headers={"Authorization": f"Bearer {token}"})
        assert posted.status_code == 201, posted.text
    assert httpx.post(f"{base}/sessions/{sid}/steps/{consensing['id']}/close", headers=moderator).status_code == 200
    assert httpx.post(f"{base}/sessions/{sid}/steps/{dots['id']}/open", headers=moderator).status_code == 200

    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    phone.goto(server.join_url)
    phone.get_by_role("button", name="Ohne Namen weiter").click()
    phone.get_by_text("Noch 3 von 3 Punkten").wait_for()
    items = phone.locator("[data-item]")
    assert items.count() == 4  # the four selected labs, taken when the step opened
    first, second = items.nth(0), items.nth(1)
    for button in phone.locator("[data-koffer=more], [data-koffer=less]").all():
        box = button.bounding_box()
        assert box is not None and box["width"] >= 44 and box["height"] >= 44  # a thumb's target
    shot(phone, "phone-start")

    first.locator("[data-koffer=more]").click()
    phone.get_by_text("Noch 2 von 3 Punkten").wait_for()
    phone.get_by_text("Gespeichert ✓").wait_for()
    # two quick taps, the second before the first is acknowledged: each sends the whole allocation
    first.locator("[data-koffer=more]").click()
    second.locator("[data-koffer=more]").click()
    phone.get_by_text("Alle Punkte verteilt").wait_for()
    phone.get_by_text("Gespeichert ✓").wait_for()
    assert first.locator("[data-koffer=count]").text_content() == "2"
    assert first.locator("[data-koffer=more]").is_disabled()  # the cap (2 per item)
    assert items.nth(2).locator("[data-koffer=more]").is_disabled()  # no dots left
    shot(phone, "phone-spent")

    phone.reload()  # after sleep/reload: the stored dots, not a fresh budget
    phone.get_by_text("Alle Punkte verteilt").wait_for()
    first = phone.locator("[data-item]").nth(0)
    assert first.locator("[data-koffer=count]").text_content() == "2"
    first.locator("[data-koffer=less]").click()
    phone.get_by_text("Noch 1 von 3 Punkten").wait_for()
    phone.get_by_text("Gespeichert ✓").wait_for()

    # the moderator merges the second lab into the first while the dots go on: the phone shows one
    # card with this person's dots on both (1 + 1, within the cap of 2) and the same dots left
    ids = [item.get_attribute("data-item") for item in phone.locator("[data-item]").all()]
    merged = httpx.post(f"{base}/sessions/{sid}/steps/{dots['id']}/commands/merge", headers=moderator,
                        json={"item": ids[1], "into": ids[0]})
    assert merged.status_code == 200, merged.text
    phone.get_by_text("aus 2 Karten").wait_for()
    assert phone.locator("[data-item]").count() == 3
    first = phone.locator("[data-item]").nth(0)
    assert first.locator("[data-koffer=count]").text_content() == "2"
    assert first.locator("[data-koffer=more]").is_disabled()  # the merged card is at the cap
    assert phone.get_by_text("Noch 1 von 3 Punkten").is_visible()
    phone.locator("[data-item]").nth(1).locator("[data-koffer=more]").click()
    phone.get_by_text("Alle Punkte verteilt").wait_for()
    phone.get_by_text("Gespeichert ✓").wait_for()
    shot(phone, "phone-merged")

    console = browser.new_page(viewport={"width": 1280, "height": 720})
    console.goto(server.console)
    console.get_by_text("1 von 3 haben Punkte vergeben").wait_for()
    shot(console, "console-hidden")
    assert httpx.post(f"{base}/sessions/{sid}/steps/{dots['id']}/close", headers=moderator).status_code == 200
    assert httpx.post(f"{base}/sessions/{sid}/steps/{dots['id']}/reveal", headers=moderator).status_code == 200
    console.get_by_text("Meiste Punkte: City-Logistik unter Nachhaltigkeitsgesichtspunkten (2)").wait_for()
    shot(console, "console-ranking")
    projector = browser.new_page(viewport={"width": 1920, "height": 1080})
    projector.goto(server.projector)
    projector.get_by_text("aus 2 Karten").first.wait_for()
    shot(projector, "projector-ranking")
    texts = projector.locator(".nicegui-content > div").nth(1).evaluate(MEASURE)
    shown = " ".join(t["text"] for t in texts)
    assert "City-Logistik unter Nachhaltigkeitsgesichtspunkten" in shown and "1 Person · aus 2 Karten" in shown
    assert not too_small_or_cut(texts), too_small_or_cut(texts)  # readable from the back row, nothing cut
    phone.get_by_text("Ergebnis", exact=True).wait_for()  # the phone shows the revealed ranking too
    shot(phone, "phone-result")

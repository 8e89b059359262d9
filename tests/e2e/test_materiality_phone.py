"""The materiality pair on a real phone (Debian's chromium): tap a card, the next pair comes."""

from __future__ import annotations

import re

import httpx
import pytest

from methods.materiality import ENGINE
from tests.e2e.test_browser import ARGS, CHROMIUM, browser, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.e2e


def test_a_phone_compares_pairs_by_tapping_cards(server, browser) -> None:
    key = server.console.split("key=")[1]
    sid = int(re.search(r"/s/(\d+)/", server.console).group(1))
    moderator = {"Authorization": f"Bearer {key}"}
    steps = httpx.get(f"{server.base}/api/v1/sessions/{sid}", headers=moderator).json()["steps"]
    step = next(s for s in steps if s["method"] == "materiality")
    assert httpx.post(f"{server.base}/api/v1/sessions/{sid}/steps/{step['id']}/open",
                      headers=moderator).status_code == 200

    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    phone.goto(server.join_url)
    phone.get_by_role("button", name="Ohne Namen weiter").click()
    phone.get_by_text("Vergleich 1 von").wait_for()
    cards = phone.locator("[data-item]")
    assert cards.count() == 2
    # the task names the pair by ids; the titles, descriptions and the axis' question come from
    # the step's view: what the person reads are the texts, never an id
    titles = {(i["title"] if isinstance(i, dict) else i) for i in ENGINE.demo_steps[0].config["items"]}
    question = phone.locator('[data-koffer="axis-question"]').inner_text()
    assert "Welches der beiden Themen liegt eher bei" in question, question
    for card in cards.all():
        shown = card.locator("span").first.inner_text()
        assert shown in titles, shown
        assert card.locator("span").count() == 2  # the description below the title
    phone.screenshot(path="/tmp/mat5-phone.png")
    for box in cards.evaluate_all("els => els.map(e => e.getBoundingClientRect())"):
        assert box["height"] >= 44 and box["width"] >= 300  # stacked, full width, a thumb's target
    cards.first.click()
    phone.get_by_text("Vergleich 2 von").wait_for()  # stored, acknowledged, the next pair shown
    phone.get_by_role("button", name="gleich / kann ich nicht sagen").click()
    phone.get_by_text("Vergleich 3 von").wait_for()
    phone.reload()  # after sleep/reload: on with the next pair, not from the start
    phone.get_by_text("Vergleich 3 von").wait_for()

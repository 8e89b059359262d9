"""The materiality pair on a real phone (Debian's chromium): tap a card, the next pair comes."""

from __future__ import annotations

import re
import time
from typing import Any

import httpx
import pytest

from methods.materiality import ENGINE
from tests.e2e.test_browser import ARGS, CHROMIUM, browser, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.e2e


def open_materiality(server: Any) -> tuple[int, dict[str, Any], dict[str, str]]:
    """Opens the demo's materiality step through the API: (session id, the step, moderator auth)."""
    key = server.console.split("key=")[1]
    sid = int(re.search(r"/s/(\d+)/", server.console).group(1))
    moderator = {"Authorization": f"Bearer {key}"}
    steps = httpx.get(f"{server.base}/api/v1/sessions/{sid}", headers=moderator).json()["steps"]
    step = next(s for s in steps if s["method"] == "materiality")
    assert httpx.post(f"{server.base}/api/v1/sessions/{sid}/steps/{step['id']}/open",
                      headers=moderator).status_code == 200
    return sid, step, moderator


def test_a_phone_compares_pairs_by_tapping_cards(server, browser) -> None:
    sid, step, moderator = open_materiality(server)

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
    phone.wait_for_timeout(GUARD)
    cards.first.click()
    phone.get_by_text("Vergleich 2 von").wait_for()  # the pair held ahead, shown at once
    phone.get_by_text("Gespeichert").wait_for()  # and the answer stored, acknowledged
    phone.wait_for_timeout(GUARD)
    phone.get_by_role("button", name="gleich / kann ich nicht sagen").click()
    phone.get_by_text("Vergleich 3 von").wait_for()
    phone.get_by_text("Gespeichert").wait_for()
    phone.reload()  # after sleep/reload: on with the next pair, not from the start
    phone.get_by_text("Vergleich 3 von").wait_for()


GUARD = 400
"""ms a person takes at least to read a new pair: the component ignores a tap on a pair that came
less than 300 ms ago (the second tap of a double tap)."""


LAG = """(() => {
  // every message from the server reaches the page window.__lag ms late (in order): slow Wi-Fi
  const Native = window.WebSocket;
  window.__lag = 0;
  window.WebSocket = class extends Native {
    set onmessage(handler) {
      super.onmessage = (event) => {
        const lag = window.__lag;
        if (lag) setTimeout(() => handler.call(this, event), lag); else handler.call(this, event);
      };
    }
    get onmessage() { return super.onmessage; }
  };
})();"""


def test_on_slow_wifi_the_next_pair_shows_at_once_and_saved_only_after_the_ack(server, browser) -> None:
    """Venue Wi-Fi: everything the server sends the phone arrives 1.5 s late. A person who takes 2 s
    to read a pair still gets the next pair the moment they tap (the phone held it), reads
    "Wird gespeichert …" until the ack arrives, then "Gespeichert"; the answers all reach the
    result, none twice; a double tap answers one pair."""
    sid, step, moderator = open_materiality(server)

    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    phone.add_init_script(LAG)
    phone.goto(server.join_url)
    phone.get_by_role("button", name="Ohne Namen weiter").click()
    phone.get_by_text("Vergleich 1 von").wait_for()
    phone.wait_for_timeout(GUARD)
    phone.evaluate("window.__lag = 1500")
    status = phone.locator('[data-koffer="status"]')
    pairs = []
    for n in range(2, 5):
        shown = phone.locator("[data-item]").evaluate_all("els => els.map(e => e.dataset.item)")
        pairs.append(tuple(sorted(shown)) + (phone.locator('[data-koffer="axis-question"]').inner_text(),))
        t0 = time.monotonic()
        phone.locator("[data-item]").first.dblclick()  # a double tap: one answer
        phone.get_by_text(f"Vergleich {n} von").wait_for(timeout=1000)
        assert time.monotonic() - t0 < 1.2  # before the 1.5 s late ack could have brought it
        assert status.inner_text() == "Wird gespeichert …"
        phone.wait_for_timeout(2000)  # reading the next pair takes a person longer than the lag
    phone.get_by_text("Gespeichert ✓", exact=True).wait_for(timeout=8000)  # every ack in
    # faster than the Wi-Fi: the held pair answered 0.4 s after it came, before the ack of the pair
    # before it (1.5 s late); the tapped card waits for that ack, which names the answered pair
    # (skipped) and the next
    def on_screen() -> tuple[str, ...]:
        shown = phone.locator("[data-item]").evaluate_all("els => els.map(e => e.dataset.item)")
        return (*sorted(shown), phone.locator('[data-koffer="axis-question"]').inner_text())

    pairs.append(on_screen())
    phone.locator("[data-item]").first.click()
    phone.get_by_text("Vergleich 5 von").wait_for(timeout=1000)  # held: at once
    phone.wait_for_timeout(GUARD)
    pairs.append(on_screen())
    phone.locator("[data-item]").first.click()  # nothing held now: the card waits
    assert phone.locator("[data-item]").first.is_disabled()
    assert phone.get_by_text("Vergleich 5 von").is_visible()
    phone.get_by_text("Vergleich 6 von").wait_for(timeout=8000)  # the late ack brought the pair after
    pairs.append(on_screen())
    phone.get_by_text("Gespeichert ✓", exact=True).wait_for(timeout=8000)
    assert len(set(pairs)) == len(pairs) == 6  # no pair twice
    results = httpx.get(f"{server.base}/api/v1/sessions/{sid}/results", headers=moderator).json()
    result = next(s for s in results["steps"] if s["id"] == step["id"])["rounds"][-1]["result"]
    assert sum(result["comparisons"].values()) == 5  # five answers, the double taps counted once

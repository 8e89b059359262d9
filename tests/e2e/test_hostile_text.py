"""Script and HTML in titles and names render as plain text everywhere (checked in a real browser)."""

from __future__ import annotations

import httpx
import pytest

from tests import serverproc
from tests.e2e.test_browser import ARGS, CHROMIUM, browser  # noqa: F401  (fixture)

pytestmark = pytest.mark.e2e

EVIL = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script><b>fett</b>'


@pytest.fixture
def server(tmp_path):
    srv = serverproc.start(tmp_path / "data", password="pw-for-e2e")
    yield srv
    srv.stop()


def test_hostile_titles_and_names_stay_inert(server, browser) -> None:  # noqa: F811
    token = httpx.post(f"{server.base}/api/v1/login", json={"password": "pw-for-e2e"}).json()["token"]
    agenda = {
        "title": "Allianz " + EVIL, "names": "required",
        "steps": [{"method": "hand_vote", "title": "Frage " + EVIL,
                   "config": {"question": "Q " + EVIL, "options": ["A " + EVIL, "B"]}}],
    }
    r = httpx.post(f"{server.base}/api/v1/sessions", json=agenda, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 201, r.text
    created = r.json()
    sid, step, code = created["id"], created["steps"][0]["id"], created["join_code"]
    auth = {"Authorization": f"Bearer {created['moderator_key']}"}
    httpx.post(f"{server.base}/api/v1/sessions/{sid}/steps/{step}/open", headers=auth)

    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    phone.goto(f"{server.base}/j/{code}")
    phone.get_by_label("Ihr Name").fill("Eve " + EVIL)
    phone.get_by_role("button", name="Weiter").click()
    phone.get_by_text("Q " + EVIL).wait_for()
    phone.get_by_role("button", name="A " + EVIL).click()
    phone.get_by_text("Gespeichert ✓").wait_for()
    httpx.post(f"{server.base}/api/v1/sessions/{sid}/steps/{step}/reveal", headers=auth)

    console = browser.new_page(viewport={"width": 1280, "height": 720})
    console.goto(f"{server.base}/s/{sid}/console?key={created['moderator_key']}")
    console.get_by_text("Frage " + EVIL).wait_for()
    screen = browser.new_page(viewport={"width": 1280, "height": 720})
    screen.goto(f"{server.base}/s/{sid}/screen?key={created['projector_key']}")
    screen.get_by_text("Allianz " + EVIL).wait_for()
    console.wait_for_timeout(500)
    for page in (phone, console, screen):
        assert page.evaluate("window.__xss") is None
        assert page.locator("b", has_text="fett").count() == 0
        assert page.locator('img[src="x"]').count() == 0
    assert phone.get_by_text("Eve <img src=x").is_visible()
    # a reload renders the phone component from the page's inline element data, not the socket
    phone.reload()
    phone.get_by_text("Q " + EVIL).wait_for()
    phone.get_by_text("A " + EVIL + " — 1 (100 %)").wait_for()  # the revealed result row
    assert phone.evaluate("window.__xss") is None
    assert phone.locator("b", has_text="fett").count() == 0 and phone.locator('img[src="x"]').count() == 0
    # the chart on the console draws the option label literally, not as plotly markup
    console.locator(".js-plotly-plot").first.wait_for()
    chart_text = console.locator(".js-plotly-plot").first.evaluate("el => el.textContent")
    assert "<b>fett</b>" in chart_text, chart_text  # names are cut at 80 characters


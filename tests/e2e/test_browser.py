"""Real browser (Debian's chromium via Playwright): console plus three phones, vote, reveal, reload."""

from __future__ import annotations

import os
import re
import shutil

import httpx
import pytest

from tests import serverproc

pytestmark = pytest.mark.e2e

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not os.path.exists(CHROMIUM):
    if os.environ.get("CI"):
        raise RuntimeError("chromium is required for the browser tests in CI")
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)


@pytest.fixture
def server(tmp_path):
    srv = serverproc.start(tmp_path / "data")
    yield srv
    srv.stop()


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def test_three_phones_vote_console_reveals(server, browser) -> None:
    console = browser.new_page(viewport={"width": 1280, "height": 720})
    console.goto(server.console)
    console.get_by_text(server.code, exact=True).wait_for()
    console.get_by_text("Protokoll des 3. Treffens").first.wait_for()

    phones = []
    for _ in range(3):
        ctx = browser.new_context(viewport={"width": 390, "height": 844})
        page = ctx.new_page()
        page.goto(server.join_url)
        page.get_by_role("button", name="Ohne Namen weiter").click()  # demo asks for an optional name
        page.get_by_text("Gleich geht es los").wait_for()
        phones.append(page)
    console.get_by_text("3 dabei").wait_for()

    console.get_by_role("button", name="Öffnen").click()
    for page, choice in zip(phones, ["Ja", "Ja", "Nein"], strict=True):
        page.get_by_role("button", name=choice, exact=True).click()
        page.get_by_text("Gespeichert ✓").wait_for()
    console.get_by_text("3 von 3 haben abgestimmt").wait_for()
    assert console.get_by_text("Ergebnis verdeckt").is_visible()

    console.get_by_role("button", name="Aufdecken").click()
    console.get_by_text("Angenommen").wait_for()
    console.locator(".js-plotly-plot").first.wait_for()
    bar_texts = console.locator(".js-plotly-plot text.bartext").evaluate_all("els => els.map(e => e.textContent)")
    assert any(text.startswith("2") and "67 %" in text for text in bar_texts), bar_texts

    # a phone reloads and still sees its vote
    phones[2].reload()
    phones[2].get_by_text("Gespeichert ✓").wait_for()
    console.get_by_text("3 dabei").wait_for()
    # the phone page must not load the chart library
    resources = phones[2].evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert not [r for r in resources if "plotly" in r], resources


def test_phone_that_sleeps_20s_resumes_with_its_vote(server, browser) -> None:
    console = browser.new_page(viewport={"width": 1280, "height": 720})
    console.goto(server.console)
    console.get_by_role("button", name="Öffnen").click()
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    page = ctx.new_page()
    page.goto(server.join_url)
    page.get_by_role("button", name="Ohne Namen weiter").click()
    page.get_by_role("button", name="Nein", exact=True).click()
    page.get_by_text("Gespeichert ✓").wait_for()
    ctx.set_offline(True)  # screen off, Wi-Fi dozes
    page.wait_for_timeout(20_000)
    ctx.set_offline(False)
    console.get_by_role("button", name="Schließen").click()
    # same page, no reload: the socket reconnects and the live update arrives
    page.get_by_text("Die Eingabe ist geschlossen.").wait_for(timeout=30_000)
    assert page.get_by_text("Gespeichert ✓").is_visible()
    console.get_by_text("1 dabei").wait_for()


def test_consensing_tile_is_saved_survives_reload_and_locks_on_close(server, browser) -> None:
    console = browser.new_page(viewport={"width": 1280, "height": 720})
    console.goto(server.console)
    console.get_by_role("button", name="Weiter").click()  # demo step 2: the Reallabore, consensing
    console.get_by_role("button", name="Öffnen").click()
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(server.join_url)
    page.get_by_role("button", name="Ohne Namen weiter").click()
    page.get_by_text("0 von 7 bewertet").wait_for()
    first = page.locator("[data-card]").first
    first.locator('[data-value="3"]').click()
    first.get_by_text("Widerstand: 3 · gespeichert ✓").wait_for()
    page.get_by_text("1 von 7 bewertet").wait_for()
    page.locator("[data-card]").last.get_by_role("button", name="Enthaltung").click()
    page.get_by_text("Enthaltung · gespeichert ✓").wait_for()
    console.get_by_text("1 von 1 haben bewertet").wait_for()

    page.reload()  # the phone slept and reloads: its ratings come back from the server
    page.get_by_text("2 von 7 bewertet").wait_for()
    assert page.locator("[data-card]").first.get_by_text("Widerstand: 3 · gespeichert ✓").is_visible()

    console.get_by_role("button", name="Schließen").click()
    page.get_by_text("Die Eingabe ist geschlossen.").wait_for()
    assert page.locator("[data-card]").first.locator('[data-value="5"]').is_disabled()


def test_consensing_opened_while_the_phone_waits_draws_the_texts_that_came_with_the_page(server, browser) -> None:
    """The step arrives as a small patch without texts: the hint, the "Enthaltung" tiles, the
    passive tag and the six-column grid come from the page's texts and the scale, also after a reload."""
    console = browser.new_page(viewport={"width": 1280, "height": 720})
    console.goto(server.console)
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(server.join_url)
    page.get_by_role("button", name="Ohne Namen weiter").click()
    page.get_by_text("Gleich geht es los").wait_for()  # joined before the step opens
    console.get_by_role("button", name="Weiter").click()  # demo step 2: the Reallabore, consensing
    console.get_by_role("button", name="Öffnen").click()
    for shown in (page, None):
        if shown is None:
            page.reload()  # the phone slept: the full page brings the texts again
        page.get_by_text("0 von 7 bewertet").wait_for()
        assert page.locator('[data-koffer="hint"]').inner_text() == "0 = kein Widerstand · 10 = größter Widerstand"
        assert page.get_by_role("button", name="Enthaltung").count() == 7
        passive = page.locator("[data-card]").last
        assert passive.get_by_text("Passivlösung").is_visible()
        first = page.locator("[data-card]").first
        five, six = (first.locator(f'[data-value="{v}"]').bounding_box() for v in ("5", "6"))
        assert five and six and six["y"] > five["y"] + 40  # six tiles a row: 6 starts the second


def test_a_method_whose_component_failed_to_load_is_fetched_again(server, browser) -> None:
    """The room's Wi-Fi drops the request for the consensing component when its step opens: the
    phone asks again and shows the step, without a reload."""
    console = browser.new_page(viewport={"width": 1280, "height": 720})
    console.goto(server.console)
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    dropped: list[str] = []

    def drop_once(route) -> None:
        if not dropped:
            dropped.append(route.request.url)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route(re.compile(r".*/libraries/.*/consensing\.js.*"), drop_once)
    page.goto(server.join_url)
    page.get_by_role("button", name="Ohne Namen weiter").click()
    page.get_by_text("Gleich geht es los").wait_for()
    console.get_by_role("button", name="Weiter").click()  # demo step 2: the Reallabore, consensing
    console.get_by_role("button", name="Öffnen").click()
    page.get_by_text("0 von 7 bewertet").wait_for(timeout=10_000)
    assert len(dropped) == 1
    page.locator("[data-card]").first.locator('[data-value="2"]').click()
    page.get_by_text("Widerstand: 2 · gespeichert ✓").wait_for()


def test_multiple_choice_picks_then_sends_once(server, browser) -> None:
    """Multiple choice on the phone: taps only pick, "Abschicken" stores the picks together."""
    token = httpx.post(f"{server.base}/api/v1/login", json={"password": "organizer-secret"}).json()["token"]
    doc = {"title": "Mehrfach", "names": "none",
           "steps": [{"method": "hand_vote", "title": "Themen",
                      "config": {"question": "Welche Themen?", "options": ["Handel", "Handwerk", "Logistik"],
                                 "multiple": True}}]}
    created = httpx.post(f"{server.base}/api/v1/sessions", json=doc,
                         headers={"Authorization": f"Bearer {token}"}).json()
    sid, step = created["id"], created["steps"][0]["id"]
    auth = {"Authorization": f"Bearer {created['moderator_key']}"}
    httpx.post(f"{server.base}/api/v1/sessions/{sid}/steps/{step}/open", headers=auth)
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    phone.goto(f"{server.base}/j/{created['join_code']}")
    phone.get_by_role("button", name="Handel", exact=True).click()
    phone.get_by_role("button", name="Logistik", exact=True).click()
    phone.get_by_role("button", name="✓ Logistik").wait_for()  # picked, not yet sent
    results = httpx.get(f"{server.base}/api/v1/sessions/{sid}/results", headers=auth).json()
    assert results["steps"][0]["rounds"][-1]["result"]["voters"] == 0
    phone.get_by_role("button", name="Abschicken").click()
    phone.get_by_text("Gespeichert ✓").wait_for()
    result = httpx.get(f"{server.base}/api/v1/sessions/{sid}/results", headers=auth).json()["steps"][0]["rounds"][-1]["result"]
    assert result["voters"] == 1
    assert [o["count"] for o in result["options"]] == [1, 0, 1]


def test_phone_counts_down_says_time_is_up_and_the_next_step_has_no_timer(server, browser) -> None:
    console = browser.new_page(viewport={"width": 1280, "height": 720})
    console.goto(server.console)
    console.get_by_role("button", name="Öffnen").click()
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(server.join_url)
    page.get_by_role("button", name="Ohne Namen weiter").click()
    page.get_by_role("button", name="Ja", exact=True).wait_for()
    timer = page.locator("[data-deadline]")
    assert timer.is_hidden()  # no timer set: nothing in the corner

    # a short timer through the API (the console's menu starts at one minute)
    session_id = server.console.split("/s/")[1].split("/")[0]
    key = server.console.split("key=")[1]
    response = httpx.post(f"{server.base}/api/v1/sessions/{session_id}/timer", json={"seconds": 3},
                          headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200, response.text

    page.get_by_text(re.compile(r"^0:0[1-3]$")).wait_for()  # the countdown ticks on the phone
    blue = timer.evaluate("el => getComputedStyle(el).color")
    page.get_by_text("Zeit ist um").wait_for(timeout=6_000)
    over = timer.evaluate("el => getComputedStyle(el).color")
    assert over == "rgb(198, 40, 40)" and over != blue, (blue, over)  # the over-colour, not blue
    assert page.get_by_text(re.compile(r"^0:00$")).count() == 0
    console.get_by_text("Zeit ist um").wait_for()  # the console says it as well, in the same colour
    assert console.locator("[data-deadline]").evaluate("el => getComputedStyle(el).color") == over
    page.get_by_role("button", name="Ja", exact=True).click()  # nothing closed: voting goes on
    page.get_by_text("Gespeichert ✓").wait_for()

    console.get_by_role("button", name="Weiter").click()
    console.get_by_role("button", name="Offen lassen und weiter").click()  # the console asks first
    page.get_by_text("Gleich geht es los").wait_for()  # the next step, not yet open
    timer.wait_for(state="hidden")
    assert page.get_by_text("Zeit ist um").count() == 0
    console.get_by_role("button", name="Zurück").click()  # back: its run-out timer is gone
    page.get_by_text("Gespeichert ✓").wait_for()  # the first step again, with this phone's vote
    page.wait_for_timeout(1_000)  # two ticks of the countdown script
    assert timer.is_hidden() and console.locator("[data-deadline]").is_hidden()

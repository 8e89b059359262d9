"""What people press in the room, in a real browser (Debian's chromium): keys, not only clicks."""

from __future__ import annotations

import pytest

from tests.e2e.test_browser import ARGS, CHROMIUM, browser, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.e2e


def test_enter_in_the_name_field_joins(server, browser) -> None:
    """A late joiner types a name and presses Enter (the phone keyboard's "Go")."""
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    phone.goto(server.join_url)
    field = phone.get_by_label("Ihr Name (freiwillig)")
    field.fill("Erika Muster")
    field.press("Enter")
    phone.get_by_text("Gleich geht es los").wait_for()
    assert phone.get_by_text("Erika Muster").is_visible()


def test_enter_in_the_code_field_joins(server, browser) -> None:
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(server.base + "/")
    field = page.get_by_label("Teilnahme-Code")
    field.fill(server.code.lower())
    field.press("Enter")
    page.get_by_label("Ihr Name (freiwillig)").wait_for()


def test_english_chosen_on_the_start_page_stays_after_the_code(server, browser) -> None:
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(server.base + "/")
    page.get_by_role("link", name="English").click()
    field = page.get_by_label("Join code")
    field.fill(server.code)
    field.press("Enter")
    page.get_by_label("Your name (optional)").fill("Erika")
    page.get_by_role("button", name="Continue", exact=True).click()
    page.get_by_text("We will start in a moment").wait_for()
    page.get_by_role("link", name="Deutsch").click()  # and back, on the phone itself
    page.get_by_text("Gleich geht es los").wait_for()


def test_a_presenter_clicker_drives_the_meeting(server, browser) -> None:
    """PageDown (what a clicker sends) walks open → close → reveal → next; PageUp goes back."""
    console = browser.new_page(viewport={"width": 1280, "height": 720})
    console.goto(server.console)
    console.get_by_text(server.code, exact=True).wait_for()
    console.get_by_text("Noch nicht geöffnet").wait_for()
    console.get_by_role("button", name="Verstanden").click()  # the first-run hint, once per browser
    console.keyboard.press("PageDown")
    console.get_by_text("Offen – Runde 1").wait_for()
    console.keyboard.press("PageDown")
    console.get_by_text("Geschlossen – Runde 1").wait_for()
    console.keyboard.press("PageDown")
    console.get_by_text("Verdecken").wait_for()  # revealed
    console.keyboard.press("ArrowRight")
    console.get_by_text("Punkt 2 von 7").wait_for()
    console.keyboard.press("PageUp")
    console.get_by_text("Punkt 1 von 7").wait_for()
    # the hint stays away after a reload; the legend explains the tools
    console.reload()
    console.get_by_text(server.code, exact=True).wait_for()
    assert not console.get_by_role("button", name="Verstanden").is_visible()
    console.get_by_role("button", name="Hilfe und Tasten").click()
    console.get_by_text("Tastatur und Presenter").wait_for()
    # the focus ring is visible on a focused control
    console.keyboard.press("Escape")
    console.locator("body").click(position={"x": 5, "y": 300})
    console.keyboard.press("Tab")
    outline = console.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    width = console.evaluate("parseFloat(getComputedStyle(document.activeElement).outlineWidth)")
    assert (outline, width) == ("solid", 3.0)


def test_every_tap_target_on_the_start_and_welcome_pages_is_at_least_44_px(server, browser) -> None:
    """WCAG 2.5.8: links and buttons a thumb has to hit."""
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    for url in (server.base + "/", server.join_url):
        page.goto(url)
        page.locator("button").first.wait_for()
        sizes = page.locator("a:visible, button:visible").evaluate_all(
            "els => els.map(e => [e.textContent.trim(), e.getBoundingClientRect().height])")
        small = [(text, height) for text, height in sizes if height < 44]
        assert sizes and not small, (url, small)


def test_the_photo_upload_is_a_button_not_a_raw_uploader(server, browser) -> None:
    console = browser.new_page(viewport={"width": 1280, "height": 720})
    console.goto(server.console)
    console.get_by_text(server.code, exact=True).wait_for()
    console.get_by_role("button", name="Foto", exact=True).click()
    console.get_by_role("button", name="Foto auswählen").wait_for()
    dialog_text = console.locator(".q-dialog").inner_text()
    assert "0.0B" not in dialog_text and "%" not in dialog_text


def test_the_office_imports_an_agenda_and_reads_its_problems_in_plain_words(server, browser, tmp_path) -> None:
    import json

    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{server.base}/login")
    page.get_by_label("Passwort").fill("organizer-secret")
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_text("Archiv der Sitzungen").wait_for()
    bad = tmp_path / "treffen3.json"
    bad.write_text(json.dumps({"format": "moderationskoffer/agenda@1", "title": "3. Treffen", "steps": [
        {"method": "fishbowl", "title": "Leitbild"}]}), encoding="utf-8")
    page.locator("input[type=file]").set_input_files(bad)
    page.get_by_text("Punkt 1 („Leitbild“) – Methode: Die Methode „fishbowl“ gibt es hier (noch) nicht.").wait_for()
    assert page.get_by_text("unknown method").count() == 0 and page.get_by_text("100 %").count() == 0


def test_saving_a_step_in_the_editor_says_so(server, browser) -> None:
    editor = browser.new_page(viewport={"width": 1280, "height": 900})
    editor.goto(server.console.replace("/console", "/edit"))
    question = editor.get_by_label("Frage").first
    question.fill("Sind Sie mit dem Protokoll einverstanden?")
    editor.get_by_role("button", name="Speichern").nth(1).click()  # the first step's card (after the details)
    editor.get_by_text("Gespeichert").first.wait_for()

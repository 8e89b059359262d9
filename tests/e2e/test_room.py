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

"""Real browser: the office gets back into a running session and hands the beamer its link.

The organizer logs in, opens the demo session's console from the archive, copies the projector
link from the console and opens it on "the beamer"; the beamer keeps working after the console
showed its link again and after the beamer reloads.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_browser import browser, server  # noqa: F401 - the fixtures

pytestmark = pytest.mark.e2e


def test_office_opens_console_from_archive_and_hands_the_beamer_its_link(server, browser) -> None:  # noqa: F811
    sid = int(re.search(r"/s/(\d+)/", server.console).group(1))
    office = browser.new_context(viewport={"width": 1280, "height": 800},
                                 permissions=["clipboard-read", "clipboard-write"])
    archive = office.new_page()
    archive.goto(f"{server.base}/login")
    archive.get_by_label("Passwort").fill("organizer-secret")
    archive.get_by_role("button", name="Anmelden").click()
    archive.get_by_text("Archiv der Sitzungen").wait_for()

    with office.expect_page() as opened:
        archive.get_by_role("button", name="Konsole öffnen").first.click()
    console = opened.value
    console.get_by_text(server.code, exact=True).wait_for()
    console.get_by_role("button", name="Öffnen").wait_for()  # the controls: the office can run it
    assert f"/s/{sid}/console" in console.url

    console.locator("button", has_text="cast").click()  # the projector-link icon
    console.get_by_text("Er bleibt gültig").wait_for()
    dialog = console.locator(".q-dialog")
    dialog.locator("button", has_text="content_copy").click()
    console.get_by_text("Kopiert").wait_for()
    link = console.evaluate("navigator.clipboard.readText()")
    assert link.startswith(f"{server.base}/s/{sid}/screen?key="), link
    assert dialog.get_by_role("link").first.inner_text() == link

    beamer = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    beamer.goto(link)
    beamer.get_by_text(server.code, exact=True).wait_for()

    console.keyboard.press("Escape")
    console.locator(".q-dialog").wait_for(state="hidden")
    console.locator("button", has_text="cast").click()  # shown once more: the same link
    console.get_by_text("Er bleibt gültig").wait_for()
    assert console.locator(".q-dialog").get_by_role("link").first.inner_text() == link
    console.get_by_role("button", name="Schließen").click()

    beamer.reload()  # the beamer still opens with the link it was given
    beamer.get_by_text(server.code, exact=True).wait_for()
    assert not beamer.get_by_text("Der Zugangsschlüssel fehlt oder ist falsch.").is_visible()
    console.get_by_role("button", name="Öffnen").click()  # and follows the meeting live
    beamer.get_by_text("Offen – Runde 1").wait_for()

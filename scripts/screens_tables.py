"""Screenshots of the theme tables as the room sees them: console 1280x720, projector 1920x1080,
phones at 390x844 (a guest, a host), the enlarged table, the next round.

    .venv/bin/python scripts/screens_tables.py [OUT_DIR]

Starts the demo server on a temporary data dir, goes to the demo's theme-tables step, seats four
phones, writes cards, opens a host link on a fifth phone, merges two cards, starts round 2.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from tests import serverproc  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
CARDS = [
    (0, "Gewerbeflächen fehlen für Handwerksbetriebe", "Flächenverfügbarkeit"),
    (1, "Zu wenig Fachkräfte in der Pflege und im Handwerk", "Fachkräfte und Ausbildung"),
    (2, "Fachkräftemangel", "Fachkräfte und Ausbildung"),
    (3, "Glasfaser in allen Gewerbegebieten", "Digitalisierung"),
]


def phone(browser: object, url: str) -> Page:
    page: Page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()  # type: ignore[attr-defined]
    page.goto(url)
    page.get_by_role("button", name="Ohne Namen weiter").click()
    return page


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screens")
    out.mkdir(parents=True, exist_ok=True)
    srv = serverproc.start(Path(tempfile.mkdtemp()) / "data")
    try:
        with sync_playwright() as pw:
            b = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            console = b.new_page(viewport={"width": 1280, "height": 720})
            console.goto(srv.console)
            console.get_by_text(srv.code, exact=True).wait_for()
            for _ in range(8):  # to the demo's theme-tables step
                if console.get_by_text("Thementische der Allianz").count():
                    break
                console.get_by_role("button", name="Weiter").click()
                console.wait_for_timeout(400)
            console.get_by_text("Thementische der Allianz").first.wait_for()
            console.get_by_role("button", name="Öffnen").click()
            console.get_by_text("Tischrunde 1 von 3").wait_for()
            phones = [phone(b, srv.join_url) for _ in range(4)]
            phones[0].get_by_text("An welchem Tisch sitzen Sie?").wait_for()
            phones[0].screenshot(path=out / "tables-phone-choose.png")
            for page in phones:
                page.locator('[data-table="t1"]').click()
                page.get_by_text("Ihr Tisch").wait_for()
            for index, text, prompt in CARDS:
                page = phones[index]
                page.get_by_role("button", name=prompt).click()
                page.locator('[data-koffer="card-text"]').fill(text)
                page.get_by_role("button", name="Karte anheften").click()
                page.get_by_text("Gespeichert ✓").wait_for()
            phones[0].get_by_text("Glasfaser in allen Gewerbegebieten").wait_for()
            phones[0].screenshot(path=out / "tables-phone-cards.png", full_page=True)
            console.get_by_text("Glasfaser in allen Gewerbegebieten").wait_for()
            console.wait_for_timeout(500)
            console.screenshot(path=out / "tables-console.png")

            console.get_by_role("button", name="Gastgeber-Links").click()
            link_text = console.get_by_text(re.compile(r"\?host=t1\.")).inner_text()
            console.screenshot(path=out / "tables-host-links.png")
            console.keyboard.press("Escape")
            host = phone(b, link_text.strip())
            host.get_by_text("Sie sind Gastgeber:in dieses Tisches").wait_for()
            host.get_by_text("Fachkräftemangel").wait_for()
            host.screenshot(path=out / "tables-host.png", full_page=True)
            host.locator("[data-card]", has_text="Zu wenig Fachkräfte").locator("[data-merge]").click()
            host.get_by_text("Fachkräftemangel", exact=True).click()
            host.locator('[data-koffer="merge-confirm"]').click()
            host.get_by_text("aus 2 Karten").wait_for()
            host.locator('[data-koffer="summary-text"]').fill("Flächen und Fachkräfte sind die größten Sorgen.")
            host.locator('[data-koffer="summary-save"]').click()
            host.wait_for_timeout(500)
            host.screenshot(path=out / "tables-host-merged.png", full_page=True)

            screen = b.new_page(viewport={"width": 1920, "height": 1080})
            screen.goto(srv.projector)
            screen.get_by_text("Glasfaser in allen Gewerbegebieten").wait_for()
            screen.wait_for_timeout(800)
            screen.screenshot(path=out / "tables-projector.png")
            console.locator('[data-koffer="table-head-t1"]').click()
            screen.get_by_text("Zusammenfassung:").wait_for()
            screen.wait_for_timeout(800)
            screen.screenshot(path=out / "tables-projector-focus.png")
            console.locator('[data-koffer="table-head-t1"]').click()

            console.get_by_role("button", name="Nächste Runde").click()
            console.get_by_text("Tischrunde 2 von 3").wait_for()
            phones[1].get_by_text("Neue Runde: Wählen Sie einen neuen Tisch.").wait_for()
            phones[1].locator('[data-table="t2"]').click()
            phones[1].wait_for_timeout(500)
            phones[1].screenshot(path=out / "tables-phone-round2.png", full_page=True)
            phones[2].locator('[data-table="t1"]').click()
            phones[2].get_by_text("Was die Runde vorher gesagt hat").wait_for()
            phones[2].screenshot(path=out / "tables-phone-summary.png", full_page=True)
            console.wait_for_timeout(500)
            console.screenshot(path=out / "tables-console-round2.png")
            b.close()
    finally:
        srv.stop()
    print("saved to", out)


if __name__ == "__main__":
    main()

"""Screenshots as the room sees it: console at 1280x720, projector, a phone at 390x844.

    .venv/bin/python scripts/screens.py [OUT_DIR]

Starts the demo server on a temporary data dir, joins three phones, votes, reveals, and saves
PNGs for a person to look at before a release.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import Page, sync_playwright  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

from tests import serverproc  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def walk_on(console: Page, phone: Page, screen: Page, out: Path) -> None:
    """Every later step of the demo: opened as it comes, looked at on a phone (whole page),
    the console and the projector before anyone answered."""
    for n in range(3, 12):
        weiter = console.get_by_role("button", name="Weiter")
        if weiter.count() == 0 or not weiter.first.is_enabled():
            break
        weiter.first.click()
        close = console.get_by_role("button", name="Schließen und weiter")
        close.or_(console.get_by_role("button", name="Öffnen")).first.wait_for()
        if close.is_visible():
            close.click()
            close.wait_for(state="hidden")
        opening = console.get_by_role("button", name="Öffnen")
        try:
            opening.wait_for(timeout=5000)
        except PlaywrightTimeout:  # the last step: nothing further to open
            break
        opening.click()
        console.wait_for_timeout(1200)
        phone.screenshot(path=out / f"phone-step{n}.png", full_page=True)
        console.screenshot(path=out / f"console-step{n}.png")
        screen.screenshot(path=out / f"projector-step{n}.png")
        if phone.locator('[data-koffer="comparison"]').count():  # materiality: tap, the held pair is on
            phone.locator("[data-item]").first.click()
            phone.get_by_text("Vergleich 2 von").wait_for()
            phone.screenshot(path=out / f"phone-step{n}-tapped.png", full_page=True)
            phone.get_by_text("Gespeichert ✓").wait_for()
            phone.wait_for_timeout(500)  # the new pair has slid in
            phone.screenshot(path=out / f"phone-step{n}-saved.png", full_page=True)


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
            console.screenshot(path=out / "console-start.png")
            phones = []
            for i in range(3):
                page = b.new_context(viewport={"width": 390, "height": 844}).new_page()
                page.goto(srv.join_url)
                if i == 0:
                    page.screenshot(path=out / "phone-name.png")
                page.get_by_role("button", name="Ohne Namen weiter").click()
                page.get_by_text("Gleich geht es los").wait_for()
                phones.append(page)
            phones[0].screenshot(path=out / "phone-waiting.png")
            console.get_by_role("button", name="Öffnen").click()
            for page, choice in zip(phones, ["Ja", "Ja", "Nein"], strict=True):
                page.get_by_role("button", name=choice, exact=True).click()
                page.get_by_text("Gespeichert ✓").wait_for()
            phones[0].screenshot(path=out / "phone-voted.png")
            console.get_by_text("3 von 3").wait_for()
            console.screenshot(path=out / "console-hidden.png")
            console.get_by_role("button", name="Aufdecken").click()
            console.locator(".js-plotly-plot").first.wait_for()
            console.wait_for_timeout(800)
            console.screenshot(path=out / "console-revealed.png")
            phones[0].wait_for_timeout(300)
            phones[0].screenshot(path=out / "phone-result.png")
            console.get_by_role("button", name="Weiter").click()
            console.get_by_role("button", name="Schließen und weiter").click()  # the vote was still open
            console.get_by_role("button", name="Öffnen").click()
            phones[0].locator('[data-value="3"]').first.click()
            phones[0].get_by_text("Widerstand: 3 · gespeichert ✓").wait_for()
            phones[0].screenshot(path=out / "phone-step2.png", full_page=True)
            console.wait_for_timeout(500)
            console.screenshot(path=out / "console-step2.png")
            screen = b.new_page(viewport={"width": 1920, "height": 1080})
            screen.goto(srv.projector)
            screen.wait_for_timeout(1000)
            screen.screenshot(path=out / "projector-1080.png")
            walk_on(console, phones[0], screen, out)
            b.close()
    finally:
        srv.stop()
    print("saved to", out)


if __name__ == "__main__":
    main()

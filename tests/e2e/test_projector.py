"""The projector at 1920×1080 is read from the back row: every text of a revealed consensing result
is at least 28 px, nothing is cut, and what the moderator opens to discuss appears there too."""

from __future__ import annotations

import random
from typing import Any

import httpx
import pytest

from tests import serverproc
from tests.e2e.test_browser import browser  # noqa: F401  (fixture)

pytestmark = pytest.mark.e2e

PROPOSALS = [
    "City-Logistik unter Nachhaltigkeitsgesichtspunkten für den innerstädtischen Einzelhandel",
    "Gemeinsames Reallabor Ladenleerstand: Zwischennutzung durch Handwerk, Kultur und Start-ups",
    "Digitale Schaufenster",
    "Quartiersmanagement mit festen Ansprechpersonen in allen Stadtteilzentren und Nebenzentren",
    "Mobilitätsstationen",
    "Fachkräfteallianz Handwerk, Handel und Gastronomie mit gemeinsamer Ausbildungsbörse",
    "Energieeffizienz-Check für kleine und mittlere Betriebe im Innenstadtbereich",
]
MIN_PX = 28.0

MEASURE = """(root) => {
  const out = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    if (!text) continue;
    const el = node.parentElement;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none' || el.getClientRects().length === 0) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const r = range.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const clipped = [];
    for (let a = el; a && a !== document.documentElement; a = a.parentElement) {
      const s = getComputedStyle(a);
      if ([s.overflow, s.overflowX, s.overflowY].some(v => v !== 'visible')) {
        const b = a.getBoundingClientRect();
        if (r.left < b.left - 1 || r.right > b.right + 1 || r.top < b.top - 1 || r.bottom > b.bottom + 1)
          clipped.push(a.tagName + '.' + a.className);
      }
    }
    out.push({text, size: parseFloat(style.fontSize), svg: el instanceof SVGElement,
              ellipsis: style.textOverflow === 'ellipsis' || text.endsWith('…'),
              scroll: !(el instanceof SVGElement) && (el.scrollWidth > el.clientWidth + 1),
              inside: r.left >= -1 && r.right <= innerWidth + 1 && r.top >= -1 && r.bottom <= innerHeight + 1,
              clipped});
  }
  return out;
}"""


@pytest.fixture
def server(tmp_path):
    srv = serverproc.start(tmp_path / "data", password="pw-for-e2e")
    yield srv
    srv.stop()


def second_round_revealed(base: str, password: str = "pw-for-e2e", people: int = 24) -> dict[str, Any]:
    """A consensing step with long titles, rated twice by ``people`` phones, round 2 revealed."""
    token = httpx.post(f"{base}/api/v1/login", json={"password": password}).json()["token"]
    doc = {"title": "4. Treffen der Wirtschaftsallianz", "names": "none",
           "steps": [{"method": "consensing", "title": "Welche Reallabore beauftragen wir?",
                      "config": {"question": "Welche Reallabore sollen wir 2018 beauftragen?",
                                 "proposals": PROPOSALS, "select": 2}}]}
    created = httpx.post(f"{base}/api/v1/sessions", json=doc, headers={"Authorization": f"Bearer {token}"}).json()
    sid, step = created["id"], created["steps"][0]["id"]
    auth = {"Authorization": f"Bearer {created['moderator_key']}"}
    tokens = [httpx.post(f"{base}/api/v1/join", json={"code": created["join_code"]}).json()["participant_token"]
              for _ in range(people)]
    ids = [f"p{i + 1}" for i in range(len(PROPOSALS))] + ["passive"]
    rng = random.Random(7)
    for round_ in (1, 2):
        httpx.post(f"{base}/api/v1/sessions/{sid}/steps/{step}/open", headers=auth).raise_for_status()
        for n, phone in enumerate(tokens):
            ratings: dict[str, Any] = {oid: min(10, max(0, int(rng.gauss(2 + i + (3 - 2 * round_) * (i % 3), 2))))
                                       for i, oid in enumerate(ids)}
            if n % 7 == 0:
                ratings["p3"] = "abstain"
            httpx.post(f"{base}/api/v1/steps/{step}/contributions", json={"ratings": ratings},
                       headers={"Authorization": f"Bearer {phone}"}).raise_for_status()
        httpx.post(f"{base}/api/v1/sessions/{sid}/steps/{step}/close", headers=auth).raise_for_status()
    httpx.post(f"{base}/api/v1/sessions/{sid}/steps/{step}/reveal", headers=auth).raise_for_status()
    return {"console": f"{base}/s/{sid}/console?key={created['moderator_key']}",
            "screen": f"{base}/s/{sid}/screen?key={created['projector_key']}", "code": created["join_code"]}


def too_small_or_cut(texts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [t for t in texts if t["size"] < MIN_PX or t["ellipsis"] or t["scroll"] or t["clipped"] or not t["inside"]]


def test_projector_result_is_readable_from_the_back_row(server, browser) -> None:  # noqa: F811
    urls = second_round_revealed(server.base)
    screen = browser.new_page(viewport={"width": 1920, "height": 1080})
    screen.goto(urls["screen"])
    screen.get_by_text("Akzeptanz Runde 1 → Runde 2").wait_for()
    screen.get_by_text(PROPOSALS[0]).last.wait_for()  # the first is hidden: the counts before the reveal
    area = screen.locator(".nicegui-content > div").nth(1)  # below the session title: agenda item and result
    texts = area.evaluate(MEASURE)
    shown = " ".join(t["text"] for t in texts)
    for title in PROPOSALS:  # every title whole, wrapped instead of cut
        assert title in shown, title
    assert "Bewertungen" in shown and "Enthaltungen" in shown and "Bew." not in shown
    assert "Runde 1:" in shown and "Passivlösung" in shown
    results = [t for t in texts if t["text"] not in (urls["code"],)]
    assert len(results) > 40, texts
    assert not too_small_or_cut(results), too_small_or_cut(results)
    # the QR code sits in a corner while the result fills the screen, still with the code
    qr = screen.locator("img").first.bounding_box()
    assert qr is not None and qr["width"] <= 200 and qr["x"] + qr["width"] > 1700 and qr["y"] < 250
    assert screen.get_by_text(urls["code"], exact=True).is_visible()
    assert screen.locator("button").count() == 0  # no control on the projector
    screen.screenshot(path=str(server.data_dir.parent / "projector.png"))


def test_distribution_opened_on_the_console_shows_on_the_projector(server, browser) -> None:  # noqa: F811
    urls = second_round_revealed(server.base)
    console = browser.new_page(viewport={"width": 1280, "height": 720})
    console.goto(urls["console"])
    screen = browser.new_page(viewport={"width": 1920, "height": 1080})
    screen.goto(urls["screen"])
    screen.get_by_text(PROPOSALS[0]).last.wait_for()  # the first is hidden: the counts before the reveal
    console.get_by_text(PROPOSALS[0]).last.click()  # a click on an option's row
    dialog = screen.locator(".q-dialog")
    dialog.get_by_text(PROPOSALS[0]).wait_for()
    dialog.locator(".js-plotly-plot text").first.wait_for()
    texts = dialog.first.evaluate(MEASURE)
    assert any("hohe Widerstände" in t["text"] for t in texts), texts
    assert any(t["svg"] for t in texts), texts  # the histogram's numbers are measured too
    assert not too_small_or_cut(texts), too_small_or_cut(texts)
    assert dialog.locator("button").count() == 0
    screen.screenshot(path=str(server.data_dir.parent / "projector-detail.png"))
    console.screenshot(path=str(server.data_dir.parent / "console-detail.png"))

    console.get_by_role("button", name="Zurück zur Rangfolge").click()
    dialog.wait_for(state="hidden")
    console.locator(".q-dialog").first.wait_for(state="hidden")  # (after its closing animation)

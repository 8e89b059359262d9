"""The materiality matrix on the projector at 1920×1080, read from the back row: with 30 items,
every label of the matrix (axis titles, ends, quadrant labels, point numbers) and every line of the
legend is at least 28 px, inside the screen and not cut; a moved item shows its arrow."""

from __future__ import annotations

import math
import random
from typing import Any

import httpx
import pytest

from tests.e2e.test_browser import browser  # noqa: F401  (fixture)
from tests.e2e.test_projector import MEASURE, server, too_small_or_cut  # noqa: F401  (fixture)

pytestmark = pytest.mark.e2e

TITLES = [
    "Elektromobiler City-Hub", "WLAN in der Innenstadt", "Hybride Formen des Einzelhandels", "Bottrop-Card",
    "Aufenthaltsqualität in der Innenstadt", "Nachhaltige Transportdienste aus der Innenstadt",
    "Gastgeberverzeichnis", "Nachhaltige Mobilität zu Freizeitzielen", "Markenentwicklung für den Standort",
    "Coaching zur Digitalisierung", "Gemeinsames Fachkräfteportal", "Projektplattform Unternehmen und Hochschule",
    "Verbund von Ausbildungsbetrieben", "Netzwerkfest für neue Unternehmen", "Selbstständigkeit in die Berufsschulen",
    "Co-Working", "Patenschaften für Gründer", "Lokaler Gründerfonds", "Ideen-Garage: vom Hinterhof zur Produktion",
    "Flexible Arbeitszeitmodelle", "Leerstandsmanagement mit Eigentümern", "Gemeinsame Einkaufsgemeinschaft Energie",
    "Stadtteilmarketing Süd", "Mentoring für Nachfolge in Familienbetrieben",
    "Regionale Wertschöpfungskette Lebensmittel", "Digitale Sprechstunde der Wirtschaftsförderung",
    "Azubi-Ticket für Bus und Bahn", "Kita-Plätze für Beschäftigte", "Wasserstoff-Tankstelle Gewerbegebiet",
    "Tag der offenen Betriebe",
]


def compared_and_revealed(base: str, password: str = "pw-for-e2e", people: int = 10) -> dict[str, Any]:
    """30 items compared by ``people`` phones through the API (noisy answers to the pairs handed
    out), closed, revealed, the weakest item moved to the top right after discussion."""
    token = httpx.post(f"{base}/api/v1/login", json={"password": password}).json()["token"]
    doc = {"title": "3. Treffen der Wirtschaftsallianz", "names": "none",
           "steps": [{"method": "materiality", "title": "Wesentlichkeitsanalyse der Projektideen", "config": {
               "question": "Welche Projektideen soll die Allianz vorrangig verfolgen?", "items": TITLES,
               "axes": {"x": {"label": "Wirkung auf Nachhaltigkeit und Resilienz"},
                        "y": {"label": "Umsetzbarkeit durch die Allianz", "low": "schwer", "high": "leicht"}}}}]}
    created = httpx.post(f"{base}/api/v1/sessions", json=doc, headers={"Authorization": f"Bearer {token}"}).json()
    sid, step = created["id"], created["steps"][0]["id"]
    auth = {"Authorization": f"Bearer {created['moderator_key']}"}
    httpx.post(f"{base}/api/v1/sessions/{sid}/steps/{step}/open", headers=auth).raise_for_status()
    rng = random.Random(11)
    truth = {f"i{k}": (rng.gauss(0, 1.3), rng.gauss(0, 1.0)) for k in range(1, len(TITLES) + 1)}
    with httpx.Client(base_url=base) as client:
        for _ in range(people):
            joined = client.post("/api/v1/join", json={"code": created["join_code"]}).json()
            person = {"Authorization": f"Bearer {joined['participant_token']}"}
            while (task := client.get(f"/api/v1/sessions/{sid}/current", headers=person).json()["step"]["task"][
                    "next"]) is not None:
                a, b = (item["id"] for item in task["pair"])
                k = 0 if task["axis"] == "x" else 1
                p = 1 / (1 + math.exp(truth[b][k] - truth[a][k]))
                choice = None if rng.random() < 0.1 else (a if rng.random() < p else b)
                client.post(f"/api/v1/steps/{step}/contributions", headers=person,
                            json={"axis": task["axis"], "pair": [a, b], "choice": choice}).raise_for_status()
    for action in ("close", "reveal"):
        httpx.post(f"{base}/api/v1/sessions/{sid}/steps/{step}/{action}", headers=auth).raise_for_status()
    result = httpx.get(f"{base}/api/v1/sessions/{sid}/results", headers=auth).json()["steps"][0]["rounds"][0]["result"]
    weakest = min(result["items"], key=lambda p: p["x"] + p["y"])
    httpx.post(f"{base}/api/v1/sessions/{sid}/steps/{step}/commands/move", headers=auth,
               json={"item": weakest["id"], "x": 0.85, "y": 0.8}).raise_for_status()
    return {"screen": f"{base}/s/{sid}/screen?key={created['projector_key']}", "code": created["join_code"],
            "moved": weakest["id"]}


def test_matrix_with_30_items_is_readable_from_the_back_row(server, browser) -> None:  # noqa: F811
    urls = compared_and_revealed(server.base)
    screen = browser.new_page(viewport={"width": 1920, "height": 1080})
    screen.goto(urls["screen"])
    screen.locator(".js-plotly-plot .annotation-arrow-g path").first.wait_for(state="attached")  # the move
    screen.get_by_text("30 Tag der offenen Betriebe").wait_for()
    area = screen.locator(".nicegui-content > div").nth(1)  # below the session title: agenda item and result
    texts = area.evaluate(MEASURE)
    shown = [" ".join(t["text"].split()) for t in texts]
    for k, title in enumerate(TITLES, start=1):  # every title whole, beside its number
        assert any(line.startswith(f"{k} {title}") for line in shown), title
    plot = [t["text"] for t in texts if t["svg"]]
    for label in ("Wirkung auf Nachhaltigkeit und", "Resilienz", "gering", "hoch", "schwer", "leicht",
                  "priorisiert", "nicht priorisiert", "langfristig", "angehen"):  # axes, ends, quadrants
        assert label in plot, (label, plot)
    numbers = {t for t in plot if t.isdigit()}
    assert numbers == {str(k) for k in range(1, 31)}, plot  # every point numbered
    assert any("verschoben" in t for t in shown)  # the legend's key names the arrow
    results = [t for t in texts if t["text"] != urls["code"]]
    assert len(results) > 70, texts
    assert not too_small_or_cut(results), too_small_or_cut(results)
    assert screen.locator("button").count() == 0  # no control on the projector
    screen.screenshot(path=str(server.data_dir.parent / "projector-matrix.png"))

"""The materiality matrix through the real pages and the API: a phone gets a pair, answers, gets
the next pair with the ack (never the same pair twice), the console draws the matrix after the
reveal, the API hands out the same task, the PDF carries the board's transcription."""

from __future__ import annotations

import subprocess
from typing import Any

import httpx
from nicegui import ui
from nicegui.testing import User

from facilitation import agenda, context, lifecycle, organize
from tests.app.phones import Phone
from tests.app.test_api import api, bearer, create  # noqa: F401  (api is a fixture)

ITEMS = ["Co-Working", "Gründerfonds", "Fachkräfteportal", "City-Hub", "Bottrop-Card"]
AGENDA: dict[str, Any] = {
    "format": "moderationskoffer/agenda@1", "title": "Matrix", "names": "none",
    "steps": [{"method": "materiality", "title": "Wesentlichkeit", "config": {
        "question": "Was verfolgen wir vorrangig?", "items": ITEMS, "comparisons_per_axis": 3,
        "axes": {"x": {"label": "Wirkung"}, "y": {"label": "Umsetzbarkeit", "low": "schwer", "high": "leicht"}},
    }}],
}


def answer(task: dict[str, Any], pick: int | None = 0) -> dict[str, Any]:
    pair = [item["id"] for item in task["pair"]]
    return {"axis": task["axis"], "pair": pair, "choice": None if pick is None else pair[pick]}


async def test_phone_compares_pair_after_pair_and_console_shows_the_matrix(user: User, create_user: Any) -> None:
    ctx = context.current()
    created = organize.create_session(ctx, agenda.parse(AGENDA))
    step_id = created.session.steps[0].id
    lifecycle.open_step(ctx, step_id)

    await user.open(f"/s/{created.session.id}/console?key={created.moderator_key}")
    phone_user = create_user()
    await phone_user.open(f"/j/{created.session.join_code}")
    phone = Phone(phone_user)
    await phone.wait_view()
    assert phone.shown["question"] == "Was verfolgen wir vorrangig?"
    assert phone.shown["texts"]["equal"] == "gleich / kann ich nicht sagen"
    mine = phone.mine
    assert mine["task"]["axis"] == "x" and len(mine["task"]["pair"]) == 2
    assert mine["ask"].startswith("Wirkung: Welches der beiden Themen")
    assert mine["progress"] == "Vergleich 1 von 6"
    assert {"id", "title", "description"} <= set(mine["task"]["pair"][0])

    # a pair that is not a pair, or an item that does not exist: refused, the same task stays
    ok, _ = await phone.send({"axis": "x", "pair": ["i1", "i99"], "choice": "i1"})
    assert ok is False and phone.mine == mine

    seen: set[tuple[str, frozenset[str]]] = set()
    task = mine["task"]
    for n in range(6):
        key = (task["axis"], frozenset(item["id"] for item in task["pair"]))
        assert key not in seen, f"pair {key} offered twice"
        seen.add(key)
        ok, mine = await phone.send(answer(task, None if n == 5 else n % 2))
        assert ok is True
        if n < 5:
            task = mine["task"]
            assert mine["progress"] == f"Vergleich {n + 2} von 6"
    assert mine == {"task": None}  # all comparisons done: the phone says thank you
    assert {axis for axis, _ in seen} == {"x", "y"}  # the axes alternate

    await user.should_see("1 von 1 haben abgestimmt")
    await user.should_see("Ergebnis verdeckt")
    await user.should_not_see("Noch nicht genug Vergleiche")
    lifecycle.reveal(ctx, step_id)
    await user.should_see("Noch nicht genug Vergleiche")  # 5 answers cannot settle 5 items
    await user.should_see("5 Vergleiche von 1 Personen · 1 × „gleich“")
    plots = [e for e in user.find(marker="matrix").elements if isinstance(e, ui.plotly)]
    figure = plots[0].figure
    assert isinstance(figure, dict)
    points = figure["data"][0]
    numbers = [int(n) for n in points["text"]]  # each point is numbered as its legend line
    assert len(set(numbers)) == len(numbers) == len(points["x"]) and set(numbers) <= {1, 2, 3, 4, 5}
    assert figure["layout"]["xaxis"]["title"]["text"] == "Wirkung"
    assert figure["layout"]["yaxis"]["ticktext"] == ["schwer", "leicht"]
    assert len(figure["layout"]["shapes"]) == 2 and len(figure["layout"]["annotations"]) == 4
    legend = [e.text for e in user.find(marker="legend-item").elements]  # type: ignore[attr-defined]
    lines = sorted((int(n), rest.split(" — ")[0]) for n, rest in (line.split("  ", 1) for line in legend))
    assert lines == list(enumerate(ITEMS, start=1))


async def test_api_task_and_protocol(api: httpx.AsyncClient) -> None:  # noqa: F811
    created = await create(api, AGENDA)
    sid, step_id = created["id"], created["steps"][0]["id"]
    moderator = bearer(created["moderator_key"])
    await api.post(f"/api/v1/sessions/{sid}/steps/{step_id}/open", headers=moderator)
    joined = await api.post("/api/v1/join", json={"code": created["join_code"]})
    person = bearer(joined.json()["participant_token"])

    pairs = set()
    for _ in range(6):
        task = (await api.get(f"/api/v1/sessions/{sid}/current", headers=person)).json()["step"]["task"]["next"]
        assert task["axis"] in ("x", "y") and len(task["pair"]) == 2
        pairs.add((task["axis"], frozenset(i["id"] for i in task["pair"])))
        posted = await api.post(f"/api/v1/steps/{step_id}/contributions", json=answer(task), headers=person)
        assert posted.status_code == 201, posted.text
    assert len(pairs) == 6
    assert (await api.get(f"/api/v1/sessions/{sid}/current", headers=person)).json()["step"]["task"]["next"] is None

    await api.post(f"/api/v1/sessions/{sid}/steps/{step_id}/close", headers=moderator)
    pdf = await api.get(f"/api/v1/sessions/{sid}/protocol.pdf", headers=moderator)
    assert pdf.status_code == 200
    text = " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf.content,
                                   capture_output=True, check=True).stdout.decode().split())
    assert "Rangfolge: Wirkung (gering → hoch)" in text  # the transcription, per axis
    assert "Rangfolge: Umsetzbarkeit (schwer → leicht)" in text
    assert "95 %-Bereich" in text and "Genug Vergleiche: noch nicht" in text
    assert "Co-Working" in text

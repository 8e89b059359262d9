"""Items flow between steps: consensing's selected proposals become a hand vote's options.

Driven through the JSON API as an office script or a moderator's tool would: create the meeting
from an agenda file, rate, close, open the next step, and read what the phones are asked.
"""

from __future__ import annotations

import subprocess
from typing import Any

import httpx
from nicegui import ui
from nicegui.testing import User

from facilitation import agenda, context, lifecycle, organize, participation
from facilitation.contributions import submit
from tests.app.test_api import api, assert_error, bearer, create, login  # noqa: F401  (api is a fixture)

AGENDA: dict[str, Any] = {
    "format": "moderationskoffer/agenda@1",
    "title": "4. Treffen",
    "names": "none",
    "steps": [
        {"method": "consensing", "title": "Welche Reallabore?",
         "config": {"proposals": ["City-Logistik", "Hybrider Handel", "Fachkräfteportal"], "select": 2}},
        {"method": "hand_vote", "title": "Wer startet?",
         "config": {"question": "Welches Reallabor startet zuerst?", "items_from": {"step": 0}}},
    ],
}


async def join(api: httpx.AsyncClient, code: str) -> dict[str, str]:
    response = await api.post("/api/v1/join", json={"code": code})
    assert response.status_code == 200, response.text
    return bearer(response.json()["participant_token"])


async def step_action(api: httpx.AsyncClient, created: dict[str, Any], step: int, action: str) -> httpx.Response:
    sid, step_id = created["id"], created["steps"][step]["id"]
    return await api.post(f"/api/v1/sessions/{sid}/steps/{step_id}/{action}",
                          headers=bearer(created["moderator_key"]))


async def test_selected_proposals_become_the_options_of_a_later_hand_vote(api: httpx.AsyncClient) -> None:
    created = await create(api, AGENDA)
    people = [await join(api, created["join_code"]) for _ in range(3)]
    cons_id = created["steps"][0]["id"]

    # the hand vote cannot open before the consensing step has a result
    refused = assert_error(await step_action(api, created, 1, "open"), 409, "items_from_unfinished")
    assert "Welche Reallabore?" in refused["message"]
    await step_action(api, created, 0, "open")
    assert_error(await step_action(api, created, 1, "open"), 409, "items_from_unfinished")  # still open

    for who, ratings in zip(people, ({"p1": 1, "p2": 8, "p3": 3, "passive": 9},
                                     {"p1": 2, "p2": 9, "p3": 2, "passive": 10},
                                     {"p1": 0, "p2": 7, "p3": 4, "passive": 8}), strict=True):
        response = await api.post(f"/api/v1/steps/{cons_id}/contributions", json={"ratings": ratings}, headers=who)
        assert response.status_code == 201, response.text
    assert (await step_action(api, created, 0, "close")).status_code == 200
    assert (await step_action(api, created, 1, "open")).status_code == 200

    current = (await api.get(f"/api/v1/sessions/{created['id']}/current", headers=people[0])).json()
    options = current["step"]["task"]["config"]["options"]
    assert [o["label"] for o in options] == ["City-Logistik", "Fachkräfteportal"]  # selected, best first
    assert [o["id"] for o in options] == ["p1", "p3"]  # the proposals' own ids travel with them

    vote = await api.post(f"/api/v1/steps/{created['steps'][1]['id']}/contributions",
                          json={"option": "p3"}, headers=people[0])
    assert vote.status_code == 201, vote.text
    # the agenda keeps the reference (the office's file round-trips), the round records the items
    agenda = (await api.get(f"/api/v1/sessions/{created['id']}/agenda", headers=await login(api))).json()
    assert agenda["steps"][1]["config"] == AGENDA["steps"][1]["config"]
    results = (await api.get(f"/api/v1/sessions/{created['id']}/results", headers=await login(api))).json()
    hand_vote_round = results["steps"][1]["rounds"][0]
    assert hand_vote_round["config"]["items_from"] == {"step": 0}
    assert [o["label"] for o in hand_vote_round["result"]["options"]] == ["City-Logistik", "Fachkräfteportal"]
    # the protocol says where the options came from
    await step_action(api, created, 1, "close")
    pdf = await api.get(f"/api/v1/sessions/{created['id']}/protocol.pdf", headers=await login(api))
    assert pdf.status_code == 200
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf.content, capture_output=True,
                          check=True).stdout.decode()
    assert "Einträge übernommen aus TOP 1 „Welche Reallabore?“" in " ".join(text.split())


async def test_a_source_with_nothing_selected_keeps_the_step_closed(api: httpx.AsyncClient) -> None:
    created = await create(api, AGENDA)
    person = await join(api, created["join_code"])
    await step_action(api, created, 0, "open")
    response = await api.post(f"/api/v1/steps/{created['steps'][0]['id']}/contributions",
                              json={"ratings": {"p1": 9, "p2": 9, "p3": 9, "passive": 0}}, headers=person)
    assert response.status_code == 201
    await step_action(api, created, 0, "close")  # nothing beats the passive solution
    assert_error(await step_action(api, created, 1, "open"), 409, "items_from_empty")
    session = (await api.get(f"/api/v1/sessions/{created['id']}", headers=await login(api))).json()
    assert session["steps"][1]["state"] == "draft"  # refused before anything changed


async def test_top_keeps_only_the_first_items(api: httpx.AsyncClient) -> None:
    doc = {**AGENDA, "steps": [AGENDA["steps"][0], {**AGENDA["steps"][1], "config": {
        "question": "Eines?", "items_from": {"step": 0, "top": 1}, "options": ["Ja", "Nein"]}}]}
    created = await create(api, doc)
    person = await join(api, created["join_code"])
    await step_action(api, created, 0, "open")
    await api.post(f"/api/v1/steps/{created['steps'][0]['id']}/contributions",
                   json={"ratings": {"p1": 0, "p2": 1, "p3": 9, "passive": 10}}, headers=person)
    await step_action(api, created, 0, "close")
    # one item is too few for a hand vote: said before opening, where it came from, nothing changed
    refused = await step_action(api, created, 1, "open")
    assert_error(refused, 409, "items_from_unusable")
    assert "Punkt 1" in refused.json()["message"] and "Anzahl: 1" in refused.json()["message"]


async def test_agenda_refuses_a_reference_to_a_later_step(api: httpx.AsyncClient) -> None:
    doc = {**AGENDA, "steps": [{**AGENDA["steps"][1], "config": {"items_from": {"step": 1}}}, AGENDA["steps"][0]]}
    response = await api.post("/api/v1/sessions", json=doc, headers=await login(api))
    body = assert_error(response, 422, "agenda_invalid")
    assert [(p["field"], p["code"], p["message"]) for p in body["detail"]["problems"]] == [
        ("steps[0].config.items_from.step", "items_first_step", "the first step has no earlier step to take items from")]


async def test_editor_sets_a_hand_vote_to_take_the_selected_proposals(user: User) -> None:
    ctx = context.current()
    doc = {**AGENDA, "steps": [AGENDA["steps"][0], {"method": "hand_vote", "title": "Wer startet?"}]}
    created = organize.create_session(ctx, agenda.parse(doc))
    await user.open(f"/s/{created.session.id}/edit?key={created.moderator_key}")
    await user.should_see(marker="items-from")
    cards = list(user.find(marker="items-from").elements)
    assert len(cards) == 1  # only the hand vote (step 2) can take items: the first step has no earlier one
    select = cards[0]
    assert isinstance(select, ui.select)
    assert select.options == {-1: "– hier eingetragen –", 0: "1. Welche Reallabore?"}
    select.set_value(0)
    user.find(marker="items-top").type("2")
    user.find(marker="save-step-2").click()
    await user.should_see("Gespeichert")
    step = organize.get_session(ctx, created.session.id).steps[1]
    assert step.raw_config["items_from"] == {"step": 0, "top": 2}
    exported = organize.agenda_document(ctx, created.session.id)
    assert exported["steps"][1]["config"]["items_from"] == {"step": 0, "top": 2}


async def test_the_console_says_why_a_step_cannot_take_the_items(user: User) -> None:
    """The moderator presses "Öffnen" and learns what is wrong and what to do, in plain words:
    not only "Die Einstellungen enthalten Fehler."."""
    ctx = context.current()
    doc = {**AGENDA, "steps": [AGENDA["steps"][0], {**AGENDA["steps"][1], "config": {
        "question": "Eines?", "items_from": {"step": 0, "top": 1}, "options": ["Ja", "Nein"]}}]}
    created = organize.create_session(ctx, agenda.parse(doc))
    person = participation.join_session(ctx, created.session.id)
    lifecycle.open_step(ctx, created.session.steps[0].id)
    submit(ctx, created.session.steps[0].id, person.participant_id, {"ratings": {"p1": 0, "p2": 9}})
    lifecycle.close_step(ctx, created.session.steps[0].id)
    lifecycle.goto_step(ctx, created.session.id, created.session.steps[1].id)
    await user.open(f"/s/{created.session.id}/console?key={created.moderator_key}")
    user.find(marker="open").click()
    await user.should_see("Was Punkt 1 („Welche Reallabore?“) ergeben hat, reicht hier nicht (Anzahl: 1)",
                          kind=ui.notification)
    await user.should_see("mindestens 2", kind=ui.notification)


def test_too_few_items_are_explained_in_german_too() -> None:
    """The reason under "reicht hier nicht" is German on a German console, never the engine's English."""
    from app.problems import describe

    said = describe({"field": "config.items", "code": "items_too_few", "params": {"min": 2}}, "de")
    assert said == "Einträge: es braucht mindestens 2 Einträge (oder „Einträge übernehmen aus“ einem früheren Punkt)."

"""The dot vote through the real pages and the API: a phone spends its dots tap by tap (each tap
the whole allocation, racing taps included), the console counts people and shows the ranking
after the reveal, a merge reaches every phone, the API refuses what breaks the rules and keeps
one whole allocation under concurrent calls, items come from earlier steps, the PDF has the
board's table."""

from __future__ import annotations

import asyncio
import subprocess
from typing import Any

import httpx
import pytest
from nicegui import ui
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction

from app.views.base import PhoneHost
from facilitation import agenda, commands, context, lifecycle, organize
from tests.app.phones import Phone, screen, until
from tests.app.test_api import api, assert_error, bearer, create, login  # noqa: F401  (api is a fixture)

ITEMS = ["City-Logistik", "Hybrider Handel", "Fachkräfteportal", "Co-Working", "Gründerfonds", "Bottrop-Card"]
AGENDA: dict[str, Any] = {
    "format": "moderationskoffer/agenda@1", "title": "Auftakt", "names": "none",
    "steps": [{"method": "dot_vote", "title": "Punkte auf die Karten", "config": {
        "question": "Welche Karten sind Ihnen am wichtigsten?", "items": ITEMS, "dots": 4, "max_per_item": 2}}],
}


async def race(phone: Phone, allocations: list[dict[str, int]]) -> list[tuple[bool, Any]]:
    """Several taps sent at once, before any ack (a thumb faster than the network): the acks in
    the order the taps were made."""
    element = phone.view
    view = screen(element)
    first = phone.seq + 1
    for dots in allocations:
        phone.seq += 1
        UserInteraction(phone.user, {element.host}, PhoneHost).trigger("submit", {
            "seq": phone.seq, "payload": {"dots": dots}, "step": view["step"], "round": view["round"]})
    wanted = range(first, phone.seq + 1)
    for _ in range(150):
        if all(seq in phone.acks for seq in wanted):
            return [phone.acks[seq] for seq in wanted]
        await asyncio.sleep(0.02)
    raise AssertionError("not every tap was answered")


def ranking(user: User) -> list[tuple[str, ...]]:
    """The console's ranking rows top to bottom: (rank, label, people · tie, dots)."""
    column = next(iter(user.find(marker="ranking").elements))
    return [tuple(e.text for e in row.descendants() if isinstance(e, ui.label))
            for row in column.default_slot.children]


async def test_phone_spends_dots_and_console_shows_the_ranking_after_the_reveal(user: User, create_user: Any) -> None:
    ctx = context.current()
    created = organize.create_session(ctx, agenda.parse(AGENDA))
    step_id = created.session.steps[0].id
    lifecycle.open_step(ctx, step_id)

    await user.open(f"/s/{created.session.id}/console?key={created.moderator_key}")
    phone_user = create_user()
    await phone_user.open(f"/j/{created.session.join_code}")
    phone = Phone(phone_user)
    await phone.wait_view()
    shown = phone.shown
    assert shown["question"] == "Welche Karten sind Ihnen am wichtigsten?"
    assert (shown["budget"], shown["cap"]) == (4, 2)
    assert [(i["id"], i["label"]) for i in shown["items"]] == [(f"i{k}", label) for k, label in enumerate(ITEMS, 1)]
    assert shown["texts"]["left_many"] == "Noch {left} von 4 Punkten"
    assert phone.mine == {}

    # tap by tap, each tap the whole allocation; the ack carries what is stored
    assert await phone.send({"dots": {"i1": 1}}) == (True, {"i1": 1})
    assert await phone.send({"dots": {"i1": 2}}) == (True, {"i1": 2})
    # over the cap or the budget: refused as a whole, the stored allocation stands
    assert await phone.send({"dots": {"i1": 3}}) == (False, {"i1": 2})
    assert await phone.send({"dots": {"i1": 2, "i2": 2, "i3": 1}}) == (False, {"i1": 2})
    assert phone.mine == {"i1": 2}

    # racing taps: all sent before the first ack; each stored whole, the last one counts
    acks = await race(phone, [{"i1": 2, "i3": 1}, {"i1": 2, "i3": 2}, {"i1": 1, "i3": 2}])
    assert acks == [(True, {"i1": 2, "i3": 1}), (True, {"i1": 2, "i3": 2}), (True, {"i1": 1, "i3": 2})]
    assert phone.mine == {"i1": 1, "i3": 2}

    await user.should_see("1 von 1 haben Punkte vergeben")
    await user.should_see("Ergebnis verdeckt")
    assert {e.text for e in user.find(marker="item-label").elements} == set(ITEMS)  # type: ignore[attr-defined]

    other = create_user()
    await other.open(f"/j/{created.session.join_code}")
    second = Phone(other)
    await second.wait_view()
    assert await second.send({"dots": {"i3": 1, "i5": 2}}) == (True, {"i3": 1, "i5": 2})
    await user.should_see("2 von 2 haben Punkte vergeben")

    lifecycle.close_step(ctx, step_id)
    await until(lambda: phone.live.get("closed") is True)
    ok, _ = await phone.send({"dots": {"i2": 1}})
    assert ok is False and phone.mine == {"i1": 1, "i3": 2}  # closed: nothing stored
    lifecycle.reveal(ctx, step_id)
    await user.should_see("Meiste Punkte: Fachkräfteportal (3)")
    assert ranking(user) == [("1.", "Fachkräfteportal", "2 Personen", "3"), ("2.", "Gründerfonds", "1 Person", "2"),
                             ("3.", "City-Logistik", "1 Person", "1")]
    await user.should_see("3 ohne Punkte")
    await until(lambda: "result" in phone.live)
    rows = phone.live["result"]["rows"]
    assert [r["label"] for r in rows] == ["1. Fachkräfteportal", "2. Gründerfonds", "3. City-Logistik"]
    assert rows[0]["text"] == "3 Punkte · 2 Personen"


async def test_a_merge_reaches_every_phone_and_counts_dots_once_up_to_the_cap(user: User, create_user: Any) -> None:
    ctx = context.current()
    created = organize.create_session(ctx, agenda.parse(AGENDA))
    sid, step_id = created.session.id, created.session.steps[0].id
    lifecycle.open_step(ctx, step_id)
    await user.open(f"/s/{sid}/console?key={created.moderator_key}")
    phone_user = create_user()
    await phone_user.open(f"/j/{created.session.join_code}")
    phone = Phone(phone_user)
    await phone.wait_view()
    assert await phone.send({"dots": {"i1": 2, "i2": 2}}) == (True, {"i1": 2, "i2": 2})

    commands.run(ctx, sid, step_id, "merge", {"item": "i2", "into": "i1", "label": "Logistik und Handel"})
    await until(lambda: len(phone.shown["items"]) == len(ITEMS) - 1)
    merged = phone.shown["items"][0]
    assert (merged["id"], merged["label"], merged["keys"], merged["cards_text"]) == (
        "i1", "Logistik und Handel", ["i1", "i2"], "aus 2 Karten")
    assert "i2" not in [i["id"] for i in phone.shown["items"]]
    assert phone.mine == {"i1": 2, "i2": 2}  # stored as given; the component shows min(cap, 4) = 2
    # the phone's next tap stores the merged card's dots on the card itself
    assert await phone.send({"dots": {"i1": 2, "i4": 1}}) == (True, {"i1": 2, "i4": 1})

    commands.run(ctx, sid, step_id, "split", {"item": "i2"})
    await until(lambda: len(phone.shown["items"]) == len(ITEMS))
    lifecycle.close_step(ctx, step_id)
    lifecycle.reveal(ctx, step_id)
    await user.should_see("Meiste Punkte: City-Logistik (2)")


async def test_api_refuses_over_budget_cap_unknown_and_closed(api: httpx.AsyncClient) -> None:  # noqa: F811
    created = await create(api, AGENDA)
    sid, step_id = created["id"], created["steps"][0]["id"]
    moderator = bearer(created["moderator_key"])
    await api.post(f"/api/v1/sessions/{sid}/steps/{step_id}/open", headers=moderator)
    joined = await api.post("/api/v1/join", json={"code": created["join_code"]})
    person = bearer(joined.json()["participant_token"])
    url = f"/api/v1/steps/{step_id}/contributions"

    current = (await api.get(f"/api/v1/sessions/{sid}/current", headers=person)).json()["step"]["task"]
    assert [(i["id"], i["label"]) for i in current["config"]["items"]] == [
        (f"i{k}", label) for k, label in enumerate(ITEMS, 1)]
    assert (current["config"]["dots"], current["config"]["max_per_item"]) == (4, 2)

    posted = await api.post(url, json={"dots": {"i1": 2, "i4": 1}}, headers=person)
    assert posted.status_code == 201 and posted.json()["keys"] == ["dots"]
    body = assert_error(await api.post(url, json={"dots": {"i1": 2, "i2": 2, "i3": 1}}, headers=person),
                        422, "dots_over_budget")
    assert body["message"] == "Zu viele Punkte: 5 vergeben, Sie haben 4."
    body = assert_error(await api.post(url, json={"dots": {"i2": 3}}, headers=person), 422, "dots_over_cap")
    assert body["message"] == "Höchstens 2 Punkte auf ein Thema („Hybrider Handel“)."
    assert_error(await api.post(url, json={"dots": {"i1": 1, "x9": 1}}, headers=person), 422, "unknown_item")
    assert_error(await api.post(url, json={"dots": {"i1": -1}}, headers=person), 422, "dots_not_count")
    assert_error(await api.post(url, json={"votes": 1}, headers=person), 422, "dots_missing")
    english = await api.post(url, json={"dots": {"i2": 3}}, headers={**person, "Accept-Language": "en"})
    assert english.json()["message"] == "At most 2 dots on one item (“Hybrider Handel”)."
    mine = (await api.get(f"/api/v1/sessions/{sid}/current", headers=person)).json()["step"]["task"]["mine"]
    assert mine == {"dots": {"i1": 2, "i4": 1}}  # nothing of the refused ones stored

    await api.post(f"/api/v1/sessions/{sid}/steps/{step_id}/close", headers=moderator)
    assert_error(await api.post(url, json={"dots": {"i1": 1}}, headers=person), 409, "step_closed")
    result = (await api.get(f"/api/v1/sessions/{sid}/results", headers=await login(api))).json()
    final = result["steps"][0]["rounds"][0]["result"]
    assert (final["voters"], final["dots"]) == (1, 3)
    assert [(r["id"], r["dots"], r["rank"]) for r in final["items"][:2]] == [("i1", 2, 1), ("i4", 1, 2)]

    pdf = await api.get(f"/api/v1/sessions/{sid}/protocol.pdf", headers=moderator)
    assert pdf.status_code == 200
    text = " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf.content,
                                   capture_output=True, check=True).stdout.decode().split())
    assert "Meiste Punkte: City-Logistik (2)" in text
    assert all(word in text for word in ("Rang", "Thema", "Punkte", "Personen", "Co-Working"))  # the table
    assert "4 Punkte pro Person, höchstens 2 pro Thema" in text


async def test_concurrent_submissions_from_one_token_never_add_up(api: httpx.AsyncClient) -> None:  # noqa: F811
    """Twenty allocations from one participant at once, some over budget: each valid one is
    stored whole, the invalid ones not at all, and what counts is one of the valid allocations —
    never a sum beyond the budget."""
    created = await create(api, AGENDA)
    sid, step_id = created["id"], created["steps"][0]["id"]
    moderator = bearer(created["moderator_key"])
    await api.post(f"/api/v1/sessions/{sid}/steps/{step_id}/open", headers=moderator)
    person = bearer((await api.post("/api/v1/join", json={"code": created["join_code"]})).json()["participant_token"])
    valid = [{f"i{1 + k % 6}": 2, f"i{1 + (k + 1) % 6}": 2} for k in range(10)]
    over = [{f"i{1 + k % 6}": 2, f"i{1 + (k + 1) % 6}": 2, f"i{1 + (k + 2) % 6}": 1} for k in range(10)]
    payloads = [p for pair in zip(valid, over, strict=True) for p in pair]
    answers = await asyncio.gather(*(api.post(f"/api/v1/steps/{step_id}/contributions", json={"dots": p},
                                              headers=person) for p in payloads))
    assert [a.status_code for a in answers] == [201, 422] * 10
    mine = (await api.get(f"/api/v1/sessions/{sid}/current", headers=person)).json()["step"]["task"]["mine"]["dots"]
    assert mine in valid
    await api.post(f"/api/v1/sessions/{sid}/steps/{step_id}/close", headers=moderator)
    result = (await api.get(f"/api/v1/sessions/{sid}/results", headers=await login(api))).json()
    final = result["steps"][0]["rounds"][0]["result"]
    assert final["dots"] == 4 and {r["id"]: r["dots"] for r in final["items"] if r["dots"]} == mine


SOURCES: dict[str, tuple[dict[str, Any], list[dict[str, Any]]]] = {
    "hand_vote": ({"question": "Welche?", "options": ["Januar", "Februar", "März"], "multiple": True},
                  [{"options": ["o1", "o3"]}, {"options": ["o3"]}]),
    "consensing": ({"proposals": ["City-Logistik", "Hybrider Handel", "Fachkräfteportal"], "select": 2},
                   [{"ratings": {"p1": 1, "p2": 8, "p3": 3, "passive": 9}}]),
    "materiality": ({"items": ITEMS[:5], "comparisons_per_axis": 10},
                    [{"axis": axis, "pair": [f"i{a}", f"i{b}"], "choice": f"i{a}"}
                     for axis in ("x", "y") for a in range(1, 6) for b in range(a + 1, 6)]),
}


@pytest.mark.parametrize("source", sorted(SOURCES))
async def test_items_come_from_an_earlier_step(api: httpx.AsyncClient, source: str) -> None:  # noqa: F811
    config, answers = SOURCES[source]
    doc = {**AGENDA, "steps": [{"method": source, "title": "Vorher", "config": config},
                               {"method": "dot_vote", "title": "Punkte", "config": {"items_from": {"step": 0}}}]}
    created = await create(api, doc)
    sid = created["id"]
    first, second = created["steps"][0]["id"], created["steps"][1]["id"]
    moderator = bearer(created["moderator_key"])
    await api.post(f"/api/v1/sessions/{sid}/steps/{first}/open", headers=moderator)
    people = []
    for answer in answers:
        if not people or source == "hand_vote":
            people.append(bearer((await api.post("/api/v1/join", json={"code": created["join_code"]})
                                  ).json()["participant_token"]))
        if source == "materiality":  # answer the pair this phone is offered (others are refused)
            task = (await api.get(f"/api/v1/sessions/{sid}/current", headers=people[-1])).json()["step"]["task"]
            if task["next"] is None or task["next"].get("pair") is None:
                break
            pair = [item["id"] for item in task["next"]["pair"]]
            answer = {"axis": task["next"]["axis"], "pair": pair, "choice": min(pair)}
        posted = await api.post(f"/api/v1/steps/{first}/contributions", json=answer, headers=people[-1])
        assert posted.status_code == 201, posted.text
    await api.post(f"/api/v1/sessions/{sid}/steps/{first}/close", headers=moderator)
    opened = await api.post(f"/api/v1/sessions/{sid}/steps/{second}/open", headers=moderator)
    assert opened.status_code == 200, opened.text

    results = (await api.get(f"/api/v1/sessions/{sid}/results", headers=await login(api))).json()["steps"]
    offered = results[0]["rounds"][0]["result"]
    expected = {
        "hand_vote": lambda r: [o["id"] for o in sorted((o for o in r["options"] if o["count"]),
                                                         key=lambda o: -o["count"])],
        "consensing": lambda r: r["selected"],
        "materiality": lambda r: r["prioritised"],
    }[source](offered)
    assert expected, f"{source} offered nothing"
    items = (await api.get(f"/api/v1/sessions/{sid}/current", headers=people[0])).json()["step"]["task"]["config"]
    assert [i["id"] for i in items["items"]] == expected
    spend = {expected[0]: 1}
    posted = await api.post(f"/api/v1/steps/{second}/contributions", json={"dots": spend}, headers=people[0])
    assert posted.status_code == 201, posted.text


async def test_a_merged_card_keeps_its_provenance_through_items_from(api: httpx.AsyncClient) -> None:  # noqa: F811
    """A merged card's ``merged_from`` travels to a later dot vote (its items can carry it) and is
    left out for a hand vote (its options cannot), which still opens."""
    first = {"method": "dot_vote", "title": "Karten", "config": {"dots": 2, "items": [
        {"id": "m", "label": "Fachkräfte", "merged_from": ["k1", "k2"]}, "Flächen", "Mobilität"]}}
    doc = {**AGENDA, "steps": [first,
                               {"method": "dot_vote", "title": "Noch einmal", "config": {"items_from": {"step": 0}}},
                               {"method": "hand_vote", "title": "Welche zuerst?", "config": {"items_from": {"step": 0}}}]}
    created = await create(api, doc)
    sid = created["id"]
    steps = [s["id"] for s in created["steps"]]
    moderator = bearer(created["moderator_key"])
    await api.post(f"/api/v1/sessions/{sid}/steps/{steps[0]}/open", headers=moderator)
    person = bearer((await api.post("/api/v1/join", json={"code": created["join_code"]})).json()["participant_token"])
    posted = await api.post(f"/api/v1/steps/{steps[0]}/contributions", json={"dots": {"k1": 1, "i2": 1}},
                            headers=person)  # a dot on an original counts for its merged card
    assert posted.status_code == 201, posted.text
    await api.post(f"/api/v1/sessions/{sid}/steps/{steps[0]}/close", headers=moderator)
    for step in steps[1:]:
        opened = await api.post(f"/api/v1/sessions/{sid}/steps/{step}/open", headers=moderator)
        assert opened.status_code == 200, opened.text
    results = (await api.get(f"/api/v1/sessions/{sid}/results", headers=await login(api))).json()["steps"]
    assert [(i["id"], i.get("merged_from")) for i in results[1]["rounds"][0]["config"]["items"]] == [
        ("m", ["k1", "k2"]), ("i2", None)]
    assert all("merged_from" not in o for o in results[2]["rounds"][0]["config"]["options"])

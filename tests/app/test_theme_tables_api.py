"""Theme tables through the JSON API, one test per rule a client relies on: the tables in
``task``, cards refused when empty, over-long or after the close (nothing stored), only hosts and
the moderator change others' cards, a merge keeps its originals and can be undone, round-robin
tables balanced, table_qr cards only to one's own table, host links checked, cards offered to a
later step by table or category, participant text inert in the PDF."""

from __future__ import annotations

import subprocess
from typing import Any

import httpx
from sqlalchemy import func, select

from facilitation import context
from facilitation import theme_tables as tables_live
from sessions import models
from tests.app.test_api import act, api, assert_error, bearer, create, join  # noqa: F401  (api is a fixture)

TABLES: list[dict[str, Any]] = [
    {"title": "Herausforderungen", "question": "Wo drückt der Schuh?", "prompts": ["Flächen", "Fachkräfte"]},
    {"title": "Visionen", "question": "Wie sieht der Standort 2030 aus?", "prompts": ["Innenstadt"]},
    {"title": "Zusammenarbeit", "prompts": []},
]


def agenda(**config: Any) -> dict[str, Any]:
    return {"format": "moderationskoffer/agenda@1", "title": "Auftakt", "names": "none", "steps": [
        {"method": "theme_tables", "title": "Thementische",
         "config": {"categories": ["Klimawandel", "Technologischer Wandel"], "tables": TABLES, **config}},
        {"method": "hand_vote", "title": "Welche Karte zuerst?", "config": {"items_from": {"step": 0}}},
    ]}


async def opened(api: httpx.AsyncClient, **config: Any) -> tuple[dict[str, Any], int]:
    created = await create(api, agenda(**config))
    step = created["steps"][0]["id"]
    await act(api, created, step, "open")
    return created, step


def contributions() -> int:
    with context.current().db.session() as orm:
        return int(orm.execute(select(func.count()).select_from(models.Contribution)).scalar_one())


async def card(api: httpx.AsyncClient, step: int, person: dict[str, str], table: str, text: Any,
               **more: Any) -> httpx.Response:
    return await api.post(f"/api/v1/steps/{step}/contributions", headers=person,
                          json={"card": {"table": table, "text": text, **more}})


async def command(api: httpx.AsyncClient, created: dict[str, Any], step: int, name: str,
                  token: dict[str, str] | None = None, **payload: Any) -> httpx.Response:
    return await api.post(f"/api/v1/sessions/{created['id']}/steps/{step}/commands/{name}", json=payload,
                          headers=token or bearer(created["moderator_key"]))


async def task(api: httpx.AsyncClient, created: dict[str, Any], person: dict[str, str]) -> dict[str, Any]:
    response = await api.get(f"/api/v1/sessions/{created['id']}/current", headers=person)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()["step"]["task"]
    return found


async def result(api: httpx.AsyncClient, created: dict[str, Any]) -> dict[str, Any]:
    response = await api.get(f"/api/v1/sessions/{created['id']}/results", headers=bearer(created["moderator_key"]))
    assert response.status_code == 200, response.text
    rounds = response.json()["steps"][0]["rounds"]
    found: dict[str, Any] = rounds[-1]["result"]
    return found


async def test_current_lists_the_tables_and_a_card_lands_on_its_table(api: httpx.AsyncClient) -> None:  # noqa: F811
    created, step = await opened(api)
    person = await join(api, created["join_code"])
    mine = await task(api, created, person)
    assert [(t["id"], t["title"], t["question"]) for t in mine["tables"]] == [
        ("t1", "Herausforderungen", "Wo drückt der Schuh?"), ("t2", "Visionen", "Wie sieht der Standort 2030 aus?"),
        ("t3", "Zusammenarbeit", "")]
    assert mine["tables"][0]["prompts"] == [{"id": "p1", "label": "Flächen"}, {"id": "p2", "label": "Fachkräfte"}]
    assert (mine["table"], mine["choose"], mine["round"], mine["rounds"]) == (None, True, 1, 3)

    sat = await api.post(f"/api/v1/steps/{step}/contributions", headers=person, json={"seat": {"table": "t2"}})
    assert sat.status_code == 201, sat.text
    posted = await card(api, step, person, "t2", "Eine grüne Innenstadt", prompt="p1", category="k1")
    assert posted.status_code == 201, posted.text
    mine = await task(api, created, person)
    assert mine["table"] == "t2" and mine["choose"] is False
    assert [c["text"] for c in mine["cards"]] == ["Eine grüne Innenstadt"]
    board = (await result(api, created))["tables"][1]["cards"]
    assert [(c["text"], c["prompt"], c["category"], c["author"], c["round"]) for c in board] == [
        ("Eine grüne Innenstadt", "p1", "k1", "TN 1", 1)]


async def test_empty_and_over_long_cards_are_refused_and_nothing_is_stored(api: httpx.AsyncClient) -> None:  # noqa: F811
    created, step = await opened(api)
    person = await join(api, created["join_code"])
    before = contributions()
    assert_error(await card(api, step, person, "t1", "   "), 422, "card_empty")
    body = assert_error(await card(api, step, person, "t1", "x" * 281), 422, "card_too_long")
    assert body["detail"] == {"max": 280, "length": 281}
    assert "281" in body["message"] and "280" in body["message"]
    assert_error(await card(api, step, person, "t9", "Wohin?"), 422, "unknown_table")
    assert_error(await card(api, step, person, "t2", "x", prompt="p2"), 422, "unknown_prompt")
    assert contributions() == before
    assert (await card(api, step, person, "t1", "x" * 280)).status_code == 201


async def test_cards_after_the_step_closed_are_refused_but_the_harvest_goes_on(api: httpx.AsyncClient) -> None:  # noqa: F811
    created, step = await opened(api)
    person = await join(api, created["join_code"])
    assert (await card(api, step, person, "t1", "rechtzeitig")).status_code == 201
    assert (await card(api, step, person, "t1", "auch rechtzeitig")).status_code == 201
    await act(api, created, step, "close")
    before = contributions()
    assert_error(await card(api, step, person, "t1", "zu spät"), 409, "step_closed")
    assert_error(await command(api, created, step, "next_round"), 409, "command_not_now")
    assert contributions() == before
    cards = (await result(api, created))["tables"][0]["cards"]
    assert [c["text"] for c in cards] == ["rechtzeitig", "auch rechtzeitig"]
    # the harvest goes on after the close: a merge renews the closed round's result
    merged = await command(api, created, step, "merge", cards=[c["id"] for c in cards], text="beides")
    assert merged.status_code == 200, merged.text
    assert [c["text"] for c in (await result(api, created))["tables"][0]["cards"]] == ["beides"]


async def test_only_hosts_and_the_moderator_change_others_cards(api: httpx.AsyncClient) -> None:  # noqa: F811
    created, step = await opened(api)
    writer = await join(api, created["join_code"])
    other = await join(api, created["join_code"])
    host_join = await api.post("/api/v1/join", json={"code": created["join_code"]})
    host = bearer(host_join.json()["participant_token"])
    host_id = host_join.json()["participant_id"]
    await card(api, step, writer, "t1", "Flächn")
    await card(api, step, writer, "t2", "Bahnhof beleben")
    cards = {c["text"]: c["id"] for t in (await result(api, created))["tables"] for c in t["cards"]}

    # a participant who hosts nothing: refused, nothing decided
    assert_error(await command(api, created, step, "edit", other, card=cards["Flächn"], text="Flächen"), 403,
                 "tables_not_host")
    # the host link makes a host of table 1 (the key is checked; a wrong one is refused)
    link = next(x for x in tables_live.host_links(context.current(), created["id"], step) if x.table == "t1")
    try:
        tables_live.claim(context.current(), step, host_id, f"t1.{link.key[:-1]}x")
        raise AssertionError("a wrong host key was accepted")
    except Exception as exc:  # noqa: BLE001
        assert getattr(exc, "key", None) == "host_link_wrong"
    assert tables_live.claim(context.current(), step, host_id, link.claim) == "t1"
    assert tables_live.claim(context.current(), step, host_id, link.claim) is None  # a reload: nothing new
    assert (await task(api, created, host))["host"] == "t1"

    edited = await command(api, created, step, "edit", host, card=cards["Flächn"], text="Flächen")
    assert edited.status_code == 200, edited.text
    assert_error(await command(api, created, step, "edit", host, card=cards["Bahnhof beleben"], text="x"), 403,
                 "tables_not_your_table")
    assert_error(await command(api, created, step, "next_round", host), 403, "command_moderator_only")
    assert_error(await command(api, created, step, "summary", host, table="t2", text="fremd"), 403,
                 "tables_not_your_table")
    assert (await command(api, created, step, "summary", host, table="t1", text="Flächen knapp")).status_code == 200
    moved = await command(api, created, step, "move", card=cards["Bahnhof beleben"], table="t3")  # the moderator
    assert moved.status_code == 200, moved.text
    tables = (await result(api, created))["tables"]
    assert [(c["text"], c["edited_from"]) for c in tables[0]["cards"]] == [("Flächen", "Flächn")]
    assert tables[0]["rounds"][0]["summary"] == "Flächen knapp"
    assert [c["text"] for c in tables[2]["cards"]] == ["Bahnhof beleben"]
    decided = (await api.get(f"/api/v1/sessions/{created['id']}/results",
                             headers=bearer(created["moderator_key"]))).json()["steps"][0]["rounds"][0]["decisions"]
    assert [(d["command"], d["actor"]) for d in decided] == [("assign", "host"), ("edit", "host"),
                                                             ("summary", "host"), ("move", "moderator")]


async def test_merging_keeps_the_originals_and_can_be_undone(api: httpx.AsyncClient) -> None:  # noqa: F811
    created, step = await opened(api)
    people = [await join(api, created["join_code"]) for _ in range(2)]
    await card(api, step, people[0], "t1", "Fachkräftemangel", prompt="p2")
    await card(api, step, people[1], "t1", "Zu wenig Azubis")
    before = (await result(api, created))["tables"][0]["cards"]
    merged = await command(api, created, step, "merge", cards=[c["id"] for c in before], text="Fachkräfte fehlen")
    assert merged.status_code == 200, merged.text
    after = (await result(api, created))["tables"][0]["cards"]
    assert [(c["text"], c["prompt"]) for c in after] == [("Fachkräfte fehlen", "p2")]
    assert [(o["text"], o["author"]) for o in after[0]["merged_from"]] == [("Fachkräftemangel", "TN 1"),
                                                                          ("Zu wenig Azubis", "TN 2")]
    assert_error(await command(api, created, step, "merge", cards=[after[0]["id"], after[0]["id"]]), 422,
                 "merge_twice")
    assert_error(await command(api, created, step, "split", card=before[0]["id"]), 422, "card_unknown")
    split = await command(api, created, step, "split", card=after[0]["id"])
    assert split.status_code == 200, split.text
    assert (await result(api, created))["tables"][0]["cards"] == before


async def test_round_robin_tables_are_balanced_and_cards_go_to_ones_own_table(api: httpx.AsyncClient) -> None:  # noqa: F811
    created, step = await opened(api, seating="round_robin", rounds=3)
    people = [await join(api, created["join_code"]) for _ in range(7)]
    for person in people:
        checked = await api.post(f"/api/v1/steps/{step}/contributions", headers=person, json={"seat": {}})
        assert checked.status_code == 201, checked.text
    assert_error(await api.post(f"/api/v1/steps/{step}/contributions", headers=people[0], json={"seat": {}}),
                 422, "seat_checked_in")
    seen: dict[int, set[str]] = {i: set() for i in range(len(people))}
    for rnd in range(1, 4):
        tables = [(await task(api, created, person))["table"] for person in people]
        sizes = sorted(tables.count(t) for t in ("t1", "t2", "t3"))
        assert sizes == [2, 2, 3], f"round {rnd}: {tables}"
        for i, table in enumerate(tables):
            seen[i].add(table)
        own, other = tables[0], next(t for t in ("t1", "t2", "t3") if t != tables[0])
        assert (await card(api, step, people[0], own, f"Runde {rnd}")).status_code == 201
        body = assert_error(await card(api, step, people[0], other, "falsch"), 422, "card_other_table")
        assert body["detail"]["table"] in {t["title"] for t in TABLES}
        if rnd < 3:
            assert (await command(api, created, step, "next_round")).status_code == 200
            assert (await task(api, created, people[0]))["moved"] is True
    assert all(len(tables) == 3 for tables in seen.values())  # everyone saw every table
    assert_error(await command(api, created, step, "next_round"), 409, "tables_last_round")
    rounds = {c["text"]: c["round"] for t in (await result(api, created))["tables"] for c in t["cards"]}
    assert rounds == {"Runde 1": 1, "Runde 2": 2, "Runde 3": 3}


async def test_table_qr_cards_only_to_the_scanned_table(api: httpx.AsyncClient) -> None:  # noqa: F811
    created, step = await opened(api, seating="table_qr")
    person = await join(api, created["join_code"])
    assert_error(await card(api, step, person, "t1", "ohne Tisch"), 422, "card_no_seat")
    await api.post(f"/api/v1/steps/{step}/contributions", headers=person, json={"seat": {"table": "t3"}})
    assert_error(await card(api, step, person, "t1", "fremder Tisch"), 422, "card_other_table")
    assert (await card(api, step, person, "t3", "mein Tisch")).status_code == 201


async def test_a_later_step_takes_the_cards_by_table_or_category(api: httpx.AsyncClient) -> None:  # noqa: F811
    doc = agenda()
    doc["steps"][1]["config"]["items_from"] = {"step": 0, "group": "k2"}
    doc["steps"].append({"method": "hand_vote", "title": "Tisch 1", "config": {"items_from": {"step": 0, "group": "t1"}}})
    created = await create(api, doc)
    step = created["steps"][0]["id"]
    await act(api, created, step, "open")
    person = await join(api, created["join_code"])
    await card(api, step, person, "t1", "Fachkräfte", category="k2")
    await card(api, step, person, "t1", "Flächen")
    await card(api, step, person, "t2", "Digitale Innenstadt", category="k2")
    await card(api, step, person, "t3", "Klimaneutral wirtschaften", category="k1")
    await act(api, created, step, "close")
    by_category, by_table = created["steps"][1]["id"], created["steps"][2]["id"]
    await act(api, created, by_category, "open")
    await act(api, created, by_table, "open")
    steps = (await api.get(f"/api/v1/sessions/{created['id']}/results",
                           headers=bearer(created["moderator_key"]))).json()["steps"]
    labels = {s["id"]: [o["label"] for o in s["rounds"][0]["config"]["options"]] for s in steps[1:]}
    assert labels == {by_category: ["Fachkräfte", "Digitale Innenstadt"], by_table: ["Fachkräfte", "Flächen"]}


async def test_participant_text_stays_text_in_the_pdf(api: httpx.AsyncClient) -> None:  # noqa: F811
    created, step = await opened(api)
    person = await join(api, created["join_code"])
    hostile = "<b>fett</b> & <script>alert(1)</script>"
    await card(api, step, person, "t1", hostile, prompt="p1")
    await card(api, step, person, "t1", "Zweite Karte")
    cards = (await result(api, created))["tables"][0]["cards"]
    await command(api, created, step, "merge", cards=[c["id"] for c in cards], text="Zusammen <i>kursiv</i>")
    await command(api, created, step, "summary", table="t1", text="Runde eins: <u>Flächen</u>")
    await act(api, created, step, "close")
    pdf = await api.get(f"/api/v1/sessions/{created['id']}/protocol.pdf", headers=bearer(created["moderator_key"]))
    assert pdf.status_code == 200
    text = " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf.content,
                                   capture_output=True, check=True).stdout.decode().split())
    assert "<b>fett</b> & <script>alert(1)</script>" in text  # printed literally, not as markup
    assert "Zusammen <i>kursiv</i>" in text and "Runde eins: <u>Flächen</u>" in text
    assert "↳" in text and "Karten nach Kategorie" in text and "Herausforderungen" in text


async def test_a_dot_vote_takes_the_harvested_cards_with_their_originals(api: httpx.AsyncClient) -> None:  # noqa: F811
    """The kick-off's agenda: theme tables, then dots on the cards (a merged card once, naming the
    cards it stands for, so the dot vote's merged-card rule can apply)."""
    doc = agenda()
    doc["steps"][1] = {"method": "dot_vote", "title": "Punkte auf die Karten",
                       "config": {"items_from": {"step": 0}, "dots": 2, "max_per_item": 1}}
    created = await create(api, doc)
    step, dots = created["steps"][0]["id"], created["steps"][1]["id"]
    await act(api, created, step, "open")
    person = await join(api, created["join_code"])
    for text in ("Fachkräftemangel", "Zu wenig Azubis", "Flächen"):
        await card(api, step, person, "t1", text)
    cards = (await result(api, created))["tables"][0]["cards"]
    await command(api, created, step, "merge", cards=[cards[0]["id"], cards[1]["id"]], text="Fachkräfte fehlen")
    await act(api, created, step, "close")
    await act(api, created, dots, "open")
    items = (await task(api, created, person))["config"]["items"]
    assert [(i["label"], i.get("merged_from", [])) for i in items] == [
        ("Fachkräfte fehlen", [cards[0]["id"], cards[1]["id"]]), ("Flächen", [])]
    assert items[0]["description"] == "Herausforderungen"

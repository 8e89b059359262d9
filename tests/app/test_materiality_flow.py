"""The materiality matrix through the real pages and the API: a phone gets a pair, answers, gets
the next pair with the ack (never the same pair twice), the console draws the matrix after the
reveal, the API hands out the same task, the PDF carries the board's transcription."""

from __future__ import annotations

import subprocess
from typing import Any

import httpx
from nicegui import ui
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction

from facilitation import agenda, context, contributions, lifecycle, live, organize, participation
from tests.app.phones import Outgoing, Phone, until
from tests.app.test_api import api, assert_error, bearer, create  # noqa: F401  (api is a fixture)

ITEMS = ["Co-Working", "Gründerfonds", "Fachkräfteportal", "City-Hub", "Bottrop-Card"]
AGENDA: dict[str, Any] = {
    "format": "moderationskoffer/agenda@1", "title": "Matrix", "names": "none",
    "steps": [{"method": "materiality", "title": "Wesentlichkeit", "config": {
        "question": "Was verfolgen wir vorrangig?", "items": ITEMS, "comparisons_per_axis": 3,
        "axes": {"x": {"label": "Wirkung"}, "y": {"label": "Umsetzbarkeit", "low": "schwer", "high": "leicht"}},
    }}],
}


def answer(task: dict[str, Any], pick: int | None = 0) -> dict[str, Any]:
    # the phone's task names the pair by ids, the API's task gives the items
    pair = [item["id"] if isinstance(item, dict) else item for item in task["pair"]]
    return {"axis": task["axis"], "pair": pair, "choice": None if pick is None else pair[pick]}


class PhoneRoom:
    """A step of ``AGENDA`` open, ``others`` participants joined through facilitation, one phone
    on the user's page, a hub observer (``told``) and the phone's outbox spy (``outgoing``)."""

    def __init__(self, sid: int, step_id: int, others: list[int], phone: Phone, view: Any, told: list[Any],
                 outgoing: Outgoing) -> None:
        self.sid, self.step_id, self.others, self.phone, self.view = sid, step_id, others, phone, view
        self.told, self.outgoing = told, outgoing

    @classmethod
    async def make(cls, user: User, others: int) -> PhoneRoom:
        ctx = context.current()
        created = organize.create_session(ctx, agenda.parse(AGENDA))
        sid, step_id = created.session.id, created.session.steps[0].id
        lifecycle.open_step(ctx, step_id)
        joined = [participation.join_session(ctx, sid).participant_id for _ in range(others)]
        await user.open(f"/j/{created.session.join_code}")
        phone = Phone(user)
        view = await phone.wait_view()
        assert user.client is not None
        told: list[Any] = []
        ctx.hub.subscribe(sid, told.append)
        return cls(sid, step_id, joined, phone, view, told, Outgoing(user.client))


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
    assert mine["progress"] == "Vergleich 1 von 6"
    # with every ack only the axis, the two ids and the progress line, and the same of the pair
    # held ahead (shown the moment this one is tapped): the items' texts and the axis' question
    # come once with the step's view, shared by every phone
    assert set(mine) == {"task", "progress", "next"} and set(mine["task"]) == {"axis", "pair"}
    assert set(mine["next"]) == {"task", "progress"} and mine["next"]["progress"] == "Vergleich 2 von 6"
    assert mine["next"]["task"]["axis"] == "y"  # the axes alternate
    assert all(isinstance(i, str) for i in mine["task"]["pair"] + mine["next"]["task"]["pair"])
    shown = phone.shown
    assert shown["asks"]["x"].startswith("Wirkung: Welches der beiden Themen")
    assert shown["asks"]["y"].startswith("Umsetzbarkeit: Welches der beiden Themen")
    first = shown["items"][mine["task"]["pair"][0]]
    assert set(first) == {"title", "description"} and first["title"]

    # a pair that is not a pair, or an item that does not exist: refused, the same task stays
    ok, _ = await phone.send({"axis": "x", "pair": ["i1", "i99"], "choice": "i1"})
    assert ok is False and phone.mine == mine

    seen: set[tuple[str, frozenset[str]]] = set()
    task = mine["task"]
    for n in range(6):
        key = (task["axis"], frozenset(task["pair"]))
        assert key not in seen, f"pair {key} offered twice"
        seen.add(key)
        held = mine.get("next")
        ok, mine = await phone.send(answer(task, None if n == 5 else n % 2))
        assert ok is True
        if n < 5:
            assert mine["task"] == held["task"]  # the pair the phone held ahead (and showed at once)
            task = mine["task"]
            assert mine["progress"] == f"Vergleich {n + 2} von 6"
            assert ("next" in mine) == (n < 4)  # nothing after the last pair
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


async def answered_by(api: httpx.AsyncClient, created: dict[str, Any], people: int) -> None:  # noqa: F811
    """``people`` participants make all their comparisons, always for the item listed first in
    ``ITEMS`` (so Co-Working ends top right and Bottrop-Card bottom left)."""
    sid, step_id = created["id"], created["steps"][0]["id"]
    for _ in range(people):
        joined = await api.post("/api/v1/join", json={"code": created["join_code"]})
        person = bearer(joined.json()["participant_token"])
        while True:
            task = (await api.get(f"/api/v1/sessions/{sid}/current", headers=person)).json()["step"]["task"]["next"]
            if task is None:
                break
            pair = [i["id"] for i in task["pair"]]
            best = min(pair, key=lambda item: int(item[1:]))
            posted = await api.post(f"/api/v1/steps/{step_id}/contributions",
                                    json={"axis": task["axis"], "pair": pair, "choice": best}, headers=person)
            assert posted.status_code == 201, posted.text


async def test_moderator_moves_and_marks_through_the_api(api: httpx.AsyncClient) -> None:  # noqa: F811
    doc = {**AGENDA, "steps": [AGENDA["steps"][0], {
        "method": "hand_vote", "title": "Womit fangen wir an?",
        "config": {"question": "Womit?", "items_from": {"step": 0}}}]}
    created = await create(api, doc)
    sid, step_id = created["id"], created["steps"][0]["id"]
    moderator = bearer(created["moderator_key"])
    base = f"/api/v1/sessions/{sid}/steps/{step_id}/commands"
    await api.post(f"/api/v1/sessions/{sid}/steps/{step_id}/open", headers=moderator)
    await answered_by(api, created, 4)
    await api.post(f"/api/v1/sessions/{sid}/steps/{step_id}/close", headers=moderator)

    async def result() -> dict[str, Any]:
        body = (await api.get(f"/api/v1/sessions/{sid}/results", headers=moderator)).json()
        found: dict[str, Any] = body["steps"][0]["rounds"][0]["result"]
        return found

    before = await result()
    assert before["prioritised"][0] == "i1" and "i5" not in before["prioritised"]
    computed = {p["id"]: (p["x"], p["y"]) for p in before["items"]}

    # refused with a reason, nothing stored
    bad = [({"item": "i5", "x": 1.5, "y": 0.5}, "mat_move_range"), ({"item": "i9", "x": 0.5, "y": 0.5},
                                                                     "mat_item_unknown")]
    for payload, key in bad:
        body = assert_error(await api.post(f"{base}/move", json=payload, headers=moderator), 422, key)
        assert "0 und 1" in body["message"] or "i9" in body["message"]
    assert_error(await api.post(f"{base}/undo_move", json={"item": "i5"}, headers=moderator), 409,
                 "mat_nothing_to_undo")
    assert_error(await api.post(f"{base}/move", json={"item": "i5", "x": "rechts", "y": 0.5}, headers=moderator),
                 422, "command_invalid")
    assert await result() == before

    # the group puts Bottrop-Card top right after discussion, and takes Co-Working off the list
    moved = await api.post(f"{base}/move", json={"item": "i5", "x": 0.9, "y": 0.85}, headers=moderator)
    assert moved.status_code == 200, moved.text
    assert (await api.post(f"{base}/prioritise", json={"item": "i1", "prioritised": False},
                           headers=moderator)).status_code == 200
    after = await result()  # the closed round's snapshot follows the decisions
    items = {p["id"]: p for p in after["items"]}
    assert {p["id"]: (p["x"], p["y"]) for p in after["items"]} == computed  # the computed position stays
    assert items["i5"]["moderator"]["x"] == 0.9 and items["i5"]["moderator"]["y"] == 0.85
    assert items["i5"]["moderator"]["by"] == "moderator" and items["i5"]["moderator"]["at"]
    assert items["i5"]["quadrant"] == "top_right" and items["i5"]["prioritised"]
    assert items["i1"]["marked"] is False and "i1" not in after["prioritised"] and "i5" in after["prioritised"]

    # the next step takes what the moderator decided
    second = created["steps"][1]["id"]
    opened = await api.post(f"/api/v1/sessions/{sid}/steps/{second}/open", headers=moderator)
    assert opened.status_code == 200, opened.text
    agenda = (await api.get(f"/api/v1/sessions/{sid}/results", headers=moderator)).json()
    options = [o["label"] for o in agenda["steps"][1]["rounds"][0]["config"]["options"]]
    assert "Bottrop-Card" in options and "Co-Working" not in options

    # undo: back to the computed position, recorded as a decision of its own
    assert (await api.post(f"{base}/undo_move", json={"item": "i5"}, headers=moderator)).status_code == 200
    final = await result()
    assert next(p for p in final["items"] if p["id"] == "i5")["moderator"] is None
    decisions = (await api.get(f"/api/v1/sessions/{sid}/results", headers=moderator)).json()["steps"][0]["rounds"][0]
    assert [d["command"] for d in decisions["decisions"]] == ["move", "prioritise", "undo_move"]

    pdf = await api.get(f"/api/v1/sessions/{sid}/protocol.pdf", headers=moderator)
    text = " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf.content,
                                   capture_output=True, check=True).stdout.decode().split())
    assert "Thema verschieben" in text and "Verschieben zurücknehmen" in text
    assert "Thema: 5 Bottrop-Card, Waagerecht (0 = links, 1 = rechts): 0.9" in text  # by title, not by id
    assert "Thema: 1 Co-Working, priorisiert: nein" in text
    assert "Nach der Diskussion von der Moderation gesetzt" in text  # the board's own table of what was set


def compare_all(ctx: Any, session_id: int, step_id: int, people: int) -> None:
    """``people`` participants make all their comparisons through the facilitation layer, always
    for the item listed first in ``ITEMS``."""
    rank = {f"i{k}": k for k in range(1, len(ITEMS) + 1)}
    for _ in range(people):
        joined = participation.join_session(ctx, session_id)
        while True:
            step = live.build_state(ctx, session_id).step
            assert step is not None
            task = live.next_task(ctx, step, joined.participant_id)
            if task is None:
                break
            pair = [i["id"] for i in task["pair"]]
            contributions.submit(ctx, step_id, joined.participant_id,
                                 {"axis": task["axis"], "pair": pair, "choice": min(pair, key=rank.__getitem__)})


def pick(user: User, option: str) -> None:
    """Open the form's item select and click an option (the legend has the same words, so a
    plain ``user.find(option)`` would click the legend line, which comes first)."""
    field = user.find(marker="command-field-item")
    field.click()
    UserInteraction(user, field.elements, option).click()


async def test_console_moves_an_item_with_the_command_form(user: User) -> None:
    ctx = context.current()
    created = organize.create_session(ctx, agenda.parse(AGENDA))
    sid, step_id = created.session.id, created.session.steps[0].id
    lifecycle.open_step(ctx, step_id)
    compare_all(ctx, sid, step_id, 3)
    lifecycle.close_step(ctx, step_id)
    lifecycle.reveal(ctx, step_id)

    await user.open(f"/s/{sid}/console?key={created.moderator_key}")
    await user.should_see("5  Bottrop-Card — nicht priorisiert")
    user.find(marker="commands-menu").click()  # three commands share one menu button
    user.find(marker="command-move").click()  # the form from the command's declaration
    await user.should_see("Waagerecht (0 = links, 1 = rechts)")
    pick(user, "5  Bottrop-Card")  # by its number and title, not typed as an id
    user.find(marker="command-field-x").type("1.7")
    user.find(marker="command-field-y").type("0.9")
    user.find(marker="command-submit").click()
    await user.should_see("Die Position muss zwischen 0 und 1 liegen (Wirkung: 1.7).")  # nothing stored
    assert live.step_results(ctx, sid)[0]["rounds"][0]["decisions"] == []
    user.find(marker="command-field-x").clear().type("0.9")
    user.find(marker="command-submit").click()
    await user.should_see("5  Bottrop-Card — priorisiert · von der Moderation verschoben")
    plots = [e for e in user.find(marker="matrix").elements if isinstance(e, ui.plotly)]
    figure = plots[0].figure
    assert isinstance(figure, dict)
    arrows = [a for a in figure["layout"]["annotations"] if a.get("showarrow")]
    assert len(arrows) == 1 and (arrows[0]["x"], arrows[0]["y"]) == (0.9, 0.9)  # computed → moved
    ring, points = figure["data"]
    assert ring["marker"]["symbol"] == "circle-open" and len(ring["x"]) == 1  # the computed position stays

    user.find(marker="commands-menu").click()
    user.find(marker="command-prioritise").click()
    pick(user, "1  Co-Working")
    user.find(marker="command-field-prioritised").click()  # unticked: not prioritised
    user.find(marker="command-submit").click()
    await user.should_see("1  Co-Working — priorisiert · von der Moderation nicht priorisiert")
    decided = live.step_results(ctx, sid)[0]["rounds"][0]["decisions"]
    assert [(d["command"], d["payload"]) for d in decided] == [
        ("move", {"item": "i5", "x": 0.9, "y": 0.9}), ("prioritise", {"item": "i1", "prioritised": False})]


async def test_a_pair_that_was_not_offered_is_refused(api: httpx.AsyncClient) -> None:  # noqa: F811
    doc = {**AGENDA, "steps": [{**AGENDA["steps"][0], "config": {
        **AGENDA["steps"][0]["config"], "items": [f"Thema {k}" for k in range(1, 13)], "comparisons_per_axis": 4}}]}
    created = await create(api, doc)
    sid, step_id = created["id"], created["steps"][0]["id"]
    moderator = bearer(created["moderator_key"])
    await api.post(f"/api/v1/sessions/{sid}/steps/{step_id}/open", headers=moderator)
    person = bearer((await api.post("/api/v1/join", json={"code": created["join_code"]})).json()["participant_token"])
    url = f"/api/v1/steps/{step_id}/contributions"

    async def task() -> dict[str, Any]:
        found: dict[str, Any] = (await api.get(f"/api/v1/sessions/{sid}/current", headers=person)).json()[
            "step"]["task"]["next"]
        return found

    async def stored() -> int:
        result = (await api.get(f"/api/v1/sessions/{sid}/results", headers=moderator)).json()
        return int(sum(result["steps"][0]["rounds"][0]["result"]["comparisons"].values()))

    shown = await task()
    offered = {shown["pair"][0]["id"], shown["pair"][1]["id"]}
    # a well-formed pair that was never offered (66 pairs; the phone shows one): refused, nothing stored
    other = next([f"i{a}", f"i{b}"] for a in range(1, 13) for b in range(a + 1, 13)
                 if {f"i{a}", f"i{b}"} != offered and {f"i{a}", f"i{b}"}.isdisjoint(offered))
    body = assert_error(await api.post(url, json={"axis": shown["axis"], "pair": other, "choice": other[0]},
                                       headers=person), 422, "pair_not_offered")
    assert "wurde Ihnen nicht angeboten" in body["message"] and "Thema" in body["message"]
    # the offered pair on the other axis (not due yet): refused too
    wrong_axis = "y" if shown["axis"] == "x" else "x"
    assert_error(await api.post(url, json=answer(shown) | {"axis": wrong_axis}, headers=person), 422,
                 "pair_not_offered")
    assert await stored() == 0

    assert (await api.post(url, json=answer(shown), headers=person)).status_code == 201
    # a changed answer to the pair already answered is fine (the latest counts)
    assert (await api.post(url, json=answer(shown, 1), headers=person)).status_code == 201
    assert await stored() == 1

    # others answer a lot meanwhile (the shared model is renewed): the pair handed out still counts
    shown = await task()
    await answered_by(api, created, 3)
    assert (await api.post(url, json=answer(shown), headers=person)).status_code == 201


async def test_editor_form_with_presets_and_errors_beside_the_fields(user: User) -> None:
    ctx = context.current()
    created = organize.create_session(ctx, agenda.parse(AGENDA))
    await user.open(f"/s/{created.session.id}/edit?key={created.moderator_key}")
    await user.should_see(marker="mat-items")
    items = user.find(marker="mat-items")
    textarea = next(iter(items.elements))
    assert isinstance(textarea, ui.textarea) and textarea.value.splitlines()[0] == "Co-Working"

    # three items, an empty axis end, a split outside 0..1: each field says what is wrong, nothing saved
    items.clear().type("Co-Working – Büros auf Zeit\nGründerfonds\nCity-Hub")
    user.find(marker="mat-y-high").clear()
    user.find(marker="mat-split").click()
    UserInteraction(user, user.find(marker="mat-split").elements, "festem Wert").click()
    user.find(marker="mat-split-value").type("1.5")
    user.find(marker="save-step").click()
    await user.should_see("Bitte 5 bis 60 Themen angeben (jetzt 3).")
    assert textarea.error == "Bitte 5 bis 60 Themen angeben (jetzt 3)."
    errors = {m: next(iter(user.find(marker=m).elements)).error for m in ("mat-y-high", "mat-split-value")}  # type: ignore[attr-defined]
    assert errors == {"mat-y-high": "Bitte ausfüllen.", "mat-split-value": "Ein Wert von 0 bis 1, z. B. 0,5."}
    assert organize.get_session(ctx, created.session.id).steps[0].config.items[0].description == ""

    # the second preset fills both axes; five items with descriptions after a dash
    user.find(marker="mat-preset").click()
    UserInteraction(user, user.find(marker="mat-preset").elements,
                    "Auswirkung (Inside-out) × finanzielle Wesentlichkeit (Outside-in)").click()
    items.clear().type("Co-Working – Büros auf Zeit\nGründerfonds\nCity-Hub – gebündelte Anlieferung\n"
                       "Bottrop-Card\nFachkräfteportal")
    user.find(marker="mat-split-value").clear().type("0.6")
    user.find(marker="mat-comparisons").clear().type("8")
    user.find(marker="mat-top_right").clear().type("zuerst angehen")
    user.find(marker="save-step").click()
    await user.should_see("Gespeichert")
    assert textarea.error is None
    config = organize.get_session(ctx, created.session.id).steps[0].config
    assert [(o.id, o.label, o.description) for o in config.items] == [
        ("i1", "Co-Working", "Büros auf Zeit"), ("i2", "Gründerfonds", ""),
        ("i4", "City-Hub", "gebündelte Anlieferung"), ("i5", "Bottrop-Card", ""),
        ("i3", "Fachkräfteportal", "")]  # unchanged titles keep their id (and their comparisons)
    assert config.axes.x.label == "Auswirkung auf Mensch und Umwelt (Inside-out)"
    assert config.axes.y.label == "Finanzielle Wesentlichkeit (Outside-in)" and config.axes.y.high == "hoch"
    assert config.split == 0.6 and config.comparisons_per_axis == 8
    assert config.quadrant_labels.top_right == "zuerst angehen"


async def test_the_room_answering_sends_a_phone_nothing_and_its_own_answer_only_the_small_ack(user: User) -> None:
    """A burst is 200 phones: each delivery reaches every phone, so a phone whose screen does not
    change (others' answers, the matrix hidden) must queue nothing, and its own answer only the
    ack with the next pair's ids — no patch, no full update. Closing the step still reaches it.

    As in the hand-vote test: an observer subscribed after the phone hears each delivery right
    after it, and a marker queued behind the phone's messages shows they have all gone out."""
    ctx = context.current()
    room = await PhoneRoom.make(user, others=3)
    sid, step_id, others, phone, view, told, outgoing = (
        room.sid, room.step_id, room.others, room.phone, room.view, room.told, room.outgoing)
    sent, all_sent = outgoing.sent, outgoing.all_sent
    for_phone = outgoing.messages
    ctx.hub.publish(sid)
    await until(lambda: told)
    await all_sent()
    sent.clear()

    step = live.build_state(ctx, sid).step
    assert step is not None
    for n, other in enumerate(others, start=1):  # the room answers: the phone shows the same
        task = live.next_task(ctx, step, other)
        contributions.submit(ctx, step_id, other, answer(task))
        await until(lambda n=n: told[-1].contributors == n)  # type: ignore[misc]
        assert told[-1].contributors == n
    await all_sent()
    assert for_phone() == []

    ok, mine = await phone.send(answer(phone.mine["task"]))
    assert ok is True and mine["progress"] == "Vergleich 2 von 6"
    await until(lambda: told[-1].contributors == 4)
    await all_sent()
    (only,) = for_phone()  # the ack, nothing else
    assert only[0] == "run_javascript" and '"ack"' in only[1]["code"]
    assert len(only[1]["code"]) < 240, only[1]["code"]  # ids and progress lines of two pairs, no item texts
    sent.clear()

    lifecycle.close_step(ctx, step_id)  # what the phone shows changes: it is told
    await until(lambda: not view.props["open"])
    await all_sent()
    assert any(k == "run_javascript" and "Object.assign" in d.get("code", "") for k, d in for_phone())


async def test_a_quiet_phone_still_hears_a_reveal_a_hide_a_close_and_a_reopen(user: User) -> None:
    """A phone that showed the same step, round and state with the result hidden skips a delivery
    at once (``MaterialityPhone.show``); everything it shows that can change while it keeps its
    step must still reach it, each as a patch the browser gets: the revealed result (the step's
    state is the same, only ``results_visible`` differs), the result hidden again, the close, and
    the reopen with a new pair (the state goes back to one it had before)."""
    ctx = context.current()
    room = await PhoneRoom.make(user, others=1)
    sid, step_id, (other,), phone, view, told, outgoing = (
        room.sid, room.step_id, room.others, room.phone, room.view, room.told, room.outgoing)
    sent, all_sent = outgoing.sent, outgoing.all_sent
    for_phone = outgoing.messages

    async def delivered(condition: Any) -> list[tuple[str, Any]]:
        await until(condition)
        await all_sent()
        out = [(k, d) for k, d in for_phone() if k == "run_javascript" and "Object.assign" in d.get("code", "")]
        sent.clear()
        return out

    step = live.build_state(ctx, sid).step
    assert step is not None
    for n in range(1, 4):  # the room answers: the quiet phone is sent nothing
        contributions.submit(ctx, step_id, other, answer(live.next_task(ctx, step, other), n % 2))
        assert await delivered(lambda n=n: told and told[-1].contributors == 1 and len(told) >= n) == []
    assert phone.live == {"open": True}

    lifecycle.reveal(ctx, step_id)
    patches = await delivered(lambda: told[-1].step.results_visible)
    assert patches and '"result"' in patches[-1][1]["code"]
    assert "result" in phone.live and phone.live["open"] is True

    contributions.submit(ctx, step_id, other, answer(live.next_task(ctx, step, other)))  # revealed: no skip
    await delivered(lambda: told[-1].step.results_visible and len(told) >= 5)
    lifecycle.hide(ctx, step_id)
    patches = await delivered(lambda: not told[-1].step.results_visible)
    assert patches and phone.live == {"open": True}

    lifecycle.close_step(ctx, step_id)
    patches = await delivered(lambda: not view.props["open"])
    assert patches and phone.live == {"open": False, "closed": True}

    lifecycle.open_step(ctx, step_id)  # the same round again: open, and a task to answer
    patches = await delivered(lambda: view.props["open"])
    assert patches and phone.live == {"open": True}
    assert phone.mine["task"]["axis"] in ("x", "y")


async def test_the_console_redraws_the_matrix_only_when_the_result_changed(user: User, monkeypatch: Any) -> None:
    """A delivery that changes nothing the matrix shows (a join, a timer, another publish) keeps
    the plotly figure as it is; a new comparison while revealed redraws it once."""
    ctx = context.current()
    created = organize.create_session(ctx, agenda.parse(AGENDA))
    sid, step_id = created.session.id, created.session.steps[0].id
    lifecycle.open_step(ctx, step_id)
    other = participation.join_session(ctx, sid).participant_id
    step = live.build_state(ctx, sid).step
    assert step is not None
    contributions.submit(ctx, step_id, other, answer(live.next_task(ctx, step, other)))
    lifecycle.reveal(ctx, step_id)
    await user.open(f"/s/{sid}/console?key={created.moderator_key}")
    await user.should_see("1 Vergleiche von 1 Personen")
    drawn: list[Any] = []
    original = ui.plotly.update_figure

    def counted(self: ui.plotly, figure: Any) -> None:
        drawn.append(figure)
        original(self, figure)

    monkeypatch.setattr(ui.plotly, "update_figure", counted)
    told: list[Any] = []
    ctx.hub.subscribe(sid, told.append)
    ctx.hub.publish(sid)  # nothing changed
    await until(lambda: told)
    participation.join_session(ctx, sid)  # the head count changes, the matrix does not
    await until(lambda: len(told) >= 2)
    await user.should_see("1 von 2 haben abgestimmt")
    assert drawn == []
    contributions.submit(ctx, step_id, other, answer(live.next_task(ctx, step, other)))
    await user.should_see("2 Vergleiche von 1 Personen")
    assert len(drawn) == 1

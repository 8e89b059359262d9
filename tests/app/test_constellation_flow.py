"""The room constellation through the real pages and the API: a phone places its dot (stored and
acknowledged after the commit), a drag travels to the console without being stored, a frozen
statement refuses, snapshots before/after give the shift, signatures are collected and printed."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import httpx
from nicegui import ui
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction
from sqlalchemy import func, select

from app import i18n
from app.problems import describe_all
from app.views.base import PhoneHost
from app.views.constellation import ConstellationBoard
from facilitation import agenda, commands, context, lifecycle, organize, participation, protocol
from facilitation import contributions as inputs
from methods.errors import KofferError
from sessions import models
from tests.app.phones import Phone, until
from tests.app.test_api import api, assert_error, bearer, create, join  # noqa: F401  (api is a fixture)

STATEMENTS = ["Das Leitbild: gemeinsam, innovativ, nachhaltig", "Die Leitziele bis 2025"]
AGENDA: dict[str, Any] = {
    "format": "moderationskoffer/agenda@1", "title": "Leitbild", "names": "optional",
    "steps": [{"method": "constellation", "title": "Leitbild und Leitziele", "config": {
        "dimensions": 1, "statements": STATEMENTS, "sign_off": True, "names": True,
        "axes": {"x": {"label": "Zustimmung", "low": "klare Ablehnung", "high": "volle Zustimmung"}},
    }}],
}


def contributions() -> int:
    with context.current().db.session() as orm:
        return int(orm.execute(select(func.count()).select_from(models.Contribution)).scalar_one())


def stage(phone: Phone) -> dict[str, Any]:
    decoded: dict[str, Any] = json.loads(phone.view.props["stage"])
    return decoded


def offered(user: User, marker: str) -> bool:
    """Whether the console shows the button (the User fixture raises when it finds none)."""
    try:
        return bool(user.find(marker=marker).elements)
    except AssertionError:
        return False


def board(user: User) -> dict[str, Any]:
    boards = [e for e in user.find(ConstellationBoard).elements if isinstance(e, ConstellationBoard)]
    assert boards, "no constellation board on the console"
    data: dict[str, Any] = json.loads(boards[0].props["data"])
    return data


async def test_phone_places_drags_is_frozen_and_console_follows(user: User, create_user: Any) -> None:
    ctx = context.current()
    created = organize.create_session(ctx, agenda.parse(AGENDA))
    sid, step_id = created.session.id, created.session.steps[0].id
    lifecycle.open_step(ctx, step_id)

    await user.open(f"/s/{sid}/console?key={created.moderator_key}")
    phone_user = create_user()
    await phone_user.open(f"/j/{created.session.join_code}")
    phone_user.find("name-skip").click()
    phone = Phone(phone_user)
    await phone.wait_view()
    assert phone.shown["statements"] == STATEMENTS and phone.shown["dims"] == 1
    assert phone.shown["axis"] == {"label": "Zustimmung", "low": "klare Ablehnung", "high": "volle Zustimmung"}
    assert phone.shown["texts"]["unplaced_line"].startswith("Noch nicht platziert")
    assert phone.mine["positions"] == {}  # not placed: no dot, certainly not in the middle
    assert stage(phone)["current"] == 0 and stage(phone)["frozen"] is False
    await user.should_see("0 platziert · 1 noch nicht platziert")
    await user.should_not_see("Ergebnis verdeckt")  # the room watches the constellation form

    # a drag: the console sees the dot travel, nothing is stored
    element = phone.view
    UserInteraction(phone_user, {element.host}, PhoneHost).trigger(
        "move", {"step": step_id, "round": 1, "payload": {"statement": 0, "x": 0.3}})
    await until(lambda: board(user)["layers"][0]["dots"] == [[str(_pid(ctx, sid)), 0.3, None, 1]])
    assert board(user)["layers"][0]["dots"] == [[str(_pid(ctx, sid)), 0.3, None, 1]]
    assert contributions() == 0

    # the release: stored, acknowledged with the committed position, the drag ends
    ok, mine = await phone.send({"statement": 0, "x": 0.75})
    assert ok is True and mine["positions"] == {"0": [0.75]}
    assert contributions() == 1
    await user.should_see("1 platziert · 0 noch nicht platziert")
    await until(lambda: board(user)["layers"][0]["dots"] == [[str(_pid(ctx, sid)), 0.75, None, 0]])
    assert board(user)["layers"][0]["dots"] == [[str(_pid(ctx, sid)), 0.75, None, 0]]

    # nonsense is refused with a reason and stores nothing
    ok, _ = await phone.send({"statement": 0, "x": float("nan")})
    assert ok is False
    ok, _ = await phone.send({"statement": 0, "x": "links"})
    assert ok is False and contributions() == 1
    await phone_user.should_see("Die Position (x) muss eine Zahl sein.")

    # the console offers what fits now: "Einfrieren", not "Wieder freigeben"; a snapshot's form
    # names the choices in words
    assert offered(user, "command-freeze") and not offered(user, "command-unfreeze")
    assert not offered(user, "command-previous_statement")  # the first statement: no way back
    user.find(marker="command-snapshot").click()
    await user.should_see("Welcher Stand?")
    await user.should_see("vor der Diskussion")

    # frozen: the phone shows the lock, a move is refused with a clear message, nothing stored
    commands.run(ctx, sid, step_id, "freeze", {})
    await until(lambda: stage(phone)["frozen"] is True)
    assert stage(phone)["frozen"] is True
    await user.should_see("Eingefroren")
    await until(lambda: offered(user, "command-unfreeze"))
    assert offered(user, "command-unfreeze") and not offered(user, "command-freeze")
    ok, mine = await phone.send({"statement": 0, "x": 0.1})
    assert ok is False and mine["positions"] == {"0": [0.75]}
    await phone_user.should_see("Aussage 1 ist eingefroren")
    assert contributions() == 1

    # a reload (or a phone waking up) shows the stored position
    await phone_user.open(f"/j/{created.session.join_code}")
    again = Phone(phone_user)
    await again.wait_view()
    assert again.mine["positions"] == {"0": [0.75]}

    # the next statement: phones move on, the first keeps its dot
    commands.run(ctx, sid, step_id, "next_statement", {})
    await until(lambda: stage(again)["current"] == 1)
    assert stage(again) == {"current": 1, "frozen": False, "signing": None, "others": None}
    await user.should_see("Aussage 2 von 2")
    ok, mine = await again.send({"statement": 1, "x": 0.5})
    assert ok is True and mine["positions"] == {"0": [0.75], "1": [0.5]}

    # back to the first (the console's menu): the phone shows it again, still frozen with its dot
    await until(lambda: offered(user, "command-previous_statement"))
    user.find(marker="command-previous_statement").click()
    await until(lambda: stage(again)["current"] == 0)
    assert stage(again)["frozen"] is True and again.mine["positions"] == {"0": [0.75], "1": [0.5]}
    await user.should_see("Aussage 1 von 2")
    await until(lambda: not offered(user, "command-previous_statement"))
    commands.run(ctx, sid, step_id, "next_statement", {})
    await until(lambda: stage(again)["current"] == 1)

    # signing the first statement: name given, strokes kept; the console counts
    commands.run(ctx, sid, step_id, "open_signing", {"statement": 0})
    await until(lambda: stage(again)["signing"] == 0)
    ok, mine = await again.send({"sign": {"statement": 0, "name": "Anna Weber", "strokes": [[10, 20, 30, 40]]}})
    assert ok is True and mine["signed"] == {"0": "Anna Weber"}
    await user.should_see("Unterschriften: 1")


def _pid(ctx: Any, session_id: int) -> int:
    with ctx.db.session() as orm:
        return int(orm.execute(select(models.Participant.id).where(models.Participant.session_id == session_id))
                   .scalars().first())


async def test_highlight_names_only_where_allowed_and_more_than_three(user: User) -> None:
    ctx = context.current()
    created = organize.create_session(ctx, agenda.parse(AGENDA))
    sid, step_id = created.session.id, created.session.steps[0].id
    lifecycle.open_step(ctx, step_id)
    people = [participation.join_session(ctx, sid, name=n) for n in ("Anna", "Bernd", "Cem", "Dora")]
    for person, x in zip(people[:3], (0.1, 0.5, 0.9), strict=True):
        inputs.submit(ctx, step_id, person.participant_id, {"statement": 0, "x": x})
    commands.run(ctx, sid, step_id, "highlight", {})
    await user.open(f"/s/{sid}/console?key={created.moderator_key}")
    await user.should_see("Höchstens drei Punkte")
    marks = board(user)["marks"]
    assert sorted(marks.values()) == ["das andere Ende", "die Mitte", "ein Ende"]  # three dots: no names
    assert board(user)["layers"][0]["median"] is None  # and no distribution
    inputs.submit(ctx, step_id, people[3].participant_id, {"statement": 0, "x": 0.55})
    await until(lambda: "Anna" in board(user)["marks"].values())
    assert sorted(board(user)["marks"].values()) == ["Anna", "Bernd", "Cem"]
    assert board(user)["layers"][0]["hist"] is not None
    commands.run(ctx, sid, step_id, "highlight", {})  # again: off
    await until(lambda: not board(user)["marks"])
    assert board(user)["marks"] == {}


async def test_api_snapshots_shift_signatures_and_protocol(api: httpx.AsyncClient) -> None:  # noqa: F811
    created = await create(api, AGENDA)
    sid, step_id = created["id"], created["steps"][0]["id"]
    moderator = bearer(created["moderator_key"])
    url = f"/api/v1/sessions/{sid}/steps/{step_id}/commands"
    assert (await api.post(f"/api/v1/sessions/{sid}/steps/{step_id}/open", headers=moderator)).status_code == 200
    people = [await join(api, created["join_code"], name=n) for n in ("Anna", "Bernd", "Cem", "Dora", "Emil")]

    async def place(person: dict[str, str], x: Any, statement: int = 0) -> httpx.Response:
        return await api.post(f"/api/v1/steps/{step_id}/contributions", json={"statement": statement, "x": x},
                              headers=person)

    for person, x in zip(people, (0.2, 0.4, 0.5, 0.6, 0.9), strict=True):
        assert (await place(person, x)).status_code == 201
    for bad in (1.5, -0.1, "0.5", None, True):
        assert_error(await place(people[0], bad), 422, "constellation_outside" if isinstance(bad, float)
                     else "constellation_coordinate")
    assert_error(await place(people[0], 0.5, statement=1), 422, "constellation_not_current")

    assert (await api.post(f"{url}/freeze", json={}, headers=moderator)).status_code == 200
    assert_error(await place(people[0], 0.3), 422, "constellation_frozen")
    before = await api.post(f"{url}/snapshot", json={"label": "before"}, headers=moderator)
    assert before.status_code == 200, before.text
    recorded = before.json()["payload"]
    assert recorded["label"] == "before" and recorded["statement"] == 0
    assert sorted(recorded["positions"].values()) == [[0.2], [0.4], [0.5], [0.6], [0.9]]
    assert_error(await api.post(f"{url}/snapshot", json={"label": "before"}, headers=moderator), 409,
                 "constellation_snapshot_taken")
    assert_error(await api.post(f"{url}/snapshot", json={"label": "during"}, headers=moderator), 422,
                 "command_invalid")
    assert (await api.post(f"{url}/unfreeze", json={}, headers=moderator)).status_code == 200
    assert (await place(people[0], 0.6)).status_code == 201  # Anna moved after hearing the others
    assert (await place(people[4], 0.7)).status_code == 201
    assert (await api.post(f"{url}/freeze", json={}, headers=moderator)).status_code == 200
    assert (await api.post(f"{url}/snapshot", json={"label": "after"}, headers=moderator)).status_code == 200

    results = (await api.get(f"/api/v1/sessions/{sid}/results", headers=moderator)).json()
    board_ = results["steps"][0]["rounds"][0]["result"]["statements"][0]
    assert board_["before"]["placed"] == 5 and board_["after"]["placed"] == 5
    assert board_["before"]["median"] == [0.5] and board_["after"]["median"] == [0.6]
    assert board_["median_shift"] == [0.1] and board_["moved"] == 2
    assert sorted(s["dx"] for s in board_["shifts"]) == [-0.2, 0.0, 0.0, 0.0, 0.4]
    assert board_["live"]["not_placed"] == 0
    outcome = results["steps"][0]["rounds"][0]["outcome"]
    assert outcome["decision"].startswith("Aussage 1: Median bei 60 %")

    # sign-off: only while open, once per person (a second replaces the first)
    sign = {"sign": {"statement": 0, "name": "Anna Weber", "strokes": [[100, 500, 300, 200, 500, 600, 900, 300]]}}
    refused = await api.post(f"/api/v1/steps/{step_id}/contributions", json=sign, headers=people[0])
    assert_error(refused, 422, "constellation_signing_closed")
    assert (await api.post(f"{url}/open_signing", json={}, headers=moderator)).status_code == 200
    for person, name in zip(people[:3], ("Anna W.", "Bernd Kaya", "Cem Öztürk"), strict=True):
        body = {"sign": {**sign["sign"], "name": name}}
        assert (await api.post(f"/api/v1/steps/{step_id}/contributions", json=body, headers=person)).status_code == 201
    assert (await api.post(f"/api/v1/steps/{step_id}/contributions", json=sign, headers=people[0])).status_code == 201
    assert (await api.post(f"{url}/close_signing", json={}, headers=moderator)).status_code == 200
    results = (await api.get(f"/api/v1/sessions/{sid}/results", headers=moderator)).json()
    signatures = results["steps"][0]["rounds"][0]["result"]["statements"][0]["signatures"]
    assert sorted(s["name"] for s in signatures) == ["Anna Weber", "Bernd Kaya", "Cem Öztürk"]
    assert all(s["at"] for s in signatures)
    export = (await api.get(f"/api/v1/sessions/{sid}/export.json", headers=moderator)).json()["contributions"]
    signed = [c["payload"]["name"] for c in export if c["key"] == "sign:0"]
    assert signed.count("Anna W.") == 1 and signed.count("Anna Weber") == 1  # replaced, history kept

    await api.post(f"/api/v1/sessions/{sid}/steps/{step_id}/close", headers=moderator)
    pdf = await api.get(f"/api/v1/sessions/{sid}/protocol.pdf", headers=moderator)
    assert pdf.status_code == 200
    text = " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf.content,
                                   capture_output=True, check=True).stdout.decode().split())
    assert "Aussage 1: Das Leitbild: gemeinsam, innovativ, nachhaltig" in text
    assert "Vor der Diskussion" in text and "Nach der Diskussion" in text
    assert "Verschiebung des Medians: +10 Prozentpunkte · 2 von 5 haben sich bewegt." in text
    assert "Unterschrieben (3)" in text and "Cem Öztürk" in text and "Anna Weber" in text
    assert "positions" not in text  # the recorded snapshot is the board's, not a line of the decisions table
    # names allowed by the step and collected by the session: who stood where, in the result and the protocol
    people = results["steps"][0]["rounds"][0]["result"]["people"]
    assert sorted(people.values()) == ["Anna", "Bernd", "Cem", "Dora", "Emil"]
    spots = {people[s[0]]: s[1] for s in board_["after"]["spots"]}
    assert spots == {"Anna": 0.6, "Bernd": 0.4, "Cem": 0.5, "Dora": 0.6, "Emil": 0.7}
    exported = (await api.get(f"/api/v1/sessions/{sid}/export.json", headers=moderator)).json()
    assert exported["results"][0]["rounds"][0]["result"]["people"] == people
    assert "Wer wo stand (5 mit Namen)" in text and "Emil 90 % 70 %" in text  # before, after
    with context.current().db.session() as orm:  # the closed round's stored snapshot holds no name
        stored = orm.execute(select(models.StepRound.result).where(models.StepRound.step_id == step_id)).scalars().one()
    assert stored["people"] == {} and "Emil" not in json.dumps(stored)


async def test_without_names_the_results_stay_pseudonymous(api: httpx.AsyncClient) -> None:  # noqa: F811
    """A step without ``names`` in a session that collects them, and a step with ``names`` in a
    session that collects none: no name in the results, the export's results or the protocol."""
    for session_names, step_names in (("optional", False), ("none", True)):
        doc = json.loads(json.dumps(AGENDA))
        doc["names"] = session_names
        doc["steps"][0]["config"]["names"] = step_names
        created = await create(api, doc)
        sid, step_id = created["id"], created["steps"][0]["id"]
        moderator = bearer(created["moderator_key"])
        await api.post(f"/api/v1/sessions/{sid}/steps/{step_id}/open", headers=moderator)
        for k, name in enumerate(("Anna", "Bernd", "Cem", "Dora")):
            person = await join(api, created["join_code"], name=name)
            placed = await api.post(f"/api/v1/steps/{step_id}/contributions", json={"statement": 0, "x": k / 4},
                                    headers=person)
            assert placed.status_code == 201
        result = (await api.get(f"/api/v1/sessions/{sid}/results", headers=moderator)).json()["steps"][0]
        assert result["rounds"][0]["result"]["people"] == {}
        assert result["rounds"][0]["result"]["statements"][0]["live"]["placed"] == 4
        pdf = await api.get(f"/api/v1/sessions/{sid}/protocol.pdf", headers=moderator)
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf.content,
                              capture_output=True, check=True).stdout.decode()
        assert "Wer wo stand" not in text and "Bernd" not in text


def test_agenda_problems_of_a_constellation_read_in_plain_german() -> None:
    doc = {"title": "4. Treffen", "steps": [{"method": "constellation", "title": "Leitbild",
                                            "config": {"dimensions": 3, "statements": []}}]}
    try:
        agenda.parse(doc)
    except KofferError as exc:
        lines = describe_all(exc, "de", ["Leitbild"])
    else:
        raise AssertionError("a constellation without statements was accepted")
    assert "Punkt 1 („Leitbild“) – Dimensionen: muss 1 (eine Linie) oder 2 (ein Feld) sein." in lines
    assert any(line.startswith("Punkt 1 („Leitbild“) – Aussagen: hat zu wenige Einträge") for line in lines)


EVIL = '<img src=x onerror="alert(1)">&amp;</b>'


async def test_hostile_statement_and_signer_stay_text(user: User) -> None:
    ctx = context.current()
    doc = {**AGENDA, "steps": [{**AGENDA["steps"][0], "config": {**AGENDA["steps"][0]["config"],
                                                                   "statements": ["Leitbild " + EVIL]}}]}
    created = organize.create_session(ctx, agenda.parse(doc))
    sid, step_id = created.session.id, created.session.steps[0].id
    lifecycle.open_step(ctx, step_id)
    person = participation.join_session(ctx, sid, name="Anna")
    inputs.submit(ctx, step_id, person.participant_id, {"statement": 0, "x": 0.5})
    commands.run(ctx, sid, step_id, "open_signing", {})
    inputs.submit(ctx, step_id, person.participant_id, {"sign": {"statement": 0, "name": "Anna " + EVIL}})
    await user.open(f"/s/{sid}/console?key={created.moderator_key}")
    await user.should_see("Leitbild " + EVIL)  # a label's text, never markup
    lifecycle.close_step(ctx, step_id)
    pdf = protocol.build_pdf(ctx, sid, i18n.translator("de"))
    text = " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                                   check=True).stdout.decode().split())
    assert "Anna <img src=x onerror=\"alert(1)\">&amp;</b>" in text
    assert "Leitbild <img src=x" in text


async def test_editor_form_with_statements_axes_and_errors_beside_the_fields(user: User) -> None:
    ctx = context.current()
    created = organize.create_session(ctx, agenda.parse(AGENDA))
    await user.open(f"/s/{created.session.id}/edit?key={created.moderator_key}")
    await user.should_see(marker="con-statements")
    area = next(iter(user.find(marker="con-statements").elements))
    assert isinstance(area, ui.textarea) and area.value == "\n\n".join(STATEMENTS)  # one per paragraph
    x_low = next(iter(user.find(marker="con-x-low").elements))
    assert isinstance(x_low, ui.input) and x_low.value == "klare Ablehnung"
    await user.should_not_see(marker="con-y-label")  # a line has no second axis

    # no statement, an empty end, an over-long statement: each field says what is wrong, nothing saved
    user.find(marker="con-statements").clear()
    user.find(marker="con-x-low").clear()
    user.find(marker="save-step").click()
    await user.should_see("Bitte 1 bis 12 Aussagen angeben (jetzt 0).")
    assert area.error == "Bitte 1 bis 12 Aussagen angeben (jetzt 0)." and x_low.error == "Bitte ausfüllen."
    user.find(marker="con-statements").type("Kurz\n\n" + "lang " * 700)
    user.find(marker="save-step").click()
    await user.should_see("Aussage 2 ist zu lang (höchstens 3000 Zeichen).")
    assert organize.get_session(ctx, created.session.id).steps[0].config.statements == STATEMENTS

    # a field of two axes, three statements (the first with a line break of its own), phones see the others
    user.find(marker="con-dimensions").click()
    UserInteraction(user, user.find(marker="con-dimensions").elements, "in einem Feld (zwei Achsen)").click()
    await user.should_see(marker="con-y-label")
    user.find(marker="con-statements").clear().type(
        "Das Leitbild:\ngemeinsam, innovativ, nachhaltig\n\n  \nDie Leitziele bis 2025\n\nDie SWOT-Analyse")
    user.find(marker="con-x-low").type("dagegen")
    user.find(marker="con-y-high").clear().type("packe mit an")
    user.find(marker="con-phones_see_others").click()
    user.find(marker="con-sign_off").click()  # was on: now off
    user.find(marker="save-step").click()
    await user.should_see("Gespeichert")
    assert area.error is None and x_low.error is None
    config = organize.get_session(ctx, created.session.id).steps[0].config
    assert config.dimensions == 2
    assert config.statements == ["Das Leitbild:\ngemeinsam, innovativ, nachhaltig", "Die Leitziele bis 2025",
                                 "Die SWOT-Analyse"]
    assert (config.axes.x.low, config.axes.x.high) == ("dagegen", "volle Zustimmung")
    assert config.axes.y is not None
    assert (config.axes.y.label, config.axes.y.low, config.axes.y.high) == ("Eigenes Engagement", "wenig", "packe mit an")
    assert config.phones_see_others and config.names and not config.sign_off

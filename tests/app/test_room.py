"""Ballot stuffing with the projected code, played against the app as an attacker and a facilitator
would (issue 14, finding 1): scripted API clients, phones through the real pages, the console's
participants dialog, voting cards scanned by phones and printed as a PDF."""

from __future__ import annotations

import io
from typing import Any

import httpx
import pytest
from nicegui.testing import User
from pypdf import PdfReader

from app.pages.door import WaitingLive
from facilitation import admission, agenda, cards, context, lifecycle, live, organize
from tests.app.phones import Phone, notice, until
from tests.app.test_api import api, assert_error, bearer, create, login  # noqa: F401 - fixture
from tests.factories import create_session

VOTE = {"method": "hand_vote", "title": "Reallabor", "config": {"question": "Soll es das Reallabor geben?"}}
AGENDA = {"title": "4. Treffen der Wirtschaftsallianz", "head_count": 30, "steps": [VOTE]}


def counts(session_id: int) -> dict[str, int]:
    result = live.build_state(context.current(), session_id).result
    assert result is not None
    return {o["id"]: o["count"] for o in result["options"]}


# --- the attacker: a script with the code from the beamer ----------------------------------------


async def test_300_scripted_joins_and_200_votes_no_longer_decide_the_vote(api: httpx.AsyncClient) -> None:
    """The issue's reproduction: 300 ``POST /join`` with the projected code, then a vote from
    every token. 30 people are expected: 55 voices get in, the console's count is flagged, the
    next 50 wait for the moderator and cannot vote, the rest are refused (429)."""
    created = await create(api, AGENDA)
    sid, step = created["id"], created["steps"][0]["id"]
    moderator = bearer(created["moderator_key"])
    assert (await api.post(f"/api/v1/sessions/{sid}/steps/{step}/open", headers=moderator)).status_code == 200
    answers = [await api.post("/api/v1/join", json={"code": created["join_code"]}) for _ in range(300)]
    statuses = [r.json().get("status", r.json().get("error")) for r in answers]
    assert (statuses.count("in"), statuses.count("waiting"), statuses.count("too_many_joins")) == (55, 50, 195)
    assert {r.status_code for r in answers if r.json().get("error")} == {429}
    votes = [await api.post(f"/api/v1/steps/{step}/contributions", json={"option": "yes"},
                            headers=bearer(r.json()["participant_token"])) for r in answers[:200]
             if "participant_token" in r.json()]
    assert [v.status_code for v in votes].count(201) == 55
    refused = [v for v in votes if v.status_code != 201]
    assert {(v.status_code, v.json()["error"]) for v in refused} == {(403, "participant_waiting")}
    assert counts(sid)["yes"] == 55
    roster = (await api.get(f"/api/v1/sessions/{sid}/participants", headers=moderator)).json()
    assert (roster["head_count"], roster["in"], roster["waiting"]) == (30, 55, 50)
    # the waiting ones see it when they ask
    waiting = next(r for r in answers if r.json().get("status") == "waiting")
    current = await api.get(f"/api/v1/sessions/{sid}/current", headers=bearer(waiting.json()["participant_token"]))
    assert current.json()["participant_status"] == "waiting" and current.json()["step"] is None


async def test_the_moderator_removes_a_participant_through_the_api(api: httpx.AsyncClient) -> None:
    created = await create(api, AGENDA)
    sid, step = created["id"], created["steps"][0]["id"]
    moderator = bearer(created["moderator_key"])
    await api.post(f"/api/v1/sessions/{sid}/steps/{step}/open", headers=moderator)
    tokens = [(await api.post("/api/v1/join", json={"code": created["join_code"]})).json() for _ in range(3)]
    for t, option in zip(tokens, ("yes", "yes", "no"), strict=True):
        await api.post(f"/api/v1/steps/{step}/contributions", json={"option": option},
                       headers=bearer(t["participant_token"]))
    await api.post(f"/api/v1/sessions/{sid}/steps/{step}/close", headers=moderator)
    response = await api.post(f"/api/v1/sessions/{sid}/participants/{tokens[0]['participant_id']}/remove",
                              headers=moderator)
    assert response.status_code == 200, response.text
    assert response.json() == {"id": tokens[0]["participant_id"], "status": "removed", "number": 1,
                               "rounds": 1, "inputs": 1}
    results = (await api.get(f"/api/v1/sessions/{sid}/results", headers=moderator)).json()
    closed = results["steps"][0]["rounds"][0]
    assert {o["id"]: o["count"] for o in closed["result"]["options"]} == {"yes": 1, "no": 1, "abstain": 0}
    assert closed["decisions"][0]["command"] == "participant_removed"
    assert_error(await api.post(f"/api/v1/sessions/{sid}/participants/{tokens[0]['participant_id']}/remove",
                                headers=moderator), 409, "participant_already_removed")
    # a participant's own token can do none of this
    assert_error(await api.post(f"/api/v1/sessions/{sid}/participants/{tokens[1]['participant_id']}/remove",
                                headers=bearer(tokens[2]["participant_token"])), 403, "wrong_key")


async def test_admission_through_the_api_and_the_agenda_file(api: httpx.AsyncClient) -> None:
    created = await create(api, {**AGENDA, "admission": "closed_after_start"})
    sid = created["id"]
    moderator = bearer(created["moderator_key"])
    agenda = (await api.get(f"/api/v1/sessions/{sid}/agenda", headers=moderator)).json()
    assert (agenda["admission"], agenda["head_count"]) == ("closed_after_start", 30)
    response = await api.post(f"/api/v1/sessions/{sid}/admission", json={"closed": True, "head_count": 12},
                              headers=moderator)
    assert response.json() == {"admission": "closed_after_start", "head_count": 12, "joining_closed": True}
    joined = (await api.post("/api/v1/join", json={"code": created["join_code"]})).json()
    assert joined["status"] == "waiting"
    admitted = await api.post(f"/api/v1/sessions/{sid}/participants/{joined['participant_id']}/admit", headers=moderator)
    assert admitted.json() == {"id": joined["participant_id"], "status": "in"}
    bad = await api.post("/api/v1/sessions", json={**AGENDA, "admission": "alle", "head_count": -3},
                         headers=await login(api))
    fields = {p["field"] for p in assert_error(bad, 422, "agenda_invalid")["detail"]["problems"]}
    assert fields == {"admission", "head_count"}


async def test_voting_cards_through_the_api(api: httpx.AsyncClient) -> None:
    created = await create(api, {**AGENDA, "admission": "cards"})
    sid = created["id"]
    moderator = bearer(created["moderator_key"])
    response = await api.get(f"/api/v1/sessions/{sid}/cards.pdf?count=9", headers=moderator)
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) == 2  # eight cards per page
    assert all(f"Stimmkarte Nr. {n}" in text for n in range(1, 10))
    assert "Wirtschaftsallianz" in text and "genau ein Telefon" in text
    # the code alone only asks; a card lets in, once
    assert (await api.post("/api/v1/join", json={"code": created["join_code"]})).json()["status"] == "waiting"
    card = cards.issue(context.current(), sid, 9)[4]
    first = await api.post("/api/v1/join", json={"card": card.token})
    assert first.status_code == 200 and first.json()["status"] == "in"
    assert_error(await api.post("/api/v1/join", json={"card": card.token}), 409, "card_used")
    assert_error(await api.post("/api/v1/join", json={"card": "erfunden"}), 404, "voting_card_unknown")
    roster = (await api.get(f"/api/v1/sessions/{sid}/participants", headers=moderator)).json()["participants"]
    assert [(p["status"], p["card"]) for p in roster] == [("waiting", None), ("in", 5)]


async def test_cards_pdf_links_are_the_cards(user: User) -> None:
    """Each QR code on the sheet carries its card's link (what a phone opens when it scans it)."""
    ctx = context.current()
    created = create_session(ctx, VOTE, admission="cards")
    links: list[str] = []
    cards.sheet_pdf(ctx, created.session.id, 3, lambda token: links.append(token) or f"http://x/k/{token}",
                    lambda key, **p: key)
    assert links == [c.token for c in cards.issue(ctx, created.session.id, 3)]


# --- the facilitator: the console's count and participants dialog ----------------------------------


async def test_the_console_flags_more_joins_than_people_and_removes_one(user: User, create_user: Any) -> None:
    ctx = context.current()
    created = create_session(ctx, VOTE, title="Treffen", head_count=2)
    sid, code = created.session.id, created.session.join_code
    await user.open(f"/s/{sid}/console?key={created.moderator_key}")
    await user.should_see("0 von 2 dabei")
    phones = [create_user() for _ in range(3)]
    for phone in phones:
        await phone.open(f"/j/{code}")
        await notice(phone)
    await user.should_see("⚠ 3 dabei – nur 2 erwartet")
    heads = next(iter(user.find(marker="heads").elements))
    assert "text-red-800" in heads.classes
    user.find(marker="open").click()
    views = [Phone(phone) for phone in phones]
    for view in views:
        await view.wait_view()
    for view, option in zip(views, ("yes", "yes", "no"), strict=True):
        assert (await view.vote(option))[0]
    assert counts(sid) == {"yes": 2, "no": 1, "abstain": 0}

    user.find(marker="room").click()
    await user.should_see("3 Telefone sind dabei, aber nur 2 Personen erwartet")
    user.find(marker="remove-1").click()
    await user.should_see("Nr. 1")
    user.find(marker="remove-confirm").click()
    await user.should_see("Nr. 1 entfernt.")
    await user.should_see("2 von 2 dabei")
    assert counts(sid) == {"yes": 1, "no": 1, "abstain": 0}
    # the removed phone says so and cannot vote any more
    await until(lambda: views[0].view.props["notice"].startswith("Die Moderation hat dieses Telefon"))
    assert views[0].view.props["notice"] == "Die Moderation hat dieses Telefon aus der Sitzung genommen."


async def test_closing_joining_late_phone_waits_with_its_number_until_let_in(user: User, create_user: Any) -> None:
    ctx = context.current()
    created = create_session(ctx, VOTE)
    sid, code = created.session.id, created.session.join_code
    await user.open(f"/s/{sid}/console?key={created.moderator_key}")
    user.find(marker="room").click()
    user.find(marker="toggle-joining").click()  # "Beitritt schließen"
    await user.should_see("Beitritt öffnen")
    await user.should_see("Beitritt geschlossen – bitte bei der Moderation melden")  # under the QR code
    late = create_user()
    await late.open(f"/j/{code}")
    await late.should_see("Der Beitritt ist geschlossen.")
    await late.should_see("Ihre Nummer:")
    number = next(iter(late.find(marker="wait-number").elements)).text
    assert number == "1"
    await user.should_see("0 dabei · 1 warten")
    # a reload finds the phone waiting again (its device token), not a second request
    await late.open(f"/j/{code}")
    await late.should_see(marker="wait-number")
    assert len(admission.roster(ctx, sid)) == 1
    # the moderator's OK (the dialog lists the waiting phone by its number)
    user.find(marker="room").click()
    await user.should_see("Warten auf Zulassung (1)")
    user.find(marker="admit-1").click()
    await user.should_see("1 dabei")
    lifecycle.open_step(ctx, created.session.steps[0].id)
    phone = Phone(late)
    await phone.wait_view()
    assert await phone.vote("yes") == (True, ["yes"])
    assert not any(isinstance(e, WaitingLive) for e in late.client.elements.values())


async def test_a_turned_away_phone_is_told(user: User, create_user: Any) -> None:
    ctx = context.current()
    created = create_session(ctx, VOTE)
    sid = created.session.id
    admission.set_admission(ctx, sid, closed=True)
    late = create_user()
    await late.open(f"/j/{created.session.join_code}")
    await late.should_see(marker="wait-number")
    waiting = admission.roster(ctx, sid)[0]
    admission.remove(ctx, sid, waiting.id)
    await late.should_see("Die Moderation hat dieses Telefon aus der Sitzung genommen.")


async def test_a_voting_card_joins_its_phone_and_leaves_the_address_bar(user: User, create_user: Any) -> None:
    ctx = context.current()
    created = create_session(ctx, VOTE, admission="cards")
    sid = created.session.id
    card = cards.issue(ctx, sid, 2)[0]
    phone = create_user()
    await phone.open(f"/k/{card.token}")
    await notice(phone)  # the live phone page: the card's page went on to /j/{code}
    assert phone.back_history[-1] == f"/j/{created.session.join_code}"
    assert live.build_state(ctx, sid).participants == 1
    # the same phone scanning its card again comes back; a second phone is refused
    await phone.open(f"/k/{card.token}")
    await notice(phone)
    other = create_user()
    await other.open(f"/k/{card.token}")
    await other.should_see("Stimmkarte Nr. 1 ist schon auf einem anderen Telefon benutzt.")
    assert live.build_state(ctx, sid).participants == 1
    # without a card, the code only asks for the moderator's OK
    await other.open(f"/j/{created.session.join_code}")
    await other.should_see(marker="wait-number")


async def test_a_card_asks_for_the_name_when_the_session_wants_names(user: User) -> None:
    ctx = context.current()
    created = create_session(ctx, VOTE, admission="cards", names="required")
    card = cards.issue(ctx, created.session.id, 1)[0]
    await user.open(f"/k/{card.token}")
    await user.should_see("Ihr Name steht in den Exporten der Geschäftsstelle neben Ihren Eingaben.")
    user.find(marker="name").type("Anna Beispiel")
    user.find(marker="name-continue").click()
    await notice(user)
    assert [e.name for e in admission.roster(ctx, created.session.id)] == ["Anna Beispiel"]


async def test_the_console_prints_voting_cards(user: User) -> None:
    ctx = context.current()
    created = create_session(ctx, VOTE, admission="cards", head_count=12)
    sid = created.session.id
    await user.open(f"/s/{sid}/console?key={created.moderator_key}")
    await user.should_see("Beitritt mit Stimmkarte")
    user.find(marker="room").click()
    await user.should_see("Stimmkarten drucken (PDF)")
    user.find(marker="cards-pdf").click()
    await user.should_see("12 Karten erstellt, 0 benutzt.", retries=50)  # drawn in a worker thread
    assert cards.issued(ctx, sid) == (12, 0)


@pytest.mark.parametrize("level", ["open", "closed_after_start", "cards"])
async def test_the_editor_sets_the_admission_level_and_head_count(user: User, level: str) -> None:
    ctx = context.current()
    created = organize.create_session(ctx, agenda.parse(AGENDA))
    await user.open(f"/s/{created.session.id}/edit?key={created.moderator_key}")
    user.find(marker="admission").click()
    user.find(marker="admission").elements.pop().set_value(level)
    user.find(marker="head-count").elements.pop().set_value(44)
    user.find(marker="save-details").click()
    await user.should_see("Gespeichert")
    info = organize.get_session(ctx, created.session.id)
    assert (info.admission, info.head_count) == (level, 44)

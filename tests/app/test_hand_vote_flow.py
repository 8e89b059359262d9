"""A console and several phones at once, through the real pages (NiceGUI User fixture)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from nicegui.testing import User

from app.views.base import PhoneHost
from facilitation import agenda, context, contributions, lifecycle, live, organize
from facilitation.snapshots import LiveState
from tests.app.phones import Outgoing, Phone, notice, screen, until
from tests.app.phones import live as live_of
from tests.factories import create_session

AGENDA = {
    "title": "3. Treffen der Wirtschaftsallianz",
    "date": "2017-09-12",
    "place": "Bottrop",
    "steps": [
        {"method": "hand_vote", "title": "Protokoll", "config": {"question": "Einverstanden mit dem Protokoll?"}},
        {"method": "hand_vote", "title": "Termin", "config": {"question": "Wann?", "options": ["Januar", "Februar"]}},
    ],
}


def make_session(**overrides):
    ctx = context.current()
    doc = {**AGENDA, **overrides}
    return ctx, organize.create_session(ctx, agenda.parse(doc))


async def test_phone_votes_and_console_reveals(user: User, create_user) -> None:
    ctx, created = make_session()
    sid, code = created.session.id, created.session.join_code
    step = created.session.steps[0].id

    await user.open(f"/s/{sid}/console?key={created.moderator_key}")
    await user.should_see(code)
    await user.should_see("http://koffer.test/j/" + code)

    phones = [create_user() for _ in range(3)]
    for phone in phones:
        await phone.open(f"/j/{code}")
        assert (await notice(phone)).startswith("Gleich geht es los")
    await user.should_see("3 dabei")

    user.find(marker="open").click()
    views = [Phone(phone) for phone in phones]
    for view in views:
        await view.wait_view()
        assert view.shown["question"] == "Einverstanden mit dem Protokoll?"
        assert [o["label"] for o in view.shown["options"]] == ["Ja", "Nein", "Enthaltung"]
    assert await views[0].vote("yes") == (True, ["yes"])  # "Gespeichert ✓" only after this ack
    assert await views[1].vote("yes") == (True, ["yes"])
    assert await views[2].vote("no") == (True, ["no"])
    await user.should_see("3 von 3 haben abgestimmt")
    await user.should_see("Ergebnis verdeckt")

    user.find(marker="reveal").click()
    await user.should_see("Angenommen")
    result = live.build_state(ctx, sid).result
    assert [o["count"] for o in result["options"]] == [2, 1, 0]

    # a participant changes their vote: the latest counts
    assert await views[2].vote("yes") == (True, ["yes"])  # the check mark moves with this ack
    assert [o["count"] for o in live.build_state(ctx, sid).result["options"]] == [3, 0, 0]

    # after close no vote is accepted, and the phone says so
    user.find(marker="close").click()
    await until(lambda: views[0].live.get("closed"))
    assert views[0].live["closed"] and not views[0].live["open"]
    assert views[0].live["result"]["rows"][0] == {"id": "yes", "label": "Ja", "frac": 1.0, "text": "3 (100 %)"}
    with pytest.raises(Exception):
        contributions.submit(ctx, step, 1, {"option": "no"})
    assert [o["count"] for o in live.build_state(ctx, sid).result["options"]] == [3, 0, 0]


async def test_phone_reload_keeps_participant_and_vote(user: User) -> None:
    ctx, created = make_session()
    sid, code = created.session.id, created.session.join_code
    lifecycle.open_step(ctx, created.session.steps[0].id)
    await user.open(f"/j/{code}")
    phone = Phone(user)
    await phone.wait_view()
    assert await phone.vote("no") == (True, ["no"])
    await user.open(f"/j/{code}")  # reload: same browser cookie, same participant
    again = Phone(user)
    await again.wait_view()
    assert again.mine == ["no"]
    assert live.build_state(ctx, sid).participants == 1
    assert live.build_state(ctx, sid).result["voters"] == 1


async def test_unknown_code_gets_friendly_message(user: User) -> None:
    await user.open("/j/ZZZZZZ")
    await user.should_see("Den Code „ZZZZZZ“ kennen wir nicht")


async def test_console_without_key_is_refused(user: User) -> None:
    _, created = make_session()
    await user.open(f"/s/{created.session.id}/console?key=wrong")
    await user.should_see(marker="refused")
    await user.should_not_see(created.session.join_code)
    await user.open(f"/s/{created.session.id}/screen?key={created.projector_key}")
    await user.should_see(created.session.join_code)
    await user.should_not_see(marker="open")


async def test_names_required_asks_for_name(user: User) -> None:
    ctx, created = make_session(names="required")
    await user.open(f"/j/{created.session.join_code}")
    user.find(marker="name-continue").click()
    await user.should_see("Bitte geben Sie Ihren Namen an.")
    assert live.build_state(ctx, created.session.id).participants == 0
    user.find(marker="name").type("Erika Muster")
    user.find(marker="name-continue").click()
    assert (await notice(user)).startswith("Gleich geht es los")
    assert live.build_state(ctx, created.session.id).participants == 1


async def test_next_step_moves_phones(user: User, create_user) -> None:
    ctx, created = make_session()
    browser = create_user()
    await browser.open(f"/j/{created.session.join_code}")
    await user.open(f"/s/{created.session.id}/console?key={created.moderator_key}")
    user.find(marker="open").click()
    phone = Phone(browser)
    first = await phone.wait_view()
    assert await phone.vote("yes") == (True, ["yes"])
    user.find(marker="next").click()  # the vote is still open: the console asks first
    await user.should_see("Punkt 1 ist noch offen. Vor dem Weitergehen schließen?")
    user.find(marker="next-keep-open").click()
    await user.should_see("Punkt 2 von 2")
    await until(lambda: first.props["heading"] == "Termin")
    assert first.props["view"] == "" and first.props["notice"].startswith("Gleich geht es los")
    assert first.props["heading"] == "Termin"  # the next step's title while it is being prepared
    user.find(marker="open").click()
    second = await phone.wait_view()
    assert screen(second)["question"] == "Wann?"
    assert [o["label"] for o in screen(second)["options"]] == ["Januar", "Februar"]
    assert json.loads(second.props["mine"]) == [] and live_of(second) == {"open": True}
    assert second is first and not first.is_deleted  # hidden while waiting, reloaded: no new element


async def test_a_step_of_the_same_method_reuses_the_phone_element(user: User, create_user) -> None:
    """Next step straight from an open hand vote to another: one props update, no new element."""
    ctx, created = make_session()
    steps = [s.id for s in created.session.steps]
    lifecycle.open_step(ctx, steps[0])
    await user.open(f"/j/{created.session.join_code}")
    phone = Phone(user)
    first = await phone.wait_view()
    assert await phone.vote("yes") == (True, ["yes"])
    lifecycle.open_step(ctx, steps[1])  # the moderator opens step 2 directly (also via the API)
    await until(lambda: screen(first)["question"] == "Wann?")
    assert phone.view is first and not first.is_deleted
    assert (json.loads(first.props["mine"]), live_of(first)) == ([], {"open": True})
    assert await phone.vote("o2") == (True, ["o2"])
    assert [o["count"] for o in live.build_state(ctx, created.session.id).result["options"]] == [0, 1]


async def test_join_by_typing_the_code(user: User) -> None:
    _, created = make_session()
    await user.open("/")
    user.find(marker="code").type("zzz-zzz")
    user.find(marker="join").click()
    await user.should_see("kennen wir nicht")
    code = created.session.join_code
    user.find(marker="code").clear().type(f"{code[:3].lower()} {code[3:].lower()}")  # as people type it
    user.find(marker="join").click()
    assert (await notice(user)).startswith("Gleich geht es los")


async def test_joined_phone_is_not_locked_out_by_typos_behind_the_same_router(user: User) -> None:
    ctx, created = make_session()
    code = created.session.join_code
    await user.open(f"/j/{code}")
    assert (await notice(user)).startswith("Gleich geht es los")
    for _ in range(ctx.join_limiter.limit):  # other people behind the venue router mistype
        ctx.join_limiter.fail("testclient")
    await user.open(f"/j/{code}")  # the phone slept past the reconnect window and reloads
    assert (await notice(user)).startswith("Gleich geht es los")
    assert live.build_state(ctx, created.session.id).participants == 1


async def test_page_fetch_without_a_browser_creates_no_participant(user: User) -> None:
    ctx, created = make_session()
    r = await user.http_client.get(f"/j/{created.session.join_code}")  # e.g. a chat app's link preview
    assert r.status_code == 200
    assert live.build_state(ctx, created.session.id).participants == 0


async def test_agenda_editor_form_for_a_hand_vote(user: User) -> None:
    ctx = context.current()
    created = create_session(ctx, "hand_vote", title="T")
    await user.open(f"/s/{created.session.id}/edit?key={created.moderator_key}")
    await user.should_see(marker="vote-options")
    user.find(marker="vote-question").clear().type("Vertagen wir?")
    user.find(marker="vote-options").clear().type("Ja\nNein\nEnthaltung\nSpäter entscheiden")
    user.find(marker="save-step").click()
    await user.should_see("Gespeichert")
    config = organize.get_session(ctx, created.session.id).steps[0].config
    assert config.question == "Vertagen wir?"
    assert [o.label for o in config.options] == ["Ja", "Nein", "Enthaltung", "Später entscheiden"]
    assert [o.id for o in config.options][:3] == ["yes", "no", "abstain"]  # votes stay attached


async def test_agenda_editor_refuses_a_single_option(user: User) -> None:
    ctx = context.current()
    created = create_session(ctx, "hand_vote", title="T")
    await user.open(f"/s/{created.session.id}/edit?key={created.moderator_key}")
    await user.should_see(marker="vote-options")
    user.find(marker="vote-options").clear().type("Nur eine")
    user.find(marker="save-step").click()
    await user.should_see("mindestens zwei Optionen")
    assert len(organize.get_session(ctx, created.session.id).steps[0].config.options) == 3


async def test_a_tap_on_the_previous_question_never_counts_for_the_next(user: User) -> None:
    """A phone tapped "Ja" just as the moderator opened the next question: refused, not moved."""
    ctx, created = make_session()
    steps = [s.id for s in created.session.steps]
    lifecycle.open_step(ctx, steps[0])
    await user.open(f"/j/{created.session.join_code}")
    phone = Phone(user)
    await phone.wait_view()
    lifecycle.open_step(ctx, steps[1])
    await until(lambda: phone.shown["step"] == steps[1])
    assert await phone.send({"option": "o1"}, step=steps[0]) == (False, [])
    assert await phone.send({"option": "o1"}, round=2) == (False, [])
    assert any("neue Frage" in m for m in user.notify.messages)
    assert live.build_state(ctx, created.session.id).result["voters"] == 0
    assert await phone.send({"option": "o1"}) == (True, ["o1"])  # what the phone shows now counts


async def test_a_vote_sends_the_phone_its_ack_not_its_view_again(user: User) -> None:
    """The ack is the only message a vote causes for the voting phone: no full element update.

    Not "sleep and see that nothing came": an observer subscribed after the phone is told in
    the same hub delivery right after it, so once the observer has the new count the phone has
    had it too; a marker queued behind the phone's messages then shows they have all gone out."""
    ctx, created = make_session()
    sid = created.session.id
    lifecycle.open_step(ctx, created.session.steps[0].id)
    await user.open(f"/j/{created.session.join_code}")
    phone = Phone(user)
    view = await phone.wait_view()
    client = user.client
    assert client is not None
    told: list[LiveState] = []
    ctx.hub.subscribe(sid, told.append)  # after the phone: told in the same delivery, after it
    outgoing = Outgoing(client)
    sent, all_sent = outgoing.sent, outgoing.all_sent
    ctx.hub.publish(sid)  # the join's own deliveries are over once the observer heard this one
    await until(lambda: told)
    assert told and told[-1].participants == 1
    await all_sent()
    sent.clear()

    assert await phone.vote("no") == (True, ["no"])
    await until(lambda: told[-1].contributors == 1)
    assert told[-1].contributors == 1  # the hub has delivered the new count, to the phone too
    await all_sent()
    updates = [data for kind, data in sent if kind == "update" and view.id in data]
    assert updates == []
    assert json.loads(view.props["mine"]) == ["no"]  # ... yet a later full update carries it


async def test_one_element_draws_every_method_and_says_when_it_ended(user: User) -> None:
    """Hand vote → consensing → hand vote → end: the page's one host draws each method's
    component in turn; no element is made for a method the phone meets later."""
    ctx = context.current()
    created = organize.create_session(ctx, agenda.parse({
        "title": "Allianz", "names": "none",
        "steps": [
            {"method": "hand_vote", "title": "Protokoll", "config": {"question": "Protokoll ok?"}},
            {"method": "consensing", "title": "Reallabore", "config": {"proposals": ["A", "B"]}},
            {"method": "hand_vote", "title": "Termin", "config": {"question": "Wann?", "options": ["Mai", "Juni"]}},
        ],
    }))
    steps = [s.id for s in created.session.steps]
    await user.open(f"/j/{created.session.join_code}")
    phone = Phone(user)
    counts, drawn, seen = [], [], []
    for step_id, question in zip(steps, ["Protokoll ok?", "", "Wann?"], strict=True):
        lifecycle.open_step(ctx, step_id)
        for _ in range(40):
            view = await phone.wait_view()
            if screen(view)["step"] == step_id:
                break
            await asyncio.sleep(0.05)
        assert screen(view)["question"] == question
        assert user.client is not None
        counts.append(len(user.client.elements))
        drawn.append(view.host.props["component"])
        seen.append(view)
    assert counts[0] == counts[1] == counts[2]  # nothing built for the consensing step
    assert drawn == ["hand_vote", "consensing", "hand_vote"]
    assert seen[0] is seen[2] and seen[0].host is seen[1].host  # the hand vote's view is reused
    hosts = [e for e in user.client.elements.values() if isinstance(e, PhoneHost)]
    assert hosts == [seen[0].host]
    lifecycle.end_session(ctx, created.session.id)
    await until(lambda: hosts[0].props["notice"])
    assert hosts[0].props["view"] == "" and "beendet" in hosts[0].props["notice"]


async def test_a_session_without_steps_still_tells_the_phone_to_wait(user: User) -> None:
    ctx = context.current()
    created = create_session(ctx, title="Nur Begrüßung", names="none")
    await user.open(f"/j/{created.session.join_code}")
    await user.should_see("Gleich geht es los")
    await user.should_see("Nur Begrüßung")


async def test_a_failed_commit_is_never_acknowledged(user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    """The database fails mid-vote: the phone is told to tap again, never "Gespeichert"."""
    ctx, created = make_session()
    lifecycle.open_step(ctx, created.session.steps[0].id)
    await user.open(f"/j/{created.session.join_code}")
    phone = Phone(user)
    await phone.wait_view()

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("disk I/O error")

    monkeypatch.setattr(contributions, "submit_many", broken)
    assert await phone.vote("yes") == (False, [])
    assert any("Nicht gespeichert" in m for m in user.notify.messages)
    monkeypatch.undo()
    assert await phone.vote("yes") == (True, ["yes"])  # the next tap goes through
    assert live.build_state(ctx, created.session.id).result["voters"] == 1


async def test_moving_on_from_an_open_vote_can_close_it_and_a_new_round_asks_first(user: User) -> None:
    ctx, created = make_session()
    first_step = created.session.steps[0].id
    await user.open(f"/s/{created.session.id}/console?key={created.moderator_key}")
    user.find(marker="open").click()
    await user.should_see("Offen – Runde 1")
    user.find(marker="next").click()
    user.find(marker="next-close").click()
    await user.should_see("Punkt 2 von 2")
    closed = organize.get_session(ctx, created.session.id).step(first_step)
    assert closed is not None and closed.state == "closed"  # closed with its snapshot, not left open
    user.find(marker="prev").click()
    await user.should_see("Geschlossen – Runde 1")
    user.find(marker="open").click()  # "Neue Runde"
    await user.should_see("Runde 2 starten?")
    user.find(marker="ask-cancel").click()
    again = organize.get_session(ctx, created.session.id).step(first_step)
    assert again is not None and (again.state, again.round) == ("closed", 1)  # nothing happened
    user.find(marker="open").click()
    user.find(marker="new-round-confirm").click()
    await user.should_see("Offen – Runde 2")


async def test_an_ack_for_a_method_the_phone_has_left_is_not_sent(user: User) -> None:
    """A vote committed after the moderator moved on to a consensing step: its ack would reach
    the consensing component (which draws now) and could be taken for one of its own taps."""
    ctx = context.current()
    created = organize.create_session(ctx, agenda.parse({
        "title": "Allianz", "names": "none",
        "steps": [{"method": "hand_vote", "config": {"question": "Protokoll ok?"}},
                  {"method": "consensing", "config": {"proposals": ["A", "B"]}}],
    }))
    first, second = (s.id for s in created.session.steps)
    lifecycle.open_step(ctx, first)
    await user.open(f"/j/{created.session.join_code}")
    phone = Phone(user)
    vote = await phone.wait_view()
    assert (await phone.vote("yes"))[0] is True  # acks reach the hand vote while it draws
    lifecycle.open_step(ctx, second)
    await until(lambda: vote.host.props["component"] == "consensing")
    assert vote.host.props["component"] == "consensing"
    done: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    done.set_result(None)
    vote._committed(done, 99, (first, 1), {"option": "no"})  # the late commit's callback
    vote._ack(98, False)
    sent = Outgoing(user.client)
    await sent.all_sent()
    assert 99 not in phone.acks and 98 not in phone.acks
    assert not [d for k, d in sent.messages() if "ack" in str(d.get("code", ""))]


async def test_a_method_with_props_of_its_own_is_shown_without_a_full_update(user: User) -> None:
    """Hand vote → constellation → theme tables: the host meets methods with props of their own
    (``stage``, ``board``); each switch is a patch, never the whole element again (its tag,
    listeners and every prop, to each of 500 phones)."""
    ctx = context.current()
    created = organize.create_session(ctx, agenda.parse({
        "title": "Allianz", "names": "none",
        "steps": [{"method": "hand_vote", "config": {"question": "Protokoll ok?"}},
                  {"method": "constellation", "config": {"statements": ["A"]}},
                  {"method": "theme_tables", "config": {"tables": ["Handel", "Handwerk"]}}],
    }))
    steps = [s.id for s in created.session.steps]
    lifecycle.open_step(ctx, steps[0])
    await user.open(f"/j/{created.session.join_code}")
    phone = Phone(user)
    first = await phone.wait_view()
    assert user.client is not None
    outgoing = Outgoing(user.client)
    await outgoing.all_sent()
    outgoing.sent.clear()
    for step_id, method in ((steps[1], "constellation"), (steps[2], "theme_tables")):
        lifecycle.open_step(ctx, step_id)
        await until(lambda method=method: first.host.props["component"] == method and first.host.props["view"])
        await outgoing.all_sent()
        assert first.host.props["component"] == method
    updates = [data for kind, data in outgoing.messages() if kind == "update" and first.host.id in data]
    assert updates == []
    patches = [d["code"] for k, d in outgoing.messages() if k == "run_javascript" and '"component"' in d["code"]]
    assert len(patches) == 2

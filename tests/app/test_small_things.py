"""Small things people notice in the room and in the office (issue 10, item 10)."""

from __future__ import annotations

import pytest
from nicegui import ui
from nicegui.testing import User

from facilitation import access, agenda, context, organize


async def login(user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOFFER_ADMIN_PASSWORD", "büro-geheim")
    access.ensure_admin_password(context.current())
    await user.open("/login")
    user.find(marker="password").type("büro-geheim")
    user.find(marker="login").click()
    await user.should_see("Archiv der Sitzungen")


async def test_the_archive_writes_dates_the_local_way_and_leaves_out_what_is_empty(
        user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = context.current()
    dated = organize.create_session(ctx, agenda.parse({"title": "Auftakt", "date": "2017-11-07", "place": "Bottrop"}))
    bare = organize.create_session(ctx, agenda.parse({"title": "Ohne Angaben"}))
    await login(user, monkeypatch)
    summaries = {s: next(iter(user.find(marker=f"summary-{s}").elements)).text
                 for s in (dated.session.id, bare.session.id)}
    assert summaries[dated.session.id] == "07.11.2017 · Bottrop · geplant · 0 Teilnehmende"
    assert summaries[bare.session.id] == "geplant · 0 Teilnehmende"  # no "· ·"


async def test_a_new_session_can_be_cancelled(user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    await login(user, monkeypatch)
    user.find(marker="new").click()
    await user.should_see(marker="new-title")
    user.find(marker="new-cancel").click()
    assert user.client is not None
    dialogs = [e for e in user.client.elements.values() if isinstance(e, ui.dialog)]
    assert dialogs and not any(d.value for d in dialogs)  # closed
    assert organize.list_sessions(context.current()) == []  # and nothing made


async def test_an_empty_code_is_asked_for(user: User) -> None:
    await user.open("/")
    user.find(marker="join").click()
    await user.should_see("Bitte geben Sie den Teilnahme-Code ein")
    await user.should_not_see("kennen wir nicht")


async def test_the_welcome_page_names_the_meeting(user: User) -> None:
    created = organize.create_session(context.current(), agenda.parse(
        {"title": "4. Treffen der Wirtschaftsallianz", "names": "optional", "steps": []}))
    await user.open(f"/j/{created.session.join_code}")
    await user.should_see("Willkommen!")
    await user.should_see("4. Treffen der Wirtschaftsallianz")


async def test_a_wrong_projector_key_is_said_in_one_language(user: User) -> None:
    created = organize.create_session(context.current(), agenda.parse({"title": "T"}))
    await user.open(f"/s/{created.session.id}/screen?key=falsch")
    await user.should_see("Der Zugangsschlüssel fehlt oder ist falsch.")
    await user.should_not_see("The access key is missing or wrong.")

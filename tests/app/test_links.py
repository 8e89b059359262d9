"""A lost link must not stop the meeting: the office opens any session's console and projector,
shows and hands on its links (with copy buttons) from the archive and the editor; the console
shows the projector link without changing it, and replacing it is a separate, confirmed step."""

from __future__ import annotations

import json
import re

import pytest
from nicegui.testing import User

from facilitation import access, agenda, context, organize
from tests.app.phones import until

AGENDA = {
    "title": "5. Treffen der Wirtschaftsallianz",
    "date": "2018-01-16",
    "place": "Bottrop",
    "steps": [{"method": "hand_vote", "title": "Protokoll", "config": {"question": "Einverstanden?"}}],
}
COPY = re.compile(r'/\*koffer-copy\*/ const text = (".*?");', re.S)


@pytest.fixture
def created():
    return organize.create_session(context.current(), agenda.parse(AGENDA))


def clipboard(user: User) -> list[str]:
    """What the page copied: the browser's copy script, answered "copied" as a browser would."""
    copied: list[str] = []

    def copy(match: re.Match[str]) -> bool:
        copied.append(json.loads(match.group(1)))
        return True

    user.javascript_rules[COPY] = copy
    return copied


async def log_in(user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOFFER_ADMIN_PASSWORD", "büro-geheim")
    access.ensure_admin_password(context.current())
    await user.open("/login")
    user.find(marker="password").type("büro-geheim")
    user.find(marker="login").click()
    await user.should_see("Archiv der Sitzungen")


def href(user: User, marker: str) -> str:
    return str(next(iter(user.find(marker=marker).elements)).props["href"])


# --- the office: any session's console and projector by login -----------------------------------


async def test_logged_in_office_opens_console_and_projector_without_a_key(
        user: User, created, monkeypatch: pytest.MonkeyPatch) -> None:
    sid = created.session.id
    await user.open(f"/s/{sid}/console")
    await user.should_see("Der Zugangsschlüssel fehlt oder ist falsch.")  # not logged in: no way in
    await log_in(user, monkeypatch)
    await user.open(f"/s/{sid}/console")
    await user.should_see(created.session.join_code)
    await user.should_see(marker="open")  # the controls: the office runs the meeting
    await user.should_not_see(marker="refused")
    await user.open(f"/s/{sid}/screen")
    await user.should_see("Protokoll")
    await user.should_not_see(marker="refused")
    await user.open(f"/s/{sid + 99}/console")  # an unknown session stays unknown
    await user.should_see(marker="refused")


async def test_a_moderator_key_still_cannot_open_another_sessions_console(user: User, created) -> None:
    other = organize.create_session(context.current(), agenda.parse(AGENDA))
    await user.open(f"/s/{other.session.id}/console?key={created.moderator_key}")
    await user.should_see(marker="refused")


# --- the archive ----------------------------------------------------------------------------------


async def test_archive_shares_the_links_of_any_session_with_copy_buttons(
        user: User, created, monkeypatch: pytest.MonkeyPatch) -> None:
    sid, code = created.session.id, created.session.join_code
    await log_in(user, monkeypatch)
    copied = clipboard(user)
    user.find(marker=f"share-{sid}").click()
    await user.should_see("Links weitergeben")
    console = f"http://koffer.test/s/{sid}/console?key={created.moderator_key}"
    projector = f"http://koffer.test/s/{sid}/screen?key={created.projector_key}"
    join = f"http://koffer.test/j/{code}?qr={access.join_proof(context.current(), code)}"  # the QR's link
    assert (href(user, "moderator-link"), href(user, "projector-link"), href(user, "join-link")) == (
        console, projector, join)
    await user.should_see(marker="join-qr")
    await user.should_see(code)
    for n, marker in enumerate(("copy-moderator-link", "copy-projector-link", "copy-join-link", "copy-join-code")):
        user.find(marker=marker).click()
        await until(lambda n=n: len(copied) > n)
        await user.should_see("Kopiert")
    assert copied == [console, projector, join, code]
    # the links handed on still work: showing them changed nothing
    access.check_moderator(context.current(), sid, created.moderator_key)
    access.check_projector(context.current(), sid, created.projector_key)


async def test_archive_opens_the_console_of_a_session(user: User, created, monkeypatch: pytest.MonkeyPatch) -> None:
    await log_in(user, monkeypatch)
    user.find(marker=f"open-console-{created.session.id}").click()
    await user.should_see(marker="open")
    await user.should_see(created.session.join_code)


async def test_archive_opens_the_projector_of_a_session(user: User, created, monkeypatch: pytest.MonkeyPatch) -> None:
    await log_in(user, monkeypatch)
    user.find(marker=f"open-projector-{created.session.id}").click()
    await user.should_see(created.session.join_code)
    await user.should_not_see(marker="open")  # the projector has no controls


async def test_new_session_shows_its_links_with_copy_buttons_and_they_come_back(
        user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    await log_in(user, monkeypatch)
    copied = clipboard(user)
    user.find(marker="new").click()
    user.find(marker="new-title").type("Auftakt Reallabore")
    user.find(marker="new-create").click()
    await user.should_see("Zugänge dieser Sitzung")
    await user.should_see("jederzeit wieder")
    await user.should_not_see("nur jetzt")
    first = href(user, "moderator-link")
    user.find(marker="copy-moderator-link").click()
    await until(lambda: copied)
    await user.should_see("Kopiert")
    assert copied == [first]
    await user.should_see(marker="join-link")
    user.find(marker="links-close").click()
    sid = organize.list_sessions(context.current(), "Auftakt")[0].id
    user.find(marker=f"share-{sid}").click()
    await user.should_see("Links weitergeben")
    assert href(user, "moderator-link") == first  # the same link, again


async def test_copy_that_the_browser_refuses_says_so(user: User, created, monkeypatch: pytest.MonkeyPatch) -> None:
    await log_in(user, monkeypatch)
    user.javascript_rules[COPY] = lambda _match: False  # e.g. an old browser on plain http
    user.find(marker=f"share-{created.session.id}").click()
    user.find(marker="copy-projector-link").click()
    await user.should_see("bitte den Link markieren und kopieren")


# --- the editor -----------------------------------------------------------------------------------


async def test_editor_offers_console_projector_and_links(user: User, created, monkeypatch: pytest.MonkeyPatch) -> None:
    sid = created.session.id
    await log_in(user, monkeypatch)
    await user.open(f"/s/{sid}/edit")
    await user.should_see("Konsole öffnen")
    await user.should_see("Beamer öffnen")
    user.find(marker=f"share-{sid}").click()
    assert href(user, "projector-link") == f"http://koffer.test/s/{sid}/screen?key={created.projector_key}"
    user.find(marker="links-close").click()
    user.find(marker=f"open-console-{sid}").click()
    await user.should_see(marker="open")


async def test_moderator_in_the_editor_gets_back_to_the_console(user: User, created) -> None:
    sid = created.session.id
    await user.open(f"/s/{sid}/edit?key={created.moderator_key}")
    user.find(marker=f"open-console-{sid}").click()
    await user.should_see(marker="open")
    await user.should_see(created.session.join_code)


# --- the console's projector link -----------------------------------------------------------------


async def test_console_shows_the_projector_link_without_invalidating_it(user: User, created, create_user) -> None:
    sid = created.session.id
    beamer = create_user()
    await beamer.open(f"/s/{sid}/screen?key={created.projector_key}")
    await beamer.should_see(created.session.join_code)

    await user.open(f"/s/{sid}/console?key={created.moderator_key}")
    copied = clipboard(user)
    user.find(marker="projector-link").click()
    await user.should_see("Er bleibt gültig")
    url = href(user, "projector-url")
    assert url == f"http://koffer.test/s/{sid}/screen?key={created.projector_key}"
    user.find(marker="copy-projector-url").click()
    await until(lambda: copied)
    await user.should_see("Kopiert")
    assert copied == [url]
    user.find(marker="projector-link").click()  # shown again: still the same link
    assert {href(user, "projector-url")} == {url}

    await beamer.open(f"/s/{sid}/screen?key={created.projector_key}")  # the beamer reloads
    await beamer.should_see(created.session.join_code)
    await beamer.should_not_see(marker="refused")


async def test_replacing_the_projector_link_asks_first_and_then_ends_the_old_one(
        user: User, created, create_user) -> None:
    sid = created.session.id
    await user.open(f"/s/{sid}/console?key={created.moderator_key}")
    user.find(marker="projector-link").click()
    user.find(marker="projector-replace").click()
    await user.should_see("Beamer-Link ersetzen – der bisherige Beamer muss den neuen Link öffnen.")
    user.find("Abbrechen").click()  # changed its mind: nothing happened
    assert access.current_keys(context.current(), sid).projector == created.projector_key

    user.find(marker="projector-replace").click()
    user.find(marker="projector-replace-confirm").click()
    await user.should_see("Neuer Beamer-Link (der vorige gilt nicht mehr):")
    await user.should_see("Beamer-Link ersetzt")
    url = href(user, "projector-url")
    assert created.projector_key not in url
    beamer = create_user()
    await beamer.open(url.replace("http://koffer.test", ""))
    await beamer.should_see(created.session.join_code)
    old = create_user()
    await old.open(f"/s/{sid}/screen?key={created.projector_key}")
    await old.should_see(marker="refused")
    console = create_user()  # the console's own link is not affected
    await console.open(f"/s/{sid}/console?key={created.moderator_key}")
    await console.should_see(marker="open")

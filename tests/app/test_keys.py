"""The moderator key is no permanent secret in the projected address bar (issue 14, finding 2).

The first load of a keyed link moves the key into an HttpOnly cookie for that session's pages and
redirects to the clean address; the organizer replaces (revokes) a link, the old one stops at once
and an open console on it is told.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from nicegui.testing import User

from app.runtime import runtime
from facilitation import access, context, live
from tests.app.phones import until
from tests.app.test_api import api, assert_error, bearer, login  # noqa: F401 - fixture
from tests.app.test_links import log_in
from tests.factories import create_session

VOTE = {"method": "hand_vote", "title": "Protokoll", "config": {"question": "Einverstanden?"}}


def cookie_header(response: httpx.Response) -> str:
    """Our cookie (NiceGUI sets its own browser-id cookie beside it)."""
    cookies = [c for c in response.headers.get_list("set-cookie") if c.startswith("koffer_")]
    assert len(cookies) == 1, cookies
    return cookies[0]


@pytest.mark.parametrize(("page", "role"), [("console", "m"), ("screen", "p"), ("edit", "m")])
async def test_first_load_moves_the_key_into_a_cookie_and_shows_a_clean_address(
        user: User, page: str, role: str) -> None:
    created = create_session(context.current(), VOTE)
    sid = created.session.id
    key = created.projector_key if page == "screen" else created.moderator_key
    client = user.http_client
    first = await client.get(f"/s/{sid}/{page}?key={key}&lang=en")
    assert first.status_code == 303
    assert first.headers["location"] == f"/s/{sid}/{page}?lang=en"  # the key is gone, the rest kept
    assert first.headers["cache-control"] == "no-store"
    cookie = cookie_header(first)
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")}
    assert cookie.startswith(f"koffer_{role}{sid}={key};")
    assert attributes["path"] == f"Path=/s/{sid}"  # this session's pages only
    assert "httponly" in attributes and attributes["samesite"].lower() == "samesite=lax"
    assert "secure" not in attributes  # plain http on the LAN: a Secure cookie would never come back
    assert "expires" not in attributes and "max-age" not in attributes  # a browser-session cookie
    # the clean address opens with the cookie, and the page carries no key anywhere
    again = await client.get(f"/s/{sid}/{page}")
    assert again.status_code == 200
    assert key not in again.text
    assert "Der Zugangsschlüssel fehlt oder ist falsch." not in again.text


async def test_without_the_cookie_the_clean_address_opens_nothing(user: User) -> None:
    created = create_session(context.current(), VOTE)
    await user.open(f"/s/{created.session.id}/console")
    await user.should_see(marker="refused")


async def test_the_cookie_is_secure_behind_https(user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    created = create_session(context.current(), VOTE)
    monkeypatch.setattr(runtime, "public_url", "https://koffer.example.org")
    first = await user.http_client.get(f"/s/{created.session.id}/console?key={created.moderator_key}")
    assert "secure" in cookie_header(first).lower()


async def test_the_console_never_puts_the_key_into_an_address(user: User) -> None:
    """"Tagesordnung" opens the editor beside the console: by the cookie, not with ``?key=``."""
    created = create_session(context.current(), VOTE)
    sid = created.session.id
    await user.open(f"/s/{sid}/console?key={created.moderator_key}")
    await user.should_see(marker="open")
    user.find(marker="edit").click()
    await until(lambda: user.back_history[-1] != f"/s/{sid}/console?key={created.moderator_key}")
    assert user.back_history[-1] == f"/s/{sid}/edit"
    await user.should_see("Sitzung vorbereiten")


async def test_the_organizer_replaces_the_console_link_and_the_old_one_stops_at_once(
        user: User, create_user: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = context.current()
    created = create_session(ctx, VOTE)
    sid = created.session.id
    console = create_user()
    await console.open(f"/s/{sid}/console?key={created.moderator_key}")
    await console.should_see(marker="open")
    # the office replaces the link in the archive's "Links weitergeben"
    await log_in(user, monkeypatch)
    user.find(marker=f"share-{sid}").click()
    await user.should_see("Konsolen-Link ersetzen")
    user.find(marker="replace-console").click()
    user.find(marker="replace-confirm").click()
    await user.should_see("Konsolen-Link ersetzt: der bisherige gilt nicht mehr.")
    new = access.current_keys(ctx, sid).moderator
    assert new != created.moderator_key
    # the open console was told: it went to the "link replaced" page, and its buttons do nothing
    await console.should_see("Dieser Link wurde ersetzt und gilt nicht mehr.", retries=20)
    assert live.build_state(ctx, sid).step.state == "draft"
    # the old key opens nothing any more, by cookie or by API; the new one does
    with pytest.raises(Exception):
        access.check_moderator(ctx, sid, created.moderator_key)
    await console.open(f"/s/{sid}/console")  # a reload: the cookie still holds the old key
    await console.should_see(marker="refused")
    response = await user.http_client.get(f"/api/v1/sessions/{sid}", headers=bearer(created.moderator_key))
    assert response.status_code == 403
    await console.open(f"/s/{sid}/console?key={new}")
    await console.should_see(marker="open")
    console.find(marker="open").click()  # the new link drives the meeting
    assert live.build_state(ctx, sid).step.state == "open"


async def test_a_command_clicked_after_the_replacement_is_refused(user: User) -> None:
    """Between the replacement and the next delivery a click must not slip through."""
    ctx = context.current()
    created = create_session(ctx, VOTE)
    sid = created.session.id
    await user.open(f"/s/{sid}/console?key={created.moderator_key}")
    await user.should_see(marker="open")
    access.replace_moderator_key(ctx, sid)
    user.find(marker="open").click()  # the handler runs before the hub's delivery
    assert live.build_state(ctx, sid).step.state == "draft"


async def test_only_the_organizer_replaces_keys_through_the_api(api: httpx.AsyncClient) -> None:
    ctx = context.current()
    created = create_session(ctx, VOTE)
    sid = created.session.id
    moderator = bearer(created.moderator_key)
    assert_error(await api.post(f"/api/v1/sessions/{sid}/keys/moderator", headers=moderator), 403, "login_required")
    response = await api.post(f"/api/v1/sessions/{sid}/keys/moderator", headers=await login(api))
    new = response.json()["moderator_key"]
    assert new == access.current_keys(ctx, sid).moderator != created.moderator_key
    assert_error(await api.get(f"/api/v1/sessions/{sid}", headers=moderator), 403, "wrong_key")
    assert (await api.get(f"/api/v1/sessions/{sid}", headers=bearer(new))).status_code == 200
    response = await api.post(f"/api/v1/sessions/{sid}/keys/projector", headers=await login(api))
    assert response.json()["projector_key"] == access.current_keys(ctx, sid).projector != created.projector_key


async def test_the_office_login_keeps_only_a_hash_on_the_servers_disk(user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 14, item 6: the organizer token sat in clear text in ``.nicegui/storage-user-*.json``
    and worked as an API bearer token for whoever read the file. Now the file holds its hash."""
    from nicegui import app

    await log_in(user, monkeypatch)
    stored = [dict(storage).get("organizer") for storage in app.storage._users.values()]  # noqa: SLF001
    stored = [value for value in stored if value]
    assert len(stored) == 1 and len(stored[0]) == 64
    ctx = context.current()
    access.check_organizer_hash(ctx, stored[0])  # it is the login ...
    response = await user.http_client.get("/api/v1/sessions/1", headers=bearer(stored[0]))
    assert response.status_code in (401, 403)  # ... but no bearer token

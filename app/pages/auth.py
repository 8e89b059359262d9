"""Organizer login for pages: the token's hash lives in the server-side user storage of the browser
(a file on the server; the clear token would be a bearer token for the API)."""

from __future__ import annotations

from nicegui import app, ui

from facilitation import access, context
from methods.errors import KofferError, NotAllowed

STORED = "organizer"


def organizer_token_hash() -> str | None:
    token_hash = app.storage.user.get(STORED)
    return str(token_hash) if token_hash else None


def is_organizer() -> bool:
    try:
        access.check_organizer_hash(context.current(), organizer_token_hash())
    except KofferError:
        return False
    return True


def require_organizer(target: str) -> bool:
    """True if logged in; otherwise redirect to the login page and come back afterwards."""
    if is_organizer():
        return True
    ui.navigate.to(f"/login?next={target}")
    return False


def check_console(session_id: int, key: str, moderator: bool) -> bool:
    """The console (``moderator``) or projector of a session: its link's key (True), or the
    office's login (False), which opens every session's console and projector. Raises when
    neither."""
    ctx = context.current()
    check = access.check_moderator if moderator else access.check_projector
    try:
        check(ctx, session_id, key)
    except NotAllowed:  # (an unknown session is NotFound, for the office too)
        if not is_organizer():
            raise
        return False
    return True


def may_edit(session_id: int, key: str) -> bool:
    if is_organizer():
        return True
    try:
        access.check_moderator(context.current(), session_id, key)
    except KofferError:
        return False
    return True

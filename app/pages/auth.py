"""Organizer login for pages: the token lives in the server-side user storage of the browser."""

from __future__ import annotations

from nicegui import app, ui

from facilitation import access, context
from methods.errors import KofferError


def organizer_token() -> str | None:
    token = app.storage.user.get("organizer_token")
    return str(token) if token else None


def is_organizer() -> bool:
    try:
        access.check_organizer(context.current(), organizer_token())
    except KofferError:
        return False
    return True


def require_organizer(target: str) -> bool:
    """True if logged in; otherwise redirect to the login page and come back afterwards."""
    if is_organizer():
        return True
    ui.navigate.to(f"/login?next={target}")
    return False


def may_edit(session_id: int, key: str) -> bool:
    if is_organizer():
        return True
    try:
        access.check_moderator(context.current(), session_id, key)
    except KofferError:
        return False
    return True

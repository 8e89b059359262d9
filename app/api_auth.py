"""Who is asking the JSON API: the bearer token and the moderator-or-organizer check.

Shared by ``app/api.py`` and ``app/api_archive.py`` (so neither has to import the other back).
"""

from __future__ import annotations

from fastapi import Request

from facilitation import access, context
from methods.errors import NotAllowed, NotFound


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None


def moderator_or_organizer(request: Request, session_id: int) -> str:
    """The session's moderator key or an organizer token; says which ("moderator"/"organizer",
    recorded with a moderator decision). Without either, an existing and a missing session answer
    alike (401/403), so sequential ids cannot be probed."""
    token = bearer(request)
    ctx = context.current()
    if token is None:
        raise NotAllowed("login_required")
    try:
        access.check_organizer(ctx, token)
        return "organizer"  # organizers may ask about any id; an unknown one is then a plain 404
    except NotAllowed:
        pass
    try:
        access.check_moderator(ctx, session_id, token)
    except NotFound:
        raise NotAllowed("wrong_key") from None
    return "moderator"

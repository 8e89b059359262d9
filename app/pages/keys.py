"""A session link's key leaves the address bar on the first load.

The console runs on the laptop whose screen is projected, so ``?key=`` in its address would be on
the wall for the whole meeting (and in the browser's history, and in a photo of the room). The
first load of a keyed link therefore answers with a redirect to the same address without the key
and puts the key into a cookie for this session's pages only (``Path=/s/{id}``): ``HttpOnly`` (no
script reads it), ``SameSite=Lax`` (sent when the link is opened from a mail or chat, never on a
request another site makes), ``Secure`` behind https, and without an expiry (a browser-session
cookie). The pages then read the key from the cookie, the console checks it on every command,
and replacing the link (``access.replace_moderator_key``) ends it at once.
"""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse

from app.runtime import runtime

MODERATOR, PROJECTOR = "m", "p"


def cookie_name(role: str, session_id: int) -> str:
    return f"koffer_{role}{session_id}"


def secure(request: Request) -> bool:
    """Whether the browser reached us over https (directly, or a proxy said so and is trusted)."""
    return request.url.scheme == "https" or (runtime.public_url or "").startswith("https://")


def move_to_cookie(request: Request, session_id: int, role: str, key: str) -> RedirectResponse:
    """303 to the same page without ``key`` (other parameters kept), the key in the cookie."""
    rest = [(name, value) for name, value in request.query_params.multi_items() if name != "key"]
    target = request.url.path + (f"?{urlencode(rest)}" if rest else "")
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(cookie_name(role, session_id), key, path=f"/s/{session_id}", httponly=True,
                        samesite="lax", secure=secure(request))
    response.headers["Cache-Control"] = "no-store"
    return response


def from_cookie(request: Request, session_id: int, *roles: str) -> str:
    """The first key the browser holds for this session among ``roles`` ("" for none)."""
    for role in roles:
        key = request.cookies.get(cookie_name(role, session_id))
        if key:
            return key
    return ""

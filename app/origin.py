"""The page's live connection (socket.io) is accepted only from the page's own origin.

NiceGUI creates its socket.io server with ``cors_allowed_origins='*'``, and python-engineio then
answers any ``Origin`` — with credentials. A page on another site (a link in the venue's Wi-Fi
portal, an ad) could so open a websocket to the app with the visitor's cookies and act as their
console or phone (cross-site websocket hijacking: browsers apply no CORS to websockets, the
server has to look at ``Origin`` itself). engineio checks the origin of every handshake, polling
and websocket alike, against what ``cors_allowed_origins`` allows; we replace the ``'*'`` with
:func:`same_origin`.

"Same origin" is the host the browser addressed (its ``Host`` header, which a page elsewhere
cannot set) with either scheme — http directly, https when a TLS proxy in front forwards the
original ``Host`` (docs/deployment.md) — and the configured public URL (``--public-url``), for a
proxy that rewrites the host. A request without ``Origin`` (not a browser: the tests, curl) is
not a cross-site request and engineio lets it through, as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from nicegui import core

from app.runtime import runtime


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def same_origin(origin: str | None, environ: Mapping[str, Any]) -> bool:
    """engineio's hook: may a browser page from ``origin`` open this connection?"""
    if not origin:
        return True
    origin = origin.lower()
    host = str(environ.get("HTTP_HOST", "")).lower()
    if host and origin in (f"http://{host}", f"https://{host}"):
        return True
    return bool(runtime.public_url) and origin == _origin_of(runtime.public_url or "")


def install() -> None:
    """Replace NiceGUI's ``'*'`` on its socket.io server (created when NiceGUI is imported)."""
    core.sio.eio.cors_allowed_origins = same_origin

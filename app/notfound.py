"""An unknown address gets a small static 404 page, not a NiceGUI page.

NiceGUI answers a 404 by rendering its error page as a full page: a ``Client`` with its elements,
kept in memory until a browser connects its socket or 60 s pass. A scanner, a stale bookmark or a
script asking for random addresses thus left about 70 KB per request behind — 1,000 requests in
ten seconds grew the server by 70 MB, and the heap never shrank back (measured against the real
server; ``tests/server/test_trust.py::test_requests_to_unknown_addresses_leave_nothing_behind``).
The answer here is a fixed page without a client; API routes keep their JSON 404, and the address
is still logged (redacted by app/logs.py).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import cast

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

log = logging.getLogger("koffer")

PAGE = """<!doctype html><html lang="de"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Nicht gefunden</title>
<style>body{font-family:system-ui,sans-serif;margin:3rem auto;max-width:32rem;padding:0 1rem;font-size:1.25rem}</style>
</head><body><h1>Seite nicht gefunden</h1><p>Diese Adresse gibt es hier nicht. Bitte scannen Sie den
QR-Code erneut oder fragen Sie die Moderation.</p><p lang="en">Page not found.</p>
<p><a href="/">Zur Startseite</a></p></body></html>"""

Handler = Callable[[Request, Exception], Awaitable[Response]]


def install(app: FastAPI) -> None:
    """Wrap NiceGUI's 404 handler: its JSON answer for API routes stays, its page is replaced."""
    nicegui_handler = cast(Handler, app.exception_handlers[404])
    # installed again (each setup of a test app): wrap NiceGUI's own handler, never our wrapper,
    # or every setup would add a layer until the call stack overflows
    nicegui_handler = cast(Handler, getattr(nicegui_handler, "wrapped", nicegui_handler))

    async def not_found(request: Request, exception: Exception) -> Response:
        endpoint = request.scope.get("endpoint")
        if endpoint is not None and endpoint is not app and not request.scope.get("nicegui_page_path"):
            return await nicegui_handler(request, exception)  # an API route's own 404: JSON
        log.warning("%s not found", str(request.url))  # a str, so app/logs.py blanks its keys
        return HTMLResponse(PAGE, status_code=404)

    not_found.wrapped = nicegui_handler  # type: ignore[attr-defined]
    app.exception_handlers[404] = not_found

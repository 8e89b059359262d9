"""HTTP hardening: security headers on every response, a hard cap on request bodies."""

from __future__ import annotations

import re
from functools import lru_cache

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY = 20 * 1024 * 1024  # photos (15 MB) plus multipart overhead; the API caps lower per route

# What NiceGUI needs, verified in Chromium by serving the pages with each part taken out
# (docs/security.md, "Headers and transport"):
# 'unsafe-eval' — its client runs commands with eval (run_javascript, props given as JavaScript, event
# handlers) and Vue compiles the components' string templates with new Function; without it the
# pages stay blank. 'unsafe-inline' — the page template starts the app from an inline script.
# Connections (fetch, socket.io polling and websocket) go to this origin only: 'self' and the ws(s)
# of the host the browser addressed ('self' covers ws: only in browsers that follow CSP 3).
CSP_BASE = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
    "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'; "
)
HOST = re.compile(r"[A-Za-z0-9.-]+(?::[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](?::[0-9]{1,5})?")


@lru_cache(maxsize=64)
def csp(host: str) -> str:
    """The policy for a request to ``host`` (its ``Host`` header); a malformed one gets 'self'
    alone, so nothing a client sends ends up as a directive."""
    if HOST.fullmatch(host):
        return CSP_BASE + f"connect-src 'self' ws://{host} wss://{host}"
    return CSP_BASE + "connect-src 'self'"


HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class Hardening:
    """Plain ASGI, not ``BaseHTTPMiddleware``: that one wraps every request in extra tasks and
    streams, which a room of phones joining at once pays for in time and memory. Streamed bodies
    without a length are counted by the routes that read them (app/api.py)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_headers = Headers(scope=scope)
        policy = csp(request_headers.get("host", ""))
        length = request_headers.get("content-length")
        if length and length.isdigit() and int(length) > MAX_BODY:
            response = JSONResponse({"error": "payload_too_large", "message": "payload too large",
                                     "detail": {"limit": MAX_BODY}}, status_code=413)
            await self._secured(response, policy)(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=message.setdefault("headers", []))
                for name, value in HEADERS.items():
                    if name not in headers:
                        headers[name] = value
                if "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = policy
            await send(message)

        await self.app(scope, receive, send_secured)

    @staticmethod
    def _secured(response: Response, policy: str) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        response.headers.setdefault("Content-Security-Policy", policy)
        return response

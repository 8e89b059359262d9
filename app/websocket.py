"""The websocket implementation under socket.io: websockets' Sans-IO protocol, not wsproto.

NiceGUI hands uvicorn ``ws='wsproto'`` and offers no way to choose (``ui.run`` passes it as a
fixed argument); its reason was to leave the deprecated ``websockets.legacy`` behind, not speed.
wsproto parses every frame and unmasks every payload a phone sends in pure Python: the largest
single part of the server's samples while a room drags its dots (docs/performance.md, "Where the
CPU went"), and part of every vote and answer. uvicorn's ``websockets-sansio`` protocol uses
websockets' own Sans-IO parser, which unmasks in C (``websockets.speedups``), and is not the
deprecated implementation either. Measured against wsproto in bench/harness.py (docs/performance.md).

``KOFFER_WEBSOCKETS=wsproto`` keeps NiceGUI's choice (a fallback for the room, and the A/B runs).

The choice is made when the server starts, before it accepts a connection: uvicorn's HTTP
protocol takes the websocket class from its config for each new connection, and the lifespan's
startup (where NiceGUI runs ``app.on_startup``) comes before the listening socket is opened.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from nicegui import app
from uvicorn.config import WS_PROTOCOLS
from uvicorn.importer import import_from_string

log = logging.getLogger("koffer")

IMPLEMENTATION = "websockets-sansio"
CHOICES = ("websockets-sansio", "wsproto")
ENV = "KOFFER_WEBSOCKETS"
in_use: str | None = None
"""What this process's server speaks (set at startup), for the work counters' log line."""


def install() -> None:
    app.on_startup(_startup)


def _startup() -> None:
    from nicegui.server import Server

    global in_use
    chosen = in_use = choose(getattr(getattr(Server, "instance", None), "config", None))
    if chosen is not None:
        log.info("websockets: %s", chosen)


def choose(config: Any) -> str | None:
    """Point a loaded uvicorn config at the implementation wanted (``KOFFER_WEBSOCKETS``, by
    default the Sans-IO protocol) and say which is in use; None without a loaded config (under
    NiceGUI's test fixtures no uvicorn server runs)."""
    if config is None or not getattr(config, "loaded", False):
        return None
    wanted = os.environ.get(ENV, IMPLEMENTATION)
    if wanted not in CHOICES:
        log.warning("%s=%r is not one of %s; staying on %s", ENV, wanted, ", ".join(CHOICES), config.ws)
        return str(config.ws)
    if wanted == config.ws:
        return wanted
    target = WS_PROTOCOLS[wanted]
    assert target is not None
    try:
        config.ws_protocol_class = import_from_string(target)
    except Exception:  # websockets missing or too old: stay on what NiceGUI chose
        log.warning("websocket implementation %s unavailable, staying on %s", wanted, config.ws)
        return str(config.ws)
    config.ws = wanted
    return wanted

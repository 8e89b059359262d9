"""Wiring: create the facilitation context, register pages, API and middleware, run NiceGUI."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import signal
from pathlib import Path

from nicegui import app, background_tasks, ui

from app import api, gcwatch, logs, notfound, origin, websocket
from app.housekeeping import tidy_when_quiet
from app.middleware import Hardening
from app.net import lan_addresses
from app.pages import archive, console, door, edit, index, phone
from app.runtime import is_loopback, runtime
from facilitation import access, context, lifecycle, organize
from facilitation.context import Context

log = logging.getLogger("koffer")


def setup(ctx: Context, *, port: int = 8080, public_url: str | None = None, detect_lan: bool = True,
          local_only: bool = False) -> Context:
    """Register everything on NiceGUI's app; called once per process (and per test)."""
    context.install(ctx)
    logs.install()  # no key or card secret in any log line
    runtime.port = port
    runtime.public_url = public_url
    runtime.local_only = local_only
    runtime.lan = lan_addresses() if detect_lan and not public_url and not local_only else []
    runtime.chosen_lan = None
    origin.install()  # socket.io from this origin only, not NiceGUI's '*'
    app.add_middleware(Hardening)
    notfound.install(app)  # a static 404, no NiceGUI client left behind per unknown address
    app.on_startup(lambda: background_tasks.create(_retention_loop(ctx), name="retention"))
    app.on_startup(lambda: background_tasks.create(tidy_when_quiet(lambda: ctx.hub.deliveries), name="tidy"))
    app.on_startup(lambda: _start_timers(ctx))
    app.on_startup(lambda: _counters_on_signal(ctx))
    gcwatch.install()
    websocket.install()
    api.install(app)
    for module in (index, phone, door, console, edit, archive):
        module.register()
    return ctx


def counters(ctx: Context) -> str:
    """The server's work counters as one log line: group commits, full deliveries and the garbage
    collector's work so far, and the websocket implementation in use."""
    return (f"counters: group commits {ctx.batcher.batches}, deliveries {ctx.hub.deliveries}, {gcwatch.watch.line()}"
            f", websockets {websocket.in_use}")


def _counters_on_signal(ctx: Context) -> None:
    """``kill -USR1 <pid>`` logs :func:`counters`: a load benchmark reads them before and after a
    burst to see how many commits and deliveries the burst cost, which no client can observe
    (a delivery that changes nothing sends nothing; bench/harness.py pairs). A local signal only:
    no address serves them."""
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError, AttributeError):  # no SIGUSR1 / loop
        asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, lambda: log.warning(counters(ctx)))


def _start_timers(ctx: Context) -> None:
    """Timers that close their step need the loop; one that ran out while the server was down
    closes its step now (snapshot taken), the others are re-armed."""
    ctx.timers.start()
    try:
        lifecycle.resume_timers(ctx)
    except Exception:
        log.exception("resuming the timers failed")


async def _retention_loop(ctx: Context) -> None:
    """Apply the office's retention period at start and every six hours (off by default)."""
    while True:
        try:
            deleted = organize.apply_retention(ctx)
            if deleted:
                log.info("retention: deleted %d ended sessions", len(deleted))
        except Exception:
            log.exception("retention run failed")
        await asyncio.sleep(6 * 3600)


def tune_gc() -> None:
    """Fewer, cheaper collections: with 500 phones the default thresholds caused 0.3–0.5 s pauses
    in the middle of vote bursts (bench/diagnose.py). Startup objects are frozen out of the scan."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 50, 1_000)


def run(ctx: Context, *, host: str, port: int, public_url: str | None, reload: bool = False) -> None:
    setup(ctx, port=port, public_url=public_url, local_only=is_loopback(host))
    tune_gc()
    app.on_shutdown(ctx.db.dispose)
    ui.run(
        host=host,
        port=port,
        title="Moderationskoffer",
        reload=reload,
        show=False,
        storage_secret=access.storage_secret(ctx),
        fastapi_docs=True,
        reconnect_timeout=10.0,
        uvicorn_logging_level="warning",
        # no permessage-deflate: every phone's browser offers it, and a compressing socket holds
        # its own zlib state (+169 KiB per phone) and compresses each message in Python (+40 %
        # CPU on a step change) to save a few hundred bytes on the room's LAN
        # (bench/diagnose.py deflate, docs/performance.md)
        ws_per_message_deflate=False,
        language="de",
        favicon="🧰",
    )


def data_dir() -> Path:
    return Path(os.environ.get("KOFFER_DATA_DIR", "data"))

"""The composition root: builds a running instance's parts up front and wires them together.

Database, live hub, group-commit batcher, round-row cache and timer scheduler are made here, once,
so no module has to import another lazily: ``context.py`` only names the parts, and the hub, the
batcher and the timers get the functions they call (``live.build_state``,
``contributions.submit_many``, ``lifecycle.close_when_time_is_up``) handed in.
"""

from __future__ import annotations

from pathlib import Path

from facilitation import contributions, lifecycle, live
from facilitation.batching import SubmitBatcher
from facilitation.context import Context
from facilitation.hub import InProcessHub
from facilitation.round_rows import RoundRows
from facilitation.timers import TimerScheduler
from sessions.db import Database, database_url


def create(url: str, hub_interval: float = 0.1) -> Context:
    """A complete context on the database at ``url`` (not installed; see ``context.install``)."""
    db = Database(url)
    ctx: Context  # bound below; the hub and the batcher call back only after create() returned
    hub = InProcessHub(lambda session_id: live.build_state(ctx, session_id), interval=hub_interval,
                       restate=lambda state: live.with_motion(ctx, state),
                       rebuild=lambda _session_id, last: live.rebuild_state(ctx, last))
    batcher = SubmitBatcher(lambda requests: contributions.submit_many(ctx, requests))
    # ids become visible in order only on SQLite (see round_rows.py)
    round_rows = RoundRows(incremental=db.url.startswith("sqlite"))
    timers = TimerScheduler(lambda session_id: lifecycle.close_when_time_is_up(ctx, session_id))
    ctx = Context(db=db, hub=hub, batcher=batcher, round_rows=round_rows, timers=timers)
    return ctx


def for_data_dir(data_dir: Path) -> Context:
    """The server's context: ``KOFFER_DATABASE_URL`` if set, else SQLite under ``data_dir``."""
    return create(database_url(data_dir))

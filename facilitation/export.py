"""Raw data for the office: one JSON document or one CSV row per contribution.

Participants appear as pseudonymous numbers; names only where the session collected them.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from facilitation import organize
from facilitation.context import Context
from facilitation.live import step_results
from sessions import store

CSV_COLUMNS = ["contribution", "step", "step_title", "method", "round", "participant", "name", "key",
               "value", "created_at"]


def _cell(text: str) -> str:
    """Neutralise spreadsheet formulas in participant text (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _rows(ctx: Context, session_id: int) -> list[dict[str, Any]]:
    with ctx.db.session() as orm:
        return store.all_contributions(orm, session_id)


def export_json(ctx: Context, session_id: int) -> dict[str, Any]:
    info = organize.get_session(ctx, session_id)
    titles = {s.id: s.title for s in info.steps}
    return {
        "format": "moderationskoffer/export@1",
        "session": {"id": info.id, "title": info.title, "date": info.date, "place": info.place,
                    "moderator": info.moderator, "state": info.state, "names": info.names,
                    "started_at": info.started_at.isoformat() if info.started_at else None,
                    "ended_at": info.ended_at.isoformat() if info.ended_at else None},
        "agenda": organize.agenda_document(ctx, session_id),
        "results": step_results(ctx, session_id),
        "contributions": [{**r, "step_title": titles.get(r["step_id"], "")} for r in _rows(ctx, session_id)],
    }


def export_csv(ctx: Context, session_id: int) -> str:
    info = organize.get_session(ctx, session_id)
    titles = {s.id: s.title for s in info.steps}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in _rows(ctx, session_id):
        writer.writerow([r["id"], r["step"], _cell(titles.get(r["step_id"], "")), r["method"], r["round"],
                         r["participant"], _cell(r["name"] or ""), _cell(r["key"]),
                         json.dumps(r["payload"], ensure_ascii=False), r["created_at"]])
    return out.getvalue()

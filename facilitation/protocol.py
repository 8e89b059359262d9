"""Gathering a session into protocol data and rendering the PDF off the event loop."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from facilitation.context import Context
from facilitation.live import step_results
from methods.errors import NotFound
from sessions import models, store
from sessions.protocol import render
from sessions.protocol.data import DecisionData, PhotoData, ProtocolData, RoundData, StepData, Translate
from sessions.states import StepState


def local_zone() -> ZoneInfo:
    """Times are stored in UTC; the protocol shows the clock on the wall of the meeting room."""
    return ZoneInfo(os.environ.get("KOFFER_TIMEZONE", "Europe/Berlin"))


def _local(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC).astimezone(local_zone()).replace(tzinfo=None)


def _dt(value: str | None) -> datetime | None:
    return _local(datetime.fromisoformat(value)) if value else None


def gather(ctx: Context, session_id: int) -> ProtocolData:
    results = step_results(ctx, session_id)
    with ctx.db.session() as orm:
        session = orm.get(models.Session, session_id)
        if session is None:
            raise NotFound("session_not_found", session=session_id)
        joined = store.participant_count(orm, session_id)
        active = store.active_participant_count(orm, session_id)
        removed = len(store.removed_ids(orm, session_id))
        photos = orm.execute(select(models.Attachment).where(models.Attachment.session_id == session_id)
                             .order_by(models.Attachment.id)).scalars().all()
        by_step: dict[int | None, list[PhotoData]] = {}
        for p in photos:
            by_step.setdefault(p.step_id, []).append(
                PhotoData(caption=p.filename, mime=p.mime, data=p.data, width=p.width, height=p.height,
                          taken_at=_local(p.created_at), id=p.id))
        steps = tuple(
            StepData(
                position=s["position"], method=s["method"], title=s["title"], state=StepState(s["state"]),
                rounds=tuple(RoundData(round=r["round"], config=r["config"], result=r["result"],
                                       opened_at=_dt(r["opened_at"]), closed_at=_dt(r["closed_at"]),
                                       contributors=r["contributors"],
                                       decisions=tuple(DecisionData(d["command"], dict(d["payload"] or {}),
                                                                    d["actor"], _dt(d["at"]))
                                                       for d in r.get("decisions", [])),
                                       photos=tuple(by_step.get(s["id"], [])))
                       for r in s["rounds"]),
                photos=tuple(by_step.get(s["id"], [])),
            )
            for s in results
        )
        return ProtocolData(
            title=session.title, date=session.date, place=session.place, moderator=session.moderator,
            language=session.language, participants_joined=joined, participants_active=active,
            started_at=_local(session.started_at), ended_at=_local(session.ended_at),
            generated_at=_local(ctx.clock()) or ctx.clock(),
            steps=steps, loose_photos=tuple(by_step.get(None, [])), participants_removed=removed,
        )


def build_pdf(ctx: Context, session_id: int, t: Translate,
              progress: Callable[[float], None] | None = None) -> bytes:
    return render(gather(ctx, session_id), t, progress)


async def build_pdf_async(ctx: Context, session_id: int, t: Translate,
                          progress: Callable[[float], None] | None = None) -> bytes:
    """Gather on the loop (fast, consistent read), draw in a worker thread (the slow part)."""
    data = gather(ctx, session_id)
    return await asyncio.to_thread(render, data, t, progress)

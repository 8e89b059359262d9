"""JSON API v1, who is in the room: participants, admission, voting cards, replacing links.

The moderator's key or an organizer token, like the console; replacing a link only the organizer
(the moderator must not be able to lock the office out of a session, nor keep a link the office
revoked alive). See docs/api.md.
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.api_auth import bearer, moderator_or_organizer
from app.api_body import read_json
from app.filenames import download_name
from app.i18n import t, translator
from app.pages.room import card_url
from facilitation import access, admission, cards, context, organize
from facilitation.admission import RosterEntry
from methods.errors import InvalidContribution, NotFound

router = APIRouter(prefix="/api/v1", tags=["v1 room"])


def _entry(entry: RosterEntry) -> dict[str, Any]:
    return {"id": entry.id, "number": entry.number, "name": entry.name, "status": entry.status,
            "joined_at": entry.joined_at.isoformat(timespec="seconds"), "card": entry.card,
            "inputs": entry.inputs}


@router.get("/sessions/{session_id}/participants")
def participants(session_id: int, request: Request) -> dict[str, Any]:
    """Everyone who joined (in join order) with status, card and number of inputs."""
    moderator_or_organizer(request, session_id)
    ctx = context.current()
    info = organize.get_session(ctx, session_id)
    everyone = [_entry(e) for e in admission.roster(ctx, session_id)]
    return {"head_count": info.head_count, "admission": info.admission, "joining_closed": info.joining_closed,
            "in": sum(1 for e in everyone if e["status"] == "in"),
            "waiting": sum(1 for e in everyone if e["status"] == "waiting"),
            "participants": everyone}


@router.post("/sessions/{session_id}/admission")
async def set_admission(session_id: int, request: Request) -> dict[str, Any]:
    """Any of ``{"level", "head_count" (null clears), "closed"}``."""
    moderator_or_organizer(request, session_id)
    body = await read_json(request, 4096)
    if not isinstance(body, dict):
        raise InvalidContribution("payload_not_object")
    level, closed = body.get("level"), body.get("closed")
    if (level is not None and not isinstance(level, str)) or (closed is not None and not isinstance(closed, bool)):
        raise InvalidContribution("payload_not_object")
    head_count = body["head_count"] if "head_count" in body else False
    if head_count is not False and head_count is not None and not isinstance(head_count, int):
        raise InvalidContribution("head_count_out_of_range", max=admission.MAX_HEAD_COUNT)
    ctx = context.current()
    admission.set_admission(ctx, session_id, level=level, head_count=head_count, closed=closed)
    info = organize.get_session(ctx, session_id)
    return {"admission": info.admission, "head_count": info.head_count, "joining_closed": info.joining_closed}


@router.post("/sessions/{session_id}/participants/{participant_id}/{action}")
def participant_action(session_id: int, participant_id: int, action: str, request: Request) -> dict[str, Any]:
    """``admit`` a waiting participant, or ``remove`` one (their inputs stop counting)."""
    actor = moderator_or_organizer(request, session_id)
    ctx = context.current()
    if action == "admit":
        admission.admit(ctx, session_id, participant_id)
        return {"id": participant_id, "status": "in"}
    if action == "remove":
        removed = admission.remove(ctx, session_id, participant_id, actor=actor)
        return {"id": participant_id, "status": "removed", "number": removed.number,
                "rounds": removed.rounds, "inputs": removed.inputs}
    raise NotFound("unknown_action", action=action[:20])


@router.get("/sessions/{session_id}/cards.pdf")
async def cards_pdf(session_id: int, request: Request, count: int = 30) -> Response:
    """Voting cards 1..count to print (made if missing; printing again gives the same cards)."""
    moderator_or_organizer(request, session_id)
    ctx = context.current()
    info = organize.get_session(ctx, session_id)
    pdf = await asyncio.to_thread(cards.sheet_pdf, ctx, session_id, count, card_url, translator(info.language))
    name = download_name(t("cards.file", info.language), info.title, info.date, "pdf")
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/sessions/{session_id}/keys/{role}")
def replace_key(session_id: int, role: str, request: Request) -> dict[str, str]:
    """The organizer replaces the ``moderator`` or ``projector`` key; the old one stops at once."""
    ctx = context.current()
    access.check_organizer(ctx, bearer(request))
    if role == "moderator":
        return {"moderator_key": access.replace_moderator_key(ctx, session_id)}
    if role == "projector":
        return {"projector_key": access.replace_projector_key(ctx, session_id)}
    raise NotFound("unknown_action", action=role[:20])

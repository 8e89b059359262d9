"""JSON API v1, the office's part: protocol PDF, raw data exports and photos."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.api_auth import moderator_or_organizer
from app.filenames import download_name
from app.i18n import t, translator
from facilitation import context, export, organize, photos, protocol
from methods.errors import TooLarge

router = APIRouter(prefix="/api/v1", tags=["v1 archive"])


def _translator(session_id: int) -> Callable[..., str]:
    return translator(organize.get_session(context.current(), session_id).language)


@router.get("/sessions/{session_id}/protocol.pdf")
async def protocol_pdf(session_id: int, request: Request) -> Response:
    moderator_or_organizer(request, session_id)
    pdf = await protocol.build_pdf_async(context.current(), session_id, _translator(session_id))
    info = organize.get_session(context.current(), session_id)
    name = download_name(t("archive.file.protocol", info.language), info.title, info.date, "pdf")
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/sessions/{session_id}/export.json")
def export_json(session_id: int, request: Request) -> Response:
    moderator_or_organizer(request, session_id)
    body = json.dumps(export.export_json(context.current(), session_id), ensure_ascii=False, indent=1)
    return Response(body, media_type="application/json")


@router.get("/sessions/{session_id}/export.csv")
def export_csv(session_id: int, request: Request) -> Response:
    moderator_or_organizer(request, session_id)
    return Response(export.export_csv(context.current(), session_id), media_type="text/csv; charset=utf-8")


@router.post("/sessions/{session_id}/photos", status_code=201)
async def upload_photo(session_id: int, request: Request, step: int | None = None,
                       filename: str = "foto") -> dict[str, object]:
    moderator_or_organizer(request, session_id)
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > photos.MAX_BYTES:
            raise TooLarge("photo_too_large", limit_mb=photos.MAX_BYTES // (1024 * 1024))
    info = await asyncio.to_thread(photos.add_photo, context.current(), session_id, step, filename, body)
    return {"id": info.id, "step_id": info.step_id, "mime": info.mime, "width": info.width, "height": info.height}



"""Photos of physical boards (a tablecloth, a pinboard) for a step.

Checked on the server, whatever the browser claimed: the bytes must decode as JPEG, PNG or WebP,
at most 15 MB; they are downscaled to 2000 px on the long side and re-encoded, which drops EXIF
metadata — a phone photo's GPS position must not end up in an archive.

Memory is bounded before anything is decoded: a small file can unpack to gigabytes (a 338 KB PNG
of 10,900 × 10,900 pixels is 475 MB of RGBA), so the pixel count is read from the header (Pillow
opens lazily) and anything above ``MAX_PIXELS`` is refused unread; a JPEG is decoded at a reduced
scale near the target size (``draft``); and at most ``IMAGE_WORKERS`` images are decoded at once
(further uploads wait up to ``WAIT_SECONDS``, then are asked to try again).
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select

from facilitation.context import Context
from methods.errors import InvalidContribution, NotFound, RateLimited, TooLarge
from sessions import models

MAX_BYTES = 15 * 1024 * 1024
MAX_SIDE = 2000
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_PIXELS = 50_000_000
"""A 48 MP phone photo (8000 × 6000) fits; what lies above is refused before decoding."""
# Pillow's own guard stays as a backstop far above ours (it refuses at twice this, when opening), so
# our check, with its exact numbers, is the one a person sees
PILLOW_LIMIT = 10 * MAX_PIXELS
Image.MAX_IMAGE_PIXELS = PILLOW_LIMIT
IMAGE_WORKERS = 2
WAIT_SECONDS = 30.0
_decoding = threading.BoundedSemaphore(IMAGE_WORKERS)


@dataclass(frozen=True)
class PhotoInfo:
    id: int
    step_id: int | None
    filename: str
    mime: str
    width: int
    height: int


def clean_image(raw: bytes) -> tuple[bytes, str, int, int]:
    """Validate, orient, downscale and re-encode; returns (bytes, mime, width, height)."""
    if len(raw) > MAX_BYTES:
        raise TooLarge("photo_too_large", limit_mb=MAX_BYTES // (1024 * 1024))
    try:
        with Image.open(io.BytesIO(raw)) as probe:  # the header only: nothing is decoded yet
            kind = probe.format or ""
            width, height = probe.size
            if kind not in FORMATS:
                raise InvalidContribution("photo_bad_type")
            if width * height > MAX_PIXELS:
                raise TooLarge("photo_too_many_pixels", megapixels=round(width * height / 1e6),
                               limit=MAX_PIXELS // 1_000_000)
            probe.verify()  # chunk structure and checksums, still without decoding the pixels
    except Image.DecompressionBombError:  # so large that Pillow refused to open it
        raise TooLarge("photo_too_many_pixels", megapixels=f"> {2 * PILLOW_LIMIT // 1_000_000}",
                       limit=MAX_PIXELS // 1_000_000) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise InvalidContribution("photo_bad_type") from None
    if not _decoding.acquire(timeout=WAIT_SECONDS):
        raise RateLimited("photo_busy")
    try:
        return _reencode(raw, kind)
    finally:
        _decoding.release()


def _reencode(raw: bytes, kind: str) -> tuple[bytes, str, int, int]:
    try:
        with Image.open(io.BytesIO(raw)) as opened:
            if kind == "JPEG":
                opened.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decode at 1/2, 1/4 or 1/8 scale if that still fits
            opened.load()
            img: Image.Image = ImageOps.exif_transpose(opened)  # keep the orientation the phone meant, drop EXIF
            img.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            if kind == "PNG":
                img.save(out, format="PNG")  # optimize=True costs seconds on noisy photos
            elif kind == "WEBP":
                img.save(out, format="WEBP", quality=85)
            else:
                img.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
            return out.getvalue(), FORMATS[kind], img.width, img.height
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise InvalidContribution("photo_bad_type") from None


def add_photo(ctx: Context, session_id: int, step_id: int | None, filename: str, raw: bytes) -> PhotoInfo:
    data, mime, width, height = clean_image(raw)
    with ctx.db.transaction() as orm:
        if orm.get(models.Session, session_id) is None:
            raise NotFound("session_not_found", session=session_id)
        if step_id is not None:
            step = orm.get(models.Step, step_id)
            if step is None or step.session_id != session_id:
                raise NotFound("step_not_found", step=step_id)
        row = models.Attachment(session_id=session_id, step_id=step_id, filename=filename[:200] or "foto",
                                mime=mime, width=width, height=height, data=data, created_at=ctx.clock())
        orm.add(row)
        orm.flush()
        info = PhotoInfo(row.id, step_id, row.filename, mime, width, height)
    ctx.hub.publish(session_id)
    return info


def list_photos(ctx: Context, session_id: int) -> list[PhotoInfo]:
    with ctx.db.session() as orm:
        rows = orm.execute(select(models.Attachment.id, models.Attachment.step_id, models.Attachment.filename,
                                  models.Attachment.mime, models.Attachment.width, models.Attachment.height)
                           .where(models.Attachment.session_id == session_id)
                           .order_by(models.Attachment.id)).all()
    return [PhotoInfo(*r) for r in rows]


def photo_bytes(ctx: Context, session_id: int, photo_id: int) -> tuple[bytes, str]:
    with ctx.db.session() as orm:
        row = orm.get(models.Attachment, photo_id)
        if row is None or row.session_id != session_id:
            raise NotFound("photo_not_found", photo=photo_id)
        return row.data, row.mime

"""QR codes as inline SVG data URLs: sharp on any beamer, no image files, no network."""

from __future__ import annotations

import base64
import functools

import qrcode
import qrcode.image.svg

from app.runtime import runtime
from facilitation import access, context


@functools.lru_cache(maxsize=64)
def svg_data_url(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, border=2,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    raw = image.to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(raw).decode()


def scan_url(code: str) -> str:
    """The join link in the QR code and in every link handed out: with the code's proof, so joining
    by it is never rate limited (``participation.find_session_id``); typing the code is."""
    return f"{runtime.join_url(code)}?qr={access.join_proof(context.current(), code)}"

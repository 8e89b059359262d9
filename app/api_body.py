"""Reading a JSON request body with a cap: counted while it streams, refused past the limit."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request

from methods.errors import InvalidContribution, TooLarge


async def read_json(request: Request, limit: int) -> Any:
    """The parsed body; 413 past ``limit``, 422 for anything that is not plain JSON text — also
    nesting too deep for the parser and lone UTF-16 surrogates (valid JSON escapes that no UTF-8
    text, database or answer can hold): refused here with a short answer, never a 500."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise TooLarge("payload_too_large", limit=limit)
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise TooLarge("payload_too_large", limit=limit)
    try:
        value = json.loads(body or b"null")
        json.dumps(value, ensure_ascii=False).encode("utf-8")  # a lone surrogate cannot be encoded
    except (ValueError, UnicodeError, RecursionError):
        raise InvalidContribution("malformed_json") from None
    return value

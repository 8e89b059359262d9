"""The one exceptions module of the project.

It lives in the lowest layer and is a leaf: it imports nothing, so the pure engines in
``methods/`` raise these errors themselves and every layer above imports them from here.

Every error carries a message *key* and its parameters instead of a finished sentence, because
the same error is shown to a German participant on a phone, an English moderator on the console
and an API client; the translation layer (``app/i18n.py``) turns key + params into text.
"""

from __future__ import annotations

from typing import Any


class KofferError(Exception):
    """Base class: a refused request with a translatable reason."""

    http_status = 400

    def __init__(self, key: str, /, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(key, params)

    def __str__(self) -> str:  # for logs and test failures, never shown to users
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{self.key}({args})"


class InvalidTransition(KofferError):
    """A lifecycle change that the current state forbids (e.g. voting on a closed step)."""

    http_status = 409


class InvalidContribution(KofferError):
    """A payload that does not fit the method or its config; nothing is stored."""

    http_status = 422


class NotAllowed(KofferError):
    """Missing or wrong key, login or rights."""

    http_status = 403


class NotFound(KofferError):
    """Unknown session, step, join code or participant."""

    http_status = 404


class TooLarge(InvalidContribution):
    """A payload or upload above the server-side size cap."""

    http_status = 413


class RateLimited(NotAllowed):
    """Too many attempts from one address (join-code guessing)."""

    http_status = 429

"""Each method's views, found by convention in ``app/views/<name>.py`` (``VIEWS``, ``TEXTS``)."""

from __future__ import annotations

from app.views.base import MethodViews
from methods import registry


def views(method: str) -> MethodViews:
    """The views part of a registered method, type-checked on first load."""
    found: MethodViews = registry.part(method, "views", "VIEWS", MethodViews)
    return found

"""The view registry: method name → module with ``PHONE`` and ``CONSOLE`` view classes."""

from __future__ import annotations

from types import ModuleType

from app.views import consensing, hand_vote

VIEWS: dict[str, ModuleType] = {
    "hand_vote": hand_vote,
    "consensing": consensing,
}

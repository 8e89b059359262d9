"""The method registry: one name, one engine module.

Views (``app/views``) and protocol boards (``sessions/protocol``) keep their own registries keyed
by the same names; ``tests/test_registry.py`` fails when a name lacks any of its parts.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from methods import consensing, hand_vote
from methods.errors import NotFound

ENGINES: dict[str, ModuleType] = {
    hand_vote.NAME: hand_vote,
    consensing.NAME: consensing,
}


def engine(name: str) -> ModuleType:
    try:
        return ENGINES[name]
    except KeyError:
        raise NotFound("unknown_method", method=name) from None


def parse_config(name: str, raw: dict[str, Any] | None) -> Any:
    """Validate a raw config dict; raises pydantic.ValidationError naming the bad fields."""
    return engine(name).Config.model_validate(raw or {})

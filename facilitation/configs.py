"""Step configs parsed once per distinct config, shared by every commit and every delivery.

A delivery builds the session's state, and with it a ``StepInfo`` for every step of the agenda;
each parsed its config again (pydantic, ~30 µs for a hand vote, ~100 µs for a matrix of 20
items with descriptions), and so did every commit. The parsed config is a frozen
``MethodConfig`` that no caller changes (its list and dict fields included: configs are read,
and an edit parses a new one), so one object per distinct JSON can serve them all; a changed
config is a different JSON and gets its own parse. The cache key is the config's JSON with
sorted keys (costs a fraction of the parse); it holds the configs of the last few sessions.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from methods.registry import parse_config

CACHED = 256
"""Distinct configs kept: a session has a few dozen steps at most."""


@functools.lru_cache(maxsize=CACHED)
def _parsed(method: str, config_json: str) -> Any:
    return parse_config(method, json.loads(config_json))


def cached_config(method: str, config: dict[str, Any]) -> Any:
    """``parse_config(method, config)``, parsed once per distinct config; the result is shared:
    never change it (it is frozen; its lists and dicts are read only). Raises like
    ``parse_config`` for an invalid config (an error is not cached)."""
    return _parsed(method, json.dumps(config, sort_keys=True))

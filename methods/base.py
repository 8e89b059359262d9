"""What every method engine shares: the shape of stored entries and of current inputs.

A participant payload is validated into one or more :class:`Entry` objects. Each entry becomes
one append-only row keyed by ``key`` (e.g. the option id in consensing), so a partial or changed
input never rewrites history; the *latest* row per (participant, key) is what counts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict

from methods.errors import InvalidContribution

JSON = Any

MAX_PAYLOAD_BYTES = 16 * 1024


class MethodConfig(BaseModel):
    """Base for every method's step config: frozen, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


@dataclass(frozen=True, slots=True)
class Entry:
    """One validated piece of a contribution, stored as one row."""

    key: str
    value: JSON


@dataclass(frozen=True, slots=True)
class Cast:
    """A current (latest) entry of one participant, as handed to ``tally``."""

    participant: str
    key: str
    value: JSON


@dataclass(frozen=True, slots=True)
class Stored:
    """A stored row as read back: ``seq`` orders rows of the same step and round."""

    seq: int
    participant: str
    key: str
    value: JSON


def latest(rows: Iterable[Stored]) -> list[Cast]:
    """Keep only the newest row per (participant, key): a changed vote replaces the earlier one."""
    newest: dict[tuple[str, str], Stored] = {}
    for row in rows:
        slot = (row.participant, row.key)
        if slot not in newest or newest[slot].seq < row.seq:
            newest[slot] = row
    return [Cast(r.participant, r.key, r.value) for r in sorted(newest.values(), key=lambda r: r.seq)]


def require_mapping(payload: object) -> Mapping[str, Any]:
    """Reject anything that is not a JSON object of sane size before a method looks at it."""
    if not isinstance(payload, Mapping):
        raise InvalidContribution("payload_not_object")
    try:
        size = len(json.dumps(payload, ensure_ascii=False).encode())
    except (TypeError, ValueError):
        raise InvalidContribution("payload_not_object") from None
    if size > MAX_PAYLOAD_BYTES:
        raise InvalidContribution("payload_too_large", limit=MAX_PAYLOAD_BYTES)
    return payload


class MethodEngine(Protocol):
    """The module-level interface a method engine provides (checked by the registry test)."""

    NAME: str
    Config: type[MethodConfig]
    RESULTS_HIDDEN_BY_DEFAULT: bool

    def validate(self, config: Any, payload: object) -> list[Entry]: ...

    def tally(self, config: Any, casts: Sequence[Cast], participants: int = 0) -> dict[str, JSON]: ...

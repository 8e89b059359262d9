"""Option lists as agendas write them: plain strings or objects with id, label and description.

Offices type plain strings in the agenda file; the engine needs stable ids so that a vote stays
attached to its option when the moderator edits a label between rounds. Strings get positional
ids (``o1``, ``o2``, ... or another prefix); explicit ids are kept.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError


class Option(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    id: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_\-]+$")
    label: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=2000)


def normalise(raw: Any, prefix: str) -> Any:
    """Give string options ids; leave anything else for pydantic to judge (and name the field)."""
    if not isinstance(raw, list):
        return raw
    out: list[Any] = []
    for i, item in enumerate(raw, start=1):
        if isinstance(item, str):
            out.append({"id": f"{prefix}{i}", "label": item})
        elif isinstance(item, dict) and "title" in item and "label" not in item:
            item = dict(item)
            item["label"] = item.pop("title")
            item.setdefault("id", f"{prefix}{i}")
            out.append(item)
        elif isinstance(item, dict):
            item = dict(item)
            item.setdefault("id", f"{prefix}{i}")
            out.append(item)
        else:
            out.append(item)
    return out


def unique_ids(options: list[Option]) -> list[Option]:
    """Ids and labels are unique: two options reading the same on a phone cannot be told apart
    (case and surrounding blanks do not make a difference to a reader)."""
    seen: set[str] = set()
    labels: set[str] = set()
    for option in options:
        if option.id in seen:
            raise PydanticCustomError("duplicate_option", "duplicate option id '{id}'", {"id": option.id})
        label = " ".join(option.label.split()).casefold()
        if label in labels:
            raise PydanticCustomError("duplicate_label", "'{label}' appears twice", {"label": option.label})
        seen.add(option.id)
        labels.add(label)
    return options

"""Items flow between steps: ``"items_from": {"step": N, "top"?: K}`` in a step's config.

When the step opens, the items the earlier step's result offers (hand vote: the options by
votes; consensing: the selected proposals) become this step's items, and the round records the
resolved config, so every round says what it ran with and the protocol names the source. The
agenda keeps the reference, so the agenda file exports it as it was written.

A source that has not finished (still open, or never closed) or offers nothing is refused with
a message naming it, and the step does not open: a vote on an empty list helps nobody.
"""

from __future__ import annotations

import typing
from typing import Any

from pydantic import ValidationError

from facilitation.problems import Problem, from_validation, problem
from methods.base import Engine, Item, ItemsFrom
from methods.errors import InvalidTransition
from methods.registry import engine
from sessions import models
from sessions.states import StepState


def resolve(step: models.Step, config: dict[str, Any]) -> dict[str, Any]:
    """``config`` with its items taken from the earlier step it names (unchanged without
    ``items_from``)."""
    raw = config.get("items_from")
    if not raw:
        return config
    target = engine(step.method)
    reference = ItemsFrom.model_validate(raw)
    source = next((s for s in step.session.steps if s.position == reference.step), None)
    if source is None or source.position >= step.position or target.items_field is None:
        raise InvalidTransition("items_from_not_earlier", step=step.position + 1, source=reference.step + 1)
    offering = engine(source.method)
    finished = [r for r in source.rounds if r.result is not None and r.closed_at is not None]
    if source.state == StepState.OPEN or not finished:
        raise InvalidTransition("items_from_unfinished", source=source.position + 1, title=source.title)
    items = offering.items(offering.load_result(finished[-1].result)) if offering.items is not None else []
    if reference.group is not None:  # e.g. only one theme table's cards
        items = [i for i in items if reference.group in i.groups]
    if reference.top is not None:
        items = items[: reference.top]
    if not items:
        raise InvalidTransition("items_from_empty", source=source.position + 1, title=source.title)
    resolved = dict(config)
    resolved[target.items_field] = [_entry(i, target) for i in items]
    try:  # e.g. a hand vote needs two options: say so before opening, and where they came from
        target.parse_config(resolved)
    except ValidationError as exc:
        raise InvalidTransition("items_from_unusable", source=source.position + 1, title=source.title,
                                n=len(items), problems=from_validation(exc, "config")) from None
    return resolved


def _entry(item: Item, target: Engine[Any, Any]) -> dict[str, Any]:
    """An offered item as an entry of the target's item list; ``merged_from`` only where the
    target's items can carry it (a dot vote's cards can, a hand vote's options cannot)."""
    entry: dict[str, Any] = {"id": item.id, "label": item.label}
    if item.description:
        entry["description"] = item.description
    if item.merged_from and _takes_merged_from(target):
        entry["merged_from"] = list(item.merged_from)
    return entry


def _takes_merged_from(target: Engine[Any, Any]) -> bool:
    field = target.config.model_fields.get(target.items_field or "")
    args = typing.get_args(field.annotation) if field is not None else ()
    model = args[0] if args else None
    return isinstance(model, type) and "merged_from" in getattr(model, "model_fields", {})


def problems(steps: list[tuple[str, dict[str, Any]]]) -> list[Problem]:
    """Agenda-level problems of ``items_from`` references: (method, config) per step in order."""
    out: list[Problem] = []
    for index, (_method, config) in enumerate(steps):
        raw = config.get("items_from") if isinstance(config, dict) else None
        if not isinstance(raw, dict) or not isinstance(raw.get("step"), int):
            continue
        source = raw["step"]
        where = f"steps[{index}].config.items_from.step"
        if not 0 <= source < index:
            if index:
                out.append(problem(where, "items_not_earlier", f"must name an earlier step (0 … {index - 1})",
                                   last_n=index))
            else:
                out.append(problem(where, "items_first_step", "the first step has no earlier step to take items from"))
            continue
        if engine(steps[source][0]).items is None:
            out.append(problem(where, "items_no_offer", f"step {source} ({steps[source][0]}) offers no items",
                               source=source + 1))
    return out

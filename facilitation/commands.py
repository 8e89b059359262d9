"""One dispatcher for every method's own moderator commands (pin, freeze, merge, set category …).

A method declares its commands (``Engine.commands``: name, payload model, guard, states); this
module runs each the same way, like the lifecycle's transitions: the payload is validated, the
guard clause runs first, everything happens in one transaction, the decision is stored
append-only (who, when, payload) and the room is told after the commit. A computed result is
never overwritten: the engine's ``tally`` receives the round's decisions and shows their effect.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from facilitation.context import Context
from facilitation.problems import from_validation
from methods.base import Situation, latest
from methods.errors import InvalidContribution, InvalidTransition, NotFound
from methods.registry import engine
from sessions import models, store

ACTORS = ("moderator", "organizer")


@dataclass(frozen=True)
class Decided:
    """What a command left behind, as the API answers it."""

    id: int
    step_id: int
    round: int
    command: str
    payload: dict[str, Any]


def run(ctx: Context, session_id: int, step_id: int, name: str, payload: Any, actor: str = "moderator") -> Decided:
    """Run the command ``name`` of the step's method with ``payload`` (a JSON object)."""
    now = ctx.clock()
    with ctx.db.transaction() as orm:
        step = orm.get(models.Step, step_id, with_for_update=True)
        if step is None or step.session_id != session_id:
            raise NotFound("step_not_found", step=step_id)
        method = engine(step.method)
        command = method.command(name)
        if command is None:
            raise NotFound("unknown_command", command=name[:40])
        try:
            body = command.payload.model_validate(payload if payload is not None else {})
        except ValidationError as exc:
            raise InvalidContribution("command_invalid", problems=from_validation(exc, "")) from None
        if step.state not in command.states:
            raise InvalidTransition("command_not_now", step=step.position + 1, state=step.state)
        round_row = next((r for r in step.rounds if r.round == step.round), None)
        config = method.parse_config(round_row.config if round_row is not None else step.config)
        situation = Situation(step.state, step.round,
                              store.as_decisions(store.decisions(orm, step.id, step.round)))
        if command.guard is not None:
            command.guard(config, body, situation)
        stored = body.model_dump(mode="json")
        if command.record is not None:
            # what the command saw (a snapshot of the positions) is kept with the decision
            casts = latest(store.rows(orm, step.id, step.round))
            stored = {**stored, **command.record(config, body, casts, situation)}
        row = models.Decision(session_id=session_id, step_id=step.id, round=step.round, command=name,
                              payload=stored, actor=actor if actor in ACTORS else "moderator", created_at=now)
        orm.add(row)
        orm.flush()
        result = Decided(row.id, step.id, step.round, name, stored)
    ctx.hub.publish(session_id)
    return result

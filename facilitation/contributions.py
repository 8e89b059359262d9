"""Taking a participant's input: validate, commit, then tell the room.

The phone is told "saved" only after the commit returned, so an acknowledged input survives a
crash of the server the very next moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from facilitation.context import Context
from facilitation.errors import InvalidTransition, NotAllowed, NotFound
from methods.base import latest, require_mapping
from methods.registry import engine, parse_config
from sessions import models, store


@dataclass(frozen=True)
class Receipt:
    step_id: int
    round: int
    keys: tuple[str, ...]


def submit(ctx: Context, step_id: int, participant_id: int, payload: Any) -> Receipt:
    require_mapping(payload)
    now = ctx.clock()
    with ctx.db.transaction() as orm:
        step = orm.get(models.Step, step_id, with_for_update=True)  # PostgreSQL: lock against a close
        if step is None:
            raise NotFound("step_not_found", step=step_id)
        participant = orm.get(models.Participant, participant_id)
        if participant is None or participant.session_id != step.session_id:
            raise NotAllowed("not_a_participant")
        if step.state != "open":
            raise InvalidTransition("step_closed" if step.state == "closed" else "step_not_open",
                                    step=step.position + 1)
        entries = engine(step.method).validate(parse_config(step.method, step.config), payload)
        store.append(orm, step, participant_id, entries, now)
        participant.last_seen_at = now
        receipt = Receipt(step.id, step.round, tuple(e.key for e in entries))
        session_id = step.session_id
    ctx.hub.publish(session_id)
    return receipt


def my_inputs(ctx: Context, step_id: int, participant_id: int) -> dict[str, Any]:
    """The participant's current entries for the step's current round, by key."""
    with ctx.db.session() as orm:
        step = orm.get(models.Step, step_id)
        if step is None:
            raise NotFound("step_not_found", step=step_id)
        casts = latest(store.rows(orm, step_id, step.round, participant_id))
        return {c.key: c.value for c in casts}

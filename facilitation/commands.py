"""One dispatcher for every method's own moderator commands (pin, freeze, merge, set category …).

A method declares its commands (``Engine.commands``: name, payload model, guard, states); this
module runs each the same way, like the lifecycle's transitions: the payload is validated, the
guard clause runs first, everything happens in one transaction, the decision is stored
append-only (who, when, payload) and the room is told after the commit. A computed result is
never overwritten: the engine's ``tally`` receives the round's decisions and shows their effect.
A decision on a closed step (the usual case: the group discusses the revealed result) renews the
round's result snapshot in the same transaction, from the same contributions plus the decisions;
otherwise console, API and protocol would keep showing the result from before the decision.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from facilitation.context import Context
from facilitation.lifecycle import tally_round
from facilitation.problems import from_validation
from methods.base import Situation, latest
from methods.errors import InvalidContribution, InvalidTransition, NotAllowed, NotFound
from methods.registry import engine
from sessions import models, store
from sessions.states import StepState

ACTORS = ("moderator", "organizer", "host")

Check = Callable[[Any, Any, Situation], None]
"""A further guard of the caller (e.g. a table host may only touch their own table's cards),
run after the command's own guard, in the same transaction, on the same situation."""


@dataclass(frozen=True)
class Decided:
    """What a command left behind, as the API answers it."""

    id: int
    step_id: int
    round: int
    command: str
    payload: dict[str, Any]


def run(ctx: Context, session_id: int, step_id: int, name: str, payload: Any, actor: str = "moderator",
        check: Check | None = None) -> Decided:
    """Run the command ``name`` of the step's method with ``payload`` (a JSON object).

    The decision records the step's highest contribution id (``after``): a method can tell the
    inputs made before it from those made after it (a card written in the next rotation round)."""
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
        situation: Situation | None = None
        if command.guard is not None or check is not None or command.record is not None:
            decided = store.as_decisions(store.decisions(orm, step.id, step.round))
            # a removed participant's inputs count nowhere, also not in what a command sees
            casts = tuple(store.counted(latest(store.rows(orm, step.id, step.round)),
                                        store.removed_ids(orm, session_id)))
            situation = Situation(step.state, step.round, decided, casts)
            if command.guard is not None:
                command.guard(config, body, situation)
            if check is not None:
                check(config, body, situation)
        stored = body.model_dump(mode="json")
        if command.record is not None and situation is not None:
            # what the command saw (a snapshot of the positions) is kept with the decision
            stored = {**stored, **command.record(config, body, list(situation.casts), situation)}
        row = models.Decision(session_id=session_id, step_id=step.id, round=step.round, command=name,
                              payload=stored, actor=actor if actor in ACTORS else "moderator", created_at=now,
                              after=store.last_contribution(orm, step.id))
        orm.add(row)
        orm.flush()
        if step.state == StepState.CLOSED and round_row is not None and round_row.result is not None:
            round_row.result = tally_round(orm, step, step.round, round_row.config)
        result = Decided(row.id, step.id, step.round, name, stored)
    ctx.hub.publish(session_id)
    return result


def situation(ctx: Context, step_id: int) -> Situation:
    """What a command's guard would see now (a read, for a check before an upload)."""
    with ctx.db.session() as orm:
        step = orm.get(models.Step, step_id)
        if step is None:
            raise NotFound("step_not_found", step=step_id)
        decided = store.as_decisions(store.decisions(orm, step.id, step.round))
        casts = tuple(latest(store.rows(orm, step.id, step.round)))
        return Situation(step.state, step.round, decided, casts)


def run_by_participant(ctx: Context, session_id: int, step_id: int, participant_id: int, name: str,
                       payload: Any) -> Decided:
    """A participant runs a command the method lets them run (``Engine.may_run``: a theme table's
    host edits their table's cards); stored with the actor "host". The rule is checked inside the
    command's transaction, on the same state its guard sees."""
    with ctx.db.session() as orm:
        step = orm.get(models.Step, step_id)
        member = orm.get(models.Participant, participant_id)
        if step is None or step.session_id != session_id:
            raise NotFound("step_not_found", step=step_id)
        if member is None or member.session_id != session_id:
            raise NotAllowed("not_a_participant")
        method = engine(step.method)
    rule = method.may_run
    if rule is None:
        raise NotAllowed("command_moderator_only")
    who = str(participant_id)

    def check(config: Any, body: Any, situation: Situation) -> None:
        assert rule is not None
        rule(config, situation, who, name, body.model_dump(mode="json"))

    return run(ctx, session_id, step_id, name, payload, actor="host", check=check)

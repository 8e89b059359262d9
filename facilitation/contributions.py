"""Taking a participant's input: validate, commit, then tell the room.

The phone is told "saved" only after the commit returned, so an acknowledged input survives a
crash of the server the very next moment.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from sqlalchemy import bindparam, func, insert, select

from facilitation.context import Context
from facilitation.snapshots import Receipt
from methods.base import Decision, latest, require_mapping
from methods.errors import InvalidTransition, KofferError, NotAllowed, NotFound
from methods.registry import engine, parse_config
from sessions import models, store
from sessions.states import StepState

# built once: constructing statements per vote costs more than SQLite itself
_STEP = (
    # the round's config is the one in force (items taken from an earlier step resolved at open)
    select(models.Step.state, models.Step.round, models.Step.method,
           func.coalesce(models.StepRound.config, models.Step.config).label("config"),
           models.Step.session_id, models.Step.position)
    .outerjoin(models.StepRound, (models.StepRound.step_id == models.Step.id)
               & (models.StepRound.round == models.Step.round))
    .where(models.Step.id == bindparam("step_id"))
    .with_for_update(of=models.Step)  # PostgreSQL: lock against a close
)
_MEMBERS = select(models.Participant.id, models.Participant.session_id).where(
    models.Participant.id.in_(bindparam("participant_ids", expanding=True)))
_INSERT = insert(models.Contribution)
_DECISIONS = (
    select(models.Decision.id, models.Decision.command, models.Decision.payload, models.Decision.round,
           models.Decision.created_at)
    .where(models.Decision.step_id == bindparam("step_id"), models.Decision.round == bindparam("round"))
    .order_by(models.Decision.id)
)


def _decisions(conn: Any, step_id: int, round_: int) -> tuple[Decision, ...]:
    """The round's moderator decisions, read inside the input's write transaction: a freeze
    committed before this input is always seen."""
    return tuple(Decision(seq=r[0], command=r[1], payload=dict(r[2] or {}), round=r[3],
                          at=r[4].isoformat(timespec="seconds"))
                 for r in conn.execute(_DECISIONS, {"step_id": step_id, "round": round_}))


def submit(ctx: Context, step_id: int, participant_id: int, payload: Any) -> Receipt:
    """Validate and commit one payload (the API's path; phones go through the batcher)."""
    outcome = submit_many(ctx, [(step_id, participant_id, payload)])[0]
    if isinstance(outcome, KofferError):
        raise outcome
    return outcome


def submit_many(ctx: Context, requests: list[tuple[int, int, Any]]) -> list[Receipt | KofferError]:
    """Validate each payload on its own and commit all valid ones in one transaction.

    On the hot path of a room voting at once: narrow column reads, one multi-row INSERT, one
    commit; no ORM objects. An invalid payload yields its error and stores nothing of its own.
    """
    now = ctx.clock()
    outcomes: list[Receipt | KofferError] = []
    sessions: set[int] = set()
    with ctx.db.write_connection() as conn:
        # one read per distinct step and one for all participants of the batch, inside the write
        # transaction: a close cannot slip in between these reads and the insert
        member_of = dict(conn.execute(
            _MEMBERS, {"participant_ids": sorted({p for _s, p, _x in requests})}).tuples().all())
        steps: dict[int, Any] = {}
        configs: dict[int, Any] = {}
        decided: dict[int, tuple[Decision, ...]] = {}
        rows: list[dict[str, Any]] = []
        stored: list[tuple[int, int]] = []
        for step_id, participant_id, payload in requests:
            try:
                require_mapping(payload)
                if step_id not in steps:
                    steps[step_id] = conn.execute(_STEP, {"step_id": step_id}).one_or_none()
                step = steps[step_id]
                if step is None:
                    raise NotFound("step_not_found", step=step_id)
                if member_of.get(participant_id) != step.session_id:
                    raise NotAllowed("not_a_participant")
                if step.state != StepState.OPEN:
                    raise InvalidTransition("step_closed" if step.state == StepState.CLOSED else "step_not_open",
                                            step=step.position + 1)
                if step_id not in configs:
                    configs[step_id] = cached_config(step.method, step.config)
                method = engine(step.method)
                entries = method.validate(configs[step_id], payload)
                if method.gate is not None:  # only methods whose commands can refuse an input
                    if step_id not in decided:
                        decided[step_id] = _decisions(conn, step_id, step.round)
                    method.gate(configs[step_id], decided[step_id], entries)
            except KofferError as exc:
                outcomes.append(exc)
                continue
            rows.extend({"step_id": step_id, "round": step.round, "participant_id": participant_id,
                         "key": e.key, "payload": e.value, "created_at": now} for e in entries)
            outcomes.append(Receipt(step_id, step.round, tuple(e.key for e in entries)))
            sessions.add(step.session_id)
            stored.append((step_id, participant_id))
        if rows:
            conn.execute(_INSERT, rows)
    for step_id, participant_id in stored:  # a stored input ends the participant's drag on screen
        ctx.drags.end(step_id, participant_id)
    for session_id in sessions:
        ctx.hub.publish(session_id)
    return outcomes


@functools.lru_cache(maxsize=256)
def _config_from_json(method: str, config_json: str) -> Any:
    return parse_config(method, json.loads(config_json))


def cached_config(method: str, config: dict[str, Any]) -> Any:
    """Parsed configs are frozen models, so one parse per distinct config serves every vote."""
    return _config_from_json(method, json.dumps(config, sort_keys=True))


def my_inputs(ctx: Context, step_id: int, participant_id: int) -> dict[str, Any]:
    """The participant's current entries for the step's current round, by key."""
    with ctx.db.session() as orm:
        step = orm.get(models.Step, step_id)
        if step is None:
            raise NotFound("step_not_found", step=step_id)
        casts = latest(store.rows(orm, step_id, step.round, participant_id))
        return {c.key: c.value for c in casts}

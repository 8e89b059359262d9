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
from methods.base import latest, require_mapping
from methods.errors import InvalidTransition, KofferError, NotAllowed, NotFound
from methods.registry import engine, parse_config
from sessions import models, store
from sessions.states import ParticipantStatus, StepState

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
_MEMBERS = select(models.Participant.id, models.Participant.session_id, models.Participant.status).where(
    models.Participant.id.in_(bindparam("participant_ids", expanding=True)))
_INSERT = insert(models.Contribution)


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
        members = conn.execute(_MEMBERS, {"participant_ids": sorted({p for _s, p, _x in requests})}).all()
        member_of = {m.id: m.session_id for m in members}
        status_of = {m.id: m.status for m in members}
        steps: dict[int, Any] = {}
        configs: dict[int, Any] = {}
        rows: list[dict[str, Any]] = []
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
                if status_of[participant_id] == ParticipantStatus.WAITING:
                    raise NotAllowed("participant_waiting")  # until the moderator lets them in
                if status_of[participant_id] == ParticipantStatus.REMOVED:
                    raise NotAllowed("participant_removed")
                if step.state != StepState.OPEN:
                    raise InvalidTransition("step_closed" if step.state == StepState.CLOSED else "step_not_open",
                                            step=step.position + 1)
                if step_id not in configs:
                    configs[step_id] = cached_config(step.method, step.config)
                entries = engine(step.method).validate(configs[step_id], payload)
            except KofferError as exc:
                outcomes.append(exc)
                continue
            rows.extend({"step_id": step_id, "round": step.round, "participant_id": participant_id,
                         "key": e.key, "payload": e.value, "created_at": now} for e in entries)
            outcomes.append(Receipt(step_id, step.round, tuple(e.key for e in entries)))
            sessions.add(step.session_id)
        if rows:
            conn.execute(_INSERT, rows)
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

"""Taking a participant's input: validate, commit, then tell the room.

The phone is told "saved" only after the commit returned, so an acknowledged input survives a
crash of the server the very next moment.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import bindparam, func, insert, select

from facilitation import tasks
from facilitation.configs import cached_config
from facilitation.context import Context
from facilitation.snapshots import Receipt, StoredInput
from methods.base import Cast, Decision, Engine, Entry, History, Stored, latest, require_mapping
from methods.errors import InvalidTransition, KofferError, NotAllowed, NotFound
from methods.registry import engine
from sessions import models, store
from sessions.states import ParticipantStatus, StepState

# built once: constructing statements per vote costs more than SQLite itself
_STEP = (
    # the round's config is the one in force (items taken from an earlier step resolved at open)
    select(models.Step.state, models.Step.round, models.Step.method,
           func.coalesce(models.StepRound.config, models.Step.config).label("config"),
           models.Step.session_id, models.Step.position, models.Step.opened_at)
    .outerjoin(models.StepRound, (models.StepRound.step_id == models.Step.id)
               & (models.StepRound.round == models.Step.round))
    .where(models.Step.id == bindparam("step_id"))
    .with_for_update(of=models.Step)  # PostgreSQL: lock against a close
)
_MEMBERS = select(models.Participant.id, models.Participant.session_id, models.Participant.status).where(
    models.Participant.id.in_(bindparam("participant_ids", expanding=True)))
_INSERT = insert(models.Contribution)
_INSERT_BACK = _INSERT.returning(models.Contribution.step_id, *store.ROW_COLUMNS)
"""For a batch with answers to handed-out tasks: the rows as stored (ids, decoded payloads), so
the round's kept rows take them in without a read (``RoundRows.committed``). One statement for
the batch: no ``sort_by_parameter_order``, which SQLAlchemy runs one row at a time (8 rows:
~1.3 ms instead of ~0.45); the rows are ordered by their ids instead."""


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
    news: dict[int, list[StoredInput]] = {}  # per session, what this commit stored
    with ctx.db.write_connection() as conn:
        # one read per distinct step and one for all participants of the batch, inside the write
        # transaction: a close cannot slip in between these reads and the insert
        members = conn.execute(_MEMBERS, {"participant_ids": sorted({p for _s, p, _x in requests})}).all()
        member_of = {m.id: m.session_id for m in members}
        status_of = {m.id: m.status for m in members}
        steps: dict[int, Any] = {}
        configs: dict[int, Any] = {}
        models_: dict[int, tuple[Any, list[Stored]]] = {}  # per step: the shared task model, the rows
        held: dict[int, History] = {}
        decided: dict[int, tuple[Decision, ...]] = {}
        rows: list[dict[str, Any]] = []
        stored: list[tuple[int, int]] = []
        tracked: dict[int, tuple[Any, int | None]] = {}  # per step handing out tasks: its row, watermark
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
                method = engine(step.method)
                entries = method.validate(configs[step_id], payload)
                if method.admit is not None:
                    _admit(ctx, conn, method, step_id, step, configs[step_id], participant_id, payload, models_)
                if method.fits_round is not None:  # a rule on what the round holds: read once a batch, if asked
                    method.fits_round(configs[step_id], entries, str(participant_id), _reader(ctx, conn, held, step_id, step.round, step.opened_at))
                    if step_id in held:
                        held[step_id] = (_with(list(held[step_id][0]), str(participant_id), entries), held[step_id][1])
                if method.gate is not None:  # only methods whose commands can refuse an input
                    if step_id not in decided:
                        decided[step_id] = store.round_decisions(conn, step_id, step.round)
                    method.gate(configs[step_id], decided[step_id], entries)
            except KofferError as exc:
                outcomes.append(exc)
                continue
            if method.next_task is not None and step_id not in tracked:
                tracked[step_id] = (step, ctx.round_rows.before_insert(conn, step_id, step.round, step.opened_at))
            rows.extend({"step_id": step_id, "round": step.round, "participant_id": participant_id,
                         "key": e.key, "payload": e.value, "created_at": now} for e in entries)
            outcomes.append(Receipt(step_id, step.round, tuple(e.key for e in entries)))
            news.setdefault(step.session_id, []).extend(
                StoredInput(step_id, step.round, participant_id, e.key, e.value) for e in entries)
            stored.append((step_id, participant_id))
        back: list[Any] = []
        if rows and any(w is not None for _s, w in tracked.values()):
            back = sorted(conn.execute(_INSERT_BACK, rows).all(), key=lambda r: r[1])
        elif rows:
            conn.execute(_INSERT, rows)
    if back:  # committed: the rows of steps handing out tasks join the round's kept rows
        for step_id, (step, watermark) in tracked.items():
            ctx.round_rows.committed(step_id, step.round, step.opened_at, watermark,
                                     [store.stored(r[1:]) for r in back if r[0] == step_id])
    for step_id, participant_id in stored:  # a stored input ends the participant's drag on screen
        ctx.drags.end(step_id, participant_id)
    for session_id, stored_inputs in news.items():  # after the commit: nothing told is ever rolled back
        ctx.hub.publish(session_id, stored_inputs)
    return outcomes


def _admit(ctx: Context, conn: Any, method: Engine[Any, Any], step_id: int, step: Any, config: Any,
           participant_id: int, payload: Any, models_: dict[int, tuple[Any, list[Stored]]]) -> None:
    """The method refuses an answer to a task this participant was not handed (a pair that was
    not offered); the round's rows and shared model are read once per step and batch."""
    assert method.admit is not None
    participant = str(participant_id)
    handed = ctx.tasks.handed_to(step_id, step.round, participant)
    # newest first: an answer nearly always answers the task handed out last
    if method.answers is not None and any(method.answers(task, payload) for task in reversed(handed)):
        return  # the answer to a task just handed out: no read of the round, no model
    if step_id not in models_:
        found = ctx.round_rows.read_round(conn, step_id, step.round, step.opened_at)
        key = (step_id, step.round, step.opened_at)
        model = (ctx.tasks.model(method, config, key, found, lambda: store.removed_of_step(conn, step_id),
                                 lambda: ctx.round_rows.latest(key, found))
                 if method.task_model is not None else None)
        models_[step_id] = (model, found)
    model, found = models_[step_id]
    own = tasks.own_of(ctx.round_rows, method, config, (step_id, step.round, step.opened_at), found, participant)
    method.admit(config, model, own, participant, tasks.seed(step_id, step.round), payload, handed)


def _reader(ctx: Context, conn: Any, held: dict[int, History], step_id: int, round_: int,
            opened_at: Any) -> Callable[[], History]:
    """The round's current casts and decisions for a ``fits_round`` rule, once a batch: the rows
    from the kept round (only those stored since the last read come from the database) and their
    latest per slot from its index — not every card read and parsed again for each new one."""
    def read() -> History:
        if step_id not in held:
            key = (step_id, round_, opened_at)
            found = ctx.round_rows.read_round(conn, step_id, round_, opened_at)
            held[step_id] = (ctx.round_rows.latest(key, found), store.round_decisions(conn, step_id, round_))
        return held[step_id]

    return read


def _with(casts: list[Cast], participant: str, entries: list[Entry]) -> list[Cast]:
    """The casts after ``entries`` of the same batch (not yet stored): the next input of the batch
    is admitted against them, as it would be one commit later."""
    keys = {e.key for e in entries}
    seq = max((c.seq for c in casts), default=0)
    kept = [c for c in casts if not (c.participant == participant and c.key in keys)]
    return kept + [Cast(participant, e.key, e.value, seq + i) for i, e in enumerate(entries, start=1)]


def my_inputs(ctx: Context, step_id: int, participant_id: int) -> dict[str, Any]:
    """The participant's current entries for the step's current round, by key."""
    with ctx.db.session() as orm:
        step = orm.get(models.Step, step_id)
        if step is None:
            raise NotFound("step_not_found", step=step_id)
        casts = latest(store.rows(orm, step_id, step.round, participant_id))
        return {c.key: c.value for c in casts}

"""Queries and appends that more than one facilitation module needs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, select
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import selectinload

from methods.base import Cast, Decision, Entry, Stored
from sessions import models
from sessions.states import PARTICIPANT_REMOVED, ParticipantStatus


def load_session(orm: OrmSession, session_id: int) -> models.Session | None:
    stmt = (
        select(models.Session)
        .where(models.Session.id == session_id)
        .options(selectinload(models.Session.steps))
    )
    return orm.execute(stmt).scalar_one_or_none()


def current_round_configs(orm: OrmSession, session_id: int) -> dict[int, dict[str, Any]]:
    """The config each step's current round runs with (items resolved), by step id; steps that
    never opened have none. One narrow query, so the live state needs no round results."""
    stmt = (
        select(models.StepRound.step_id, models.StepRound.config)
        .join(models.Step, models.Step.id == models.StepRound.step_id)
        .where(models.Step.session_id == session_id, models.StepRound.round == models.Step.round)
    )
    return {step_id: config for step_id, config in orm.execute(stmt).tuples()}


def sessions_with_closing_timer(orm: OrmSession) -> list[models.Session]:
    """Sessions whose timer is to close its step when the time is up."""
    stmt = select(models.Session).where(models.Session.timer_closes_step.is_(True),
                                        models.Session.timer_ends_at.is_not(None))
    return list(orm.execute(stmt).scalars())


def session_of_step(orm: OrmSession, step_id: int) -> int:
    return int(orm.execute(select(models.Step.session_id).where(models.Step.id == step_id)).scalar_one())


def session_by_code(orm: OrmSession, code: str) -> models.Session | None:
    return orm.execute(select(models.Session).where(models.Session.join_code == code)).scalar_one_or_none()


def append(
    orm: OrmSession, step: models.Step, participant_id: int, entries: list[Entry], now: datetime
) -> None:
    for entry in entries:
        orm.add(
            models.Contribution(
                step_id=step.id,
                round=step.round,
                participant_id=participant_id,
                key=entry.key,
                payload=entry.value,
                created_at=now,
            )
        )


ROW_COLUMNS = (models.Contribution.id, models.Contribution.participant_id, models.Contribution.key,
               models.Contribution.payload, models.Contribution.created_at)
"""What a :class:`Stored` is made of (:func:`stored`): read back by :func:`rows`, and returned by
the insert of a batch whose rows the commit keeps (facilitation/contributions.py)."""
_ROWS = (  # built once: constructing the statement per call cost more than SQLite's read
    select(*ROW_COLUMNS)
    .where(models.Contribution.step_id == bindparam("step_id"), models.Contribution.round == bindparam("round"),
           models.Contribution.id > bindparam("after"))
    .order_by(models.Contribution.id)
)
_OWN_ROWS = _ROWS.where(models.Contribution.participant_id == bindparam("participant_id"))


def rows(
    orm: OrmSession | Connection, step_id: int, round_: int, participant_id: int | None = None, after: int = 0
) -> list[Stored]:
    """The round's contributions in commit order; ``after``: only those with a higher id."""
    params: dict[str, int] = {"step_id": step_id, "round": round_, "after": after}
    if participant_id is not None:
        params["participant_id"] = participant_id
    found = orm.execute(_ROWS if participant_id is None else _OWN_ROWS, params)
    return [stored(r) for r in found]


def stored(r: Sequence[Any]) -> Stored:
    """A row of :data:`ROW_COLUMNS` as the methods see it."""
    return Stored(seq=r[0], participant=str(r[1]), key=r[2], value=r[3], at=r[4].isoformat(timespec="seconds"))


def decisions(orm: OrmSession, step_id: int, round_: int | None = None) -> list[models.Decision]:
    """A step's moderator decisions in the order they were taken (one round, or all)."""
    stmt = select(models.Decision).where(models.Decision.step_id == step_id)
    if round_ is not None:
        stmt = stmt.where(models.Decision.round == round_)
    return list(orm.execute(stmt.order_by(models.Decision.id)).scalars())


REMOVED_COMMAND = PARTICIPANT_REMOVED


def as_decisions(rows: list[models.Decision]) -> tuple[Decision, ...]:
    """A round's decisions as the method's engine sees them: its own commands only."""
    return tuple(Decision(seq=r.id, command=r.command, payload=dict(r.payload or {}), round=r.round,
                          after=r.after or 0, actor=r.actor,
                          at=r.created_at.isoformat(timespec="seconds")) for r in rows
                 if r.command != REMOVED_COMMAND)


def last_contribution(orm: OrmSession, step_id: int) -> int:
    """The step's highest contribution id (0 without any): a decision's ``after`` watermark."""
    stmt = select(func.max(models.Contribution.id)).where(models.Contribution.step_id == step_id)
    return int(orm.execute(stmt).scalar() or 0)


_ROUND_DECISIONS = (
    select(models.Decision.id, models.Decision.command, models.Decision.payload, models.Decision.round,
           models.Decision.after, models.Decision.actor, models.Decision.created_at)
    .where(models.Decision.step_id == bindparam("step_id"), models.Decision.round == bindparam("round"),
           models.Decision.command != REMOVED_COMMAND)
    .order_by(models.Decision.id)
)
"""Built once: the statement built per call (``decisions``) cost each delivery of a method with
commands (materiality) ~0.1 ms of SQLAlchemy's construction and cache-key work beside the query."""


def round_decisions(conn: OrmSession | Connection, step_id: int, round_: int) -> tuple[Decision, ...]:
    """A round's decisions as the method's engine sees them (its own commands only): on the commit
    path's Core connection (a decision committed before an input is always seen) and for each
    delivery's live tally (``as_decisions(decisions(...))`` without ORM objects)."""
    found = conn.execute(_ROUND_DECISIONS, {"step_id": step_id, "round": round_})
    return tuple(Decision(seq=r[0], command=r[1], payload=dict(r[2] or {}), round=r[3], after=r[4] or 0,
                          actor=r[5], at=r[6].isoformat(timespec="seconds")) for r in found)


def participant_count(orm: OrmSession, session_id: int) -> int:
    """The people in the session: neither waiting for the moderator's OK nor removed."""
    stmt = select(func.count()).select_from(models.Participant).where(
        models.Participant.session_id == session_id, models.Participant.status == ParticipantStatus.IN)
    return int(orm.execute(stmt).scalar_one())


def not_counted(orm: OrmSession, session_id: int) -> dict[int, str]:
    """Participants waiting for the moderator's OK or removed by the moderator: id -> status.
    Usually none, so the live state pays one query that returns nothing."""
    stmt = select(models.Participant.id, models.Participant.status).where(
        models.Participant.session_id == session_id, models.Participant.status != ParticipantStatus.IN)
    return dict(orm.execute(stmt).tuples().all())


_REMOVED_OF_STEP = select(models.Participant.id).join(
    models.Step, models.Step.session_id == models.Participant.session_id).where(
    models.Step.id == bindparam("step_id"), models.Participant.status == ParticipantStatus.REMOVED)


def removed_of_step(conn: OrmSession | Connection, step_id: int) -> frozenset[str]:
    """:func:`removed_ids` of the step's session in one prebuilt query (a phone's next task)."""
    return frozenset(str(pid) for pid in conn.execute(_REMOVED_OF_STEP, {"step_id": step_id}).scalars())


def removed_ids(orm: OrmSession, session_id: int) -> frozenset[str]:
    """Participants the moderator removed, as ``Stored.participant`` names them: their inputs
    stay stored (append-only) but count in no tally from the removal on."""
    stmt = select(models.Participant.id).where(
        models.Participant.session_id == session_id, models.Participant.status == ParticipantStatus.REMOVED)
    return frozenset(str(pid) for pid in orm.execute(stmt).scalars())


def participant_names(orm: OrmSession, session_id: int) -> dict[str, str]:
    """The names participants gave, by pseudonym (as ``Stored.participant`` writes it); removed
    participants count nowhere, so their names go nowhere either."""
    stmt = select(models.Participant.id, models.Participant.name).where(
        models.Participant.session_id == session_id, models.Participant.status != ParticipantStatus.REMOVED,
        models.Participant.name.is_not(None))
    return {str(pid): name for pid, name in orm.execute(stmt).tuples() if name}


def counted(casts: list[Cast], removed: frozenset[str]) -> list[Cast]:
    """The inputs that count: without those of removed participants."""
    return [c for c in casts if c.participant not in removed] if removed else casts


def active_participant_count(orm: OrmSession, session_id: int) -> int:
    stmt = (
        select(func.count(func.distinct(models.Contribution.participant_id)))
        .join(models.Step, models.Step.id == models.Contribution.step_id)
        .join(models.Participant, models.Participant.id == models.Contribution.participant_id)
        .where(models.Step.session_id == session_id, models.Participant.status == ParticipantStatus.IN)
    )
    return int(orm.execute(stmt).scalar_one())


def all_contributions(orm: OrmSession, session_id: int) -> list[dict[str, Any]]:
    stmt = (
        select(models.Contribution, models.Step.position, models.Step.method, models.Participant.name,
               models.Participant.status)
        .join(models.Step, models.Step.id == models.Contribution.step_id)
        .join(models.Participant, models.Participant.id == models.Contribution.participant_id)
        .where(models.Step.session_id == session_id)
        .order_by(models.Contribution.id)
    )
    out = []
    for c, position, method, name, status in orm.execute(stmt):
        out.append(
            {
                "id": c.id,
                "step": position + 1,
                "step_id": c.step_id,
                "method": method,
                "round": c.round,
                "participant": c.participant_id,
                "name": name,
                "key": c.key,
                "payload": c.payload,
                "created_at": c.created_at.isoformat(timespec="seconds"),
                # a removed participant's inputs stay in the raw data, marked: no result counts them
                "counted": status != ParticipantStatus.REMOVED,
            }
        )
    return out

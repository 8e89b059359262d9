"""Queries and appends that more than one facilitation module needs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import selectinload

from methods.base import Decision, Entry, Stored
from sessions import models


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


def rows(
    orm: OrmSession, step_id: int, round_: int, participant_id: int | None = None, after: int = 0
) -> list[Stored]:
    """The round's contributions in commit order; ``after``: only those with a higher id."""
    stmt = select(
        models.Contribution.id,
        models.Contribution.participant_id,
        models.Contribution.key,
        models.Contribution.payload,
        models.Contribution.created_at,
    ).where(models.Contribution.step_id == step_id, models.Contribution.round == round_)
    if participant_id is not None:
        stmt = stmt.where(models.Contribution.participant_id == participant_id)
    if after:
        stmt = stmt.where(models.Contribution.id > after)
    stmt = stmt.order_by(models.Contribution.id)
    return [Stored(seq=r[0], participant=str(r[1]), key=r[2], value=r[3], at=r[4].isoformat(timespec="seconds"))
            for r in orm.execute(stmt)]


def decisions(orm: OrmSession, step_id: int, round_: int | None = None) -> list[models.Decision]:
    """A step's moderator decisions in the order they were taken (one round, or all)."""
    stmt = select(models.Decision).where(models.Decision.step_id == step_id)
    if round_ is not None:
        stmt = stmt.where(models.Decision.round == round_)
    return list(orm.execute(stmt.order_by(models.Decision.id)).scalars())


def as_decisions(rows: list[models.Decision]) -> tuple[Decision, ...]:
    return tuple(Decision(seq=r.id, command=r.command, payload=dict(r.payload or {}), round=r.round,
                          at=r.created_at.isoformat(timespec="seconds")) for r in rows)


def participant_count(orm: OrmSession, session_id: int) -> int:
    stmt = select(func.count()).select_from(models.Participant).where(models.Participant.session_id == session_id)
    return int(orm.execute(stmt).scalar_one())


def active_participant_count(orm: OrmSession, session_id: int) -> int:
    stmt = (
        select(func.count(func.distinct(models.Contribution.participant_id)))
        .join(models.Step, models.Step.id == models.Contribution.step_id)
        .where(models.Step.session_id == session_id)
    )
    return int(orm.execute(stmt).scalar_one())


def all_contributions(orm: OrmSession, session_id: int) -> list[dict[str, Any]]:
    stmt = (
        select(models.Contribution, models.Step.position, models.Step.method, models.Participant.name)
        .join(models.Step, models.Step.id == models.Contribution.step_id)
        .join(models.Participant, models.Participant.id == models.Contribution.participant_id)
        .where(models.Step.session_id == session_id)
        .order_by(models.Contribution.id)
    )
    out = []
    for c, position, method, name in orm.execute(stmt):
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
            }
        )
    return out

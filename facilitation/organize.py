"""Creating, editing, listing and deleting sessions (the organizer's and moderator's desk)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError

from facilitation import access, security
from facilitation.agenda import AgendaSpec, StepSpec, config_problems, document
from facilitation.context import Context
from facilitation.snapshots import Created, SessionInfo
from methods.errors import InvalidContribution, InvalidTransition, NotFound
from sessions import models, store
from sessions.states import ParticipantStatus, SessionState, StepState


@dataclass(frozen=True)
class SessionSummary:
    id: int
    title: str
    date: str
    place: str
    state: str
    participants: int
    steps: int
    created_at: datetime
    ended_at: datetime | None


def create_session(ctx: Context, spec: AgendaSpec) -> Created:
    secret = access.link_secret(ctx)  # before the write transaction, which it may have to make
    for _attempt in range(20):
        code = security.new_join_code()
        try:
            with ctx.db.transaction() as orm:
                row = models.Session(
                    title=spec.title, date=spec.date, place=spec.place, moderator=spec.moderator,
                    language=spec.language, names=spec.names, join_code=code,
                    admission=spec.admission, head_count=spec.head_count,
                    key_salt=security.new_salt(), moderator_key_hash="", projector_key_hash="",
                    state=SessionState.PLANNED, created_at=ctx.clock(),
                )
                row.steps = [
                    models.Step(position=i, method=s.method, title=s.title, config=s.config,
                                results_visible=False)
                    for i, s in enumerate(spec.steps)
                ]
                orm.add(row)
                orm.flush()
                keys = access.issue_keys(secret, row)
                if row.steps:
                    row.current_step_id = row.steps[0].id
                session_id = row.id
            return Created(get_session(ctx, session_id), keys.moderator, keys.projector)
        except IntegrityError:
            continue  # join code collision: draw again
    raise RuntimeError("could not draw a free join code")


def get_session(ctx: Context, session_id: int) -> SessionInfo:
    with ctx.db.session() as orm:
        row = store.load_session(orm, session_id)
        if row is None:
            raise NotFound("session_not_found", session=session_id)
        return SessionInfo.of(row, store.current_round_configs(orm, session_id))


def _step_specs(info: SessionInfo) -> list[StepSpec]:
    return [StepSpec(method=s.method, title=s.title, config=s.raw_config) for s in info.steps]


def agenda_document(ctx: Context, session_id: int) -> dict[str, Any]:
    info = get_session(ctx, session_id)
    return document(
        title=info.title, date=info.date, place=info.place, moderator=info.moderator,
        language=info.language, names=info.names, steps=_step_specs(info),
        admission=info.admission, head_count=info.head_count,
    )


def list_sessions(
    ctx: Context, text: str = "", date_from: str = "", date_to: str = ""
) -> list[SessionSummary]:
    with ctx.db.session() as orm:
        participants = (  # the people in it: not those waiting for an OK or removed
            select(models.Participant.session_id, func.count().label("n"))
            .where(models.Participant.status == ParticipantStatus.IN)
            .group_by(models.Participant.session_id).subquery()
        )
        steps = (
            select(models.Step.session_id, func.count().label("n"))
            .group_by(models.Step.session_id).subquery()
        )
        stmt = (
            select(models.Session, func.coalesce(participants.c.n, 0), func.coalesce(steps.c.n, 0))
            .outerjoin(participants, participants.c.session_id == models.Session.id)
            .outerjoin(steps, steps.c.session_id == models.Session.id)
            .order_by(models.Session.date.desc(), models.Session.id.desc())
        )
        if text.strip():
            like = f"%{text.strip().lower()}%"
            stmt = stmt.where(or_(func.lower(models.Session.title).like(like), func.lower(models.Session.place).like(like)))
        if date_from:
            stmt = stmt.where(models.Session.date >= date_from)
        if date_to:
            stmt = stmt.where(models.Session.date <= date_to)
        return [
            SessionSummary(s.id, s.title, s.date, s.place, s.state, int(p), int(n), s.created_at, s.ended_at)
            for s, p, n in orm.execute(stmt)
        ]


def delete_session(ctx: Context, session_id: int) -> None:
    """Remove the session and everything recorded in it (contributions, photos, participants)."""
    with ctx.db.transaction() as orm:
        row = orm.get(models.Session, session_id)
        if row is None:
            raise NotFound("session_not_found", session=session_id)
        step_ids = select(models.Step.id).where(models.Step.session_id == session_id)
        orm.execute(delete(models.Contribution).where(models.Contribution.step_id.in_(step_ids)))
        orm.execute(delete(models.Decision).where(models.Decision.session_id == session_id))
        orm.execute(delete(models.Attachment).where(models.Attachment.session_id == session_id))
        orm.execute(delete(models.StepRound).where(models.StepRound.step_id.in_(step_ids)))
        orm.execute(delete(models.Participant).where(models.Participant.session_id == session_id))
        orm.execute(delete(models.VotingCard).where(models.VotingCard.session_id == session_id))
        orm.execute(delete(models.Participant).where(models.Participant.session_id == session_id))
        orm.execute(delete(models.Step).where(models.Step.session_id == session_id))
        orm.delete(row)
    # secure_delete has zeroed the rows in the database file; the WAL still holds their last
    # copies until it is checkpointed and truncated
    ctx.db.forget_deleted()


def _last_sign_of_life(row: models.Session, seen: datetime | None) -> datetime:
    """When a session was last in use: its end; for one that never ended, the latest of its
    creation, start, a participant's last visit and the end of its planned day (a session
    prepared for a date ahead is kept until that day has passed)."""
    if row.ended_at is not None:
        return row.ended_at
    moments = [row.created_at, *(m for m in (row.started_at, seen) if m is not None)]
    try:
        moments.append(datetime.fromisoformat(row.date) + timedelta(days=1))
    except ValueError:
        pass  # no date given (or not a date): the other moments decide
    return max(moments)


def expired_ids(ctx: Context, retention_days: int) -> list[int]:
    """Sessions last in use more than ``retention_days`` ago (what a retention run deletes):
    ended ones counted from their end, and those nobody ended from their last sign of life."""
    cutoff = ctx.clock() - timedelta(days=retention_days)
    with ctx.db.session() as orm:
        seen = dict(orm.execute(select(models.Participant.session_id, func.max(models.Participant.last_seen_at))
                                .group_by(models.Participant.session_id)).tuples().all())
        rows = orm.execute(select(models.Session)).scalars().all()
        return sorted(row.id for row in rows if _last_sign_of_life(row, seen.get(row.id)) < cutoff)


def delete_expired(ctx: Context, retention_days: int) -> list[int]:
    """Retention: delete sessions last in use more than ``retention_days`` ago."""
    ids = expired_ids(ctx, retention_days)
    for sid in ids:
        delete_session(ctx, sid)
    return ids


def update_details(ctx: Context, session_id: int, **fields: str) -> SessionInfo:
    allowed = {"title", "date", "place", "moderator", "language", "names"}
    with ctx.db.transaction() as orm:
        row = orm.get(models.Session, session_id)
        if row is None:
            raise NotFound("session_not_found", session=session_id)
        for key, value in fields.items():
            if key not in allowed:
                raise InvalidContribution("unknown_field", field=key)
            if key == "title" and not value.strip():
                raise InvalidContribution("title_required")
            if key == "names" and value not in ("none", "optional", "required"):
                raise InvalidContribution("unknown_field", field=key)
            setattr(row, key, value.strip())
    ctx.hub.publish(session_id)
    return get_session(ctx, session_id)


def _check_config(method: str, config: dict[str, Any]) -> None:
    problems = config_problems(method, config, "config")
    if problems:
        raise InvalidContribution("config_invalid", problems=problems)


def add_step(ctx: Context, session_id: int, method: str, title: str, config: dict[str, Any]) -> int:
    _check_config(method, config)
    with ctx.db.transaction() as orm:
        row = store.load_session(orm, session_id)
        if row is None:
            raise NotFound("session_not_found", session=session_id)
        step = models.Step(position=len(row.steps), method=method, title=title.strip() or method,
                           config=config, results_visible=False)
        row.steps.append(step)
        orm.flush()
        if row.current_step_id is None:
            row.current_step_id = step.id
        step_id = step.id
    ctx.hub.publish(session_id)
    return step_id


def update_step(ctx: Context, step_id: int, title: str, config: dict[str, Any]) -> None:
    """Edit a step that is not running (draft, or closed before the next round)."""
    with ctx.db.transaction() as orm:
        step = orm.get(models.Step, step_id)
        if step is None:
            raise NotFound("step_not_found", step=step_id)
        if step.state == StepState.OPEN:
            raise InvalidTransition("step_open_cannot_edit", step=step.position + 1)
        _check_config(step.method, config)
        step.title = title.strip() or step.method
        step.config = config
        session_id = step.session_id
    ctx.hub.publish(session_id)


def move_step(ctx: Context, step_id: int, offset: int) -> None:
    with ctx.db.transaction() as orm:
        step = orm.get(models.Step, step_id)
        if step is None:
            raise NotFound("step_not_found", step=step_id)
        row = store.load_session(orm, step.session_id)
        assert row is not None
        ordered = list(row.steps)
        i = ordered.index(step)
        j = max(0, min(len(ordered) - 1, i + offset))
        ordered.insert(j, ordered.pop(i))
        for pos, s in enumerate(ordered):
            s.position = pos
        session_id = step.session_id
    ctx.hub.publish(session_id)


def remove_step(ctx: Context, step_id: int) -> None:
    """Only a step nobody has contributed to can go: recorded input is never thrown away."""
    with ctx.db.transaction() as orm:
        step = orm.get(models.Step, step_id)
        if step is None:
            raise NotFound("step_not_found", step=step_id)
        used = orm.execute(select(func.count()).select_from(models.Contribution)
                           .where(models.Contribution.step_id == step_id)).scalar_one() or \
            orm.execute(select(func.count()).select_from(models.Decision)
                        .where(models.Decision.step_id == step_id)).scalar_one()
        if used:
            raise InvalidTransition("step_has_contributions", step=step.position + 1)
        session_id = step.session_id
        row = store.load_session(orm, session_id)
        assert row is not None
        remaining = [s for s in row.steps if s.id != step_id]
        if row.current_step_id == step_id:
            row.current_step_id = remaining[0].id if remaining else None
        orm.delete(step)
        orm.flush()
        for pos, s in enumerate(remaining):
            s.position = pos
    ctx.hub.publish(session_id)


RETENTION_SETTING = "retention_days"


def retention_days(ctx: Context) -> int | None:
    with ctx.db.session() as orm:
        row = orm.get(models.Setting, RETENTION_SETTING)
        return int(row.value) if row and row.value else None


def set_retention_days(ctx: Context, days: int | None) -> None:
    """Off (None) by default; when set, sessions last in use longer ago are deleted automatically."""
    if days is not None and not 1 <= days <= 3650:
        raise InvalidContribution("retention_out_of_range")
    with ctx.db.transaction() as orm:
        orm.merge(models.Setting(key=RETENTION_SETTING, value=str(days) if days else ""))


def apply_retention(ctx: Context) -> list[int]:
    days = retention_days(ctx)
    return delete_expired(ctx, days) if days else []

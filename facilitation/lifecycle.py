"""Step lifecycle: draft → open → closed; opening a closed step starts the next round.

One function per transition, each with its guard clause first. Closing stores the result
snapshot of the round; closing a closed step is harmless (the moderator double-clicked).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session as OrmSession

from facilitation import items
from facilitation.context import Context
from methods.base import latest
from methods.errors import InvalidContribution, InvalidTransition, NotFound
from methods.registry import engine
from sessions import models, store
from sessions.states import SessionState, StepState

MAX_TIMER_SECONDS = 4 * 3600


def _step(orm: OrmSession, step_id: int) -> models.Step:
    step = orm.get(models.Step, step_id, with_for_update=True)
    if step is None:
        raise NotFound("step_not_found", step=step_id)
    return step


def _round_row(orm: OrmSession, step: models.Step) -> models.StepRound | None:
    return next((r for r in step.rounds if r.round == step.round), None)


def tally_round(orm: OrmSession, step: models.Step, round_: int, config: dict[str, Any]) -> dict[str, Any]:
    casts = latest(store.rows(orm, step.id, round_))
    participants = store.participant_count(orm, step.session_id)
    method = engine(step.method)
    decisions = store.as_decisions(store.decisions(orm, step.id, round_)) if method.commands else ()
    result: dict[str, Any] = method.tally(
        method.parse_config(config), casts, participants, decisions).model_dump(mode="json")
    return result


def open_step(ctx: Context, step_id: int) -> None:
    now = ctx.clock()
    with ctx.db.transaction() as orm:
        step = _step(orm, step_id)
        if step.state == StepState.OPEN:
            raise InvalidTransition("step_already_open", step=step.position + 1)
        if step.session.state == SessionState.ENDED:
            raise InvalidTransition("session_ended", title=step.session.title)
        config = items.resolve(step, dict(step.config))  # refused before anything changes
        if step.state == StepState.CLOSED:
            step.round += 1  # reopening = the next round, earlier rounds stay as they were
            step.results_visible = False
            step.shown_detail = None
        step.state = StepState.OPEN
        step.opened_at, step.closed_at = now, None
        step.rounds.append(models.StepRound(round=step.round, config=config, opened_at=now))
        session = step.session
        session.current_step_id = step.id
        if session.state == SessionState.PLANNED:
            session.state, session.started_at = SessionState.LIVE, now
        session_id = session.id
    ctx.hub.publish(session_id)


def close_step(ctx: Context, step_id: int) -> None:
    now = ctx.clock()
    with ctx.db.transaction() as orm:
        step = _step(orm, step_id)
        if step.state == StepState.CLOSED:
            return  # closing twice is harmless
        if step.state == StepState.DRAFT:
            raise InvalidTransition("step_not_open", step=step.position + 1)
        row = _round_row(orm, step)
        if row is None:  # defensive: a round row is created on open
            row = models.StepRound(round=step.round, config=dict(step.config), opened_at=step.opened_at or now)
            step.rounds.append(row)
        step.state, step.closed_at = StepState.CLOSED, now
        orm.flush()  # closed before the tally, in the same locked transaction
        row.result = tally_round(orm, step, step.round, row.config)
        row.closed_at = now
        session_id = step.session_id
    ctx.hub.publish(session_id)


def set_results_visible(ctx: Context, step_id: int, visible: bool) -> None:
    with ctx.db.transaction() as orm:
        step = _step(orm, step_id)
        if visible and step.state == StepState.DRAFT:
            raise InvalidTransition("step_not_open", step=step.position + 1)  # nothing to reveal yet
        step.results_visible = visible
        if not visible:
            step.shown_detail = None  # a hidden result shows no part of itself either
        session_id = step.session_id
    ctx.hub.publish(session_id)


def reveal(ctx: Context, step_id: int) -> None:
    set_results_visible(ctx, step_id, True)


def hide(ctx: Context, step_id: int) -> None:
    set_results_visible(ctx, step_id, False)


MAX_DETAIL_CHARS = 60


def show_detail(ctx: Context, step_id: int, detail: str | None) -> None:
    """What the moderator opens to discuss (one option's distribution of resistance, …), shown on
    the console and the projector alike; None goes back to the result. Only a revealed result
    can show a detail of itself."""
    if detail is not None and not 0 < len(detail) <= MAX_DETAIL_CHARS:
        raise InvalidContribution("detail_invalid", max=MAX_DETAIL_CHARS)
    with ctx.db.transaction() as orm:
        step = _step(orm, step_id)
        if detail is not None and not step.results_visible:
            raise InvalidTransition("detail_results_hidden", step=step.position + 1)
        if step.shown_detail == detail:
            return  # a double click
        step.shown_detail = detail
        session_id = step.session_id
    ctx.hub.publish(session_id)


def _leave(session: models.Session) -> None:
    """Moving on closes what the step being left had opened: coming back shows its result."""
    for step in session.steps:
        if step.id == session.current_step_id:
            step.shown_detail = None


def goto_step(ctx: Context, session_id: int, step_id: int) -> None:
    with ctx.db.transaction() as orm:
        step = _step(orm, step_id)
        if step.session_id != session_id:
            raise NotFound("step_not_found", step=step_id)
        _leave(step.session)
        step.session.current_step_id = step.id
    ctx.hub.publish(session_id)


def move(ctx: Context, session_id: int, offset: int) -> None:
    """Previous / next step: only navigation; opening stays an explicit click."""
    with ctx.db.transaction() as orm:
        session = store.load_session(orm, session_id)
        if session is None:
            raise NotFound("session_not_found", session=session_id)
        ids = [s.id for s in session.steps]
        if not ids:
            raise InvalidTransition("no_steps")
        i = ids.index(session.current_step_id) if session.current_step_id in ids else 0
        j = i + offset
        if not 0 <= j < len(ids):
            raise InvalidTransition("no_more_steps")
        _leave(session)
        session.current_step_id = ids[j]
    ctx.hub.publish(session_id)


def set_timer(ctx: Context, session_id: int, seconds: int | None) -> None:
    """A countdown shown on console, projector and phones; None or 0 stops it."""
    if seconds is not None and not 0 <= seconds <= MAX_TIMER_SECONDS:
        raise InvalidContribution("timer_out_of_range", max=MAX_TIMER_SECONDS // 60)
    with ctx.db.transaction() as orm:
        session = orm.get(models.Session, session_id)
        if session is None:
            raise NotFound("session_not_found", session=session_id)
        session.timer_ends_at = ctx.clock() + timedelta(seconds=seconds) if seconds else None
    ctx.hub.publish(session_id)


def end_session(ctx: Context, session_id: int) -> None:
    """Close every open step (snapshots taken) and mark the session ended."""
    with ctx.db.session() as orm:
        session = store.load_session(orm, session_id)
        if session is None:
            raise NotFound("session_not_found", session=session_id)
        if session.state == SessionState.ENDED:
            return
        open_ids = [s.id for s in session.steps if s.state == StepState.OPEN]
    for step_id in open_ids:
        close_step(ctx, step_id)
    with ctx.db.transaction() as orm:
        row = orm.get(models.Session, session_id)
        assert row is not None
        now = ctx.clock()
        row.state, row.ended_at, row.timer_ends_at = SessionState.ENDED, now, None
        if row.started_at is None:
            row.started_at = now
    ctx.hub.publish(session_id)


def reopen_session(ctx: Context, session_id: int) -> None:
    with ctx.db.transaction() as orm:
        row = orm.get(models.Session, session_id)
        if row is None:
            raise NotFound("session_not_found", session=session_id)
        if row.state != SessionState.ENDED:
            raise InvalidTransition("session_not_ended")
        row.state, row.ended_at = SessionState.LIVE, None
    ctx.hub.publish(session_id)

"""Step lifecycle: draft → open → closed; opening a closed step starts the next round.

One function per transition, each with its guard clause first. Closing stores the result
snapshot of the round; closing a closed step is harmless (the moderator double-clicked).

The timer belongs to the step it was set for (``Session.timer_step_id``): showing another step
drops it, closing its step stops a running countdown, and a timer that has run out says so ("Zeit
ist um") until the moderator moves on. With ``close_step`` the step closes itself at zero: the
scheduler (facilitation/timers.py) calls :func:`close_when_time_is_up`, which closes through the
same code as the close button, so the result snapshot is taken. After every commit that touches
the timer, its pending close is re-armed or cancelled (``_arm``), and the hub told.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session as OrmSession

from facilitation import items
from facilitation.context import Context
from methods.base import latest
from methods.errors import InvalidContribution, InvalidTransition, NotFound
from methods.registry import engine
from sessions import models, store
from sessions.states import Admission, SessionState, StepState

MAX_TIMER_SECONDS = 4 * 3600


def _step(orm: OrmSession, step_id: int) -> models.Step:
    step = orm.get(models.Step, step_id, with_for_update=True)
    if step is None:
        raise NotFound("step_not_found", step=step_id)
    return step


def _round_row(orm: OrmSession, step: models.Step) -> models.StepRound | None:
    return next((r for r in step.rounds if r.round == step.round), None)


def tally_round(orm: OrmSession, step: models.Step, round_: int, config: dict[str, Any]) -> dict[str, Any]:
    casts = store.counted(latest(store.rows(orm, step.id, round_)), store.removed_ids(orm, step.session_id))
    participants = store.participant_count(orm, step.session_id)
    method = engine(step.method)
    decisions = store.as_decisions(store.decisions(orm, step.id, round_)) if method.commands else ()
    result: dict[str, Any] = method.tally(
        method.parse_config(config), casts, participants, decisions).model_dump(mode="json")
    return result


def _drop_timer(session: models.Session) -> None:
    session.timer_ends_at, session.timer_step_id, session.timer_closes_step = None, None, False


def _show(session: models.Session, step_id: int) -> None:
    """Bring a step on screen; a timer set for another step goes (with its scheduled close)."""
    if session.timer_ends_at is not None and session.timer_step_id != step_id:
        _drop_timer(session)
    session.current_step_id = step_id


def _closes_in(session: models.Session, now: datetime) -> float | None:
    """Seconds until the timer closes its step (≤ 0: overdue), None if it closes nothing."""
    if not session.timer_closes_step or session.timer_ends_at is None:
        return None
    return (session.timer_ends_at - now).total_seconds()


def _arm(ctx: Context, session_id: int, closes_in: float | None) -> None:
    """After the commit: the session's scheduled close follows what was stored."""
    ctx.timers.schedule(session_id, closes_in)


def open_step(ctx: Context, step_id: int) -> None:
    now = ctx.clock()
    with ctx.db.transaction() as orm:
        step = _step(orm, step_id)
        if step.state == StepState.OPEN:
            raise InvalidTransition("step_already_open", step=step.position + 1)
        if step.session.state == SessionState.ENDED:
            raise InvalidTransition("session_ended", title=step.session.title)
        config = items.resolve(step, dict(step.config))  # refused before anything changes
        # a method whose result the room watches grow (a constellation) opens revealed
        declared = engine(step.method)
        shown = not declared.results_hidden_by_default or not declared.revealable
        if step.state == StepState.CLOSED:
            step.round += 1  # reopening = the next round, earlier rounds stay as they were
            step.results_visible = shown
            step.shown_detail = None
        elif shown:
            step.results_visible = True
        step.state = StepState.OPEN
        step.opened_at, step.closed_at = now, None
        step.rounds.append(models.StepRound(round=step.round, config=config, opened_at=now))
        session = step.session
        _show(session, step.id)
        if session.timer_ends_at is not None and session.timer_ends_at <= now:
            _drop_timer(session)  # a new round does not start with "time is up"
        if session.state == SessionState.PLANNED:
            session.state, session.started_at = SessionState.LIVE, now
            if session.admission == Admission.CLOSED_AFTER_START:
                session.joining_closed = True  # from now on, late joiners wait for the moderator's OK
        session_id, closes_in = session.id, _closes_in(session, now)
    _arm(ctx, session_id, closes_in)
    ctx.hub.publish(session_id)


def close_step(ctx: Context, step_id: int) -> None:
    now = ctx.clock()
    with ctx.db.transaction() as orm:
        step = _step(orm, step_id)
        if step.state == StepState.CLOSED:
            return  # closing twice is harmless
        if step.state == StepState.DRAFT:
            raise InvalidTransition("step_not_open", step=step.position + 1)
        _close(orm, step, now)
        session_id, closes_in = step.session_id, _closes_in(step.session, now)
    _arm(ctx, session_id, closes_in)
    ctx.hub.publish(session_id)


def _close(orm: OrmSession, step: models.Step, now: datetime) -> None:
    """Close an open step and take its round's snapshot (the close button's and the timer's)."""
    session = step.session
    if session.timer_step_id == step.id:
        if session.timer_ends_at is not None and session.timer_ends_at > now:
            _drop_timer(session)  # a running countdown stops with its step
        else:
            session.timer_closes_step = False  # run out: "time is up" stays until moving on
    row = _round_row(orm, step)
    if row is None:  # defensive: a round row is created on open
        row = models.StepRound(round=step.round, config=dict(step.config), opened_at=step.opened_at or now)
        step.rounds.append(row)
    step.state, step.closed_at = StepState.CLOSED, now
    orm.flush()  # closed before the tally, in the same locked transaction
    row.result = tally_round(orm, step, step.round, row.config)
    row.closed_at = now


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
    now = ctx.clock()
    with ctx.db.transaction() as orm:
        step = _step(orm, step_id)
        if step.session_id != session_id:
            raise NotFound("step_not_found", step=step_id)
        _leave(step.session)
        _show(step.session, step.id)
        closes_in = _closes_in(step.session, now)
    _arm(ctx, session_id, closes_in)
    ctx.hub.publish(session_id)


def move(ctx: Context, session_id: int, offset: int) -> None:
    """Previous / next step: only navigation; opening stays an explicit click."""
    now = ctx.clock()
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
        _show(session, ids[j])
        closes_in = _closes_in(session, now)
    _arm(ctx, session_id, closes_in)
    ctx.hub.publish(session_id)


def set_timer(ctx: Context, session_id: int, seconds: int | None, close_step: bool = False) -> None:
    """A countdown for the current step, shown on console, projector and phones while that step
    is on screen; None or 0 stops it. ``close_step``: the step closes itself when the time is up
    (only for an open step). Setting a timer replaces the one before, with its scheduled close."""
    if seconds is not None and not 0 <= seconds <= MAX_TIMER_SECONDS:
        raise InvalidContribution("timer_out_of_range", max=MAX_TIMER_SECONDS // 60)
    now = ctx.clock()
    with ctx.db.transaction() as orm:
        session = orm.get(models.Session, session_id)
        if session is None:
            raise NotFound("session_not_found", session=session_id)
        step = orm.get(models.Step, session.current_step_id) if session.current_step_id is not None else None
        if seconds and session.state == SessionState.ENDED:
            raise InvalidTransition("session_ended", title=session.title)
        if seconds and step is None:
            raise InvalidTransition("no_steps")
        if seconds and close_step and step is not None and step.state != StepState.OPEN:
            raise InvalidTransition("timer_close_needs_open_step", step=step.position + 1)
        if seconds and step is not None:
            session.timer_ends_at, session.timer_step_id = now + timedelta(seconds=seconds), step.id
            session.timer_closes_step = close_step
        else:
            _drop_timer(session)
        closes_in = _closes_in(session, now)
    _arm(ctx, session_id, closes_in)
    ctx.hub.publish(session_id)


def close_when_time_is_up(ctx: Context, session_id: int) -> float | None:
    """The scheduled end of a timer set with ``close_step``: closes its step like the close
    button (snapshot taken) if the timer still asks for it and its time is up. Does nothing if the
    timer was stopped or changed or its step closed otherwise meanwhile; returns the seconds still
    left when called early (the scheduler waits again), else None."""
    now = ctx.clock()
    with ctx.db.transaction() as orm:
        session = orm.get(models.Session, session_id)
        if session is None:
            return None  # deleted meanwhile
        closes_in = _closes_in(session, now)
        if closes_in is None:
            return None  # stopped, changed to a plain countdown, or its step closed otherwise
        if closes_in > 0:
            return closes_in
        step = orm.get(models.Step, session.timer_step_id) if session.timer_step_id is not None else None
        session.timer_closes_step = False
        if step is not None and step.state == StepState.OPEN:
            _close(orm, step, now)
    ctx.hub.publish(session_id)
    return None


def resume_timers(ctx: Context) -> list[int]:
    """At server start: close the steps whose timer ran out while the server was down, re-arm the
    closes still to come. Returns the sessions whose timer closes a step."""
    now = ctx.clock()
    with ctx.db.session() as orm:
        pending = {row.id: _closes_in(row, now) for row in store.sessions_with_closing_timer(orm)}
    for session_id, closes_in in pending.items():
        if closes_in is not None and closes_in <= 0:
            close_when_time_is_up(ctx, session_id)
        else:
            _arm(ctx, session_id, closes_in)
    return list(pending)


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
        row.state, row.ended_at = SessionState.ENDED, now
        _drop_timer(row)
        if row.started_at is None:
            row.started_at = now
    _arm(ctx, session_id, None)
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

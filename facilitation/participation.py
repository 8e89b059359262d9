"""Joining a session from a phone and coming back after a reload or a sleeping screen."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from facilitation import security
from facilitation.context import Context
from methods.errors import InvalidContribution, InvalidTransition, NotAllowed, NotFound
from sessions import models, store
from sessions.states import SessionState

MAX_NAME = 80


@dataclass(frozen=True)
class Joined:
    session_id: int
    participant_id: int
    token: str
    name: str | None


def lookup_code(ctx: Context, code: str) -> int | None:
    """The live session behind a code, without touching the limiter. Only for recognising a
    device that already joined: a phone that slept past the reconnect window must never be
    locked out by other people's typos behind the same router."""
    with ctx.db.session() as orm:
        row = store.session_by_code(orm, security.normalise_join_code(code))
        return row.id if row is not None and row.state != SessionState.ENDED else None


def find_session_id(ctx: Context, code: str, address: str = "local") -> int:
    """Resolve a join code; unknown codes count against the address's failure budget."""
    ctx.join_limiter.check(address)
    normalised = security.normalise_join_code(code)
    if not normalised:  # nothing typed yet: say so, and it is no guess
        raise InvalidContribution("join_code_missing")
    with ctx.db.session() as orm:
        row = store.session_by_code(orm, normalised) if normalised else None
        if row is None:
            ctx.join_limiter.fail(address)
            raise NotFound("unknown_join_code", code=code[:12])
        if row.state == SessionState.ENDED:
            raise InvalidTransition("session_ended", title=row.title)
        return row.id


def _clean_name(name: str | None, policy: str) -> str | None:
    if policy == "none":
        return None
    cleaned = " ".join((name or "").split())[:MAX_NAME] or None
    if policy == "required" and not cleaned:
        raise InvalidContribution("name_required")
    return cleaned


def join(
    ctx: Context, code: str, name: str | None = None, token: str | None = None, address: str = "local"
) -> Joined:
    """Join by code. With a known device token the same participant comes back (no duplicate)."""
    session_id = find_session_id(ctx, code, address)
    return join_session(ctx, session_id, name=name, token=token)


def join_session(ctx: Context, session_id: int, name: str | None = None, token: str | None = None) -> Joined:
    token = token or security.new_key()
    token_hash = security.hash_key(token)
    now = ctx.clock()
    with ctx.db.transaction() as orm:
        session = orm.get(models.Session, session_id)
        if session is None:
            raise NotFound("session_not_found", session=session_id)
        existing = orm.execute(select(models.Participant).where(
            models.Participant.session_id == session_id,
            models.Participant.token_hash == token_hash)).scalar_one_or_none()
        if existing is not None:
            if name and session.names != "none":
                existing.name = _clean_name(name, session.names)
            existing.last_seen_at = now
            joined = Joined(session_id, existing.id, token, existing.name)
        else:
            clean = _clean_name(name, session.names)
            row = models.Participant(session_id=session_id, token_hash=token_hash, name=clean,
                                     joined_at=now, last_seen_at=now)
            orm.add(row)
            orm.flush()
            joined = Joined(session_id, row.id, token, clean)
    ctx.hub.publish(session_id)
    return joined


def resume(ctx: Context, session_id: int, token: str | None) -> Joined | None:
    """The participant behind a device token, or None if this device has not joined yet."""
    if not token:
        return None
    with ctx.db.session() as orm:
        row = orm.execute(select(models.Participant).where(
            models.Participant.session_id == session_id,
            models.Participant.token_hash == security.hash_key(token))).scalar_one_or_none()
        if row is None:
            return None
        return Joined(session_id, row.id, token, row.name)


def participant_for_token(ctx: Context, token: str | None) -> Joined:
    """API: the participant a bearer token belongs to."""
    if not token:
        raise NotAllowed("participant_token_required")
    with ctx.db.session() as orm:
        row = orm.execute(select(models.Participant).where(
            models.Participant.token_hash == security.hash_key(token))).scalar_one_or_none()
        if row is None:
            raise NotAllowed("participant_token_required")
        return Joined(row.session_id, row.id, token, row.name)


def names(ctx: Context, session_id: int, participant_ids: Iterable[str]) -> dict[str, str]:
    """The names of a few participants of a session (those who gave one), by their pseudonym
    (the participant id as ``Cast.participant`` writes it). Only for sessions that collect
    names: the caller decides whether a step may show them."""
    wanted = sorted({int(p) for p in participant_ids if p.isdigit()})
    if not wanted:
        return {}
    with ctx.db.session() as orm:
        rows = orm.execute(select(models.Participant.id, models.Participant.name).where(
            models.Participant.session_id == session_id, models.Participant.id.in_(wanted)))
        return {str(pid): name for pid, name in rows if name}

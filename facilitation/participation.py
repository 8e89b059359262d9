"""Joining a session from a phone and coming back after a reload or a sleeping screen.

Who gets in (docs/security.md, "One person, one voice"): the session's admission level decides
whether the join code alone admits a new phone; when it does not (joining closed, voting cards
only) the phone is recorded as *waiting* and the moderator lets it in or not. A phone already in
always comes back. Successful joins are counted per session and address: beyond a budget that a
full room behind one router never reaches, a join waits for the moderator's OK instead of being
let in unseen. Typed codes that are wrong count against the address (guessing); the QR code's
link carries a proof of the code and is never limited (see ``find_session_id``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from facilitation import access, security
from facilitation.context import Context
from methods.errors import InvalidContribution, InvalidTransition, NotAllowed, NotFound, RateLimited
from sessions import models, store
from sessions.states import Admission, ParticipantStatus, SessionState

MAX_NAME = 80
JOIN_BUDGET = 150
"""Successful joins per session and address in ten minutes when the head count is not known:
a room of 100 phones behind one NAT in two minutes stays well below it."""
WAITING_BUDGET = 50
"""Waiting requests per session and address in ten minutes; beyond it a join is refused (429)."""


@dataclass(frozen=True)
class Joined:
    session_id: int
    participant_id: int
    token: str
    name: str | None
    status: str = ParticipantStatus.IN
    """``in``, ``waiting`` (for the moderator's OK) or ``removed`` (by the moderator)."""


def join_limit(head_count: int | None) -> int:
    """The per-address budget of a session: half as many again as the people expected (and ten
    more), never below 30; without a head count a generous fixed one."""
    if not head_count:
        return JOIN_BUDGET
    return max(30, head_count + head_count // 2 + 10)


def code_admits(session: models.Session) -> bool:
    """Whether the join code alone lets a new phone in (the rest wait for the moderator's OK)."""
    return session.admission != Admission.CARDS and not session.joining_closed


def lookup_code(ctx: Context, code: str) -> int | None:
    """The live session behind a code, without touching the limiter. Only for recognising a
    device that already joined: a phone that slept past the reconnect window must never be
    locked out by other people's typos behind the same router."""
    with ctx.db.session() as orm:
        row = store.session_by_code(orm, security.normalise_join_code(code))
        return row.id if row is not None and row.state != SessionState.ENDED else None


def find_session_id(ctx: Context, code: str, address: str = "local", proof: str | None = None) -> int:
    """Resolve a join code. A typed code that is wrong counts against the address's failure
    budget, and once that is spent typed codes from the address are refused for a minute (no
    answer tells a guesser whether a code exists). The QR code's link carries ``proof``
    (``access.join_proof``), which only the console and the office hand out: with it the code is
    never limited, so a room behind one router always gets in by scanning, whatever one of them
    typed before."""
    normalised = security.normalise_join_code(code)
    if not normalised:  # nothing typed yet: say so, and it is no guess
        raise InvalidContribution("join_code_missing")
    scanned = bool(proof) and access.proof_matches(ctx, normalised, proof)
    if not scanned:
        ctx.join_limiter.check(address, "too_many_codes")
    with ctx.db.session() as orm:
        row = store.session_by_code(orm, normalised)
        if row is None:
            if not scanned:
                ctx.join_limiter.fail(address)
            raise NotFound("unknown_join_code", code=code[:12])
        if row.state == SessionState.ENDED:
            raise InvalidTransition("session_ended", title=row.title)
        return row.id


def clean_name(name: str | None, policy: str) -> str | None:
    if policy == "none":
        return None
    cleaned = " ".join((name or "").split())[:MAX_NAME] or None
    if policy == "required" and not cleaned:
        raise InvalidContribution("name_required")
    return cleaned


def join(
    ctx: Context, code: str, name: str | None = None, token: str | None = None, address: str = "local",
    proof: str | None = None,
) -> Joined:
    """Join by code. With a known device token the same participant comes back (no duplicate)."""
    session_id = find_session_id(ctx, code, address, proof)
    return join_session(ctx, session_id, name=name, token=token, address=address)


def join_session(ctx: Context, session_id: int, name: str | None = None, token: str | None = None,
                 address: str | None = None, admitted: bool = False) -> Joined:
    """Join or come back. A new phone is *in* if the code admits it (or ``admitted``: a voting
    card did) and its address is within the session's join budget, else *waiting*. ``address``
    None: not counted (the office's own scripts and tests)."""
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
            if name and session.names != "none" and existing.status != ParticipantStatus.REMOVED:
                existing.name = clean_name(name, session.names)
            existing.last_seen_at = now
            joined = Joined(session_id, existing.id, token, existing.name, existing.status)
            counted = None
        else:
            status = _status_for_new(ctx, session, address, admitted)
            clean = clean_name(name, session.names)
            row = models.Participant(session_id=session_id, token_hash=token_hash, name=clean,
                                     joined_at=now, last_seen_at=now, status=status)
            orm.add(row)
            orm.flush()
            joined = Joined(session_id, row.id, token, clean, status)
            counted = status
    if counted is not None and address is not None:
        ctx.join_budget.add(session_id, address, counted)
    ctx.hub.publish(session_id)
    return joined


def _status_for_new(ctx: Context, session: models.Session, address: str | None, admitted: bool) -> str:
    """In, or waiting for the moderator's OK; refused when one address piles up waiting requests."""
    status = ParticipantStatus.IN if admitted or code_admits(session) else ParticipantStatus.WAITING
    if address is None:
        return status
    if status == ParticipantStatus.IN and \
            ctx.join_budget.count(session.id, address, ParticipantStatus.IN) >= join_limit(session.head_count):
        status = ParticipantStatus.WAITING  # more joins from here than the room can hold: ask
    if status == ParticipantStatus.WAITING and \
            ctx.join_budget.count(session.id, address, ParticipantStatus.WAITING) >= WAITING_BUDGET:
        raise RateLimited("too_many_joins", seconds=int(ctx.join_budget.window))
    return status


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
        return Joined(session_id, row.id, token, row.name, row.status)


def participant_for_token(ctx: Context, token: str | None) -> Joined:
    """API: the participant a bearer token belongs to."""
    if not token:
        raise NotAllowed("participant_token_required")
    with ctx.db.session() as orm:
        row = orm.execute(select(models.Participant).where(
            models.Participant.token_hash == security.hash_key(token))).scalar_one_or_none()
        if row is None:
            raise NotAllowed("participant_token_required")
        return Joined(row.session_id, row.id, token, row.name, row.status)


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

"""The moderator's say over who is in: head count, closing the door, letting in, removing.

Without accounts a code on the beamer admits whoever has it; these are the tools a facilitator
can trust instead (docs/security.md):

- the **expected head count**: the console flags more joins than people in the room;
- **closing joining** ("Beitritt schließen", or by the session's admission level when the first
  step opens): a new phone then *waits* until the moderator lets it in or turns it away;
- **removing** a participant: their phone stops, they no longer count, and none of their inputs
  count in any result. Inputs are append-only and stay stored (marked in the raw export); every
  round they had input in gets a moderator decision ("Teilnehmende Nr. 12 entfernt, 3 Eingaben")
  that the protocol shows, and a round already closed is counted again without them.

One function per command, guard clauses first, one transaction, the room told after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session as OrmSession

from facilitation.context import Context
from facilitation.lifecycle import tally_round
from methods.errors import InvalidContribution, InvalidTransition, NotFound
from sessions import models, store
from sessions.states import Admission, ParticipantStatus

MAX_HEAD_COUNT = 5000


@dataclass(frozen=True)
class RosterEntry:
    """One participant as the moderator's list shows them."""

    id: int
    number: int
    """Their number in this session (in the order they joined): what the phone of a waiting
    participant shows, so the moderator can tell who is who without names."""
    name: str | None
    status: ParticipantStatus
    joined_at: datetime
    card: int | None
    """The voting card they joined with, if any."""
    inputs: int


@dataclass(frozen=True)
class Removed:
    participant: int
    number: int
    rounds: int
    """How many rounds had input from them (each got a decision)."""
    inputs: int


def set_admission(ctx: Context, session_id: int, *, level: str | None = None,
                  head_count: int | None | bool = False, closed: bool | None = None) -> None:
    """Change the admission level, the expected head count (None clears it; False: unchanged)
    and whether joining is closed, each only if given."""
    if level is not None and level not in tuple(Admission):
        raise InvalidContribution("admission_unknown", level=str(level)[:30])
    if head_count is not False and head_count is not None and (
            isinstance(head_count, bool) or not 1 <= head_count <= MAX_HEAD_COUNT):
        raise InvalidContribution("head_count_out_of_range", max=MAX_HEAD_COUNT)
    with ctx.db.transaction() as orm:
        row = orm.get(models.Session, session_id)
        if row is None:
            raise NotFound("session_not_found", session=session_id)
        if level is not None:
            row.admission = level
        if head_count is not False:
            row.head_count = head_count or None
        if closed is not None:
            row.joining_closed = closed
    ctx.hub.publish(session_id)


def _participant(orm: OrmSession, session_id: int, participant_id: int) -> models.Participant:
    row = orm.get(models.Participant, participant_id)
    if row is None or row.session_id != session_id:
        raise NotFound("participant_not_found", participant=participant_id)
    return row


def _number(orm: OrmSession, row: models.Participant) -> int:
    return int(orm.execute(select(func.count()).select_from(models.Participant).where(
        models.Participant.session_id == row.session_id, models.Participant.id <= row.id)).scalar_one())


def admit(ctx: Context, session_id: int, participant_id: int) -> None:
    """Let a waiting phone in (the moderator's OK)."""
    with ctx.db.transaction() as orm:
        row = _participant(orm, session_id, participant_id)
        if row.status != ParticipantStatus.WAITING:
            raise InvalidTransition("participant_not_waiting", number=_number(orm, row))
        row.status = ParticipantStatus.IN
    ctx.hub.publish(session_id)


def admit_all(ctx: Context, session_id: int) -> int:
    """Let every waiting phone in; how many."""
    with ctx.db.transaction() as orm:
        rows = orm.execute(select(models.Participant).where(
            models.Participant.session_id == session_id,
            models.Participant.status == ParticipantStatus.WAITING)).scalars().all()
        for row in rows:
            row.status = ParticipantStatus.IN
    ctx.hub.publish(session_id)
    return len(rows)


def remove(ctx: Context, session_id: int, participant_id: int, actor: str = "moderator") -> Removed:
    """Remove a participant (or turn a waiting one away): see the module's docstring."""
    now = ctx.clock()
    with ctx.db.transaction() as orm:
        row = _participant(orm, session_id, participant_id)
        number = _number(orm, row)
        if row.status == ParticipantStatus.REMOVED:
            raise InvalidTransition("participant_already_removed", number=number)
        row.status = ParticipantStatus.REMOVED
        touched = orm.execute(
            select(models.Contribution.step_id, models.Contribution.round, func.count())
            .where(models.Contribution.participant_id == participant_id)
            .group_by(models.Contribution.step_id, models.Contribution.round)).tuples().all()
        for step_id, round_, inputs in touched:
            orm.add(models.Decision(session_id=session_id, step_id=step_id, round=round_,
                                    command=store.REMOVED_COMMAND,
                                    payload={"participant": number, "inputs": int(inputs)},
                                    actor=actor, created_at=now))
        orm.flush()  # the status first: the tallies below leave them out
        for step_id, round_, _inputs in touched:
            step = orm.get(models.Step, step_id)
            assert step is not None
            round_row = next((r for r in step.rounds if r.round == round_), None)
            if round_row is not None and round_row.result is not None:  # closed: count it again
                round_row.result = tally_round(orm, step, round_, round_row.config)
        removed = Removed(participant_id, number, len(touched), sum(int(n) for _s, _r, n in touched))
    ctx.hub.publish(session_id)
    return removed


def roster(ctx: Context, session_id: int) -> list[RosterEntry]:
    """Everyone who joined, in the order they joined, with their card and how many inputs."""
    with ctx.db.session() as orm:
        if orm.get(models.Session, session_id) is None:
            raise NotFound("session_not_found", session=session_id)
        inputs = dict(orm.execute(
            select(models.Contribution.participant_id, func.count())
            .join(models.Participant, models.Participant.id == models.Contribution.participant_id)
            .where(models.Participant.session_id == session_id)
            .group_by(models.Contribution.participant_id)).tuples().all())
        cards = dict(orm.execute(
            select(models.VotingCard.participant_id, models.VotingCard.number)
            .where(models.VotingCard.session_id == session_id,
                   models.VotingCard.participant_id.is_not(None))).tuples().all())
        rows = orm.execute(select(models.Participant).where(models.Participant.session_id == session_id)
                           .order_by(models.Participant.id)).scalars().all()
        return [RosterEntry(r.id, i, r.name, ParticipantStatus(r.status), r.joined_at, cards.get(r.id),
                            int(inputs.get(r.id, 0)))
                for i, r in enumerate(rows, start=1)]


def number_of(ctx: Context, session_id: int, participant_id: int) -> int:
    """A participant's number in the session (shown on a waiting phone)."""
    with ctx.db.session() as orm:
        return _number(orm, _participant(orm, session_id, participant_id))

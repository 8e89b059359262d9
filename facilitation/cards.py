"""Printed voting cards: one QR code per seat or name badge, each admitting exactly one phone.

The strongest admission level (``Admission.CARDS``): the office prints N cards before the meeting
and hands one to each person at the door. The first phone that scans a card joins with it; the
same phone may scan it again (a reload, another tab of the same browser) and comes back as the
same participant; any other phone is refused ("Karte schon benutzt") and can only ask the
moderator. Without a card, the projected code only asks for the moderator's OK.

A card's secret is derived (HMAC) from the instance's link secret, the session's salt and the
card's number, like the session's links: printing the cards again gives the same cards, and only
the hash is stored (to find the card when it is scanned). The binding happens in one write
transaction, so two phones scanning the same card at the same moment cannot both get in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from facilitation import access, security
from facilitation.context import Context
from facilitation.participation import Joined, clean_name
from methods.errors import InvalidContribution, InvalidTransition, NotAllowed, NotFound
from sessions import cards_pdf, models
from sessions.cards_pdf import CardSheet
from sessions.states import ParticipantStatus, SessionState

MAX_CARDS = 1000


@dataclass(frozen=True)
class Card:
    number: int
    token: str
    used: bool


def _token(secret: str, row: models.Session, number: int) -> str:
    return security.derive_key(secret, f"card:{row.id}:{row.key_salt}:{number}")


def issue(ctx: Context, session_id: int, count: int) -> list[Card]:
    """Cards 1..``count``: the missing ones are made, those made before stay as they are (a card
    already handed out keeps working when more are printed)."""
    if isinstance(count, bool) or not 1 <= count <= MAX_CARDS:
        raise InvalidContribution("cards_out_of_range", max=MAX_CARDS)
    secret = access.link_secret(ctx)
    with ctx.db.transaction() as orm:
        row = orm.get(models.Session, session_id)
        if row is None:
            raise NotFound("session_not_found", session=session_id)
        made = {c.number: c for c in orm.execute(select(models.VotingCard).where(
            models.VotingCard.session_id == session_id)).scalars()}
        cards = []
        for number in range(1, count + 1):
            token = _token(secret, row, number)
            card = made.get(number)
            if card is None:
                orm.add(models.VotingCard(session_id=session_id, number=number, token_hash=security.hash_key(token)))
            cards.append(Card(number, token, card is not None and card.participant_id is not None))
        return cards


def issued(ctx: Context, session_id: int) -> tuple[int, int]:
    """How many cards were made for the session, and how many of them admitted a phone."""
    with ctx.db.session() as orm:
        rows = orm.execute(select(models.VotingCard.participant_id).where(
            models.VotingCard.session_id == session_id)).scalars().all()
    return len(rows), sum(1 for r in rows if r is not None)


def card_session(ctx: Context, token: str) -> int | None:
    """The session a scanned card belongs to (None for no card of ours)."""
    with ctx.db.session() as orm:
        return orm.execute(select(models.VotingCard.session_id).where(
            models.VotingCard.token_hash == security.hash_key(token))).scalar_one_or_none()


def redeem(ctx: Context, token: str, device: str | None = None, name: str | None = None) -> Joined:
    """Join with a card. ``device``: the phone's token for the session (a phone that already
    waits after typing the code is let in by its card); None for an API client."""
    device = device or security.new_key()
    device_hash = security.hash_key(device)
    now = ctx.clock()
    with ctx.db.transaction() as orm:  # BEGIN IMMEDIATE: one phone per card, even at the same moment
        card = orm.execute(select(models.VotingCard).where(
            models.VotingCard.token_hash == security.hash_key(token))).scalar_one_or_none()
        if card is None:
            raise NotFound("voting_card_unknown")
        session = orm.get(models.Session, card.session_id)
        assert session is not None
        if session.state == SessionState.ENDED:
            raise InvalidTransition("session_ended", title=session.title)
        mine = orm.execute(select(models.Participant).where(
            models.Participant.session_id == session.id,
            models.Participant.token_hash == device_hash)).scalar_one_or_none()
        if card.participant_id is not None and (mine is None or mine.id != card.participant_id):
            raise InvalidTransition("card_used", number=card.number)
        if mine is not None and mine.status == ParticipantStatus.REMOVED:
            raise NotAllowed("participant_removed")
        if mine is None:
            mine = models.Participant(session_id=session.id, token_hash=device_hash,
                                      name=clean_name(name, session.names), joined_at=now, last_seen_at=now)
            orm.add(mine)
        elif name and session.names != "none":
            mine.name = clean_name(name, session.names)
        mine.status = ParticipantStatus.IN
        mine.last_seen_at = now
        orm.flush()
        if card.participant_id is None:
            card.participant_id, card.used_at = mine.id, now
        joined = Joined(session.id, mine.id, device, mine.name, ParticipantStatus.IN)
    ctx.hub.publish(joined.session_id)
    return joined


def sheet_pdf(ctx: Context, session_id: int, count: int, url_of: Callable[[str], str],
              t: Callable[..., str]) -> bytes:
    """The cards as a PDF to print and cut (eight per A4 page); ``url_of`` makes a card's link."""
    cards = issue(ctx, session_id, count)
    with ctx.db.session() as orm:
        row = orm.get(models.Session, session_id)
        assert row is not None
        sheet = CardSheet(title=row.title, date=row.date, place=row.place,
                          cards=tuple((c.number, url_of(c.token)) for c in cards))
    return cards_pdf.render(sheet, t)

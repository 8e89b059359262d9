"""Theme tables in the room: host links, a host taking their table, the tablecloth photo.

A table's host gets a link of their own, ``/j/{code}?host={table}.{key}``. The key is derived like
the console's (``facilitation/access.py``): an HMAC of the instance's link secret, the session's
salt, the step, the table and the moderator key's version, so the console can show it again at
any time, "Konsole-Link ersetzen" (a new moderator version) ends every host link with it, and
nothing is stored. The link is handed to the host (a printed sheet, a message), never shown on
the projector. Opening it, the phone claims the table once: the key is checked here, and the
host role is recorded as the moderator's ``assign`` decision with the actor "host", so it shows
in the protocol and survives a reload without the key in the address. From then on the host's
rights come from that decision (``methods.theme_tables.may_run``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from facilitation import access, commands, photos, security
from facilitation.context import Context
from methods.base import Situation
from methods.errors import InvalidContribution, NotAllowed, NotFound
from methods.registry import engine
from methods.theme_tables import NAME, Config, board, int_or_text, may_run
from sessions import models
from sessions.protocol import table_sheets
from sessions.protocol.data import Translate
from sessions.states import ParticipantStatus


@dataclass(frozen=True)
class HostLink:
    table: str
    title: str
    key: str

    @property
    def claim(self) -> str:
        """The ``host`` parameter of the phone link: table and key."""
        return f"{self.table}.{self.key}"


def _step(ctx: Context, session_id: int | None, step_id: int) -> tuple[models.Session, models.Step, Config]:
    """The step (a theme-tables step of ``session_id``, if given), its session and config in force."""
    with ctx.db.session() as orm:
        step = orm.get(models.Step, step_id)
        session = orm.get(models.Session, step.session_id) if step is not None else None
        if session is None or step is None or session_id not in (None, step.session_id) or step.method != NAME:
            raise NotFound("step_not_found", step=step_id)
        round_row = next((r for r in step.rounds if r.round == step.round), None)
        config: Config = engine(NAME).parse_config(round_row.config if round_row is not None else step.config)
        orm.expunge(session)
        orm.expunge(step)
        return session, step, config


def _key(secret: str, session: models.Session, step_id: int, table: str) -> str:
    purpose = f"host-key:{session.id}:{session.key_salt}:{step_id}:{table}:{session.moderator_key_version}"
    return security.derive_key(secret, purpose)


def host_links(ctx: Context, session_id: int, step_id: int) -> list[HostLink]:
    """Every table's host key (for the moderator and the organizer only: the caller checks)."""
    session, _step_row, config = _step(ctx, session_id, step_id)
    secret = access.link_secret(ctx)
    return [HostLink(t.id, t.title, _key(secret, session, step_id, t.id)) for t in config.tables]


def claim(ctx: Context, step_id: int, participant_id: int, host: str) -> str | None:
    """The phone opened with ``?host={table}.{key}``: make its participant the table's host.

    Returns the table, or None when the participant already hosts it (a reload). A wrong or
    replaced key is refused and stores nothing."""
    table, _, key = host.partition(".")
    session, _step_row, config = _step(ctx, None, step_id)
    if config.table(table) is None or not key:
        raise NotAllowed("host_link_wrong")
    expected = _key(access.link_secret(ctx), session, step_id, table)
    if not security.key_matches(key, security.hash_key(expected)):
        raise NotAllowed("host_link_wrong")
    who = str(participant_id)
    already: list[bool] = []

    def check(cfg: Config, body: object, situation: Situation) -> None:
        if board(cfg, situation.casts, situation.decisions).hosts.get(who) == table:
            already.append(True)
            raise _Already

    try:
        commands.run(ctx, session.id, step_id, "assign", {"participant": who, "table": table, "role": "host"},
                     actor="host", check=check)
    except _Already:
        return None
    return table


@dataclass(frozen=True)
class Person:
    """Someone at a table, as the console's host choice lists them."""

    participant: str
    label: str
    """Their name where the session collects names and they gave one, else the pseudonym their
    cards carry (``TN 3``)."""
    host: bool


def table_people(ctx: Context, session_id: int, step_id: int) -> dict[str, list[Person]]:
    """Per table id, who sits there this round (hosts first, then by pseudonym): whom the moderator
    can make the table's host on the console. Removed participants are left out."""
    session, _step_row, config = _step(ctx, session_id, step_id)
    situation = commands.situation(ctx, step_id)
    state = board(config, situation.casts, situation.decisions)
    seats = state.seats()
    with ctx.db.session() as orm:
        rows = orm.execute(select(models.Participant.id, models.Participant.name).where(
            models.Participant.session_id == session_id,
            models.Participant.status != ParticipantStatus.REMOVED)).all()
        present = {str(pid): (name or "").strip() for pid, name in rows}
    out: dict[str, list[Person]] = {t.id: [] for t in config.tables}
    for person in sorted(seats, key=int_or_text):
        if person not in present or seats[person] not in out:
            continue
        pseudonym = state.pseudonyms.get(person, "")
        name = present[person] if session.names != "none" else ""
        out[seats[person]].append(Person(person, name or pseudonym, state.hosts.get(person) == seats[person]))
    for people in out.values():
        people.sort(key=lambda p: (not p.host, int_or_text(p.label.removeprefix("TN ").strip())))
    return out


class _Already(Exception):
    """The participant hosts this table already: nothing to record."""


def host_command(ctx: Context, step_id: int, participant_id: int, name: str, payload: object) -> None:
    """A host's action from their phone (the phone knows its step, not the session)."""
    session, _step_row, _config = _step(ctx, None, step_id)
    commands.run_by_participant(ctx, session.id, step_id, participant_id, name, payload)


def add_table_photo(ctx: Context, step_id: int, table: str, filename: str, raw: bytes,
                    participant_id: int | None = None) -> int:
    """A photo of a table's tablecloth, from its host (``participant_id``) or the moderator (None).

    The rights are checked before the upload is stored, the bytes by ``photos.add_photo`` (decoded,
    downscaled, re-encoded without EXIF); the table link is a decision like any other."""
    session, _step_row, config = _step(ctx, None, step_id)
    session_id = session.id
    own = config.table(table)
    if own is None:
        raise InvalidContribution("unknown_table", table=table[:40])
    if participant_id is not None:  # before the bytes are stored: a refused upload leaves nothing
        may_run(config, commands.situation(ctx, step_id), str(participant_id), "photo", {"table": table})
    info = photos.add_photo(ctx, session_id, step_id, f"{own.title}: {filename}"[:200], raw)
    payload = {"table": table, "photo": info.id}
    if participant_id is None:
        commands.run(ctx, session_id, step_id, "photo", payload)
    else:
        commands.run_by_participant(ctx, session_id, step_id, participant_id, "photo", payload)
    return info.id


def table_sheets_pdf(ctx: Context, session_id: int, step_id: int, join_url: str, t: Translate) -> bytes:
    """One A4 page per table with the QR code of ``{join_url}?table={id}`` (to put on the table)."""
    session, _step_row, config = _step(ctx, session_id, step_id)
    sheets = [table_sheets.Sheet(tb.title, tb.question, f"{join_url}?table={tb.id}") for tb in config.tables]
    return table_sheets.render(session.title, session.join_code, sheets, t)

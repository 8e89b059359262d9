"""Who may do what: moderator and projector keys per session, the organizer login.

Keys are stored hashed and compared in constant time. The moderator key also opens the
projector view (the moderator often sets up the beamer), never the other way round.

A session's keys are derived (HMAC) from the instance's link secret, the session's salt and a
version per role, so the office can show a link again at any time; replacing a link bumps its
version, which is the only way a link stops working. The stored hashes keep keys handed out
before this (random keys of older archives) valid until that role's link is replaced.
"""

from __future__ import annotations

import hmac
import os
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select

from facilitation import security
from facilitation.context import Context
from methods.errors import NotAllowed, NotFound
from sessions import models

ADMIN_PASSWORD_SETTING = "admin_password_hash"  # noqa: S105 - a settings key, not a password
TOKEN_LIFETIME = timedelta(hours=12)


LINK_SECRET_SETTING = "link_secret"  # noqa: S105 - a settings key, not a secret
MODERATOR, PROJECTOR = "moderator", "projector"


@dataclass(frozen=True)
class SessionKeys:
    """The current keys of a session's console (moderator) and projector links."""

    moderator: str
    projector: str


def link_secret(ctx: Context) -> str:
    """The instance's secret the session keys are derived from (made on first use, kept in the
    database like the cookie secret: whoever holds the database holds the meetings anyway)."""
    return _secret_setting(ctx, LINK_SECRET_SETTING)


def derive_keys(secret: str, row: models.Session) -> SessionKeys:
    def key(role: str, version: int) -> str:
        return security.derive_key(secret, f"session-key:{row.id}:{row.key_salt}:{role}:{version}")

    return SessionKeys(key(MODERATOR, row.moderator_key_version), key(PROJECTOR, row.projector_key_version))


def _load(ctx: Context, session_id: int) -> tuple[models.Session, SessionKeys]:
    secret = link_secret(ctx)
    with ctx.db.session() as orm:
        row = orm.get(models.Session, session_id)
        if row is None:
            raise NotFound("session_not_found", session=session_id)
        return row, derive_keys(secret, row)


def _matches(key: str | None, stored_hash: str, current: str) -> bool:
    # the stored hash: links handed out before keys were derived (older archives) keep working
    stored = security.key_matches(key, stored_hash)
    derived = security.key_matches(key, security.hash_key(current))
    return stored | derived


def check_moderator(ctx: Context, session_id: int, key: str | None) -> None:
    row, keys = _load(ctx, session_id)
    if not _matches(key, row.moderator_key_hash, keys.moderator):
        raise NotAllowed("wrong_key")


def check_projector(ctx: Context, session_id: int, key: str | None) -> None:
    row, keys = _load(ctx, session_id)
    projector = _matches(key, row.projector_key_hash, keys.projector)
    moderator = _matches(key, row.moderator_key_hash, keys.moderator)
    if not (projector | moderator):
        raise NotAllowed("wrong_key")


def current_keys(ctx: Context, session_id: int) -> SessionKeys:
    """The keys of the links in force, computed again: showing a link never changes it.

    The caller decides who may see them (the organizer, or a moderator who already holds the key).
    """
    return _load(ctx, session_id)[1]


def issue_keys(secret: str, row: models.Session) -> SessionKeys:
    """The first keys of a new session, inside its creating transaction once its id is known
    (after a flush); ``secret`` is read before that transaction (``link_secret``)."""
    row.key_salt = row.key_salt or security.new_salt()
    row.moderator_key_version = row.moderator_key_version or 1
    row.projector_key_version = row.projector_key_version or 1
    keys = derive_keys(secret, row)
    row.moderator_key_hash = security.hash_key(keys.moderator)
    row.projector_key_hash = security.hash_key(keys.projector)
    return keys


def _replace(ctx: Context, session_id: int, moderator: bool, projector: bool) -> SessionKeys:
    secret = link_secret(ctx)
    with ctx.db.transaction() as orm:
        row = orm.get(models.Session, session_id)
        if row is None:
            raise NotFound("session_not_found", session=session_id)
        if moderator:
            row.moderator_key_version += 1
        if projector:
            row.projector_key_version += 1
        keys = derive_keys(secret, row)
        if moderator:
            row.moderator_key_hash = security.hash_key(keys.moderator)
        if projector:
            row.projector_key_hash = security.hash_key(keys.projector)
        return keys


def rotate_keys(ctx: Context, session_id: int) -> tuple[str, str]:
    """New moderator and projector keys, e.g. for a session created from a shared template."""
    keys = _replace(ctx, session_id, moderator=True, projector=True)
    return keys.moderator, keys.projector


def replace_projector_key(ctx: Context, session_id: int) -> str:
    """A new projector link; the previous one stops working (a beamer showing it must open the
    new one). The console link is unchanged, and it opens the projector view as before."""
    keys = _replace(ctx, session_id, moderator=False, projector=True)
    ctx.hub.publish(session_id)  # an open projector on the old link notices and stops
    return keys.projector


def replace_moderator_key(ctx: Context, session_id: int) -> str:
    """The organizer's "Konsolen-Link ersetzen": a new console key; the old one stops at once —
    every check compares with the new version, and open consoles on the old link are told in the
    next delivery and stop (app/pages/console.py). Revoking a link is replacing it: the new one
    is shown only to whoever asks for it."""
    keys = _replace(ctx, session_id, moderator=True, projector=False)
    ctx.hub.publish(session_id)
    return keys.moderator


JOIN_PROOF_LENGTH = 12


def join_proof(ctx: Context, code: str) -> str:
    """The proof in the QR code's join link: 72 bits of HMAC over the code. It admits nobody the
    code would not (it is on the beamer, no secret from the room); it only shows that the link
    came from the console or the office rather than from guessing, so it is never rate limited."""
    return security.derive_key(link_secret(ctx), f"join:{code}")[:JOIN_PROOF_LENGTH]


def proof_matches(ctx: Context, code: str, proof: str | None) -> bool:
    if not proof or len(proof) != JOIN_PROOF_LENGTH:
        return False
    return hmac.compare_digest(join_proof(ctx, code), proof)


def ensure_admin_password(ctx: Context) -> str | None:
    """Set the organizer password from KOFFER_ADMIN_PASSWORD or generate one.

    Returns the clear-text password only when it was generated now, so it can be printed once.
    """
    env = os.environ.get("KOFFER_ADMIN_PASSWORD")
    with ctx.db.transaction() as orm:
        row = orm.get(models.Setting, ADMIN_PASSWORD_SETTING)
        if env:
            if row is None or not security.password_matches(env, row.value):
                orm.merge(models.Setting(key=ADMIN_PASSWORD_SETTING, value=security.hash_password(env)))
                # a changed password ends every login made with the old one
                orm.execute(delete(models.OrganizerToken))
            return None
        if row is not None:
            return None
        generated = security.new_key()[:16]
        orm.add(models.Setting(key=ADMIN_PASSWORD_SETTING, value=security.hash_password(generated)))
        return generated


def login(ctx: Context, password: str, address: str = "local", device: str | None = None) -> str:
    """The organizer's token for the right password.

    Wrong passwords are counted per address, and once eight are spent the address may not try for
    a minute — but a browser that logged in here before (``device``: its mark from
    :func:`device_mark`, checked) is counted on its own: someone guessing on the office's network
    never locks the office out. A browser that never logged in waits out the minute.
    """
    known = known_device(ctx, device)
    bucket = f"device:{known}" if known else address
    ctx.login_limiter.check(bucket)
    with ctx.db.session() as orm:
        row = orm.get(models.Setting, ADMIN_PASSWORD_SETTING)
    if row is None or not security.password_matches(password, row.value):
        ctx.login_limiter.fail(bucket)
        raise NotAllowed("wrong_password")
    token = security.new_key()
    now = ctx.clock()
    with ctx.db.transaction() as orm:
        orm.execute(delete(models.OrganizerToken).where(models.OrganizerToken.expires_at < now))
        orm.add(models.OrganizerToken(token_hash=security.hash_key(token), created_at=now,
                                      expires_at=now + TOKEN_LIFETIME))
    return token


def device_mark(ctx: Context) -> str:
    """A mark for a browser (or API client) that just logged in: a random id and its signature
    with the instance's cookie secret, so it cannot be made up."""
    nonce = security.new_salt()
    return f"{nonce}.{security.derive_key(storage_secret(ctx), f'device:{nonce}')}"


def known_device(ctx: Context, mark: str | None) -> str | None:
    """The id in a genuine device mark, else None."""
    nonce, _, signature = (mark or "").partition(".")
    if not nonce or not signature:
        return None
    expected = security.derive_key(storage_secret(ctx), f"device:{nonce}")
    return nonce if hmac.compare_digest(expected, signature) else None


def check_organizer(ctx: Context, token: str | None) -> None:
    if not token:
        raise NotAllowed("login_required")
    check_organizer_hash(ctx, security.hash_key(token))


def check_organizer_hash(ctx: Context, token_hash: str | None) -> None:
    """The pages keep only the token's hash in the browser's server-side storage (a file on the
    server): whoever reads that file cannot use it as a bearer token."""
    if not token_hash:
        raise NotAllowed("login_required")
    with ctx.db.session() as orm:
        row = orm.execute(select(models.OrganizerToken).where(
            models.OrganizerToken.token_hash == token_hash)).scalar_one_or_none()
    if row is None or row.expires_at < ctx.clock():
        raise NotAllowed("login_required")


def logout(ctx: Context, token: str) -> None:
    logout_hash(ctx, security.hash_key(token))


def logout_hash(ctx: Context, token_hash: str) -> None:
    with ctx.db.transaction() as orm:
        orm.execute(delete(models.OrganizerToken).where(models.OrganizerToken.token_hash == token_hash))


def storage_secret(ctx: Context) -> str:
    """Signing secret for browser cookies, kept in the database so a restart keeps phones joined."""
    return _secret_setting(ctx, "storage_secret")


def _secret_setting(ctx: Context, name: str) -> str:
    with ctx.db.session() as orm:
        row = orm.get(models.Setting, name)
        if row is not None:
            return row.value
    with ctx.db.transaction() as orm:
        row = orm.get(models.Setting, name)
        if row is None:
            row = models.Setting(key=name, value=security.new_key() + security.new_key())
            orm.add(row)
        return row.value

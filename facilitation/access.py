"""Who may do what: moderator and projector keys per session, the organizer login.

Keys are stored hashed and compared in constant time. The moderator key also opens the
projector view (the moderator often sets up the beamer), never the other way round.
"""

from __future__ import annotations

import os
from datetime import timedelta

from sqlalchemy import delete, select

from facilitation import security
from facilitation.context import Context
from methods.errors import NotAllowed, NotFound
from sessions import models

ADMIN_PASSWORD_SETTING = "admin_password_hash"  # noqa: S105 - a settings key, not a password
TOKEN_LIFETIME = timedelta(hours=12)


def _hashes(ctx: Context, session_id: int) -> tuple[str, str]:
    with ctx.db.session() as orm:
        row = orm.get(models.Session, session_id)
        if row is None:
            raise NotFound("session_not_found", session=session_id)
        return row.moderator_key_hash, row.projector_key_hash


def check_moderator(ctx: Context, session_id: int, key: str | None) -> None:
    moderator_hash, _ = _hashes(ctx, session_id)
    if not security.key_matches(key, moderator_hash):
        raise NotAllowed("wrong_key")


def check_projector(ctx: Context, session_id: int, key: str | None) -> None:
    moderator_hash, projector_hash = _hashes(ctx, session_id)
    if not (security.key_matches(key, projector_hash) or security.key_matches(key, moderator_hash)):
        raise NotAllowed("wrong_key")


def rotate_keys(ctx: Context, session_id: int) -> tuple[str, str]:
    """New moderator and projector keys, e.g. for a session created from a shared template."""
    moderator_key, projector_key = security.new_key(), security.new_key()
    with ctx.db.transaction() as orm:
        row = orm.get(models.Session, session_id)
        if row is None:
            raise NotFound("session_not_found", session=session_id)
        row.moderator_key_hash = security.hash_key(moderator_key)
        row.projector_key_hash = security.hash_key(projector_key)
    return moderator_key, projector_key


def new_projector_key(ctx: Context, session_id: int) -> str:
    """A fresh projector link for the console (keys are stored hashed, so the old one can't be shown)."""
    key = security.new_key()
    with ctx.db.transaction() as orm:
        row = orm.get(models.Session, session_id)
        if row is None:
            raise NotFound("session_not_found", session=session_id)
        row.projector_key_hash = security.hash_key(key)
    return key


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
            return None
        if row is not None:
            return None
        generated = security.new_key()[:16]
        orm.add(models.Setting(key=ADMIN_PASSWORD_SETTING, value=security.hash_password(generated)))
        return generated


def login(ctx: Context, password: str, address: str = "local") -> str:
    ctx.login_limiter.check(address)
    with ctx.db.session() as orm:
        row = orm.get(models.Setting, ADMIN_PASSWORD_SETTING)
    if row is None or not security.password_matches(password, row.value):
        ctx.login_limiter.fail(address)
        raise NotAllowed("wrong_password")
    token = security.new_key()
    now = ctx.clock()
    with ctx.db.transaction() as orm:
        orm.execute(delete(models.OrganizerToken).where(models.OrganizerToken.expires_at < now))
        orm.add(models.OrganizerToken(token_hash=security.hash_key(token), created_at=now,
                                      expires_at=now + TOKEN_LIFETIME))
    return token


def check_organizer(ctx: Context, token: str | None) -> None:
    if not token:
        raise NotAllowed("login_required")
    with ctx.db.session() as orm:
        row = orm.execute(select(models.OrganizerToken).where(
            models.OrganizerToken.token_hash == security.hash_key(token))).scalar_one_or_none()
    if row is None or row.expires_at < ctx.clock():
        raise NotAllowed("login_required")


def logout(ctx: Context, token: str) -> None:
    with ctx.db.transaction() as orm:
        orm.execute(delete(models.OrganizerToken).where(
            models.OrganizerToken.token_hash == security.hash_key(token)))


def storage_secret(ctx: Context) -> str:
    """Signing secret for browser cookies, kept in the database so a restart keeps phones joined."""
    with ctx.db.transaction() as orm:
        row = orm.get(models.Setting, "storage_secret")
        if row is None:
            row = models.Setting(key="storage_secret", value=security.new_key() + security.new_key())
            orm.add(row)
        return row.value

"""Keys, organizer password, tokens: stored hashed, compared safely, expiring, rate limited."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from facilitation import access, demo, organize, participation, root, security
from facilitation.context import Context
from facilitation.snapshots import Created
from methods.errors import NotAllowed, NotFound, RateLimited
from sessions import models
from sessions.db import MIGRATIONS, make_engine
from tests.factories import create_session


@pytest.fixture(autouse=True)
def no_admin_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KOFFER_ADMIN_PASSWORD", raising=False)


def dump(ctx: Context) -> str:
    """Every byte the database holds, as SQL text."""
    raw = ctx.db.engine.raw_connection()
    try:
        return "\n".join(raw.driver_connection.iterdump())
    finally:
        raw.close()


def make(ctx: Context) -> Created:
    return create_session(ctx, "hand_vote")


# --- session keys -------------------------------------------------------------------------------


def test_moderator_and_projector_keys(ctx: Context) -> None:
    created = make(ctx)
    sid = created.session.id
    access.check_moderator(ctx, sid, created.moderator_key)
    access.check_projector(ctx, sid, created.projector_key)
    access.check_projector(ctx, sid, created.moderator_key)  # the moderator may set up the beamer
    for bad in (created.projector_key, "", None, created.moderator_key + "x"):
        with pytest.raises(NotAllowed) as info:
            access.check_moderator(ctx, sid, bad)
        assert info.value.key == "wrong_key"
    with pytest.raises(NotAllowed):
        access.check_projector(ctx, sid, "wrong")
    with pytest.raises(NotFound):
        access.check_moderator(ctx, 999, created.moderator_key)


def test_keys_of_one_session_do_not_open_another(ctx: Context) -> None:
    first, second = make(ctx), make(ctx)
    with pytest.raises(NotAllowed):
        access.check_moderator(ctx, second.session.id, first.moderator_key)


def test_secrets_are_stored_hashed_only(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOFFER_ADMIN_PASSWORD", "Allianz-2017!")
    access.ensure_admin_password(ctx)
    created = make(ctx)
    joined = participation.join(ctx, created.session.join_code)
    organizer = access.login(ctx, "Allianz-2017!")
    with ctx.db.session() as orm:
        row = orm.get(models.Session, created.session.id)
        columns = {c.key: getattr(row, c.key) for c in models.Session.__table__.columns}
    assert created.moderator_key not in repr(columns)
    assert columns["moderator_key_hash"] == security.hash_key(created.moderator_key)
    everything = dump(ctx)
    assert created.session.join_code in everything  # the dump does contain the session ...
    for secret in (created.moderator_key, created.projector_key, joined.token, organizer, "Allianz-2017!"):
        assert secret not in everything  # ... but none of its secrets in clear text


def test_rotate_keys_invalidates_the_old_ones(ctx: Context) -> None:
    created = make(ctx)
    sid = created.session.id
    moderator, projector = access.rotate_keys(ctx, sid)
    with pytest.raises(NotAllowed):
        access.check_moderator(ctx, sid, created.moderator_key)
    access.check_moderator(ctx, sid, moderator)
    access.check_projector(ctx, sid, projector)


def test_a_link_can_be_shown_again_without_changing_it(ctx: Context) -> None:
    """Keys are derived, not only hashed: the office can show the links again, as often as it
    likes, and every earlier copy keeps working."""
    created = make(ctx)
    sid = created.session.id
    for _ in range(3):
        keys = access.current_keys(ctx, sid)
        assert (keys.moderator, keys.projector) == (created.moderator_key, created.projector_key)
    access.check_moderator(ctx, sid, created.moderator_key)
    access.check_projector(ctx, sid, created.projector_key)
    other = make(ctx)
    assert access.current_keys(ctx, other.session.id).moderator != created.moderator_key
    assert len(created.moderator_key) == len(security.new_key())  # as long as a random key


def test_replacing_the_projector_link_is_what_invalidates_it(ctx: Context) -> None:
    created = make(ctx)
    sid = created.session.id
    new = access.replace_projector_key(ctx, sid)
    assert new != created.projector_key
    with pytest.raises(NotAllowed):
        access.check_projector(ctx, sid, created.projector_key)  # the old beamer link: gone
    access.check_projector(ctx, sid, new)
    access.check_projector(ctx, sid, created.moderator_key)  # the console link is untouched
    access.check_moderator(ctx, sid, created.moderator_key)
    assert access.current_keys(ctx, sid).projector == new  # and the new one is shown from now on
    with pytest.raises(NotAllowed):
        access.check_moderator(ctx, sid, new)


def test_keys_depend_on_the_instance_secret(ctx: Context, tmp_path) -> None:
    """Another installation (another secret) derives other keys for the same session id."""
    created = make(ctx)
    elsewhere = root.create(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    try:
        theirs = create_session(elsewhere, "hand_vote")
        assert theirs.session.id == created.session.id
        assert theirs.moderator_key != created.moderator_key
        with pytest.raises(NotAllowed):
            access.check_moderator(elsewhere, theirs.session.id, created.moderator_key)
    finally:
        elsewhere.db.dispose()


def test_a_deleted_sessions_links_do_not_open_the_next_one_with_its_id(ctx: Context) -> None:
    """SQLite hands the id of the newest deleted row out again; the salt keeps the keys apart."""
    created = make(ctx)
    organize.delete_session(ctx, created.session.id)
    successor = make(ctx)
    assert successor.session.id == created.session.id
    for check, key in ((access.check_moderator, created.moderator_key),
                       (access.check_projector, created.projector_key)):
        with pytest.raises(NotAllowed):
            check(ctx, successor.session.id, key)


def test_an_archive_from_before_derived_keys_keeps_its_links(tmp_path) -> None:
    """Migration 3 on a version-2 archive: the random keys handed out back then still open the
    console and projector, the office can now show links again (derived ones, valid as well), and
    replacing the projector link ends the old one too."""
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    old_moderator, old_projector = security.new_key(), security.new_key()
    engine = make_engine(url)
    with engine.begin() as conn:  # what release 2 left behind
        conn.execute(text("CREATE TABLE schema_version (version INTEGER NOT NULL)"))
        MIGRATIONS[0](conn)
        for column in ("key_salt", "moderator_key_version", "projector_key_version"):
            conn.execute(text(f"ALTER TABLE sessions DROP COLUMN {column}"))
        conn.execute(text("INSERT INTO schema_version (version) VALUES (1), (2)"))
        conn.execute(text(
            "INSERT INTO sessions (title, date, place, moderator, language, names, join_code, "
            "moderator_key_hash, projector_key_hash, state, created_at) VALUES ('Altes Treffen', '2017-09-12', "
            "'Bottrop', '', 'de', 'none', 'ABCDEF', :m, :p, 'ended', '2017-09-12 09:00:00')"),
            {"m": security.hash_key(old_moderator), "p": security.hash_key(old_projector)})
    engine.dispose()
    old = root.create(url)
    try:
        sid = organize.list_sessions(old)[0].id
        access.check_moderator(old, sid, old_moderator)
        access.check_projector(old, sid, old_projector)
        with old.db.session() as orm:
            salt = orm.get(models.Session, sid).key_salt
        assert len(salt) == 32
        shown = access.current_keys(old, sid)
        assert old_moderator not in (shown.moderator, shown.projector)
        access.check_moderator(old, sid, shown.moderator)
        access.check_projector(old, sid, shown.projector)
        new = access.replace_projector_key(old, sid)
        for stale in (old_projector, shown.projector):
            with pytest.raises(NotAllowed):
                access.check_projector(old, sid, stale)
        access.check_projector(old, sid, new)
        access.check_moderator(old, sid, old_moderator)  # the console's old link is untouched
    finally:
        old.db.dispose()


# --- organizer password and tokens --------------------------------------------------------------


def test_admin_password_is_generated_once(ctx: Context) -> None:
    generated = access.ensure_admin_password(ctx)
    assert isinstance(generated, str) and len(generated) >= 12
    assert access.ensure_admin_password(ctx) is None  # never printed twice
    assert access.ensure_admin_password(ctx) is None
    token = access.login(ctx, generated)
    access.check_organizer(ctx, token)


def test_admin_password_from_environment(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    access.ensure_admin_password(ctx)  # an instance that started with a generated password
    monkeypatch.setenv("KOFFER_ADMIN_PASSWORD", "Geschäftsstelle-2017")
    assert access.ensure_admin_password(ctx) is None
    access.check_organizer(ctx, access.login(ctx, "Geschäftsstelle-2017"))
    monkeypatch.setenv("KOFFER_ADMIN_PASSWORD", "neues-Passwort")
    access.ensure_admin_password(ctx)
    access.login(ctx, "neues-Passwort")
    with pytest.raises(NotAllowed):
        access.login(ctx, "Geschäftsstelle-2017")


def test_login_without_any_password_set_is_refused(ctx: Context) -> None:
    with pytest.raises(NotAllowed) as info:
        access.login(ctx, "")
    assert info.value.key == "wrong_password"


def test_wrong_password_then_rate_limited(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOFFER_ADMIN_PASSWORD", "richtig")
    access.ensure_admin_password(ctx)
    for _ in range(8):
        with pytest.raises(NotAllowed) as info:
            access.login(ctx, "falsch", address="203.0.113.9")
        assert type(info.value) is NotAllowed and info.value.key == "wrong_password"
    with pytest.raises(RateLimited):
        access.login(ctx, "richtig", address="203.0.113.9")  # even the right one: stopped
    access.check_organizer(ctx, access.login(ctx, "richtig", address="198.51.100.1"))


def test_a_guesser_on_the_offices_network_never_locks_the_office_out(ctx: Context,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 14, finding 4: eight wrong passwords from the office's router used to lock everyone
    behind it out. The office's browser logged in before and carries its device mark: it is counted
    on its own and gets in; the guesser (no mark, or a made-up one) stays stopped."""
    monkeypatch.setenv("KOFFER_ADMIN_PASSWORD", "richtig")
    access.ensure_admin_password(ctx)
    office = "203.0.113.9"
    access.login(ctx, "richtig", address=office)
    mark = access.device_mark(ctx)  # what the office's browser got with that login
    for _ in range(8):
        with pytest.raises(NotAllowed):
            access.login(ctx, "rate-mal", address=office)
    with pytest.raises(RateLimited):
        access.login(ctx, "richtig", address=office)  # a browser that never logged in here waits
    with pytest.raises(RateLimited):
        access.login(ctx, "richtig", address=office, device=mark.split(".")[0] + ".erfunden")
    access.check_organizer(ctx, access.login(ctx, "richtig", address=office, device=mark))
    # the office's own typos are limited too, on the office's own budget
    for _ in range(8):
        with pytest.raises(NotAllowed):
            access.login(ctx, "vertippt", address=office, device=mark)
    with pytest.raises(RateLimited):
        access.login(ctx, "richtig", address=office, device=mark)
    assert access.known_device(ctx, mark) and access.known_device(ctx, "x.y") is None


def test_a_changed_password_ends_every_login(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOFFER_ADMIN_PASSWORD", "alt")
    access.ensure_admin_password(ctx)
    token = access.login(ctx, "alt")
    monkeypatch.setenv("KOFFER_ADMIN_PASSWORD", "neu")
    access.ensure_admin_password(ctx)
    with pytest.raises(NotAllowed):
        access.check_organizer(ctx, token)


def test_organizer_tokens_expire(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOFFER_ADMIN_PASSWORD", "richtig")
    access.ensure_admin_password(ctx)
    now = [datetime(2017, 11, 7, 9, 0)]
    ctx.clock = lambda: now[0]
    token = access.login(ctx, "richtig")
    now[0] += access.TOKEN_LIFETIME - timedelta(seconds=1)
    access.check_organizer(ctx, token)
    now[0] += timedelta(seconds=2)
    with pytest.raises(NotAllowed) as info:
        access.check_organizer(ctx, token)
    assert info.value.key == "login_required"


def test_expired_tokens_are_purged_at_the_next_login(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOFFER_ADMIN_PASSWORD", "richtig")
    access.ensure_admin_password(ctx)
    now = [datetime(2017, 11, 7, 9, 0)]
    ctx.clock = lambda: now[0]
    access.login(ctx, "richtig")
    now[0] += timedelta(days=2)
    access.login(ctx, "richtig")
    with ctx.db.session() as orm:
        assert orm.query(models.OrganizerToken).count() == 1


def test_bad_organizer_tokens_and_logout(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOFFER_ADMIN_PASSWORD", "richtig")
    access.ensure_admin_password(ctx)
    for bad in (None, "", "made-up"):
        with pytest.raises(NotAllowed):
            access.check_organizer(ctx, bad)
    token = access.login(ctx, "richtig")
    access.logout(ctx, token)
    with pytest.raises(NotAllowed):
        access.check_organizer(ctx, token)


def test_moderator_key_is_not_an_organizer_token(ctx: Context) -> None:
    created = make(ctx)
    with pytest.raises(NotAllowed):
        access.check_organizer(ctx, created.moderator_key)


def test_password_hashing() -> None:
    stored = security.hash_password("geheim")
    assert stored.startswith("scrypt$") and "geheim" not in stored
    assert security.password_matches("geheim", stored)
    assert not security.password_matches("Geheim", stored)
    assert security.hash_password("geheim") != stored  # salted
    assert not security.password_matches("geheim", "garbage")
    assert not security.password_matches("geheim", "md5$00$00")


def test_the_demo_prints_the_same_links_at_every_start(ctx: Context) -> None:
    """A restart of ``koffer demo`` no longer replaces the demo's keys: links handed out before
    the restart (a bookmark on the beamer laptop) keep working."""
    first = demo.ensure_demo(ctx)
    again = demo.ensure_demo(ctx)
    assert again.session.id == first.session.id
    assert (again.moderator_key, again.projector_key) == (first.moderator_key, first.projector_key)
    access.check_projector(ctx, first.session.id, first.projector_key)

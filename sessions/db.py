"""Engine, connection pragmas and the versioned schema.

SQLite is the embedded default (WAL + synchronous=NORMAL: a committed vote survives a crash of
the process, readers never block the writer). Any SQLAlchemy URL works via
``KOFFER_DATABASE_URL``. Schema changes are numbered migrations recorded in ``schema_version``
so an archive created by an older release is upgraded in place, never recreated.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import StaticPool

from sessions.models import Base

Migration = Callable[[Any], None]


def _v1_initial(conn: Any) -> None:
    Base.metadata.create_all(conn)


def _v2_decisions(conn: Any) -> None:
    """Moderator decisions (method commands); a database made by v1 gets the new table."""
    Base.metadata.tables["decisions"].create(conn, checkfirst=True)


def _v3_derived_keys(conn: Any) -> None:
    """Keys that can be shown again: a salt and a key version per role on every session.

    Sessions from before keep their stored key hashes, so links already handed out keep working;
    each gets a fresh random salt (from which its re-showable links are derived).
    """
    present = {c["name"] for c in inspect(conn).get_columns("sessions")}
    for column, ddl in (("key_salt", "VARCHAR(32) NOT NULL DEFAULT ''"),
                        ("moderator_key_version", "INTEGER NOT NULL DEFAULT 1"),
                        ("projector_key_version", "INTEGER NOT NULL DEFAULT 1")):
        if column not in present:
            conn.execute(text(f"ALTER TABLE sessions ADD COLUMN {column} {ddl}"))
    for (session_id,) in conn.execute(text("SELECT id FROM sessions WHERE key_salt = ''")).all():
        conn.execute(text("UPDATE sessions SET key_salt = :salt WHERE id = :id"),
                     {"salt": secrets.token_hex(16), "id": session_id})


def _v4_shown_detail(conn: Any) -> None:
    """``steps.shown_detail`` (what the projector shows beside the result); v1 of this release
    already creates it, an older database gets the column."""
    if "shown_detail" not in {c["name"] for c in inspect(conn).get_columns("steps")}:
        conn.execute(text("ALTER TABLE steps ADD COLUMN shown_detail VARCHAR(60)"))


def _v5_step_timer(conn: Any) -> None:
    """The timer belongs to a step and may close it: two columns on ``sessions``. A session-wide
    countdown left by an older release belongs to no step, so it is dropped rather than shown on
    whichever step happens to be current."""
    have = {column["name"] for column in inspect(conn).get_columns("sessions")}
    if "timer_step_id" not in have:
        conn.execute(text("ALTER TABLE sessions ADD COLUMN timer_step_id INTEGER"))
    if "timer_closes_step" not in have:
        conn.execute(text("ALTER TABLE sessions ADD COLUMN timer_closes_step BOOLEAN NOT NULL DEFAULT FALSE"))
    conn.execute(text("UPDATE sessions SET timer_ends_at = NULL WHERE timer_step_id IS NULL"))

def _v6_decision_watermark(conn: Any) -> None:
    """``decisions.after``: the step's highest contribution id when a decision was taken, so a
    method can tell what came before a decision from what came after (a card written in the next
    rotation round). Decisions of older releases get 0 ("before everything")."""
    if "after" not in {c["name"] for c in inspect(conn).get_columns("decisions")}:
        conn.execute(text('ALTER TABLE decisions ADD COLUMN "after" INTEGER NOT NULL DEFAULT 0'))


def _v7_admission(conn: Any) -> None:
    """Who gets in: the session's admission level, expected head count and "joining closed",
    each participant's status (in / waiting / removed) and the printed voting cards."""
    have = {column["name"] for column in inspect(conn).get_columns("sessions")}
    for column, ddl in (("admission", "VARCHAR(20) NOT NULL DEFAULT 'open'"),
                        ("head_count", "INTEGER"),
                        ("joining_closed", "BOOLEAN NOT NULL DEFAULT FALSE")):
        if column not in have:
            conn.execute(text(f"ALTER TABLE sessions ADD COLUMN {column} {ddl}"))
    if "status" not in {column["name"] for column in inspect(conn).get_columns("participants")}:
        conn.execute(text("ALTER TABLE participants ADD COLUMN status VARCHAR(10) NOT NULL DEFAULT 'in'"))
    Base.metadata.tables["voting_cards"].create(conn, checkfirst=True)


MIGRATIONS: list[Migration] = [_v1_initial, _v2_decisions, _v3_derived_keys, _v4_shown_detail, _v5_step_timer,
                               _v6_decision_watermark, _v7_admission]


def database_url(data_dir: Path) -> str:
    url = os.environ.get("KOFFER_DATABASE_URL")
    if url:
        return url
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'koffer.sqlite3'}"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        memory = url in ("sqlite://", "sqlite:///:memory:")
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False},
            poolclass=StaticPool if memory else None,
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            if not memory:
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            # deleted rows are overwritten with zeros, not merely unlinked: a deleted session's
            # names and inputs must not be readable from the file (set here, whatever the
            # platform's SQLite was compiled with)
            cur.execute("PRAGMA secure_delete=ON")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=5000")
            cur.close()
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            # Writers take SQLite's write lock at BEGIN, not at their first INSERT: a vote that
            # checks "step is open" and a close that tallies can then never interleave, so no
            # acknowledged vote is missing from the closed round's snapshot.
            write = conn.get_execution_options().get("koffer_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True)


def migrate(engine: Engine) -> int:
    """Apply pending migrations; returns the schema version now in force."""
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"))
        current = conn.execute(text("SELECT max(version) FROM schema_version")).scalar() or 0
        for number, step in enumerate(MIGRATIONS, start=1):
            if number > current:
                step(conn)
                conn.execute(text("INSERT INTO schema_version (version) VALUES (:v)"), {"v": number})
        return len(MIGRATIONS)


class Database:
    """The engine plus a session factory; one per process."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        migrate(self.engine)
        self._factory = sessionmaker(self.engine, expire_on_commit=False)
        self._write_engine = self.engine.execution_options(koffer_write=True)
        self._write_factory = sessionmaker(self._write_engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[OrmSession]:
        with self._factory() as orm:
            yield orm

    @contextmanager
    def read_connection(self) -> Iterator[Connection]:
        """A Core connection for a few reads on a hot path (a phone's next task), without the
        ORM session's overhead."""
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def transaction(self) -> Iterator[OrmSession]:
        """A write transaction: serialised against other writers from its first statement."""
        with self._write_factory.begin() as orm:
            yield orm

    @contextmanager
    def write_connection(self) -> Iterator[Connection]:
        """A Core connection in a write transaction: the vote hot path, without ORM overhead."""
        with self._write_engine.begin() as conn:
            yield conn

    def forget_deleted(self) -> bool:
        """After deleting a session: move the WAL into the database file and truncate it
        (``wal_checkpoint(TRUNCATE)``), so the deleted rows' last copies in ``-wal`` are gone too;
        ``secure_delete`` has zeroed them in the main file. Outside any transaction (a connection
        holding a snapshot would keep the WAL alive); waits for readers like any writer
        (busy_timeout). Returns whether the WAL is empty now; a no-op on other databases."""
        if not self.url.startswith("sqlite"):
            return True
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            busy, _frames, _done = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            cursor.close()
        finally:
            raw.close()
        return not busy

    def dispose(self) -> None:
        self.engine.dispose()

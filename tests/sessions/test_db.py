"""The database layer: WAL on file SQLite, idempotent migrations, data survives a restart."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from sessions import db as dbmod
from sessions import models
from sessions.db import MIGRATIONS, Database, database_url, make_engine, migrate


def versions(database: Database) -> list[int]:
    with database.engine.connect() as conn:
        return [r[0] for r in conn.execute(text("SELECT version FROM schema_version ORDER BY version"))]


def test_file_sqlite_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'koffer.sqlite3'}")
    try:
        with database.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
    finally:
        database.dispose()
    assert (tmp_path / "koffer.sqlite3").exists()


def test_in_memory_sqlite_works_and_shares_one_connection() -> None:
    database = Database("sqlite://")
    with database.transaction() as orm:
        orm.add(models.Setting(key="a", value="1"))
    with database.session() as orm:  # StaticPool: the same in-memory database
        assert orm.get(models.Setting, "a").value == "1"
    database.dispose()


def test_migrate_is_idempotent_and_records_the_version(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    database = Database(url)  # runs migrate() once
    assert versions(database) == list(range(1, len(MIGRATIONS) + 1))
    tables = set(inspect(database.engine).get_table_names())
    assert {
        "sessions",
        "steps",
        "step_rounds",
        "participants",
        "contributions",
        "attachments",
        "settings",
        "organizer_tokens",
        "schema_version",
    } <= tables
    assert migrate(database.engine) == len(MIGRATIONS)
    assert migrate(database.engine) == len(MIGRATIONS)
    assert versions(database) == list(range(1, len(MIGRATIONS) + 1))  # no duplicate rows
    database.dispose()


def test_pending_migrations_run_once_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    Database(url).dispose()  # an archive created by the current release
    calls: list[int] = []

    def v_next(conn) -> None:
        calls.append(1)
        conn.execute(text("CREATE TABLE extra (x INTEGER)"))

    monkeypatch.setattr(dbmod, "MIGRATIONS", [*MIGRATIONS, v_next])
    database = Database(url)  # "the next release" starts on the old file
    assert migrate(database.engine) == len(MIGRATIONS) + 1
    assert calls == [1]
    assert versions(database)[-1] == len(MIGRATIONS) + 1
    assert "extra" in inspect(database.engine).get_table_names()
    database.dispose()


def test_data_survives_a_restart(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    first = Database(url)
    with first.transaction() as orm:
        session = models.Session(
            title="4. Treffen",
            join_code="ABCDEF",
            moderator_key_hash="m" * 64,
            projector_key_hash="p" * 64,
            created_at=datetime(2017, 11, 7, 9),
        )
        session.steps = [
            models.Step(position=0, method="hand_vote", title="Protokoll", config={"question": "Ja?"})
        ]
        orm.add(session)
        orm.flush()
        participant = models.Participant(
            session_id=session.id,
            token_hash="t" * 64,
            name="Erika",
            joined_at=datetime(2017, 11, 7, 9),
            last_seen_at=datetime(2017, 11, 7, 9),
        )
        orm.add(participant)
        orm.flush()
        orm.add(
            models.Contribution(
                step_id=session.steps[0].id,
                round=1,
                participant_id=participant.id,
                key="vote",
                payload={"option": "yes"},
                created_at=datetime(2017, 11, 7, 9, 5),
            )
        )
    first.dispose()

    second = Database(url)  # the server restarted
    with second.session() as orm:
        session = orm.query(models.Session).one()
        assert (session.title, session.join_code, session.state) == ("4. Treffen", "ABCDEF", "planned")
        assert session.steps[0].config == {"question": "Ja?"}
        contribution = orm.query(models.Contribution).one()
        assert contribution.payload == {"option": "yes"}
        assert contribution.created_at == datetime(2017, 11, 7, 9, 5)
    assert versions(second) == list(range(1, len(MIGRATIONS) + 1))
    second.dispose()


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    from sqlalchemy.exc import IntegrityError

    database = Database(f"sqlite:///{tmp_path / 'k.sqlite3'}")
    with pytest.raises(IntegrityError):
        with database.transaction() as orm:
            orm.add(
                models.Participant(
                    session_id=999,
                    token_hash="t",
                    joined_at=datetime(2017, 1, 1),
                    last_seen_at=datetime(2017, 1, 1),
                )
            )
    database.dispose()


def test_database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KOFFER_DATABASE_URL", raising=False)
    assert database_url(tmp_path / "data") == f"sqlite:///{tmp_path / 'data' / 'koffer.sqlite3'}"
    assert (tmp_path / "data").is_dir()
    monkeypatch.setenv("KOFFER_DATABASE_URL", "postgresql://koffer@db/koffer")
    assert database_url(tmp_path / "other") == "postgresql://koffer@db/koffer"


def test_make_engine_for_memory_does_not_switch_to_wal() -> None:
    engine = make_engine("sqlite://")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "memory"
    engine.dispose()


def test_a_version_1_archive_gets_the_decisions_table_and_keeps_its_data(tmp_path: Path) -> None:
    """An archive made before moderator decisions existed is upgraded in place (migration 2)."""
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = make_engine(url)
    with engine.begin() as conn:  # what release 1 left behind: its tables and version 1
        conn.execute(text("CREATE TABLE schema_version (version INTEGER NOT NULL)"))
        MIGRATIONS[0](conn)
        conn.execute(text("DROP TABLE decisions"))
        conn.execute(text("INSERT INTO schema_version (version) VALUES (1)"))
        conn.execute(text("INSERT INTO settings (key, value) VALUES ('kept', 'yes')"))
    engine.dispose()
    database = Database(url)
    with database.session() as orm:
        assert orm.get(models.Setting, "kept") is not None
        assert orm.query(models.Decision).count() == 0  # the table exists now
    assert versions(database) == list(range(1, len(MIGRATIONS) + 1))
    database.dispose()


def test_a_version_3_archive_gets_the_shown_detail_column_and_keeps_its_steps(tmp_path: Path) -> None:
    """Migration 4 adds ``steps.shown_detail`` (what the projector shows beside a result)."""
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE schema_version (version INTEGER NOT NULL)"))
        MIGRATIONS[0](conn)
        conn.execute(text("ALTER TABLE steps DROP COLUMN shown_detail"))
        conn.execute(text("INSERT INTO schema_version (version) VALUES (1), (2), (3)"))
        conn.execute(text("INSERT INTO sessions (id, title, date, place, moderator, language, names, join_code, "
                          "moderator_key_hash, projector_key_hash, state, created_at) VALUES (1, 'T', '', '', '', "
                          "'de', 'none', 'ABCDEF', 'm', 'p', 'planned', '2017-11-07 09:00:00')"))
        conn.execute(text("INSERT INTO steps (session_id, position, method, title, config, state, round, "
                          "results_visible) VALUES (1, 0, 'hand_vote', 'Protokoll', '{}', 'draft', 1, 0)"))
    engine.dispose()
    database = Database(url)
    with database.session() as orm:
        (step,) = orm.query(models.Step).all()
        assert (step.title, step.shown_detail) == ("Protokoll", None)
    assert versions(database) == list(range(1, len(MIGRATIONS) + 1))
    database.dispose()


def test_a_version_4_archive_gets_the_step_timer_and_drops_its_session_wide_countdown(tmp_path: Path) -> None:
    """Migration 5: the timer belongs to a step. A countdown left by an older release belonged to the
    whole session; it is dropped, everything else is kept."""
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = make_engine(url)
    with engine.begin() as conn:  # what release 2 left behind: sessions without the timer's step
        conn.execute(text("CREATE TABLE schema_version (version INTEGER NOT NULL)"))
        MIGRATIONS[0](conn)
        conn.execute(text("ALTER TABLE sessions DROP COLUMN timer_step_id"))
        conn.execute(text("ALTER TABLE sessions DROP COLUMN timer_closes_step"))
        conn.execute(text("INSERT INTO schema_version (version) VALUES (1), (2), (3), (4)"))
        conn.execute(text(
            "INSERT INTO sessions (title, date, place, moderator, language, names, join_code, moderator_key_hash,"
            " projector_key_hash, state, timer_ends_at, created_at) VALUES ('Altes Treffen', '', '', '', 'de',"
            " 'none', 'OLD123', 'm', 'p', 'live', '2017-11-07 10:05:00', '2017-11-07 09:00:00')"))
    engine.dispose()
    database = Database(url)
    with database.session() as orm:
        session = orm.query(models.Session).one()
        assert session.title == "Altes Treffen"
        assert (session.timer_ends_at, session.timer_step_id, session.timer_closes_step) == (None, None, False)
    assert versions(database) == list(range(1, len(MIGRATIONS) + 1))
    database.dispose()

"""Storage set-up: migrations match the tables, SQLite runs with the settings we rely on."""

from __future__ import annotations

import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from consensus_kit import InvalidState, SqlStore, Unavailable
from consensus_kit.storage.engine import make_engine
from consensus_kit.storage.migrate import current_revision, head_revision
from consensus_kit.storage.tables import metadata


def test_migrations_build_exactly_the_declared_schema(store: SqlStore) -> None:
    with store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert diff == []
    assert current_revision(store.engine) == head_revision()


def test_revisions_read_without_alembic_agree_with_alembic(sqlite_url: str) -> None:
    from alembic.script import ScriptDirectory

    from consensus_kit.storage.migrate import _config

    assert head_revision() == ScriptDirectory.from_config(_config()).get_current_head()
    engine = make_engine(sqlite_url)
    with engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() is None
    assert current_revision(engine) is None
    engine.dispose()
    store = SqlStore.open(sqlite_url)
    with store.engine.connect() as connection:
        alembic_says = MigrationContext.configure(connection).get_current_revision()
    assert current_revision(store.engine) == alembic_says == head_revision()
    store.close()


def test_sqlite_runs_with_wal_full_sync_foreign_keys_and_a_busy_timeout(sqlite_url: str) -> None:
    store = SqlStore.open(sqlite_url)
    with store.engine.connect() as c:
        assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert c.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert c.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    store.close()


def test_sqlite_write_transactions_take_the_write_lock_at_begin(sqlite_url: str) -> None:
    store = SqlStore.open(sqlite_url)
    with store.transaction() as uow:
        uow.repo.meeting_ids()
        # a second writer must now wait: BEGIN IMMEDIATE holds the reserved lock from the start
        path = sqlite_url.removeprefix("sqlite:///")
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    store.close()


def test_a_unit_of_work_rolls_back_unless_committed(sqlite_url: str) -> None:
    import datetime as dt

    from tests.builders import make_meeting_file

    store = SqlStore.open(sqlite_url)
    meeting = make_meeting_file().meeting
    with store.transaction() as uow:
        uow.repo.add_meeting(meeting, dt.datetime.now(dt.UTC))
    with store.reading() as uow:
        assert uow.repo.meeting_ids() == []
    store.close()


def test_an_old_schema_is_refused_without_migrate(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with engine.begin() as c:
        c.exec_driver_sql("CREATE TABLE unrelated (x INTEGER)")
    engine.dispose()
    with pytest.raises(InvalidState, match="run 'consensus-kit migrate --db URL'"):
        SqlStore.open(sqlite_url, migrate=False)


def test_an_unreachable_database_is_reported_as_unavailable() -> None:
    with pytest.raises(Unavailable, match="cannot open the database"):
        SqlStore.open("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_a_unique_constraint_hit_inside_a_unit_of_work_is_a_conflict(sqlite_url: str) -> None:
    import datetime as dt

    from consensus_kit import Conflict
    from tests.builders import make_meeting_file

    store = SqlStore.open(sqlite_url)
    meeting = make_meeting_file().meeting
    with store.transaction() as uow:
        uow.repo.add_meeting(meeting, dt.datetime.now(dt.UTC))
        uow.commit()
    with (
        pytest.raises(Conflict, match="a concurrent change got there first"),
        store.transaction() as uow,
    ):
        uow.repo.add_meeting(meeting, dt.datetime.now(dt.UTC))
    store.close()


@pytest.mark.postgres
def test_a_database_connection_killed_mid_request_is_unavailable(pg_url: str) -> None:
    store = SqlStore.open(pg_url)
    killer = make_engine(pg_url)
    with (
        pytest.raises(Unavailable, match="the database is unavailable"),
        store.transaction() as uow,
    ):
        pid = uow.repo.c.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        with killer.connect() as c:
            c.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})")
        uow.repo.meeting_ids()
    with store.reading() as uow:  # the pool recovers: the next request works
        assert uow.repo.meeting_ids() == []
    killer.dispose()
    store.close()


def test_the_migration_makes_ballot_keys_each_organisations_own(db_url: str) -> None:
    from consensus_kit import MeetingService
    from consensus_kit.storage.migrate import upgrade
    from tests.builders import load_meeting

    engine = make_engine(db_url)
    upgrade(engine, "0005")
    with engine.connect() as connection:
        before = {i["name"] for i in inspect(connection).get_indexes("ballot_history")}
    assert "uq_ballot_history_meeting_id_vote_key" in before
    engine.dispose()
    store = SqlStore.open(db_url)  # migrates to the head
    try:
        with store.engine.connect() as connection:
            indexes = {i["name"]: i for i in inspect(connection).get_indexes("ballot_history")}
        assert "uq_ballot_history_meeting_id_vote_key" not in indexes
        index = indexes["uq_ballot_history_meeting_id_vote_organisation_key"]
        assert index["unique"] and index["column_names"] == [
            "meeting_id", "vote", "organisation", "key"
        ]  # fmt: skip
        service = MeetingService(store)
        loaded = load_meeting(service, orgs=3)
        mid = loaded.meeting.id
        chair, one, two = (service.delegate(mid, d) for d in ("chair", "delegate-1", "delegate-2"))
        service.propose_amendment(one, mid, kind="replace", article="art-1", texts={"en": "A."})
        service.open_vote(chair, mid, amendment=1)
        service.cast_ballot(one, mid, 1, "yes", key="same")
        assert service.cast_ballot(two, mid, 1, "yes", key="same").organisation == "org-2"
    finally:
        store.close()

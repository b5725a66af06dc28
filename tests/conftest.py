"""Shared fixtures: real databases (an SQLite file per test; PostgreSQL when configured).

PostgreSQL tests read ``CK_TEST_PG_URL`` (e.g. ``postgresql://postgres@127.0.0.1:5432/test``);
each test gets a private schema that is dropped afterwards. Without the variable they skip with
a message on a laptop, but under ``CI=true`` a missing database is a failure, not a skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from consensus_kit import MeetingService, SqlStore
from consensus_kit.storage.engine import normalise_url

PG_URL = os.environ.get("CK_TEST_PG_URL")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def skip_unless(ok: bool, how: str, *, module: bool = False) -> None:
    """Skip with ``how`` when ``ok`` is false (a laptop without the tool or server), but fail
    under ``CI=true``, where .ci/run provides everything the tests need."""
    if ok:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {how}", pytrace=False)
    pytest.skip(how, allow_module_level=module)


PG_HOW = (
    "PostgreSQL tests need CK_TEST_PG_URL, e.g. "
    "CK_TEST_PG_URL=postgresql://postgres@127.0.0.1:5432/test (.ci/run sets it)"
)


def _pg_schema_url() -> Iterator[str]:
    if not PG_URL:
        if IN_CI:
            pytest.fail(f"CI=true but CK_TEST_PG_URL is not set. {PG_HOW}")
        pytest.skip(PG_HOW)
    base = normalise_url(PG_URL)
    schema = f"ck_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: an SQLite file, then a PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'meeting.db'}"
    else:
        yield from _pg_schema_url()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite file (for tests about SQLite itself or the CLI)."""
    return f"sqlite:///{tmp_path / 'meeting.db'}"


@pytest.fixture
def store(db_url: str) -> Iterator[SqlStore]:
    """An open store on a fresh database, closed after the test."""
    opened = SqlStore.open(db_url)
    yield opened
    opened.close()


@pytest.fixture
def service(store: SqlStore) -> MeetingService:
    """The service over a fresh store."""
    return MeetingService(store)


REDIS_URL = os.environ.get("CK_TEST_REDIS_URL")


@pytest.fixture
def redis_test_url() -> str:
    """A Redis server for live fan-out between workers (``CK_TEST_REDIS_URL``)."""
    how = "Redis tests need CK_TEST_REDIS_URL, e.g. redis://127.0.0.1:6379/15 (.ci/run sets it)"
    if not REDIS_URL:
        if IN_CI:
            pytest.fail(f"CI=true but CK_TEST_REDIS_URL is not set. {how}")
        pytest.skip(how)
    return REDIS_URL


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL schema (for tests about a database server itself)."""
    yield from _pg_schema_url()

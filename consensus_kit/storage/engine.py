"""Engines for SQLite (the default, one file) and PostgreSQL (by URL).

SQLite, as measured in ../shared/pitfalls.md: Python 3.11's driver does not BEGIN before a
SELECT, so read-then-write loses updates silently; a deferred BEGIN fails with "database is
locked" on upgrade. So the driver's own transaction handling is switched off and every write
transaction starts with ``BEGIN IMMEDIATE`` (reads use a plain deferred ``BEGIN``); WAL journal,
``synchronous=FULL`` so an acknowledged commit survives a crash or power loss, foreign keys on,
and a busy timeout so writers queue instead of failing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

__all__ = ["READ_ONLY", "make_engine", "normalise_url"]

READ_ONLY = "ck_read_only"
"""Execution option: a read-only unit of work (SQLite begins it deferred)."""

BUSY_TIMEOUT_MS = 15_000
POOL_SIZE = 40


def normalise_url(url: str) -> str:
    """Accept a plain file path for SQLite and pick the psycopg 3 driver for PostgreSQL.

    >>> normalise_url("meeting.db")
    'sqlite:///meeting.db'
    >>> normalise_url("postgresql://u@localhost/db")
    'postgresql+psycopg://u@localhost/db'
    """
    if "://" not in url:
        return f"sqlite:///{url}"
    scheme, rest = url.split("://", 1)
    if scheme in ("postgresql", "postgres"):
        return f"postgresql+psycopg://{rest}"
    return url


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` with the settings this project relies on."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, **kwargs)
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_engine(url: str, **kwargs: Any) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    if "poolclass" not in kwargs:
        # as many kept connections as the web server has worker threads (anyio's 40): with the
        # default 5, the others were opened (four PRAGMAs) and closed again on every use
        kwargs.setdefault("pool_size", POOL_SIZE)
    engine = create_engine(
        url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}, **kwargs
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine

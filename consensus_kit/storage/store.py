"""The SQL store: opens an engine, runs migrations, hands out units of work."""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager, nullcontext, suppress
from types import TracebackType

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import (
    DataError,
    DBAPIError,
    IntegrityError,
    InterfaceError,
    OperationalError,
)

from consensus_kit.errors import Conflict, InvalidInput, InvalidState, Unavailable
from consensus_kit.storage.engine import READ_ONLY, make_engine, normalise_url
from consensus_kit.storage.migrate import current_revision, head_revision, upgrade
from consensus_kit.storage.repository import SqlRepository

__all__ = ["SqlStore", "SqlUnitOfWork"]


class SqlUnitOfWork:
    """One transaction on one connection; rolls back unless :meth:`commit` is called."""

    def __init__(
        self,
        engine: Engine,
        *,
        read_only: bool = False,
        writer: AbstractContextManager[object] | None = None,
    ) -> None:
        self._engine = engine
        self._read_only = read_only
        self._writer = writer or nullcontext()
        self._connection: Connection | None = None
        self._committed = False

    def __enter__(self) -> SqlUnitOfWork:
        self._writer.__enter__()
        try:
            connection = self._engine.connect()
            if self._read_only:
                connection = connection.execution_options(**{READ_ONLY: True})
            connection.begin()
        except OperationalError as exc:
            self._writer.__exit__(None, None, None)
            raise Unavailable(f"the database cannot be reached: {exc.orig}") from exc
        except BaseException:
            self._writer.__exit__(None, None, None)
            raise
        self._connection = connection
        self.repo = SqlRepository(connection)
        return self

    def commit(self) -> None:
        """Make everything done in this unit of work durable."""
        assert self._connection is not None, "commit() outside 'with'"
        self.repo.flush()
        self._connection.commit()
        self._committed = True

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        connection = self._connection
        self._connection = None
        if connection is None:
            return
        try:
            if not self._committed:
                connection.rollback()
        except DBAPIError:
            # the server ended the transaction already (a terminated backend, a lost link):
            # nothing was committed, what was read stands, and the connection is not reused
            with suppress(DBAPIError):
                connection.invalidate()
        finally:
            try:
                connection.close()
            finally:
                self._writer.__exit__(None, None, None)
        # errors of the database itself become the library's: a lost server is "unavailable"
        # (503), a unique constraint that a concurrent writer hit first is a conflict (409)
        if isinstance(exc, IntegrityError):
            raise Conflict(
                "a concurrent change got there first; read the current state and try again"
            ) from exc
        # a number no column can hold (SQLite: OverflowError; PostgreSQL: out of range)
        if isinstance(exc, OverflowError | DataError):
            raise InvalidInput(
                "a number is out of range (at most 2147483647)", field="number"
            ) from exc
        if isinstance(exc, OperationalError | InterfaceError) or (
            isinstance(exc, DBAPIError) and exc.connection_invalidated
        ):
            raise Unavailable(f"the database is unavailable: {exc.orig}") from exc


class SqlStore:
    """A meeting store in an SQLite file or a PostgreSQL database.

    >>> store = SqlStore.open("sqlite:///meeting.db")  # doctest: +SKIP
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # SQLite has one writer at a time. Threads of this process take turns here instead of
        # in SQLite's busy handler, which sleeps 1–100 ms between tries: under a burst of
        # ballots most of the time went to those sleeps (other processes still queue there).
        self._writer = threading.Lock() if engine.dialect.name == "sqlite" else None

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> SqlStore:
        """Connect to ``url``; bring an empty or older schema up to date when ``migrate``."""
        engine = make_engine(url)
        try:
            current = current_revision(engine)
            head = head_revision()
            if current != head:
                if not migrate:
                    engine.dispose()
                    raise InvalidState(
                        f"the database schema is at {current or 'nothing'}, this version of "
                        f"consensus-kit needs {head}: run 'consensus-kit migrate --db URL'"
                    )
                upgrade(engine)
        except (OperationalError, DBAPIError) as exc:
            engine.dispose()
            shown = normalise_url(url).split("@")[-1]
            raise Unavailable(f"cannot open the database {shown}: {exc.orig}") from exc
        return cls(engine)

    def transaction(self) -> SqlUnitOfWork:
        """A unit of work for changes (SQLite: ``BEGIN IMMEDIATE``)."""
        return SqlUnitOfWork(self.engine, writer=self._writer)

    def reading(self) -> SqlUnitOfWork:
        """A unit of work for consistent reads."""
        return SqlUnitOfWork(self.engine, read_only=True)

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()

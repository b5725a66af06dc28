"""A full dump of a database (every table, every row, the event log included), to prove that a
refused request changed nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData, create_engine, select

from consensus_kit.storage.engine import normalise_url

Dump = dict[str, list[tuple[Any, ...]]]
_REFLECTED: dict[tuple[str, str], MetaData] = {}


def dump_database(url: str) -> Dump:
    """Every row of every table (``alembic_version`` too), sorted, keyed by table name."""
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            # the tables as the database has them (reflected once per dialect and schema revision)
            revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            key = (engine.dialect.name, str(revision.scalar()))
        metadata = _REFLECTED.get(key)
        if metadata is None:
            metadata = _REFLECTED[key] = MetaData()
            metadata.reflect(engine)
        with engine.connect() as connection:
            return {
                name: sorted((tuple(row) for row in connection.execute(select(table))), key=repr)
                for name, table in sorted(metadata.tables.items())
            }
    finally:
        engine.dispose()


def changed_tables(before: Dump, after: Dump) -> set[str]:
    """The tables whose rows differ."""
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}

"""Schema migrations (Alembic), shipped inside the package and run on our own connection.

Opening a store only compares revisions, which needs no Alembic: the head is read from the
migration files (``revision = "…"`` / ``down_revision = …``) and the database's revision from
Alembic's ``alembic_version`` table with plain SQL. Alembic (~0.3 s to import) is loaded only
when a schema is created or upgraded; a test checks both readings against Alembic's own.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = ["current_revision", "head_revision", "upgrade"]

_SCRIPTS = Path(__file__).with_name("migrations")


def _config() -> Config:
    from alembic.config import Config  # noqa: PLC0415 - only migrations need Alembic

    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    return config


def _revisions(path: Path) -> tuple[str, tuple[str, ...]]:
    """A migration file's ``revision`` and the revisions it follows (``down_revision``)."""
    found: dict[str, object] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
                    found[target.id] = ast.literal_eval(node.value)
    down = found.get("down_revision")
    parents = () if down is None else (down,) if isinstance(down, str) else tuple(down)  # type: ignore[arg-type]
    return str(found["revision"]), parents


@functools.cache
def head_revision() -> str:
    """The newest migration this package ships."""
    files = sorted((_SCRIPTS / "versions").glob("*.py"))
    graph = dict(_revisions(path) for path in files if path.name != "__init__.py")
    followed = {parent for parents in graph.values() for parent in parents}
    heads = [revision for revision in graph if revision not in followed]
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads: {heads}")
    return heads[0]


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at (``None`` for an empty database)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    if len(rows) > 1:
        raise RuntimeError(f"the database is at several revisions: {[r[0] for r in rows]}")
    return str(rows[0][0]) if rows else None


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema up to ``revision`` (default: the newest)."""
    from alembic import command  # noqa: PLC0415 - only migrations need Alembic

    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

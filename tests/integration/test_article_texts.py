"""Article texts stored once (migration 0013): storage grows with what changed, not with the
size of the text, and databases made before read back the same texts and hashes."""

from __future__ import annotations

import msgspec
from sqlalchemy import inspect, text

from consensus_kit import CONSOLE, Declaration, MeetingService, SqlStore, verify_store
from consensus_kit.storage.engine import make_engine
from consensus_kit.storage.migrate import _config, current_revision
from tests.builders import load_meeting, with_article_text


def _history(service: MeetingService, articles: int, changes: int) -> list[tuple[str, object]]:
    """A meeting of ``articles`` articles, then ``changes`` versions that each change one;
    every version's hash and texts as the service returned them."""
    loaded = load_meeting(service, articles=articles)
    mid = loaded.meeting.id
    chair = service.delegate(mid, "chair")
    declaration: Declaration = loaded.version.declaration
    published = [(loaded.version.content_hash, declaration)]
    for i in range(changes):
        declaration = with_article_text(declaration, i % articles, "en", f"Change {i} 变更。")
        version = service.publish_version(chair, mid, declaration, note=f"change {i}")
        declaration = version.declaration
        published.append((version.content_hash, declaration))
    return published


def _read_back(service: MeetingService) -> list[tuple[str, object]]:
    with service.store.reading() as uow:
        (meeting,) = uow.repo.meeting_ids()
        numbers = [v.number for v in uow.repo.list_versions(meeting)]
        versions = [uow.repo.get_version(meeting, n) for n in numbers]
    return [(v.content_hash, v.declaration) for v in versions if v is not None]


def _count(store: SqlStore, sql: str) -> int:
    with store.engine.connect() as c:
        return int(c.execute(text(sql)).scalar() or 0)


def test_a_version_that_changes_one_article_stores_one_article(
    service: MeetingService, store: SqlStore
) -> None:
    published = _history(service, articles=20, changes=10)
    assert _count(store, "SELECT COUNT(*) FROM article_texts") == 20 + 10
    assert _read_back(service) == published
    report = verify_store(store, CONSOLE)
    assert report.ok and report.versions == 11, report.findings


def test_storage_grows_with_the_changes_not_with_the_text(service: MeetingService) -> None:
    published = _history(service, articles=100, changes=100)
    # what storing every version whole took before (the JSON of each declaration)
    whole = sum(len(msgspec.json.encode(declaration)) for _, declaration in published)
    stored = _count(
        service.store,
        "SELECT (SELECT SUM(LENGTH(body)) FROM article_texts)"
        " + (SELECT SUM(LENGTH(declaration) + LENGTH(articles)) FROM versions)",
    )
    # the bound at 1,000 × 1,000 (60 MB where whole versions took 583 MB), at 100 × 100
    assert stored <= whole * 60 / 583, (stored, whole)
    assert _count(service.store, "SELECT COUNT(*) FROM article_texts") == 100 + 100


def test_the_migration_splits_stored_versions_and_can_be_undone(db_url: str) -> None:
    from alembic import command

    store = SqlStore.open(db_url)
    published = _history(MeetingService(store), articles=5, changes=3)
    store.close()
    engine = make_engine(db_url)
    config = _config()
    with engine.begin() as connection:  # back to how versions were stored before 0013
        config.attributes["connection"] = connection
        command.downgrade(config, "0012")
    assert current_revision(engine) == "0012"
    with engine.connect() as c:
        assert not inspect(c).has_table("article_texts")
        rows = c.execute(text("SELECT declaration FROM versions ORDER BY number")).all()
    assert all('"articles":[' in r.declaration for r in rows)  # whole declarations again
    engine.dispose()

    store = SqlStore.open(db_url)  # migrates to the head
    try:
        service = MeetingService(store)
        assert _read_back(service) == published
        assert _count(store, "SELECT COUNT(*) FROM article_texts") == 5 + 3
        assert verify_store(store, CONSOLE).ok
    finally:
        store.close()

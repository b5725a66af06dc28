"""A stored content hash never changes (issue 16): versions keep the format they were hashed with.

``tests/data/a20-before-16.sqlite`` was made by the A20 replay with the code before issue 16
(every version hashed with format 1, words and tracking together). After ``consensus-kit
migrate`` it must still verify, with the same hashes its 20 endorsements sealed.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from consensus_kit import (
    CONSOLE,
    HASH_FORMAT,
    MeetingService,
    SqlStore,
    declaration_hash,
    verify_store,
)
from tests.builders import load_meeting

BEFORE = Path(__file__).resolve().parents[1] / "data" / "a20-before-16.sqlite"
HASHES_BEFORE = {  # as the previous release stored them (and the endorsements sealed)
    1: "aa046832b8898c6cb38b25a7854b7f6b550022ba65aca9a984de62e3c4ed837b",
    2: "0bb794c8fe2f1a2ac5d03eead91c1979edbc89717c082bed9079f78254e9071c",
    3: "5eee9a5c1aa01ed44c1504c50e0400c52863bcc968620af1959882cd9f3dd13d",
    4: "9df3cbc15b0bae415bd1ac52cd85490f2aebb205f0627a2104c0332585563924",
    5: "5a3801cf440277d4eb2723ed8c18bb550e0bfa3838888a1fee90e7f22991edb1",
}


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "consensus_kit.cli", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_database_of_the_previous_release_verifies_after_migrate(tmp_path: Path) -> None:
    db = tmp_path / "a20.sqlite"
    shutil.copy(BEFORE, db)
    migrated = cli("migrate", "--db", str(db))
    assert migrated.returncode == 0, migrated.stderr
    verified = cli("verify", "--db", str(db))
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "5 versions checked" in verified.stdout
    with closing(sqlite3.connect(db)) as c:
        rows = c.execute("select number, content_hash, hash_format from versions").fetchall()
        sealed = {
            json.loads(d)["content_hash"] for (d,) in c.execute("select doc from endorsements")
        }
    assert {n: h for n, h, _ in rows} == HASHES_BEFORE
    assert {f for _, _, f in rows} == {1}
    assert sealed == {HASHES_BEFORE[5]}


def test_new_versions_are_hashed_by_their_words(store: SqlStore) -> None:
    service = MeetingService(store)
    loaded = load_meeting(service)
    assert loaded.version.hash_format == HASH_FORMAT == 2
    assert loaded.version.content_hash == declaration_hash(loaded.version.declaration)
    assert [v.hash_format for v in service.versions(CONSOLE, loaded.meeting.id)] == [2]


def _tamper(db: Path, sql: str, *params: object) -> None:
    with closing(sqlite3.connect(db)) as c:
        c.execute(sql, params)
        c.commit()


def _problems(db: Path) -> list[str]:
    with closing(SqlStore.open(f"sqlite:///{db}")) as store:
        return [f"{f.location}: {f.problem}" for f in verify_store(store, CONSOLE).findings]


def test_verify_finds_a_changed_hash_format_or_a_changed_tracking(tmp_path: Path) -> None:
    db = tmp_path / "a20.sqlite"
    shutil.copy(BEFORE, db)
    assert cli("migrate", "--db", str(db)).returncode == 0
    _tamper(db, "update versions set hash_format = 2 where number = 2")
    assert "version 2: texts do not match the version's content hash" in " ".join(_problems(db))

    fresh = tmp_path / "fresh.sqlite"
    with closing(SqlStore.open(f"sqlite:///{fresh}")) as store:
        service = MeetingService(store)
        loaded = load_meeting(service)
        chair = service.delegate(loaded.meeting.id, "chair")
        people = {d.id: d for d in loaded.meeting.delegates}
        a = service.propose_amendment(
            people["delegate-1"],
            loaded.meeting.id,
            kind="replace",
            article="art-1",
            texts={"en": "New"},
        )
        service.adopt_amendment(chair, loaded.meeting.id, a.number)
    assert _problems(fresh) == []
    with closing(sqlite3.connect(fresh)) as c:
        (refs,) = c.execute("select articles from versions where number = 2").fetchone()
        first = json.loads(refs)[0]  # version 2's first article, stored once (migration 0013)
        (raw,) = c.execute("select body from article_texts where id = ?", (first,)).fetchone()
    article = json.loads(raw)
    assert article["in_step"] == {"zh": 1}  # the Chinese is stale
    del article["in_step"]  # someone marks it in step behind our back
    _tamper(fresh, "update article_texts set body = ? where id = ?", json.dumps(article), first)
    assert _problems(fresh) == [
        "version 2: translation status differs from the one recorded when it was published"
    ]
    _tamper(fresh, "update versions set hash_format = 1 where number = 2")
    assert "version 2: texts do not match" in " ".join(_problems(fresh))

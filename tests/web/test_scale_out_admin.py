"""Administration with two app processes over one PostgreSQL and one Redis (issue 18).

A change made through worker A takes effect through worker B at once: B keeps the meeting in
memory, but every transaction compares its revision with the database's.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from consensus_kit import CONSOLE, open_service, verify_store
from tests.web.test_scale_out import two_workers

pytestmark = [pytest.mark.timeout(300), pytest.mark.postgres]


def test_a_rename_through_one_worker_is_seen_through_the_other_within_a_second(
    tmp_path: Path, pg_url: str, redis_test_url: str
) -> None:
    with two_workers(tmp_path, pg_url, redis_test_url) as (a, b):

        def name_on_b() -> str:
            answer = b.api("observer", "GET", "/organisations")
            assert answer.status_code == 200, answer.text
            return str(next(o for o in answer.json() if o["id"] == "org-1")["name"]["zh"])

        assert name_on_b() == "Organisation 1 (zh)"  # B holds the meeting in memory now
        assert b.api("delegate-2", "GET", "/agenda").status_code == 200
        assert b.api("chair", "PUT", "/agenda", {"kind": "article", "ref": "art-1"}).is_success
        renamed = a.api(
            "secretariat",
            "PATCH",
            "/organisations/org-1",
            {"name": {"zh": "救助儿童会"}, "reason": "the official name"},
        )
        assert renamed.status_code == 200, renamed.text
        started = time.monotonic()
        while name_on_b() != "救助儿童会":
            assert time.monotonic() - started < 1.0, "worker B still shows the old name"
            time.sleep(0.02)
        # rights follow at once too: the chair demoted through A cannot act through B
        demoted = a.api(
            "secretariat",
            "PUT",
            "/delegates/chair/roles",
            {"roles": ["observer"], "reason": "stepped down"},
        )
        assert demoted.status_code == 422  # the only chair stays…
        assert a.api(
            "secretariat",
            "PUT",
            "/delegates/secretariat/roles",
            {"roles": ["secretariat", "chair"], "reason": "co-chair"},
        ).is_success
        assert a.api(
            "secretariat",
            "PUT",
            "/delegates/chair/roles",
            {"roles": ["observer"], "reason": "stepped down"},
        ).is_success
        refused = b.api("chair", "PUT", "/agenda", {"kind": "article", "ref": "art-2"})
        assert refused.status_code in (401, 403), refused.text
        withdrawn = a.api(
            "secretariat", "POST", "/delegates/delegate-2/withdraw", {"reason": "left"}
        )
        assert withdrawn.status_code == 200
        assert b.api("delegate-2", "GET", "/agenda").status_code == 401
    service = open_service(pg_url)
    assert verify_store(service.store, CONSOLE).ok
    service.store.close()

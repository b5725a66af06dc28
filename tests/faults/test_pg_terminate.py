"""PostgreSQL backends terminated mid-request (issue 17): every answer is a success or a 503
with Retry-After, never a 500, and everything acknowledged is in the database afterwards.

The test names the server's connections (``application_name``) and terminates only those with
``pg_terminate_backend`` while delegates propose, read and cast ballots through a real
``consensus-kit serve``; other tests on the same PostgreSQL are left alone. A private
PostgreSQL is also stopped and started under an open live stream, which outlives the outage.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from consensus_kit import CONSOLE, open_service, verify_store
from consensus_kit.storage.engine import normalise_url
from tests.builders import load_meeting
from tests.faults.test_faults import PrivatePostgres, private_pg  # noqa: F401 - a fixture
from tests.faults.test_redis_outage import Feed, mover
from tests.web.test_live import free_port, running_server, start_server, stop_server

pytestmark = [pytest.mark.timeout(300), pytest.mark.postgres]


def terminator(base_url: str, name: str, stop: threading.Event, hits: list[int]) -> None:
    """Terminate the server's database connections every few tens of milliseconds."""
    admin = create_engine(normalise_url(base_url), isolation_level="AUTOCOMMIT")
    query = text(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE application_name = :name AND pid <> pg_backend_pid()"
    )
    try:
        with admin.connect() as connection:
            while not stop.is_set():
                hits.append(int(connection.execute(query, {"name": name}).scalar_one()))
                time.sleep(0.03)
    finally:
        admin.dispose()


async def _traffic(
    base: str, tokens: dict[str, str], rounds: int
) -> tuple[list[tuple[str, int, dict[str, Any]]], dict[str, dict[str, Any]], list[int]]:
    """Each delegate proposes, reads and casts (retrying on 503 with the same key) ``rounds``
    times; returns every answer, the acknowledged ballots and the acknowledged amendments."""
    answers: list[tuple[str, int, dict[str, Any]]] = []
    ballots: dict[str, dict[str, Any]] = {}
    proposed: list[int] = []

    async with httpx.AsyncClient(base_url=base, timeout=30) as client:

        async def call(who: str, method: str, path: str, body: Any = None) -> httpx.Response:
            answer = await client.request(
                method, f"/api/v1{path}", json=body,
                headers={"Authorization": f"Bearer {tokens[who]}"},
            )  # fmt: skip
            payload = answer.json() if answer.content else {}
            answers.append((f"{method} {path}", answer.status_code, {
                "body": payload, "retry-after": answer.headers.get("retry-after")}))  # fmt: skip
            return answer

        async def delegate(i: int, who: str) -> None:
            for r in range(rounds):
                proposal = {"kind": "replace", "article": "art-1", "texts": {"en": f"{who} {r}"}}
                made = await call(who, "POST", "/amendments", proposal)
                if made.status_code == 201:
                    proposed.append(made.json()["number"])
                await call(who, "GET", "/amendments")
                await call(who, "GET", "/votes/1")
            choice = {"choice": ("yes", "no", "abstain")[i % 3], "key": f"k-{who}"}
            for _ in range(50):
                cast = await call(who, "POST", "/votes/1/ballots", choice)
                if cast.status_code == 200:
                    ballots[f"org-{who.rsplit('-', 1)[1]}"] = cast.json()
                    return
                await asyncio.sleep(0.05)

        await asyncio.gather(*(delegate(i, w) for i, w in enumerate(tokens)))
    return answers, ballots, proposed


def test_terminated_backends_mean_503_never_500_and_nothing_acknowledged_is_lost(
    tmp_path: Path, pg_url: str
) -> None:
    orgs = 24
    service = open_service(pg_url)
    loaded = load_meeting(service, orgs=orgs)
    mid = loaded.meeting.id
    chair = service.delegate(mid, "chair")
    service.open_vote(chair, mid, version=1, rule="simple_majority")
    service.store.close()

    name = f"ck17_{uuid.uuid4().hex[:8]}"
    port = free_port()
    process = start_server(f"{pg_url}&application_name={name}", port)
    base = f"http://127.0.0.1:{port}"
    voters = [f"delegate-{i}" for i in range(1, orgs + 1)]
    with httpx.Client(base_url=base, timeout=30) as client:
        tokens = {w: client.post("/api/v1/token", json={"code": loaded.codes[w]}).json()["token"]
                  for w in voters}  # fmt: skip
    stop, hits = threading.Event(), []
    killer = threading.Thread(target=terminator, args=(pg_url, name, stop, hits))
    killer.start()
    try:
        answers, ballots, proposed = asyncio.run(_traffic(base, tokens, rounds=6))
    finally:
        stop.set()
        killer.join()
        stop_server(process)

    statuses = Counter(status for _, status, _ in answers)
    assert sum(hits) > 0, "no backend was terminated"
    assert set(statuses) <= {200, 201, 503}, [a for a in answers if a[1] not in (200, 201, 503)]
    assert statuses[503] > 0, f"no request met a terminated backend: {statuses}"
    for _, status, detail in answers:
        if status == 503:
            assert detail["retry-after"] == "2" and detail["body"]["code"] == "unavailable"
    assert len(ballots) == orgs, "some delegates could not cast within 50 tries"

    service = open_service(pg_url, migrate=False)
    try:
        with service.store.engine.connect() as c:
            rows = c.execute(text("SELECT organisation, choice, receipt FROM ballots")).all()
            numbers = {n for (n,) in c.execute(text("SELECT number FROM amendments"))}
        stored = {r.organisation: (r.choice, r.receipt) for r in rows}
        for org, receipt in ballots.items():
            assert stored.get(org) == (receipt["choice"], receipt["receipt"]), org
        assert set(proposed) <= numbers, "an acknowledged amendment is missing"
        assert verify_store(service.store, CONSOLE).ok
    finally:
        service.store.close()


def test_a_live_stream_outlives_a_database_outage(
    tmp_path: Path,
    private_pg: PrivatePostgres,  # noqa: F811 - the fixture imported above
) -> None:
    with running_server(tmp_path, db=private_pg.url, CK_POLL="0.5", CK_HEARTBEAT="2") as server:
        feed = Feed(server, "observer")
        move = mover(server)
        assert feed.latency(move) < 2
        private_pg.stop()
        time.sleep(6)  # several safety re-reads (every 1-2 s here) and polls meet no database
        assert not feed.ended, "the stream was cut by the outage"
        private_pg.start()
        deadline = time.monotonic() + 15
        while server.api("chair", "GET", "/agenda").status_code != 200:
            assert time.monotonic() < deadline, "the server did not recover"
            time.sleep(0.2)
        assert feed.latency(move) < 3
        assert not feed.ended
        feed.close()

"""Two app processes on different ports over one PostgreSQL and one Redis (issue 8).

Real servers: each ``consensus-kit serve`` is its own process, the database is a private
PostgreSQL schema and live notices go through Redis; nothing here is faked.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from consensus_kit import CONSOLE, open_service, verify_store
from consensus_kit.domain.events import VoteClosed
from tests.web.test_live import Server, read_events, running_server, serving, stream

pytestmark = [pytest.mark.timeout(300), pytest.mark.postgres]


@contextmanager
def two_workers(
    folder: Path, db: str, redis: str, orgs: int = 3, **env: str
) -> Iterator[tuple[Server, Server]]:
    """Worker A and worker B: two ``serve`` processes on two ports, one database, one Redis."""
    with (
        running_server(folder, "--redis", redis, db=db, orgs=orgs, **env) as a,
        serving(db, "--redis", redis, **env) as base_b,
    ):
        yield a, Server(base_b, db, a.codes, a.mid)


def test_a_client_on_worker_a_gets_every_event_caused_on_worker_b_in_order_once(
    tmp_path: Path, pg_url: str, redis_test_url: str
) -> None:
    # a slow poll on both: within the deadline only Redis notices (and the log behind them)
    # can deliver; the client reads the whole log from where it started, so order and
    # exactly-once are checked over every event, not only the ones a notice announced
    with two_workers(tmp_path, pg_url, redis_test_url, CK_POLL="30") as (a, b):
        start = a.last_seq()
        client, request = stream(a, "observer", **{"Last-Event-ID": str(start)})
        with client, request as response:
            assert response.status_code == 200
            caused: list[int] = []
            lock = threading.Lock()

            def propose(who: str, count: int) -> None:
                for i in range(count):
                    answer = b.api(
                        who,
                        "POST",
                        "/amendments",
                        {"kind": "replace", "article": "art-1", "texts": {"en": f"{who} {i}"}},
                    )
                    assert answer.status_code == 201, answer.text
                    with lock:
                        caused.append(answer.json()["number"])

            # four delegates propose at the same time through worker B, then the chair moves on
            writers = [
                threading.Thread(target=propose, args=(f"delegate-{n}", 5)) for n in (1, 2, 3)
            ] + [threading.Thread(target=propose, args=("signatory-1", 5))]
            for w in writers:
                w.start()
            for w in writers:
                w.join()
            assert b.api("chair", "PUT", "/agenda", {"kind": "article", "ref": "art-2"}).is_success
            expected = 21
            events = read_events(response, expected, 15, heartbeats=False)
    seqs = [int(e["id"]) for e in events]
    assert seqs == list(range(start + 1, start + expected + 1)), seqs
    kinds = Counter(e["event"] for e in events)
    assert kinds == {"amendment_proposed": 20, "agenda_set": 1}
    assert events[-1]["event"] == "agenda_set"
    assert sorted(caused) == list(range(1, 21))


async def _post(
    client: httpx.AsyncClient, server: Server, who: str, path: str, body: Any
) -> tuple[str, int, Any]:
    answer = await client.post(
        f"{server.base}/api/v1{path}",
        json=body,
        headers={"Authorization": f"Bearer {server.tokens[who]}"},
    )
    try:
        payload = answer.json()
    except ValueError:
        payload = answer.text
    return who, answer.status_code, payload


async def _burst(
    calls: list[tuple[Server, str, str, Any]], in_flight: int = 64
) -> list[tuple[str, int, Any]]:
    limit = asyncio.Semaphore(in_flight)
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=in_flight)) as c:

        async def one(server: Server, who: str, path: str, body: Any) -> tuple[str, int, Any]:
            async with limit:
                return await _post(c, server, who, path, body)

        return await asyncio.gather(*(one(*call) for call in calls))


def _login_all(a: Server, b: Server, who: list[str]) -> None:
    async def run() -> None:
        async with httpx.AsyncClient(timeout=30) as c:
            limit = asyncio.Semaphore(32)

            async def one(i: int, name: str) -> None:
                server = (a, b)[i % 2]
                async with limit:
                    answer = await c.post(
                        f"{server.base}/api/v1/token", json={"code": a.codes[name]}
                    )
                assert answer.status_code == 200, answer.text
                a.tokens[name] = b.tokens[name] = answer.json()["token"]

            await asyncio.gather(*(one(i, name) for i, name in enumerate(who)))

    asyncio.run(run())


def _check_retries_got_the_original_receipt(
    answers: list[tuple[str, int, Any]], total: int
) -> None:
    """Every request was accepted, and each retry returned the original receipt."""
    assert all(status == 200 for _, status, _ in answers), Counter(s for _, s, _ in answers)
    by_org: dict[str, list[dict[str, Any]]] = {}
    for who, _, receipt in answers:
        by_org.setdefault(who, []).append(receipt)
    for who, receipts in by_org.items():
        assert len({r["receipt"] for r in receipts}) == 1, who
        assert sum(not r["replayed"] for r in receipts) == 1, who
    assert sum(len(r) for r in by_org.values()) == total


def _accepted_before_the_close(
    answers: list[tuple[str, int, Any]], closed_at: int, racing: int
) -> dict[str, dict[str, Any]]:
    """The casts that raced the close: accepted ones came before it, refused ones were told."""
    closing = [answer for who, _, answer in answers if who == "chair"]
    assert closing[0]["state"] == "closed", closing
    accepted: dict[str, dict[str, Any]] = {}
    refused = 0
    for who, status, answer in answers:
        if who == "chair":
            continue
        if status == 200:
            assert answer["seq"] < closed_at, "a ballot was accepted after the close"
            accepted[who] = answer
        else:
            assert status == 409, (status, answer)
            assert "closed" in answer["message"], answer  # the delegate is told why
            refused += 1
    assert refused > 0, "the close did not race any cast"
    assert len(accepted) + refused == racing
    return accepted


def test_five_hundred_organisations_cast_at_once_over_two_workers(
    tmp_path: Path, pg_url: str, redis_test_url: str
) -> None:
    orgs = 500
    rng = random.Random(8)
    with two_workers(tmp_path, pg_url, redis_test_url, orgs=orgs) as (a, b):
        voters = [f"delegate-{i}" for i in range(1, orgs + 1)]
        _login_all(a, b, [*voters, "chair"])
        opened = a.api("chair", "POST", "/votes", {"version": 1, "rule": "simple_majority"})
        assert opened.status_code == 201, opened.text
        vote = opened.json()["number"]
        path = f"/votes/{vote}/ballots"
        choices = ("yes", "no", "abstain")

        # wave 1: 450 organisations cast at once over both workers, with 200 of the very same
        # requests retried (same key, same body) and sent to the other worker
        first = {v: {"choice": choices[i % 3], "key": f"first-{v}"} for i, v in enumerate(voters)}
        early, late = voters[:450], voters[450:]
        calls = [((a, b)[i % 2], v, path, first[v]) for i, v in enumerate(early)]
        retried = rng.sample(early, 200)
        calls += [((b, a)[early.index(v) % 2], v, path, first[v]) for v in retried]
        rng.shuffle(calls)
        wave1 = asyncio.run(_burst(calls))

        # wave 2: 50 first casts and 50 changed ballots race the chair's close
        changers = rng.sample(early, 50)
        changed = {v: {"choice": "no" if first[v]["choice"] != "no" else "yes", "key": f"change-{v}"}
                   for v in changers}  # fmt: skip
        racing = [((a, b)[i % 2], v, path, first[v]) for i, v in enumerate(late)]
        racing += [((b, a)[i % 2], v, path, changed[v]) for i, v in enumerate(changers)]
        rng.shuffle(racing)
        close: tuple[Server, str, str, Any] = (b, "chair", f"/votes/{vote}/close", None)
        wave2 = asyncio.run(_burst([*racing[:30], close, *racing[30:]]))
        after = a.api("chair", "GET", f"/votes/{vote}").json()

    statuses = Counter(status for _, status, _ in [*wave1, *wave2])
    assert not [s for s in statuses if s >= 500], statuses
    _check_retries_got_the_original_receipt(wave1, total=650)

    service = open_service(pg_url, migrate=False)
    try:
        log = service.events_after(CONSOLE, service.the_meeting(), 0, 100_000)
        with service.store.engine.connect() as c:
            rows = c.execute(
                text("SELECT organisation, choice FROM ballots WHERE vote = :v"), {"v": vote}
            ).all()
        assert verify_store(service.store, CONSOLE).ok
    finally:
        service.store.close()
    closed_at = next(e.seq for e in log if isinstance(e.body, VoteClosed))
    accepted = _accepted_before_the_close(wave2, closed_at, racing=100)

    # exactly one current ballot per organisation whose ballot was accepted before the close
    stored = {r.organisation: r.choice for r in rows}
    assert len(rows) == len(stored)
    expected = {
        f"org-{i + 1}": (accepted.get(v) or first[v])["choice"]
        for i, v in enumerate(voters)
        if v in early or v in accepted
    }
    assert stored == expected
    tally, counted = after["vote"]["result"]["tally"], Counter(stored.values())
    assert [tally[c] for c in choices] == [counted[c] for c in choices]
    assert tally["cast"] == len(stored)


def test_a_logout_on_one_worker_is_refused_by_the_other_within_a_second(
    tmp_path: Path, pg_url: str, redis_test_url: str
) -> None:
    # worker B trusts a login it checked for at most a second (RESUME_CHECK_SECONDS): that
    # per-process trust is the only copy of login state outside the database
    with two_workers(tmp_path, pg_url, redis_test_url) as (a, b):
        token = a.token("delegate-1")
        b.tokens["delegate-1"] = token
        assert b.api("delegate-1", "GET", "/me").status_code == 200  # B now trusts it
        ended = httpx.delete(
            f"{a.base}/api/v1/token", headers={"Authorization": f"Bearer {token}"}, timeout=10
        )
        assert ended.status_code == 204, ended.text
        started = time.monotonic()
        while b.api("delegate-1", "GET", "/me").status_code == 200:
            assert time.monotonic() - started < 1.5, "worker B still accepts the ended login"
            time.sleep(0.05)
        refused = b.api("delegate-1", "GET", "/me")
        assert refused.status_code == 401 and "logged out" in refused.json()["message"]

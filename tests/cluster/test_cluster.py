"""Several app servers behind HAProxy, one meeting or a hundred, and faults (issue 23).

``deploy/local-cluster.sh`` starts the servers and HAProxy; every request and live stream goes
through the balancer, with no stickiness. Clients do what real ones do: a delegate retries a
ballot that got no answer (502/503/504 or a cut connection) with the same key, a live page
reconnects with ``Last-Event-ID``. Each scenario prints (and, with ``CK_CLUSTER_REPORT``,
records for ``bench/cluster_report.py``) ballots acknowledged, stored, lost, doubled, live events
missed and the p99 latency through the balancer.

Sizes, for two shared cores and a CI budget: the kill -9 burst is the issue's 2,000 ballots (400
organisations × 5 open votes), six live pages watch it; the graceful stop (SIGTERM), Redis and
PostgreSQL scenarios use 600 ballots (200 × 3) and three to six pages; the hundred meetings are the issue's 100 × 50 organisations
with one live page per meeting, 48 requests in flight.
"""

from __future__ import annotations

import asyncio
import random
import signal
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest

from tests.cluster.harness import (
    Cast,
    Report,
    Seen,
    cast_all,
    check_stored,
    cluster,
    load_meetings,
    log_in,
    mint_tokens,
    need_haproxy,
    replay,
)
from tests.cluster.streams import Watcher, last_seq
from tests.faults.test_pg_terminate import terminator
from tests.faults.test_redis_outage import PrivateRedis, private_redis  # noqa: F401 - a fixture

pytestmark = [pytest.mark.timeout(300), pytest.mark.postgres, pytest.mark.slow]

CHOICES = ("yes", "no", "abstain")


def _casts(mid: str, votes: list[int], orgs: int, tokens: dict[str, str]) -> list[Cast]:
    casts = [
        Cast(mid, vote, f"org-{i}", tokens[f"delegate-{i}"], CHOICES[(i + vote) % 3],
             f"k-{vote}-{i}")
        for vote in votes for i in range(1, orgs + 1)
    ]  # fmt: skip
    random.Random(23).shuffle(casts)
    return casts


def _check(seen: Seen, pg: str, watchers: list[Watcher], final: int) -> tuple[int, int, int]:
    """Asserts that nothing acknowledged is lost or doubled and no live event was missed;
    returns (stored, events missed, events doubled)."""
    assert not seen.unclear, seen.unclear[:5]
    assert set(seen.statuses) <= {0, 200, 502, 503, 504}, seen.statuses
    stored = check_stored(pg, seen)
    assert (stored.lost, stored.doubled, stored.current_wrong) == (0, 0, 0), stored
    missed = [w.missed(final) for w in watchers]
    assert all(m == (0, 0) for m in missed), missed
    return stored.stored, sum(m[0] for m in missed), sum(m[1] for m in missed)


@pytest.mark.parametrize(
    ("how", "orgs", "votes"),
    [(signal.SIGKILL, 400, 5), (signal.SIGTERM, 200, 3)],
    ids=["kill -9 during 2,000 ballots", "SIGTERM during 600 ballots"],
)
def test_a_server_stops_mid_burst_and_nothing_acknowledged_or_streamed_is_lost(
    tmp_path: Path,
    pg_url: str,
    redis_test_url: str,
    capsys: pytest.CaptureFixture[str],
    how: signal.Signals,
    orgs: int,
    votes: int,
) -> None:
    need_haproxy()
    [m] = load_meetings(pg_url, 1, orgs=orgs, votes=votes)
    with cluster(tmp_path, pg_url, redis_test_url, servers=3) as c:
        voters = {f"delegate-{i}": m.codes[f"delegate-{i}"] for i in range(1, orgs + 1)}
        tokens = asyncio.run(log_in(c.url, {**voters, "observer": m.codes["observer"]}))
        start = last_seq(pg_url, m.mid)
        watchers = [Watcher(c.url, tokens["observer"], start) for _ in range(6)]
        casts = _casts(m.mid, m.votes, orgs, tokens)
        stopped = threading.Event()

        async def stop_one(acknowledged: int) -> None:
            if acknowledged >= len(casts) // 3 and not stopped.is_set():
                stopped.set()
                c.signal(2, how)

        seen = asyncio.run(cast_all(c.url, casts, on_ack=stop_one))
        wrong = asyncio.run(replay(c.url, casts[::20], seen))
        final = last_seq(pg_url, m.mid)
        caught_up = [w.wait_for(final, 20) for w in watchers]
        for w in watchers:
            w.stop()
        deadline = time.monotonic() + 10
        while not c.gone(2):
            assert time.monotonic() < deadline, f"server 2 still runs 10 s after {how.name}"
            time.sleep(0.1)

    assert stopped.is_set() and len(seen.acknowledged) == len(casts) == orgs * votes
    assert not wrong, wrong[:5]  # a retry with the same key got the first receipt back
    assert all(caught_up), [w.ids[-1:] for w in watchers]
    stored, missed, _ = _check(seen, pg_url, watchers, final)
    reconnected = sum(w.connections - 1 for w in watchers)
    assert reconnected >= 1, "no live stream was on the stopped server"
    if how == signal.SIGTERM:  # the stopping server told its streams to go elsewhere
        assert sum(w.told for w in watchers) >= 1
    Report(
        f"{'kill -9' if how == signal.SIGKILL else 'SIGTERM'} of one of 3 servers during a "
        f"{orgs * votes:,}-ballot burst",
        len(seen.acknowledged), stored, 0, 0, missed, seen.p99_ms(),
        f"{seen.retries} retries, statuses {dict(seen.statuses)}; {len(watchers)} live pages "
        f"reconnected {reconnected} times, told {sum(w.told for w in watchers)}",
    ).emit(capsys)  # fmt: skip


def test_redis_restarted_mid_session_live_updates_resume_and_no_ballot_is_lost(
    tmp_path: Path,
    pg_url: str,
    private_redis: PrivateRedis,  # noqa: F811 - the fixture imported above
    capsys: pytest.CaptureFixture[str],
) -> None:
    need_haproxy()
    private_redis.start()
    orgs, votes = 200, 3
    [m] = load_meetings(pg_url, 1, orgs=orgs, votes=votes)
    with cluster(tmp_path, pg_url, private_redis.url, servers=2, CK_HEARTBEAT="15") as c:
        voters = {f"delegate-{i}": m.codes[f"delegate-{i}"] for i in range(1, orgs + 1)}
        chair = {"observer": m.codes["observer"], "chair": m.codes["chair"]}
        tokens = asyncio.run(log_in(c.url, {**voters, **chair}))
        start = last_seq(pg_url, m.mid)
        watchers = [Watcher(c.url, tokens["observer"], start) for _ in range(3)]
        casts = _casts(m.mid, m.votes, orgs, tokens)
        third = len(casts) // 3
        seen = asyncio.run(cast_all(c.url, casts[:third]))
        # Redis away: every /readyz says 503, so the balancer falls back to the servers that are
        # up (deploy/haproxy.cfg), which serve and find changes by polling
        private_redis.stop()
        seen = asyncio.run(cast_all(c.url, casts[third : 2 * third], seen=seen))
        private_redis.start()
        restarted = time.monotonic()
        seen = asyncio.run(cast_all(c.url, casts[2 * third :], seen=seen))
        final = last_seq(pg_url, m.mid)
        caught_up = [w.wait_for(final, 15) for w in watchers]
        # after the restart, one change through the balancer: how long until every page has it
        probe = Watcher(c.url, tokens["observer"], final)
        moved = httpx.put(
            f"{c.url}/api/v1/agenda", json={"kind": "article", "ref": "art-2"},
            headers={"Authorization": f"Bearer {tokens['chair']}"}, timeout=30,
        )  # fmt: skip
        assert moved.status_code == 200, moved.text
        changed_at = time.monotonic()
        after = last_seq(pg_url, m.mid)
        resumed = [w.wait_for(after, 10) for w in [*watchers, probe]]
        delays = [w.arrived[after] - changed_at for w in [*watchers, probe] if after in w.arrived]
        for w in [*watchers, probe]:
            w.stop()

    assert all(caught_up) and all(resumed), (caught_up, resumed)
    assert max(delays) < 5.0, delays  # the streams' own safety re-read: at most 5 s
    assert len(seen.acknowledged) == len(casts)
    stored, missed, _ = _check(seen, pg_url, watchers, after)
    Report(
        "Redis restarted mid-session (2 servers, 600 ballots)",
        len(seen.acknowledged), stored, 0, 0, missed, seen.p99_ms(),
        f"{seen.retries} retries, statuses {dict(seen.statuses)}; a change "
        f"{time.monotonic() - restarted:.0f} s after the restart reached every page in "
        f"{max(delays) * 1000:.0f} ms",
    ).emit(capsys)  # fmt: skip


def test_postgresql_connections_terminated_mid_burst_mean_clear_503s_and_nothing_lost(
    tmp_path: Path, pg_url: str, redis_test_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    need_haproxy()
    orgs, votes = 200, 3
    [m] = load_meetings(pg_url, 1, orgs=orgs, votes=votes)
    name = f"ck23_{uuid.uuid4().hex[:8]}"
    with cluster(tmp_path, f"{pg_url}&application_name={name}", redis_test_url, servers=3) as c:
        voters = {f"delegate-{i}": m.codes[f"delegate-{i}"] for i in range(1, orgs + 1)}
        tokens = asyncio.run(log_in(c.url, {**voters, "observer": m.codes["observer"]}))
        start = last_seq(pg_url, m.mid)
        watchers = [Watcher(c.url, tokens["observer"], start) for _ in range(3)]
        casts = _casts(m.mid, m.votes, orgs, tokens)
        stop, hits = threading.Event(), []
        killer = threading.Thread(target=terminator, args=(pg_url, name, stop, hits))

        async def terminate_for_a_while(acknowledged: int) -> None:
            if acknowledged == len(casts) // 4:
                killer.start()
                threading.Timer(3.0, stop.set).start()

        try:
            seen = asyncio.run(cast_all(c.url, casts, on_ack=terminate_for_a_while))
        finally:
            stop.set()
            if killer.is_alive():
                killer.join()
        final = last_seq(pg_url, m.mid)
        caught_up = [w.wait_for(final, 20) for w in watchers]
        for w in watchers:
            w.stop()

    assert sum(hits) > 0, "no connection was terminated"
    assert seen.statuses[503] > 0, f"no request met a terminated connection: {seen.statuses}"
    assert seen.statuses[500] == 0
    assert all(caught_up)
    assert len(seen.acknowledged) == len(casts)
    stored, missed, _ = _check(seen, pg_url, watchers, final)
    Report(
        "PostgreSQL connections terminated for 3 s mid-burst (3 servers, 600 ballots)",
        len(seen.acknowledged), stored, 0, 0, missed, seen.p99_ms(),
        f"{sum(hits)} connections terminated; {seen.retries} retries, statuses "
        f"{dict(seen.statuses)}",
    ).emit(capsys)  # fmt: skip


@pytest.mark.timeout(600)
def test_a_hundred_meetings_vote_at_once_and_each_stream_gets_only_its_own_events(
    tmp_path: Path, pg_url: str, redis_test_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    need_haproxy()
    count, orgs = 100, 50
    began = time.monotonic()
    meetings = load_meetings(pg_url, count, orgs=orgs, votes=1)
    codes = {(m.mid, who): m.codes[who] for m in meetings
             for who in [*(f"delegate-{i}" for i in range(1, orgs + 1)), "observer", "chair"]}  # fmt: skip
    tokens = mint_tokens(pg_url, codes)
    prepared = time.monotonic() - began
    # a heartbeat every 15 s, as in production: each stream's own safety re-read then comes
    # every 2.5-5 s rather than every 1-2 s (100 streams re-reading the log add up)
    with cluster(tmp_path, pg_url, redis_test_url, servers=3, CK_HEARTBEAT="15") as c:
        starts = {m.mid: last_seq(pg_url, m.mid) for m in meetings}
        watchers = {m.mid: Watcher(c.url, tokens[(m.mid, "observer")], starts[m.mid])
                    for m in meetings}  # fmt: skip
        casts = [
            cast
            for m in meetings
            for cast in _casts(
                m.mid, m.votes, orgs,
                {f"delegate-{i}": tokens[(m.mid, f"delegate-{i}")] for i in range(1, orgs + 1)},
            )
        ]  # fmt: skip
        random.Random(100).shuffle(casts)
        seen = asyncio.run(cast_all(c.url, casts))
        # each meeting's chair then moves the agenda a different number of times: a stream
        # given another meeting's events would count wrong
        moves = [(m.mid, n % 4 + 1) for n, m in enumerate(meetings)]
        with httpx.Client(base_url=c.url, timeout=30) as client:
            for mid, times in moves:
                for t in range(times):
                    moved = client.put(
                        "/api/v1/agenda", json={"kind": "article", "ref": f"art-{t % 2 + 1}"},
                        headers={"Authorization": f"Bearer {tokens[(mid, 'chair')]}"},
                    )  # fmt: skip
                    assert moved.status_code == 200, moved.text
        finals = {m.mid: last_seq(pg_url, m.mid) for m in meetings}
        caught_up = [watchers[mid].wait_for(final, 30) for mid, final in finals.items()]
        for w in watchers.values():
            w.stop()

    assert all(caught_up)
    assert len(seen.acknowledged) == count * orgs
    for (mid, times), m in zip(moves, meetings, strict=True):
        expected = list(range(starts[mid] + 1, finals[mid] + 1))
        assert watchers[mid].ids == expected, mid  # its own events, in order, once
        assert finals[mid] - starts[mid] == orgs + times, (mid, starts[mid], finals[mid])
        assert m.mid == mid
    stored, missed, _ = _check(seen, pg_url, [], 0)
    Report(
        "100 meetings × 50 organisations voting at once (3 servers)",
        len(seen.acknowledged), stored, 0, 0, missed, seen.p99_ms(),
        f"{len(watchers)} live pages, one per meeting, each got exactly its meeting's events; "
        f"{seen.retries} retries; {len(casts):,} ballots in {seen.seconds:.0f} s "
        f"({len(casts) / seen.seconds:.0f}/s); meetings and logins prepared in {prepared:.0f} s",
    ).emit(capsys)  # fmt: skip

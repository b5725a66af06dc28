"""Benchmark of ballot intake over HTTP against a ceiling with our token check and group commit.

Run ``python bench/bench_ballots.py`` (2,000 organisations, 3 repetitions) or ``--quick`` (100
organisations, 2 repetitions); ``--pg URL`` (default ``$CK_TEST_PG_URL``) for the PostgreSQL
configuration. A bench runner can ``import`` this file and call :func:`run`.

A meeting of N organisations, each with one delegate holding a voting role. Bearer tokens come
from ``POST /api/v1/token`` before any timing. Each repetition the chair opens a vote (not
timed), then every organisation casts its ballot at once through
``POST /api/v1/votes/{n}/ballots`` with its token and an idempotency key: an asyncio httpx
client on loopback with ``CONCURRENCY`` keep-alive connections, one request in flight on each
(raw asyncio streams: httpx's pool spent ~5 ms of CPU per request at 100 in flight, more than
the server it measures, and made the ceiling look 4× slower than it is). Two configurations:

- one worker over an SQLite file (``consensus-kit serve``);
- two workers over PostgreSQL (``serve --workers 2``); skipped with a reason when no PostgreSQL
  URL is given, except under ``CI=true`` where it must run.

The ceiling, run in the same process and alternating repetitions with ours, is
``_peers.py ballots``: a Litestar app under uvicorn, same workers, that checks the same bearer
token and hands each ballot to our group commit, which inserts a batch per transaction into the
same kind of database with the same settings. It is the fair ceiling: what our endpoint would
cost without its rules (membership, an open vote, one current ballot per organisation, the
idempotency key, the tally, the event log). The former ceiling committed each request alone and
skipped the token, so ours, which batches, looked faster than its own ceiling.

Reported: the median of ballots/s over repetitions (accepted ballots ÷ wall time of the whole
intake) and the median and p99 latency of every request of every repetition; the ratio is ours
÷ ceiling in ballots/s. Correctness is counted each repetition from the database itself: *lost*
= accepted (2xx) ballots whose receipt is not stored as the organisation's current ballot;
*doubled* = organisations with more than one stored ballot, plus replays (a tenth of the ballots
re-sent with the same key after the intake) that were not answered with the first receipt; the
tally must equal the stored ballots. Targets: ≥ 1,000 ballots/s, p99 ≤ 300 ms, ≥ 0.8 × the
ceiling, 0 lost, 0 doubled, every ballot answered 2xx.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import msgspec
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as h

from consensus_kit import open_service
from consensus_kit.storage.engine import make_engine

Row = dict[str, Any]
CONCURRENCY = 100
CHOICES = ("yes", "no", "abstain")
TARGET_RATE, TARGET_P99_MS, TARGET_RATIO = 1000.0, 300.0, 0.8


async def _intake(
    base: str, path: str, requests: list[tuple[str, dict[str, str]]]
) -> tuple[float, list[float], list[tuple[int, Any]]]:
    """POST every (token, body) to ``path``, ``CONCURRENCY`` keep-alive connections each sending
    one request after another: wall time, latencies, (status, JSON) per request in order."""
    host, port = base.removeprefix("http://").split(":")
    latencies: list[float] = [0.0] * len(requests)
    answers: list[tuple[int, Any]] = [(0, None)] * len(requests)
    pending = iter(range(len(requests)))
    connections = [h.HttpConnection(host, int(port)) for _ in range(CONCURRENCY)]
    for connection in connections:  # connect before the clock starts, as a browser would be
        await connection.request("GET", "/ready")

    async def worker(connection: h.HttpConnection) -> None:
        for i in pending:
            token, body = requests[i]
            payload = msgspec.json.encode(body)
            start = time.perf_counter()
            try:
                status, data = await connection.request(
                    "POST", path, payload, {"Authorization": f"Bearer {token}"}
                )
                answers[i] = (status, msgspec.json.decode(data) if data else None)
            except (OSError, ValueError, asyncio.IncompleteReadError) as exc:
                answers[i] = (-1, repr(exc))
                await connection.close()
            latencies[i] = (time.perf_counter() - start) * 1000

    start = time.perf_counter()
    await asyncio.gather(*(worker(c) for c in connections))
    wall = time.perf_counter() - start
    for connection in connections:
        await connection.close()
    return wall, latencies, answers


def _check_ours(
    db: str, base: str, chair: str, vote: int, sent: list[tuple[str, dict[str, str]]],
    answers: list[tuple[int, Any]],
) -> dict[str, int]:  # fmt: skip
    """Count lost and doubled ballots from the database, replays and the API's tally."""
    accepted = {a["organisation"]: a["receipt"] for s, a in answers if 200 <= s < 300}
    engine = make_engine(db)
    with engine.connect() as c:
        stored = c.execute(
            text("SELECT organisation, receipt FROM ballots WHERE vote = :v"), {"v": vote}
        ).all()
        history = c.execute(
            text("SELECT count(*) FROM ballot_history WHERE vote = :v"), {"v": vote}
        ).scalar_one()
    engine.dispose()
    per_org = Counter(org for org, _ in stored)
    current: dict[str, str] = {org: receipt for org, receipt in stored}
    lost = sum(current.get(org) != receipt for org, receipt in accepted.items())
    doubled = sum(n - 1 for n in per_org.values() if n > 1) + max(0, history - len(accepted))
    # a tenth of the ballots again, same key: the first receipt, nothing stored twice
    replay = random.Random(vote).sample(range(len(sent)), max(1, len(sent) // 10))
    with httpx.Client(base_url=base, timeout=30) as client:
        for i in replay:
            token, body = sent[i]
            answer = client.post(
                f"/api/v1/votes/{vote}/ballots",
                json=body,
                headers={"Authorization": f"Bearer {token}"},
            ).json()
            if not answer.get("replayed") or answer.get("receipt") != answers[i][1]["receipt"]:
                doubled += 1
        view = client.get(
            f"/api/v1/votes/{vote}", headers={"Authorization": f"Bearer {chair}"}
        ).json()
    tally = view["tally"]
    tally_ok = tally["cast"] == len(stored) == sum(tally[c] for c in CHOICES)
    return {
        "accepted": len(accepted),
        "refused": len(sent) - len(accepted),
        "lost": lost,
        "doubled": doubled,
        "tally_wrong": 0 if tally_ok else 1,
    }


def _check_peer(db: str, rep: int, answers: list[tuple[int, Any]]) -> dict[str, int]:
    accepted = {a["key"] for s, a in answers if 200 <= s < 300}
    engine = make_engine(db)
    with engine.connect() as c:
        keys = [r[0] for r in c.execute(text(f"SELECT key FROM peer_ballots WHERE vote = {rep}"))]
    engine.dispose()
    return {
        "accepted": len(accepted),
        "refused": len(answers) - len(accepted),
        "lost": len(accepted - set(keys)),
        "doubled": len(keys) - len(set(keys)),
        "tally_wrong": 0,
    }


def _configuration(name: str, db: str, peer_db: str, workers: int, orgs: int, reps: int) -> Row:
    """Time ours and the ceiling, alternating repetitions; one row."""
    service = open_service(db)
    loaded = h.load(service, orgs)
    service.store.close()
    delegates = [f"delegate-{i}" for i in range(1, orgs + 1)]
    codes = {str(k): v for k, v in loaded.codes.items()}
    extra = ("--workers", str(workers)) if workers > 1 else ()
    ours: dict[str, list[float]] = {"rate": [], "lat": []}
    peer: dict[str, list[float]] = {"rate": [], "lat": []}
    counts: Counter[str] = Counter()
    peer_counts: Counter[str] = Counter()
    with ExitStack() as stack:
        base = stack.enter_context(h.serve(db, *extra))
        peer_base = stack.enter_context(h.serve_peer("ballots", peer_db, workers))
        token = h.tokens(base, codes, [*delegates, "chair"])
        chair = {"Authorization": f"Bearer {token['chair']}"}
        for rep in range(reps):
            opened = httpx.post(
                f"{base}/api/v1/votes/", json={"version": 1}, headers=chair, timeout=30
            )
            opened.raise_for_status()
            vote = opened.json()["number"]
            sent = [
                (token[d], {"choice": CHOICES[i % 3], "key": f"r{rep}-{d}"})
                for i, d in enumerate(delegates)
            ]
            wall, lat, answers = asyncio.run(_intake(base, f"/api/v1/votes/{vote}/ballots", sent))
            found = _check_ours(db, base, token["chair"], vote, sent, answers)
            counts.update(found)
            ours["rate"].append(found["accepted"] / wall)
            ours["lat"] += lat
            wall, lat, answers = asyncio.run(_intake(peer_base, f"/ballots/{rep}", sent))
            found = _check_peer(peer_db, rep, answers)
            peer_counts.update(found)
            peer["rate"].append(found["accepted"] / wall)
            peer["lat"] += lat
    rate, ceiling = h.median(ours["rate"]), h.median(peer["rate"])
    ratio = rate / ceiling
    ours_p99 = h.p99(ours["lat"])
    correct = not any(counts[k] for k in ("lost", "doubled", "tally_wrong", "refused"))
    return {
        "name": f"ballot intake, {orgs} orgs at once, {name}",
        "reps": reps,
        "ours_median_ms": h.median(ours["lat"]),
        "ours_p99_ms": ours_p99,
        "peer_median_ms": h.median(peer["lat"]),
        "peer_p99_ms": h.p99(peer["lat"]),
        "ratio": ratio,
        "peer": "ceiling: token check + group commit",
        "target": f"≥ {TARGET_RATE:,.0f}/s, p99 ≤ {TARGET_P99_MS:g} ms, "
        f"≥ {TARGET_RATIO}× ceiling, 0 lost, 0 doubled",
        "met": rate >= TARGET_RATE
        and ours_p99 <= TARGET_P99_MS
        and ratio >= TARGET_RATIO
        and correct,
        "notes": f"{rate:,.0f} ballots/s (ceiling {ceiling:,.0f}/s); "
        f"{counts['accepted']} accepted, {counts['refused']} refused, {counts['lost']} lost, "
        f"{counts['doubled']} doubled, tally {'wrong' if counts['tally_wrong'] else 'right'}; "
        f"ceiling {peer_counts['lost']} lost",
    }


def run(quick: bool, pg: str | None = None) -> list[Row]:
    """Both configurations (see the module docstring); one row each."""
    orgs, reps = (100, 2) if quick else (2000, 3)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows.append(
            _configuration(
                "1 worker, SQLite",
                f"sqlite:///{folder / 'ours.db'}",
                f"sqlite:///{folder / 'peer.db'}",
                1,
                orgs,
                reps,
            )
        )
    pg_url = h.pg_base_url(pg)
    if pg_url is None:
        reason = "no PostgreSQL URL (--pg or CK_TEST_PG_URL)"
        if h.IN_CI:
            raise RuntimeError(f"CI=true: the PostgreSQL configuration must run, but {reason}")
        print(f"ballot intake, 2 workers, PostgreSQL: skipped: {reason}", file=sys.stderr)
        return rows
    with h.pg_schema(pg_url) as db, h.pg_schema(pg_url) as peer_db:
        rows.append(_configuration("2 workers, PostgreSQL", db, peer_db, 2, orgs, reps))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="100 organisations, 2 repetitions")
    parser.add_argument("--pg", help="PostgreSQL URL (default: $CK_TEST_PG_URL)")
    args = parser.parse_args(argv)
    rows = run(args.quick, args.pg)
    for row in rows:
        print(
            f"{row['name']}: {row['notes']}; p50 {row['ours_median_ms']:.1f} ms, p99 "
            f"{row['ours_p99_ms']:.1f} ms; ratio {row['ratio']:.2f}; met: {row['met']}"
        )
    return 0 if all(r["met"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark of live-feed reconnections: how many new SSE streams one worker accepts per second.

Run ``python bench/bench_live_accept.py`` (2,000 clients, 3 rounds) or ``--quick`` (50 clients,
2 rounds). A bench runner can ``import`` this file and call :func:`run`.

The case: 2,000 phones lose the room's Wi-Fi for a moment and their ``EventSource`` reconnects
all at once. Ours: ``consensus-kit serve`` (one worker, SQLite, memory channels) over a meeting
whose every client is a delegate logged in through the login form (its own session cookie, as
the pages use). Each client opens the real endpoint the pages use, ``GET /live?after=N`` (half
of them also with ``Last-Event-ID: N``, as a browser resends), and three events happened after
``N``: the stream must replay exactly those three. At most 100 connections are being opened at
once (raw asyncio streams: a client cheaper than the server it measures); every stream stays
open until the round ends, as the phones' would. A round's rate is its clients ÷ the time from
the first connect to the last client having all three events; the time to first event runs per
client from its connect to its first ``id:`` line (the three events come in one write).

The peer is ``_peers.py live``: a Litestar SSE endpoint on the same stack under the same
uvicorn settings, with the same cookie session and CSRF middleware (same secret, so it reads
our cookies), that refuses a request without a session naming a delegate and replays the
messages after ``after=`` / ``Last-Event-ID`` from memory, then waits like ours: a minimal
authenticated resume. It has no login check against the database, no meeting, no event log
and no broker subscription per stream: the ratio (peer's median time ÷ ours, = our rate ÷ the
peer's) says what our per-connection work costs. Target: ≥ 2,000 accepts/s, every stream
replaying exactly what it missed.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as h

from consensus_kit import open_service

Row = dict[str, Any]
TARGET_RATE = 2000.0
IN_FLIGHT = 100
MISSED = 3


async def _open(
    host: str, port: int, path: str, headers: dict[str, str], want: list[int]
) -> tuple[float, float, bool, asyncio.StreamWriter]:
    """Open one stream; (seconds to first event, seconds to all ``want``, replay exact, writer)."""
    start = time.perf_counter()
    reader, writer = await asyncio.open_connection(host, port)
    head = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Accept: text/event-stream"]
    head += [f"{k}: {v}" for k, v in headers.items()]
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
    status = int((await reader.readline()).split(b" ", 2)[1])
    if status != 200:
        raise RuntimeError(f"GET {path}: HTTP {status}")
    while (line := await reader.readline()) not in (b"\r\n", b""):
        pass
    ids: list[int] = []
    first = 0.0
    buffer = b""
    while len(ids) < len(want):
        data = await reader.read(65536)
        if not data:
            break
        buffer += data
        for line in buffer.split(b"\n")[:-1]:
            if line.startswith(b"id:"):
                ids.append(int(line[3:].strip()))
                first = first or time.perf_counter()
        buffer = buffer.rsplit(b"\n", 1)[-1]
    done = time.perf_counter()
    return first - start, done - start, ids == want, writer


async def _round(
    base: str, cookies: list[str], path: str, want: list[int]
) -> tuple[float, list[float], int]:
    """Open one stream per cookie: (accepts per second, seconds to first event each, how many
    streams did not replay exactly ``want``)."""
    host, port = base.removeprefix("http://").split(":")
    gate = asyncio.Semaphore(IN_FLIGHT)
    last = str(want[0] - 1)

    async def one(i: int, cookie: str) -> tuple[float, float, bool, asyncio.StreamWriter]:
        headers = {"Cookie": cookie} | ({"Last-Event-ID": last} if i % 2 else {})
        async with gate:
            return await asyncio.wait_for(_open(host, int(port), path, headers, want), 60)

    start = time.perf_counter()
    opened = await asyncio.gather(*(one(i, c) for i, c in enumerate(cookies)))
    elapsed = time.perf_counter() - start
    for *_, writer in opened:
        writer.close()
    await asyncio.sleep(1.5)  # the server sees the streams close; the login checks go stale
    wrong = sum(1 for _, _, exact, _ in opened if not exact)
    return len(cookies) / elapsed, [first for first, *_ in opened], wrong


def _cookies(base: str, codes: list[str]) -> list[str]:
    """One session cookie per access code, from the login form (before any timing)."""
    out = []
    with httpx.Client(base_url=base, timeout=30) as client:
        form = client.get("/login").text
        token = form.split('name="_csrf_token" value="')[1].split('"')[0]
        csrf = client.cookies["ck_csrf"]
        for code in codes:
            client.cookies.clear()
            client.cookies.set("ck_csrf", csrf)
            answer = client.post("/login", data={"code": code, "_csrf_token": token})
            if answer.status_code >= 400 or not client.cookies.get("ck_session"):
                raise RuntimeError(f"login failed: HTTP {answer.status_code}")
            out.append("; ".join(f"{k}={v}" for k, v in client.cookies.items()))
    return out


def _rounds(base: str, cookies: list[str], path: str, want: list[int], reps: int) -> Row:
    rates, firsts, wrong = [], [], 0
    for _ in range(reps):
        rate, first, bad = asyncio.run(_round(base, cookies, path, want))
        rates.append(rate)
        firsts += first
        wrong += bad
    return {"rates": rates, "firsts": firsts, "wrong": wrong}


def run(quick: bool) -> list[Row]:
    """Ours and the peer with the same clients and cookies; one row."""
    clients, reps = (50, 2) if quick else (2000, 3)
    h.raise_fd_limit(2 * clients + 1024)
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{Path(tmp) / 'live.db'}"
        service = open_service(db)
        loaded = h.load(service, clients)
        service.store.close()
        codes = {str(k): v for k, v in loaded.codes.items()}
        with h.serve(db) as base:
            cookies = _cookies(base, [codes[f"delegate-{i}"] for i in range(1, clients + 1)])
            chair = {"Authorization": f"Bearer {h.tokens(base, codes, ['chair'])['chair']}"}
            with httpx.Client(base_url=base, headers=chair, timeout=30) as api:
                first = int(api.get("/api/v1/events?after=0&limit=1000").json()[-1]["seq"])
                for rep in range(MISSED):  # what the phones missed while away
                    body = {"kind": "article", "ref": f"art-{rep % 2 + 1}"}
                    api.put("/api/v1/agenda", json=body).raise_for_status()
            want = [first + 1 + i for i in range(MISSED)]
            ours = _rounds(base, cookies, f"/live?after={first}", want, reps)
        with h.serve_peer("live", "") as peer_base:
            with httpx.Client(base_url=peer_base, timeout=30) as peer:
                for seq in range(1, MISSED + 1):
                    peer.post(f"/publish/{seq}").raise_for_status()
            theirs = _rounds(peer_base, cookies, "/live?after=0", list(range(1, MISSED + 1)), reps)
    rate = h.median(ours["rates"])
    return [
        {
            "name": f"live reconnect: {clients} SSE streams opened with a session cookie and "
            f"resumed ({MISSED} missed events; time to first event)",
            "reps": reps,
            "ours_median_ms": h.median(ours["firsts"]) * 1000,
            "ours_p99_ms": h.p99(ours["firsts"]) * 1000,
            "peer_median_ms": h.median(theirs["firsts"]) * 1000,
            "peer_p99_ms": h.p99(theirs["firsts"]) * 1000,
            "ratio": rate / h.median(theirs["rates"]),
            "peer": "cookie-session SSE resume from memory, same stack",
            "target": f"≥ {TARGET_RATE:,.0f} accepts/s, every stream replays what it missed",
            "met": rate >= TARGET_RATE and ours["wrong"] == 0,
            "notes": f"ours {rate:,.0f} accepts/s (rounds: "
            f"{', '.join(f'{r:,.0f}' for r in ours['rates'])}), peer "
            f"{h.median(theirs['rates']):,.0f}/s; {IN_FLIGHT} opening at once; "
            f"{ours['wrong']} wrong replays (peer: {theirs['wrong']}); ratio = rates",
            "ours_rate": rate,
            "peer_rate": h.median(theirs["rates"]),
        }
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="50 clients, 2 rounds")
    args = parser.parse_args(argv)
    rows = run(args.quick)
    for r in rows:
        print(
            f"{r['name']}: {r['notes']}; first event median {r['ours_median_ms']:.1f} ms, "
            f"p99 {r['ours_p99_ms']:.1f} ms; peer {r['peer_median_ms']:.1f} / "
            f"{r['peer_p99_ms']:.1f} ms; ratio {r['ratio']:.2f}; met: {r['met']}"
        )
    return 0 if all(r["met"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())

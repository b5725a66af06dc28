"""Benchmark of the live feed: one event to 2,000 connected clients, against a peer built like it.

Run ``python bench/bench_live.py`` (2,000 clients, 20 repetitions) or ``--quick`` (50 clients,
3 repetitions). A bench runner can ``import`` this file and call :func:`run`.

Ours: ``consensus-kit serve`` (one worker, SQLite, memory channels) over a meeting whose every
client is a delegate with its own bearer token. Every client holds ``GET /live`` open (raw
asyncio streams: 2,000 httpx streams would cost more CPU than the server they measure) from the
meeting's current event on. Each repetition the chair sets the agenda through
``PUT /api/v1/agenda``; the time-to-all runs from just before that request is sent until the
last client has read the new event (its ``id:`` is the new sequence number). The peer is
``_peers.py live``: a Litestar SSE endpoint built the way ours is (one channel subscription per
process, one pump waking every stream, each message encoded once and sent as bytes), whose
``POST /publish`` broadcasts the same message without an event log or authentication: what our
feed would cost without reading the log and checking the reader. (The former peer subscribed
once per stream and re-encoded per stream: slower than ours, so not a fair peer.)

Reported: median and p99 of time-to-all over repetitions, ours and the peer's; the ratio is the
peer's median ÷ ours. Correctness: each repetition every client must have received exactly that
one event, once (a missing, duplicated or unexpected event is counted). Target: p99 ≤ 250 ms,
every client reached, ≥ 0.8× the peer (ratio = peer's median ÷ ours).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as h

from consensus_kit import open_service

Row = dict[str, Any]
TARGET_P99_MS = 250.0
TARGET_RATIO = 0.8
WAIT_S = 15.0


class SseClient:
    """One ``GET /live`` stream; records when each event id arrived."""

    def __init__(self, host: str, port: int, headers: dict[str, str]) -> None:
        self.host, self.port, self.headers = host, port, headers
        self.arrived: dict[int, list[float]] = {}
        self.ready = asyncio.Event()
        self.changed = asyncio.Event()
        self.task: asyncio.Task[None] | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def connect(self, path: str) -> None:
        reader, self.writer = await asyncio.open_connection(self.host, self.port)
        head = [
            f"GET {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "Accept: text/event-stream",
        ]
        head += [f"{k}: {v}" for k, v in self.headers.items()]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        status = int((await reader.readline()).split(b" ", 2)[1])
        if status != 200:
            raise RuntimeError(f"GET {path}: HTTP {status}")
        chunked = False
        while (line := await reader.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"transfer-encoding:") and b"chunked" in line.lower():
                chunked = True
        self.task = asyncio.create_task(self._read(reader, chunked))
        await self.ready.wait()

    async def _read(self, reader: asyncio.StreamReader, chunked: bool) -> None:
        buffer = b""
        try:
            while True:
                if chunked:
                    size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        return
                    data = await reader.readexactly(size + 2)
                    buffer += data[:-2]
                else:
                    data = await reader.read(65536)
                    if not data:
                        return
                    buffer += data
                buffer = buffer.replace(b"\r\n", b"\n")
                while b"\n\n" in buffer:
                    message, buffer = buffer.split(b"\n\n", 1)
                    self._message(message)
        except (OSError, asyncio.IncompleteReadError):
            return

    def _message(self, message: bytes) -> None:
        now = time.perf_counter()
        self.ready.set()
        for line in message.split(b"\n"):
            if line.startswith(b"id:"):
                self.arrived.setdefault(int(line[3:].strip()), []).append(now)
                self.changed.set()

    async def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
        if self.writer is not None:
            self.writer.close()


async def _session(
    base: str,
    tokens: list[str],
    path: str,
    reps: int,
    cause: Callable[[int], Awaitable[int]],
) -> tuple[list[float], int]:
    """Connect one client per token, cause ``reps`` events one by one: time-to-all in ms per
    repetition, and how many (client, event) deliveries were missing, doubled or unexpected."""
    host, port = base.removeprefix("http://").split(":")
    clients = [SseClient(host, int(port), {"Authorization": f"Bearer {t}"}) for t in tokens]
    gate = asyncio.Semaphore(100)

    async def connect(client: SseClient) -> None:
        async with gate:
            await asyncio.wait_for(client.connect(path), 60)

    await asyncio.gather(*(connect(c) for c in clients))
    times, wrong = [], 0
    try:
        for rep in range(reps):
            await asyncio.sleep(0.5)  # let the streams settle between repetitions
            before = [set(c.arrived) for c in clients]
            start = time.perf_counter()
            seq = await cause(rep)
            deadline = time.monotonic() + WAIT_S
            while time.monotonic() < deadline:
                if all(seq in c.arrived for c in clients):
                    break
                await asyncio.sleep(0.005)
            await asyncio.sleep(0.05)  # a duplicate would arrive right after
            last = max((c.arrived[seq][0] for c in clients if seq in c.arrived), default=start)
            times.append((last - start) * 1000)
            for client, seen in zip(clients, before, strict=True):
                new = set(client.arrived) - seen
                copies = len(client.arrived.get(seq, []))
                wrong += 0 if new == {seq} and copies == 1 else 1
    finally:
        for client in clients:
            await client.close()
    return times, wrong


def run(quick: bool) -> list[Row]:
    """Ours and the peer with the same clients; one row."""
    clients, reps = (50, 3) if quick else (2000, 20)
    h.raise_fd_limit(2 * clients + 1024)
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{Path(tmp) / 'live.db'}"
        service = open_service(db)
        loaded = h.load(service, clients)
        service.store.close()
        codes = {str(k): v for k, v in loaded.codes.items()}
        delegates = [f"delegate-{i}" for i in range(1, clients + 1)]
        with h.serve(db) as base:
            token = h.tokens(base, codes, [*delegates, "chair"])
            chair = {"Authorization": f"Bearer {token['chair']}"}
            with httpx.Client(base_url=base, headers=chair, timeout=30) as api:
                first = api.get("/api/v1/events?after=0&limit=1000").json()[-1]["seq"]

                async def set_agenda(rep: int) -> int:
                    async with httpx.AsyncClient(base_url=base, headers=chair) as c:
                        body = {"kind": "article", "ref": f"art-{rep % 2 + 1}"}
                        answer = await c.put("/api/v1/agenda", json=body)
                        answer.raise_for_status()
                    return int(first) + rep + 1

                ours, ours_wrong = asyncio.run(
                    _session(
                        base,
                        [token[d] for d in delegates],
                        f"/live?after={first}",
                        reps,
                        set_agenda,
                    )
                )
        with h.serve_peer("live", "") as peer_base:

            async def publish(rep: int) -> int:
                async with httpx.AsyncClient(base_url=peer_base) as c:
                    (await c.post(f"/publish/{rep + 1}")).raise_for_status()
                return rep + 1

            theirs, peer_wrong = asyncio.run(
                _session(peer_base, ["x"] * clients, "/live", reps, publish)
            )
    p99 = h.p99(ours)
    return [
        {
            "name": f"live fan-out: one event to {clients} SSE clients (time to all)",
            "reps": reps,
            "ours_median_ms": h.median(ours),
            "ours_p99_ms": p99,
            "peer_median_ms": h.median(theirs),
            "peer_p99_ms": h.p99(theirs),
            "ratio": h.median(theirs) / h.median(ours),
            "peer": "fan-out built like ours, no event log",
            "target": f"p99 ≤ {TARGET_P99_MS:g} ms, ≥ {TARGET_RATIO}× peer, "
            "every client reached once",
            "met": p99 <= TARGET_P99_MS
            and ours_wrong == 0
            and h.median(theirs) / h.median(ours) >= TARGET_RATIO,
            "notes": f"{clients} clients × {reps} events: {ours_wrong} missed or doubled "
            f"(peer: {peer_wrong})",
        }
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="50 clients, 3 repetitions")
    args = parser.parse_args(argv)
    rows = run(args.quick)
    for r in rows:
        print(
            f"{r['name']}: median {r['ours_median_ms']:.1f} ms, p99 {r['ours_p99_ms']:.1f} ms; "
            f"peer {r['peer_median_ms']:.1f} / {r['peer_p99_ms']:.1f} ms; {r['notes']}; "
            f"met: {r['met']}"
        )
    return 0 if all(r["met"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())

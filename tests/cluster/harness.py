"""A cluster of app servers behind HAProxy (``deploy/local-cluster.sh``), and clients that act as
delegates and live pages do: they retry with the same key, reconnect with ``Last-Event-ID``.

Nothing is faked: real ``consensus-kit serve`` processes, a real HAProxy, the test's PostgreSQL
schema and Redis. What the clients saw is checked against what the database holds.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from consensus_kit import CONSOLE, open_service, verify_store
from tests.builders import load_meeting
from tests.office import need
from webui import Settings
from webui.tokens import issue_token

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "local-cluster.sh"
SECRET = "cluster-test"  # CK_SECRET of every server of a test cluster
TRANSIENT = (502, 503, 504)  # the balancer's or a server's "try again": the same key is safe


def need_haproxy() -> None:
    """Skip (fail under ``CI=true``) without HAProxy."""
    need("haproxy")


def free_ports(count: int) -> int:
    """The first of ``count`` consecutive free ports."""
    rng = random.Random()
    for _ in range(200):
        first = rng.randrange(20_000, 60_000)
        try:
            with contextlib.ExitStack() as held:
                for port in range(first, first + count):
                    s = held.enter_context(socket.socket())
                    s.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
    raise AssertionError(f"no {count} consecutive free ports")


@dataclass
class Cluster:
    """N servers on ``ports`` behind the balancer at ``url``; pids and logs in ``folder``."""

    url: str
    ports: list[int]
    folder: Path

    def pid(self, server: int) -> int:
        """The process id of server ``server`` (1-based, as the script numbers them)."""
        return int((self.folder / f"server-{server}.pid").read_text())

    def signal(self, server: int, sig: signal.Signals) -> None:
        os.kill(self.pid(server), sig)

    def gone(self, server: int) -> bool:
        """Whether the server's process ended (a zombie counts: it serves nothing)."""
        try:
            status = Path(f"/proc/{self.pid(server)}/status").read_text()
        except FileNotFoundError:
            return True
        return "\nState:\tZ" in status

    def direct(self, server: int) -> str:
        """Server ``server``'s own URL, bypassing the balancer."""
        return f"http://127.0.0.1:{self.ports[server - 1]}"


@contextlib.contextmanager
def cluster(folder: Path, pg: str, redis: str, servers: int = 3, **env: str) -> Iterator[Cluster]:
    """``deploy/local-cluster.sh up`` with ``servers`` servers; ``down`` afterwards."""
    balancer = free_ports(servers + 1)
    state = folder / "cluster"
    environ = {**os.environ, "CK_CLUSTER_DIR": str(state), "CK_SECRET": SECRET,
               "CK_SERVE": f"{sys.executable} -m webui.cli", "CK_HEARTBEAT": "2",
               "CK_POLL": "1", **env}  # fmt: skip
    up = subprocess.run(
        [str(SCRIPT), "up", str(servers), str(balancer + 1), str(balancer), pg, redis],
        env=environ, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    try:
        assert up.returncode == 0, up.stderr
        ports = [balancer + 1 + i for i in range(servers)]
        yield Cluster(f"http://127.0.0.1:{balancer}", ports, state)
    finally:
        subprocess.run([str(SCRIPT), "down"], env=environ, capture_output=True, timeout=120,
                       check=False)  # fmt: skip


# -- meetings ------------------------------------------------------------------------------


@dataclass
class Meeting:
    """A loaded meeting: its id, the access codes, and the votes opened in it."""

    mid: str
    codes: dict[str, str]
    votes: list[int]


def load_meetings(pg: str, count: int, orgs: int, votes: int) -> list[Meeting]:
    """``count`` meetings of ``orgs`` voting organisations, each with ``votes`` open votes."""
    service = open_service(pg)
    made: list[Meeting] = []
    try:
        for n in range(count):
            loaded = load_meeting(service, orgs=orgs, meeting_id=f"summit-{n + 1}")
            chair = service.delegate(loaded.meeting.id, "chair")
            opened = [
                service.open_vote(chair, loaded.meeting.id, version=1, rule="simple_majority")
                for _ in range(votes)
            ]
            made.append(Meeting(loaded.meeting.id, dict(loaded.codes), [v.number for v in opened]))
    finally:
        service.store.close()
    return made


async def log_in(url: str, codes: dict[Any, str], in_flight: int = 32) -> dict[Any, str]:
    """A bearer token for each code, through the balancer (retried while it says so)."""
    limit = asyncio.Semaphore(in_flight)
    tokens: dict[Any, str] = {}
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:

        async def one(who: Any, code: str) -> None:
            async with limit:
                for _ in range(100):
                    with contextlib.suppress(httpx.TransportError):
                        answer = await client.post("/api/v1/token", json={"code": code})
                        if answer.status_code == 200:
                            tokens[who] = answer.json()["token"]
                            return
                        assert answer.status_code in TRANSIENT, answer.text
                    await asyncio.sleep(0.2)
                raise AssertionError(f"{who} could not log in")

        await asyncio.gather(*(one(who, code) for who, code in codes.items()))
    return tokens


def mint_tokens(pg: str, codes: dict[Any, str]) -> dict[Any, str]:
    """Bearer tokens made in this process, as ``POST /api/v1/token`` makes them (the library's
    login, then the token signed with the cluster's secret): for thousands of delegates, where
    logging each in through the balancer is set-up, not the scenario."""
    service = open_service(pg, migrate=False)
    key = Settings(db=pg, secret=SECRET).key("token")
    expires = int(time.time()) + 3600
    try:
        logins = {who: service.log_in(code) for who, code in codes.items()}
    finally:
        service.store.close()
    return {who: issue_token(key, login.meeting.id, login.delegate.id, expires, login.credential)
            for who, login in logins.items()}  # fmt: skip


# -- ballots -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cast:
    """One ballot request: which meeting, vote and organisation, with which token and key."""

    meeting: str
    vote: int
    org: str
    token: str
    choice: str
    key: str


@dataclass
class Seen:
    """What the clients saw: acknowledged receipts, every attempt's status and latency."""

    acknowledged: dict[Cast, dict[str, Any]] = field(default_factory=dict)
    statuses: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    unclear: list[str] = field(default_factory=list)  # a refusal that was not "try again"
    retries: int = 0
    seconds: float = 0.0  # wall time of the bursts

    def p99_ms(self) -> float:
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else 0


async def cast_all(
    url: str,
    casts: list[Cast],
    *,
    in_flight: int = 48,
    seen: Seen | None = None,
    on_ack: Callable[[int], Awaitable[None]] | None = None,
) -> Seen:
    """Send every cast through the balancer, ``in_flight`` at a time; a 502/503/504 or a cut
    connection is retried with the same key until acknowledged. ``on_ack(n)`` runs after the
    n-th acknowledgement (to cause a fault mid-burst)."""
    seen = seen or Seen()
    began = time.monotonic()
    limit = asyncio.Semaphore(in_flight)
    async with httpx.AsyncClient(
        base_url=url, timeout=30, limits=httpx.Limits(max_connections=in_flight)
    ) as client:

        async def one(cast: Cast) -> None:
            async with limit:
                for attempt in range(150):  # about a minute
                    if attempt:
                        seen.retries += 1
                        await asyncio.sleep(min(0.5, 0.05 * attempt))
                    started = time.monotonic()
                    try:
                        answer = await client.post(
                            f"/api/v1/votes/{cast.vote}/ballots",
                            json={"choice": cast.choice, "key": cast.key},
                            headers={"Authorization": f"Bearer {cast.token}"},
                        )
                    except httpx.TransportError:
                        seen.statuses[0] += 1
                        continue
                    finally:
                        seen.latencies.append(time.monotonic() - started)
                    seen.statuses[answer.status_code] += 1
                    if answer.status_code == 200:
                        seen.acknowledged[cast] = answer.json()
                        if on_ack is not None:
                            await on_ack(len(seen.acknowledged))
                        return
                    body = answer.json()
                    if answer.status_code in TRANSIENT and body.get("code") == "unavailable":
                        assert answer.headers.get("retry-after"), answer.headers
                        continue
                    seen.unclear.append(f"{answer.status_code} {answer.text[:200]}")
                    return
                seen.unclear.append(f"{cast} never acknowledged")

        await asyncio.gather(*(one(c) for c in casts))
    seen.seconds += time.monotonic() - began
    return seen


async def replay(url: str, casts: list[Cast], seen: Seen) -> list[str]:
    """Send ``casts`` again with their keys: each must return its first receipt, replayed."""
    again = await cast_all(url, casts)
    wrong = [f"{c.org} vote {c.vote}: {again.acknowledged.get(c)}" for c in casts
             if not again.acknowledged.get(c, {}).get("replayed")
             or again.acknowledged[c]["receipt"] != seen.acknowledged[c]["receipt"]]  # fmt: skip
    return wrong + again.unclear


@dataclass
class Stored:
    """The acknowledged ballots checked against the database."""

    stored: int
    lost: int
    doubled: int
    current_wrong: int


def check_stored(pg: str, seen: Seen) -> Stored:
    """Each acknowledged ballot is in the history once with its receipt and is the current one
    (each cast here is the organisation's only ballot in its vote); the chain verifies."""
    service = open_service(pg, migrate=False)
    try:
        with service.store.engine.connect() as c:
            history = c.execute(text(
                "SELECT meeting_id, vote, organisation, key, receipt FROM ballot_history"
            )).all()  # fmt: skip
            current = {(r.meeting_id, r.vote, r.organisation): r.receipt for r in c.execute(
                text("SELECT meeting_id, vote, organisation, receipt FROM ballots"))}  # fmt: skip
        report = verify_store(service.store, CONSOLE)
        assert report.ok, report
    finally:
        service.store.close()
    counted = Counter((r.meeting_id, r.vote, r.organisation, r.key) for r in history)
    receipts = {(r.meeting_id, r.vote, r.organisation, r.key): r.receipt for r in history}
    stored = lost = wrong = 0
    for cast, receipt in seen.acknowledged.items():
        key = (cast.meeting, cast.vote, cast.org, cast.key)
        if receipts.get(key) == receipt["receipt"]:
            stored += 1
        else:
            lost += 1
        if current.get(key[:3]) != receipt["receipt"]:
            wrong += 1
    return Stored(stored, lost, sum(n - 1 for n in counted.values()), wrong)


# -- the report ----------------------------------------------------------------------------


@dataclass
class Report:
    """One scenario's figures, printed and (with ``CK_CLUSTER_REPORT``) kept for RESULTS.md."""

    scenario: str
    acknowledged: int
    stored: int
    lost: int
    doubled: int
    events_missed: int
    p99_ms: float
    notes: str

    def emit(self, capsys: pytest.CaptureFixture[str]) -> None:
        line = (
            f"{self.scenario}: {self.acknowledged} acknowledged, {self.stored} stored, "
            f"{self.lost} lost, {self.doubled} doubled, {self.events_missed} events missed, "
            f"p99 {self.p99_ms:.0f} ms through the balancer ({self.notes})"
        )
        with capsys.disabled():
            print(f"\n[cluster] {line}")
        path = os.environ.get("CK_CLUSTER_REPORT")
        if path:
            with open(path, "a", encoding="utf-8") as out:
                out.write(json.dumps(self.__dict__) + "\n")

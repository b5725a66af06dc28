"""Faults with real processes (issue 10): a server killed with SIGKILL mid-burst, a client whose
connection drops mid-session, and a PostgreSQL server that stops and comes back."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from glob import glob
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from consensus_kit import CONSOLE, open_service, verify_store
from tests.builders import load_meeting
from tests.conftest import IN_CI
from tests.web.test_live import (
    Server,
    free_port,
    read_events,
    running_server,
    serving,
    start_server,
    stop_server,
    stream,
)

pytestmark = pytest.mark.timeout(240)


def _tokens(base: str, codes: dict[str, str], who: list[str]) -> dict[str, str]:
    with httpx.Client(base_url=base, timeout=30) as client:
        answers = {w: client.post("/api/v1/token", json={"code": codes[w]}) for w in who}
    assert all(a.status_code == 200 for a in answers.values())
    return {w: a.json()["token"] for w, a in answers.items()}


def _burst_killed_after(
    base: str, tokens: dict[str, str], process: subprocess.Popen[bytes], kill_after: int
) -> tuple[dict[str, dict[str, Any]], int]:
    """Every delegate in ``tokens`` casts at once; SIGKILL the server after ``kill_after``
    acknowledgements. Returns the acknowledged receipts by organisation and the failures."""
    acknowledged: dict[str, dict[str, Any]] = {}
    failed = 0

    async def burst() -> None:
        nonlocal failed
        limit = asyncio.Semaphore(16)
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:

            async def cast(i: int, who: str) -> None:
                nonlocal failed
                async with limit:
                    try:
                        answer = await client.post(
                            "/api/v1/votes/1/ballots",
                            json={"choice": ("yes", "no", "abstain")[i % 3], "key": f"k-{who}"},
                            headers={"Authorization": f"Bearer {tokens[who]}"},
                        )
                    except httpx.TransportError:
                        failed += 1
                        return
                assert answer.status_code == 200, answer.text
                acknowledged[f"org-{who.rsplit('-', 1)[1]}"] = answer.json()
                if len(acknowledged) == kill_after:
                    process.kill()  # SIGKILL: no shutdown, no flush, mid-burst

            await asyncio.gather(*(cast(i, who) for i, who in enumerate(tokens)))

    asyncio.run(burst())
    return acknowledged, failed


def test_every_acknowledged_ballot_survives_a_sigkill_mid_burst(
    tmp_path: Path, db_url: str
) -> None:
    orgs = 200
    service = open_service(db_url)
    loaded = load_meeting(service, orgs=orgs)
    mid = loaded.meeting.id
    chair = service.delegate(mid, "chair")
    service.open_vote(chair, mid, version=1, rule="simple_majority")
    service.store.close()

    port = free_port()
    process = start_server(db_url, port)
    base = f"http://127.0.0.1:{port}"
    voters = [f"delegate-{i}" for i in range(1, orgs + 1)]
    tokens = _tokens(base, dict(loaded.codes), voters)
    kill_after = orgs // 4
    try:
        acknowledged, failed = _burst_killed_after(base, tokens, process, kill_after)
        process.wait(timeout=10)
    finally:
        stop_server(process)
    assert process.returncode == -9
    assert failed > 0, "the kill came after the burst, not in the middle of it"
    assert len(acknowledged) >= kill_after

    # restart on the same database: every acknowledged ballot is there, as acknowledged
    service = open_service(db_url, migrate=False)
    try:
        with service.store.engine.connect() as c:
            rows = c.execute(text("SELECT organisation, choice, receipt FROM ballots")).all()
        stored = {r.organisation: (r.choice, r.receipt) for r in rows}
        for org, receipt in acknowledged.items():
            assert stored.get(org) == (receipt["choice"], receipt["receipt"]), org
        assert verify_store(service.store, CONSOLE).ok
    finally:
        service.store.close()
    with serving(db_url) as restarted:
        again = Server(restarted, db_url, dict(loaded.codes), mid)
        view = again.api("chair", "GET", "/votes/1").json()
        counted = Counter(choice for choice, _ in stored.values())
        tally = view["tally"]
        assert (tally["yes"], tally["no"], tally["abstain"], tally["cast"]) == (
            counted["yes"], counted["no"], counted["abstain"], len(stored)
        )  # fmt: skip
        # the restarted server takes the rest of the room's ballots
        late = next(f"delegate-{i}" for i in range(1, orgs + 1) if f"org-{i}" not in stored)
        answer = again.api(late, "POST", "/votes/1/ballots", {"choice": "yes", "key": "late"})
        assert answer.status_code == 200, answer.text


def test_a_dropped_live_connection_resumes_without_gaps_or_repeats(tmp_path: Path) -> None:
    with running_server(tmp_path) as server:
        start = server.last_seq()
        total = 30
        done = threading.Event()

        def chair_moves_on() -> None:  # changes keep coming while the client drops and returns
            for i in range(total):
                ref = f"art-{i % 2 + 1}"
                assert server.api("chair", "PUT", "/agenda", {"kind": "article", "ref": ref})
                time.sleep(0.05)
            done.set()

        mover = threading.Thread(target=chair_moves_on)
        mover.start()
        received: list[int] = []
        last = start
        for drop in range(3):
            client, request = stream(server, "delegate-1", **{"Last-Event-ID": str(last)})
            with request as response:
                assert response.status_code == 200
                wanted = total if drop == 2 else 5
                seconds = 15 if drop == 2 else 5
                events = read_events(response, wanted, seconds, heartbeats=False)
                received += [int(e["id"]) for e in events]
            client.close()  # the connection drops (Wi-Fi gone); the events keep coming
            last = received[-1] if received else last
            time.sleep(0.2)
            if drop == 2 and len(received) < total:
                break
        mover.join()
    assert done.is_set()
    assert received == list(range(start + 1, start + total + 1))


class PrivatePostgres:
    """A PostgreSQL cluster of our own on a free port, so the test can stop it and start it."""

    def __init__(self) -> None:
        found = sorted(glob("/usr/lib/postgresql/*/bin/initdb")) or [shutil.which("initdb") or ""]
        self.bin = Path(found[-1]).parent
        self.folder = Path(tempfile.mkdtemp(prefix="ck-pg-"))
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            shutil.chown(self.folder, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", str(self.folder / "data"), "-A", "trust", "-U", "postgres",
                  "--no-sync", "-E", "UTF8")  # fmt: skip
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([*self.as_user, str(self.bin / tool), *args], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-o", options,
                  "-l", str(self.folder / "log"), "-w", "start")  # fmt: skip

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")

    def remove(self) -> None:
        subprocess.run([*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"),
                        "-m", "immediate", "stop"], capture_output=True, check=False)  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def private_pg() -> Iterator[PrivatePostgres]:
    if not glob("/usr/lib/postgresql/*/bin/initdb") and not shutil.which("initdb"):
        how = "the PostgreSQL outage test needs the server binaries (apt install postgresql)"
        if IN_CI:
            pytest.fail(f"CI=true but {how}")
        pytest.skip(how)
    cluster = PrivatePostgres()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


def test_a_stopped_database_means_503_and_the_server_recovers(
    tmp_path: Path, private_pg: PrivatePostgres
) -> None:
    with running_server(tmp_path, db=private_pg.url, CK_POLL="0.2") as server:
        assert server.api("delegate-1", "GET", "/amendments").status_code == 200
        page = httpx.Client(base_url=server.base, timeout=10)
        form = page.get("/login").text
        csrf = form.split('name="_csrf_token" value="')[1].split('"')[0]
        page.post("/login", data={"code": server.codes["delegate-2"], "_csrf_token": csrf})
        assert page.get("/").status_code == 200

        private_pg.stop()
        proposal = {"kind": "replace", "article": "art-1", "texts": {"en": "During the outage"}}
        answers = [
            server.api("delegate-1", "GET", "/amendments"),
            server.api("delegate-1", "POST", "/amendments", proposal),
            httpx.post(f"{server.base}/api/v1/token", json={"code": server.codes["chair"]}),
        ]
        for answer in answers:
            assert answer.status_code == 503, answer.text
            body = answer.json()
            assert body["code"] == "unavailable"
            assert "database is unavailable" in body["message"]
            assert answer.headers["retry-after"] == "2"
            assert "127.0.0.1" not in answer.text and "Traceback" not in answer.text
        shown = page.get("/")
        assert shown.status_code == 503
        assert "database is unavailable" in shown.text and "Traceback" not in shown.text

        private_pg.start()
        deadline = time.monotonic() + 15
        while server.api("delegate-1", "GET", "/amendments").status_code != 200:
            assert time.monotonic() < deadline, "the server did not recover"
            time.sleep(0.2)
        assert server.api("delegate-1", "GET", "/amendments").json() == []  # nothing half-stored
        again = server.api("delegate-1", "POST", "/amendments", proposal)
        assert again.status_code == 201, again.text
        assert page.get("/").status_code == 200
        page.close()

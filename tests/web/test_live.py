"""The live feed against a real server process (Litestar's TestClient hangs on endless SSE)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from consensus_kit import CONSOLE, open_service
from tests.builders import load_meeting

pytestmark = pytest.mark.timeout(60)


@dataclass
class Server:
    base: str
    db: str
    codes: dict[str, str]
    mid: str
    tokens: dict[str, str] = field(default_factory=dict)

    def token(self, who: str) -> str:
        if who not in self.tokens:
            answer = httpx.post(f"{self.base}/api/v1/token", json={"code": self.codes[who]})
            self.tokens[who] = answer.json()["token"]
        return self.tokens[who]

    def api(self, who: str, method: str, path: str, json: Any = None) -> httpx.Response:
        return httpx.request(
            method,
            f"{self.base}/api/v1{path}",
            json=json,
            headers={"Authorization": f"Bearer {self.token(who)}"},
            timeout=10,
        )

    def last_seq(self) -> int:
        events = self.api("chair", "GET", "/events?after=0&limit=1000").json()
        return int(events[-1]["seq"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: str, port: int, *extra: str, **env_extra: str) -> subprocess.Popen[bytes]:
    """Start ``consensus-kit serve`` on ``port`` and wait until it answers."""
    env = {**os.environ, "CK_SECRET": "live-test", "CK_HEARTBEAT": "1", "CK_POLL": "0.5",
           **env_extra}  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "webui.cli", "serve", "--db", db, "--port", str(port), *extra],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            stop_server(process)
            raise AssertionError(f"the server did not start (exit code {process.poll()})")
        time.sleep(0.1)


def stop_server(process: subprocess.Popen[bytes]) -> None:
    """Terminate a server process, killing it if it does not stop in time."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@contextmanager
def serving(db: str, *extra: str, **env_extra: str) -> Iterator[str]:
    """``consensus-kit serve`` over an existing database on a free port; yields its base URL."""
    port = free_port()
    process = start_server(db, port, *extra, **env_extra)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_server(process)


@contextmanager
def running_server(
    folder: Path, *extra: str, db: str | None = None, orgs: int = 3, **env_extra: str
) -> Iterator[Server]:
    """``consensus-kit serve`` over a fresh test meeting (an SQLite file unless ``db``)."""
    db = db or f"sqlite:///{folder / 'meeting.db'}"
    service = open_service(db)
    loaded = load_meeting(service, orgs=orgs)
    service.store.close()
    with serving(db, *extra, **env_extra) as base:
        yield Server(base, db, dict(loaded.codes), loaded.meeting.id)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("live")) as running:
        yield running


def read_events(
    response: httpx.Response, count: int, seconds: float, *, heartbeats: bool = True
) -> list[dict[str, str]]:
    """Read SSE messages until ``count`` arrived or ``seconds`` passed; a heartbeat counts as
    one (``{"heartbeat": …}``) unless ``heartbeats`` is false, when only events are returned."""
    events: list[dict[str, str]] = []
    current: dict[str, str] = {}
    deadline = time.monotonic() + seconds
    lines = response.iter_lines()
    while len(events) < count:
        if time.monotonic() > deadline:
            break
        try:
            line = next(lines)
        except (StopIteration, httpx.ReadTimeout):
            break
        if line == "":
            if "id" in current:
                events.append(current)
            current = {}
        elif line.startswith(":"):
            current.setdefault("comment", line)
            if "heartbeat" in line and heartbeats:
                events.append({"heartbeat": line})
                current = {}
        else:
            key, _, value = line.partition(":")
            current[key] = value.strip()
    return events


def stream(server: Server, who: str, **headers: str) -> Any:
    client = httpx.Client(timeout=httpx.Timeout(5.0, read=2.5))
    return client, client.stream(
        "GET",
        f"{server.base}/live",
        headers={"Authorization": f"Bearer {server.token(who)}", **headers},
    )


def only_events(items: list[dict[str, str]]) -> list[dict[str, str]]:
    return [e for e in items if "id" in e]


def test_a_change_reaches_a_connected_stream_within_a_second(server: Server) -> None:
    start = server.last_seq()
    client, request = stream(server, "observer", **{"Last-Event-ID": str(start)})
    with client, request as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        sent = time.monotonic()
        answer = server.api(
            "delegate-1",
            "POST",
            "/amendments",
            {
                "kind": "replace",
                "article": "art-1",
                "texts": {"en": "Live (en)"},
            },
        )
        assert answer.status_code == 201, answer.text
        events = only_events(read_events(response, 1, 5))
        elapsed = time.monotonic() - sent
    assert events and events[0]["event"] == "amendment_proposed"
    assert int(events[0]["id"]) == start + 1
    assert elapsed < 1.5


def test_a_reconnecting_client_gets_exactly_what_it_missed(server: Server) -> None:
    seen = server.last_seq()
    server.api("chair", "PUT", "/agenda", {"kind": "article", "ref": "art-1"})
    server.api("chair", "PUT", "/agenda", {"kind": "article", "ref": "art-2"})
    client, request = stream(server, "delegate-2", **{"Last-Event-ID": str(seen)})
    with client, request as response:
        events = only_events(read_events(response, 3, 3))
    assert [int(e["id"]) for e in events] == [seen + 1, seen + 2]
    assert {e["event"] for e in events} == {"agenda_set"}


def test_a_change_by_another_process_arrives_through_the_poll(server: Server) -> None:
    start = server.last_seq()
    client, request = stream(server, "chair", **{"Last-Event-ID": str(start)})
    with client, request as response:
        service = open_service(server.db)  # like the CLI: another process, same database
        chair = service.delegate(service.the_meeting(), "chair")
        service.set_agenda(chair, service.the_meeting(), "none")
        service.store.close()
        sent = time.monotonic()
        events = only_events(read_events(response, 1, 5))
        elapsed = time.monotonic() - sent
    assert events and events[0]["event"] == "agenda_set" and int(events[0]["id"]) == start + 1
    assert elapsed < 2.5


def test_the_stream_sends_heartbeats(server: Server) -> None:
    client, request = stream(server, "chair", **{"Last-Event-ID": str(server.last_seq())})
    with client, request as response:
        items = read_events(response, 1, 4)
    assert items and "heartbeat" in items[0]


def test_the_stream_needs_a_login_and_a_valid_last_id(server: Server) -> None:
    assert httpx.get(f"{server.base}/live", timeout=5).status_code in (302, 401)
    answer = httpx.get(
        f"{server.base}/live",
        headers={"Authorization": f"Bearer {server.token('chair')}", "Last-Event-ID": "x"},
        timeout=5,
    )
    assert answer.status_code == 422


def test_the_page_declares_where_its_live_feed_resumes(server: Server) -> None:
    with httpx.Client(base_url=server.base, timeout=5) as browser:
        form = browser.get("/login")
        token = form.text.split('name="_csrf_token" value="')[1].split('"')[0]
        browser.post("/login", data={"code": server.codes["delegate-3"], "_csrf_token": token})
        page = browser.get("/")
        assert f'data-live="/live?after={server.last_seq()}"' in page.text
        assert '<script src="/static/live.js"' in page.text
    assert CONSOLE.id == "console"


def test_two_workers_share_notices_through_redis(tmp_path: Path, redis_test_url: str) -> None:
    url = redis_test_url
    # a slow poll: only a Redis notice can bring the event within a second
    with running_server(tmp_path, "--redis", url, "--workers", "2", CK_POLL="30") as two:
        for attempt in range(4):  # the stream and the change land on workers by chance
            start = two.last_seq()
            client, request = stream(two, "observer", **{"Last-Event-ID": str(start)})
            with client, request as response:
                time.sleep(0.2)
                sent = time.monotonic()
                two.api(
                    "chair", "PUT", "/agenda", {"kind": "article", "ref": f"art-{attempt % 2 + 1}"}
                )
                events = only_events(read_events(response, 1, 5))
                elapsed = time.monotonic() - sent
            assert events and events[0]["event"] == "agenda_set"
            assert elapsed < 1.5, elapsed

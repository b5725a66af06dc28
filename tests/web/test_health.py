"""``/healthz``, ``/readyz`` and a graceful stop (issue 23): what a load balancer relies on."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import httpx
from litestar.testing import TestClient

from tests.web.conftest import make_site
from tests.web.test_live import Server, free_port, start_server, stop_server
from webui import Settings, create_app


def test_healthz_and_readyz_answer_without_a_login(client: TestClient[Any]) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ready", "database": "ok", "redis": "not used", "stopping": False
    }  # fmt: skip
    assert ready.headers["cache-control"] == "no-store"


def test_readyz_is_503_with_retry_after_when_redis_is_unreachable(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    port = free_port()  # nothing listens there
    app = create_app(
        Settings(db=site.url, secret="s", redis=f"redis://127.0.0.1:{port}/0", poll_interval=0.2)
    )
    with TestClient(app=app) as client:
        ready = client.get("/readyz")
        assert client.get("/healthz").status_code == 200  # the process itself is fine
    site.service.store.close()
    assert ready.status_code == 503
    assert ready.headers["retry-after"] == "2"
    assert ready.json() == {
        "status": "unavailable", "database": "ok", "redis": "unreachable", "stopping": False
    }  # fmt: skip


def test_readyz_is_503_when_the_database_is_unreachable(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    with TestClient(app=site.app) as client:
        (tmp_path / "meeting.db").unlink()  # SQLite would create an empty file: make it a folder
        (tmp_path / "meeting.db").mkdir()
        site.app.state.service.store.close()  # drop the pooled connection to the old file
        ready = client.get("/readyz")
    site.service.store.close()
    assert ready.status_code == 503, ready.text
    assert ready.json()["database"] == "unreachable"


def test_the_health_routes_are_documented_with_their_errors(client: TestClient[Any]) -> None:
    paths = client.get("/schema/openapi.json").json()["paths"]
    for path in ("/healthz", "/readyz"):
        operation = paths[path]["get"]
        assert operation["summary"] and operation["description"], path
    assert "503" in paths["/readyz"]["get"]["responses"]


def test_sigterm_tells_live_streams_to_reconnect_then_the_server_exits(tmp_path: Path) -> None:
    from consensus_kit import open_service
    from tests.builders import load_meeting

    db = f"sqlite:///{tmp_path / 'meeting.db'}"
    service = open_service(db)
    loaded = load_meeting(service)
    service.store.close()
    port = free_port()
    process = start_server(db, port, CK_HEARTBEAT="15")
    server = Server(f"http://127.0.0.1:{port}", db, dict(loaded.codes), loaded.meeting.id)
    lines: list[str] = []
    opened = threading.Event()

    def read() -> None:
        headers = {"Authorization": f"Bearer {server.token('observer')}"}
        try:
            with httpx.stream("GET", f"{server.base}/live", headers=headers, timeout=30) as r:
                opened.set()
                lines.extend(r.iter_lines())
        except httpx.HTTPError:
            lines.append("cut")

    reader = threading.Thread(target=read)
    reader.start()
    try:
        assert opened.wait(10)
        time.sleep(0.3)
        started = time.monotonic()
        process.terminate()
        process.wait(timeout=15)
        took = time.monotonic() - started
        reader.join(10)
    finally:
        stop_server(process)
    assert "event: reconnect" in lines and "retry: 250" in lines, lines
    assert "cut" not in lines  # the stream ended cleanly, after the reconnect message
    assert took < 5, f"SIGTERM took {took:.1f} s with an open live stream"

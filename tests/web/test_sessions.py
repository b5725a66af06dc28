"""Sessions end when they should: logging out or a re-issued code ends the login on the server —
a copy of the cookie or token stops working, and that login's open live streams end.

Real server processes and httpx (the live feed is an endless SSE response).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.web.conftest import CSRF
from tests.web.test_live import Server, running_server
from webui.cli import main as cli_main

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def server(tmp_path: Path, db_url: str) -> Iterator[Server]:
    with running_server(tmp_path, db=db_url) as running:
        yield running


def log_in(server: Server, who: str) -> httpx.Client:
    """A browser logged in through the form."""
    browser = httpx.Client(base_url=server.base, timeout=10, follow_redirects=False)
    token = CSRF.search(browser.get("/login").text).group(1)  # type: ignore[union-attr]
    answer = browser.post("/login", data={"code": server.codes[who], "_csrf_token": token})
    assert answer.status_code == 303, answer.text
    return browser


def copy_of(browser: httpx.Client) -> httpx.Client:
    """Another client holding a copy of ``browser``'s cookies (a stolen or shared cookie)."""
    return httpx.Client(
        base_url=str(browser.base_url),
        timeout=10,
        follow_redirects=False,
        cookies=dict(browser.cookies),
    )


def log_out(browser: httpx.Client) -> None:
    token = CSRF.search(browser.get("/").text).group(1)  # type: ignore[union-attr]
    assert browser.post("/logout", data={"_csrf_token": token}).status_code in (302, 303)


@contextmanager
def watching(server: Server, **headers: str) -> Iterator[dict[str, Any]]:
    """A live stream read in the background: the event types it got, and when it ended."""
    seen: dict[str, Any] = {"events": [], "ended": None}
    stop = threading.Event()
    client = httpx.Client(base_url=server.base, timeout=httpx.Timeout(10.0, read=5.0))
    headers = {"Last-Event-ID": str(server.last_seq()), **headers}

    def read() -> None:
        try:
            with client.stream("GET", "/live", headers=headers) as response:
                assert response.status_code == 200
                for line in response.iter_lines():
                    if line.startswith("event:"):
                        seen["events"].append(line.partition(":")[2].strip())
                    if stop.is_set():
                        return
        except httpx.HTTPError:
            pass
        seen["ended"] = time.monotonic()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    time.sleep(0.5)
    try:
        yield seen
    finally:
        stop.set()
        reader.join(timeout=10)
        client.close()


def agenda(server: Server, ref: str) -> None:
    assert server.api("chair", "PUT", "/agenda", {"kind": "article", "ref": ref}).is_success


def wait_until_ended(seen: dict[str, Any], seconds: float) -> float | None:
    deadline = time.monotonic() + seconds
    while seen["ended"] is None and time.monotonic() < deadline:
        time.sleep(0.05)
    return seen["ended"]  # type: ignore[no-any-return]


def test_a_cookie_copied_before_logout_stops_working(server: Server) -> None:
    browser = log_in(server, "delegate-1")
    stolen = copy_of(browser)
    other_login = log_in(server, "delegate-1")  # the same delegate on another device
    assert stolen.get("/").status_code == 200
    log_out(browser)
    assert browser.get("/").status_code in (302, 303)
    assert stolen.get("/").status_code in (302, 303)  # the copy ends with it
    assert stolen.get("/votes/1").status_code in (302, 303, 401)
    assert other_login.get("/").status_code == 200  # only that login ended


def test_logging_out_ends_that_logins_live_stream(server: Server) -> None:
    browser = log_in(server, "delegate-2")
    cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
    with watching(server, Cookie=cookie) as seen:
        agenda(server, "art-1")
        time.sleep(1.2)
        assert seen["events"] == ["agenda_set"] and seen["ended"] is None
        logged_out = time.monotonic()
        log_out(browser)
        ended = wait_until_ended(seen, 8)
        agenda(server, "art-2")
        time.sleep(1.5)
    assert ended is not None and ended - logged_out < 6.5
    assert seen["events"] == ["agenda_set"]  # nothing after the logout


def test_a_token_ended_through_the_api_stops_working_with_its_stream(server: Server) -> None:
    token = server.token("observer")
    bearer = {"Authorization": f"Bearer {token}"}
    with watching(server, **bearer) as seen:
        ended_at = time.monotonic()
        answer = httpx.delete(f"{server.base}/api/v1/token", headers=bearer, timeout=10)
        assert answer.status_code == 204
        assert wait_until_ended(seen, 8) is not None
    assert seen["ended"] - ended_at < 6.5
    refused = httpx.get(f"{server.base}/api/v1/me", headers=bearer, timeout=10)
    assert refused.status_code == 401
    assert "logged out" in refused.json()["message"]


def test_reissuing_a_code_ends_the_delegates_live_streams(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    bearer = {"Authorization": f"Bearer {server.token('delegate-3')}"}
    page = log_in(server, "delegate-3")
    cookie = "; ".join(f"{k}={v}" for k, v in page.cookies.items())
    with watching(server, **bearer) as by_token, watching(server, Cookie=cookie) as by_page:
        reissued = time.monotonic()
        assert cli_main(["codes", "--db", server.db, "--delegate", "delegate-3"]) == 0
        capsys.readouterr()
        assert wait_until_ended(by_token, 10) is not None
        assert wait_until_ended(by_page, 10) is not None
        agenda(server, "art-2")
        time.sleep(1.0)
    assert max(by_token["ended"], by_page["ended"]) - reissued < 8
    assert "agenda_set" not in by_token["events"] + by_page["events"]

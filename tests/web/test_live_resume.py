"""A reconnecting page's stream (session cookie, ``?after=`` / ``Last-Event-ID``) replays exactly
what it missed, though a new stream no longer reads the log by itself (see webui/feed.py)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from consensus_kit import open_service
from tests.web.conftest import CSRF
from tests.web.test_live import Server, only_events, read_events, running_server

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("resume")) as running:
        yield running


def cookie_of(server: Server, who: str) -> str:
    """The cookies of a browser logged in through the form, as one ``Cookie`` header."""
    with httpx.Client(base_url=server.base, timeout=10) as browser:
        token = CSRF.search(browser.get("/login").text).group(1)  # type: ignore[union-attr]
        answer = browser.post("/login", data={"code": server.codes[who], "_csrf_token": token})
        assert answer.status_code == 303, answer.text
        return "; ".join(f"{k}={v}" for k, v in browser.cookies.items())


def resumed(server: Server, path: str, count: int, seconds: float, **headers: str) -> list[int]:
    """The ids of the first ``count`` events a new stream at ``path`` sends."""
    with (
        httpx.Client(timeout=httpx.Timeout(5.0, read=2.5)) as client,
        client.stream("GET", f"{server.base}{path}", headers=headers) as response,
    ):
        assert response.status_code == 200
        events = only_events(read_events(response, count, seconds, heartbeats=False))
    return [int(e["id"]) for e in events]


def agenda(server: Server, ref: str) -> None:
    answer = server.api("chair", "PUT", "/agenda", {"kind": "article", "ref": ref})
    assert answer.status_code == 200, answer.text


def test_a_page_resuming_with_its_cookie_gets_exactly_what_it_missed(server: Server) -> None:
    cookie = cookie_of(server, "delegate-1")
    seen = server.last_seq()
    # a stream open meanwhile: the hub keeps the latest events, the new streams use them
    for _ in range(2):
        assert resumed(server, f"/live?after={seen}", 1, 1.5, Cookie=cookie) == []
    agenda(server, "art-1")
    agenda(server, "art-2")
    agenda(server, "art-1")
    missed = [seen + 1, seen + 2, seen + 3]
    assert resumed(server, f"/live?after={seen}", 4, 2.0, Cookie=cookie) == missed
    # the browser's own reconnection: Last-Event-ID wins over the page's ?after=
    again = resumed(server, f"/live?after={seen}", 3, 2.0, Cookie=cookie, **{"Last-Event-ID": str(seen + 2)})  # fmt: skip
    assert again == [seen + 3]
    assert resumed(server, f"/live?after={seen + 3}", 1, 1.5, Cookie=cookie) == []


def test_many_streams_resuming_at_once_each_get_exactly_what_they_missed(server: Server) -> None:
    cookies = [cookie_of(server, f"delegate-{i}") for i in (1, 2, 3)]
    seen = server.last_seq()
    agenda(server, "art-2")
    agenda(server, "art-1")

    async def all_at_once() -> list[list[int]]:

        async def one(i: int) -> list[int]:
            ids: list[int] = []
            async with (
                httpx.AsyncClient(timeout=10) as client,
                client.stream(
                    "GET", f"{server.base}/live?after={seen}", headers={"Cookie": cookies[i % 3]}
                ) as response,
            ):
                async for line in response.aiter_lines():
                    if line.startswith("id:"):
                        ids.append(int(line[3:]))
                    if len(ids) == 2:
                        break
            return ids

        return await asyncio.wait_for(asyncio.gather(*(one(i) for i in range(30))), 20)

    assert asyncio.run(all_at_once()) == [[seen + 1, seen + 2]] * 30


def test_a_change_made_elsewhere_before_the_reconnection_still_arrives(server: Server) -> None:
    cookie = cookie_of(server, "delegate-2")
    seen = server.last_seq()
    assert resumed(server, f"/live?after={seen}", 1, 1.0, Cookie=cookie) == []  # hub is fresh
    service = open_service(server.db)  # like the CLI: another process, no notice
    chair = service.delegate(service.the_meeting(), "chair")
    service.set_agenda(chair, service.the_meeting(), "none")
    service.store.close()
    sent = time.monotonic()
    assert resumed(server, f"/live?after={seen}", 1, 4.0, Cookie=cookie) == [seen + 1]
    assert time.monotonic() - sent < 2.5  # at the latest after the poller's next read (0.5 s)


def test_a_stream_without_a_valid_login_is_refused_before_it_opens(server: Server) -> None:
    cookie = cookie_of(server, "delegate-3")
    forged = cookie.replace("ck_session=", "ck_session=x")
    for headers in ({"Cookie": forged}, {"Authorization": "Bearer nope"}):
        answer = httpx.get(f"{server.base}/live?after=0", headers=headers, timeout=5)
        assert answer.status_code in (302, 401), headers
    bad = httpx.get(f"{server.base}/live?after=-1", headers={"Cookie": cookie}, timeout=5)
    assert bad.status_code == 422


def test_a_stream_whose_login_ended_ends_within_the_hubs_recheck(tmp_path: Path) -> None:
    with running_server(tmp_path, CK_HEARTBEAT="15") as server:  # own wake-ups 2.5-5 s apart
        ended_in, rest = _end_a_login_under_its_stream(server)
    assert ended_in < 2.0
    assert b"id:" not in rest


def _end_a_login_under_its_stream(server: Server) -> tuple[float, bytes]:
    token = httpx.post(
        f"{server.base}/api/v1/token", json={"code": server.codes["observer"]}, timeout=10
    ).json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    with (
        httpx.Client(timeout=httpx.Timeout(5.0, read=4.0)) as client,
        client.stream(
            "GET", f"{server.base}/live?after={server.last_seq()}", headers=bearer
        ) as response,
    ):
        assert response.status_code == 200
        time.sleep(0.3)
        ended_at = time.monotonic()
        answer = httpx.delete(f"{server.base}/api/v1/token", headers=bearer, timeout=10)
        assert answer.status_code == 204
        # the stream's own check comes at its next wake-up (2.5 s or more with no event): the
        # hub's re-check of all its streams' logins ends it sooner, with nothing sent
        rest = b"".join(response.iter_raw())
    return time.monotonic() - ended_at, rest

"""The speakers' list reaches every open page live (issue 22): each act is an event on the
feed, and the strip every page shows follows it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.test_live import Server, only_events, read_events, running_server, stream

pytestmark = pytest.mark.timeout(90)


@pytest.fixture
def server(tmp_path: Path, db_url: str) -> Iterator[Server]:
    with running_server(tmp_path, db=db_url) as running:
        yield running


def test_each_act_of_the_speakers_list_reaches_a_connected_stream(server: Server) -> None:
    start = server.last_seq()
    client, request = stream(server, "observer", **{"Last-Event-ID": str(start)})
    with client, request as response:
        sent = time.monotonic()
        for who in ("delegate-1", "delegate-2", "delegate-3"):
            assert server.api(who, "POST", "/speakers/request").status_code == 200
        assert server.api("chair", "POST", "/speakers/floor", {"limit": 60}).status_code == 200
        events = only_events(read_events(response, 4, 5, heartbeats=False))
        elapsed = time.monotonic() - sent
    assert [e["event"] for e in events] == ["speaker_requested"] * 3 + ["floor_given"]
    assert [int(e["id"]) for e in events] == [start + 1, start + 2, start + 3, start + 4]
    assert elapsed < 3
    # and the list read after the events says what they said
    listed = server.api("observer", "GET", "/speakers").json()
    assert listed["current"]["organisation"] == "org-1"
    assert [r["organisation"] for r in listed["waiting"]] == ["org-2", "org-3"]

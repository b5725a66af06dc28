"""The hub's notices: a page read never swallows the notice of a change."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from consensus_kit import open_service
from tests.builders import load_meeting
from webui.live import LiveHub


class Recorder:
    """Stands in for the channels plugin: records what is published."""

    def __init__(self) -> None:
        self.sent: list[tuple[Any, str]] = []

    def publish(self, data: Any, channels: str) -> None:
        self.sent.append((data, channels))


def test_a_change_seen_first_by_a_page_is_still_announced(tmp_path: Path) -> None:
    service = open_service(f"sqlite:///{tmp_path / 'm.db'}")
    loaded = load_meeting(service)
    mid = loaded.meeting.id
    recorder = Recorder()
    hub = LiveHub(service, recorder)  # type: ignore[arg-type]
    asyncio.run(hub.advanced(mid, changed=False))
    first = recorder.sent[-1][0]["seq"]
    chair = service.delegate(mid, "chair")
    service.set_agenda(chair, mid, "article", "art-1")  # e.g. by the CLI
    assert hub.known_seq(mid) == first + 1  # a page rendered in between
    asyncio.run(hub.advanced(mid, changed=False))  # the poller
    assert recorder.sent[-1] == ({"meeting": mid, "seq": first + 1}, f"meeting:{mid}")
    count = len(recorder.sent)
    asyncio.run(hub.advanced(mid, changed=False))
    assert len(recorder.sent) == count  # nothing new: no notice
    asyncio.run(hub.advanced(mid))  # after a request's change: always
    assert len(recorder.sent) == count + 1
    service.store.close()


def test_streams_share_one_read_of_the_log_and_read_it_themselves_when_it_is_behind(
    tmp_path: Path,
) -> None:
    service = open_service(f"sqlite:///{tmp_path / 'm.db'}")
    mid = load_meeting(service).meeting.id
    hub = LiveHub(service, Recorder())  # type: ignore[arg-type]
    start = hub.known_seq(mid)
    chair = service.delegate(mid, "chair")
    service.set_agenda(chair, mid, "article", "art-1")
    service.set_agenda(chair, mid, "article", "art-2")
    assert hub._cached(mid, start, start + 1) is None  # the hub has not read them yet
    hub.known_seq(mid)  # the read before a notice is published
    shared = asyncio.run(hub._events(chair, mid, start, start + 2, first=False))
    assert shared == service.events_after(chair, mid, start)
    assert [e.seq for e in shared] == [start + 1, start + 2]
    assert hub._cached(mid, start + 2, start + 2) == []
    assert hub._cached(mid, start, start + 3) is None  # a newer notice (another worker): the log
    service.set_agenda(chair, mid, "none")
    assert (
        asyncio.run(hub._events(chair, mid, start + 2, start + 3, first=False))[0].seq == start + 3
    )
    service.store.close()

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

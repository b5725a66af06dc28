"""The hub's notices: a page read never swallows the notice of a change."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from consensus_kit import NotAuthenticated, open_service
from tests.builders import load_meeting
from webui.live import LiveHub


class Recorder:
    """Stands in for the channels plugin: records what is published."""

    def __init__(self) -> None:
        self.sent: list[tuple[Any, str]] = []

    def publish(self, data: Any, channels: str) -> None:
        self.sent.append((data, channels))


async def _settled(hub: LiveHub) -> None:
    """Wait until the notices of the changes announced so far went out."""
    while any(not task.done() for task in hub._notifiers.values()):
        await asyncio.sleep(0.01)


async def _changed(hub: LiveHub, mid: str) -> None:
    """What a request does after its change committed; then wait for the notice."""
    hub.changed(mid)
    await _settled(hub)


def test_a_change_seen_first_by_a_page_is_still_announced(tmp_path: Path) -> None:
    service = open_service(f"sqlite:///{tmp_path / 'm.db'}")
    loaded = load_meeting(service)
    mid = loaded.meeting.id
    recorder = Recorder()
    hub = LiveHub(service, recorder)  # type: ignore[arg-type]
    asyncio.run(hub.advanced(mid))
    first = recorder.sent[-1][0]["seq"]
    chair = service.delegate(mid, "chair")
    service.set_agenda(chair, mid, "article", "art-1")  # e.g. by the CLI
    assert hub.known_seq(mid) == first + 1  # a page rendered in between
    asyncio.run(hub.advanced(mid))  # the poller
    assert recorder.sent[-1] == ({"meeting": mid, "seq": first + 1}, f"meeting:{mid}")
    count = len(recorder.sent)
    asyncio.run(hub.advanced(mid))
    assert len(recorder.sent) == count  # nothing new: no notice
    asyncio.run(_changed(hub, mid))  # after a request's change: always
    assert len(recorder.sent) == count + 1
    service.store.close()


def test_a_burst_of_changes_shares_a_few_notices_and_the_last_one_covers_all(
    tmp_path: Path,
) -> None:
    service = open_service(f"sqlite:///{tmp_path / 'm.db'}")
    mid = load_meeting(service).meeting.id
    recorder = Recorder()
    hub = LiveHub(service, recorder)  # type: ignore[arg-type]
    chair = service.delegate(mid, "chair")

    def change(i: int) -> None:
        service.set_agenda(chair, mid, "article", f"art-{i % 2 + 1}")

    async def together() -> None:  # 50 requests finish in the same turn of the event loop
        for i in range(50):
            change(i)
        for _ in range(50):
            hub.changed(mid)
        await _settled(hub)

    async def one_by_one() -> None:  # each request commits, then tells the hub
        for i in range(20):
            await asyncio.to_thread(change, i)
            hub.changed(mid)
        await _settled(hub)

    asyncio.run(together())
    last = service.events_after(chair, mid, 0, None)[-1].seq
    assert recorder.sent == [({"meeting": mid, "seq": last}, f"meeting:{mid}")]
    asyncio.run(one_by_one())
    seqs = [data["seq"] for data, _ in recorder.sent]
    assert seqs[-1] == last + 20  # the last notice names the last change
    assert seqs == sorted(seqs)
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


class CountingHub(LiveHub):
    """The hub, counting its reads of the log for the latest events."""

    reads = 0

    def known_seq(self, meeting: str) -> int:
        self.reads += 1
        return super().known_seq(meeting)


def test_new_streams_opened_together_share_one_read_and_replay_exactly_what_they_missed(
    tmp_path: Path,
) -> None:
    service = open_service(f"sqlite:///{tmp_path / 'm.db'}")
    mid = load_meeting(service).meeting.id
    hub = CountingHub(service, Recorder())  # type: ignore[arg-type]
    start = hub.known_seq(mid)
    chair = service.delegate(mid, "chair")
    service.set_agenda(chair, mid, "article", "art-1")  # no notice: the hub has not read them
    service.set_agenda(chair, mid, "article", "art-2")
    hub._announced[mid] = start + 2  # ... but another worker's notice announced them

    async def reconnecting() -> list[list[int]]:
        wanted = hub._announced[mid]  # what a new listener waits for
        replays = [hub._events(chair, mid, start - i % 2, wanted, first=True) for i in range(40)]
        return [[e.seq for e in events] for events in await asyncio.gather(*replays)]

    before = hub.reads
    replayed = asyncio.run(reconnecting())
    assert replayed == [list(range(start + 1 - i % 2, start + 3)) for i in range(40)]
    # reads shared by the 40 streams: the first began as the first arrived, the rest share one
    assert hub.reads - before <= 2
    before = hub.reads
    # the latest are now up to date: the next new stream reads nothing
    again = asyncio.run(hub._events(chair, mid, start + 1, start + 2, first=True))
    assert [e.seq for e in again] == [start + 2] and hub.reads == before
    service.store.close()


def test_a_reader_is_checked_on_the_meeting_its_login_check_returned(tmp_path: Path) -> None:
    service = open_service(f"sqlite:///{tmp_path / 'm.db'}")
    loaded = load_meeting(service)
    mid = loaded.meeting.id
    secretariat = service.delegate(mid, "secretariat")
    delegate = service.delegate(mid, "delegate-1")
    service.check_event_reader(delegate, service.meeting(mid))  # may read: no error
    service.withdraw_delegate(secretariat, mid, "delegate-1", reason="left the summit")
    with pytest.raises(NotAuthenticated):
        service.check_event_reader(delegate, service.meeting(mid))
    service.store.close()

"""What a page with many amendments reads: the first few with their diffs, the rest counted."""

from __future__ import annotations

from sqlalchemy import event

from consensus_kit import CONSOLE, MeetingService
from consensus_kit.storage.store import SqlStore
from tests.builders import load_meeting


def test_the_first_amendments_are_read_and_the_others_only_counted(
    service: MeetingService, store: SqlStore
) -> None:
    loaded = load_meeting(service)
    mid = loaded.meeting.id
    numbers = [
        service.propose_amendment(
            service.delegate(mid, "delegate-1"),
            mid,
            kind="replace",
            article=article,
            texts={"en": f"Changed {k} (en)"},
        ).number
        for k, article in enumerate(["art-1", "art-2", "art-1", "art-1", "art-1"])
    ]
    service.withdraw_amendment(service.delegate(mid, "delegate-1"), mid, numbers[3])
    on_one = [numbers[0], numbers[2], numbers[4]]  # art-1's open ones, in order
    every = service.amendments(CONSOLE, mid, article="art-1", open_only=True)
    assert [v.amendment.number for v in every] == on_one
    first = service.amendments(CONSOLE, mid, article="art-1", open_only=True, limit=2)
    assert first == every[:2]  # the same views, diffs and lines included
    assert service.amendment_count(CONSOLE, mid, open_only=True, article="art-1") == 3
    assert service.amendment_count(CONSOLE, mid, article="art-1") == 4
    assert service.amendment_count(CONSOLE, mid, open_only=True) == 4
    assert service.amendment_count(CONSOLE, mid) == 5
    # counting reads no amendment: one COUNT, whatever their number
    seen: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    service.amendment_count(CONSOLE, mid, open_only=True, article="art-1")
    counted = [s for s in seen if "amendments" in s]
    assert len(counted) == 1 and "count(" in counted[0].lower()

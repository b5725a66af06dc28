"""The speakers' list (issue 22): requests for the floor on the item under discussion, one per
organisation at a time, withdrawable, refused to observers; the chair orders the list, gives
the floor with a time, ends turns and closes the list. Every act is an event."""

from __future__ import annotations

import datetime as dt

import pytest

from consensus_kit import (
    CONSOLE,
    InvalidInput,
    InvalidState,
    MeetingService,
    NotPermitted,
    verify_store,
)
from tests.builders import load_meeting

Room = tuple[MeetingService, str, dict]  # type: ignore[type-arg]


@pytest.fixture
def room(service: MeetingService) -> Room:
    loaded = load_meeting(service, orgs=4)
    people = {d.id: d for d in loaded.meeting.delegates}
    service.set_agenda(people["chair"], loaded.meeting.id, kind="article", ref="art-1")
    return service, loaded.meeting.id, people


def _waiting(service: MeetingService, mid: str, p: dict) -> list[str]:  # type: ignore[type-arg]
    return [r.organisation for r in service.speakers_list(p["chair"], mid).waiting]


def test_requests_queue_in_order_one_per_organisation(room: Room) -> None:
    service, mid, p = room
    for who in ("delegate-2", "delegate-1", "signatory-3"):
        service.request_floor(p[who], mid)
    assert _waiting(service, mid, p) == ["org-2", "org-1", "org-3"]
    # the same organisation again, even through another of its delegates: refused, unchanged
    with pytest.raises(
        InvalidState, match="org-1 has already asked for the floor on article:art-1"
    ):
        service.request_floor(p["signatory-1"], mid)
    assert _waiting(service, mid, p) == ["org-2", "org-1", "org-3"]
    speakers = service.speakers_list(p["delegate-4"], mid)
    assert speakers.item == "article:art-1" and speakers.position("org-3") == 3  # type: ignore[arg-type]


def test_a_request_is_withdrawn_and_may_be_made_again(room: Room) -> None:
    service, mid, p = room
    service.request_floor(p["delegate-1"], mid)
    service.request_floor(p["delegate-2"], mid)
    service.withdraw_floor_request(p["delegate-1"], mid)
    assert _waiting(service, mid, p) == ["org-2"]
    with pytest.raises(InvalidState, match="org-1 has no request"):
        service.withdraw_floor_request(p["delegate-1"], mid)
    with pytest.raises(NotPermitted, match="not for org-2"):
        service.withdraw_floor_request(p["delegate-1"], mid, organisation="org-2")
    service.request_floor(p["delegate-1"], mid)
    assert _waiting(service, mid, p) == ["org-2", "org-1"]
    service.withdraw_floor_request(p["chair"], mid, organisation="org-2")  # the chair may
    assert _waiting(service, mid, p) == ["org-1"]


def test_observers_and_the_console_cannot_ask_for_the_floor(room: Room) -> None:
    service, mid, p = room
    before = service.events_after(CONSOLE, mid)
    with pytest.raises(NotPermitted, match="observer"):
        service.request_floor(p["observer"], mid)
    with pytest.raises(NotPermitted):
        service.request_floor(CONSOLE, mid)
    with pytest.raises(NotPermitted):
        service.give_floor(p["delegate-1"], mid)
    assert service.events_after(CONSOLE, mid) == before
    assert service.speakers_list(p["chair"], mid).waiting == ()


def test_the_chair_orders_gives_the_floor_times_and_closes(room: Room) -> None:
    service, mid, p = room
    chair = p["chair"]
    for who in ("delegate-1", "delegate-2", "delegate-3", "delegate-4"):
        service.request_floor(p[who], mid)
    with pytest.raises(InvalidInput, match="name every waiting organisation once"):
        service.order_speakers(chair, mid, ["org-3", "org-1"])
    service.order_speakers(chair, mid, ["org-3", "org-1", "org-4", "org-2"])
    speakers = service.give_floor(chair, mid, limit=120)
    assert speakers.current is not None and speakers.current.organisation == "org-3"
    assert speakers.current.deadline == speakers.current.started_at + dt.timedelta(seconds=120)
    assert [r.organisation for r in speakers.next_speakers()] == ["org-1", "org-4", "org-2"]
    with pytest.raises(InvalidState, match="org-3 has the floor"):
        service.request_floor(p["signatory-3"], mid)
    speakers = service.give_floor(chair, mid, organisation="org-2", limit=0)  # out of turn
    assert speakers.current.organisation == "org-2" and speakers.current.deadline is None  # type: ignore[union-attr]
    assert [t.organisation for t in speakers.spoken] == ["org-3"]
    service.close_speakers_list(chair, mid)
    with pytest.raises(InvalidState, match="is closed"):
        service.request_floor(p["delegate-3"], mid)
    speakers = service.end_turn(chair, mid)
    assert speakers.current is None and [t.organisation for t in speakers.spoken] == [
        "org-3",
        "org-2",
    ]
    with pytest.raises(InvalidState, match="nobody has the floor"):
        service.end_turn(chair, mid)
    with pytest.raises(InvalidInput, match="limit"):
        service.give_floor(chair, mid, limit=99999)
    service.reopen_speakers_list(chair, mid)
    service.request_floor(p["delegate-3"], mid)  # spoke already, asks again: a second round
    types = [e.type for e in service.events_after(CONSOLE, mid)]
    for kind in (
        "speaker_requested",
        "speakers_ordered",
        "floor_given",
        "turn_ended",
        "speakers_list_closed",
        "speakers_list_reopened",
    ):
        assert kind in types
    assert verify_store(service.store, CONSOLE).ok


def test_each_agenda_item_has_its_own_list(room: Room) -> None:
    service, mid, p = room
    service.request_floor(p["delegate-1"], mid)
    service.set_agenda(p["chair"], mid, kind="article", ref="art-2")
    assert service.speakers_list(p["chair"], mid).waiting == ()
    service.request_floor(p["delegate-1"], mid)  # a new item: a new request
    first = service.speakers_list(p["chair"], mid, item="article:art-1")
    assert [r.organisation for r in first.waiting] == ["org-1"]

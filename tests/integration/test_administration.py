"""Administration after loading, through the library, on SQLite and PostgreSQL (issue 18)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import create_engine, text

from consensus_kit import (
    CONSOLE,
    Choice,
    Conflict,
    InvalidInput,
    InvalidState,
    MeetingChanged,
    MeetingService,
    NotAuthenticated,
    NotFound,
    NotPermitted,
    SqlStore,
    record_tag,
    verify_store,
)
from consensus_kit.domain.administration import replay
from consensus_kit.domain.hashing import meeting_hash
from consensus_kit.domain.ids import DelegateId, MeetingId, OrgId
from consensus_kit.storage.engine import normalise_url
from tests.builders import UNICODE_CORPUS, load_meeting

MID = MeetingId("test-meeting")


def _as(service: MeetingService, who: str) -> Any:
    return service.delegate(MID, who)


def test_rename_is_one_event_that_replays_to_the_stored_meeting(service: MeetingService) -> None:
    load_meeting(service)
    before = service.meeting(MID)
    done = service.rename_organisation(
        _as(service, "secretariat"),
        MID,
        "org-1",
        name={"zh": "救助儿童会", "en": "Save the Children"},
        country_name={"en": "Republic of Kenya"},
        reason="the official name, as the delegation asked",
    )
    body = done.event.body
    assert isinstance(body, MeetingChanged)
    assert (body.act, body.target, done.event.actor) == (
        "organisation_renamed",
        "org-1",
        "secretariat",
    )
    assert body.reason == "the official name, as the delegation asked"
    stored = service.meeting(MID)
    org = stored.organisation(OrgId("org-1"))
    assert org is not None and org.name["zh"] == "救助儿童会"
    assert org.country_in("en") == "Republic of Kenya"
    assert meeting_hash(replay(before, body)) == body.meeting_hash == meeting_hash(stored)
    assert verify_store(service.store, CONSOLE).ok


def test_add_organisation_and_delegate_who_logs_in_and_votes(service: MeetingService) -> None:
    load_meeting(service)
    sec = _as(service, "secretariat")
    service.add_organisation(
        sec,
        MID,
        "late",
        name={"en": "Late Delegation", "zh": "迟到代表团"},
        country="KP",
        region="Asia",
        country_name={"en": "Democratic People's Republic of Korea"},
        reason="arrived on day two",
    )
    added = service.add_delegate(
        sec,
        MID,
        "late-head",
        name="Ms Kim 👩🏻",
        organisation="late",
        roles=["delegate", "signatory"],
        reason="head of the late delegation",
    )
    assert added.code
    _, person = service.authenticate(added.code)
    assert person.name == "Ms Kim 👩🏻" and person.organisation == "late"
    vote = service.open_vote(_as(service, "chair"), MID, version=1)
    assert "late" in vote.eligible
    service.cast_ballot(person, MID, vote.number, Choice.YES, key="k1")
    assert verify_store(service.store, CONSOLE).ok


def test_withdrawn_organisation_keeps_its_ballots_and_cannot_vote_again(
    service: MeetingService,
) -> None:
    load_meeting(service)
    chair, sec = _as(service, "chair"), _as(service, "secretariat")
    signatory = _as(service, "signatory-1")
    vote = service.open_vote(chair, MID, version=1)
    service.cast_ballot(signatory, MID, vote.number, Choice.YES, key="k1")
    done = service.withdraw_organisation(sec, MID, "org-1", reason="left the summit")
    org = done.meeting.organisation(OrgId("org-1"))
    assert org is not None and org.withdrawn_at == done.event.at
    leaving = done.meeting.delegate(DelegateId("signatory-1"))
    assert leaving is not None and leaving.withdrawn_at == done.event.at
    with pytest.raises(NotAuthenticated, match="withdrew"):
        service.cast_ballot(signatory, MID, vote.number, Choice.NO, key="k2")
    closed = service.close_vote(chair, MID, vote.number)
    assert closed.result is not None and closed.result.tally.yes == 1  # its ballot stays
    later = service.open_vote(chair, MID, version=1)
    assert "org-1" not in later.eligible
    assert verify_store(service.store, CONSOLE).ok


def test_roles_change_takes_effect_at_once_and_the_last_chair_stays(
    service: MeetingService,
) -> None:
    load_meeting(service)
    sec, chair = _as(service, "secretariat"), _as(service, "chair")
    with pytest.raises(InvalidInput, match="without a chair") as refused:
        service.change_roles(sec, MID, "chair", ["observer"], reason="oops")
    assert refused.value.field == "roles"
    with pytest.raises(InvalidInput) as last:
        service.withdraw_delegate(sec, MID, "chair", reason="oops")
    assert last.value.field == "delegate"
    service.change_roles(sec, MID, "secretariat", ["secretariat", "chair"], reason="co-chair")
    service.change_roles(sec, MID, "chair", ["observer"], reason="stepped down")
    with pytest.raises(NotAuthenticated, match="record changed"):
        service.open_vote(chair, MID, version=1)  # the old record's rights are gone
    with pytest.raises(NotPermitted):
        service.open_vote(_as(service, "chair"), MID, version=1)
    assert service.open_vote(_as(service, "secretariat"), MID, version=1).number == 1


def test_a_login_checked_just_before_a_rename_still_acts(service: MeetingService) -> None:
    load_meeting(service)
    chair = _as(service, "chair")
    service.rename_delegate(CONSOLE, MID, "chair", name="Ambassador Lee", reason="full name")
    assert service.open_vote(chair, MID, version=1).number == 1  # same rights, older record


def test_substitute_a_head_of_delegation(service: MeetingService) -> None:
    load_meeting(service)
    sec = _as(service, "secretariat")
    done = service.substitute_delegate(
        sec,
        MID,
        "signatory-1",
        by="signatory-1b",
        name="Dr Amina Hassan",
        reason="the minister replaced the head of delegation",
    )
    new = done.meeting.delegate(DelegateId("signatory-1b"))
    old = done.meeting.delegate(DelegateId("signatory-1"))
    assert new is not None and old is not None and done.code
    assert new.roles == old.roles and new.organisation == "org-1" and new.title == "Director"
    assert old.withdrawn_at is not None
    assert service.authenticate(done.code)[1].id == "signatory-1b"
    # an existing delegate of the same organisation can take over too
    again = service.substitute_delegate(sec, MID, "signatory-1b", by="delegate-1", reason="ill")
    took = again.meeting.delegate(DelegateId("delegate-1"))
    assert took is not None and took.has(new.roles.__iter__().__next__()) and again.code is None
    with pytest.raises(InvalidInput) as other:
        service.substitute_delegate(sec, MID, "delegate-2", by="delegate-1", reason="x")
    assert other.value.field == "by"


def test_reissue_code_ends_the_old_one(service: MeetingService) -> None:
    loaded = load_meeting(service)
    sec = _as(service, "secretariat")
    new = service.reissue_code(sec, MID, "delegate-2")
    assert service.authenticate(new)[1].id == "delegate-2"
    with pytest.raises(NotAuthenticated):
        service.authenticate(loaded.codes[DelegateId("delegate-2")])
    service.withdraw_delegate(sec, MID, "delegate-2", reason="left")
    with pytest.raises(NotAuthenticated):
        service.authenticate(new)
    with pytest.raises(InvalidState):
        service.reissue_code(sec, MID, "delegate-2")


BAD: list[tuple[str, dict[str, Any], type[Exception], str | None]] = [
    (
        "rename_organisation",
        {"organisation": "org-1", "name": {"en": " "}},
        InvalidInput,
        "name.en",
    ),
    (
        "rename_organisation",
        {"organisation": "org-1", "name": {"en": "organisation 2 (EN)"}},
        InvalidInput,
        "name.en",
    ),
    (
        "rename_organisation",
        {"organisation": "org-1", "name": {"fr": "X"}},
        InvalidInput,
        "name.fr",
    ),
    ("rename_organisation", {"organisation": "nobody", "name": {"en": "X"}}, NotFound, None),
    (
        "rename_organisation",
        {"organisation": "org-1", "name": {"en": "a\x00b"}},
        InvalidInput,
        "name.en",
    ),
    (
        "rename_organisation",
        {"organisation": "org-1", "name": {"en": "X"}, "reason": ""},
        InvalidInput,
        "reason",
    ),
    (
        "add_organisation",
        {"id": "org-2", "name": {"en": "New"}, "country": "KE", "region": "A"},
        InvalidInput,
        "id",
    ),
    (
        "add_organisation",
        {"id": "new", "name": {"en": "New"}, "country": "XX", "region": "A"},
        InvalidInput,
        "country",
    ),
    ("change_roles", {"delegate": "ghost", "roles": ["chair"]}, NotFound, None),
    ("change_roles", {"delegate": "delegate-1", "roles": ["king"]}, InvalidInput, "roles"),
    ("change_roles", {"delegate": "delegate-1", "roles": []}, InvalidInput, "roles"),
    ("change_roles", {"delegate": "observer", "roles": ["signatory"]}, InvalidInput, "roles"),
    ("add_delegate", {"id": "x", "name": "Y", "organisation": "ghost"}, NotFound, None),
    ("add_delegate", {"id": "Bad Id", "name": "Y", "organisation": "org-1"}, InvalidInput, "id"),
    ("rename_delegate", {"delegate": "delegate-1", "name": ""}, InvalidInput, "name"),
]


POSITIONAL = {
    "rename_organisation": ["organisation"],
    "add_organisation": ["id"],
    "change_roles": ["delegate", "roles"],
    "add_delegate": ["id"],
    "rename_delegate": ["delegate"],
}


@pytest.mark.parametrize(("door", "kwargs", "error", "field"), BAD)
def test_bad_input_names_the_field_and_changes_nothing(
    service: MeetingService,
    door: str,
    kwargs: dict[str, Any],
    error: type[Exception],
    field: str | None,
) -> None:
    load_meeting(service)
    before = service.events_after(CONSOLE, MID)
    meeting = service.meeting(MID)
    sec = _as(service, "secretariat")
    kwargs = {"reason": "a reason", **kwargs}
    positional = [kwargs.pop(k) for k in POSITIONAL[door]]
    with pytest.raises(error) as refused:
        getattr(service, door)(sec, MID, *positional, **kwargs)
    if field is not None:
        assert getattr(refused.value, "field", None) == field
        assert field in str(refused.value)
    assert service.events_after(CONSOLE, MID) == before
    assert service.meeting(MID) == meeting


def test_only_the_secretariat_administers(service: MeetingService) -> None:
    load_meeting(service)
    with pytest.raises(NotPermitted):
        service.rename_organisation(
            _as(service, "signatory-1"), MID, "org-1", name={"en": "Mine"}, reason="mine"
        )
    service.rename_organisation(CONSOLE, MID, "org-1", name={"en": "By the console"}, reason="r")


def test_two_secretariat_members_editing_one_organisation_one_wins(
    service: MeetingService,
) -> None:
    load_meeting(service)
    sec = _as(service, "secretariat")
    seen = record_tag(service.meeting(MID).organisation(OrgId("org-1")))  # type: ignore[arg-type]
    service.rename_organisation(sec, MID, "org-1", name={"en": "First"}, reason="a", expected=seen)
    with pytest.raises(Conflict, match="org-1 was changed by someone else"):
        service.rename_organisation(
            CONSOLE, MID, "org-1", name={"en": "Second"}, reason="b", expected=seen
        )
    org = service.meeting(MID).organisation(OrgId("org-1"))
    assert org is not None and org.name["en"] == "First"


def test_a_second_service_sees_the_change_at_its_next_read(store: SqlStore, db_url: str) -> None:
    first = MeetingService(store)
    load_meeting(first)
    other = MeetingService(SqlStore.open(db_url))
    assert other.meeting(MID).organisation(OrgId("org-2")).name["en"] != "Renamed"  # type: ignore[union-attr]
    first.rename_organisation(CONSOLE, MID, "org-2", name={"en": "Renamed"}, reason="r")
    assert other.meeting(MID).organisation(OrgId("org-2")).name["en"] == "Renamed"  # type: ignore[union-attr]
    other.store.close()


def test_verify_is_red_after_a_direct_edit_of_a_renamed_organisation(
    service: MeetingService, db_url: str
) -> None:
    load_meeting(service)
    service.rename_organisation(CONSOLE, MID, "org-1", name={"en": "Renamed"}, reason="r")
    assert verify_store(service.store, CONSOLE).ok
    engine = create_engine(normalise_url(db_url))
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE organisations SET name = :name WHERE id = 'org-1'"),
            {"name": '{"en":"Tampered","zh":"Organisation 1 (zh)"}'},
        )
    engine.dispose()
    report = verify_store(service.store, CONSOLE)
    assert [f.location for f in report.findings] == ["meeting"]
    assert "last recorded change" in report.findings[0].problem


def test_a_withdrawn_organisation_stays_in_the_signatory_list_and_exports(
    service: MeetingService,
) -> None:
    load_meeting(service)
    service.freeze_version(_as(service, "chair"), MID, 1)
    service.endorse(_as(service, "signatory-1"), MID, 1)
    service.withdraw_organisation(CONSOLE, MID, "org-1", reason="left after signing")
    lines = service.signatories(CONSOLE, MID, 1)
    assert [line.organisation for line in lines] == ["org-1"]
    markdown = service.export(CONSOLE, MID, "md", langs=["en"])[0].data.decode()
    assert "Organisation 1 (en)" in markdown
    assert verify_store(service.store, CONSOLE).ok


@pytest.mark.parametrize("label", sorted(UNICODE_CORPUS))
def test_any_text_a_delegate_can_type_round_trips_as_a_name(
    service: MeetingService, label: str
) -> None:
    load_meeting(service)
    words = UNICODE_CORPUS[label]
    service.rename_organisation(CONSOLE, MID, "org-1", name={"zh": words}, reason=words)
    service.rename_delegate(CONSOLE, MID, "delegate-1", name=words, reason=words)
    meeting = service.meeting(MID)
    assert meeting.organisation(OrgId("org-1")).name["zh"] == words  # type: ignore[union-attr]
    assert meeting.delegate(DelegateId("delegate-1")).name == words  # type: ignore[union-attr]
    assert service.events_after(CONSOLE, MID)[-1].body.reason == words  # type: ignore[union-attr]
    assert verify_store(service.store, CONSOLE).ok

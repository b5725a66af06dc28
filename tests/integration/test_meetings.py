"""The service over real databases: SQLite files and, when configured, PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import threading

import msgspec
import pytest
from sqlalchemy import text

from consensus_kit import (
    CONSOLE,
    Article,
    ArticleId,
    Conflict,
    Declaration,
    Delegate,
    DelegateId,
    InvalidInput,
    InvalidState,
    MeetingService,
    NotAuthenticated,
    NotFound,
    NotPermitted,
    SqlStore,
    VersionState,
    declaration_hash,
    tracking_hash,
    verify_store,
)
from consensus_kit.domain.seals import new_private_key, public_key_of
from tests.builders import UNICODE_CORPUS, fixed_clock, load_meeting, with_article_text


def actor(service: MeetingService, delegate_id: str) -> Delegate:
    return service.delegate(service.the_meeting(), delegate_id)


def test_loading_stores_the_meeting_and_version_one(service: MeetingService) -> None:
    loaded = load_meeting(service)
    meeting = service.meeting(loaded.meeting.id)
    assert meeting == loaded.meeting
    v1 = service.version(CONSOLE, meeting.id)
    assert v1.number == 1 and v1.parent is None and v1.state is VersionState.DRAFT
    assert v1.declaration == loaded.version.declaration
    assert v1.content_hash == declaration_hash(v1.declaration)
    types = [e.type for e in service.events_after(CONSOLE, meeting.id)]
    assert types == ["meeting_loaded", "access_codes_issued", "version_published"]


def test_loading_the_same_meeting_twice_is_a_conflict(service: MeetingService) -> None:
    load_meeting(service)
    with pytest.raises(Conflict, match="already in this database"):
        load_meeting(service)
    assert len(service.events_after(CONSOLE, service.the_meeting())) == 3


def test_every_type_round_trips_with_the_unicode_corpus(service: MeetingService) -> None:
    loaded = load_meeting(service, articles=1)
    mid = loaded.meeting.id
    chair = actor(service, "chair")
    articles = tuple(
        Article(id=ArticleId(f"u-{name.replace('_', '-')}"), text={"en": value, "zh": value})  # type: ignore[dict-item]
        for name, value in UNICODE_CORPUS.items()
    )
    declaration = Declaration(
        title={"en": UNICODE_CORPUS["emoji"], "zh": UNICODE_CORPUS["chinese"]},  # type: ignore[dict-item]
        subtitle={"en": UNICODE_CORPUS["arabic"]},  # type: ignore[dict-item]
        preamble={"en": UNICODE_CORPUS["combining"], "zh": UNICODE_CORPUS["rare_cjk"]},  # type: ignore[dict-item]
        articles=articles,
        date=loaded.version.declaration.date,
    )
    published = service.publish_version(chair, mid, declaration, note=UNICODE_CORPUS["hebrew"])
    again = service.version(CONSOLE, mid, published.number)
    assert again == published
    assert (again.declaration.title, again.declaration.subtitle, again.declaration.preamble) == (
        declaration.title,
        declaration.subtitle,
        declaration.preamble,
    )
    assert [a.text for a in again.declaration.articles] == [a.text for a in declaration.articles]
    assert again.note == UNICODE_CORPUS["hebrew"]
    assert [a.text["en"] for a in again.declaration.articles] == list(UNICODE_CORPUS.values())


def test_versions_are_numbered_and_keep_their_texts(service: MeetingService) -> None:
    loaded = load_meeting(service)
    mid = loaded.meeting.id
    chair = actor(service, "chair")
    v1 = loaded.version
    v2 = service.publish_version(chair, mid, with_article_text(v1.declaration, 0, "en", "Changed."))
    v3 = service.publish_version(chair, mid, with_article_text(v2.declaration, 1, "zh", "第二条。"))
    assert [v.number for v in service.versions(CONSOLE, mid)] == [1, 2, 3]
    assert (v2.parent, v3.parent) == (1, 2)
    assert service.version(CONSOLE, mid, 1) == v1
    assert service.version(CONSOLE, mid, 2).content_hash == v2.content_hash
    changes = service.compare_versions(CONSOLE, mid, 1, 3, "en")
    assert [c.kind.value for c in changes] == ["changed", "unchanged"]


def test_publishing_on_an_old_version_is_a_conflict(service: MeetingService) -> None:
    loaded = load_meeting(service)
    mid = loaded.meeting.id
    chair = actor(service, "chair")
    service.publish_version(
        chair, mid, with_article_text(loaded.version.declaration, 0, "en", "A"), parent=1
    )
    with pytest.raises(Conflict, match="version 1 is not the latest"):
        service.publish_version(
            chair, mid, with_article_text(loaded.version.declaration, 0, "en", "B"), parent=1
        )


def test_a_frozen_version_cannot_change_or_be_followed(service: MeetingService) -> None:
    loaded = load_meeting(service)
    mid = loaded.meeting.id
    chair = actor(service, "chair")
    frozen = service.freeze_version(chair, mid, 1)
    assert frozen.state is VersionState.FROZEN
    assert service.version(CONSOLE, mid, 1).state is VersionState.FROZEN
    with pytest.raises(InvalidState, match="already frozen"):
        service.freeze_version(chair, mid, 1)
    with pytest.raises(InvalidState, match="version 1 is frozen as the final text"):
        service.publish_version(
            chair, mid, with_article_text(loaded.version.declaration, 0, "en", "X")
        )
    assert service.version(CONSOLE, mid, 1).content_hash == loaded.version.content_hash
    assert verify_store(service.store, CONSOLE).ok


def test_only_the_latest_version_can_be_frozen(service: MeetingService) -> None:
    loaded = load_meeting(service)
    chair = actor(service, "chair")
    service.publish_version(
        chair, loaded.meeting.id, with_article_text(loaded.version.declaration, 0, "en", "X")
    )
    with pytest.raises(InvalidState, match=r"only the latest version \(2\) can be frozen"):
        service.freeze_version(chair, loaded.meeting.id, 1)


def test_invalid_declarations_are_refused_and_change_nothing(service: MeetingService) -> None:
    loaded = load_meeting(service)
    mid = loaded.meeting.id
    chair = actor(service, "chair")
    before = service.events_after(CONSOLE, mid)
    bad = with_article_text(loaded.version.declaration, 0, "en", "evil\x00text")
    with pytest.raises(InvalidInput, match=r"^articles\[0\]\.text\.en: contains a NUL"):
        service.publish_version(chair, mid, bad)
    with pytest.raises(InvalidInput, match=r"^note: is 2,001 characters long"):
        service.publish_version(chair, mid, loaded.version.declaration, note="x" * 2001)
    assert service.events_after(CONSOLE, mid) == before
    assert [v.number for v in service.versions(CONSOLE, mid)] == [1]


# -- roles ----------------------------------------------------------------------------------------


def _amend(s, a, mid, d):  # type: ignore[no-untyped-def]
    return s.propose_amendment(a, mid, kind="replace", article="art-1", texts={"en": "New."})


def _with_amendment(call):  # type: ignore[no-untyped-def]
    """Run ``call`` on amendment 1, proposed by org-1's delegate beforehand."""

    def run(s, a, mid, d):  # type: ignore[no-untyped-def]
        return call(s, a, mid, 1)

    return run


OPERATIONS = {
    "add_organisation": lambda s, a, mid, d: s.add_organisation(
        a, mid, "late", name={"en": "Late"}, country="KE", region="Africa", reason="late"
    ),
    "rename_organisation": lambda s, a, mid, d: s.rename_organisation(
        a, mid, "org-2", name={"en": "New name"}, reason="typo"
    ),
    "withdraw_organisation": lambda s, a, mid, d: s.withdraw_organisation(
        a, mid, "org-2", reason="left"
    ),
    "add_delegate": lambda s, a, mid, d: s.add_delegate(
        a, mid, "new-person", name="New", organisation="org-1", reason="late"
    ),
    "rename_delegate": lambda s, a, mid, d: s.rename_delegate(
        a, mid, "delegate-2", name="Renamed", reason="typo"
    ),
    "withdraw_delegate": lambda s, a, mid, d: s.withdraw_delegate(
        a, mid, "delegate-2", reason="left"
    ),
    "change_roles": lambda s, a, mid, d: s.change_roles(
        a, mid, "delegate-2", ["delegate", "signatory"], reason="signs"
    ),
    "substitute_delegate": lambda s, a, mid, d: s.substitute_delegate(
        a, mid, "delegate-2", by="delegate-2b", name="Sub", reason="ill"
    ),
    "reissue_code": lambda s, a, mid, d: s.reissue_code(a, mid, "delegate-2"),
    "publish_version": lambda s, a, mid, d: s.publish_version(
        a, mid, with_article_text(d, 0, "en", "New")
    ),
    "freeze_version": lambda s, a, mid, d: s.freeze_version(a, mid, 1),
    "issue_codes": lambda s, a, mid, d: s.issue_codes(a, mid),
    "take_pending_codes": lambda s, a, mid, d: s.take_pending_codes(a, mid),
    "version": lambda s, a, mid, d: s.version(a, mid),
    "versions": lambda s, a, mid, d: s.versions(a, mid),
    "compare_versions": lambda s, a, mid, d: s.compare_versions(a, mid, 1, 1, "en"),
    "diff_versions": lambda s, a, mid, d: s.diff_versions(a, mid, 1, 1, "zh"),
    "events_after": lambda s, a, mid, d: s.events_after(a, mid),
    "check_event_reader": lambda s, a, mid, d: s.check_event_reader(a, s.meeting(mid)),
    "propose_amendment": _amend,
    "submit_amendment": lambda s, a, mid, d: s.submit_amendment(a, mid, 2),
    "withdraw_amendment": _with_amendment(lambda s, a, mid, n: s.withdraw_amendment(a, mid, n)),
    "cosponsor_amendment": _with_amendment(lambda s, a, mid, n: s.cosponsor_amendment(a, mid, n)),
    "revise_amendment": _with_amendment(
        lambda s, a, mid, n: s.revise_amendment(a, mid, n, texts={"zh": "新。"})
    ),
    "adopt_amendment": _with_amendment(lambda s, a, mid, n: s.adopt_amendment(a, mid, n)),
    "reject_amendment": _with_amendment(lambda s, a, mid, n: s.reject_amendment(a, mid, n)),
    "set_aside_amendment": _with_amendment(
        lambda s, a, mid, n: s.set_aside_amendment(a, mid, n, reason="out of order")
    ),
    "request_update": _with_amendment(
        lambda s, a, mid, n: s.request_update(a, mid, n, reason="say which year")
    ),
    "amendment": _with_amendment(lambda s, a, mid, n: s.amendment(a, mid, n)),
    "amendments": lambda s, a, mid, d: s.amendments(a, mid),
    "amendment_count": lambda s, a, mid, d: s.amendment_count(a, mid, open_only=True),
    "stale_translations": lambda s, a, mid, d: s.stale_translations(a, mid),
    "update_translations": lambda s, a, mid, d: s.update_translations(
        a, mid, {("art-1", "zh"): "第一条"}
    ),
    "confirm_translations": lambda s, a, mid, d: s.confirm_translations(a, mid, [("art-1", "zh")]),
    "lint": lambda s, a, mid, d: s.lint(a, mid),
    "post_comment": lambda s, a, mid, d: s.post_comment(
        a, mid, target="article", target_id="art-1", body="Hm."
    ),
    "comments": lambda s, a, mid, d: s.comments(a, mid, target="article", target_id="art-1"),
    "open_vote": _with_amendment(lambda s, a, mid, n: s.open_vote(a, mid, amendment=n)),
    "call_for_consensus": _with_amendment(
        lambda s, a, mid, n: s.call_for_consensus(a, mid, n, window=dt.timedelta(minutes=1))
    ),
    "cast_ballot": lambda s, a, mid, d: s.cast_ballot(a, mid, 1, "yes", key="k1"),
    "cast_ballot_async": lambda s, a, mid, d: asyncio.run(
        s.cast_ballot_async(a, mid, 1, "yes", key="k1")
    ),
    "close_vote": lambda s, a, mid, d: s.close_vote(a, mid, 1),
    "declare_consensus": lambda s, a, mid, d: s.declare_consensus(a, mid, 2),
    "put_to_fallback": lambda s, a, mid, d: s.put_to_fallback(a, mid, 1),
    "reconsider_amendment": lambda s, a, mid, d: s.reconsider_amendment(a, mid, 1, reason="new"),
    "move_to_reconsider": lambda s, a, mid, d: s.move_to_reconsider(a, mid, 1, reason="new"),
    "vote": lambda s, a, mid, d: s.vote(a, mid, 1),
    "votes": lambda s, a, mid, d: s.votes(a, mid),
    "endorse": lambda s, a, mid, d: s.endorse(a, mid, 1),
    "revoke_endorsement": lambda s, a, mid, d: s.revoke_endorsement(a, mid, 1),
    "reopen_signing": lambda s, a, mid, d: s.reopen_signing(a, mid, 1, reason="late arrival"),
    "close_signing": lambda s, a, mid, d: s.close_signing(a, mid, 1),
    "register_organisation_key": lambda s, a, mid, d: s.register_organisation_key(
        a, mid, "org-1", ORG_KEY
    ),
    "endorsements": lambda s, a, mid, d: s.endorsements(a, mid, 1),
    "signatories": lambda s, a, mid, d: s.signatories(a, mid, 1),
    "signing_open": lambda s, a, mid, d: s.signing_open(a, mid, 1),
    "signing_record": lambda s, a, mid, d: s.signing_record(a, mid, 1),
    "set_agenda": lambda s, a, mid, d: s.set_agenda(a, mid, "amendment", "1", note="Next"),
    "agenda": lambda s, a, mid, d: s.agenda(a, mid),
    "export": lambda s, a, mid, d: s.export(a, mid, "md"),
    "export_all": lambda s, a, mid, d: s.export_all(a, mid),
    "current_words": lambda s, a, mid, d: s.current_words(a, mid, kind="replace", article="art-1"),
    "preview_amendment": lambda s, a, mid, d: s.preview_amendment(
        a, mid, kind="replace", article="art-1", texts={"en": "Other."}
    ),
    "merge_preview": lambda s, a, mid, d: s.merge_preview(a, mid, [1, 3]),
    "propose_compromise": lambda s, a, mid, d: s.propose_compromise(
        a, mid, [1, 3], texts={"en": "Both."}, resolved=["3:en"]
    ),
    "speakers_list": lambda s, a, mid, d: s.speakers_list(a, mid),
    "request_floor": lambda s, a, mid, d: s.request_floor(a, mid),
    "withdraw_floor_request": lambda s, a, mid, d: s.withdraw_floor_request(a, mid),
    "order_speakers": lambda s, a, mid, d: s.order_speakers(a, mid, ["org-1"]),
    "give_floor": lambda s, a, mid, d: s.give_floor(a, mid),
    "end_turn": lambda s, a, mid, d: s.end_turn(a, mid),
    "close_speakers_list": lambda s, a, mid, d: s.close_speakers_list(a, mid),
    "reopen_speakers_list": lambda s, a, mid, d: s.reopen_speakers_list(a, mid),
}
READERS = {"chair", "secretariat", "delegate-1", "signatory-1", "delegate-2", "observer"}
ALLOWED = {
    "add_organisation": {"secretariat"},
    "rename_organisation": {"secretariat"},
    "withdraw_organisation": {"secretariat"},
    "add_delegate": {"secretariat"},
    "rename_delegate": {"secretariat"},
    "withdraw_delegate": {"secretariat"},
    "change_roles": {"secretariat"},
    "substitute_delegate": {"secretariat"},
    "reissue_code": {"secretariat"},
    "publish_version": {"chair", "secretariat"},
    "freeze_version": {"chair"},
    "issue_codes": {"secretariat"},
    "take_pending_codes": {"secretariat"},
    "version": READERS,
    "versions": READERS,
    "compare_versions": READERS,
    "diff_versions": READERS,
    "events_after": READERS,
    "check_event_reader": READERS,
    "propose_amendment": {"delegate-1", "signatory-1", "delegate-2"},
    # amendment 1 belongs to org-1: only its delegates act on it; others may join it
    "submit_amendment": {"delegate-1", "signatory-1"},  # amendment 2, org-1's draft
    "withdraw_amendment": {"delegate-1", "signatory-1"},
    "cosponsor_amendment": {"delegate-2"},
    "revise_amendment": {"delegate-1", "signatory-1", "secretariat"},
    "adopt_amendment": {"chair"},
    "reject_amendment": {"chair"},
    "set_aside_amendment": {"chair"},
    "request_update": {"chair"},
    "amendment": READERS,
    "amendments": READERS,
    "amendment_count": READERS,
    "stale_translations": READERS,
    "update_translations": {"secretariat"},
    "confirm_translations": {"secretariat"},
    "lint": READERS,
    "post_comment": READERS,
    "comments": READERS,
    "open_vote": {"chair"},
    "call_for_consensus": {"chair"},
    "cast_ballot": {"delegate-1", "signatory-1", "delegate-2"},
    "cast_ballot_async": {"delegate-1", "signatory-1", "delegate-2"},
    "close_vote": {"chair"},
    "declare_consensus": {"chair"},
    "put_to_fallback": {"chair"},
    "reconsider_amendment": {"chair"},
    "move_to_reconsider": {"chair"},
    "vote": READERS,
    "votes": READERS,
    "endorse": {"signatory-1"},
    "revoke_endorsement": {"signatory-1"},  # org-1 endorsed version 1 in the set-up (elsewhere)
    "close_signing": {"chair"},
    "reopen_signing": {"chair"},
    "register_organisation_key": {"signatory-1", "secretariat"},
    "endorsements": READERS,
    "signatories": READERS,
    "signing_open": READERS,
    "signing_record": READERS,
    "set_agenda": {"chair"},
    "agenda": READERS,
    "export": READERS,
    "export_all": READERS,
    "current_words": READERS,
    "preview_amendment": READERS,
    "merge_preview": {"chair", "secretariat"},
    "propose_compromise": {"chair", "secretariat"},
    "speakers_list": READERS,
    # the floor is asked for one's own organisation: observers and people of no organisation
    # are refused; withdrawing without naming an organisation withdraws one's own request
    "request_floor": {"delegate-1", "signatory-1", "delegate-2"},
    "withdraw_floor_request": {"delegate-1", "signatory-1"},
    "order_speakers": {"chair"},
    "give_floor": {"chair"},
    "end_turn": {"chair"},
    "close_speakers_list": {"chair"},
    "reopen_speakers_list": {"chair"},
}
ACTORS = sorted(READERS)
# rules of procedure under which the fallback vote and reconsideration are allowed
PROCEDURE = '[procedure]\nconsensus_fallback = "two_thirds"\nreconsideration = "chair"\n'
# the motion to reconsider needs rules that put reconsideration to a vote
PROCEDURE_FOR = {"move_to_reconsider": PROCEDURE.replace('"chair"', '"vote"')}
ORG_KEY = public_key_of(new_private_key())
# refused for the state of things, not the role: org-1 already sponsors amendment 1
REFUSED_BY_STATE = {
    ("cosponsor_amendment", "delegate-1"),
    ("cosponsor_amendment", "signatory-1"),
    ("withdraw_floor_request", "delegate-2"),  # org-2 has not asked for the floor
}
ACTING_ALONE = {"edit_comment", "withdraw_comment"}  # author-only: tested with comments


def test_every_public_operation_is_in_the_role_table() -> None:
    public = {
        name
        for name in dir(MeetingService)
        if not name.startswith("_") and callable(getattr(MeetingService, name))
    }
    not_acting = {
        "load_meeting",
        "meeting",
        "meeting_ids",
        "the_meeting",
        "delegate",
        "authenticate",
        "log_in",
        "resume",
        "resume_async",
        "log_out",  # the login's own credential is the permission (tests/integration/test_logins.py)
        "recheck_logins",  # the same: each login's credential (test_logins.py)
        "meeting_public_key",
    }
    assert public - not_acting - ACTING_ALONE == set(OPERATIONS)
    assert set(ALLOWED) == set(OPERATIONS)


def _open_vote(s, mid, p, clock):  # type: ignore[no-untyped-def]
    s.open_vote(p["chair"], mid, amendment=1)


def _call_and_wait(s, mid, p, clock):  # type: ignore[no-untyped-def]
    s.open_vote(p["chair"], mid, amendment=1)  # vote 1, so the call is vote 2
    s.propose_amendment(p["delegate-2"], mid, kind="replace", article="art-2", texts={"en": "Two."})
    s.call_for_consensus(p["chair"], mid, 3, window=dt.timedelta(seconds=30))
    clock.advance(dt.timedelta(minutes=1))


def _call_and_object(s, mid, p, clock):  # type: ignore[no-untyped-def]
    s.call_for_consensus(p["chair"], mid, 1, window=dt.timedelta(seconds=30))
    s.cast_ballot(p["delegate-2"], mid, 1, "object", key="objection")


def _rejected(s, mid, p, clock):  # type: ignore[no-untyped-def]
    s.reject_amendment(p["chair"], mid, 1)


def _frozen(s, mid, p, clock):  # type: ignore[no-untyped-def]
    s.withdraw_amendment(p["delegate-1"], mid, 1)
    s.freeze_version(p["chair"], mid, 1)


def _frozen_and_endorsed(s, mid, p, clock):  # type: ignore[no-untyped-def]
    _frozen(s, mid, p, clock)
    s.endorse(p["signatory-1"], mid, 1)


def _frozen_and_closed(s, mid, p, clock):  # type: ignore[no-untyped-def]
    _frozen(s, mid, p, clock)
    s.close_signing(p["chair"], mid, 1)


def _two_on_article_1(s, mid, p, clock):  # type: ignore[no-untyped-def]
    s.propose_amendment(p["delegate-2"], mid, kind="replace", article="art-1", texts={"en": "B."})


def _floor_asked(s, mid, p, clock):  # type: ignore[no-untyped-def]
    s.request_floor(p["delegate-1"], mid)


def _speaking(s, mid, p, clock):  # type: ignore[no-untyped-def]
    _floor_asked(s, mid, p, clock)
    s.give_floor(p["chair"], mid)


def _list_closed(s, mid, p, clock):  # type: ignore[no-untyped-def]
    s.close_speakers_list(p["chair"], mid)


def _stale(s, mid, p, clock):  # type: ignore[no-untyped-def]
    first = s.version(CONSOLE, mid, 1).declaration
    s.publish_version(CONSOLE, mid, with_article_text(first, 0, "en", "New"))


SETUPS = {
    "confirm_translations": _stale,
    "cast_ballot": _open_vote,
    "cast_ballot_async": _open_vote,
    "close_vote": _open_vote,
    "vote": _open_vote,
    "declare_consensus": _call_and_wait,
    "put_to_fallback": _call_and_object,
    "reconsider_amendment": _rejected,
    "move_to_reconsider": _rejected,
    "endorse": _frozen,
    "close_signing": _frozen,
    "reopen_signing": _frozen_and_closed,
    "revoke_endorsement": _frozen_and_endorsed,
    "endorsements": _frozen_and_endorsed,
    "signatories": _frozen_and_endorsed,
    "signing_open": _frozen_and_endorsed,
    "signing_record": _frozen_and_endorsed,
    "merge_preview": _two_on_article_1,
    "propose_compromise": _two_on_article_1,
    "withdraw_floor_request": _floor_asked,
    "order_speakers": _floor_asked,
    "give_floor": _floor_asked,
    "end_turn": _speaking,
    "reopen_speakers_list": _list_closed,
}


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = dt.datetime(2018, 3, 23, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(microseconds=1)
        return self.now

    def advance(self, by: dt.timedelta) -> None:
        self.now += by


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
@pytest.mark.parametrize("who", ACTORS)
def test_roles_are_checked_inside_the_library(store: SqlStore, operation: str, who: str) -> None:
    clock = Clock()
    service = MeetingService(store, clock=clock)
    loaded = load_meeting(service, extra=PROCEDURE_FOR.get(operation, PROCEDURE))
    mid = loaded.meeting.id
    people = {d.id: d for d in loaded.meeting.delegates}
    service.propose_amendment(
        people["delegate-1"], mid, kind="replace", article="art-1", texts={"en": "Amended."}
    )
    service.propose_amendment(people["delegate-1"], mid, kind="delete", article="art-2", draft=True)
    SETUPS.get(operation, lambda *a: None)(service, mid, people, clock)
    principal = people[who]
    events_before = service.events_after(CONSOLE, mid)
    call = OPERATIONS[operation]
    if who in ALLOWED[operation]:
        call(service, principal, mid, loaded.version.declaration)
    else:
        expected = InvalidState if (operation, who) in REFUSED_BY_STATE else NotPermitted
        with pytest.raises(expected):
            call(service, principal, mid, loaded.version.declaration)
        assert service.events_after(CONSOLE, mid) == events_before


def test_a_delegate_of_another_meeting_is_refused(service: MeetingService) -> None:
    load_meeting(service, meeting_id="first")
    load_meeting(service, meeting_id="second")
    stranger = service.delegate(service.the_meeting("first"), "chair")
    impostor = Delegate(
        id=DelegateId("chair"), name="Someone else", roles=frozenset(stranger.roles)
    )
    with pytest.raises(NotAuthenticated, match="not a delegate of meeting 'second'"):
        service.freeze_version(impostor, service.the_meeting("second"), 1)
    assert service.version(CONSOLE, service.the_meeting("second")).state is VersionState.DRAFT


# -- access codes ----------------------------------------------------------------------------------


def test_codes_authenticate_and_are_shown_only_once(service: MeetingService) -> None:
    loaded = load_meeting(service)
    mid = loaded.meeting.id
    code = loaded.codes[DelegateId("delegate-2")]
    meeting, delegate = service.authenticate(code.lower())
    assert (meeting.id, delegate.id) == (mid, "delegate-2")
    assert service.take_pending_codes(CONSOLE, mid) == loaded.codes
    assert service.take_pending_codes(CONSOLE, mid) == {}
    with pytest.raises(NotAuthenticated):
        service.authenticate("AAAA-BBBB-CCCC")


def test_reissued_codes_replace_the_old_ones(service: MeetingService) -> None:
    loaded = load_meeting(service)
    mid = loaded.meeting.id
    old = loaded.codes[DelegateId("chair")]
    new = service.issue_codes(CONSOLE, mid, ["chair"])
    assert list(new) == ["chair"] and new["chair"] != old  # type: ignore[index]
    with pytest.raises(NotAuthenticated):
        service.authenticate(old)
    assert service.authenticate(new["chair"])[1].id == "chair"  # type: ignore[index]
    with pytest.raises(NotFound, match="no delegate 'nobody'"):
        service.issue_codes(CONSOLE, mid, ["nobody"])


def test_codes_are_stored_only_as_hashes(service: MeetingService, store: SqlStore) -> None:
    loaded = load_meeting(service)
    service.take_pending_codes(CONSOLE, loaded.meeting.id)
    with store.engine.connect() as c:
        dump = "\n".join(
            str(row)
            for table in ("delegates", "pending_codes", "events", "meetings")
            for row in c.execute(text(f"SELECT * FROM {table}"))
        )
    for code in loaded.codes.values():
        assert code not in dump and code.replace("-", "") not in dump


# -- hash stability and verification -----------------------------------------------------------------


def test_content_hash_is_the_same_in_every_database(service: MeetingService, tmp_path) -> None:  # type: ignore[no-untyped-def]
    here = load_meeting(service).version
    other = MeetingService(SqlStore.open(f"sqlite:///{tmp_path / 'other.db'}"))
    there = load_meeting(other).version
    assert here.content_hash == there.content_hash
    other.store.close()


def test_verify_passes_on_an_untouched_database(service: MeetingService) -> None:
    loaded = load_meeting(service)
    chair = actor(service, "chair")
    service.publish_version(
        chair,
        loaded.meeting.id,
        with_article_text(loaded.version.declaration, 0, "zh", "第1条，改。"),
    )
    service.freeze_version(chair, loaded.meeting.id, 2)
    report = verify_store(service.store, CONSOLE)
    assert report.ok and (report.meetings, report.versions, report.events) == (1, 2, 5)


TAMPERING = {
    # article texts are stored once, apart from the versions that refer to them (0013)
    "article text": (
        "UPDATE article_texts SET body = REPLACE(body, 'Article 1 (en)', 'Article 1 (EN)')",
        "version 1: texts do not match the version's content hash",
    ),
    "text and hash together": (
        "UPDATE article_texts SET body = REPLACE(body, 'Article 1 (en)', 'X');"
        "UPDATE versions SET content_hash = '{hash}' WHERE number = 1",
        "version 1: content hash differs from the one recorded when it was published",
    ),
    "article text deleted": (
        "DELETE FROM article_texts WHERE body LIKE '%Article 1 (en)%'",
        "version 1: stored text cannot be read (article text 1 is missing)",
    ),
    "article order": (
        "UPDATE versions SET articles = '[2, 1]' WHERE number = 1",
        "version 1: texts do not match the version's content hash",
    ),
    "event actor": (
        "UPDATE events SET actor = 'mallory' WHERE seq = 2",
        "event 2 (access_codes_issued): content does not match its hash",
    ),
    "deleted event": (
        "DELETE FROM events WHERE seq = 2",
        "event 3 (version_published): expected sequence number 2",
    ),
    "organisation country": (
        "UPDATE organisations SET country = 'FR' WHERE id = 'org-1'",
        "meeting: organisations, delegates or meeting details differ from what was loaded",
    ),
    "delegate roles": (
        "UPDATE delegates SET roles = '[\"chair\",\"delegate\"]' WHERE id = 'delegate-1'",
        "meeting: organisations, delegates or meeting details differ from what was loaded",
    ),
    "unfrozen state": (
        "UPDATE versions SET state = 'frozen' WHERE number = 1",
        "version 1: frozen state does not match the event log",
    ),
}


@pytest.mark.parametrize("case", sorted(TAMPERING))
def test_verify_names_rows_altered_in_the_database(
    service: MeetingService, store: SqlStore, case: str
) -> None:
    loaded = load_meeting(service)
    sql, expected = TAMPERING[case]
    forged = declaration_hash(with_article_text(loaded.version.declaration, 0, "en", "X"))
    with store.engine.begin() as c:
        for statement in sql.replace("{hash}", forged).split(";"):
            c.execute(text(statement))
    report = verify_store(store, CONSOLE)
    assert not report.ok
    assert any(expected in str(f) for f in report.findings), [str(f) for f in report.findings]


# -- concurrency -----------------------------------------------------------------------------------


def test_concurrent_writers_never_fork_or_lose_the_event_chain(service: MeetingService) -> None:
    loaded = load_meeting(service)
    mid = loaded.meeting.id
    chair = actor(service, "chair")
    errors: list[BaseException] = []
    n = 16

    def publish(i: int) -> None:
        try:
            service.publish_version(
                chair,
                mid,
                with_article_text(loaded.version.declaration, 0, "en", f"Text {i}"),
                note=f"writer {i}",
            )
        except BaseException as exc:  # pragma: no cover - a failure is asserted below
            errors.append(exc)

    threads = [threading.Thread(target=publish, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    versions = service.versions(CONSOLE, mid)
    assert [v.number for v in versions] == list(range(1, n + 2))
    assert sorted(v.note for v in versions[1:]) == sorted(f"writer {i}" for i in range(n))
    assert verify_store(service.store, CONSOLE).ok


def test_a_clock_makes_events_reproducible(store: SqlStore) -> None:
    service = MeetingService(store, clock=fixed_clock(), choice=random.Random(7).choice)
    loaded = load_meeting(service)
    events = service.events_after(CONSOLE, loaded.meeting.id)
    assert [e.at.second for e in events] == [1, 1, 1]
    assert events[2].body == msgspec.convert(
        {
            "type": "version_published",
            "number": 1,
            "parent": None,
            "content_hash": loaded.version.content_hash,
            "note": "first draft, from the meeting file",
            "tracking_hash": tracking_hash(loaded.version.declaration),
        },
        type=type(events[2].body),
    )


def test_events_after_returns_only_later_events(service: MeetingService) -> None:
    loaded = load_meeting(service)
    mid = loaded.meeting.id
    service.freeze_version(actor(service, "chair"), mid, 1)
    assert [e.seq for e in service.events_after(CONSOLE, mid, after=2)] == [3, 4]
    assert [e.seq for e in service.events_after(CONSOLE, mid, after=1, limit=2)] == [2, 3]
    assert service.events_after(CONSOLE, mid, after=4) == []
    with pytest.raises(InvalidInput, match="after: must be 0 or more"):
        service.events_after(CONSOLE, mid, after=-1)


def test_unknown_meeting_and_version_are_not_found(service: MeetingService) -> None:
    with pytest.raises(NotFound, match="holds no meeting yet"):
        service.the_meeting()
    loaded = load_meeting(service)
    with pytest.raises(NotFound, match="no version 9"):
        service.version(CONSOLE, loaded.meeting.id, 9)
    with pytest.raises(NotFound, match="no meeting 'nope'"):
        service.the_meeting("nope")

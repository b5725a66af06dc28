"""Rules of procedure from the meeting file: an objection that a vote can outvote, the
reconsideration of a rejected amendment, the shortest call for consensus, the rule for the
whole text — played by the organiser of a 28-delegation meeting, not the A20 one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from consensus_kit import (
    CONSOLE,
    AmendmentStatus,
    DecisionRule,
    InvalidInput,
    InvalidState,
    MeetingFileError,
    MeetingService,
    NotPermitted,
    Outcome,
    read_meeting_file,
    verify_store,
)
from consensus_kit.domain.hashing import meeting_hash
from tests.builders import fixed_clock, load_meeting, make_meeting_file

DELEGATIONS = 28
A20 = Path(__file__).resolve().parents[2] / "examples" / "a20_2018" / "meeting.toml"


def _meeting(service: MeetingService, procedure: str = "") -> tuple[str, dict[str, Any]]:
    extra = f"\n[procedure]\n{procedure}\n" if procedure else ""
    loaded = load_meeting(service, orgs=DELEGATIONS, extra=extra)
    return loaded.meeting.id, {d.id: d for d in loaded.meeting.delegates}


def _objected_call(service: MeetingService, mid: str, p: dict[str, Any]) -> tuple[int, int]:
    amendment = service.propose_amendment(
        p["delegate-1"], mid, kind="replace", article="art-1", texts={"en": "By 2030 (en)."}
    ).number
    call = service.call_for_consensus(
        p["chair"], mid, amendment, window=dt.timedelta(seconds=60)
    ).number
    service.cast_ballot(p["delegate-28"], mid, call, "object", key="objection")
    return amendment, call


@pytest.fixture
def service(store: Any) -> MeetingService:
    """A service whose clock advances a second per read (calls for consensus need time)."""
    return MeetingService(store, clock=fixed_clock())


def test_an_objection_is_outvoted_under_the_fallback_rule(service: MeetingService) -> None:
    mid, p = _meeting(service, 'consensus_fallback = "two_thirds"')
    amendment, call = _objected_call(service, mid, p)

    vote = service.put_to_fallback(p["chair"], mid, call)

    assert vote.rule is DecisionRule.TWO_THIRDS and vote.amendment == amendment
    ended = service.vote(p["chair"], mid, call).vote
    assert ended.result is not None and ended.result.outcome is Outcome.CANCELLED
    assert "two thirds" in ended.result.reason
    opened = [
        e.body
        for e in service.events_after(p["chair"], mid)
        if type(e.body).__name__ == "VoteOpened"
    ]
    assert opened[-1].rule == "two_thirds"  # type: ignore[attr-defined]
    for i in range(1, 27):
        service.cast_ballot(p[f"delegate-{i}"], mid, vote.number, "yes", key=f"y{i}")
    service.cast_ballot(p["delegate-27"], mid, vote.number, "no", key="n27")
    closed = service.close_vote(p["chair"], mid, vote.number)

    assert closed.result is not None and closed.result.outcome is Outcome.ADOPTED
    assert (closed.result.tally.yes, closed.result.tally.no) == (26, 1)
    assert service.amendment(p["chair"], mid, amendment).amendment.status is (
        AmendmentStatus.ADOPTED
    )


def test_without_a_fallback_the_objection_stays_binding(service: MeetingService) -> None:
    mid, p = _meeting(service)
    _, call = _objected_call(service, mid, p)
    events = len(service.events_after(p["chair"], mid))

    with pytest.raises(InvalidState, match="consensus_fallback"):
        service.put_to_fallback(p["chair"], mid, call)

    assert len(service.events_after(p["chair"], mid)) == events
    closed = service.close_vote(p["chair"], mid, call)
    assert closed.result is not None and closed.result.outcome is Outcome.REJECTED


def test_a_call_without_an_objection_is_not_put_to_a_fallback_vote(
    service: MeetingService,
) -> None:
    mid, p = _meeting(service, 'consensus_fallback = "simple_majority"')
    amendment = service.propose_amendment(
        p["delegate-1"], mid, kind="replace", article="art-1", texts={"en": "New (en)."}
    ).number
    call = service.call_for_consensus(p["chair"], mid, amendment, window=dt.timedelta(seconds=60))
    with pytest.raises(InvalidState, match="drew an objection"):
        service.put_to_fallback(p["chair"], mid, call.number)
    with pytest.raises(NotPermitted):
        service.put_to_fallback(p["delegate-2"], mid, call.number)


def test_the_chair_reconsiders_a_rejected_amendment_when_the_rules_allow(
    service: MeetingService,
) -> None:
    mid, p = _meeting(service, 'reconsideration = "chair"')
    amendment = service.propose_amendment(
        p["delegate-1"], mid, kind="replace", article="art-1", texts={"en": "Again (en)."}
    ).number
    service.reject_amendment(p["chair"], mid, amendment, reason="too early")
    with pytest.raises(InvalidInput) as missing:
        service.reconsider_amendment(p["chair"], mid, amendment, reason="")
    assert missing.value.field == "reason"
    with pytest.raises(NotPermitted):
        service.reconsider_amendment(p["delegate-1"], mid, amendment, reason="please")

    reopened = service.reconsider_amendment(p["chair"], mid, amendment, reason="new facts")

    assert reopened.status is AmendmentStatus.SUBMITTED
    last = service.events_after(p["chair"], mid)[-1]
    assert last.body.reason == "reconsidered: new facts"  # type: ignore[union-attr]
    service.adopt_amendment(p["chair"], mid, amendment)


def test_a_reconsidered_amendment_follows_the_text_that_moved_meanwhile(
    service: MeetingService,
) -> None:
    mid, p = _meeting(service, 'reconsideration = "chair"')
    first = service.propose_amendment(
        p["delegate-1"], mid, kind="replace", article="art-1", texts={"en": "One (en)."}
    ).number
    second = service.propose_amendment(
        p["delegate-2"], mid, kind="replace", article="art-1", texts={"en": "Two (en)."}
    ).number
    service.reject_amendment(p["chair"], mid, first, reason="not now")
    service.adopt_amendment(p["chair"], mid, second)

    reopened = service.reconsider_amendment(p["chair"], mid, first, reason="after all")

    assert reopened.status is AmendmentStatus.NEEDS_UPDATE


def test_reconsideration_is_refused_when_the_rules_do_not_allow_it(
    service: MeetingService,
) -> None:
    mid, p = _meeting(service)
    amendment = service.propose_amendment(
        p["delegate-1"], mid, kind="replace", article="art-1", texts={"en": "Again (en)."}
    ).number
    service.reject_amendment(p["chair"], mid, amendment)
    with pytest.raises(InvalidState, match="reconsideration"):
        service.reconsider_amendment(p["chair"], mid, amendment, reason="please")
    assert service.amendment(p["chair"], mid, amendment).amendment.status is (
        AmendmentStatus.REJECTED
    )


def test_the_shortest_call_for_consensus_comes_from_the_rules(service: MeetingService) -> None:
    mid, p = _meeting(service, "min_consensus_window = 120")
    amendment = service.propose_amendment(
        p["delegate-1"], mid, kind="replace", article="art-1", texts={"en": "New (en)."}
    ).number
    with pytest.raises(InvalidInput, match="120 seconds") as short:
        service.call_for_consensus(p["chair"], mid, amendment, window=dt.timedelta(seconds=60))
    assert short.value.field == "window"
    service.call_for_consensus(p["chair"], mid, amendment, window=dt.timedelta(seconds=120))


def test_a_vote_on_the_whole_text_takes_the_rules_text_rule_and_quorum(
    service: MeetingService,
) -> None:
    mid, p = _meeting(service, 'text_rule = "two_thirds"\ntext_quorum = 0.75')
    vote = service.open_vote(p["chair"], mid, version=1)
    assert (vote.rule, vote.quorum) == (DecisionRule.TWO_THIRDS, 0.75)
    amendment = service.propose_amendment(
        p["delegate-1"], mid, kind="replace", article="art-2", texts={"en": "New (en)."}
    ).number
    on_amendment = service.open_vote(p["chair"], mid, amendment=amendment)
    assert on_amendment.rule is DecisionRule.CONSENSUS  # the meeting's [decision] default


def test_bad_rules_of_procedure_are_named_and_nothing_is_loaded(
    service: MeetingService,
) -> None:
    with pytest.raises(MeetingFileError) as bad:
        make_meeting_file(
            extra='[procedure]\nconsensus_fallback = "majority"\nreconsideration = "anyone"\n'
            "min_consensus_window = 5\ntext_quorum = 2\nspeakers = 3\n"
        )
    fields = {p.path for p in bad.value.problems}
    assert fields == {
        "procedure.consensus_fallback",
        "procedure.reconsideration",
        "procedure.min_consensus_window",
        "procedure.text_quorum",
        "procedure.speakers",
    }
    assert service.meeting_ids() == []


def test_a_meeting_without_rules_of_procedure_keeps_its_hash() -> None:
    """The A20 file's meeting hash, as the release before rules of procedure computed it:
    ``verify`` compares the hash sealed at loading with the one it recomputes."""
    a20 = read_meeting_file(A20).meeting
    assert meeting_hash(a20) == "79617c434a84f3c93538247f3ad1ca075798aafdd9943f4fa22987c102246073"


def test_rules_of_procedure_survive_storage_and_verify(service: MeetingService) -> None:
    mid, _ = _meeting(service, 'consensus_fallback = "two_thirds"\nreconsideration = "chair"')
    stored = MeetingService(service.store).meeting(mid)  # a fresh process reads the database
    assert stored.procedure.consensus_fallback is DecisionRule.TWO_THIRDS
    assert verify_store(service.store, CONSOLE).ok

"""Reconsidering a rejected amendment by a vote (``reconsideration = "vote"``): the chair puts
a motion to reconsider to a recorded vote under the rules' ``reconsideration_rule`` (two thirds
unless the meeting file says otherwise); a carried motion submits the amendment again, a failed
one leaves it rejected. Played by a 28-delegation meeting on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
import pytest

from consensus_kit import (
    CONSOLE,
    AmendmentStatus,
    DecisionRule,
    ExportFormat,
    InvalidInput,
    InvalidState,
    MeetingFileError,
    MeetingService,
    NotPermitted,
    Outcome,
    VoteMode,
    verify_store,
)
from consensus_kit.domain.hashing import meeting_hash
from consensus_kit.domain.model import Procedure, Reconsideration
from tests.builders import fixed_clock, load_meeting, make_meeting_file
from tests.integration.test_pdf import normalise, pdf_pages

DELEGATIONS = 28


@pytest.fixture
def service(store: Any) -> MeetingService:
    return MeetingService(store, clock=fixed_clock())


def _meeting(service: MeetingService, procedure: str) -> tuple[str, dict[str, Any]]:
    loaded = load_meeting(service, orgs=DELEGATIONS, extra=f"\n[procedure]\n{procedure}\n")
    return loaded.meeting.id, {d.id: d for d in loaded.meeting.delegates}


def _rejected(service: MeetingService, mid: str, p: dict[str, Any], words: str = "Again") -> int:
    number = service.propose_amendment(
        p["delegate-1"], mid, kind="replace", article="art-1", texts={"en": f"{words} (en)."}
    ).number
    service.reject_amendment(p["chair"], mid, number, reason="too early")
    return number


def _ballots(service: MeetingService, mid: str, p: dict[str, Any], vote: int, yes: int) -> None:
    """``yes`` delegations vote yes, the others no."""
    for i in range(1, DELEGATIONS + 1):
        choice = "yes" if i <= yes else "no"
        service.cast_ballot(p[f"delegate-{i}"], mid, vote, choice, key=f"k{i}")


def _events(service: MeetingService, mid: str) -> list[Any]:
    return [e.body for e in service.events_after(CONSOLE, mid)]


def test_a_carried_motion_submits_the_amendment_again_and_it_can_be_adopted(
    service: MeetingService,
) -> None:
    mid, p = _meeting(service, 'reconsideration = "vote"')
    number = _rejected(service, mid, p)

    motion = service.move_to_reconsider(p["chair"], mid, number, reason="Kenya moved it 🇰🇪")

    assert motion.mode is VoteMode.RECONSIDERATION and motion.amendment == number
    assert motion.rule is DecisionRule.TWO_THIRDS  # the default rule of a motion
    view = service.amendment(p["chair"], mid, number)
    assert view.amendment.status is AmendmentStatus.REJECTED  # until the motion carries
    assert view.motion == motion.number and not view.reconsiderable
    opened = _events(service, mid)[-1]
    assert (opened.mode, opened.rule, opened.reason) == (
        "reconsideration",
        "two_thirds",
        "Kenya moved it 🇰🇪",
    )

    _ballots(service, mid, p, motion.number, yes=19)  # 19 of 28: at least two thirds
    closed = service.close_vote(p["chair"], mid, motion.number)

    assert closed.result is not None and closed.result.outcome is Outcome.ADOPTED
    assert (closed.result.tally.yes, closed.result.tally.no) == (19, 9)
    assert "motion to reconsider amendment" in closed.result.reason
    assert "under two thirds" in closed.result.reason
    changed = _events(service, mid)[-1]
    assert type(changed).__name__ == "AmendmentStatusChanged"
    assert (changed.old, changed.new) == ("rejected", "submitted")
    assert f"vote {motion.number}" in changed.reason and "two thirds" in changed.reason
    service.adopt_amendment(p["chair"], mid, number)
    assert service.amendment(CONSOLE, mid, number).amendment.status is AmendmentStatus.ADOPTED
    assert verify_store(service.store, CONSOLE).ok


def test_a_failed_motion_leaves_the_amendment_rejected(service: MeetingService) -> None:
    mid, p = _meeting(service, 'reconsideration = "vote"')
    number = _rejected(service, mid, p)
    motion = service.move_to_reconsider(p["chair"], mid, number, reason="new facts")
    _ballots(service, mid, p, motion.number, yes=18)  # 18 of 28: a majority, not two thirds

    closed = service.close_vote(p["chair"], mid, motion.number)

    assert closed.result is not None and closed.result.outcome is Outcome.REJECTED
    assert "under two thirds" in closed.result.reason
    assert type(_events(service, mid)[-1]).__name__ == "VoteClosed"
    view = service.amendment(CONSOLE, mid, number)
    assert view.amendment.status is AmendmentStatus.REJECTED
    assert view.motion is None and view.reconsiderable  # it may be moved again
    with pytest.raises(InvalidState, match="submitted amendment"):
        service.open_vote(p["chair"], mid, amendment=number)
    assert verify_store(service.store, CONSOLE).ok


def test_the_rule_of_a_motion_comes_from_the_rules_of_procedure(service: MeetingService) -> None:
    mid, p = _meeting(service, 'reconsideration = "vote"\nreconsideration_rule = "simple_majority"')
    number = _rejected(service, mid, p)
    motion = service.move_to_reconsider(p["chair"], mid, number, reason="a majority suffices")
    assert motion.rule is DecisionRule.SIMPLE_MAJORITY
    _ballots(service, mid, p, motion.number, yes=15)
    closed = service.close_vote(p["chair"], mid, motion.number)
    assert closed.result is not None and "under simple majority" in closed.result.reason
    assert service.amendment(CONSOLE, mid, number).amendment.status is AmendmentStatus.SUBMITTED


def test_a_carried_motion_follows_the_text_that_moved_meanwhile(service: MeetingService) -> None:
    mid, p = _meeting(service, 'reconsideration = "vote"')
    first = _rejected(service, mid, p, "One")
    motion = service.move_to_reconsider(p["chair"], mid, first, reason="after all")
    _ballots(service, mid, p, motion.number, yes=DELEGATIONS)
    second = service.propose_amendment(
        p["delegate-2"], mid, kind="replace", article="art-1", texts={"en": "Two (en)."}
    ).number
    service.adopt_amendment(p["chair"], mid, second)  # the text moves while the motion is open
    service.close_vote(p["chair"], mid, motion.number)
    assert service.amendment(CONSOLE, mid, first).amendment.status is AmendmentStatus.NEEDS_UPDATE


def test_refused_motions_change_nothing(service: MeetingService) -> None:
    mid, p = _meeting(service, 'reconsideration = "vote"')
    rejected = _rejected(service, mid, p)
    submitted = service.propose_amendment(
        p["delegate-2"], mid, kind="replace", article="art-2", texts={"en": "Open (en)."}
    ).number
    before = len(_events(service, mid))

    with pytest.raises(InvalidState, match="only a rejected amendment"):
        service.move_to_reconsider(p["chair"], mid, submitted, reason="why not")
    with pytest.raises(InvalidInput) as empty:
        service.move_to_reconsider(p["chair"], mid, rejected, reason="  ")
    assert empty.value.field == "reason"
    with pytest.raises(NotPermitted):
        service.move_to_reconsider(p["delegate-1"], mid, rejected, reason="please")
    with pytest.raises(InvalidState, match='reconsideration = "vote"'):
        service.reconsider_amendment(p["chair"], mid, rejected, reason="the chair alone")
    assert len(_events(service, mid)) == before

    motion = service.move_to_reconsider(p["chair"], mid, rejected, reason="first")
    after = len(_events(service, mid))
    with pytest.raises(InvalidState, match=f"already open \\(vote {motion.number}\\)"):
        service.move_to_reconsider(p["chair"], mid, rejected, reason="second")
    assert len(_events(service, mid)) == after
    assert service.amendment(CONSOLE, mid, rejected).amendment.status is AmendmentStatus.REJECTED


@pytest.mark.parametrize("rules", ['reconsideration = "chair"', ""])
def test_a_motion_is_refused_unless_the_rules_put_it_to_a_vote(
    service: MeetingService, rules: str
) -> None:
    mid, p = _meeting(service, rules)
    number = _rejected(service, mid, p)
    before = len(_events(service, mid))
    with pytest.raises(InvalidState, match=r"procedure\.reconsideration"):
        service.move_to_reconsider(p["chair"], mid, number, reason="please")
    assert len(_events(service, mid)) == before


@pytest.mark.parametrize(
    ("procedure", "says"),
    [
        ('reconsideration = "vote"\nreconsideration_rule = "three_quarters"', "three_quarters"),
        ('reconsideration = "vote"\nreconsideration_rule = "consensus"', "motion to reconsider"),
        ('reconsideration = "vote"\nreconsideration_rule = 2', "2"),
        ('reconsideration = "chair"\nreconsideration_rule = "two_thirds"', '"vote"'),
        ('reconsideration_rule = "simple_majority"', '"vote"'),
    ],
)
def test_a_bad_rule_for_a_motion_is_named_and_nothing_is_loaded(
    service: MeetingService, procedure: str, says: str
) -> None:
    with pytest.raises(MeetingFileError) as bad:
        make_meeting_file(extra=f"[procedure]\n{procedure}\n")
    assert [p.path for p in bad.value.problems] == ["procedure.reconsideration_rule"]
    assert says in str(bad.value)
    assert service.meeting_ids() == []


def test_the_default_rule_of_a_motion_leaves_the_meeting_hash_alone() -> None:
    chair = make_meeting_file(extra='[procedure]\nreconsideration = "chair"\n').meeting
    encoded = msgspec.to_builtins(chair.procedure)
    assert encoded == {"reconsideration": "chair"}  # as before reconsideration_rule existed
    by_vote = make_meeting_file(extra='[procedure]\nreconsideration = "vote"\n').meeting
    assert msgspec.to_builtins(by_vote.procedure) == {"reconsideration": "vote"}
    same = msgspec.structs.replace(
        by_vote, procedure=Procedure(reconsideration=Reconsideration.VOTE)
    )
    assert meeting_hash(same) == meeting_hash(by_vote)
    other = msgspec.structs.replace(
        by_vote,
        procedure=Procedure(
            reconsideration=Reconsideration.VOTE,
            reconsideration_rule=DecisionRule.SIMPLE_MAJORITY,
        ),
    )
    assert meeting_hash(other) != meeting_hash(by_vote)


def test_the_rule_of_a_motion_survives_storage(service: MeetingService) -> None:
    mid, _ = _meeting(service, 'reconsideration = "vote"\nreconsideration_rule = "unanimity"')
    stored = MeetingService(service.store).meeting(mid)  # a fresh process reads the database
    assert stored.procedure.reconsideration is Reconsideration.VOTE
    assert stored.procedure.reconsideration_rule is DecisionRule.UNANIMITY
    assert verify_store(service.store, CONSOLE).ok


def test_the_record_of_votes_names_the_motion(service: MeetingService, tmp_path: Path) -> None:
    mid, p = _meeting(service, 'reconsideration = "vote"')
    number = _rejected(service, mid, p)
    motion = service.move_to_reconsider(p["chair"], mid, number, reason="new facts")
    _ballots(service, mid, p, motion.number, yes=19)
    service.close_vote(p["chair"], mid, motion.number)
    files = service.export(p["chair"], mid, ExportFormat.VOTES_PDF)  # type: ignore[arg-type]
    en = "\n".join(pdf_pages(files[0].data, tmp_path))
    assert f"Vote {motion.number} · Motion to reconsider amendment {number}" in en
    assert "two-thirds majority" in en  # the rule the motion was decided under
    zh = normalise("\n".join(pdf_pages(files[1].data, tmp_path)), "zh")
    assert f"关于复议第{number}号修正案的动议" in zh

"""Votes over real databases: one ballot per organisation, retries, closing, consensus calls."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading

import pytest
from sqlalchemy import text

from consensus_kit import (
    CONSOLE,
    AmendmentStatus,
    Choice,
    Conflict,
    InvalidInput,
    InvalidState,
    MeetingService,
    NotPermitted,
    Outcome,
    Receipt,
    SqlStore,
    VoteMode,
    verify_store,
)
from tests.builders import load_meeting


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2018, 3, 23, 9, 0, tzinfo=dt.UTC)
        self.lock = threading.Lock()

    def __call__(self) -> dt.datetime:
        with self.lock:
            self.now += dt.timedelta(microseconds=1)
            return self.now

    def advance(self, by: dt.timedelta) -> None:
        self.now += by


@pytest.fixture
def floor(store: SqlStore):  # type: ignore[no-untyped-def]
    """Five organisations, amendment 1 by org-1 submitted."""
    clock = Clock()
    service = MeetingService(store, clock=clock)
    loaded = load_meeting(service, orgs=5)
    mid = loaded.meeting.id
    p = {d.id: d for d in loaded.meeting.delegates}
    service.propose_amendment(
        p["delegate-1"], mid, kind="replace", article="art-1", texts={"en": "Children come first."}
    )
    return service, mid, p, clock


def test_a_majority_vote_adopts_the_amendment_and_makes_a_version(floor) -> None:  # type: ignore[no-untyped-def]
    service, mid, p, _ = floor
    vote = service.open_vote(p["chair"], mid, amendment=1, rule="simple_majority")
    assert set(vote.eligible) == {"org-1", "org-2", "org-3", "org-4", "org-5"}  # not the observer
    assert service.amendment(CONSOLE, mid, 1).amendment.status is AmendmentStatus.UNDER_VOTE
    for i, choice in enumerate(["yes", "yes", "no", "abstain"], 1):
        service.cast_ballot(p[f"delegate-{i}"], mid, vote.number, choice, key=f"k{i}")
    closed = service.close_vote(p["chair"], mid, vote.number)
    assert closed.result is not None and closed.result.outcome is Outcome.ADOPTED
    assert (closed.result.tally.yes, closed.result.tally.no, closed.result.tally.abstain) == (
        2,
        1,
        1,
    )
    assert (
        service.version(CONSOLE, mid).declaration.articles[0].text["en"] == "Children come first."
    )
    assert service.amendment(CONSOLE, mid, 1).amendment.status is AmendmentStatus.ADOPTED
    assert verify_store(service.store, CONSOLE).ok


def test_a_delegate_may_change_the_ballot_the_last_counts_and_history_keeps_all(floor) -> None:  # type: ignore[no-untyped-def]
    service, mid, p, _ = floor
    vote = service.open_vote(p["chair"], mid, amendment=1, rule="simple_majority", quorum=0)
    service.cast_ballot(p["delegate-1"], mid, 1, "no", key="a")
    service.cast_ballot(p["signatory-1"], mid, 1, "yes", key="b")  # same organisation
    view = service.vote(CONSOLE, mid, vote.number)
    assert [(b.organisation, b.choice) for b in view.ballots] == [("org-1", Choice.YES)]
    assert view.tally.yes == 1 and view.tally.no == 0
    with service.store.reading() as uow:
        assert [b.choice for b in uow.repo.ballot_history(mid, 1)] == [Choice.NO, Choice.YES]


def test_a_retried_ballot_returns_the_same_receipt(floor) -> None:  # type: ignore[no-untyped-def]
    service, mid, p, _ = floor
    service.open_vote(p["chair"], mid, amendment=1)
    first = service.cast_ballot(p["delegate-2"], mid, 1, "yes", key="wifi-1")
    again = service.cast_ballot(p["delegate-2"], mid, 1, "yes", key="wifi-1")
    assert again.replayed and (again.receipt, again.seq) == (first.receipt, first.seq)
    with pytest.raises(Conflict, match="already used for another ballot"):
        service.cast_ballot(p["delegate-2"], mid, 1, "no", key="wifi-1")
    assert len([e for e in service.events_after(CONSOLE, mid) if e.type == "ballot_cast"]) == 1


def test_an_organisation_cannot_block_another_by_reusing_its_key(floor) -> None:  # type: ignore[no-untyped-def]
    service, mid, p, _ = floor
    service.open_vote(p["chair"], mid, amendment=1, rule="simple_majority")
    mine = service.cast_ballot(p["delegate-1"], mid, 1, "yes", key="shared-key")
    # org-2 sends the same key (guessed, or a client that counts from 1): its own ballot
    theirs = service.cast_ballot(p["delegate-2"], mid, 1, "no", key="shared-key")
    assert not theirs.replayed and theirs.organisation == "org-2" and theirs.choice is Choice.NO

    # and both, retried at the same moment through the batching writer, replay their own
    async def retry_both() -> list[Receipt]:
        return list(
            await asyncio.gather(
                service.cast_ballot_async(p["delegate-1"], mid, 1, "yes", key="shared-key"),
                service.cast_ballot_async(p["delegate-2"], mid, 1, "no", key="shared-key"),
            )
        )

    again = asyncio.run(retry_both())
    assert [(r.receipt, r.replayed) for r in again] == [
        (mine.receipt, True),
        (theirs.receipt, True),
    ]
    tally = service.vote(CONSOLE, mid, 1).tally
    assert tally is not None and (tally.yes, tally.no) == (1, 1)


def test_a_ballot_after_closing_is_refused_and_the_tally_is_unchanged(floor) -> None:  # type: ignore[no-untyped-def]
    service, mid, p, _ = floor
    service.open_vote(p["chair"], mid, amendment=1, rule="consensus", quorum=0.2)
    service.cast_ballot(p["delegate-1"], mid, 1, "yes", key="a")
    closed = service.close_vote(p["chair"], mid, 1)
    with pytest.raises(InvalidState, match="refused and not counted"):
        service.cast_ballot(p["delegate-2"], mid, 1, "object", key="late")
    assert service.vote(CONSOLE, mid, 1).tally == closed.result.tally  # type: ignore[union-attr]
    with pytest.raises(InvalidState, match="already closed"):
        service.close_vote(p["chair"], mid, 1)


def test_a_ballot_after_the_deadline_closes_the_vote_and_is_refused(floor) -> None:  # type: ignore[no-untyped-def]
    service, mid, p, clock = floor
    deadline = clock.now + dt.timedelta(minutes=5)
    service.open_vote(
        p["chair"], mid, amendment=1, rule="simple_majority", quorum=0, deadline=deadline
    )
    service.cast_ballot(p["delegate-1"], mid, 1, "yes", key="a")
    clock.advance(dt.timedelta(minutes=6))
    with pytest.raises(InvalidState, match="closed at its deadline"):
        service.cast_ballot(p["delegate-2"], mid, 1, "no", key="b")
    vote = service.vote(CONSOLE, mid, 1).vote
    assert vote.state.value == "closed" and vote.closed_by == "deadline"
    assert vote.result is not None and vote.result.outcome is Outcome.ADOPTED


def test_under_consensus_one_objection_fails_and_is_recorded(floor) -> None:  # type: ignore[no-untyped-def]
    service, mid, p, _ = floor
    service.open_vote(p["chair"], mid, amendment=1, rule="consensus")
    for i in (1, 2, 3):
        service.cast_ballot(p[f"delegate-{i}"], mid, 1, "yes", key=f"k{i}")
    service.cast_ballot(p["delegate-4"], mid, 1, "object", key="k4")
    closed = service.close_vote(p["chair"], mid, 1)
    assert closed.result.outcome is Outcome.REJECTED and closed.result.objectors == ("org-4",)  # type: ignore[union-attr]
    assert service.amendment(CONSOLE, mid, 1).amendment.status is AmendmentStatus.REJECTED


def test_objection_is_only_possible_under_consensus(floor) -> None:  # type: ignore[no-untyped-def]
    service, mid, p, _ = floor
    service.open_vote(p["chair"], mid, amendment=1, rule="two_thirds")
    with pytest.raises(InvalidInput, match="choice: a formal objection exists only under"):
        service.cast_ballot(p["delegate-1"], mid, 1, "object", key="k")
    with pytest.raises(InvalidInput, match="choice: 'maybe' is not a choice"):
        service.cast_ballot(p["delegate-1"], mid, 1, "maybe", key="k")
    with pytest.raises(InvalidInput, match="key:"):
        service.cast_ballot(p["delegate-1"], mid, 1, "yes", key="")


def test_a_call_for_consensus_adopts_when_nobody_objects_in_time(floor) -> None:  # type: ignore[no-untyped-def]
    service, mid, p, clock = floor
    call = service.call_for_consensus(p["chair"], mid, 1, window=dt.timedelta(minutes=2))
    assert call.mode is VoteMode.CONSENSUS_CALL
    with pytest.raises(InvalidState, match="wait for it"):
        service.declare_consensus(p["chair"], mid, call.number)
    with pytest.raises(InvalidInput, match="only a formal objection"):
        service.cast_ballot(p["delegate-2"], mid, call.number, "yes", key="k")
    clock.advance(dt.timedelta(minutes=3))
    declared = service.declare_consensus(p["chair"], mid, call.number)
    assert declared.result is not None and declared.result.outcome is Outcome.ADOPTED
    assert "declared by consensus" in declared.result.reason
    assert service.amendment(CONSOLE, mid, 1).amendment.status is AmendmentStatus.ADOPTED


def test_an_objection_turns_a_call_for_consensus_into_a_recorded_vote(floor) -> None:  # type: ignore[no-untyped-def]
    service, mid, p, clock = floor
    call = service.call_for_consensus(p["chair"], mid, 1, window=dt.timedelta(minutes=2))
    service.cast_ballot(p["delegate-3"], mid, call.number, "object", key="k3")
    vote = service.vote(CONSOLE, mid, call.number).vote
    assert vote.mode is VoteMode.VOTE and vote.deadline is None
    for i in (1, 2, 4, 5):
        service.cast_ballot(p[f"delegate-{i}"], mid, call.number, "yes", key=f"k{i}")
    clock.advance(dt.timedelta(minutes=3))
    with pytest.raises(InvalidState, match="not an open call for consensus"):
        service.declare_consensus(p["chair"], mid, call.number)
    closed = service.close_vote(p["chair"], mid, call.number)
    assert closed.result.outcome is Outcome.REJECTED and closed.result.objectors == ("org-3",)  # type: ignore[union-attr]


def test_a_secret_vote_shows_only_how_many_cast_until_it_closes(floor) -> None:  # type: ignore[no-untyped-def]
    service, mid, p, _ = floor
    service.open_vote(p["chair"], mid, amendment=1, rule="simple_majority", secret=True)
    receipts = [
        service.cast_ballot(p[f"delegate-{i}"], mid, 1, c, key=f"k{i}")
        for i, c in enumerate(["yes", "no", "yes"], 1)
    ]
    view = service.vote(p["observer"], mid, 1)
    assert view.tally is None and view.ballots == [] and (view.cast, view.eligible) == (3, 5)
    cast_events = [e for e in service.events_after(CONSOLE, mid) if e.type == "ballot_cast"]
    assert all(e.body.choice is None for e in cast_events)  # type: ignore[union-attr]
    service.close_vote(p["chair"], mid, 1)
    closed = service.vote(p["observer"], mid, 1)
    assert closed.tally is not None and (closed.tally.yes, closed.tally.no) == (2, 1)
    assert all(
        b.organisation is None and b.seq is None and b.receipt is None for b in closed.ballots
    )
    # each organisation finds its own choice beside its check code, and nobody else can
    published = {b.check: b.choice for b in closed.ballots}
    assert {r.check: r.choice for r in receipts} == published
    event_values = {e.body.receipt for e in cast_events}  # type: ignore[union-attr]
    assert not event_values & set(published)
    assert verify_store(service.store, CONSOLE).ok


def test_a_secret_consensus_vote_counts_objections_without_naming_them(floor) -> None:  # type: ignore[no-untyped-def]
    service, mid, p, _ = floor
    service.open_vote(p["chair"], mid, amendment=1, rule="consensus", secret=True, quorum=0.2)
    service.cast_ballot(p["delegate-2"], mid, 1, "object", key="k")
    service.cast_ballot(p["delegate-3"], mid, 1, "yes", key="k3")
    closed = service.close_vote(p["chair"], mid, 1)
    assert closed.result is not None and closed.result.outcome is Outcome.REJECTED
    assert closed.result.objectors == () and "org-2" not in closed.result.reason
    assert "formal objection by 1 organisation" in closed.result.reason
    [event] = [e for e in service.events_after(CONSOLE, mid) if e.type == "vote_closed"]
    assert "org-2" not in str(event.body)


def test_observers_and_other_organisations_cannot_vote(floor) -> None:  # type: ignore[no-untyped-def]
    service, mid, p, _ = floor
    service.open_vote(p["chair"], mid, amendment=1)
    for who in ("observer", "chair", "secretariat"):
        with pytest.raises(NotPermitted):
            service.cast_ballot(p[who], mid, 1, "yes", key="k")
    with pytest.raises(NotPermitted):
        service.open_vote(p["delegate-1"], mid, version=2)


def test_freezing_waits_for_open_votes(floor) -> None:  # type: ignore[no-untyped-def]
    service, mid, p, _ = floor
    service.open_vote(p["chair"], mid, amendment=1)
    with pytest.raises(InvalidState, match=r"cannot be frozen while a vote is open \(vote 1\)"):
        service.freeze_version(p["chair"], mid, 1)


def test_a_whole_text_adoption_vote(floor) -> None:  # type: ignore[no-untyped-def]
    service, mid, p, _ = floor
    with pytest.raises(InvalidState, match="only the latest version"):
        service.open_vote(p["chair"], mid, version=7)
    vote = service.open_vote(p["chair"], mid, version=1, rule="unanimity")
    for i in range(1, 6):
        service.cast_ballot(p[f"delegate-{i}"], mid, vote.number, "yes", key=f"k{i}")
    closed = service.close_vote(p["chair"], mid, vote.number)
    assert closed.result.outcome is Outcome.ADOPTED and closed.subject == "adopting version 1"  # type: ignore[union-attr]


def test_a_vote_is_cancelled_when_its_amendment_must_be_updated(floor) -> None:  # type: ignore[no-untyped-def]
    service, mid, p, _ = floor
    service.propose_amendment(
        p["delegate-2"],
        mid,
        kind="replace",
        article="art-1",
        texts={"en": "Children always come first."},
    )
    service.open_vote(p["chair"], mid, amendment=2)
    service.open_vote(p["chair"], mid, amendment=1, rule="simple_majority", quorum=0)
    service.cast_ballot(p["delegate-3"], mid, 2, "yes", key="k")
    service.close_vote(p["chair"], mid, 2)  # adopts amendment 1: amendment 2 must be updated
    first = service.vote(CONSOLE, mid, 1).vote
    assert first.result is not None and first.result.outcome is Outcome.CANCELLED
    assert service.amendment(CONSOLE, mid, 2).amendment.status is AmendmentStatus.NEEDS_UPDATE
    assert verify_store(service.store, CONSOLE).ok


@pytest.mark.slow
def test_two_hundred_concurrent_casts_leave_one_ballot_per_organisation(store: SqlStore) -> None:
    service = MeetingService(store)
    loaded = load_meeting(service, orgs=8)
    mid = loaded.meeting.id
    p = {d.id: d for d in loaded.meeting.delegates}
    service.open_vote(p["chair"], mid, version=1, rule="simple_majority")
    errors: list[BaseException] = []
    receipts = []
    lock = threading.Lock()

    def cast(i: int) -> None:
        who = p[f"{'delegate' if i % 2 else 'signatory'}-{i % 8 + 1}"]
        try:
            r = service.cast_ballot(
                who, mid, 1, ("yes", "no", "abstain")[i % 3], key=f"k{i % 50}-{i % 8}"
            )
            with lock:
                receipts.append(r)
        except Conflict:
            pass  # the same key reused with another choice: refused, as it should be
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=cast, args=(i,)) for i in range(200)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with store.engine.connect() as c:
        rows = c.execute(
            text("SELECT organisation, COUNT(*) FROM ballots GROUP BY organisation")
        ).all()
        history = c.execute(text("SELECT COUNT(*) FROM ballot_history")).scalar()
    assert sorted(r[0] for r in rows) == [f"org-{i}" for i in range(1, 9)]
    assert all(r[1] == 1 for r in rows)
    fresh = {r.seq for r in receipts if not r.replayed}
    assert history == len(fresh)
    view = service.vote(CONSOLE, mid, 1)
    assert view.tally.cast == 8
    closed = service.close_vote(p["chair"], mid, 1)
    assert closed.result is not None and closed.result.tally == view.tally
    assert verify_store(store, CONSOLE).ok


def test_two_hundred_casts_awaited_together_share_batches_and_stay_exact(store: SqlStore) -> None:
    """One event loop sends them all at once, so a batch holds retries of one key and changed
    ballots of one organisation side by side (its rows are written together at commit)."""
    service = MeetingService(store)
    loaded = load_meeting(service, orgs=8)
    mid = loaded.meeting.id
    p = {d.id: d for d in loaded.meeting.delegates}
    service.open_vote(p["chair"], mid, version=1, rule="simple_majority")
    batches: list[int] = []
    ballots = service._rooms["Ballots"]  # the ballots room: count its batches, run them unchanged
    run_batch = ballots._cast_batch  # type: ignore[attr-defined]
    ballots._cast_batch = lambda items: (batches.append(len(items)), run_batch(items))[1]  # type: ignore[attr-defined]

    async def cast(i: int) -> object:
        who = p[f"{'delegate' if i % 2 else 'signatory'}-{i % 8 + 1}"]
        choice = ("yes", "no", "abstain")[i % 3]
        try:
            return await service.cast_ballot_async(who, mid, 1, choice, key=f"k{i % 40}")
        except Conflict as exc:  # the same key reused with another choice
            return exc

    async def all_at_once() -> list[object]:
        return await asyncio.gather(*(cast(i) for i in range(200)))

    answers = asyncio.run(all_at_once())
    assert len(batches) < 50 and sum(batches) == 200  # shared, each request exactly once
    receipts = [a for a in answers if isinstance(a, Receipt)]
    conflicts = sum(isinstance(a, Conflict) for a in answers)
    assert len(receipts) + conflicts == 200
    # key k{n} goes with one organisation (n % 8); requests 120 apart repeat key and choice
    # (a retry), 40 or 80 apart repeat the key with another choice (refused)
    assert sum(r.replayed for r in receipts) >= 40 and conflicts >= 40
    by_key: dict[str, set[str]] = {}
    for i, answer in enumerate(answers):
        if isinstance(answer, Receipt):
            by_key.setdefault(f"k{i % 40}", set()).add(answer.receipt)
    assert all(len(r) == 1 for r in by_key.values())  # a retry gets the first receipt
    fresh = sorted((r for r in receipts if not r.replayed), key=lambda r: r.seq)
    assert len(fresh) == len(by_key)  # one stored ballot per key, however many retries
    with store.engine.connect() as c:
        current = dict(c.execute(text("SELECT organisation, receipt FROM ballots")).all())
        history = c.execute(text("SELECT COUNT(*) FROM ballot_history")).scalar()
    assert history == len(fresh)
    last = {r.organisation: r.receipt for r in fresh}  # the latest ballot of each counts
    assert current == last and len(current) == 8
    assert service.vote(CONSOLE, mid, 1).tally.cast == 8
    assert verify_store(store, CONSOLE).ok


TAMPERING = {
    "ballot choice": (
        "UPDATE ballots SET choice = 'no' WHERE organisation = 'org-2'",
        "current ballot of org-2 does not match its receipt",
    ),
    "history choice": (
        "UPDATE ballot_history SET choice = 'no' WHERE organisation = 'org-2'",
        "ballot",
    ),
    "deleted ballot": (
        "DELETE FROM ballots WHERE organisation = 'org-1'",
        "stored tally differs from the stored ballots",
    ),
}


@pytest.mark.parametrize("case", sorted(TAMPERING))
def test_verify_names_an_altered_ballot(floor, case: str) -> None:  # type: ignore[no-untyped-def]
    service, mid, p, _ = floor
    service.open_vote(p["chair"], mid, amendment=1, rule="simple_majority", quorum=0)
    service.cast_ballot(p["delegate-1"], mid, 1, "yes", key="a")
    service.cast_ballot(p["delegate-2"], mid, 1, "yes", key="b")
    service.close_vote(p["chair"], mid, 1)
    assert verify_store(service.store, CONSOLE).ok
    sql, expected = TAMPERING[case]
    with service.store.engine.begin() as c:
        c.execute(text(sql))
    findings = [str(f) for f in verify_store(service.store, CONSOLE).findings]
    assert any(expected in f and "vote 1" in f for f in findings), findings

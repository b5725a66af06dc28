"""Logging in through the library: limits per address and per code, credentials that end when
a code is re-issued."""

from __future__ import annotations

import asyncio
import datetime as dt
import time

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select

from consensus_kit import (
    CONSOLE,
    LoginLimits,
    MeetingService,
    NotAuthenticated,
    SqlStore,
    TooManyAttempts,
)
from consensus_kit.service.access import RESUME_CHECK_SECONDS
from consensus_kit.storage.tables import login_attempts
from tests.builders import load_meeting

LIMITS = LoginLimits(per_address=3, per_code=4, window=dt.timedelta(minutes=1))


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 18, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(milliseconds=1)
        return self.now


@pytest.fixture
def limited(store: SqlStore) -> tuple[MeetingService, Clock, dict[str, str]]:
    clock = Clock()
    service = MeetingService(store, clock=clock, login_limits=LIMITS)
    loaded = load_meeting(service)
    return service, clock, dict(loaded.codes)


def test_an_address_that_keeps_failing_waits_for_the_window(limited) -> None:  # type: ignore[no-untyped-def]
    service, clock, _codes = limited
    for i in range(3):
        with pytest.raises(NotAuthenticated, match="unknown access code"):
            service.log_in(f"WRONG-CODE-{i:04}", client="192.0.2.7")
    with pytest.raises(TooManyAttempts) as caught:
        service.log_in("WRONG-CODE-0099", client="192.0.2.7")  # one more wrong code waits
    assert caught.value.field == "address" and 1 <= caught.value.retry_after <= 60
    assert "try again in" in caught.value.message
    with pytest.raises(NotAuthenticated):
        service.log_in("WRONG-CODE-0099", client="192.0.2.8")
    clock.now += dt.timedelta(minutes=1)
    with pytest.raises(NotAuthenticated):
        service.log_in("WRONG-CODE-0100", client="192.0.2.7")


def test_a_valid_code_works_from_an_address_that_failed_too_often(limited) -> None:  # type: ignore[no-untyped-def]
    service, _clock, codes = limited
    for i in range(20):  # someone behind the venue's router guesses (limit: 3)
        with pytest.raises((NotAuthenticated, TooManyAttempts)):
            service.log_in(f"WRONG-CODE-{i:04}", client="192.0.2.7")
    for who in ("chair", "delegate-1", "observer"):  # everyone else in the room still logs in
        assert service.log_in(codes[who], client="192.0.2.7").delegate.id == who


def test_twenty_wrong_codes_then_a_valid_one_with_the_default_limits(store: SqlStore) -> None:
    service = MeetingService(store)
    codes = dict(load_meeting(service).codes)
    for i in range(20):
        with pytest.raises(NotAuthenticated):
            service.log_in(f"WRONG-CODE-{i:04}", client="203.0.113.5")
    assert service.log_in(codes["delegate-1"], client="203.0.113.5").delegate.id == "delegate-1"


def test_one_wrong_code_tried_again_and_again_is_limited(limited) -> None:  # type: ignore[no-untyped-def]
    service, _clock, _codes = limited
    for i in range(4):  # per code: 4, from many addresses
        with pytest.raises(NotAuthenticated):
            service.log_in("ABCD-EFGH-JKMN", client=f"192.0.2.{i}")
    with pytest.raises(TooManyAttempts) as caught:
        service.log_in("ABCD-EFGH-JKMN", client="192.0.2.50")
    assert caught.value.field == "code"


def test_successful_logins_from_one_address_are_not_limited(limited) -> None:  # type: ignore[no-untyped-def]
    service, _clock, codes = limited
    people = ["delegate-1", "delegate-2", "delegate-3", "signatory-1", "chair", "observer"]
    for who in people:  # a room behind one router
        assert service.log_in(codes[who], client="198.51.100.1").delegate.id == who


def test_a_code_tried_too_often_waits_whatever_the_address(limited) -> None:  # type: ignore[no-untyped-def]
    service, clock, codes = limited
    for i in range(4):
        service.log_in(codes["delegate-1"], client=f"192.0.2.{i}")
    with pytest.raises(TooManyAttempts) as caught:
        service.log_in(codes["delegate-1"], client="192.0.2.99")
    assert caught.value.field == "code"
    assert service.log_in(codes["delegate-2"], client="192.0.2.99").delegate.id == "delegate-2"
    clock.now += dt.timedelta(seconds=61)
    assert service.log_in(codes["delegate-1"]).delegate.id == "delegate-1"


def test_attempts_are_stored_without_codes_and_old_ones_are_forgotten(limited) -> None:  # type: ignore[no-untyped-def]
    service, clock, codes = limited
    service.log_in(codes["chair"], client="192.0.2.1")
    with pytest.raises(NotAuthenticated):
        service.log_in("WRONG-CODE-0000", client="192.0.2.1")
    with service.store.engine.connect() as connection:  # type: ignore[attr-defined]
        rows = connection.execute(select(login_attempts)).all()
    dump = repr(rows)
    assert len(rows) == 4  # two per attempt: the code and the address
    assert codes["chair"] not in dump and "WRONG" not in dump
    assert codes["chair"].replace("-", "") not in dump
    clock.now += dt.timedelta(minutes=2)
    service.log_in(codes["chair"])
    with service.store.engine.connect() as connection:  # type: ignore[attr-defined]
        assert len(connection.execute(select(login_attempts)).all()) == 1


def test_a_credential_ends_when_the_code_is_reissued(limited) -> None:  # type: ignore[no-untyped-def]
    service, _clock, codes = limited
    login = service.log_in(codes["delegate-1"])
    other = service.log_in(codes["delegate-2"])
    mid = login.meeting.id
    assert service.resume(mid, "delegate-1", login.credential)[1].id == "delegate-1"
    new = service.issue_codes(CONSOLE, mid, ["delegate-1"])
    with pytest.raises(NotAuthenticated, match="re-issued"):
        service.resume(mid, "delegate-1", login.credential)
    assert service.resume(mid, "delegate-2", other.credential)[1].id == "delegate-2"
    fresh = service.log_in(new["delegate-1"])  # type: ignore[index]
    assert fresh.credential != login.credential
    assert service.resume(mid, "delegate-1", fresh.credential)[1].id == "delegate-1"


def test_logging_out_ends_that_login_and_any_copy_of_it(limited) -> None:  # type: ignore[no-untyped-def]
    service, _clock, codes = limited
    phone, laptop = service.log_in(codes["delegate-1"]), service.log_in(codes["delegate-1"])
    assert phone.credential != laptop.credential  # each login is its own
    mid = phone.meeting.id
    assert service.resume(mid, "delegate-1", phone.credential)[1].id == "delegate-1"
    service.log_out(mid, "delegate-1", phone.credential)
    with pytest.raises(NotAuthenticated, match="logged out"):
        service.resume(mid, "delegate-1", phone.credential)  # a copied cookie or token
    with pytest.raises(NotAuthenticated, match="logged out"):
        asyncio.run(service.resume_async(mid, "delegate-1", phone.credential))
    elsewhere = MeetingService(service.store)  # another worker or process
    with pytest.raises(NotAuthenticated, match="logged out"):
        elsewhere.resume(mid, "delegate-1", phone.credential)
    with pytest.raises(NotAuthenticated):
        service.log_out(mid, "delegate-1", phone.credential)  # once is enough
    assert service.resume(mid, "delegate-1", laptop.credential)[1].id == "delegate-1"


def test_a_credential_without_a_login_id_is_refused(limited) -> None:  # type: ignore[no-untyped-def]
    service, _clock, codes = limited
    login = service.log_in(codes["chair"])
    code_part = login.credential.partition("-")[0]  # what logins carried before they had ids
    with pytest.raises(NotAuthenticated, match="log in again"):
        service.resume(login.meeting.id, "chair", code_part)


def test_a_code_reissued_by_another_process_ends_logins_within_the_check_interval(
    limited,  # type: ignore[no-untyped-def]
) -> None:
    service, _clock, codes = limited
    first, second = service.log_in(codes["delegate-1"]), service.log_in(codes["delegate-2"])
    mid = first.meeting.id
    for login, who in ((first, "delegate-1"), (second, "delegate-2")):
        assert service.resume(mid, who, login.credential)[1].id == who  # checked: trusted a while
    elsewhere = MeetingService(service.store)  # the CLI, or another worker
    new = elsewhere.issue_codes(CONSOLE, mid, ["delegate-1", "delegate-2"])
    # a login with the new code works here at once: a credential that differs is read again
    fresh = elsewhere.log_in(new["delegate-2"])  # type: ignore[index]
    assert service.resume(mid, "delegate-2", fresh.credential)[1].id == "delegate-2"
    time.sleep(RESUME_CHECK_SECONDS)  # then the old one is read again, and refused
    with pytest.raises(NotAuthenticated, match="re-issued"):
        service.resume(mid, "delegate-1", first.credential)


def test_resuming_an_unknown_meeting_delegate_or_empty_credential_is_refused(limited) -> None:  # type: ignore[no-untyped-def]
    service, _clock, codes = limited
    login = service.log_in(codes["chair"])
    for mid, did, credential in [
        ("no-meeting", "chair", login.credential),
        (login.meeting.id, "nobody", login.credential),
        (login.meeting.id, "chair", ""),
        (login.meeting.id, "delegate-1", login.credential),
    ]:
        with pytest.raises(NotAuthenticated):
            service.resume(mid, did, credential)


def resume_all_at_once(service: MeetingService, asks: list[tuple[str, str, str]]) -> list[object]:
    """Resume every (meeting, delegate, credential) at the same moment: each delegate's id, or
    the :class:`NotAuthenticated` refusing it."""

    async def one(mid: str, who: str, credential: str) -> object:
        try:
            return (await service.resume_async(mid, who, credential))[1].id
        except NotAuthenticated as exc:
            return exc

    async def all_at_once() -> list[object]:
        return await asyncio.gather(*(one(*ask) for ask in asks))

    return asyncio.run(all_at_once())


def test_logins_checked_at_the_same_moment_share_a_read_and_each_gets_its_own_answer(
    limited,  # type: ignore[no-untyped-def]
) -> None:
    service, _clock, codes = limited
    logins = {who: service.log_in(code) for who, code in codes.items()}
    mid = next(iter(logins.values())).meeting.id
    stale = logins.pop("delegate-3")
    MeetingService(service.store).issue_codes(CONSOLE, mid, ["delegate-3"])  # elsewhere
    reads: list[str] = []
    listen = sa_event.listen
    listen(service.store.engine, "before_cursor_execute", lambda *a: reads.append(a[2]))
    asks = [(mid, who, login.credential) for who, login in logins.items()]
    refused = [
        ("no-meeting", "chair", logins["chair"].credential),
        (mid, "nobody", logins["chair"].credential),
        (mid, "delegate-1", logins["delegate-2"].credential),  # another delegate's credential
        (mid, "delegate-3", stale.credential),  # its code was re-issued by another process
    ]

    answers = resume_all_at_once(service, asks + refused)
    assert answers[: len(asks)] == [who for _, who, _ in asks]
    assert all(isinstance(a, NotAuthenticated) for a in answers[len(asks) :])
    assert "re-issued" in str(answers[-1])
    code_reads = [s for s in reads if "code_hash" in s]
    assert 1 <= len(code_reads) < len(asks)  # shared: not one read per login
    # once checked, a login is trusted for a second: no read at all
    reads.clear()
    assert asyncio.run(service.resume_async(*asks[0]))[1].id == asks[0][1]
    assert [s for s in reads if "code_hash" in s] == []


def test_logins_of_many_meetings_checked_together_take_the_same_few_statements(
    service: MeetingService,
) -> None:
    """A hundred meetings voting at once: their delegates' logins share one check, whose
    statements do not grow with the number of meetings (they did: three per meeting)."""

    def statements_for(meetings: int) -> tuple[float, list[object]]:
        """The statements each shared check made (the logins may be split in batches)."""
        asks: list[tuple[str, str, str]] = []
        for n in range(meetings):
            loaded = load_meeting(service, meeting_id=f"m{meetings}-{n}")
            for who in ("chair", "delegate-1", "delegate-2"):
                login = service.log_in(loaded.codes[who])
                asks.append((loaded.meeting.id, who, login.credential))
        ended = service.log_in(loaded.codes["delegate-3"])
        service.log_out(ended.meeting.id, "delegate-3", ended.credential)
        asks.append((ended.meeting.id, "delegate-3", ended.credential))
        time.sleep(RESUME_CHECK_SECONDS)  # no login is trusted from its log-in any more
        reads: list[str] = []

        def count(*args: object) -> None:
            reads.append(str(args[2]))

        engine = service.store.engine
        sa_event.listen(engine, "before_cursor_execute", count)
        answers = resume_all_at_once(service, asks)
        sa_event.remove(engine, "before_cursor_execute", count)
        batches = sum("code_hash" in r for r in reads)  # one read of code hashes a batch
        return len(reads) / batches, answers

    few, answers = statements_for(2)
    assert answers[:-1] == ["chair", "delegate-1", "delegate-2"] * 2
    assert isinstance(answers[-1], NotAuthenticated)  # logged out: refused
    many, answers = statements_for(12)
    assert answers[:-1] == ["chair", "delegate-1", "delegate-2"] * 12
    assert isinstance(answers[-1], NotAuthenticated)
    assert many == few, (few, many)  # per check: the same statements for 2 or 12 meetings


def test_rechecking_open_logins_reads_once_and_keeps_the_valid_ones_trusted(
    limited,  # type: ignore[no-untyped-def]
) -> None:
    service, _clock, codes = limited
    logins = {who: service.log_in(code) for who, code in codes.items()}
    mid = next(iter(logins.values())).meeting.id
    elsewhere = MeetingService(service.store)  # another worker: this one learns by reading
    elsewhere.log_out(mid, "delegate-1", logins["delegate-1"].credential)
    elsewhere.issue_codes(CONSOLE, mid, ["delegate-2"])
    asks = [(mid, who, login.credential) for who, login in logins.items()]
    asks.append(asks[-1])  # two streams of one login
    reads: list[str] = []
    listen = sa_event.listen
    listen(service.store.engine, "before_cursor_execute", lambda *a: reads.append(a[2]))
    valid = service.recheck_logins(asks)
    assert valid == [who not in ("delegate-1", "delegate-2") for _, who, _ in asks]
    assert len([s for s in reads if "code_hash" in s]) == 1  # one read for all
    reads.clear()  # the valid ones are trusted for a second: resuming them reads nothing
    good = [ask for ask, ok in zip(asks, valid, strict=True) if ok]
    assert [asyncio.run(service.resume_async(*ask))[1].id for ask in good] == [g[1] for g in good]
    assert [s for s in reads if "code_hash" in s] == []

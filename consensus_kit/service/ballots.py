"""Ballots: one current ballot per organisation, taken in batches that share a commit.

A ballot request carries a client-chosen key: sending it again returns the same receipt, so a
delegate on bad Wi-Fi can retry safely. The database enforces one current ballot per
organisation (a primary key) and keeps every accepted ballot in order. Ballots cast at the same
moment are checked one by one but written together: one transaction, one ``executemany`` per
table, one commit (see :mod:`consensus_kit.service.group_commit`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import secrets
from functools import cached_property
from typing import NamedTuple

import msgspec

from consensus_kit.domain.events import BallotCast, VoteConverted
from consensus_kit.domain.ids import DelegateId, MeetingId, OrgId
from consensus_kit.domain.model import DecisionRule, Meeting
from consensus_kit.domain.permissions import Action, Console, Principal
from consensus_kit.domain.voting import (
    Ballot,
    Choice,
    Vote,
    VoteMode,
    VoteState,
    ballot_receipt,
)
from consensus_kit.errors import Conflict, ConsensusError, InvalidInput, InvalidState, NotPermitted
from consensus_kit.service.context import Context
from consensus_kit.service.group_commit import GroupCommit
from consensus_kit.service.ports import Repository
from consensus_kit.service.vote_records import VoteRecords
from consensus_kit.service.vote_views import Receipt, check_of
from consensus_kit.service.voting import DEADLINE, Voting

__all__ = ["Ballots"]

_KEY = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")


class _BallotRequest(NamedTuple):
    actor: Principal
    meeting: MeetingId
    vote: int
    choice: Choice
    key: str


class Ballots:
    """Cast and change ballots; ``votes`` reads the vote, and a vote whose deadline passed is
    closed through ``voting``."""

    def __init__(self, ctx: Context, votes: VoteRecords, voting: Voting) -> None:
        self._ctx = ctx
        self._votes = votes
        self._voting = voting

    def cast_ballot(
        self, actor: Principal, meeting_id: MeetingId, vote: int, choice: Choice | str, *, key: str
    ) -> Receipt:
        """Cast or change the actor's organisation's ballot. Retrying with the same ``key``
        returns the first receipt; a ballot after the vote closed is refused, never counted."""
        request = self._ballot_request(actor, meeting_id, vote, choice, key)
        receipt = self._ballots.submit(request)
        return receipt if receipt is not None else self._cast_alone(request)

    async def cast_ballot_async(
        self, actor: Principal, meeting_id: MeetingId, vote: int, choice: Choice | str, *, key: str
    ) -> Receipt:
        """:meth:`cast_ballot` for a coroutine: it waits for the batch without a thread."""
        request = self._ballot_request(actor, meeting_id, vote, choice, key)
        receipt = await self._ballots.submit_async(request)
        if receipt is None:  # rare: the deadline passed; closing the vote takes a thread
            return await asyncio.to_thread(self._cast_alone, request)
        return receipt

    @cached_property
    def _ballots(self) -> GroupCommit[_BallotRequest, Receipt | None]:
        return GroupCommit(self._cast_batch)

    @staticmethod
    def _ballot_request(
        actor: Principal, meeting_id: MeetingId, vote: int, choice: Choice | str, key: str
    ) -> _BallotRequest:
        try:
            choice = Choice(choice)
        except ValueError:
            raise InvalidInput(
                f"{choice!r} is not a choice ({', '.join(c.value for c in Choice)})", field="choice"
            ) from None
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise InvalidInput("1–100 letters, digits or . _ : -", field="key")
        return _BallotRequest(actor, meeting_id, vote, choice, key)

    def _cast_batch(self, items: list[_BallotRequest]) -> list[Receipt | ConsensusError | None]:
        """The ballots sent meanwhile, in one transaction (one commit, one executemany a table)."""
        results: list[Receipt | ConsensusError | None] = []
        with self._ctx.store.transaction() as uow:
            for meeting_id in sorted({item.meeting for item in items}):
                uow.repo.lock_meeting(meeting_id)
            for meeting_id, vote in {(item.meeting, item.vote) for item in items}:
                keys = {  # keys are each organisation's own
                    (i.actor.organisation, i.key)
                    for i in items
                    if (i.meeting, i.vote) == (meeting_id, vote)
                    and not isinstance(i.actor, Console)
                    and i.actor.organisation is not None
                }
                uow.repo.look_up_keys(meeting_id, vote, keys)
            uow.repo.defer_writes()
            for item in items:
                try:  # a refusal raises before anything is written: the others go on
                    results.append(self._cast_in(uow.repo, item, self._ctx.clock()))
                except ConsensusError as exc:
                    results.append(exc)
            uow.commit()
        return results

    def _cast_in(self, repo: Repository, r: _BallotRequest, now: dt.datetime) -> Receipt | None:
        """Record one ballot (``None``: its vote's deadline passed, nothing written)."""
        meeting = self._ctx.meeting(repo, r.meeting)
        self._ctx.member(meeting, r.actor, Action.CAST_BALLOT)
        found = self._votes.get(repo, r.meeting, r.vote)
        org = self._voter_org(r.actor, found)
        earlier = repo.ballot_by_key(r.meeting, r.vote, org, r.key)
        if earlier is not None:
            if earlier.choice != r.choice:
                raise Conflict(f"key {r.key!r} was already used for another ballot")
            return self._receipt(earlier, replayed=True)
        if found.state is VoteState.OPEN and found.deadline and now >= found.deadline:
            return None
        if found.state is VoteState.CLOSED:
            raise InvalidState(
                f"vote {r.vote} closed at {found.closed_at:%H:%M:%S} UTC: the ballot was "
                "refused and not counted"
            )
        return self._record(repo, meeting, found, org, r.choice, r.key, r.actor, now)

    def _cast_alone(self, r: _BallotRequest) -> Receipt:
        """A ballot after its vote's deadline: close the vote, then refuse the ballot."""
        now = self._ctx.clock()
        with self._ctx.store.transaction() as uow:
            uow.repo.lock_meeting(r.meeting)
            receipt = self._cast_in(uow.repo, r, now)
            if receipt is None:
                meeting, found = (
                    self._ctx.meeting(uow.repo, r.meeting),
                    self._votes.get(uow.repo, *r[1:3]),
                )
                self._voting.close_in(
                    uow.repo, meeting, found, DEADLINE, now, "the deadline passed"
                )
            uow.commit()
        if receipt is None:
            raise InvalidState(f"vote {r.vote} closed at its deadline: refused and not counted")
        return receipt

    def _voter_org(self, actor: Principal, vote: Vote) -> OrgId:
        if isinstance(actor, Console) or actor.organisation is None:
            raise NotPermitted(
                "only a delegate of an organisation can cast its ballot",
                actor=actor.id,
                action=Action.CAST_BALLOT.value,
            )
        if actor.organisation not in vote.eligible:
            raise NotPermitted(
                f"{actor.organisation} is not eligible in vote {vote.number}",
                actor=actor.id,
                action=Action.CAST_BALLOT.value,
            )
        return actor.organisation

    def _record(
        self,
        repo: Repository,
        meeting: Meeting,
        vote: Vote,
        org: OrgId,
        choice: Choice,
        key: str,
        actor: Principal,
        now: dt.datetime,
    ) -> Receipt:
        if choice is Choice.OBJECT and vote.rule is not DecisionRule.CONSENSUS:
            raise InvalidInput(
                "a formal objection exists only under the consensus rule", field="choice"
            )
        if vote.mode is VoteMode.CONSENSUS_CALL and choice is not Choice.OBJECT:
            raise InvalidInput(
                "during a call for consensus only a formal objection is cast", field="choice"
            )
        last = repo.last_event(meeting.id)
        seq = (last.seq if last else 0) + 1
        nonce = secrets.token_hex(16)
        receipt = ballot_receipt(
            meeting=meeting.id,
            vote=vote.number,
            organisation=org,
            choice=choice,
            seq=seq,
            nonce=nonce,
        )
        event = self._ctx.append(
            repo,
            meeting.id,
            actor,
            now,
            BallotCast(
                vote=vote.number,
                organisation=org,
                choice=None if vote.secret else choice.value,
                receipt=receipt,
            ),
            previous=last,
        )
        assert event.seq == seq
        ballot = Ballot(
            meeting=meeting.id,
            vote=vote.number,
            organisation=org,
            choice=choice,
            delegate=DelegateId(actor.id),
            cast_at=now,
            seq=seq,
            key=key,
            nonce=nonce,
            receipt=receipt,
        )
        repo.put_ballot(ballot)
        if vote.mode is VoteMode.CONSENSUS_CALL:
            repo.save_vote(msgspec.structs.replace(vote, mode=VoteMode.VOTE, deadline=None))
            self._ctx.append(
                repo, meeting.id, actor, now, VoteConverted(number=vote.number, organisation=org)
            )
        return self._receipt(ballot)

    @staticmethod
    def _receipt(ballot: Ballot, *, replayed: bool = False) -> Receipt:
        return Receipt(
            vote=ballot.vote,
            organisation=ballot.organisation,
            choice=ballot.choice,
            seq=ballot.seq,
            receipt=ballot.receipt,
            nonce=ballot.nonce,
            check=check_of(ballot),
            replayed=replayed,
        )

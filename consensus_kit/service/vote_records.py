"""The record of votes: reading one, and recording its closing (the tally the rule decides, the
``VoteClosed`` event). What a closing means for the amendment voted on is the voting room's;
the amendments room uses this one to cancel the open votes on an amendment that has to change.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from consensus_kit.domain.events import VoteClosed
from consensus_kit.domain.ids import MeetingId
from consensus_kit.domain.model import Meeting
from consensus_kit.domain.permissions import Principal
from consensus_kit.domain.voting import Outcome, Vote, VoteMode, VoteResult, VoteState, decide
from consensus_kit.errors import NotFound
from consensus_kit.service.context import Context
from consensus_kit.service.ports import Repository

__all__ = ["VoteRecords"]


class VoteRecords:
    """Read a vote; record its closing or its cancellation (uses the context only)."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def get(self, repo: Repository, meeting_id: MeetingId, number: int) -> Vote:
        """Vote ``number`` of the meeting, or :class:`NotFound`."""
        found = repo.get_vote(meeting_id, number)
        if found is None:
            raise NotFound(f"no vote {number} in meeting {meeting_id!r}")
        return found

    def close(
        self,
        repo: Repository,
        meeting: Meeting,
        vote: Vote,
        actor: Principal,
        now: dt.datetime,
        how: str,
        *,
        cancelled: str = "",
    ) -> Vote:
        """Decide ``vote`` from its stored ballots, once, and record it closed (or cancelled,
        with the reason ``cancelled``)."""
        current = {b.organisation: b.choice for b in repo.current_ballots(meeting.id, vote.number)}
        if cancelled:
            decided = decide(vote.rule, 0.0, vote.eligible, current, secret=vote.secret)
            result = VoteResult(outcome=Outcome.CANCELLED, tally=decided.tally, reason=cancelled)
        else:
            result = decide(vote.rule, vote.quorum, vote.eligible, current, secret=vote.secret)
        if vote.mode is VoteMode.CONSENSUS_CALL and result.outcome is Outcome.NO_QUORUM:
            result = msgspec.structs.replace(result, outcome=Outcome.ADOPTED)
        if vote.mode is VoteMode.RECONSIDERATION:  # the rule the motion was decided under
            rule = vote.rule.value.replace("_", " ")
            how = f"{how}; motion to reconsider amendment {vote.amendment}, under {rule}"
        result = msgspec.structs.replace(result, reason=f"{result.reason}; {how}")
        closed = msgspec.structs.replace(
            vote, state=VoteState.CLOSED, closed_at=now, closed_by=actor.id, result=result
        )
        repo.save_vote(closed)
        self._ctx.append(
            repo,
            meeting.id,
            actor,
            now,
            VoteClosed(
                number=vote.number,
                outcome=result.outcome.value,
                reason=result.reason,
                tally=msgspec.to_builtins(result.tally),
                objectors=list(result.objectors),  # none named in a secret vote
            ),
        )
        return closed

    def cancel_on(
        self,
        repo: Repository,
        meeting: Meeting,
        amendment: int,
        actor: Principal,
        now: dt.datetime,
        reason: str,
    ) -> None:
        """Cancel the open votes on ``amendment`` (it must be updated, or is superseded)."""
        for vote in repo.list_votes(meeting.id, open_only=True):
            if vote.amendment == amendment:
                self.close(repo, meeting, vote, actor, now, "cancelled", cancelled=reason)

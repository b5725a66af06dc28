"""What readers of a vote see: receipts, the published record, the live tally."""

from __future__ import annotations

import msgspec

from consensus_kit.domain.ids import OrgId
from consensus_kit.domain.voting import (
    Ballot,
    Choice,
    Tally,
    Vote,
    VoteMode,
    VoteResult,
    VoteState,
    decide,
)

__all__ = ["PublishedBallot", "Receipt", "VoteView", "vote_view"]


class Receipt(msgspec.Struct, frozen=True, kw_only=True):
    """What a delegate gets back for an accepted ballot; ``replayed`` on a retried request."""

    vote: int
    organisation: OrgId
    choice: Choice
    seq: int
    receipt: str
    nonce: str
    replayed: bool = False


class PublishedBallot(msgspec.Struct, frozen=True, kw_only=True):
    """One line of a vote's published record (organisation and choice only in roll-call votes)."""

    seq: int
    receipt: str
    organisation: OrgId | None = None
    choice: Choice | None = None


class VoteView(msgspec.Struct, frozen=True, kw_only=True):
    """A vote with its live tally and, in a roll-call vote, who voted how."""

    vote: Vote
    tally: Tally
    ballots: list[PublishedBallot]
    forecast: VoteResult | None = None
    """What closing an open vote now would decide (rule and quorum applied to the ballots cast
    so far); ``None`` for a closed vote or a call for consensus. In a secret vote it names no
    organisation."""


def vote_view(vote: Vote, current: list[Ballot]) -> VoteView:
    """A vote with its live tally; in a secret vote only totals and receipts."""
    tally = decide(vote.rule, 0.0, vote.eligible, {b.organisation: b.choice for b in current}).tally
    published = [
        PublishedBallot(seq=b.seq, receipt=b.receipt)
        if vote.secret
        else PublishedBallot(
            seq=b.seq, receipt=b.receipt, organisation=b.organisation, choice=b.choice
        )
        for b in current
    ]
    if vote.secret:
        published.sort(key=lambda p: p.receipt)  # no order that hints at who cast which
    forecast = None
    if vote.state is VoteState.OPEN and vote.mode is VoteMode.VOTE:
        forecast = decide(
            vote.rule, vote.quorum, vote.eligible, {b.organisation: b.choice for b in current}
        )
        if vote.secret:
            forecast = msgspec.structs.replace(forecast, objectors=(), reason="")
    return VoteView(vote=vote, tally=tally, ballots=published, forecast=forecast)

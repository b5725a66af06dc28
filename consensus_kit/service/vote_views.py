"""What readers of a vote see: receipts, the published record, the tally.

The secrecy model (docs/secret-ballots.md): in a secret vote, who cast is public and how is
not. While the vote is open only the number of organisations that cast is shown; the tally and
the record of choices are published when it closes, each choice beside a *check code* that only
the organisation that cast it can recognise (it is derived from the ballot's nonce, which only
that organisation's receipt holds). Nothing shown while the vote is open depends on a choice.
"""

from __future__ import annotations

import msgspec

from consensus_kit.domain.ids import OrgId
from consensus_kit.domain.model import DecisionRule, Procedure
from consensus_kit.domain.voting import (
    Ballot,
    Choice,
    Outcome,
    Tally,
    Vote,
    VoteMode,
    VoteResult,
    VoteState,
    ballot_check,
    decide,
    fallback_rule,
)

__all__ = ["PublishedBallot", "Receipt", "VoteView", "check_of", "vote_view"]


class Receipt(msgspec.Struct, frozen=True, kw_only=True):
    """What a delegate gets back for an accepted ballot; ``replayed`` on a retried request.

    ``check`` is the code under which a secret ballot's choice is published at closing."""

    vote: int
    organisation: OrgId
    choice: Choice
    seq: int
    receipt: str
    nonce: str
    check: str = ""
    replayed: bool = False


class PublishedBallot(msgspec.Struct, frozen=True, kw_only=True):
    """One line of a vote's published record.

    A roll-call vote: sequence number, receipt, organisation and choice. A closed secret vote:
    check code and choice only (an open secret vote publishes no lines)."""

    seq: int | None = None
    receipt: str | None = None
    check: str | None = None
    organisation: OrgId | None = None
    choice: Choice | None = None


class VoteView(msgspec.Struct, frozen=True, kw_only=True):
    """A vote, how many organisations cast, its tally and published record.

    ``tally`` is ``None`` while a secret vote is open: only ``cast`` of ``eligible`` is shown."""

    vote: Vote
    cast: int
    eligible: int
    tally: Tally | None
    ballots: list[PublishedBallot]
    forecast: VoteResult | None = None
    """What closing an open vote now would decide (rule and quorum applied to the ballots cast
    so far); ``None`` for a closed vote or a call for consensus. In an open secret vote only
    "no quorum", which depends on the count of ballots alone, never on a choice."""
    fallback: DecisionRule | None = None
    """The rule the chair may put this question to after an objection, under the rules of
    procedure (:func:`~consensus_kit.domain.voting.fallback_rule`); ``None`` when not."""


def check_of(ballot: Ballot) -> str:
    """The check code of ``ballot`` (see :func:`consensus_kit.domain.voting.ballot_check`)."""
    return ballot_check(
        meeting=ballot.meeting,
        vote=ballot.vote,
        organisation=ballot.organisation,
        choice=ballot.choice,
        seq=ballot.seq,
        nonce=ballot.nonce,
    )


def vote_view(vote: Vote, current: list[Ballot], procedure: Procedure | None = None) -> VoteView:
    """What anyone taking part may read of ``vote``, given its current ballots (and the
    meeting's rules of procedure, for the fallback the chair may offer)."""
    view = _view(vote, current)
    if procedure is None:
        return view
    choices = {b.organisation: b.choice for b in current}
    return msgspec.structs.replace(view, fallback=fallback_rule(vote, procedure, choices))


def _view(vote: Vote, current: list[Ballot]) -> VoteView:
    if vote.secret and vote.state is VoteState.OPEN:
        return VoteView(
            vote=vote,
            cast=len(current),
            eligible=len(vote.eligible),
            tally=None,
            ballots=[],
            forecast=_quorum_forecast(vote, current),
        )
    choices = {b.organisation: b.choice for b in current}
    tally = decide(vote.rule, 0.0, vote.eligible, choices, secret=vote.secret).tally
    if vote.secret:
        published = sorted(  # ordered by check code: no order that hints at who cast which
            (PublishedBallot(check=check_of(b), choice=b.choice) for b in current),
            key=lambda p: p.check or "",
        )
    else:
        published = [
            PublishedBallot(
                seq=b.seq, receipt=b.receipt, organisation=b.organisation, choice=b.choice
            )
            for b in current
        ]
    forecast = None
    if vote.state is VoteState.OPEN and vote.mode is not VoteMode.CONSENSUS_CALL:
        forecast = decide(vote.rule, vote.quorum, vote.eligible, choices)
    return VoteView(
        vote=vote,
        cast=len(current),
        eligible=len(vote.eligible),
        tally=tally,
        ballots=published,
        forecast=forecast,
    )


def _quorum_forecast(vote: Vote, current: list[Ballot]) -> VoteResult | None:
    """For an open secret vote, what closing it now would decide only when that does not depend
    on any choice: no quorum. ``None`` once the quorum is reached (the outcome is secret)."""
    if vote.mode is VoteMode.CONSENSUS_CALL:
        return None
    who = {b.organisation: Choice.ABSTAIN for b in current}  # the count alone, no choice
    result = decide(vote.rule, vote.quorum, vote.eligible, who, secret=True)
    return result if result.outcome is Outcome.NO_QUORUM else None

"""Votes and decision rules: one ballot per organisation, computed outcomes, receipts.

Rules (weights apply when a vote is weighted; quorum counts organisations):

- **simple majority**: adopted when yes > no; abstentions do not count; a tie fails.
- **two-thirds**: adopted when yes ≥ ⅔ of yes + no (the votes cast), with at least one yes.
- **absolute majority**: adopted when yes > half of all eligible organisations' weight.
- **consensus**: adopted when no organisation formally objects; the objectors are recorded
  (in a secret vote counted, not named).
- **unanimity**: adopted when every eligible organisation votes yes.

Quorum: the share of eligible organisations that cast a ballot (abstaining counts as taking
part). Below it the vote fails as "no quorum", whatever the ballots say.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from fractions import Fraction

import msgspec

from consensus_kit.domain.hashing import canonical_json, sha256_hex
from consensus_kit.domain.ids import DelegateId, MeetingId, OrgId
from consensus_kit.domain.model import DecisionRule, Meeting, Procedure, Role

__all__ = [
    "Ballot",
    "Choice",
    "Outcome",
    "Tally",
    "Vote",
    "VoteMode",
    "VoteResult",
    "VoteState",
    "ballot_check",
    "ballot_receipt",
    "decide",
    "eligible_organisations",
    "fallback_rule",
]


class Choice(enum.StrEnum):
    """An organisation's ballot. ``object`` (a formal objection) exists under consensus only."""

    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"
    OBJECT = "object"


class VoteState(enum.StrEnum):
    """A vote is open until the chair (or its deadline) closes it."""

    OPEN = "open"
    CLOSED = "closed"


class VoteMode(enum.StrEnum):
    """A recorded vote, the chair's call for consensus (only objections are cast), or a
    recorded vote on a motion to reconsider a rejected amendment (``amendment`` names it)."""

    VOTE = "vote"
    CONSENSUS_CALL = "consensus_call"
    RECONSIDERATION = "reconsideration"


class Outcome(enum.StrEnum):
    """What a closed vote decided."""

    ADOPTED = "adopted"
    REJECTED = "rejected"
    NO_QUORUM = "no_quorum"
    CANCELLED = "cancelled"  # its amendment had to be updated or was superseded mid-vote


class Tally(msgspec.Struct, frozen=True, kw_only=True):
    """Totals of a vote: organisations per choice, weights per choice, and participation."""

    yes: int = 0
    no: int = 0
    abstain: int = 0
    object: int = 0
    yes_weight: int = 0
    no_weight: int = 0
    abstain_weight: int = 0
    object_weight: int = 0
    cast: int = 0
    eligible: int = 0
    eligible_weight: int = 0


class VoteResult(msgspec.Struct, frozen=True, kw_only=True):
    """The outcome, the tally it was computed from, why, and (under consensus) who objected."""

    outcome: Outcome
    tally: Tally
    reason: str
    objectors: tuple[OrgId, ...] = ()


class Vote(msgspec.Struct, frozen=True, kw_only=True):
    """A decision on one amendment (``amendment``) or on adopting a whole version (``version``)."""

    meeting: MeetingId
    number: int
    rule: DecisionRule
    quorum: float
    secret: bool
    weighted: bool
    eligible: dict[OrgId, int]  # organisation -> weight, fixed when the vote opens
    opened_by: str
    opened_at: dt.datetime
    amendment: int | None = None
    version: int | None = None
    deadline: dt.datetime | None = None
    mode: VoteMode = VoteMode.VOTE
    state: VoteState = VoteState.OPEN
    closed_at: dt.datetime | None = None
    closed_by: str | None = None
    result: VoteResult | None = None

    @property
    def subject(self) -> str:
        """What is decided, in words."""
        if self.mode is VoteMode.RECONSIDERATION:
            return f"reconsidering amendment {self.amendment}"
        if self.amendment is not None:
            return f"amendment {self.amendment}"
        return f"adopting version {self.version}"


class Ballot(msgspec.Struct, frozen=True, kw_only=True):
    """One organisation's ballot in one vote; ``seq`` is its event's sequence number."""

    meeting: MeetingId
    vote: int
    organisation: OrgId
    choice: Choice
    delegate: DelegateId
    cast_at: dt.datetime
    seq: int
    key: str
    nonce: str
    receipt: str


def ballot_receipt(
    *, meeting: str, vote: int, organisation: str, choice: Choice, seq: int, nonce: str
) -> str:
    """The receipt a delegate keeps: a hash over vote, organisation, choice and sequence number.

    The random ``nonce`` keeps a published receipt from revealing the choice of a secret ballot.
    """
    return sha256_hex(
        canonical_json(
            {
                "format": "consensus-kit/ballot/1",
                "meeting": meeting,
                "vote": vote,
                "organisation": organisation,
                "choice": choice.value,
                "seq": seq,
                "nonce": nonce,
            }
        )
    )


def ballot_check(
    *, meeting: str, vote: int, organisation: str, choice: Choice, seq: int, nonce: str
) -> str:
    """The check code of a secret ballot, published with its choice once the vote closes.

    Its own hash (another format tag) over the same fields as :func:`ballot_receipt`: the event
    log names the organisation beside the receipt, never beside the check code, so only the
    organisation (which holds the ``nonce``) can find its line in the published record.
    """
    return sha256_hex(
        canonical_json(
            {
                "format": "consensus-kit/ballot-check/1",
                "meeting": meeting,
                "vote": vote,
                "organisation": organisation,
                "choice": choice.value,
                "seq": seq,
                "nonce": nonce,
            }
        )
    )


def fallback_rule(
    vote: Vote, procedure: Procedure, ballots: Mapping[OrgId, Choice]
) -> DecisionRule | None:
    """The rule the chair may put ``vote``'s question to under the rules of procedure: a call
    for consensus that is still open and drew a formal objection (it is a recorded vote under
    the consensus rule since), when the rules name a fallback; ``None`` otherwise. A call for
    consensus is never secret; a secret vote never offers a fallback, which would tell that
    someone objected while the vote is open."""
    if (
        procedure.consensus_fallback is None
        or vote.secret
        or vote.state is not VoteState.OPEN
        or vote.rule is not DecisionRule.CONSENSUS
        or vote.mode is not VoteMode.VOTE
        or Choice.OBJECT not in ballots.values()
    ):
        return None
    return procedure.consensus_fallback


def eligible_organisations(meeting: Meeting, *, weighted: bool) -> dict[OrgId, int]:
    """Organisations that may vote: not observers, not withdrawn, with a delegate (not
    withdrawn) holding a voting role."""
    voters = {
        d.organisation
        for d in meeting.delegates
        if d.organisation and d.roles & {Role.DELEGATE, Role.SIGNATORY} and d.withdrawn_at is None
    }
    return {
        o.id: (o.weight if weighted else 1)
        for o in meeting.organisations
        if not o.observer and o.id in voters and o.withdrawn_at is None
    }


def decide(
    rule: DecisionRule,
    quorum: float,
    eligible: Mapping[OrgId, int],
    ballots: Mapping[OrgId, Choice],
    *,
    secret: bool = False,
) -> VoteResult:
    """Compute the outcome of a vote from the current ballot of each organisation.

    In a ``secret`` vote the objectors are counted, never named.

    >>> decide(DecisionRule.SIMPLE_MAJORITY, 0.5, {"a": 1, "b": 1, "c": 1},
    ...        {"a": Choice.YES, "b": Choice.NO}).outcome
    <Outcome.REJECTED: 'rejected'>
    """
    counts = dict.fromkeys(Choice, 0)
    weights = dict.fromkeys(Choice, 0)
    for org, choice in ballots.items():
        counts[choice] += 1
        weights[choice] += eligible.get(org, 0)
    tally = Tally(
        yes=counts[Choice.YES],
        no=counts[Choice.NO],
        abstain=counts[Choice.ABSTAIN],
        object=counts[Choice.OBJECT],
        yes_weight=weights[Choice.YES],
        no_weight=weights[Choice.NO],
        abstain_weight=weights[Choice.ABSTAIN],
        object_weight=weights[Choice.OBJECT],
        cast=len(ballots),
        eligible=len(eligible),
        eligible_weight=sum(eligible.values()),
    )
    objectors = tuple(sorted(o for o, c in ballots.items() if c is Choice.OBJECT))
    named = ", ".join(objectors)
    if secret:
        named = f"{len(objectors)} organisation" + ("s" if len(objectors) > 1 else "")
        objectors = ()
    if not eligible or Fraction(tally.cast, tally.eligible) < Fraction(str(quorum)):
        needed = f"{quorum:.0%}"
        return VoteResult(
            outcome=Outcome.NO_QUORUM,
            tally=tally,
            objectors=objectors,
            reason=f"no quorum: {tally.cast} of {tally.eligible} took part, {needed} needed",
        )
    yes, no = weights[Choice.YES], weights[Choice.NO]
    if rule is DecisionRule.SIMPLE_MAJORITY:
        adopted = yes > no
        reason = f"{yes} yes against {no} no" + (" (a tie fails)" if yes == no else "")
    elif rule is DecisionRule.TWO_THIRDS:
        adopted = yes > 0 and 3 * yes >= 2 * (yes + no)
        reason = f"{yes} yes of {yes + no} votes cast; two-thirds needed"
    elif rule is DecisionRule.ABSOLUTE_MAJORITY:
        adopted = 2 * yes > tally.eligible_weight
        reason = f"{yes} yes of {tally.eligible_weight} eligible; more than half needed"
    elif rule is DecisionRule.CONSENSUS:
        adopted = tally.object == 0
        reason = "no formal objection" if adopted else f"formal objection by {named}"
    else:  # UNANIMITY
        adopted = tally.yes == tally.eligible
        reason = f"{tally.yes} of {tally.eligible} eligible organisations voted yes"
    return VoteResult(
        outcome=Outcome.ADOPTED if adopted else Outcome.REJECTED,
        tally=tally,
        reason=reason,
        objectors=objectors,
    )

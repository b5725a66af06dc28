"""Voting: the chair opens and closes votes (ballots are the ballots room's).

A ballot request carries a client-chosen key: sending it again returns the same receipt, so a
delegate on bad Wi-Fi can retry safely. The database enforces one current ballot per
organisation (a primary key), keeps every accepted ballot in order, and the outcome is computed
once, at closing, from the stored ballots.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from consensus_kit.domain.amendments import Amendment, AmendmentStatus
from consensus_kit.domain.events import VoteOpened
from consensus_kit.domain.ids import MeetingId
from consensus_kit.domain.model import DecisionRule, Meeting, VersionState
from consensus_kit.domain.permissions import Action, Console, Principal
from consensus_kit.domain.voting import (
    Outcome,
    Vote,
    VoteMode,
    VoteState,
    eligible_organisations,
)
from consensus_kit.errors import (
    InvalidInput,
    InvalidState,
)
from consensus_kit.service.adoption import Adoption
from consensus_kit.service.amendments import Amendments
from consensus_kit.service.context import Context
from consensus_kit.service.ports import Repository
from consensus_kit.service.vote_records import VoteRecords
from consensus_kit.service.vote_views import VoteView, vote_view

__all__ = ["DEADLINE", "Voting"]

DEADLINE = Console(id="deadline")
"""The principal recorded when a vote closes because its deadline passed."""


class Voting:
    """Open and close votes; the chair's call for consensus. Closing adopts through
    ``adoption`` or rejects through ``amendments``; ``votes`` records the closing."""

    def __init__(
        self, ctx: Context, amendments: Amendments, adoption: Adoption, votes: VoteRecords
    ) -> None:
        self._ctx = ctx
        self._amendments = amendments
        self._adoption = adoption
        self._votes = votes

    def open_vote(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        *,
        amendment: int | None = None,
        version: int | None = None,
        rule: DecisionRule | str | None = None,
        quorum: float | None = None,
        secret: bool | None = None,
        weighted: bool = False,
        deadline: dt.datetime | None = None,
    ) -> Vote:
        """Open a vote on an amendment, or on adopting a whole ``version`` (the chair).

        The rule, quorum and secrecy default to the meeting's; eligible organisations and their
        weights are fixed now.
        """
        return self._open(
            actor,
            meeting_id,
            amendment=amendment,
            version=version,
            rule=rule,
            quorum=quorum,
            secret=secret,
            weighted=weighted,
            deadline=deadline,
            mode=VoteMode.VOTE,
        )

    def call_for_consensus(
        self, actor: Principal, meeting_id: MeetingId, amendment: int, *, window: dt.timedelta
    ) -> Vote:
        """The chair proposes adoption by consensus: if no organisation objects within
        ``window``, :meth:`declare_consensus` adopts it; an objection makes it a recorded vote."""
        shortest = self._ctx.read_meeting(meeting_id).procedure.min_consensus_window
        if not dt.timedelta(seconds=shortest) <= window <= dt.timedelta(hours=24):
            raise InvalidInput(
                f"must be between {shortest} seconds (the rules of procedure) and 24 hours",
                field="window",
            )
        return self._open(
            actor,
            meeting_id,
            amendment=amendment,
            version=None,
            rule=DecisionRule.CONSENSUS,
            quorum=0.0,
            secret=False,
            weighted=False,
            deadline=self._ctx.clock() + window,
            mode=VoteMode.CONSENSUS_CALL,
        )

    def _open(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        *,
        amendment: int | None,
        version: int | None,
        rule: DecisionRule | str | None,
        quorum: float | None,
        secret: bool | None,
        weighted: bool,
        deadline: dt.datetime | None,
        mode: VoteMode,
    ) -> Vote:
        if (amendment is None) == (version is None):
            raise InvalidInput("vote on either an amendment or a whole version", field="amendment")
        try:
            chosen_rule = DecisionRule(rule) if rule is not None else None
        except ValueError:
            raise InvalidInput(
                f"{rule!r} is not a rule ({', '.join(r.value for r in DecisionRule)})", field="rule"
            ) from None
        if quorum is not None and not (isinstance(quorum, int | float) and 0 <= quorum <= 1):
            raise InvalidInput("must be a share between 0 and 1", field="quorum")
        now = self._ctx.clock()
        if deadline is not None and deadline <= now:
            raise InvalidInput("the deadline is already past", field="deadline")
        with self._ctx.store.transaction() as uow:
            repo = uow.repo
            repo.lock_meeting(meeting_id)
            meeting = self._ctx.meeting(repo, meeting_id)
            self._ctx.member(meeting, actor, Action.OPEN_VOTE)
            latest = self._ctx.latest(repo, meeting_id)
            if latest.state is VersionState.FROZEN:
                raise InvalidState(f"version {latest.number} is frozen: nothing is left to vote on")
            if amendment is not None:
                target = self._amendments.get(repo, meeting_id, amendment)
                if target.status is not AmendmentStatus.SUBMITTED:
                    raise InvalidState(
                        f"amendment {amendment} is {target.status.value}: only a submitted "
                        "amendment can be put to the vote"
                    )
            elif version != latest.number:
                raise InvalidState(f"only the latest version ({latest.number}) can be adopted")
            vote = self.start_in(
                repo,
                meeting,
                actor,
                now,
                amendment=target if amendment is not None else None,
                version=version,
                rule=chosen_rule,
                quorum=quorum,
                secret=secret,
                weighted=weighted,
                deadline=deadline,
                mode=mode,
            )
            uow.commit()
        return vote

    def start_in(
        self,
        repo: Repository,
        meeting: Meeting,
        actor: Principal,
        now: dt.datetime,
        *,
        amendment: Amendment | None,
        version: int | None,
        rule: DecisionRule | None,
        quorum: float | None,
        secret: bool | None,
        weighted: bool,
        deadline: dt.datetime | None,
        mode: VoteMode,
        reason: str = "",
    ) -> Vote:
        """Record a new vote inside a unit of work, with the meeting's defaults (and, for the
        whole text, its rules of procedure) where ``rule``, ``quorum`` or ``secret`` is unset;
        a submitted amendment goes under vote (a rejected one stays rejected while a motion to
        reconsider it is voted on; ``reason`` is the motion's)."""
        defaults, procedure = meeting.decision, meeting.procedure
        if version is not None:
            rule = rule or procedure.text_rule
            quorum = procedure.text_quorum if quorum is None else quorum
        vote = Vote(
            meeting=meeting.id,
            number=repo.next_vote_number(meeting.id),
            rule=rule or defaults.rule,
            quorum=defaults.quorum if quorum is None else float(quorum),
            secret=defaults.secret if secret is None else secret,
            weighted=weighted,
            eligible=eligible_organisations(meeting, weighted=weighted),
            opened_by=actor.id,
            opened_at=now,
            amendment=amendment.number if amendment is not None else None,
            version=version,
            deadline=deadline,
            mode=mode,
        )
        repo.add_vote(vote)
        self._ctx.append(
            repo,
            meeting.id,
            actor,
            now,
            VoteOpened(
                number=vote.number,
                amendment=vote.amendment,
                version=version,
                rule=vote.rule.value,
                quorum=vote.quorum,
                secret=vote.secret,
                weighted=weighted,
                mode=mode.value,
                deadline=deadline,
                eligible={str(k): v for k, v in vote.eligible.items()},
                reason=reason or msgspec.UNSET,
            ),
        )
        if amendment is not None and amendment.status is AmendmentStatus.SUBMITTED:
            self._amendments.set_status(
                repo,
                amendment,
                AmendmentStatus.UNDER_VOTE,
                actor,
                now,
                f"put to vote {vote.number}",
            )
        return vote

    # -- closing ------------------------------------------------------------------------------

    def close_vote(self, actor: Principal, meeting_id: MeetingId, vote: int) -> Vote:
        """Close a vote (the chair): the rule decides from the stored ballots, once. An adopted
        amendment makes the next version; a failed one is rejected."""
        now = self._ctx.clock()
        with self._ctx.store.transaction() as uow:
            repo = uow.repo
            repo.lock_meeting(meeting_id)
            meeting = self._ctx.meeting(repo, meeting_id)
            self._ctx.member(meeting, actor, Action.CLOSE_VOTE)
            found = self._votes.get(repo, meeting_id, vote)
            if found.state is VoteState.CLOSED:
                raise InvalidState(f"vote {vote} is already closed")
            if found.mode is VoteMode.CONSENSUS_CALL:
                raise InvalidState(
                    f"vote {vote} is a call for consensus: declare consensus when its time is up"
                )
            closed = self.close_in(repo, meeting, found, actor, now, "closed by the chair")
            uow.commit()
        return closed

    def declare_consensus(self, actor: Principal, meeting_id: MeetingId, vote: int) -> Vote:
        """Adopt by consensus (the chair) once the call's time is up without an objection."""
        now = self._ctx.clock()
        with self._ctx.store.transaction() as uow:
            repo = uow.repo
            repo.lock_meeting(meeting_id)
            meeting = self._ctx.meeting(repo, meeting_id)
            self._ctx.member(meeting, actor, Action.CLOSE_VOTE)
            found = self._votes.get(repo, meeting_id, vote)
            if found.state is VoteState.CLOSED or found.mode is not VoteMode.CONSENSUS_CALL:
                raise InvalidState(f"vote {vote} is not an open call for consensus")
            assert found.deadline is not None
            if now < found.deadline:
                raise InvalidState(
                    f"organisations may object until {found.deadline:%H:%M:%S} UTC: wait for it"
                )
            closed = self.close_in(
                repo, meeting, found, actor, now, "declared by consensus: no formal objection"
            )
            uow.commit()
        return closed

    def close_in(
        self,
        repo: Repository,
        meeting: Meeting,
        vote: Vote,
        actor: Principal,
        now: dt.datetime,
        how: str,
    ) -> Vote:
        """Close ``vote`` inside a unit of work: record it, then adopt or reject its amendment
        (or, for a motion to reconsider, submit the rejected amendment again if it carried)."""
        closed = self._votes.close(repo, meeting, vote, actor, now, how)
        result = closed.result
        if vote.mode is VoteMode.RECONSIDERATION:
            if vote.amendment is not None and result is not None:
                self._reconsidered(repo, meeting, closed, vote.amendment, actor, now)
            return closed
        if vote.amendment is not None and result is not None:
            if result.outcome is Outcome.ADOPTED:
                self._adoption.adopt_in(
                    repo, meeting, vote.amendment, actor, now, f"adopted in vote {vote.number}"
                )
            else:
                amendment = self._amendments.get(repo, meeting.id, vote.amendment)
                self._amendments.set_status(
                    repo,
                    amendment,
                    AmendmentStatus.REJECTED,
                    actor,
                    now,
                    f"vote {vote.number}: {result.reason}",
                )
        return closed

    def _reconsidered(
        self,
        repo: Repository,
        meeting: Meeting,
        motion: Vote,
        number: int,
        actor: Principal,
        now: dt.datetime,
    ) -> None:
        """A carried motion to reconsider submits the rejected amendment again, following the
        latest version; a failed one leaves it rejected (its ``VoteClosed`` says so)."""
        amendment = self._amendments.get(repo, meeting.id, number)
        carried = motion.result is not None and motion.result.outcome is Outcome.ADOPTED
        if not carried or amendment.status is not AmendmentStatus.REJECTED:
            return
        reopened = self._amendments.set_status(
            repo,
            amendment,
            AmendmentStatus.SUBMITTED,
            actor,
            now,
            f"reconsidered in vote {motion.number}: the motion carried under "
            f"{motion.rule.value.replace('_', ' ')}",
        )
        latest = self._ctx.latest(repo, meeting.id)
        self._amendments.rebase_one(repo, meeting, reopened, latest, actor, now)

    # -- reading ------------------------------------------------------------------------------

    def vote(self, actor: Principal, meeting_id: MeetingId, number: int) -> VoteView:
        """A vote with its live tally; who voted how only in a roll-call vote."""
        with self._ctx.store.reading() as uow:
            meeting = self._ctx.meeting(uow.repo, meeting_id)
            self._ctx.member(meeting, actor, Action.READ)
            found = self._votes.get(uow.repo, meeting_id, number)
            current = uow.repo.current_ballots(meeting_id, number)
        return vote_view(found, current, meeting.procedure)

    def votes(
        self, actor: Principal, meeting_id: MeetingId, *, open_only: bool = False
    ) -> list[Vote]:
        """The meeting's votes, oldest first."""
        with self._ctx.store.reading() as uow:
            meeting = self._ctx.meeting(uow.repo, meeting_id)
            self._ctx.member(meeting, actor, Action.READ)
            return uow.repo.list_votes(meeting_id, open_only=open_only)

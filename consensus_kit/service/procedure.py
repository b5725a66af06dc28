"""The rules of procedure at work: putting a question to a recorded vote under the fallback
rule after a call for consensus drew an objection, and reconsidering a rejected amendment (by
the chair, or by a recorded vote on a motion to reconsider it).

What the rules allow comes from the meeting file's ``[procedure]`` table
(:class:`~consensus_kit.domain.model.Procedure`); each act is an event, and the new vote's
``VoteOpened`` event records the rule it is taken under.
"""

from __future__ import annotations

from consensus_kit.domain.amendments import Amendment, AmendmentStatus, may_reconsider
from consensus_kit.domain.ids import MeetingId
from consensus_kit.domain.model import Reconsideration, VersionState
from consensus_kit.domain.permissions import Action, Principal
from consensus_kit.domain.text import LIMITS, check_text
from consensus_kit.domain.voting import Vote, VoteMode, fallback_rule
from consensus_kit.errors import InvalidState
from consensus_kit.service.amendments import Amendments
from consensus_kit.service.context import Context
from consensus_kit.service.vote_records import VoteRecords
from consensus_kit.service.voting import Voting

__all__ = ["RulesOfProcedure"]


class RulesOfProcedure:
    """The fallback vote and reconsideration; the votes are recorded through ``votes`` and
    opened through ``voting``, amendments reopened through ``amendments``."""

    def __init__(
        self, ctx: Context, amendments: Amendments, votes: VoteRecords, voting: Voting
    ) -> None:
        self._ctx = ctx
        self._amendments = amendments
        self._votes = votes
        self._voting = voting

    def put_to_fallback(self, actor: Principal, meeting_id: MeetingId, vote: int) -> Vote:
        """After an objection to a call for consensus (the chair): end that vote and put the
        same question to a new recorded vote under the rules' ``consensus_fallback`` rule.

        Refused when the rules keep an objection binding, or when no objection was made.
        """
        now = self._ctx.clock()
        with self._ctx.store.transaction() as uow:
            repo = uow.repo
            repo.lock_meeting(meeting_id)
            meeting = self._ctx.meeting(repo, meeting_id)
            self._ctx.member(meeting, actor, Action.OPEN_VOTE)
            found = self._votes.get(repo, meeting_id, vote)
            if meeting.procedure.consensus_fallback is None:
                raise InvalidState(
                    "the rules of procedure keep a formal objection binding "
                    '(procedure.consensus_fallback = "none")'
                )
            current = {b.organisation: b.choice for b in repo.current_ballots(meeting_id, vote)}
            fallback = fallback_rule(found, meeting.procedure, current)
            if fallback is None:
                raise InvalidState(
                    f"vote {vote} is not an open call for consensus that drew an objection"
                )
            self._votes.close(
                repo,
                meeting,
                found,
                actor,
                now,
                "ended by the chair",
                cancelled=f"put to a recorded vote under {fallback.value.replace('_', ' ')} "
                "after a formal objection (rules of procedure)",
            )
            target = (
                self._amendments.get(repo, meeting_id, found.amendment)
                if found.amendment is not None
                else None
            )
            opened = self._voting.start_in(
                repo,
                meeting,
                actor,
                now,
                amendment=target,
                version=found.version,
                rule=fallback,
                quorum=None,
                secret=None,
                weighted=found.weighted,
                deadline=None,
                mode=VoteMode.VOTE,
            )
            uow.commit()
        return opened

    def reconsider_amendment(
        self, actor: Principal, meeting_id: MeetingId, number: int, *, reason: str
    ) -> Amendment:
        """Reopen a rejected amendment (the chair), when the rules of procedure allow it: it is
        submitted again, following the latest version (rebased, or needing an update)."""
        reason = check_text(reason, field="reason", limit=LIMITS["note"])
        now = self._ctx.clock()
        with self._ctx.store.transaction() as uow:
            repo = uow.repo
            repo.lock_meeting(meeting_id)
            meeting = self._ctx.meeting(repo, meeting_id)
            self._ctx.member(meeting, actor, Action.RECONSIDER_AMENDMENT)
            rules = meeting.procedure.reconsideration
            if rules is Reconsideration.VOTE:
                raise InvalidState(
                    "the rules of procedure put reconsidering a rejected amendment to a vote "
                    '(procedure.reconsideration = "vote"): move to reconsider it instead'
                )
            if rules is not Reconsideration.CHAIR:
                raise InvalidState(
                    "the rules of procedure do not allow reconsidering a rejected amendment "
                    '(procedure.reconsideration = "none")'
                )
            amendment = self._amendments.get(repo, meeting_id, number)
            if not may_reconsider(amendment, meeting.procedure):
                raise InvalidState(
                    f"amendment {number} is {amendment.status.value}: only a rejected "
                    "amendment can be reconsidered"
                )
            latest = self._ctx.latest(repo, meeting_id)
            if latest.state is VersionState.FROZEN:
                raise InvalidState(f"version {latest.number} is frozen: nothing can be adopted")
            reopened = self._amendments.set_status(
                repo,
                amendment,
                AmendmentStatus.SUBMITTED,
                actor,
                now,
                f"reconsidered: {reason}",
            )
            followed = self._amendments.rebase_one(repo, meeting, reopened, latest, actor, now)
            uow.commit()
        return followed

    def move_to_reconsider(
        self, actor: Principal, meeting_id: MeetingId, number: int, *, reason: str
    ) -> Vote:
        """Put a motion to reconsider a rejected amendment to a recorded vote (the chair, as a
        delegation moved it on the floor), when the rules of procedure say
        ``reconsideration = "vote"``. The vote is under ``procedure.reconsideration_rule``;
        closing it submits the amendment again if the motion carried, else it stays rejected.

        Refused when the rules do not put reconsideration to a vote, when the amendment is not
        rejected, when a motion on it is already open, or when the text is frozen.
        """
        reason = check_text(reason, field="reason", limit=LIMITS["note"])
        now = self._ctx.clock()
        with self._ctx.store.transaction() as uow:
            repo = uow.repo
            repo.lock_meeting(meeting_id)
            meeting = self._ctx.meeting(repo, meeting_id)
            self._ctx.member(meeting, actor, Action.RECONSIDER_AMENDMENT)
            rules = meeting.procedure.reconsideration
            if rules is not Reconsideration.VOTE:
                raise InvalidState(
                    "the rules of procedure do not put reconsidering a rejected amendment to a "
                    f'vote (procedure.reconsideration = "{rules.value}")'
                )
            amendment = self._amendments.get(repo, meeting_id, number)
            if amendment.status is not AmendmentStatus.REJECTED:
                raise InvalidState(
                    f"amendment {number} is {amendment.status.value}: only a rejected "
                    "amendment can be reconsidered"
                )
            for vote in repo.list_votes(meeting_id, open_only=True):
                if vote.amendment == number and vote.mode is VoteMode.RECONSIDERATION:
                    raise InvalidState(
                        f"a motion to reconsider amendment {number} is already open "
                        f"(vote {vote.number}): close it first"
                    )
            latest = self._ctx.latest(repo, meeting_id)
            if latest.state is VersionState.FROZEN:
                raise InvalidState(f"version {latest.number} is frozen: nothing can be adopted")
            opened = self._voting.start_in(
                repo,
                meeting,
                actor,
                now,
                amendment=amendment,
                version=None,
                rule=meeting.procedure.reconsideration_rule,
                quorum=None,
                secret=None,
                weighted=False,
                deadline=None,
                mode=VoteMode.RECONSIDERATION,
                reason=reason,
            )
            uow.commit()
        return opened

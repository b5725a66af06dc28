"""Drafting: propose, submit, withdraw and co-sponsor amendments; read them with their diffs.

Nothing is merged silently: an amendment whose words were changed by another adopted amendment
is marked "needs update" with the conflicting words quoted, and its sponsor revises it.
"""

from __future__ import annotations

import msgspec

from consensus_kit.domain.amendments import (
    OPEN_STATUSES,
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    check_intent,
    parse_kind,
    target_texts,
)
from consensus_kit.domain.diff import DiffOp, diff_texts
from consensus_kit.domain.events import (
    AmendmentProposed,
    CosponsorJoined,
)
from consensus_kit.domain.ids import ArticleId, DelegateId, Lang, MeetingId
from consensus_kit.domain.model import VersionState
from consensus_kit.domain.permissions import Action, Principal
from consensus_kit.domain.text import LIMITS, check_text
from consensus_kit.domain.voting import VoteMode
from consensus_kit.errors import InvalidInput, InvalidState
from consensus_kit.service.amendments import Amendments, AmendmentView
from consensus_kit.service.context import Context
from consensus_kit.service.versions import Versions

__all__ = ["Drafting"]


class Drafting:
    """Proposing, submitting, withdrawing, co-sponsoring and reading amendments; the words a
    proposal starts from come from ``versions``."""

    def __init__(self, ctx: Context, amendments: Amendments, versions: Versions) -> None:
        self._ctx = ctx
        self._amendments = amendments
        self._versions = versions

    # -- proposing ----------------------------------------------------------------------------

    def propose_amendment(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        *,
        kind: AmendmentKind | str,
        texts: dict[str, str] | None = None,
        article: str | None = None,
        after: str | None = None,
        rationale: str = "",
        base_version: int | None = None,
        draft: bool = False,
        intent: dict[str, str] | None = None,
        based_on: dict[str, str] | None = None,
    ) -> Amendment:
        """Propose an amendment for the actor's organisation against ``base_version`` (latest).

        ``draft=True`` keeps it as a draft until :meth:`submit_amendment`. ``intent`` says per
        language what the sponsor means: ``"changed"``, ``"confirmed"`` (checked: the current
        words still match, so they stay in step when the amendment is adopted) or
        ``"secretariat"`` (the default: a language whose words the amendment does not change
        goes stale when the negotiating words change, until the secretariat sees to it).
        ``based_on``, when given, is the words the proposer started from (what a form showed):
        a proposal whose target's words in ``base_version`` are not these is refused, so that
        text written for one article never lands on another.
        """
        kind = parse_kind(kind)
        rationale = check_text(rationale, field="rationale", limit=LIMITS["note"], required=False)
        now = self._ctx.clock()
        with self._ctx.store.transaction() as uow:
            repo = uow.repo
            repo.lock_meeting(meeting_id)
            meeting = self._ctx.meeting(repo, meeting_id)
            self._ctx.member(meeting, actor, Action.PROPOSE_AMENDMENT)
            sponsor = self._amendments.sponsor_of(meeting, actor, Action.PROPOSE_AMENDMENT)
            latest = self._ctx.latest(repo, meeting_id)
            base = latest if base_version is None else repo.get_version(meeting_id, base_version)
            if base is None:
                raise InvalidInput(f"no version {base_version}", field="base_version")
            if latest.state is VersionState.FROZEN:
                raise InvalidState(f"version {latest.number} is frozen: no more amendments")
            checked = self._amendments.check_texts(meeting, kind, texts or {})
            self._amendments.check_target(base.declaration, kind, article, after)
            base_texts = target_texts(
                base.declaration, kind, ArticleId(article) if article else None
            )
            if based_on is not None and {k: v for k, v in based_on.items() if v} != {
                str(k): v for k, v in base_texts.items() if v
            }:
                raise InvalidInput(
                    "the words were written from another text than the current words of "
                    f"{article or kind.value}: start again from its current words",
                    field="article",
                )
            wishes = check_intent(
                intent or {},
                kind=kind,
                texts=checked,
                base_texts=base_texts,
                languages=meeting.languages,
                negotiating=meeting.negotiating_language,
            )
            amendment = Amendment(
                meeting=meeting_id,
                number=repo.next_amendment_number(meeting_id),
                kind=kind,
                base_version=base.number,
                sponsor=sponsor,
                proposed_by=DelegateId(actor.id),
                created_at=now,
                status=AmendmentStatus.DRAFT if draft else AmendmentStatus.SUBMITTED,
                article=ArticleId(article) if article else None,
                after=ArticleId(after) if after else None,
                texts=checked,
                base_texts=base_texts,
                rationale=rationale,
                intent=wishes,
            )
            repo.add_amendment(amendment)
            self._ctx.append(
                repo,
                meeting_id,
                actor,
                now,
                AmendmentProposed(
                    number=amendment.number,
                    kind=kind.value,
                    base_version=base.number,
                    sponsor=sponsor,
                    status=amendment.status.value,
                    article=article,
                    after=after,
                    texts={str(k): v for k, v in checked.items()},
                    rationale=rationale,
                    intent={str(k): v.value for k, v in wishes.items()}
                    if wishes
                    else msgspec.UNSET,
                ),
            )
            if base.number != latest.number:
                amendment = self._amendments.rebase_one(
                    repo, meeting, amendment, latest, actor, now
                )
            uow.commit()
        return amendment

    def submit_amendment(self, actor: Principal, meeting_id: MeetingId, number: int) -> Amendment:
        """Submit a draft amendment (its sponsor only)."""
        return self._sponsor_moves(
            actor,
            meeting_id,
            number,
            AmendmentStatus.SUBMITTED,
            Action.PROPOSE_AMENDMENT,
            "submitted by its sponsor",
        )

    def withdraw_amendment(self, actor: Principal, meeting_id: MeetingId, number: int) -> Amendment:
        """Withdraw an amendment before it is put to the vote (its sponsor only)."""
        return self._sponsor_moves(
            actor,
            meeting_id,
            number,
            AmendmentStatus.WITHDRAWN,
            Action.WITHDRAW_AMENDMENT,
            "withdrawn by its sponsor",
        )

    def _sponsor_moves(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        number: int,
        new: AmendmentStatus,
        action: Action,
        reason: str,
    ) -> Amendment:
        now = self._ctx.clock()
        with self._ctx.store.transaction() as uow:
            uow.repo.lock_meeting(meeting_id)
            meeting = self._ctx.meeting(uow.repo, meeting_id)
            self._ctx.member(meeting, actor, action)
            amendment = self._amendments.get(uow.repo, meeting_id, number)
            self._ctx.acts_for(actor, amendment.sponsor, action)
            if new is AmendmentStatus.SUBMITTED and amendment.status is not AmendmentStatus.DRAFT:
                raise InvalidState(f"amendment {number} is {amendment.status.value}, not a draft")
            updated = self._amendments.set_status(uow.repo, amendment, new, actor, now, reason)
            uow.commit()
        return updated

    def cosponsor_amendment(
        self, actor: Principal, meeting_id: MeetingId, number: int
    ) -> Amendment:
        """The actor's organisation joins an open amendment as co-sponsor."""
        now = self._ctx.clock()
        with self._ctx.store.transaction() as uow:
            uow.repo.lock_meeting(meeting_id)
            meeting = self._ctx.meeting(uow.repo, meeting_id)
            self._ctx.member(meeting, actor, Action.COSPONSOR_AMENDMENT)
            org = self._amendments.sponsor_of(meeting, actor, Action.COSPONSOR_AMENDMENT)
            amendment = self._amendments.get(uow.repo, meeting_id, number)
            if amendment.status not in OPEN_STATUSES:
                raise InvalidState(f"amendment {number} is {amendment.status.value}: it is closed")
            if org == amendment.sponsor or org in amendment.cosponsors:
                raise InvalidState(f"{org} already sponsors amendment {number}")
            updated = msgspec.structs.replace(amendment, cosponsors=(*amendment.cosponsors, org))
            uow.repo.save_amendment(updated)
            self._ctx.append(
                uow.repo, meeting_id, actor, now, CosponsorJoined(number=number, organisation=org)
            )
            uow.commit()
        return updated

    def current_words(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        *,
        kind: AmendmentKind | str,
        article: str | None = None,
    ) -> dict[Lang, str]:
        """The latest texts an amendment of ``kind`` on ``article`` would change (the words a
        proposal form starts from; empty for an inserted article)."""
        chosen = parse_kind(kind)
        latest = self._versions.version(actor, meeting_id).declaration
        return target_texts(latest, chosen, ArticleId(article) if article else None)

    def preview_amendment(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        *,
        kind: AmendmentKind | str,
        article: str | None = None,
        texts: dict[str, str],
    ) -> dict[Lang, list[DiffOp]]:
        """The diff per language that a proposal with ``texts`` would show, nothing stored."""
        base = self.current_words(actor, meeting_id, kind=kind, article=article)
        return {
            Lang(lang): diff_texts(base.get(Lang(lang), ""), text, lang=lang)
            for lang, text in texts.items()
        }

    # -- reading ------------------------------------------------------------------------------

    def amendment(self, actor: Principal, meeting_id: MeetingId, number: int) -> AmendmentView:
        """One amendment with its diff in every language it has text for."""
        with self._ctx.store.reading() as uow:
            meeting = self._ctx.meeting(uow.repo, meeting_id)
            self._ctx.member(meeting, actor, Action.READ)
            found = self._amendments.get(uow.repo, meeting_id, number)
            stored = uow.repo.stored_diffs(meeting_id, number=number)
            motion = None
            if found.status is AmendmentStatus.REJECTED:
                motion = next(
                    (
                        v.number
                        for v in uow.repo.list_votes(meeting_id, open_only=True)
                        if v.amendment == number and v.mode is VoteMode.RECONSIDERATION
                    ),
                    None,
                )
        view = self._amendments.view(meeting, found, stored.get(number))
        if motion is None:
            return view
        return msgspec.structs.replace(view, motion=motion, reconsiderable=False)

    def amendments(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        *,
        article: str | None = None,
        open_only: bool = False,
        limit: int | None = None,
    ) -> list[AmendmentView]:
        """Amendments of a meeting (or of one article), in order, with their diffs; only the
        first ``limit`` with one (a page that shows the first hundred of a thousand reads a
        hundred)."""
        with self._ctx.store.reading() as uow:
            meeting = self._ctx.meeting(uow.repo, meeting_id)
            self._ctx.member(meeting, actor, Action.READ)
            statuses = OPEN_STATUSES if open_only else None
            found = uow.repo.amendments_with_diffs(
                meeting_id, statuses=statuses, article=article, limit=limit
            )
        return [self._amendments.view(meeting, a, stored) for a, stored in found]

    def amendment_count(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        *,
        open_only: bool = False,
        article: str | None = None,
    ) -> int:
        """How many amendments a meeting (or one article) has, open ones only with
        ``open_only``, counted by the database: for pages that show the number, not the
        words."""
        with self._ctx.store.reading() as uow:
            meeting = self._ctx.meeting(uow.repo, meeting_id)
            self._ctx.member(meeting, actor, Action.READ)
            return uow.repo.count_amendments(
                meeting_id, statuses=OPEN_STATUSES if open_only else None, article=article
            )

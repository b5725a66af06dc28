"""The amendments room: what every amendment operation shares — look-ups, checks, status
changes, and following an open amendment onto a new version (rebase, or mark it needs update /
superseded). Drafting, adoption, comments, voting and exports take it in their constructors.

Nothing is merged silently: an amendment whose words were changed by another adopted amendment
is marked "needs update" with the conflicting words quoted, and its sponsor revises it.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from consensus_kit.domain.amendments import (
    OPEN_STATUSES,
    TEXT_KINDS,
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    amendment_diffs,
    check_transition,
    may_reconsider,
    modification_diffs,
    target_texts,
)
from consensus_kit.domain.compromise import MERGEABLE_LATER, SETTLING_STATUSES
from consensus_kit.domain.diff import DiffOp
from consensus_kit.domain.events import AmendmentRevised, AmendmentStatusChanged
from consensus_kit.domain.ids import ArticleId, Lang, MeetingId, OrgId
from consensus_kit.domain.lines import touched_lines
from consensus_kit.domain.model import Declaration, Meeting, Version
from consensus_kit.domain.permissions import Action, Console, Principal
from consensus_kit.domain.rebase import rebase_text
from consensus_kit.domain.text import LIMITS, check_text
from consensus_kit.errors import InvalidInput, NotFound, NotPermitted
from consensus_kit.service.context import Context
from consensus_kit.service.ports import Repository
from consensus_kit.service.vote_records import VoteRecords

__all__ = ["AmendmentView", "Amendments"]

_TEXT_LIMIT = {
    AmendmentKind.TITLE: LIMITS["title"],
    AmendmentKind.PREAMBLE: LIMITS["preamble"],
    AmendmentKind.REPLACE: LIMITS["article"],
    AmendmentKind.INSERT: LIMITS["article"],
}


class AmendmentView(msgspec.Struct, frozen=True, kw_only=True):
    """An amendment with what a reader needs: its diff per language and pending translations."""

    amendment: Amendment
    diffs: dict[Lang, list[DiffOp]]
    pending: list[Lang]
    reconsiderable: bool = False
    """Whether the rules of procedure let it be reconsidered now (rejected, no motion open)."""
    motion: int | None = None
    """The open vote on a motion to reconsider it, if any."""
    modification: dict[Lang, list[DiffOp]] = msgspec.field(default_factory=dict)
    """Adopted with a modification: per language, the proposal → the words adopted."""
    lines: dict[Lang, list[int]] = msgspec.field(default_factory=dict)
    """Per language, the numbers of the lines of the base text it touches (the meeting's line
    widths; a deleted article: all its lines; a new article or a move: none)."""


class Amendments:
    """Look-ups, checks, status changes and rebasing of amendments. It stops the open votes on
    an amendment that must be updated through ``votes``, the record of votes."""

    def __init__(self, ctx: Context, votes: VoteRecords) -> None:
        self._ctx = ctx
        self._votes = votes

    def get(self, repo: Repository, meeting_id: MeetingId, number: int) -> Amendment:
        found = repo.get_amendment(meeting_id, number)
        if found is None:
            raise NotFound(f"no amendment {number} in meeting {meeting_id!r}")
        return found

    def check_texts(
        self, meeting: Meeting, kind: AmendmentKind, texts: dict[str, str]
    ) -> dict[Lang, str]:
        if kind not in TEXT_KINDS:
            if texts:
                raise InvalidInput(f"a {kind.value} amendment carries no text", field="texts")
            return {}
        if not isinstance(texts, dict):
            raise InvalidInput("expected language → text", field="texts")
        checked: dict[Lang, str] = {}
        for lang, text in texts.items():
            if lang not in meeting.languages:
                raise InvalidInput(
                    f"{lang!r} is not one of the meeting's languages "
                    f"({', '.join(meeting.languages)})",
                    field=f"texts.{lang}",
                )
            checked[Lang(lang)] = check_text(text, field=f"texts.{lang}", limit=_TEXT_LIMIT[kind])
        if not checked:
            raise InvalidInput("give the proposed text in at least one language", field="texts")
        if kind is AmendmentKind.INSERT and meeting.negotiating_language not in checked:
            raise InvalidInput(
                "a new article needs its text in the negotiating language",
                field=f"texts.{meeting.negotiating_language}",
            )
        return checked

    def check_target(
        self, declaration: Declaration, kind: AmendmentKind, article: str | None, after: str | None
    ) -> None:
        needs_article = kind in (AmendmentKind.REPLACE, AmendmentKind.DELETE, AmendmentKind.MOVE)
        if needs_article and (article is None or declaration.article(ArticleId(article)) is None):
            raise InvalidInput(f"no article {article!r} in the base version", field="article")
        if not needs_article and article is not None:
            raise InvalidInput(f"a {kind.value} amendment has no target article", field="article")
        if kind in (AmendmentKind.INSERT, AmendmentKind.MOVE):
            if after is not None and declaration.article(ArticleId(after)) is None:
                raise InvalidInput(f"no article {after!r} to place it after", field="after")
            if kind is AmendmentKind.MOVE and after == article:
                raise InvalidInput("an article cannot be moved after itself", field="after")
        elif after is not None:
            raise InvalidInput(f"a {kind.value} amendment has no position", field="after")

    def set_status(
        self,
        repo: Repository,
        amendment: Amendment,
        new: AmendmentStatus,
        actor: Principal,
        at: dt.datetime,
        reason: str = "",
        **changes: object,
    ) -> Amendment:
        check_transition(amendment.status, new, number=amendment.number)
        if amendment.status is AmendmentStatus.UNDER_VOTE and new in (
            AmendmentStatus.NEEDS_UPDATE,
            AmendmentStatus.SUPERSEDED,
        ):
            meeting = self._ctx.meeting(repo, amendment.meeting)
            self._votes.cancel_on(
                repo, meeting, amendment.number, actor, at, f"amendment {new.value}: {reason}"
            )
        updated = msgspec.structs.replace(amendment, status=new, **changes)
        repo.save_amendment(updated)
        self._ctx.append(
            repo,
            amendment.meeting,
            actor,
            at,
            AmendmentStatusChanged(
                number=amendment.number,
                old=amendment.status.value,
                new=new.value,
                reason=reason,
            ),
        )
        if updated.merges and new in SETTLING_STATUSES:
            self._settle_merged(repo, updated, actor, at)
        return updated

    def _settle_merged(
        self, repo: Repository, compromise: Amendment, actor: Principal, at: dt.datetime
    ) -> None:
        """A compromise text was decided: the amendments it merges are merged into it when it
        is adopted, and reopened (then follow the latest text) when it is not."""
        adopted = compromise.status is AmendmentStatus.ADOPTED
        latest = None if adopted else self._ctx.latest(repo, compromise.meeting)
        for number in compromise.merges:
            merged = repo.get_amendment(compromise.meeting, number)
            if merged is None or merged.merged_into != compromise.number:
                continue
            if adopted and merged.status in MERGEABLE_LATER:
                self.set_status(
                    repo,
                    merged,
                    AmendmentStatus.MERGED,
                    actor,
                    at,
                    f"merged into amendment {compromise.number}, adopted",
                )
            elif latest is not None and merged.status is AmendmentStatus.IN_COMPROMISE:
                reopened = self.set_status(
                    repo,
                    merged,
                    AmendmentStatus.SUBMITTED,
                    actor,
                    at,
                    f"reopened: compromise {compromise.number} was "
                    f"{compromise.status.value.replace('_', ' ')}",
                    merged_into=None,
                )
                meeting = self._ctx.meeting(repo, compromise.meeting)
                self.rebase_one(repo, meeting, reopened, latest, actor, at)

    def sponsor_of(self, meeting: Meeting, actor: Principal, action: Action) -> OrgId:
        if isinstance(actor, Console) or actor.organisation is None:
            raise NotPermitted(
                "amendments are proposed by organisations: act as one of their delegates",
                actor=actor.id,
                action=action.value,
            )
        org = meeting.organisation(actor.organisation)
        if org is None or org.observer:
            raise NotPermitted(
                f"{actor.organisation} observes this meeting and cannot "
                f"{action.value.replace('_', ' ')}",
                actor=actor.id,
                action=action.value,
            )
        return org.id

    def view(
        self,
        meeting: Meeting,
        amendment: Amendment,
        stored: dict[Lang, list[DiffOp]] | None = None,
    ) -> AmendmentView:
        """The amendment with its diffs: ``stored`` (read with it) or, for a row written
        before diffs were stored, computed now."""
        diffs = amendment_diffs(amendment) if stored is None else stored
        return AmendmentView(
            amendment=amendment,
            diffs=diffs,
            lines=touched_lines(amendment, meeting.lines, diffs),
            pending=amendment.pending_languages(meeting.languages),
            reconsiderable=may_reconsider(amendment, meeting.procedure),
            modification=modification_diffs(amendment),
        )

    def rebase_one(
        self,
        repo: Repository,
        meeting: Meeting,
        amendment: Amendment,
        version: Version,
        actor: Principal,
        now: dt.datetime,
    ) -> Amendment:
        """Follow ``amendment`` onto ``version``: rebase, or mark it needs update / superseded.

        Whatever state the amendment is already in, this never refuses: an adoption or a vote
        on another amendment must not fail because of this one (one that already needs an
        update stays so, see :meth:`_follow_needing_update`)."""
        declaration = version.declaration
        kind = amendment.kind
        if kind in (AmendmentKind.REPLACE, AmendmentKind.DELETE, AmendmentKind.MOVE) and (
            amendment.article is None or declaration.article(amendment.article) is None
        ):
            return self.set_status(
                repo,
                amendment,
                AmendmentStatus.SUPERSEDED,
                actor,
                now,
                f"article {amendment.article} was deleted in version {version.number}",
            )
        if amendment.status is AmendmentStatus.NEEDS_UPDATE:
            return self._follow_needing_update(repo, amendment, version, actor, now)
        if amendment.after is not None and declaration.article(amendment.after) is None:
            return self.set_status(
                repo,
                amendment,
                AmendmentStatus.NEEDS_UPDATE,
                actor,
                now,
                f"article {amendment.after}, after which it goes, was deleted in version "
                f"{version.number}",
                conflict=f"article {amendment.after} no longer exists",
            )
        theirs = target_texts(declaration, kind, amendment.article)
        if theirs == amendment.base_texts or kind is AmendmentKind.INSERT:
            return amendment  # its words did not move: nothing to do
        if kind in (AmendmentKind.DELETE, AmendmentKind.MOVE):
            return self._record_rebase(
                repo, amendment, amendment.texts, theirs, version, actor, now
            )
        rebased: dict[Lang, str] = {}
        conflicts: list[str] = []
        proposed: list[bool] = []  # per language that proposes a change: already in the text?
        for lang, ours in amendment.texts.items():
            base = amendment.base_texts.get(lang, "")
            result = rebase_text(base, ours, theirs.get(lang, ""), lang=lang)
            if result.text is None:
                conflicts.append(f"[{lang}] {result.conflict}")
                continue
            rebased[lang] = result.text
            if ours != base:
                proposed.append(result.already_in)
        already = bool(proposed) and all(proposed)
        if conflicts:
            return self.set_status(
                repo,
                amendment,
                AmendmentStatus.NEEDS_UPDATE,
                actor,
                now,
                f"version {version.number} changed the same words",
                conflict="; ".join(conflicts),
            )
        if already:
            return self._already_said(repo, amendment, version, actor, now)
        return self._record_rebase(repo, amendment, rebased, theirs, version, actor, now)

    def follow(
        self,
        repo: Repository,
        meeting: Meeting,
        version: Version,
        actor: Principal,
        now: dt.datetime,
    ) -> None:
        """Follow every open amendment onto ``version``, the new latest one, however it was
        made (an adoption, a translation update, a version the chair published)."""
        for amendment in repo.list_amendments(meeting.id, statuses=OPEN_STATUSES):
            self.rebase_one(repo, meeting, amendment, version, actor, now)

    def _follow_needing_update(
        self,
        repo: Repository,
        amendment: Amendment,
        version: Version,
        actor: Principal,
        now: dt.datetime,
    ) -> Amendment:
        """An amendment that already needs an update stays so — its sponsor rewrites it against
        the latest version — unless ``version`` already says everything it proposed."""
        theirs = target_texts(version.declaration, amendment.kind, amendment.article)
        proposed = [
            lang
            for lang, text in amendment.texts.items()
            if text != amendment.base_texts.get(lang, "")
        ]
        if proposed and all(theirs.get(lang) == amendment.texts[lang] for lang in proposed):
            return self._already_said(repo, amendment, version, actor, now)
        return amendment

    def _already_said(
        self,
        repo: Repository,
        amendment: Amendment,
        version: Version,
        actor: Principal,
        now: dt.datetime,
    ) -> Amendment:
        return self.set_status(
            repo,
            amendment,
            AmendmentStatus.SUPERSEDED,
            actor,
            now,
            f"version {version.number} already says what it proposed",
        )

    def _record_rebase(
        self,
        repo: Repository,
        amendment: Amendment,
        texts: dict[Lang, str],
        base_texts: dict[Lang, str],
        version: Version,
        actor: Principal,
        now: dt.datetime,
    ) -> Amendment:
        updated = msgspec.structs.replace(
            amendment,
            texts=texts,
            base_texts=base_texts,
            base_version=version.number,
            rebased_from=(*amendment.rebased_from, amendment.base_version),
        )
        repo.save_amendment(updated)
        self._ctx.append(
            repo,
            amendment.meeting,
            actor,
            now,
            AmendmentRevised(
                number=amendment.number,
                base_version=version.number,
                texts={str(k): v for k, v in texts.items()},
                rationale=amendment.rationale,
                reason=f"rebased from version {amendment.base_version} onto {version.number}",
            ),
        )
        return updated

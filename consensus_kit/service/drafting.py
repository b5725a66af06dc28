"""Drafting: propose, revise, withdraw, co-sponsor, adopt or reject amendments; rebase the
others when the text moves; keep translations in step; lint a version.

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
    apply_amendment,
    check_transition,
    target_texts,
)
from consensus_kit.domain.declaration import StaleTranslation, check_declaration, stale_translations
from consensus_kit.domain.diff import DiffOp, diff_texts
from consensus_kit.domain.events import (
    AmendmentAdopted,
    AmendmentProposed,
    AmendmentRevised,
    AmendmentStatusChanged,
    CosponsorJoined,
    TranslationsUpdated,
    VersionPublished,
)
from consensus_kit.domain.hashing import declaration_hash
from consensus_kit.domain.ids import ArticleId, DelegateId, Lang, MeetingId, OrgId
from consensus_kit.domain.lint import LintFinding, lint_declaration
from consensus_kit.domain.model import Article, Declaration, Meeting, Version, VersionState
from consensus_kit.domain.permissions import Action, Console, Principal
from consensus_kit.domain.rebase import rebase_text
from consensus_kit.domain.text import LIMITS, check_text
from consensus_kit.errors import InvalidInput, InvalidState, NotFound, NotPermitted
from consensus_kit.service.meetings import MeetingOperations
from consensus_kit.service.ports import Repository

__all__ = ["AmendmentView", "DraftingOperations"]

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


class DraftingOperations(MeetingOperations):
    """Amendments, rebasing, translations and the parity check."""

    # -- helpers ------------------------------------------------------------------------------

    def _latest(self, repo: Repository, meeting_id: MeetingId) -> Version:
        number = repo.latest_version_number(meeting_id)
        version = repo.get_version(meeting_id, number) if number else None
        if version is None:
            raise NotFound(f"meeting {meeting_id!r} has no version yet")
        return version

    def _amendment(self, repo: Repository, meeting_id: MeetingId, number: int) -> Amendment:
        found = repo.get_amendment(meeting_id, number)
        if found is None:
            raise NotFound(f"no amendment {number} in meeting {meeting_id!r}")
        return found

    def _check_texts(
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

    def _check_target(
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

    def _set_status(
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
            meeting = self._meeting(repo, amendment.meeting)
            self._stop_votes_on(
                repo, meeting, amendment, actor, at, f"amendment {new.value}: {reason}"
            )
        updated = msgspec.structs.replace(amendment, status=new, **changes)
        repo.save_amendment(updated)
        self._append(
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
        return updated

    def _sponsor_of(self, meeting: Meeting, actor: Principal, action: Action) -> OrgId:
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
    ) -> Amendment:
        """Propose an amendment for the actor's organisation against ``base_version`` (latest).

        ``draft=True`` keeps it as a draft until :meth:`submit_amendment`.
        """
        try:
            kind = AmendmentKind(kind)
        except ValueError:
            raise InvalidInput(
                f"{kind!r} is not a kind of amendment "
                f"({', '.join(k.value for k in AmendmentKind)})",
                field="kind",
            ) from None
        rationale = check_text(rationale, field="rationale", limit=LIMITS["note"], required=False)
        now = self._clock()
        with self.store.transaction() as uow:
            repo = uow.repo
            repo.lock_meeting(meeting_id)
            meeting = self._meeting(repo, meeting_id)
            self._member(meeting, actor, Action.PROPOSE_AMENDMENT)
            sponsor = self._sponsor_of(meeting, actor, Action.PROPOSE_AMENDMENT)
            latest = self._latest(repo, meeting_id)
            base = latest if base_version is None else repo.get_version(meeting_id, base_version)
            if base is None:
                raise InvalidInput(f"no version {base_version}", field="base_version")
            if latest.state is VersionState.FROZEN:
                raise InvalidState(f"version {latest.number} is frozen: no more amendments")
            checked = self._check_texts(meeting, kind, texts or {})
            self._check_target(base.declaration, kind, article, after)
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
                base_texts=target_texts(
                    base.declaration, kind, ArticleId(article) if article else None
                ),
                rationale=rationale,
            )
            repo.add_amendment(amendment)
            self._append(
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
                ),
            )
            if base.number != latest.number:
                amendment = self._rebase_one(repo, meeting, amendment, latest, actor, now)
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
        now = self._clock()
        with self.store.transaction() as uow:
            uow.repo.lock_meeting(meeting_id)
            meeting = self._meeting(uow.repo, meeting_id)
            self._member(meeting, actor, action)
            amendment = self._amendment(uow.repo, meeting_id, number)
            self._acts_for(actor, amendment.sponsor, action)
            if new is AmendmentStatus.SUBMITTED and amendment.status is not AmendmentStatus.DRAFT:
                raise InvalidState(f"amendment {number} is {amendment.status.value}, not a draft")
            updated = self._set_status(uow.repo, amendment, new, actor, now, reason)
            uow.commit()
        return updated

    def cosponsor_amendment(
        self, actor: Principal, meeting_id: MeetingId, number: int
    ) -> Amendment:
        """The actor's organisation joins an open amendment as co-sponsor."""
        now = self._clock()
        with self.store.transaction() as uow:
            uow.repo.lock_meeting(meeting_id)
            meeting = self._meeting(uow.repo, meeting_id)
            self._member(meeting, actor, Action.COSPONSOR_AMENDMENT)
            org = self._sponsor_of(meeting, actor, Action.COSPONSOR_AMENDMENT)
            amendment = self._amendment(uow.repo, meeting_id, number)
            if amendment.status not in OPEN_STATUSES:
                raise InvalidState(f"amendment {number} is {amendment.status.value}: it is closed")
            if org == amendment.sponsor or org in amendment.cosponsors:
                raise InvalidState(f"{org} already sponsors amendment {number}")
            updated = msgspec.structs.replace(amendment, cosponsors=(*amendment.cosponsors, org))
            uow.repo.save_amendment(updated)
            self._append(
                uow.repo, meeting_id, actor, now, CosponsorJoined(number=number, organisation=org)
            )
            uow.commit()
        return updated

    def revise_amendment(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        number: int,
        *,
        texts: dict[str, str] | None = None,
        rationale: str | None = None,
    ) -> Amendment:
        """Revise an amendment's texts (merged per language) or rationale.

        Its sponsor may change anything while it is a draft, submitted or needs update; a revised
        "needs update" amendment is rewritten against the latest version and submitted again.
        The secretariat may only add a missing translation.
        """
        now = self._clock()
        with self.store.transaction() as uow:
            repo = uow.repo
            repo.lock_meeting(meeting_id)
            meeting = self._meeting(repo, meeting_id)
            self._member(meeting, actor, Action.REVISE_AMENDMENT)
            amendment = self._amendment(repo, meeting_id, number)
            self._acts_for(actor, amendment.sponsor, Action.REVISE_AMENDMENT, secretariat_too=True)
            sponsor_side = (
                not isinstance(actor, Console) and actor.organisation == amendment.sponsor
            )
            editable = {
                AmendmentStatus.DRAFT,
                AmendmentStatus.SUBMITTED,
                AmendmentStatus.NEEDS_UPDATE,
            }
            if amendment.status not in editable:
                raise InvalidState(
                    f"amendment {number} is {amendment.status.value}; it can no longer be revised"
                )
            new_texts = self._check_texts(meeting, amendment.kind, texts) if texts else {}
            if not sponsor_side:
                changed = [lang for lang in new_texts if lang in amendment.texts]
                if changed or rationale is not None:
                    raise NotPermitted(
                        "the secretariat may add a missing translation, not change the sponsor's "
                        f"words ({', '.join(changed) or 'rationale'})",
                        actor=actor.id,
                        action=Action.REVISE_AMENDMENT.value,
                    )
            if rationale is not None:
                rationale = check_text(
                    rationale, field="rationale", limit=LIMITS["note"], required=False
                )
            updated = msgspec.structs.replace(
                amendment,
                texts={**amendment.texts, **new_texts},
                rationale=amendment.rationale if rationale is None else rationale,
            )
            reason = "revised by its sponsor" if sponsor_side else "translation added"
            if amendment.status is AmendmentStatus.NEEDS_UPDATE:
                latest = self._latest(repo, meeting_id)
                self._check_target(
                    latest.declaration, amendment.kind, amendment.article, amendment.after
                )
                updated = msgspec.structs.replace(
                    updated,
                    base_version=latest.number,
                    conflict="",
                    base_texts=target_texts(latest.declaration, amendment.kind, amendment.article),
                )
            repo.save_amendment(updated)
            self._append(
                repo,
                meeting_id,
                actor,
                now,
                AmendmentRevised(
                    number=number,
                    base_version=updated.base_version,
                    texts={str(k): v for k, v in updated.texts.items()},
                    rationale=updated.rationale,
                    reason=reason,
                ),
            )
            if amendment.status is AmendmentStatus.NEEDS_UPDATE:
                updated = self._set_status(
                    repo,
                    updated,
                    AmendmentStatus.SUBMITTED,
                    actor,
                    now,
                    "revised against the latest version",
                )
            uow.commit()
        return updated

    # -- deciding -----------------------------------------------------------------------------

    def reject_amendment(
        self, actor: Principal, meeting_id: MeetingId, number: int, *, reason: str = ""
    ) -> Amendment:
        """Record that an amendment was not adopted (the chair)."""
        reason = check_text(reason, field="reason", limit=LIMITS["note"], required=False)
        now = self._clock()
        with self.store.transaction() as uow:
            uow.repo.lock_meeting(meeting_id)
            meeting = self._meeting(uow.repo, meeting_id)
            self._member(meeting, actor, Action.REJECT_AMENDMENT)
            amendment = self._amendment(uow.repo, meeting_id, number)
            updated = self._set_status(
                uow.repo, amendment, AmendmentStatus.REJECTED, actor, now, reason or "rejected"
            )
            uow.commit()
        return updated

    def adopt_amendment(
        self, actor: Principal, meeting_id: MeetingId, number: int, *, reason: str = ""
    ) -> Version:
        """Adopt an amendment (the chair): it makes the next version; open amendments on the same
        text are rebased, or marked "needs update" or "superseded"."""
        reason = check_text(reason, field="reason", limit=LIMITS["note"], required=False)
        now = self._clock()
        with self.store.transaction() as uow:
            repo = uow.repo
            repo.lock_meeting(meeting_id)
            meeting = self._meeting(repo, meeting_id)
            self._member(meeting, actor, Action.ADOPT_AMENDMENT)
            version = self._adopt(repo, meeting, number, actor, now, reason)
            uow.commit()
        return version

    def _adopt(
        self,
        repo: Repository,
        meeting: Meeting,
        number: int,
        actor: Principal,
        now: dt.datetime,
        reason: str,
    ) -> Version:
        amendment = self._amendment(repo, meeting.id, number)
        check_transition(amendment.status, AmendmentStatus.ADOPTED, number=number)
        latest = self._latest(repo, meeting.id)
        if latest.state is VersionState.FROZEN:
            raise InvalidState(f"version {latest.number} is frozen: nothing can be adopted")
        current = target_texts(latest.declaration, amendment.kind, amendment.article)
        if amendment.kind is not AmendmentKind.INSERT and current != amendment.base_texts:
            raise InvalidState(
                f"amendment {number} was written against other words than version "
                f"{latest.number} has: it needs an update first"
            )
        new_number = latest.number + 1
        declaration = apply_amendment(
            latest.declaration,
            amendment,
            version=new_number,
            negotiating=meeting.negotiating_language,
        )
        check_declaration(declaration, meeting)
        version = Version(
            meeting=meeting.id,
            number=new_number,
            declaration=declaration,
            content_hash=declaration_hash(declaration),
            parent=latest.number,
            created_by=actor.id,
            created_at=now,
            note=f"amendment {number} adopted",
        )
        repo.add_version(version)
        self._append(
            repo,
            meeting.id,
            actor,
            now,
            VersionPublished(
                number=new_number,
                parent=latest.number,
                content_hash=version.content_hash,
                note=version.note,
            ),
        )
        self._set_status(
            repo,
            amendment,
            AmendmentStatus.ADOPTED,
            actor,
            now,
            reason or "adopted",
            adopted_in=new_number,
        )
        self._append(
            repo,
            meeting.id,
            actor,
            now,
            AmendmentAdopted(
                number=number,
                version=new_number,
                content_hash=version.content_hash,
            ),
        )
        for other in repo.list_amendments(meeting.id, statuses=OPEN_STATUSES):
            if other.number != number:
                self._rebase_one(repo, meeting, other, version, actor, now)
        return version

    # -- rebasing -----------------------------------------------------------------------------

    def _rebase_one(
        self,
        repo: Repository,
        meeting: Meeting,
        amendment: Amendment,
        version: Version,
        actor: Principal,
        now: dt.datetime,
    ) -> Amendment:
        """Follow ``amendment`` onto ``version``: rebase, or mark it needs update / superseded."""
        declaration = version.declaration
        kind = amendment.kind
        if kind in (AmendmentKind.REPLACE, AmendmentKind.DELETE, AmendmentKind.MOVE) and (
            amendment.article is None or declaration.article(amendment.article) is None
        ):
            return self._set_status(
                repo,
                amendment,
                AmendmentStatus.SUPERSEDED,
                actor,
                now,
                f"article {amendment.article} was deleted in version {version.number}",
            )
        if amendment.after is not None and declaration.article(amendment.after) is None:
            return self._set_status(
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
            return self._set_status(
                repo,
                amendment,
                AmendmentStatus.NEEDS_UPDATE,
                actor,
                now,
                f"version {version.number} changed the same words",
                conflict="; ".join(conflicts),
            )
        if already:
            return self._set_status(
                repo,
                amendment,
                AmendmentStatus.SUPERSEDED,
                actor,
                now,
                f"version {version.number} already says what it proposed",
            )
        return self._record_rebase(repo, amendment, rebased, theirs, version, actor, now)

    def _stop_votes_on(
        self,
        repo: Repository,
        meeting: Meeting,
        amendment: Amendment,
        actor: Principal,
        now: dt.datetime,
        reason: str,
    ) -> None:
        """Called before an amendment under vote has to be updated or is superseded: the voting
        operations cancel its open vote. Drafting alone has no votes to stop."""

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
        self._append(
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

    # -- reading ------------------------------------------------------------------------------

    def amendment(self, actor: Principal, meeting_id: MeetingId, number: int) -> AmendmentView:
        """One amendment with its diff in every language it has text for."""
        with self.store.reading() as uow:
            meeting = self._meeting(uow.repo, meeting_id)
            self._member(meeting, actor, Action.READ)
            found = self._amendment(uow.repo, meeting_id, number)
        return self._amendment_view(meeting, found)

    def amendments(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        *,
        article: str | None = None,
        open_only: bool = False,
    ) -> list[AmendmentView]:
        """Amendments of a meeting (or of one article), in order, with their diffs."""
        with self.store.reading() as uow:
            meeting = self._meeting(uow.repo, meeting_id)
            self._member(meeting, actor, Action.READ)
            found = uow.repo.list_amendments(
                meeting_id, statuses=OPEN_STATUSES if open_only else None, article=article
            )
        return [self._amendment_view(meeting, a) for a in found]

    def _amendment_view(self, meeting: Meeting, amendment: Amendment) -> AmendmentView:
        diffs = {
            lang: diff_texts(amendment.base_texts.get(lang, ""), text, lang=lang)
            for lang, text in amendment.texts.items()
        }
        return AmendmentView(
            amendment=amendment, diffs=diffs, pending=amendment.pending_languages(meeting.languages)
        )

    # -- translations -------------------------------------------------------------------------

    def stale_translations(
        self, actor: Principal, meeting_id: MeetingId, version: int | None = None
    ) -> list[StaleTranslation]:
        """Article texts in other languages that lag behind the negotiating-language text."""
        found = self.version(actor, meeting_id, version)
        return stale_translations(found.declaration, self.meeting(meeting_id))

    def update_translations(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        updates: dict[tuple[str, str], str],
        *,
        note: str = "",
    ) -> Version:
        """Bring translations in step (the secretariat): ``{(article, lang): text}`` → new version.

        Giving the current text unchanged confirms that it is still a faithful translation.
        """
        note = check_text(note, field="note", limit=LIMITS["note"], required=False)
        if not updates:
            raise InvalidInput("no translation to update", field="updates")
        now = self._clock()
        with self.store.transaction() as uow:
            repo = uow.repo
            repo.lock_meeting(meeting_id)
            meeting = self._meeting(repo, meeting_id)
            self._member(meeting, actor, Action.UPDATE_TRANSLATION)
            latest = self._latest(repo, meeting_id)
            if latest.state is VersionState.FROZEN:
                raise InvalidState(f"version {latest.number} is frozen: its texts cannot change")
            articles = {a.id: a for a in latest.declaration.articles}
            done: dict[str, list[str]] = {}
            for (article_id, lang), text in updates.items():
                field = f"updates.{article_id}.{lang}"
                article = articles.get(ArticleId(article_id))
                if article is None:
                    raise InvalidInput(
                        f"no article {article_id!r} in version {latest.number}", field=field
                    )
                if lang not in meeting.languages or lang == meeting.negotiating_language:
                    raise InvalidInput(
                        f"{lang!r} is not a translation language of this meeting", field=field
                    )
                check_text(text, field=field, limit=LIMITS["article"])
                articles[article.id] = Article(
                    id=article.id,
                    text={**article.text, Lang(lang): text},
                    revision=article.revision,
                    in_step={**article.in_step, Lang(lang): article.revision},
                )
                done.setdefault(article_id, []).append(lang)
            declaration = msgspec.structs.replace(
                latest.declaration,
                articles=tuple(articles[a.id] for a in latest.declaration.articles),
            )
            version = Version(
                meeting=meeting_id,
                number=latest.number + 1,
                declaration=declaration,
                content_hash=declaration_hash(declaration),
                parent=latest.number,
                created_by=actor.id,
                created_at=now,
                note=note or "translations updated",
            )
            repo.add_version(version)
            self._append(
                repo,
                meeting_id,
                actor,
                now,
                VersionPublished(
                    number=version.number,
                    parent=latest.number,
                    content_hash=version.content_hash,
                    note=version.note,
                ),
            )
            self._append(
                repo,
                meeting_id,
                actor,
                now,
                TranslationsUpdated(version=version.number, articles=done),
            )
            uow.commit()
        return version

    def lint(
        self, actor: Principal, meeting_id: MeetingId, version: int | None = None
    ) -> list[LintFinding]:
        """The language-parity findings for a version (default: the latest)."""
        found = self.version(actor, meeting_id, version)
        return lint_declaration(found.declaration, self.meeting(meeting_id))

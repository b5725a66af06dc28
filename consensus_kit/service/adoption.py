"""Deciding on amendments: revise, adopt or reject; rebase the others when the text moves.

Nothing is merged silently: an amendment whose words were changed by another adopted amendment
is marked "needs update" with the conflicting words quoted, and its sponsor revises it.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from consensus_kit.domain.amendments import (
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    check_intent,
    check_transition,
    target_texts,
)
from consensus_kit.domain.compromise import apply_modified
from consensus_kit.domain.declaration import check_declaration
from consensus_kit.domain.events import (
    AmendmentAdopted,
    AmendmentRevised,
)
from consensus_kit.domain.events_floor import AmendmentModified
from consensus_kit.domain.ids import Lang, MeetingId
from consensus_kit.domain.model import Meeting, Version, VersionState
from consensus_kit.domain.permissions import Action, Console, Principal
from consensus_kit.domain.text import LIMITS, check_text
from consensus_kit.errors import InvalidInput, InvalidState, NotPermitted
from consensus_kit.service.amendments import Amendments
from consensus_kit.service.context import Context
from consensus_kit.service.ports import Repository

__all__ = ["Adoption"]

MODIFIABLE = frozenset(
    {AmendmentKind.REPLACE, AmendmentKind.INSERT, AmendmentKind.TITLE, AmendmentKind.PREAMBLE}
)
"""Kinds whose words the chair may modify on adoption."""


class Adoption:
    """Revision, adoption, rejection; after an adoption ``amendments`` rebases the others."""

    def __init__(self, ctx: Context, amendments: Amendments) -> None:
        self._ctx = ctx
        self._amendments = amendments

    def revise_amendment(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        number: int,
        *,
        texts: dict[str, str] | None = None,
        rationale: str | None = None,
        intent: dict[str, str] | None = None,
    ) -> Amendment:
        """Revise an amendment's texts (merged per language), rationale or per-language
        ``intent`` (as in ``propose_amendment``; ``"secretariat"`` withdraws a word given).

        Its sponsor may change anything while it is a draft, submitted or needs update; a revised
        "needs update" amendment is rewritten against the latest version and submitted again.
        The secretariat may only add a missing translation.
        """
        now = self._ctx.clock()
        with self._ctx.store.transaction() as uow:
            repo = uow.repo
            repo.lock_meeting(meeting_id)
            meeting = self._ctx.meeting(repo, meeting_id)
            self._ctx.member(meeting, actor, Action.REVISE_AMENDMENT)
            amendment = self._amendments.get(repo, meeting_id, number)
            self._ctx.acts_for(
                actor, amendment.sponsor, Action.REVISE_AMENDMENT, secretariat_too=True
            )
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
            new_texts = (
                self._amendments.check_texts(meeting, amendment.kind, texts) if texts else {}
            )
            if not sponsor_side:
                changed = [lang for lang in new_texts if lang in amendment.texts]
                if changed or rationale is not None or intent is not None:
                    what = ", ".join(changed) or (
                        "rationale" if rationale is not None else "intent"
                    )
                    raise NotPermitted(
                        "the secretariat may add a missing translation, not change the sponsor's "
                        f"words ({what})",
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
                latest = self._ctx.latest(repo, meeting_id)
                self._amendments.check_target(
                    latest.declaration, amendment.kind, amendment.article, amendment.after
                )
                updated = msgspec.structs.replace(
                    updated,
                    base_version=latest.number,
                    conflict="",
                    base_texts=target_texts(latest.declaration, amendment.kind, amendment.article),
                )
            if intent is not None:
                wishes = check_intent(
                    intent,
                    kind=amendment.kind,
                    texts=updated.texts,
                    base_texts=updated.base_texts,
                    languages=meeting.languages,
                    negotiating=meeting.negotiating_language,
                )
                kept = {k: v for k, v in amendment.intent.items() if k not in intent}
                updated = msgspec.structs.replace(updated, intent={**kept, **wishes})
            repo.save_amendment(updated)
            self._ctx.append(
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
                    intent=(
                        {str(k): v.value for k, v in updated.intent.items()}
                        if intent is not None
                        else msgspec.UNSET
                    ),
                ),
            )
            if amendment.status is AmendmentStatus.NEEDS_UPDATE:
                updated = self._amendments.set_status(
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
        """Record that an amendment was not adopted (the chair); also one that needs an update."""
        reason = check_text(reason, field="reason", limit=LIMITS["note"], required=False)
        return self._dispose(
            actor, meeting_id, number, AmendmentStatus.REJECTED, Action.REJECT_AMENDMENT, reason
        )

    def set_aside_amendment(
        self, actor: Principal, meeting_id: MeetingId, number: int, *, reason: str
    ) -> Amendment:
        """Set an amendment aside (the chair): it is not considered further, for ``reason``."""
        return self._dispose(
            actor,
            meeting_id,
            number,
            AmendmentStatus.SET_ASIDE,
            Action.SET_ASIDE_AMENDMENT,
            check_text(reason, field="reason", limit=LIMITS["note"]),
        )

    def request_update(
        self, actor: Principal, meeting_id: MeetingId, number: int, *, reason: str
    ) -> Amendment:
        """Ask the sponsor to update an amendment (the chair): it needs an update, with
        ``reason`` as its note, and an open vote on it is cancelled; the sponsor's revision
        submits it again."""
        reason = check_text(reason, field="reason", limit=LIMITS["note"])
        return self._dispose(
            actor,
            meeting_id,
            number,
            AmendmentStatus.NEEDS_UPDATE,
            Action.REQUEST_UPDATE,
            f"the chair asks for an update: {reason}",
            conflict=reason,
        )

    def _dispose(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        number: int,
        new: AmendmentStatus,
        action: Action,
        reason: str,
        **changes: object,
    ) -> Amendment:
        reason = check_text(reason, field="reason", limit=LIMITS["note"] + 64, required=False)
        now = self._ctx.clock()
        with self._ctx.store.transaction() as uow:
            uow.repo.lock_meeting(meeting_id)
            meeting = self._ctx.meeting(uow.repo, meeting_id)
            self._ctx.member(meeting, actor, action)
            amendment = self._amendments.get(uow.repo, meeting_id, number)
            updated = self._amendments.set_status(
                uow.repo, amendment, new, actor, now, reason or new.value, **changes
            )
            uow.commit()
        return updated

    def adopt_amendment(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        number: int,
        *,
        reason: str = "",
        modification: dict[str, str] | None = None,
    ) -> Version:
        """Adopt an amendment (the chair): it makes the next version; open amendments on the same
        text are rebased, or marked "needs update" or "superseded".

        ``modification`` (language → words) adopts it with an edit agreed on the floor: the
        record keeps the proposal and the words adopted, each diffed; a language the edit does
        not touch goes stale when the negotiating-language words change, as usual.
        """
        reason = check_text(reason, field="reason", limit=LIMITS["note"], required=False)
        now = self._ctx.clock()
        with self._ctx.store.transaction() as uow:
            repo = uow.repo
            repo.lock_meeting(meeting_id)
            meeting = self._ctx.meeting(repo, meeting_id)
            self._ctx.member(meeting, actor, Action.ADOPT_AMENDMENT)
            modified: dict[Lang, str] = {}
            if modification:
                amendment = self._amendments.get(repo, meeting_id, number)
                if amendment.kind not in MODIFIABLE:
                    raise InvalidInput(
                        f"a {amendment.kind.value} amendment has no words to modify",
                        field="modification",
                    )
                checked = self._amendments.check_texts(meeting, amendment.kind, modification)
                modified = {k: v for k, v in checked.items() if v != amendment.texts.get(k)}
                if not modified:
                    raise InvalidInput(
                        "the modification repeats the proposal's words", field="modification"
                    )
            version = self.adopt_in(repo, meeting, number, actor, now, reason, modified)
            uow.commit()
        return version

    def adopt_in(  # the voting room adopts through this when a vote carries
        self,
        repo: Repository,
        meeting: Meeting,
        number: int,
        actor: Principal,
        now: dt.datetime,
        reason: str,
        modified: dict[Lang, str] | None = None,
    ) -> Version:
        amendment = self._amendments.get(repo, meeting.id, number)
        check_transition(amendment.status, AmendmentStatus.ADOPTED, number=number)
        latest = self._ctx.latest(repo, meeting.id)
        if latest.state is VersionState.FROZEN:
            raise InvalidState(f"version {latest.number} is frozen: nothing can be adopted")
        current = target_texts(latest.declaration, amendment.kind, amendment.article)
        if amendment.kind is not AmendmentKind.INSERT and current != amendment.base_texts:
            raise InvalidState(
                f"amendment {number} was written against other words than version "
                f"{latest.number} has: it needs an update first"
            )
        declaration = apply_modified(
            latest.declaration,
            amendment,
            modified or {},
            version=latest.number + 1,
            negotiating=meeting.negotiating_language,
        )
        if modified:  # the edit agreed on the floor; the proposal stays on record
            self._ctx.append(
                repo,
                meeting.id,
                actor,
                now,
                AmendmentModified(number=number, texts={str(k): v for k, v in modified.items()}),
            )
            amendment = msgspec.structs.replace(amendment, modified_texts=modified)
        check_declaration(declaration, meeting)
        version = self._ctx.new_version(
            repo, meeting, latest.number, declaration, actor, now, f"amendment {number} adopted"
        )
        new_number = version.number
        self._amendments.set_status(
            repo,
            amendment,
            AmendmentStatus.ADOPTED,
            actor,
            now,
            reason or "adopted",
            adopted_in=new_number,
        )
        self._ctx.append(
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
        self._amendments.follow(repo, meeting, version, actor, now)
        return version

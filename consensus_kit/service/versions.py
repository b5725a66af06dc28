"""Versions of the declaration: publish, freeze, read and compare.

Versions never change once stored; each carries the content hash of its declaration.
"""

from __future__ import annotations

import msgspec

from consensus_kit.domain.compare import DeclarationDiff, diff_declarations
from consensus_kit.domain.declaration import (
    ArticleChange,
    check_declaration,
    compare_declarations,
    stale_translations,
    track_translations,
)
from consensus_kit.domain.events import VersionFrozen
from consensus_kit.domain.ids import Lang, MeetingId
from consensus_kit.domain.lint import lint_declaration
from consensus_kit.domain.model import Declaration, Version, VersionState
from consensus_kit.domain.permissions import Action, Principal
from consensus_kit.domain.text import LIMITS, check_text
from consensus_kit.errors import Conflict, InvalidInput, InvalidState, NotFound
from consensus_kit.service.amendments import Amendments
from consensus_kit.service.context import Context
from consensus_kit.service.ports import VersionSummary

__all__ = ["Versions"]


class Versions:
    """Publishing, freezing, reading and comparing versions; open amendments follow a
    published version through ``amendments``."""

    def __init__(self, ctx: Context, amendments: Amendments) -> None:
        self._ctx = ctx
        self._amendments = amendments

    def publish_version(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        declaration: Declaration,
        *,
        note: str = "",
        parent: int | None = None,
    ) -> Version:
        """Publish a new version of the whole declaration; versions before it never change.

        ``parent`` is the version the text was edited from (default: the latest); publishing on
        top of an older version than the latest is refused as a conflict.
        """
        check_text(note, field="note", limit=LIMITS["note"], required=False)
        now = self._ctx.clock()
        with self._ctx.store.transaction() as uow:
            uow.repo.lock_meeting(meeting_id)
            meeting = self._ctx.meeting(uow.repo, meeting_id)
            self._ctx.member(meeting, actor, Action.PUBLISH_VERSION)
            check_declaration(declaration, meeting)
            latest = uow.repo.latest_version_number(meeting_id)
            if parent is not None and parent != latest:
                raise Conflict(
                    f"version {parent} is not the latest (the latest is {latest}): "
                    "start again from the latest version"
                )
            open_votes = uow.repo.list_votes(meeting_id, open_only=True)
            if open_votes:  # the text voted on would change under the voters
                listed = ", ".join(str(v.number) for v in open_votes)
                raise InvalidState(
                    f"a new version cannot be published while a vote is open (vote {listed}): "
                    "close it first"
                )
            current = uow.repo.get_version(meeting_id, latest) if latest else None
            if current is not None and current.state is VersionState.FROZEN:
                raise InvalidState(
                    f"version {latest} is frozen as the final text; nothing can follow it"
                )
            if current is not None:
                declaration = track_translations(
                    current.declaration,
                    declaration,
                    version=current.number + 1,
                    negotiating=meeting.negotiating_language,
                )
            version = self._ctx.new_version(
                uow.repo, meeting, latest, declaration, actor, now, note
            )
            self._amendments.follow(uow.repo, meeting, version, actor, now)
            uow.commit()
        return version

    def freeze_version(
        self, actor: Principal, meeting_id: MeetingId, number: int, *, override_lint: str = ""
    ) -> Version:
        """Freeze version ``number`` (the latest) as the final text, open for signature.

        Refused while a vote is open or a translation is stale, and while lint finds numbers,
        years, percentages or dates that differ between languages — unless the chair gives
        ``override_lint``, a reason recorded with the findings in the ``version_frozen`` event.

        >>> service.freeze_version(chair, mid, 7, override_lint="A/B: 2030 is right in both")
        ... # doctest: +SKIP
        """
        override_lint = check_text(
            override_lint, field="override_lint", limit=LIMITS["note"], required=False
        )
        now = self._ctx.clock()
        with self._ctx.store.transaction() as uow:
            uow.repo.lock_meeting(meeting_id)
            meeting = self._ctx.meeting(uow.repo, meeting_id)
            self._ctx.member(meeting, actor, Action.FREEZE_VERSION)
            version = uow.repo.get_version(meeting_id, number)
            if version is None:
                raise NotFound(f"no version {number} in meeting {meeting_id!r}")
            if version.state is VersionState.FROZEN:
                raise InvalidState(f"version {number} is already frozen")
            latest = uow.repo.latest_version_number(meeting_id)
            if number != latest:
                raise InvalidState(f"only the latest version ({latest}) can be frozen")
            open_votes = uow.repo.list_votes(meeting_id, open_only=True)
            if open_votes:
                listed = ", ".join(str(v.number) for v in open_votes)
                raise InvalidState(
                    f"version {number} cannot be frozen while a vote is open (vote {listed})"
                )
            stale = stale_translations(version.declaration, meeting)
            if stale:
                listed = "; ".join(str(s) for s in stale[:10])
                more = f" and {len(stale) - 10} more" if len(stale) > 10 else ""
                raise InvalidState(
                    f"version {number} cannot be frozen: {len(stale)} stale translation(s): "
                    f"{listed}{more}"
                )
            blocking = [
                f"{f.where} [{f.lang}]: {f.message}" if f.lang else f"{f.where}: {f.message}"
                for f in lint_declaration(version.declaration, meeting)
                if f.blocks_freezing
            ]
            if blocking and not override_lint:
                listed = "; ".join(blocking[:10])
                more = f" and {len(blocking) - 10} more" if len(blocking) > 10 else ""
                raise InvalidState(
                    f"version {number} cannot be frozen: {len(blocking)} lint error(s) between "
                    f"languages: {listed}{more} (correct them, or the chair overrides them "
                    "with a reason)"
                )
            frozen = VersionFrozen(number=number, content_hash=version.content_hash)
            if blocking:
                frozen = msgspec.structs.replace(
                    frozen, lint_override=override_lint, overridden=blocking
                )
            uow.repo.mark_frozen(meeting_id, number, now, actor.id)
            self._ctx.append(uow.repo, meeting_id, actor, now, frozen)
            uow.commit()
        return msgspec.structs.replace(
            version, state=VersionState.FROZEN, frozen_at=now, frozen_by=actor.id
        )

    def version(
        self, actor: Principal, meeting_id: MeetingId, number: int | None = None
    ) -> Version:
        """Version ``number`` (default: the latest) with all its texts."""
        with self._ctx.store.reading() as uow:
            meeting = self._ctx.meeting(uow.repo, meeting_id)
            self._ctx.member(meeting, actor, Action.READ)
            if number is None:
                number = uow.repo.latest_version_number(meeting_id)
            found = uow.repo.get_version(meeting_id, number) if number is not None else None
        if found is None:
            raise NotFound(f"no version {number} in meeting {meeting_id!r}")
        return found

    def span(self, actor: Principal, meeting_id: MeetingId, old: int, new: int) -> list[Version]:
        """Versions ``old`` to ``new`` with their texts, in one read (an export walks them)."""
        with self._ctx.store.reading() as uow:
            meeting = self._ctx.meeting(uow.repo, meeting_id)
            self._ctx.member(meeting, actor, Action.READ)
            found = [uow.repo.get_version(meeting_id, n) for n in range(old, new + 1)]
        missing = [n for n, v in zip(range(old, new + 1), found, strict=True) if v is None]
        if missing:
            raise NotFound(f"no version {missing[0]} in meeting {meeting_id!r}")
        return [v for v in found if v is not None]

    def versions(self, actor: Principal, meeting_id: MeetingId) -> list[VersionSummary]:
        """Every version of the declaration, oldest first, without texts."""
        with self._ctx.store.reading() as uow:
            meeting = self._ctx.meeting(uow.repo, meeting_id)
            self._ctx.member(meeting, actor, Action.READ)
            return uow.repo.list_versions(meeting_id)

    def compare_versions(
        self, actor: Principal, meeting_id: MeetingId, old: int, new: int, lang: str
    ) -> list[ArticleChange]:
        """Article-by-article comparison of two versions in one language."""
        before, after = self._pair(actor, meeting_id, old, new, lang)
        return compare_declarations(before, after, Lang(lang))

    def diff_versions(
        self, actor: Principal, meeting_id: MeetingId, old: int, new: int, lang: str
    ) -> DeclarationDiff:
        """Word/character diff of two versions in one language, part by part."""
        before, after = self._pair(actor, meeting_id, old, new, lang)
        return diff_declarations(before, after, Lang(lang))

    def _pair(
        self, actor: Principal, meeting_id: MeetingId, old: int, new: int, lang: str
    ) -> tuple[Declaration, Declaration]:
        """The declarations of versions ``old`` and ``new``, once ``lang`` is known to be one
        of the meeting's languages."""
        meeting = self._ctx.read_meeting(meeting_id)
        if lang not in meeting.languages:
            raise InvalidInput(
                f"{lang!r} is not one of the meeting's languages ({', '.join(meeting.languages)})",
                field="lang",
            )
        before = self.version(actor, meeting_id, old)
        after = self.version(actor, meeting_id, new)
        return before.declaration, after.declaration

    # -- the floor ----------------------------------------------------------------------------

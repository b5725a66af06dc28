"""Translations in step with the negotiating text: correct them, confirm them, and lint.

Every part (title, subtitle, preamble, each article) is tracked. The secretariat may correct the
words of any part in any translation language at any time, or confirm on purpose that unchanged
words still match; sending the current words back is neither.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from consensus_kit.domain.events import TranslationsConfirmed, TranslationsUpdated
from consensus_kit.domain.ids import Lang, MeetingId
from consensus_kit.domain.lint import LintFinding, lint_declaration
from consensus_kit.domain.model import Declaration, Meeting, Version, VersionState
from consensus_kit.domain.permissions import Action, Principal
from consensus_kit.domain.text import LIMITS, check_text
from consensus_kit.domain.tracking import (
    TEXT_PARTS,
    StaleTranslation,
    confirm_part,
    is_stale,
    part_label,
    part_texts,
    part_tracking,
    stale_translations,
    with_part,
)
from consensus_kit.errors import Conflict, InvalidInput, InvalidState
from consensus_kit.service.amendments import Amendments
from consensus_kit.service.context import Context
from consensus_kit.service.ports import Repository
from consensus_kit.service.versions import Versions

__all__ = ["Translations"]

_LIMIT = {"title": LIMITS["title"], "subtitle": LIMITS["title"], "preamble": LIMITS["preamble"]}


class Translations:
    """Stale translations, correcting and confirming them, and lint; reads versions through
    ``versions``; open amendments follow a new version through ``amendments``."""

    def __init__(self, ctx: Context, versions: Versions, amendments: Amendments) -> None:
        self._ctx = ctx
        self._versions = versions
        self._amendments = amendments

    # -- translations -------------------------------------------------------------------------

    def stale_translations(
        self, actor: Principal, meeting_id: MeetingId, version: int | None = None
    ) -> list[StaleTranslation]:
        """Every part (title, subtitle, preamble, article) whose words in another language lag
        behind the negotiating-language words."""
        found = self._versions.version(actor, meeting_id, version)
        return stale_translations(found.declaration, self._ctx.read_meeting(meeting_id))

    def update_translations(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        updates: dict[tuple[str, str], str],
        *,
        note: str = "",
    ) -> Version:
        """Correct translations (the secretariat): ``{(part, lang): words}`` → a new version.

        ``part`` is ``"title"``, ``"subtitle"``, ``"preamble"`` or an article id; any part may
        be corrected at any time in a translation language (and in the negotiating language
        while a substantive change in another language left it stale), and the corrected words
        are in step. Words equal to the
        current ones are refused: confirming them is :meth:`confirm_translations`.
        """
        note = check_text(note, field="note", limit=LIMITS["note"], required=False)
        if not updates:
            raise InvalidInput("no translation to update", field="updates")
        now = self._ctx.clock()
        with self._ctx.store.transaction() as uow:
            repo = uow.repo
            repo.lock_meeting(meeting_id)
            meeting = self._ctx.meeting(repo, meeting_id)
            self._ctx.member(meeting, actor, Action.UPDATE_TRANSLATION)
            latest = self._writable(repo, meeting_id)
            declaration = latest.declaration
            done: dict[str, list[str]] = {}
            for (part, lang), text in updates.items():
                field = f"updates.{part}.{lang}"
                texts = self._part(declaration, latest.number, part, lang, meeting, field)
                words = check_text(text, field=field, limit=_LIMIT.get(part, LIMITS["article"]))
                if texts.get(Lang(lang)) == words:
                    raise InvalidInput(
                        "these are the current words: to say they still match, confirm the "
                        "translation instead",
                        field=field,
                    )
                revision, in_step = part_tracking(declaration, part)
                declaration = with_part(
                    declaration,
                    part,
                    {**texts, Lang(lang): words},
                    revision,
                    {**in_step, Lang(lang): revision},
                )
                done.setdefault(part, []).append(lang)
            version = self._publish(
                repo, meeting, latest, declaration, actor, now, note or "translations updated"
            )
            self._ctx.append(
                repo,
                meeting_id,
                actor,
                now,
                TranslationsUpdated(version=version.number, articles=done),
            )
            uow.commit()
        return version

    def confirm_translations(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        parts: Iterable[tuple[str, str]],
        *,
        note: str = "",
        version: int | None = None,
    ) -> Version:
        """Confirm on purpose that stale translations still match (the secretariat).

        ``parts`` lists ``(part, lang)`` pairs: ``("preamble", "zh")``, ``("art-2", "zh")``.
        Each must be stale in the latest version (or in ``version``, which must then be the
        latest). The result is a new version with the same words and the same content hash,
        and a ``translations_confirmed`` event saying who confirmed what, and when.
        """
        note = check_text(note, field="note", limit=LIMITS["note"], required=False)
        wanted = list(parts)
        if not wanted:
            raise InvalidInput("no translation to confirm", field="parts")
        now = self._ctx.clock()
        with self._ctx.store.transaction() as uow:
            repo = uow.repo
            repo.lock_meeting(meeting_id)
            meeting = self._ctx.meeting(repo, meeting_id)
            self._ctx.member(meeting, actor, Action.CONFIRM_TRANSLATION)
            latest = self._writable(repo, meeting_id)
            if version is not None and version != latest.number:
                raise Conflict(
                    f"version {version} is not the latest (the latest is {latest.number}): "
                    "check the translations of the latest version before confirming them"
                )
            declaration = latest.declaration
            done: dict[str, list[str]] = {}
            for i, (part, lang) in enumerate(wanted):
                field = f"parts[{i}]"
                self._part(declaration, latest.number, part, lang, meeting, field)
                if not is_stale(latest.declaration, part, Lang(lang), meeting.negotiating_language):
                    raise InvalidInput(
                        f"the {lang} words of {part_label(declaration, part)} are not stale in "
                        f"version {latest.number}: there is nothing to confirm",
                        field=field,
                    )
                declaration = confirm_part(declaration, part, Lang(lang))
                done.setdefault(part, []).append(lang)
            made = self._publish(
                repo, meeting, latest, declaration, actor, now, note or "translations confirmed"
            )
            self._ctx.append(
                repo,
                meeting_id,
                actor,
                now,
                TranslationsConfirmed(version=made.number, parts=done, note=note),
            )
            uow.commit()
        return made

    def lint(
        self, actor: Principal, meeting_id: MeetingId, version: int | None = None
    ) -> list[LintFinding]:
        """The language-parity findings for a version (default: the latest)."""
        found = self._versions.version(actor, meeting_id, version)
        return lint_declaration(found.declaration, self._ctx.read_meeting(meeting_id))

    # -- helpers ------------------------------------------------------------------------------

    def _writable(self, repo: Repository, meeting_id: MeetingId) -> Version:
        latest = self._ctx.latest(repo, meeting_id)
        if latest.state is VersionState.FROZEN:
            raise InvalidState(f"version {latest.number} is frozen: its texts cannot change")
        return latest

    @staticmethod
    def _part(
        declaration: Declaration, number: int, part: str, lang: str, meeting: Meeting, field: str
    ) -> dict[Lang, str]:
        """The texts of ``part``, after checking that it exists and ``lang`` is a translation
        language of the meeting (:class:`InvalidInput` on ``field`` otherwise)."""
        texts = part_texts(declaration, part)
        if texts is None:
            known = ", ".join(TEXT_PARTS)
            raise InvalidInput(
                f"no part {part!r} in version {number} (parts: {known} or an article id)",
                field=field,
            )
        if lang not in meeting.languages:
            raise InvalidInput(f"{lang!r} is not one of the meeting's languages", field=field)
        if lang == meeting.negotiating_language and not is_stale(
            declaration, part, Lang(lang), meeting.negotiating_language
        ):  # it follows a substantive change made in another language only when stale
            raise InvalidInput(
                f"{lang!r} is the negotiating language: its words change by amendment (the "
                "secretariat updates or confirms them only when a substantive change in "
                "another language left them stale)",
                field=field,
            )
        return dict(texts)

    def _publish(
        self,
        repo: Repository,
        meeting: Meeting,
        latest: Version,
        declaration: Declaration,
        actor: Principal,
        now: dt.datetime,
        note: str,
    ) -> Version:
        version = self._ctx.new_version(repo, meeting, latest.number, declaration, actor, now, note)
        self._amendments.follow(repo, meeting, version, actor, now)
        return version

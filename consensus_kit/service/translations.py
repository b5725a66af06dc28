"""Translations in step with the negotiating text, and the language-parity check.

Nothing is merged silently: an amendment whose words were changed by another adopted amendment
is marked "needs update" with the conflicting words quoted, and its sponsor revises it.
"""

from __future__ import annotations

import msgspec

from consensus_kit.domain.amendments import (
    AmendmentKind,
)
from consensus_kit.domain.declaration import StaleTranslation, stale_translations
from consensus_kit.domain.events import (
    TranslationsUpdated,
    VersionPublished,
)
from consensus_kit.domain.hashing import declaration_hash
from consensus_kit.domain.ids import ArticleId, Lang, MeetingId
from consensus_kit.domain.lint import LintFinding, lint_declaration
from consensus_kit.domain.model import Article, Version, VersionState
from consensus_kit.domain.permissions import Action, Principal
from consensus_kit.domain.text import LIMITS, check_text
from consensus_kit.errors import InvalidInput, InvalidState
from consensus_kit.service.adoption import AdoptionOperations

__all__ = ["TranslationOperations"]

_TEXT_LIMIT = {
    AmendmentKind.TITLE: LIMITS["title"],
    AmendmentKind.PREAMBLE: LIMITS["preamble"],
    AmendmentKind.REPLACE: LIMITS["article"],
    AmendmentKind.INSERT: LIMITS["article"],
}


class TranslationOperations(AdoptionOperations):
    """Stale translations, updating them, and lint."""

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
                articles[article.id] = Article.tracked(
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

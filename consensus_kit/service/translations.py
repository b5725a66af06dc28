"""Translations in step with the negotiating text, and the language-parity check."""

from __future__ import annotations

import msgspec

from consensus_kit.domain.declaration import StaleTranslation, stale_translations
from consensus_kit.domain.events import (
    TranslationsUpdated,
)
from consensus_kit.domain.ids import ArticleId, Lang, MeetingId
from consensus_kit.domain.lint import LintFinding, lint_declaration
from consensus_kit.domain.model import Article, Version, VersionState
from consensus_kit.domain.permissions import Action, Principal
from consensus_kit.domain.text import LIMITS, check_text
from consensus_kit.errors import InvalidInput, InvalidState
from consensus_kit.service.amendments import Amendments
from consensus_kit.service.context import Context
from consensus_kit.service.versions import Versions

__all__ = ["Translations"]


class Translations:
    """Stale translations, updating them, and lint; reads versions through ``versions``;
    open amendments follow an update through ``amendments``."""

    def __init__(self, ctx: Context, versions: Versions, amendments: Amendments) -> None:
        self._ctx = ctx
        self._versions = versions
        self._amendments = amendments

    # -- translations -------------------------------------------------------------------------

    def stale_translations(
        self, actor: Principal, meeting_id: MeetingId, version: int | None = None
    ) -> list[StaleTranslation]:
        """Article texts in other languages that lag behind the negotiating-language text."""
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
        """Bring translations in step (the secretariat): ``{(article, lang): text}`` → new version.

        Giving the current text unchanged confirms that it is still a faithful translation.
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
            latest = self._ctx.latest(repo, meeting_id)
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
            version = self._ctx.new_version(
                repo,
                meeting,
                latest.number,
                declaration,
                actor,
                now,
                note or "translations updated",
            )
            self._amendments.follow(repo, meeting, version, actor, now)
            self._ctx.append(
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
        found = self._versions.version(actor, meeting_id, version)
        return lint_declaration(found.declaration, self._ctx.read_meeting(meeting_id))

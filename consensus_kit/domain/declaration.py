"""Rules about declarations: what a publishable text must hold, and how two versions compare.

The word- and character-level diff lives in :mod:`consensus_kit.domain.diff`; this module's
comparison is per article: unchanged, changed, inserted, deleted or moved.
"""

from __future__ import annotations

import bisect
import enum

import msgspec

from consensus_kit.domain.ids import ArticleId, Lang
from consensus_kit.domain.model import Declaration, Meeting
from consensus_kit.domain.text import LIMITS, text_problem
from consensus_kit.domain.tracking import (
    TEXT_PARTS,
    StaleTranslation,
    stale_translations,
    track_translations,
)
from consensus_kit.errors import InvalidInput

__all__ = [
    "ArticleChange",
    "ChangeKind",
    "StaleTranslation",
    "check_declaration",
    "compare_declarations",
    "stale_translations",
    "track_translations",
]


def check_declaration(declaration: Declaration, meeting: Meeting) -> None:
    """Raise :class:`InvalidInput` naming the first field a publishable declaration breaks.

    Titles are needed in every meeting language and articles in the negotiating language;
    other languages may be missing from an article (translation pending).
    """
    langs = set(meeting.languages)

    def texts(values: dict[Lang, str], field: str, limit: int, every: bool) -> None:
        for lang, value in values.items():
            if lang not in langs:
                raise InvalidInput(
                    f"{lang!r} is not one of the meeting's languages", field=f"{field}.{lang}"
                )
            problem = text_problem(value, limit=limit, required=every)
            if problem:
                raise InvalidInput(problem, field=f"{field}.{lang}")
        if every:
            for lang in meeting.languages:
                if lang not in values:
                    raise InvalidInput(
                        "is required in every meeting language", field=f"{field}.{lang}"
                    )

    texts(declaration.title, "title", LIMITS["title"], True)
    texts(declaration.subtitle, "subtitle", LIMITS["title"], False)
    texts(declaration.preamble, "preamble", LIMITS["preamble"], False)
    if not declaration.articles:
        raise InvalidInput("a declaration needs at least one article", field="articles")
    if len(declaration.articles) > LIMITS["articles"]:
        raise InvalidInput(f"more than {LIMITS['articles']:,} articles", field="articles")
    seen: set[ArticleId] = set()
    for i, article in enumerate(declaration.articles):
        field = f"articles[{i}]"
        if article.id in TEXT_PARTS:
            raise InvalidInput(
                f"{article.id!r} names a part of every declaration, not an article",
                field=f"{field}.id",
            )
        if article.id in seen:
            raise InvalidInput(f"duplicate article id {article.id!r}", field=f"{field}.id")
        seen.add(article.id)
        texts(article.text, f"{field}.text", LIMITS["article"], False)
        for lang, value in article.text.items():
            if not value.strip():
                raise InvalidInput("must not be empty", field=f"{field}.text.{lang}")
        if meeting.negotiating_language not in article.text:
            raise InvalidInput(
                "is required (the negotiating language)",
                field=f"{field}.text.{meeting.negotiating_language}",
            )


class ChangeKind(enum.StrEnum):
    """How one article differs between two versions."""

    UNCHANGED = "unchanged"
    CHANGED = "changed"
    INSERTED = "inserted"
    DELETED = "deleted"
    MOVED = "moved"
    MOVED_AND_CHANGED = "moved_and_changed"


class ArticleChange(msgspec.Struct, frozen=True, kw_only=True):
    """One article in a comparison, with its position (1-based) and text on each side."""

    article: ArticleId
    kind: ChangeKind
    old_position: int | None
    new_position: int | None
    old_text: str | None
    new_text: str | None


def compare_declarations(old: Declaration, new: Declaration, lang: Lang) -> list[ArticleChange]:
    """Compare two declarations article by article in one language, in the new order.

    Articles are matched by their stable id. Deleted articles follow the article that preceded
    them in the old version. An article counts as moved when its position relative to the
    articles both versions keep has changed.
    """
    old_pos = {a.id: i for i, a in enumerate(old.articles)}
    new_pos = {a.id: i for i, a in enumerate(new.articles)}
    kept_old = [a.id for a in old.articles if a.id in new_pos]
    kept_new = [a.id for a in new.articles if a.id in old_pos]
    rank_old = {aid: i for i, aid in enumerate(kept_old)}
    stable = _longest_increasing([rank_old[aid] for aid in kept_new])
    in_place = {kept_new[i] for i in stable}

    changes: list[ArticleChange] = []
    for article in new.articles:
        before = old.article(article.id)
        new_text = article.text.get(lang)
        if before is None:
            kind = ChangeKind.INSERTED
            old_text = None
        else:
            old_text = before.text.get(lang)
            moved = article.id not in in_place
            differs = old_text != new_text
            kind = (
                ChangeKind.MOVED_AND_CHANGED
                if moved and differs
                else ChangeKind.MOVED
                if moved
                else ChangeKind.CHANGED
                if differs
                else ChangeKind.UNCHANGED
            )
        changes.append(
            ArticleChange(
                article=article.id,
                kind=kind,
                old_position=old_pos[article.id] + 1 if article.id in old_pos else None,
                new_position=new_pos[article.id] + 1,
                old_text=old_text,
                new_text=new_text,
            )
        )
    for i, article in enumerate(old.articles):
        if article.id in new_pos:
            continue
        deleted = ArticleChange(
            article=article.id,
            kind=ChangeKind.DELETED,
            old_position=i + 1,
            new_position=None,
            old_text=article.text.get(lang),
            new_text=None,
        )
        anchor = next(
            (j for j, c in enumerate(changes) if i > 0 and c.article == old.articles[i - 1].id), -1
        )
        changes.insert(anchor + 1, deleted)
    return changes


def _longest_increasing(values: list[int]) -> list[int]:
    """Indexes of one longest strictly increasing subsequence of ``values`` (patience sorting)."""
    tails: list[int] = []
    tail_index: list[int] = []
    parent: list[int] = [-1] * len(values)
    for i, value in enumerate(values):
        k = bisect.bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_index.append(i)
        else:
            tails[k] = value
            tail_index[k] = i
        parent[i] = tail_index[k - 1] if k else -1
    out: list[int] = []
    i = tail_index[-1] if tail_index else -1
    while i != -1:
        out.append(i)
        i = parent[i]
    return out[::-1]

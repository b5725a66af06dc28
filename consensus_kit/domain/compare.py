"""Comparing two versions of a declaration in one language, with word/character diffs."""

from __future__ import annotations

import msgspec

from consensus_kit.domain.declaration import ArticleChange, compare_declarations
from consensus_kit.domain.diff import DiffOp, diff_texts
from consensus_kit.domain.ids import Lang
from consensus_kit.domain.model import Declaration

__all__ = ["ArticleDiff", "DeclarationDiff", "diff_declarations"]


class ArticleDiff(msgspec.Struct, frozen=True, kw_only=True):
    """One article's change (unchanged, changed, inserted, deleted, moved) and its diff."""

    change: ArticleChange
    ops: list[DiffOp]


class DeclarationDiff(msgspec.Struct, frozen=True, kw_only=True):
    """The difference between two versions in one language, part by part."""

    lang: Lang
    title: list[DiffOp]
    subtitle: list[DiffOp]
    preamble: list[DiffOp]
    articles: list[ArticleDiff]


def diff_declarations(old: Declaration, new: Declaration, lang: Lang) -> DeclarationDiff:
    """Diff every part of two declarations in ``lang``; articles matched by their stable id."""

    def ops(a: str | None, b: str | None) -> list[DiffOp]:
        return diff_texts(a or "", b or "", lang=lang)

    return DeclarationDiff(
        lang=lang,
        title=ops(old.title.get(lang), new.title.get(lang)),
        subtitle=ops(old.subtitle.get(lang), new.subtitle.get(lang)),
        preamble=ops(old.preamble.get(lang), new.preamble.get(lang)),
        articles=[
            ArticleDiff(change=c, ops=ops(c.old_text, c.new_text))
            for c in compare_declarations(old, new, lang)
        ],
    )

"""Read a declaration draft written as Markdown, one file per language.

The first ``# `` heading is the title; an optional ``## `` heading right after it is the
subtitle; paragraphs before the first numbered paragraph (``1.``, ``2.``…) are the preamble;
each numbered paragraph is an article. Paragraphs are separated by blank lines; lines inside a
paragraph are joined with a line feed.
"""

from __future__ import annotations

import re

import msgspec

__all__ = ["MarkdownDraft", "parse_markdown_draft"]

_NUMBERED = re.compile(r"^\s*(\d+)[.)]\s+")


class MarkdownDraft(msgspec.Struct, frozen=True, kw_only=True):
    """One language's draft: title, subtitle, preamble paragraphs and article texts in order."""

    title: str
    subtitle: str = ""
    preamble: str = ""
    articles: tuple[str, ...] = ()


def _paragraphs(text: str) -> list[str]:
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    return [b.strip("\n").strip() for b in blocks if b.strip()]


def parse_markdown_draft(text: str) -> MarkdownDraft:
    """Split a Markdown draft into its parts.

    >>> d = parse_markdown_draft("# Title\\n\\nWe agree:\\n\\n1. First.\\n\\n2. Second.")
    >>> d.title, d.preamble, d.articles
    ('Title', 'We agree:', ('First.', 'Second.'))

    Raises ``ValueError`` naming what is missing.
    """
    title = ""
    subtitle = ""
    preamble: list[str] = []
    articles: list[str] = []
    for block in _paragraphs(text):
        if block.startswith("# ") and not title and not articles:
            title = block[2:].strip()
        elif block.startswith("## ") and title and not subtitle and not preamble and not articles:
            subtitle = block[3:].strip()
        elif (match := _NUMBERED.match(block)) is not None:
            articles.append(block[match.end() :].strip())
        elif articles:
            # an unnumbered paragraph after an article continues that article
            articles[-1] = f"{articles[-1]}\n\n{block}"
        else:
            preamble.append(block)
    if not title:
        raise ValueError("no title: the first '# ' heading is the title")
    if not articles:
        raise ValueError("no articles: number each article's paragraph '1.', '2.', …")
    return MarkdownDraft(
        title=title, subtitle=subtitle, preamble="\n\n".join(preamble), articles=tuple(articles)
    )

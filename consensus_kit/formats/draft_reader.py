"""Sort a draft's paragraphs into title, subtitle, preamble and articles.

The paragraphs come from a Word document (:mod:`.docx_import`) with their style and whether
Word numbers them; this module decides what each one is:

- the title is the first Title or heading paragraph (failing that, the first non-empty one);
  a Subtitle or second-level heading right after it is the subtitle;
- articles start where the draft numbers them. A draft may number its articles in several ways
  ("Article 1" headings with "(1)", "(2)" items inside): the strongest kind of marker that
  starts at 1 decides, in the order "Article N" / "Art. N" / "第N条" / "第一条", then "一、",
  then "1." / "1．" / "1、" / "1)", then Word's own list numbering, then "(1)" / "（1）".
  Other paragraphs after an article continue it;
- paragraphs before the first article are the preamble ("Preamble" / "序言" headings dropped);
- after the articles, a heading that is not an article, a table or our signature page ends the
  text (e.g. a list of signatories).

Literal numbers must run 1, 2, 3…: a gap or a repeat is refused, naming the paragraph, since
articles are numbered by their position.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from consensus_kit.errors import InvalidInput
from consensus_kit.formats.draft_markers import KINDS, Marker, find_marker
from consensus_kit.formats.markdown_draft import MarkdownDraft

__all__ = ["Para", "read_draft"]

_OUR_NUMBER_TAB = "\t"
_SECTION_WORDS = frozenset({"preamble", "préambule", "preámbulo", "序言", "前言", "序文"})
_WORD = "word"


class Para:
    """One paragraph of a draft: where it is, its style name, text, whether Word numbers it
    (at the first level, not with bullets) and whether it holds a "[translation pending]"."""

    __slots__ = ("numbered", "pending", "place", "style", "text")

    def __init__(
        self, place: str, style: str, text: str, *, numbered: bool = False, pending: bool = False
    ) -> None:
        self.place = place
        self.style = style
        self.text = text
        self.numbered = numbered
        self.pending = pending

    @property
    def heading(self) -> bool:
        """Whether the paragraph is a title or a heading."""
        return self.style == "Title" or self.style.startswith("Heading")

    def marker(self) -> Marker | None:
        """The article marker at its start, if any."""
        return find_marker(self.text, heading=self.heading)

    def where(self) -> str:
        """Its place and the start of its text, for an error message."""
        text = re.sub(r"\s*[\n\t]\s*", " ", self.text.strip())
        return f'{self.place} ("{text[:40]}{"…" if len(text) > 40 else ""}")'


def _choose_kind(paras: Sequence[Para | None]) -> str | None:
    markers = {m.kind for p in paras if p is not None and (m := p.marker()) and m.number == 1}
    word = any(p is not None and p.numbered for p in paras)
    for kind in KINDS:
        if kind == "paren" and word:
            return _WORD
        if kind in markers:
            return kind
    return _WORD if word else None


class _Reader:
    """Sorts paragraphs one at a time, for a chosen kind of article marker."""

    def __init__(self, kind: str | None, source: str) -> None:
        self.kind = kind
        self.source = source
        self.title: str | None = None
        self.subtitle = ""
        self.preamble: list[str] = []
        self.articles: list[str] = []
        self.pending: set[int] = set()  # articles marked "[translation pending]" by our exports

    def starts_article(self, para: Para) -> str | None:
        """The article text it begins with, when ``para`` starts an article; else None."""
        if self.kind is None:
            return None
        if self.kind == _WORD:
            return para.text.strip() if para.numbered else None
        marker = para.marker()
        if marker is None or marker.kind != self.kind:
            return None
        expected = len(self.articles) + 1
        if marker.number != expected:
            after = f"after article {expected - 1}" if expected > 1 else "as the first article"
            raise InvalidInput(
                f"{para.where()}: article {marker.number} comes {after}; "
                "number the articles 1, 2, 3… without gaps or repeats",
                field=self.source,
            )
        return marker.rest

    def take_title(self, para: Para) -> bool:
        """Take the title from ``para`` if it is one; False when an article comes first."""
        if para.heading and self.starts_article(para) is None:
            self.title = para.text if para.style == "Title" else para.text.strip()
        elif para.style == "CK Article" or self.starts_article(para) is not None:
            return False
        elif para.text.strip():
            self.title = para.text.strip()
        return True

    def continue_article(self, text: str) -> None:
        last = self.articles[-1]
        self.articles[-1] = f"{last}\n\n{text}" if last else text

    def feed(self, para: Para | None) -> bool:
        """Take one paragraph (``None``: a table); False when the text has ended."""
        articles = self.articles
        if para is None or para.style == "CK Dateline":
            return not (para is None and articles)
        style, text = para.style, para.text
        if style.startswith("CK Sign"):
            return False  # our signature page
        if self.title is None:
            return self.take_title(para)
        if style == "CK Article":
            number, _, body = text.partition(_OUR_NUMBER_TAB)
            articles.append(body if number.rstrip(".").isdigit() else text)
            if para.pending:
                self.pending.add(len(articles))
        elif style == "CK Article Continued" and articles:
            articles[-1] = f"{articles[-1]}\n\n{text}"
        elif style == "CK Preamble":
            self.preamble.append(text)
        elif para.heading and text.strip().casefold() in _SECTION_WORDS and not articles:
            pass
        elif (rest := self.starts_article(para)) is not None:
            articles.append(rest)
        elif style in ("Subtitle", "Heading 2") and not (
            self.subtitle or self.preamble or articles
        ):
            self.subtitle = text if style == "Subtitle" else text.strip()
        elif para.heading:
            return not articles  # a heading after the articles (e.g. signatories) ends the text
        elif not text.strip():
            pass
        elif articles:
            self.continue_article(text.strip())
        else:
            self.preamble.append(text.strip())
        return True


def read_draft(paras: Sequence[Para | None], *, source: str = "docx") -> MarkdownDraft:
    """One language's draft from its paragraphs in order (``None`` for a table).

    Raises :class:`~consensus_kit.errors.InvalidInput` (``field`` = ``source``) when there is
    no title or no article, or when literal article numbers skip or repeat.
    """
    reader = _Reader(_choose_kind(paras), source)
    for para in paras:
        if not reader.feed(para):
            break
    if reader.title is None:
        raise InvalidInput("no title: the first heading (or Title paragraph)", field=source)
    if not reader.articles:
        raise InvalidInput(
            "no articles: start each article with 'Article 1', 'Art. 1', '第一条', '一、', "
            "'1.', '(1)', or number the articles with Word's list numbering",
            field=source,
        )
    empty = [n for n, text in enumerate(reader.articles, 1) if not text.strip()]
    if empty := [n for n in empty if n not in reader.pending]:
        raise InvalidInput(f"article {empty[0]} has no text", field=source)
    return MarkdownDraft(
        title=reader.title,
        subtitle=reader.subtitle,
        preamble="\n\n".join(reader.preamble),
        articles=tuple(reader.articles),
    )

"""Read a declaration draft from a Word document, and pair drafts in several languages.

A draft written in Word is read like a Markdown draft (:mod:`.markdown_draft`):

- the title is the first paragraph in the Title style or a heading style (failing that, the
  first non-empty paragraph); a Subtitle or second-level heading right after it is the
  subtitle;
- paragraphs before the first article are the preamble;
- a numbered paragraph is an article: a literal number ("1.", "2)") or Word's own list
  numbering (``w:numPr`` on the paragraph or its style); unnumbered paragraphs after an article
  continue it;
- a heading or a table after the articles ends the text (e.g. a list of signatories).

Documents made by :func:`~consensus_kit.formats.docx_export.export_docx` carry our paragraph
styles, which are read exactly, so export then import gives the texts back unchanged. Tracked
changes are read as accepted (inserted text kept, deleted text dropped).

>>> drafts = {"en": import_docx(en_bytes, "en"), "zh": import_docx(zh_bytes, "zh")}
... # doctest: +SKIP
>>> declaration = pair_drafts(drafts, negotiating="en")  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path

import docx
from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from consensus_kit.domain.ids import ArticleId, Lang
from consensus_kit.domain.locales import is_language_code
from consensus_kit.domain.model import Article, Declaration
from consensus_kit.domain.text import LIMITS, check_text
from consensus_kit.errors import InvalidInput
from consensus_kit.formats.bounded import check_zip, read_file
from consensus_kit.formats.export_common import label
from consensus_kit.formats.markdown_draft import MarkdownDraft

__all__ = [
    "MAX_DOCX_BYTES",
    "MAX_DOCX_ENTRIES",
    "MAX_DOCX_PART",
    "MAX_DOCX_UNCOMPRESSED",
    "import_docx",
    "pair_drafts",
]

MAX_DOCX_BYTES = 20_000_000
"""The largest Word file :func:`import_docx` reads."""
MAX_DOCX_UNCOMPRESSED = 100_000_000
"""The most a Word file may hold once uncompressed, all its parts together."""
MAX_DOCX_PART = 25_000_000
"""The largest single part (``word/document.xml``, an image…) once uncompressed."""
MAX_DOCX_ENTRIES = 2_000
"""The most parts a Word file may have."""

_NUMBERED = re.compile(r"^\s*(\d+)[.)]\s+")
_OUR_NUMBER = re.compile(r"^\d+\.\t")
_TEXT_TAGS = {qn("w:t"): None, qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n"}
_SKIP = {qn("w:del"), qn("w:moveFrom"), qn("w:pPr"), qn("w:rPr"), qn("w:instrText")}


class _Para:
    """One body paragraph: its style name, text and whether Word numbers it."""

    __slots__ = ("numbered", "pending", "style", "text")

    def __init__(self, style: str, text: str, numbered: bool, pending: bool) -> None:
        self.style = style
        self.text = text
        self.numbered = numbered
        self.pending = pending


def _text(element: etree._Element) -> str:
    """The text of a paragraph with tracked changes accepted."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        for child in node:
            tag = child.tag
            if tag in _SKIP:
                continue
            if tag in _TEXT_TAGS:
                if tag == qn("w:br") and child.get(qn("w:type")) not in (None, "textWrapping"):
                    continue
                parts.append((child.text or "") if tag == qn("w:t") else (_TEXT_TAGS[tag] or ""))
            else:
                walk(child)

    walk(element)
    return "".join(parts)


def _style_numbered(style: object) -> bool:
    while style is not None:
        ppr = style.element.pPr  # type: ignore[attr-defined]
        if ppr is not None and ppr.numPr is not None:
            return True
        style = style.base_style  # type: ignore[attr-defined]
    return False


def _paragraphs(document: Document, lang: str) -> Iterator[_Para | None]:
    """Body paragraphs in order; ``None`` for a table."""
    styles = {s.style_id: s for s in document.styles}
    default = document.styles.default(1)
    numbered_styles: dict[str, bool] = {}
    pending = label(lang, "pending")
    carry: tuple[str, _Para | None] = ("", None)  # text of paragraphs whose mark is deleted
    for child in document.element.body:
        if child.tag == qn("w:tbl"):
            yield None
            continue
        if child.tag != qn("w:p"):
            continue
        para = _paragraph(child, styles, default, numbered_styles, pending)
        if para.style == "CK Note":
            continue
        text, first = carry
        if first is not None and first.text:
            para = _Para(first.style, text + para.text, first.numbered, first.pending)
        else:
            para = _Para(para.style, text + para.text, para.numbered, para.pending)
        if child.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{qn('w:del')}") is not None:
            # accepted, a deleted paragraph mark joins this paragraph to the next one
            carry = (para.text, first if first is not None and first.text else para)
            continue
        carry = ("", None)
        yield para


def _paragraph(
    child: etree._Element,
    styles: Mapping[str, object],
    default: object,
    numbered_styles: dict[str, bool],
    pending: str,
) -> _Para:
    """One paragraph: its style's name, text (changes accepted), whether it is numbered."""
    ppr = child.find(qn("w:pPr"))
    style_el = ppr.find(qn("w:pStyle")) if ppr is not None else None
    style = styles.get(style_el.get(qn("w:val"), "")) if style_el is not None else None
    style = style or default
    name: str = style.name if style is not None else "Normal"  # type: ignore[attr-defined]
    if name not in numbered_styles:
        numbered_styles[name] = _style_numbered(style)
    own = ppr is not None and ppr.find(qn("w:numPr")) is not None
    is_pending = any(r.get(qn("w:val")) == "CKPending" for r in child.iter(qn("w:rStyle")))
    text = _text(child)
    if is_pending:
        text = text.replace(pending, "")
    return _Para(name, text, own or numbered_styles[name], is_pending)


def _is_heading(name: str) -> bool:
    return name == "Title" or name.startswith("Heading")


class _Reader:
    """Sorts paragraphs into title, subtitle, preamble and articles, one at a time."""

    def __init__(self) -> None:
        self.title: str | None = None
        self.subtitle = ""
        self.preamble: list[str] = []
        self.articles: list[str] = []

    def title_from(self, para: _Para) -> bool:
        """Take the title from ``para`` if it is one; False when an article comes first."""
        if _is_heading(para.style):
            self.title = para.text if para.style == "Title" else para.text.strip()
        elif para.numbered or _NUMBERED.match(para.text) or para.style == "CK Article":
            return False
        elif para.text.strip():
            self.title = para.text.strip()
        return True

    def feed(self, para: _Para | None) -> bool:
        """Take one paragraph (``None``: a table); False when the text has ended."""
        articles = self.articles
        if para is None or para.style == "CK Dateline":
            return not (para is None and articles)
        style, text = para.style, para.text
        if self.title is None:
            return self.title_from(para)
        if style in ("Subtitle", "Heading 2") and not (self.subtitle or self.preamble or articles):
            self.subtitle = text if style == "Subtitle" else text.strip()
        elif style == "CK Article":
            articles.append(_OUR_NUMBER.sub("", text, count=1))
        elif style == "CK Article Continued" and articles:
            articles[-1] = f"{articles[-1]}\n\n{text}"
        elif style == "CK Preamble":
            self.preamble.append(text)
        elif _is_heading(style):
            return not articles  # a heading after the articles (e.g. signatories) ends the text
        elif not text.strip():
            pass
        elif (match := _NUMBERED.match(text)) is not None:
            articles.append(text[match.end() :].strip())
        elif para.numbered:
            articles.append(text.strip())
        elif articles:
            articles[-1] = f"{articles[-1]}\n\n{text.strip()}"
        else:
            self.preamble.append(text.strip())
        return True


def import_docx(data: bytes | Path, lang: str) -> MarkdownDraft:
    """Read one language's draft (title, subtitle, preamble, articles) from DOCX bytes or a
    file (a file's size is checked before it is read: :data:`MAX_DOCX_BYTES`).

    >>> draft = import_docx(Path("draft.en.docx"), "en")  # doctest: +SKIP
    >>> draft.title, len(draft.articles)                                # doctest: +SKIP
    ('A20 Global Social Consensus on Child Advocacy', 4)

    Raises :class:`~consensus_kit.errors.InvalidInput` for a file that is not a Word document,
    one too large once uncompressed (:data:`MAX_DOCX_UNCOMPRESSED`, :data:`MAX_DOCX_PART`,
    :data:`MAX_DOCX_ENTRIES`: checked before any part is read), or one without a title or
    without numbered articles.
    """
    if not is_language_code(lang):
        raise InvalidInput(f"{lang!r} is not a language code", field="lang")
    if isinstance(data, Path):
        data = read_file(data, MAX_DOCX_BYTES, field="docx")
    if len(data) > MAX_DOCX_BYTES:
        raise InvalidInput(
            f"the file is {len(data):,} bytes; the limit is {MAX_DOCX_BYTES:,}", field="docx"
        )
    check_zip(
        data,
        entries=MAX_DOCX_ENTRIES,
        total=MAX_DOCX_UNCOMPRESSED,
        member=MAX_DOCX_PART,
        field="docx",
        kind="Word (.docx) document",
    )
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise InvalidInput(f"not a Word (.docx) document ({exc})", field="docx") from exc
    reader = _Reader()
    for para in _paragraphs(document, lang):
        if not reader.feed(para):
            break
    if reader.title is None:
        raise InvalidInput("no title: the first heading (or Title paragraph)", field="docx")
    if not reader.articles:
        raise InvalidInput(
            "no articles: number each article's paragraph '1.', '2.', … or with Word numbering",
            field="docx",
        )
    return MarkdownDraft(
        title=reader.title,
        subtitle=reader.subtitle,
        preamble="\n\n".join(reader.preamble),
        articles=tuple(reader.articles),
    )


def pair_drafts(
    drafts: Mapping[str, MarkdownDraft],
    negotiating: str,
    *,
    date: dt.date | None = None,
) -> Declaration:
    """One declaration from drafts of the same text in two or more languages.

    Parts are paired by position: the n-th article of every draft is article ``art-n``. An
    empty text (a "[translation pending]" marker read back) leaves that language out of the
    part; the negotiating language must have every part.

    >>> declaration = pair_drafts({"en": en, "zh": zh}, negotiating="en")  # doctest: +SKIP

    Raises :class:`~consensus_kit.errors.InvalidInput` when the drafts have different numbers
    of articles (naming each count), the negotiating language has no draft or a text is not
    acceptable.
    """
    if negotiating not in drafts:
        raise InvalidInput(
            f"no draft in the negotiating language {negotiating!r} "
            f"(drafts: {', '.join(drafts) or 'none'})",
            field="negotiating",
        )
    counts = {lang: len(d.articles) for lang, d in drafts.items()}
    if len(set(counts.values())) > 1:
        listed = ", ".join(f"{lang}: {n}" for lang, n in counts.items())
        raise InvalidInput(
            f"the drafts have different numbers of articles ({listed})", field="articles"
        )
    order = [negotiating, *(lang for lang in drafts if lang != negotiating)]

    def texts(get: str, limit: str, index: int | None = None) -> dict[Lang, str]:
        out: dict[Lang, str] = {}
        for lang in order:
            draft = drafts[lang]
            value = getattr(draft, get) if index is None else draft.articles[index]
            field = f"{lang}.{get}" if index is None else f"{lang}.articles[{index}]"
            required = lang == negotiating and get in ("title", "articles")
            if value or required:
                out[Lang(lang)] = check_text(
                    value, field=field, limit=LIMITS[limit], required=required
                )
        return out

    n = counts[negotiating]
    return Declaration(
        title=texts("title", "title"),
        subtitle=texts("subtitle", "title"),
        preamble=texts("preamble", "preamble"),
        articles=tuple(
            Article(id=ArticleId(f"art-{i + 1}"), text=texts("articles", "article", i))
            for i in range(n)
        ),
        date=date,
    )

"""Read a declaration draft from a Word document, and pair drafts in several languages.

A draft written in Word (by hand, by pandoc, by LibreOffice or by our own exports) is read
paragraph by paragraph; :mod:`.draft_reader` decides which paragraphs are the title, the
subtitle, the preamble and the articles ("Article 1" headings, "第一条", "一、", "1．", "(1)",
Word's list numbering…). Word numbering counts at the first level only, and never bullets.

A side-by-side table whose header row names the languages ("English" | "中文", as in our
bilingual export) is read column by column: :func:`import_parallel_docx` gives every
language's draft from one file.

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
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import docx
from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from consensus_kit.domain.ids import ArticleId, Lang
from consensus_kit.domain.locales import is_language_code, language_name
from consensus_kit.domain.model import Article, Declaration
from consensus_kit.domain.text import LIMITS, check_text
from consensus_kit.errors import InvalidInput
from consensus_kit.formats.bounded import check_zip, read_file
from consensus_kit.formats.docx_lines import JOINS
from consensus_kit.formats.draft_reader import Para, read_draft
from consensus_kit.formats.export_common import label
from consensus_kit.formats.markdown_draft import MarkdownDraft

__all__ = [
    "MAX_DOCX_BYTES",
    "MAX_DOCX_ENTRIES",
    "MAX_DOCX_PART",
    "MAX_DOCX_UNCOMPRESSED",
    "import_docx",
    "import_parallel_docx",
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

_TEXT_TAGS = {qn("w:t"): None, qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n"}
_SKIP = {qn("w:del"), qn("w:moveFrom"), qn("w:pPr"), qn("w:rPr"), qn("w:instrText")}
_NOT_NUMBERS = frozenset({"bullet", "none"})
_LINE_NUMBER = "CKLineNumber"
"""The character style of our exports' line numbers (:mod:`.docx_lines`): not text."""
_JOIN = JOINS
"""Our numbered lines' paragraph styles, and what joins each to the line before."""


def _is_line_number(r: etree._Element) -> bool:
    style = r.find(f"{qn('w:rPr')}/{qn('w:rStyle')}")
    return style is not None and style.get(qn("w:val")) == _LINE_NUMBER


def _text(element: etree._Element) -> str:
    """The text of a paragraph with tracked changes accepted."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        for child in node:
            tag = child.tag
            if tag in _SKIP or (tag == qn("w:r") and _is_line_number(child)):
                continue
            if tag in _TEXT_TAGS:
                if tag == qn("w:br") and child.get(qn("w:type")) not in (None, "textWrapping"):
                    continue
                parts.append((child.text or "") if tag == qn("w:t") else (_TEXT_TAGS[tag] or ""))
            else:
                walk(child)

    walk(element)
    return "".join(parts)


class _Context:
    """What reading one document's paragraphs needs: its styles and list definitions."""

    def __init__(self, document: Document, lang: str) -> None:
        self.styles = {s.style_id: s for s in document.styles}
        self.default = document.styles.default(1)
        self.pending = label(lang, "pending")
        self.formats = self._formats(document)
        self.style_numbering: dict[str, tuple[str, str] | None] = {}

    @staticmethod
    def _formats(document: Document) -> dict[str, dict[str, str]]:
        """numId → level → number format ("decimal", "bullet"…)."""
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):  # python-docx: the document has no numbering
            return {}  # part (nothing is Word-numbered: articles come from their markers)
        abstract: dict[str, dict[str, str]] = {}
        for definition in root.findall(qn("w:abstractNum")):
            levels = abstract.setdefault(definition.get(qn("w:abstractNumId"), ""), {})
            for lvl in definition.findall(qn("w:lvl")):
                fmt = lvl.find(qn("w:numFmt"))
                levels[lvl.get(qn("w:ilvl"), "0")] = (
                    fmt.get(qn("w:val"), "") if fmt is not None else ""
                )
        formats: dict[str, dict[str, str]] = {}
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                formats[num.get(qn("w:numId"), "")] = abstract.get(ref.get(qn("w:val"), ""), {})
        return formats

    def numbering_of_style(self, style: object) -> tuple[str, str] | None:
        name: str = style.name  # type: ignore[attr-defined]
        if name not in self.style_numbering:
            found = None
            while style is not None and found is None:
                ppr = style.element.pPr  # type: ignore[attr-defined]
                if ppr is not None and ppr.numPr is not None:
                    num_pr = ppr.numPr
                    level = num_pr.ilvl.val if num_pr.ilvl is not None else 0
                    found = (str(num_pr.numId.val) if num_pr.numId is not None else "", str(level))
                style = style.base_style  # type: ignore[attr-defined]
            self.style_numbering[name] = found
        return self.style_numbering[name]

    def counts(self, numbering: tuple[str, str] | None) -> bool:
        """Whether Word numbers a paragraph with this (numId, level): first level, a number."""
        if numbering is None:
            return False
        num_id, level = numbering
        if num_id in ("", "0") or level != "0":
            return False
        return self.formats.get(num_id, {}).get(level, "decimal") not in _NOT_NUMBERS

    def paragraph(self, child: etree._Element, place: str) -> Para:
        """One paragraph: its style's name, text (changes accepted), whether it is numbered."""
        ppr = child.find(qn("w:pPr"))
        style_el = ppr.find(qn("w:pStyle")) if ppr is not None else None
        style = self.styles.get(style_el.get(qn("w:val"), "")) if style_el is not None else None
        style = style or self.default
        name: str = style.name if style is not None else "Normal"
        numbering = self.numbering_of_style(style) if style is not None else None
        own = ppr.find(qn("w:numPr")) if ppr is not None else None
        if own is not None:
            num_id, level = own.find(qn("w:numId")), own.find(qn("w:ilvl"))
            numbering = (
                num_id.get(qn("w:val"), "") if num_id is not None else (numbering or ("", ""))[0],
                level.get(qn("w:val"), "0") if level is not None else "0",
            )
        is_pending = any(r.get(qn("w:val")) == "CKPending" for r in child.iter(qn("w:rStyle")))
        text = _text(child)
        if is_pending:
            text = text.replace(self.pending, "")
        return Para(place, name, text, numbered=self.counts(numbering), pending=is_pending)


def _joined(paras: Iterator[tuple[etree._Element, Para]]) -> Iterator[Para]:
    """Paragraphs with deleted paragraph marks accepted: such a paragraph joins the next; and
    our numbered lines joined back into their article's paragraph."""
    carry: tuple[str, Para | None] = ("", None)
    last: Para | None = None
    for child, own in paras:
        if own.style == "CK Note":
            continue
        if own.style in _JOIN and last is not None and carry[1] is None:
            text = last.text + _JOIN[own.style] + own.text
            last = Para(last.place, last.style, text, numbered=last.numbered, pending=last.pending)
            continue
        if last is not None:
            yield last
            last = None
        text, first = carry
        base = first if first is not None and first.text else own
        joined = text + own.text
        para = Para(base.place, base.style, joined, numbered=base.numbered, pending=base.pending)
        if child.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{qn('w:del')}") is not None:
            carry = (para.text, base)
            continue
        carry = ("", None)
        last = para
    if last is not None:
        yield last


def _column(tbl: etree._Element, lang: str) -> int | None:
    """The column of ``lang`` when the table's first row names languages, else None."""
    rows = tbl.findall(qn("w:tr"))
    if not rows:
        return None
    names = {lang.casefold(), language_name(lang, lang).casefold()}
    names.add(language_name(lang, "en").casefold())
    for index, cell in enumerate(rows[0].findall(qn("w:tc"))):
        if " ".join(_text(cell).split()).casefold() in names:
            return index
    return None


def _items(document: Document, lang: str) -> tuple[list[Para | None], bool]:
    """Body paragraphs in order, ``None`` for a table (the column of ``lang`` of a side-by-side
    table instead); and whether such a side-by-side table was found."""
    context = _Context(document, lang)
    items: list[Para | None] = []
    parallel = False
    counts = {"p": 0, "tbl": 0}

    def body() -> Iterator[tuple[etree._Element, Para] | None]:
        nonlocal parallel
        for child in document.element.body:
            if child.tag == qn("w:p"):
                counts["p"] += 1
                yield child, context.paragraph(child, f"paragraph {counts['p']}")
            elif child.tag == qn("w:tbl"):
                counts["tbl"] += 1
                column = _column(child, lang)
                if column is None:
                    yield None
                    continue
                parallel = True
                for r, row in enumerate(child.findall(qn("w:tr"))[1:], start=2):
                    cells = row.findall(qn("w:tc"))
                    if column < len(cells):
                        place = f"table {counts['tbl']}, row {r}, column {column + 1}"
                        for p in cells[column].findall(qn("w:p")):
                            yield p, context.paragraph(p, place)

    pending: list[tuple[etree._Element, Para]] = []
    for item in body():
        if item is None:
            items.extend(_joined(iter(pending)))
            pending = []
            items.append(None)
        else:
            pending.append(item)
    items.extend(_joined(iter(pending)))
    return items, parallel


def _open(data: bytes | Path, lang: str, source: str) -> Document:
    """The Word document in ``data`` (or the file ``data``), its sizes checked before any
    part is read."""
    if not is_language_code(lang):
        raise InvalidInput(f"{lang!r} is not a language code", field="lang")
    if isinstance(data, Path):
        data = read_file(data, MAX_DOCX_BYTES, field=source)
    if len(data) > MAX_DOCX_BYTES:
        raise InvalidInput(
            f"the file is {len(data):,} bytes; the limit is {MAX_DOCX_BYTES:,}", field=source
        )
    check_zip(
        data,
        entries=MAX_DOCX_ENTRIES,
        total=MAX_DOCX_UNCOMPRESSED,
        member=MAX_DOCX_PART,
        field=source,
        kind="Word (.docx) document",
    )
    try:
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise InvalidInput(f"not a Word (.docx) document ({exc})", field=source) from exc


def import_docx(data: bytes | Path, lang: str, *, source: str = "docx") -> MarkdownDraft:
    """Read one language's draft (title, subtitle, preamble, articles) from DOCX bytes or a
    file (a file's size is checked before it is read: :data:`MAX_DOCX_BYTES`).

    >>> draft = import_docx(Path("draft.en.docx"), "en")  # doctest: +SKIP
    >>> draft.title, len(draft.articles)                                # doctest: +SKIP
    ('A20 Global Social Consensus on Child Advocacy', 4)

    ``source`` (e.g. the file name) starts every error message. Raises
    :class:`~consensus_kit.errors.InvalidInput` for a file that is not a Word document, one too
    large once uncompressed (:data:`MAX_DOCX_UNCOMPRESSED`, :data:`MAX_DOCX_PART`,
    :data:`MAX_DOCX_ENTRIES`: checked before any part is read), or one without a title or
    without articles, or whose article numbers skip (naming the paragraph).
    """
    items, _ = _items(_open(data, lang, source), lang)
    return read_draft(items, source=source)


def import_parallel_docx(
    data: bytes | Path, langs: Sequence[str], *, source: str = "docx"
) -> dict[str, MarkdownDraft]:
    """Every language's draft from one document that sets them side by side in a table whose
    first row names the languages (as :func:`~consensus_kit.formats.docx_export.
    export_bilingual_docx` does).

    >>> drafts = import_parallel_docx(Path("a20.en-zh.docx").read_bytes(), ["en", "zh"])
    ... # doctest: +SKIP

    Raises :class:`~consensus_kit.errors.InvalidInput` when the document has no column for one
    of ``langs``.
    """
    drafts: dict[str, MarkdownDraft] = {}
    document = None
    for lang in langs:
        document = document or _open(data, lang, source)
        items, parallel = _items(document, lang)
        if not parallel:
            raise InvalidInput(
                f"no side-by-side table with a column headed {language_name(lang, lang)!r} "
                f"for {lang!r}: give one file per language instead",
                field=source,
            )
        drafts[lang] = read_draft(items, source=f"{source} ({lang})")
    return drafts


def pair_drafts(
    drafts: Mapping[str, MarkdownDraft],
    negotiating: str,
    *,
    date: dt.date | None = None,
    sources: Mapping[str, str] | None = None,
) -> Declaration:
    """One declaration from drafts of the same text in two or more languages.

    Parts are paired by position: the n-th article of every draft is article ``art-n``. An
    empty text (a "[translation pending]" marker read back) leaves that language out of the
    part; the negotiating language must have every part.

    >>> declaration = pair_drafts({"en": en, "zh": zh}, negotiating="en")  # doctest: +SKIP

    Raises :class:`~consensus_kit.errors.InvalidInput` when the drafts have different numbers
    of articles (naming each count), the negotiating language has no draft or a text is not
    acceptable; with ``sources`` (language → file name) the messages name the files.
    """
    named = dict(sources or {})
    if negotiating not in drafts:
        raise InvalidInput(
            f"no draft in the negotiating language {negotiating!r} "
            f"(drafts: {', '.join(drafts) or 'none'})",
            field="negotiating",
        )
    counts = {lang: len(d.articles) for lang, d in drafts.items()}
    if len(set(counts.values())) > 1:
        listed = ", ".join(
            f"{lang}: {n}" + (f" in {named[lang]}" if lang in named else "")
            for lang, n in counts.items()
        )
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
            if lang in named:
                field = f"{named[lang]}: {get if index is None else f'article {index + 1}'}"
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

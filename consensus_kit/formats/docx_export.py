"""Word documents of a version: one per language, and languages side by side.

>>> data = export_docx(meeting, version, "zh", signatories)                    # doctest: +SKIP
>>> data = export_bilingual_docx(meeting, version, "en", "zh", signatories)    # doctest: +SKIP
>>> data = export_parallel_docx(meeting, version, ["en", "fr", "zh", "ar"])    # doctest: +SKIP

All are pure functions of library values returning DOCX bytes. Article numbers are literal
("1.", "2."…, from the article's position); a language missing from a part prints
"[translation pending]" in that language instead of dropping the part.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeAlias

from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from consensus_kit.domain.endorsements import SignatoryLine, SigningRecord
from consensus_kit.domain.ids import Lang
from consensus_kit.domain.locales import language_name
from consensus_kit.domain.model import (
    Article,
    Declaration,
    LineWidths,
    Meeting,
    Version,
    VersionState,
)
from consensus_kit.errors import InvalidInput
from consensus_kit.formats.docx_common import (
    LANDSCAPE_TEXT_WIDTH_MM,
    add_footer,
    append_to_body,
    new_document,
    save,
    set_core_properties,
)
from consensus_kit.formats.docx_lines import (
    LINE_NUMBER_STYLE,
    add_line_styles,
    fitted_size,
    numbered_article,
)
from consensus_kit.formats.docx_signatures import signature_page
from consensus_kit.formats.docx_xml import (
    PAGE_TEXT_WIDTH_MM,
    paragraph,
    pending_paragraph,
    run,
    table,
    table_row,
    text_paragraph,
)
from consensus_kit.formats.export_common import (
    check_languages,
    check_texts,
    dateline,
    label,
    paragraphs_of,
)

__all__ = [
    "MAX_PARALLEL",
    "Progress",
    "export_bilingual_docx",
    "export_docx",
    "export_parallel_docx",
]

Progress = Callable[[int, int], None]
"""A progress callback: ``progress(done, total)``, called as parts are written."""

_Element: TypeAlias = etree._Element


def _text_or_pending(
    texts: dict[Lang, str], lang: str, style: str, *, size: float | None = None
) -> _Element:
    text = texts.get(Lang(lang))
    if text is None:
        return pending_paragraph(lang, style)
    return text_paragraph(text, lang, style, size=size)


def article_paragraphs(
    article: Article, number: int, lang: str, widths: LineWidths | None = None
) -> list[_Element]:
    """An article as paragraphs: "N." and a tab, then the text; further paragraphs of the
    article (after blank lines) follow, indented. With ``widths``, the text as the library's
    numbered lines instead (:func:`~consensus_kit.formats.docx_lines.numbered_article`)."""
    text = article.text.get(Lang(lang))
    if text is None:
        p = paragraph(lang, "CKArticle")
        if widths is not None:  # past the line numbers' gutter
            p.append(run("\t", lang, style=LINE_NUMBER_STYLE.replace(" ", "")))
        p.append(run(f"{number}.\t", lang))
        p.append(run(label(lang, "pending"), lang, style="CKPending"))
        return [p]
    if widths is not None:
        return numbered_article(text, number, lang, widths)
    chunks = paragraphs_of(text)
    first = paragraph(lang, "CKArticle")
    first.append(run(f"{number}.\t{chunks[0]}", lang))
    rest = [text_paragraph(chunk, lang, "CKArticleContinued") for chunk in chunks[1:]]
    return [first, *rest]


def heading_paragraphs(
    meeting: Meeting,
    version: Version,
    lang: str,
    *,
    date_line: bool = True,
    compact: bool = False,
    size: float = 14,
) -> list[_Element]:
    """Title, subtitle (when the declaration has one) and the date-and-place line; smaller
    type when ``compact`` (in a table cell: the title in ``size`` points)."""
    declaration = version.declaration
    out = [_text_or_pending(declaration.title, lang, "Title", size=size if compact else None)]
    if declaration.subtitle:
        sub = 11 if compact else None
        out.append(_text_or_pending(declaration.subtitle, lang, "Subtitle", size=sub))
    if date_line:
        out.append(text_paragraph(dateline(meeting, version, lang), lang, "CKDateline"))
    return out


def preamble_paragraphs(declaration: Declaration, lang: str) -> list[_Element]:
    """The preamble split at blank lines (nothing when the declaration has no preamble)."""
    if not declaration.preamble:
        return []
    text = declaration.preamble.get(Lang(lang))
    if text is None:
        return [pending_paragraph(lang, "CKPreamble")]
    return [text_paragraph(chunk, lang, "CKPreamble") for chunk in paragraphs_of(text)]


def _cell(text: str, lang: str, *, bold: bool = False) -> list[_Element]:
    p = paragraph(lang, "CKTableText")
    p.append(run(text, lang, bold=bold))
    return [p]


def _closing(
    meeting: Meeting,
    version: Version,
    signatories: Sequence[SignatoryLine],
    langs: Sequence[str],
    step: Callable[[], None],
    signing: Sequence[SigningRecord],
) -> list[_Element]:
    """The signature page, for a frozen version (or when signatories are given)."""
    if version.state is not VersionState.FROZEN and not signatories:
        return []
    return signature_page(meeting, version, signatories, langs, step, record=signing)


def _counter(total: int, progress: Progress | None) -> Callable[[], None]:
    done = [0]

    def step() -> None:
        done[0] += 1
        if progress:
            progress(done[0], total)

    return step


def export_docx(
    meeting: Meeting,
    version: Version,
    lang: str,
    signatories: Sequence[SignatoryLine] = (),
    *,
    progress: Progress | None = None,
    number_lines: bool = True,
    signing: Sequence[SigningRecord] = (),
) -> bytes:
    """The declaration of ``version`` in one language, as DOCX bytes.

    Title, subtitle, date and place ("23 March 2018, Beijing, China"), preamble, numbered
    articles, then the signatories (names and countries in ``lang``) and each time signing was
    closed or reopened (``signing``, from :meth:`MeetingService.signing_record`); the footer reads
    "Version N · <12 hex of the content hash> · page X of Y". A4, fonts for every script.
    Articles print along their numbered lines (the meeting's ``[lines]`` widths, the same
    numbers as on the pages and the PDF), the type sized so each fits one printed line;
    ``number_lines=False`` prints them as plain paragraphs.

    >>> data = export_docx(meeting, version, "en", signatory_lines(meeting, endorsements))
    ... # doctest: +SKIP

    Raises :class:`~consensus_kit.errors.InvalidInput` (naming the field) for a language the
    meeting lacks or a text XML cannot hold, before anything is written.
    """
    check_languages(meeting, version, [lang])
    declaration = version.declaration
    check_texts(meeting, [declaration], [lang], signatories)
    step = _counter(len(declaration.articles) + len(signatories), progress)
    document = new_document(lang)
    widths = meeting.lines if number_lines else None
    if widths is not None:
        size = fitted_size(lang, widths, PAGE_TEXT_WIDTH_MM)
        add_line_styles(document, columns=1, size=size)
    title = declaration.title.get(Lang(lang)) or label(lang, "pending")
    parts = heading_paragraphs(meeting, version, lang) + preamble_paragraphs(declaration, lang)
    for number, article in enumerate(declaration.articles, start=1):
        parts += article_paragraphs(article, number, lang, widths)
        step()
    parts += _closing(meeting, version, signatories, [lang], step, signing)
    append_to_body(document, parts)
    add_footer(document, version, lang)
    set_core_properties(document, meeting, version, lang, title)
    return save(document)


MAX_PARALLEL = 6
"""The most languages a side-by-side document sets in columns (the six UN languages)."""


def _language_header(lang: str) -> str:
    name = language_name(lang, lang)
    return name[:1].upper() + name[1:]  # "Français", "Русский" at the head of a column


def export_parallel_docx(
    meeting: Meeting,
    version: Version,
    langs: Sequence[str],
    signatories: Sequence[SignatoryLine] = (),
    *,
    progress: Progress | None = None,
    number_lines: bool = True,
    signing: Sequence[SigningRecord] = (),
) -> bytes:
    """The declaration in two to six languages side by side, as DOCX bytes.

    One table, a column per language in the order given: a header row with each language's
    name in itself ("English", "Français", "中文", "العربية"), repeated on every page, then one
    row each for the title, the date line, the preamble and every article, so the languages
    stay aligned. Each language's article prints along its own numbered lines (unless
    ``number_lines=False``). A4 landscape: two languages in type sized so that each numbered
    line is one printed line; three or more in type a little smaller, where a line longer than
    its column wraps under its text. Without numbered lines, two languages fit an A4 page
    upright. The signature page follows, with names in each language.

    >>> data = export_parallel_docx(meeting, version, ["en", "fr", "es", "ru", "zh", "ar"])
    ... # doctest: +SKIP

    Raises :class:`~consensus_kit.errors.InvalidInput` (field ``langs``) for fewer than two,
    more than six or repeated languages, and for a language the meeting lacks.
    """
    langs = list(langs)
    if not 2 <= len(langs) <= MAX_PARALLEL or len(set(langs)) != len(langs):
        raise InvalidInput(
            f"expected two to six different languages side by side, got "
            f"{', '.join(langs) or 'none'}",
            field="langs",
        )
    check_languages(meeting, version, langs)
    declaration = version.declaration
    check_texts(meeting, [declaration], langs, signatories)
    step = _counter(len(declaration.articles) + len(signatories), progress)
    first = langs[0]
    widths = meeting.lines if number_lines else None
    # two languages with numbered lines: landscape, so a numbered line fits its column
    landscape = len(langs) >= 3 or widths is not None
    document = new_document(first, columns=len(langs), landscape=landscape)
    page_width = LANDSCAPE_TEXT_WIDTH_MM if landscape else PAGE_TEXT_WIDTH_MM
    width = page_width / len(langs)
    if widths is not None:
        size = None  # three or more columns: the compact size, long lines wrap
        if len(langs) == 2:
            size = min(fitted_size(lg, widths, width, 2) for lg in langs)
        add_line_styles(document, columns=len(langs), size=size)
    tbl = table([width] * len(langs), rtl=False)
    # in the body before its rows: lxml walks every element it moves from one tree into
    # another, so the cells' paragraphs are walked once, not again with the whole table
    append_to_body(document, [tbl])
    table_row(
        tbl,
        [_cell(_language_header(lg), lg, bold=True) for lg in langs],
        header=True,
        shade=True,
    )
    title_size = 14 if len(langs) <= 3 else 12
    rows: list[list[list[_Element]]] = [
        [heading_paragraphs(meeting, version, lg, compact=True, size=title_size) for lg in langs],
    ]
    if declaration.preamble:
        rows.append([preamble_paragraphs(declaration, lg) for lg in langs])
    for row in rows:
        table_row(tbl, row, can_split=True)
    for number, article in enumerate(declaration.articles, start=1):
        cells = [article_paragraphs(article, number, lg, widths) for lg in langs]
        table_row(tbl, cells, can_split=True)
        step()
    closing: list[_Element] = []
    if version.state is VersionState.FROZEN or signatories:
        closing = signature_page(
            meeting, version, signatories, langs, step, width_mm=page_width, record=signing
        )
    append_to_body(document, closing)
    add_footer(document, version, first)
    title = " / ".join(declaration.title.get(Lang(lg)) or label(lg, "pending") for lg in langs)
    set_core_properties(document, meeting, version, first, title)
    document.core_properties.language = ",".join(langs)
    return save(document)


def export_bilingual_docx(
    meeting: Meeting,
    version: Version,
    lang_a: str,
    lang_b: str,
    signatories: Sequence[SignatoryLine] = (),
    *,
    progress: Progress | None = None,
    number_lines: bool = True,
) -> bytes:
    """The declaration in two languages side by side (``lang_a`` on the left), as DOCX bytes.

    >>> data = export_bilingual_docx(meeting, version, "en", "zh", lines)  # doctest: +SKIP

    See :func:`export_parallel_docx`.
    """
    langs = [lang_a, lang_b]
    return export_parallel_docx(
        meeting, version, langs, signatories, progress=progress, number_lines=number_lines
    )

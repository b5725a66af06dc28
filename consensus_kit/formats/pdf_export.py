"""The final text as PDF, for printing at the venue: one language, or two to six side by side.

>>> data = export_pdf(meeting, version, "zh", signatories)                     # doctest: +SKIP
>>> data = export_bilingual_pdf(meeting, version, "en", "zh", signatories)     # doctest: +SKIP
>>> data = export_parallel_pdf(meeting, version, ["en", "fr", "ar"], signatories)  # doctest: +SKIP

The same parts as the Word exports (title, subtitle, date and place, preamble, the articles,
the signature page of a frozen version), with every article printed along its numbered lines —
the library's lines (:mod:`consensus_kit.domain.lines`), so "Article 3, line 12" names the same
words on paper, on the projector and in the amendment list. Side by side, each article is one
row of a table with one column per language, each language numbered on its own, on landscape
pages. The type of the articles is sized so that a numbered line fits the column and prints as
one line (10.5 pt upright; about 8 pt for two side by side at the default widths); never below
7 pt (:data:`~consensus_kit.formats.pdf_common.MIN_LINE_PT`): in three to six narrower columns
a numbered line wraps inside its column, under its own number.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from consensus_kit.domain.endorsements import SignatoryLine
from consensus_kit.domain.ids import Lang
from consensus_kit.domain.locales import language_name
from consensus_kit.domain.model import Article, Meeting, Version, VersionState
from consensus_kit.errors import InvalidInput
from consensus_kit.formats.export_common import (
    adoption_date,
    check_languages,
    check_texts,
    dateline,
    guess_lang,
    label,
    long_date,
)
from consensus_kit.formats.pdf_common import (
    document,
    lang_attrs,
    line_size,
    numbered,
    write_pdf,
)

__all__ = [
    "MAX_PARALLEL",
    "declaration_html",
    "export_bilingual_pdf",
    "export_parallel_pdf",
    "export_pdf",
]

MAX_PARALLEL = 6
"""The most languages printed side by side."""
_TEXT_MM = 210 - 2 * 18  # A4 upright, between the margins
_WIDE_MM = 297 - 2 * 18  # A4 landscape, between the margins


def _column_mm(columns: int) -> float:
    """One column of A4 landscape shared by ``columns`` languages, less its padding."""
    return _WIDE_MM / columns - 4


_e = html.escape


def _pending(lang: str) -> str:
    return f'<p class="pending">{_e(label(lang, "pending"))}</p>'


def _heading(meeting: Meeting, version: Version, lang: str) -> str:
    d = version.declaration
    title = d.title.get(Lang(lang))
    out = f"<h1>{_e(title)}</h1>" if title is not None else _pending(lang)
    if d.subtitle:
        sub = d.subtitle.get(Lang(lang))
        out += f'<p class="subtitle">{_e(sub)}</p>' if sub is not None else _pending(lang)
    return out + f'<p class="dateline">{_e(dateline(meeting, version, lang))}</p>'


def _preamble(version: Version, lang: str) -> str:
    d = version.declaration
    if not d.preamble:
        return ""
    text = d.preamble.get(Lang(lang))
    return f'<div class="preamble">{_e(text)}</div>' if text is not None else _pending(lang)


def _article(meeting: Meeting, article: Article, number: int, lang: str) -> str:
    head = f'<p class="art-no">{_e(label(lang, "article_n", n=number))}</p>'
    text = article.text.get(Lang(lang))
    body = numbered(text, lang, meeting.lines) if text is not None else _pending(lang)
    return f'<div class="article" id="art-{_e(article.id)}">{head}{body}</div>'


def _attestation(meeting: Meeting, version: Version, lang: str) -> str:
    place = meeting.place.get(Lang(lang)) or meeting.place.get(meeting.negotiating_language, "")
    day = long_date(adoption_date(meeting, version), lang)
    key = "adopted_consensus" if meeting.decision.rule.value == "consensus" else "adopted"
    return label(lang, key, place=place, date=day)


def _distinct(values: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for text, lang in values:
        if text and text not in seen:
            seen[text] = lang
    return list(seen.items())


def _both(langs: Sequence[str], key: str) -> str:
    """A fixed phrase in each language: "Name / 姓名"."""
    return " / ".join(
        f"<span {lang_attrs(lg)}>{_e(text)}</span>"
        for text, lg in _distinct([(label(lg, key), lg) for lg in langs])
    )


def _block(number: int, line: SignatoryLine, langs: Sequence[str], negotiating: str) -> str:
    names = _distinct(
        [
            (line.names.get(Lang(lg)) or line.names.get(Lang(negotiating)) or line.organisation, lg)
            for lg in langs
        ]
    )
    org = "<br>".join(
        f"<span {lang_attrs(guess_lang(name, lg))}>{_e(name)}</span>" for name, lg in names
    )
    countries = _distinct([(line.country_in(lg), lg) for lg in langs])
    country = " / ".join(f"<span {lang_attrs(lg)}>{_e(c)}</span>" for c, lg in countries)
    dates = " / ".join(
        f"<span {lang_attrs(lg)}>{_e(long_date(line.signed_at.date(), lg))}</span>" for lg in langs
    )
    title = (
        f'<p class="field">{_both(langs, "title")}: '
        f"<span {lang_attrs(guess_lang(line.signer_title, langs[0]))}>{_e(line.signer_title)}"
        "</span></p>"
        if line.signer_title
        else ""
    )
    signer = f"<span {lang_attrs(guess_lang(line.signer, langs[0]))}>{_e(line.signer)}</span>"
    return (
        f'<div class="block"><p class="org">{number}. {org}</p><p>{country}</p>'
        f'<div class="sign"></div><p class="caption">{_both(langs, "signature")}</p>'
        f'<p class="field">{_both(langs, "name")}: {signer}</p>{title}'
        f'<p class="field">{_both(langs, "signed_on")}: {dates}</p></div>'
    )


def _signature_page(
    meeting: Meeting, version: Version, signatories: Sequence[SignatoryLine], langs: Sequence[str]
) -> str:
    """The signature page of a frozen version (or when signatories are given)."""
    if version.state is not VersionState.FROZEN and not signatories:
        return ""

    def bound(lg: str) -> str:
        return label(lg, "bound", version=version.number, hash=version.content_hash)

    head = "".join(
        f"<div {lang_attrs(lg)}><h2>{_e(label(lg, 'signatures'))}</h2>"
        f'<p class="attest">{_e(_attestation(meeting, version, lg))} {_e(label(lg, "witness"))}'
        f'</p><p class="bound">{_e(bound(lg))}</p></div>'
        for lg in langs
    )
    blocks = "".join(
        _block(i, line, langs, meeting.negotiating_language)
        for i, line in enumerate(signatories, start=1)
    )
    if not signatories:
        blocks = "".join(f"<p {lang_attrs(lg)}>{_e(label(lg, 'none_yet'))}</p>" for lg in langs)
    return f'<section class="signatures">{head}<div class="blocks">{blocks}</div></section>'


def declaration_html(
    meeting: Meeting,
    version: Version,
    langs: Sequence[str],
    signatories: Sequence[SignatoryLine] = (),
) -> str:
    """The HTML a PDF of the declaration is printed from: one language, or two to six
    (:data:`MAX_PARALLEL`) different ones side by side, in the order given."""
    langs = list(langs)
    if not 1 <= len(langs) <= MAX_PARALLEL or len(set(langs)) != len(langs):
        raise InvalidInput(
            f"expected one to {MAX_PARALLEL} different languages, got {len(langs)} "
            f"({', '.join(langs) or 'none'})",
            field="lang",
        )
    check_languages(meeting, version, langs)
    d = version.declaration
    check_texts(meeting, [d], langs, signatories)
    first = langs[0]
    title = " / ".join(d.title.get(Lang(lg)) or label(lg, "pending") for lg in langs)
    if len(langs) == 1:
        body = f"<main {lang_attrs(first)}>{_heading(meeting, version, first)}"
        body += _preamble(version, first)
        body += "".join(_article(meeting, a, n, first) for n, a in enumerate(d.articles, start=1))
        body += "</main>"
    else:

        def row(cells: list[str]) -> str:
            tds = "".join(
                f"<td {lang_attrs(lg)}>{c}</td>" for lg, c in zip(langs, cells, strict=True)
            )
            return f"<tr>{tds}</tr>"

        head = "".join(f"<th {lang_attrs(lg)}>{_e(language_name(lg, lg))}</th>" for lg in langs)
        rows = [row([_heading(meeting, version, lg) for lg in langs])]
        if d.preamble:
            rows.append(row([_preamble(version, lg) for lg in langs]))
        rows += [
            row([_article(meeting, a, n, lg) for lg in langs])
            for n, a in enumerate(d.articles, start=1)
        ]
        body = (
            f'<table class="parallel" dir="ltr"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    body += _signature_page(meeting, version, signatories, langs)
    wide = len(langs) >= 2
    size = line_size(meeting.lines, _column_mm(len(langs)) if wide else _TEXT_MM)
    return document(
        body,
        lang=first,
        title=title,
        version=version,
        landscape=wide,
        line_pt=size,
        columns=len(langs),
    )


def export_pdf(
    meeting: Meeting, version: Version, lang: str, signatories: Sequence[SignatoryLine] = ()
) -> bytes:
    """The declaration of ``version`` in one language, as PDF bytes (A4, numbered lines, the
    signature page of a frozen version).

    Raises :class:`~consensus_kit.errors.InvalidInput` (naming the field) for a language the
    meeting lacks, before anything is printed; :class:`~consensus_kit.errors.Unavailable`
    without WeasyPrint.
    """
    return write_pdf(declaration_html(meeting, version, [lang], signatories))


def export_bilingual_pdf(
    meeting: Meeting,
    version: Version,
    lang_a: str,
    lang_b: str,
    signatories: Sequence[SignatoryLine] = (),
) -> bytes:
    """The declaration in two languages side by side (``lang_a`` on the left), as PDF bytes."""
    return write_pdf(declaration_html(meeting, version, [lang_a, lang_b], signatories))


def export_parallel_pdf(
    meeting: Meeting,
    version: Version,
    langs: Sequence[str],
    signatories: Sequence[SignatoryLine] = (),
) -> bytes:
    """The declaration in two to six (:data:`MAX_PARALLEL`) languages side by side, one column
    per language in the order given, on landscape pages, as PDF bytes.

    Raises :class:`~consensus_kit.errors.InvalidInput` (field ``lang``) for fewer than two or
    more than six languages, a duplicate, or a language the meeting or the declaration lacks,
    before anything is printed.
    """
    langs = list(langs)
    if len(langs) < 2:
        raise InvalidInput(
            f"side by side takes two to {MAX_PARALLEL} different languages, got {len(langs)} "
            f"({', '.join(langs) or 'none'})",
            field="lang",
        )
    return write_pdf(declaration_html(meeting, version, langs, signatories))

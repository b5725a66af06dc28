"""Numbered lines in the Word exports (issue 22): the numbers are the library's
(:func:`~consensus_kit.domain.lines.number_lines`) per language, per article, in one
language, two and more side by side; the Word import gives the texts back exactly; pandoc and
LibreOffice (independent readers) show the numbers beside the right words; the redline has none.

Normalisation where the numbers legitimately appear: a numbered line paragraph reads
"<number><tab>[<N.><tab>]<text>" (python-docx, pandoc) or "<number>  [N.]  <text>"
(LibreOffice's PDF through ``pdftotext -layout``); those tests split the number off and
compare the rest with the line's text.
"""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import docx
import msgspec
import pytest

from consensus_kit.domain.ids import ArticleId
from consensus_kit.domain.lines import number_lines, text_width
from consensus_kit.domain.model import Article, LineWidths, Meeting, Version
from consensus_kit.formats.docx_export import (
    export_bilingual_docx,
    export_docx,
    export_parallel_docx,
)
from consensus_kit.formats.docx_import import import_docx, import_parallel_docx, pair_drafts
from consensus_kit.formats.docx_redline import export_redline_docx
from tests.cli.test_cli import A20, run
from tests.docx_text import W, article_lines, cell_text
from tests.integration.test_exports import a20, open_docx, revised, trilingual, version_of
from tests.office import need, pdf_text, to_pdf

NARROW = LineWidths(latin=30, cjk=12)


def expected_lines(text: str, lang: str, widths: LineWidths) -> list[tuple[int | None, str]]:
    return [(line.number, line.text) for line in number_lines(text, lang, widths)]


def printed(lines: list[tuple[int | None, str]], number: int) -> list[tuple[int | None, str]]:
    """A document's lines of article ``number``, the "N.<tab>" of the first dropped and each
    line's wrapping whitespace trimmed (as ``Line.text``)."""
    out = []
    for i, (n, text) in enumerate(lines):
        shown = text
        if i == 0:
            assert text.startswith(f"{number}.\t"), text
            shown = text[len(f"{number}.\t") :]
        out.append((n, shown.rstrip()))
    return out


def narrow(meeting: Meeting) -> Meeting:
    return msgspec.structs.replace(meeting, lines=NARROW)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("widths", [None, NARROW])
def test_each_article_prints_the_library_numbered_lines(
    lang: str, widths: LineWidths | None
) -> None:
    meeting, version, lines = a20()
    if widths is not None:
        meeting = msgspec.structs.replace(meeting, lines=widths)
    document = open_docx(export_docx(meeting, version, lang, lines))
    found = article_lines(document.paragraphs)
    assert len(found) == 4
    for number, (article, lines_of) in enumerate(
        zip(version.declaration.articles, found, strict=True), start=1
    ):
        want = expected_lines(article.text[lang], lang, meeting.lines)  # type: ignore[index]
        assert printed(lines_of, number) == want
        assert len(want) > (1 if widths is None else 5)  # several lines, so numbering is seen
    if lang == "zh" and widths is not None:  # 12 characters a line, punctuation kept off starts
        texts = [t for lines_of in found for _, t in lines_of[1:]]
        assert all(text_width(t) <= 24 for t in texts)
        assert not any(t[0] in "。，、；：）》" for t in texts if t)


def test_the_numbers_are_small_grey_and_not_text() -> None:
    meeting, version, lines = a20()
    document = open_docx(export_docx(meeting, version, "zh", lines))
    style = document.styles["CK Line Number"]
    assert style.font.size.pt < 9
    assert str(style.font.color.rgb) == "808080"
    numbers = [r for r in document.element.body.iter(W + "r") if r.find(f"{W}rPr/{W}rStyle") is not None and r.find(f"{W}rPr/{W}rStyle").get(W + "val") == "CKLineNumber"]  # fmt: skip
    assert len(numbers) == sum(
        len(number_lines(a.text["zh"], "zh", meeting.lines))  # type: ignore[index]
        for a in version.declaration.articles
    )
    # the text size is fitted: 40 full-width characters fit beside the gutter
    article = document.styles["CK Article"].font.size.pt
    assert 9 <= article <= 11


@pytest.mark.parametrize("langs", [("en", "zh"), ("en", "zh", "ar"), ("ar", "en")])
def test_side_by_side_each_language_has_its_own_numbers(langs: tuple[str, ...]) -> None:
    meeting, version, lines = trilingual()
    meeting = narrow(meeting)
    data = export_parallel_docx(meeting, version, langs, lines)
    table = docx.Document(io.BytesIO(data)).tables[0]
    articles = version.declaration.articles
    for k, article in enumerate(articles, start=1):
        row = table.rows[-len(articles) - 1 + k]
        for lang, cell in zip(langs, row.cells, strict=True):
            want = expected_lines(article.text[lang], lang, NARROW)  # type: ignore[index]
            (found,) = article_lines(cell.paragraphs)
            assert printed(found, k) == want, (lang, k)
            assert cell_text(cell) == f"{k}.\t{article.text[lang]}"  # type: ignore[index]


def test_two_languages_go_landscape_and_fit_every_line() -> None:
    meeting, version, lines = a20()
    document = open_docx(export_bilingual_docx(meeting, version, "en", "zh", lines))
    section = document.sections[0]
    assert section.page_width > section.page_height
    plain = open_docx(
        export_bilingual_docx(meeting, version, "en", "zh", lines, number_lines=False)
    )
    assert plain.sections[0].page_width < plain.sections[0].page_height  # as before: upright


AWKWARD = [
    "First part, long enough to wrap over several lines.\n\nSecond part.\nA new line.",
    "Two  spaces where it wraps: aaaaaaaaaaaaaaaaaaaaaaaaa  bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.",
    "A word longer than a line: " + "x" * 70 + " and after it.",
    "A trailing space at the end of a text long enough to wrap ",
    "儿童是权利的主体。我们呼吁各国（尤其是发展中国家）在2030年前加强合作，保护每一个儿童。\n第二行。",
]


@pytest.mark.parametrize("text", AWKWARD)
def test_export_then_import_gives_every_text_back_exactly(text: str) -> None:
    meeting, version, lines = trilingual()
    meeting = narrow(meeting)
    lang = "zh" if "儿童" in text else "en"
    art = version.declaration.articles[0]
    changed = Article(id=ArticleId(art.id), text={**art.text, lang: text})
    declaration = msgspec.structs.replace(
        version.declaration, articles=(changed, *version.declaration.articles[1:])
    )
    version = version_of(meeting, declaration)
    assert len(number_lines(text, lang, NARROW)) > 1
    draft = import_docx(export_docx(meeting, version, lang, lines), lang)
    assert draft.articles[0] == text
    data = export_parallel_docx(meeting, version, ["en", "zh", "ar"], lines)
    drafts = import_parallel_docx(data, ["en", "zh", "ar"])
    assert pair_drafts(drafts, "en", date=declaration.date) == declaration


def test_without_line_numbers_the_articles_are_plain_paragraphs() -> None:
    meeting, version, lines = a20()
    for data in (
        export_docx(meeting, version, "en", lines, number_lines=False),
        export_bilingual_docx(meeting, version, "en", "zh", lines, number_lines=False),
    ):
        document = open_docx(data)
        assert b"CKLineNumber" not in document.element.xml.encode()
        styles = {p.style.name for p in document.paragraphs}
        styles |= {p.style.name for t in document.tables for c in t._cells for p in c.paragraphs}
        assert not styles & {"CK Article Line", "CK Article New Line", "CK Article Line Unspaced"}
    draft = import_docx(export_docx(meeting, version, "en", lines, number_lines=False), "en")
    assert list(draft.articles) == [a.text["en"] for a in version.declaration.articles]  # type: ignore[index]


def test_the_redline_has_no_line_numbers() -> None:
    meeting, version, _ = a20()
    new = version_of(meeting, revised(version), 4)
    data = export_redline_docx(meeting, version, new, "en")
    assert b"CKLineNumber" not in data  # not in any (compressed) part, nor the styles
    assert "CKLineNumber" not in open_docx(data).element.xml


def test_pandoc_reads_the_numbers_beside_their_lines(tmp_path: Path) -> None:
    need("pandoc")
    meeting, version, lines = a20()
    meeting = narrow(meeting)
    path = tmp_path / "a20.zh.docx"
    path.write_bytes(export_docx(meeting, version, "zh", lines))
    out = subprocess.run(
        ["pandoc", "-f", "docx", "-t", "plain", "--wrap=none", str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    paragraphs = [p.strip() for p in out.split("\n\n") if p.strip()]
    article = version.declaration.articles[1].text["zh"]  # type: ignore[index]
    want = expected_lines(article, "zh", NARROW)
    start = next(i for i, p in enumerate(paragraphs) if re.match(r"1\s+2\.\s", p))
    for (number, text), para in zip(want, paragraphs[start:], strict=False):
        # pandoc writes a tab as spaces: "<n>  [2.  ]<text>"
        got = re.sub(r"^\d+\s+(2\.\s+)?", "", para)
        assert para.split()[0] == str(number)
        assert got == text


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """The A20 text printed by LibreOffice from our DOCX: en and zh, and side by side."""
    meeting, version, lines = a20()
    folder = tmp_path_factory.mktemp("lines")
    documents = {
        "en": export_docx(meeting, version, "en", lines),
        "zh": export_docx(meeting, version, "zh", lines),
        "en-zh": export_bilingual_docx(meeting, version, "en", "zh", lines),
    }
    return {name: pdf_text(to_pdf(data, folder, name)) for name, data in documents.items()}


def _version() -> tuple[Meeting, Version]:
    meeting, version, _ = a20()
    return meeting, version


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_libreoffice_prints_each_numbered_line_as_one_line(
    rendered: dict[str, list[str]], lang: str
) -> None:
    meeting, version = _version()
    printed_lines = [line.strip() for page in rendered[lang] for line in page.splitlines()]
    squash = (lambda s: re.sub(r"\s+", "", s)) if lang == "zh" else (lambda s: " ".join(s.split()))
    at = 0
    for number, article in enumerate(version.declaration.articles, start=1):
        for line in number_lines(article.text[lang], lang, meeting.lines):  # type: ignore[index]
            head = rf"{line.number}\s+" + (rf"{number}\.\s+" if line.number == 1 else "")
            # the next printed line with this number holds exactly this line's words
            while not re.match(head + r"\S", printed_lines[at]):
                at += 1
            words = re.sub("^" + head, "", printed_lines[at])
            assert squash(words) == squash(line.text), (lang, number, line.number)
            at += 1


def test_libreoffice_prints_both_languages_numbers_side_by_side(
    rendered: dict[str, list[str]],
) -> None:
    meeting, version = _version()
    text = "\n".join(rendered["en-zh"])
    first = version.declaration.articles[0]
    for lang in ("en", "zh"):
        lines = number_lines(first.text[lang], lang, meeting.lines)  # type: ignore[index]
        # the first words of every numbered line are printed (one printed line each)
        for line in lines:
            assert line.text[:12] in text, (lang, line.number)
    # an article's first printed row holds its English and its Chinese first line, numbered
    assert re.search(r"^\s*1\s+2\.\s+Non-governmental .*\s1\s+2\.\s+社会组织", text, re.M)


def test_the_cli_exports_numbered_lines_unless_told_not_to(tmp_path: Path) -> None:
    db = str(tmp_path / "a20.db")
    assert run("load", str(A20), "--db", db).returncode == 0
    for flag, numbered in (((), True), (("--no-line-numbers",), False)):
        out = tmp_path / f"{numbered}.docx"
        args = ["export", "--db", db, "--format", "docx", "--lang", "zh", *flag, "--out", str(out)]
        result = run(*args)
        assert result.returncode == 0, result.stderr
        document = docx.Document(str(out))
        assert bool(article_lines(document.paragraphs)[0][0][0]) is numbered
        assert import_docx(out.read_bytes(), "zh").articles[3].startswith("构建一个充满活力")
    assert "--no-line-numbers" in run("export", "--help").stdout

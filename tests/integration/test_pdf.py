"""PDF exports judged by poppler's ``pdftotext``, a reader we did not write.

How the texts are compared: ``pdftotext -raw`` gives the text in the order it was drawn; the
page footer is left out by cropping each page above it (``-H``), and a side-by-side page is
cut into its two columns (``-x``/``-W``). Each language's text is then normalised fairly: runs
of whitespace (where a line or a page broke) become one space in spaced scripts — except a
break right after a hyphen of the text ("non-government"), which is removed — and nothing in
Chinese (pdftotext puts spaces between CJK and Latin runs). WeasyPrint adds no hyphens. The expected text is built from the
library alone: title, subtitle, date line, preamble, and for each article its heading and
every numbered line as "N words". Equality of the whole prefix, not a search for fragments.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

import msgspec
import pytest

from consensus_kit import (
    CONSOLE,
    ExportFormat,
    InvalidInput,
    MeetingService,
    number_lines,
    parse_meeting_file,
)
from consensus_kit.domain.endorsements import SignatoryLine
from consensus_kit.domain.locales import language_name
from consensus_kit.domain.model import LineWidths, Meeting, Version
from consensus_kit.formats.export_common import dateline, is_east_asian, label
from consensus_kit.formats.pdf_common import MIN_LINE_PT
from consensus_kit.formats.pdf_export import (
    declaration_html,
    export_bilingual_pdf,
    export_parallel_pdf,
    export_pdf,
)
from tests.builders import load_meeting
from tests.integration.test_exports import a20, signatories_of, trilingual, version_of
from tests.office import need
from tests.six_languages import LANGS, TEXTS, six_language_toml

PORTRAIT = (595, 842)  # A4 in points
LANDSCAPE = (842, 595)
FOOTER = 62  # points at the foot of a page where the footer sits (22 mm margin)


def pdf_pages(data: bytes, folder: Path, *, column: int | None = None) -> list[str]:
    """The text of each page above the footer (``column`` 0 or 1: one half of the page)."""
    need("pdftotext")
    source = folder / "document.pdf"
    source.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(source)], capture_output=True, check=True).stdout
    found = re.search(rb"Page size:\s+([\d.]+) x ([\d.]+)", info)
    assert found, info
    width, height = round(float(found.group(1))), round(float(found.group(2)))
    assert (width, height) in (PORTRAIT, LANDSCAPE)
    crop = ["-x", "0", "-y", "0", "-W", str(width), "-H", str(height - FOOTER)]
    if column is not None:
        crop = ["-x", str(column * width // 2), "-y", "0", "-W", str(width // 2)]
        crop += ["-H", str(height - FOOTER)]
    out = subprocess.run(
        ["pdftotext", "-raw", *crop, str(source), "-"], capture_output=True, check=True
    ).stdout.decode()
    return out.split("\f")[:-1]


def normalise(text: str, lang: str) -> str:
    """Whitespace as the comparison ignores it (see the module docstring)."""
    if is_east_asian(lang):
        return re.sub(r"\s+", "", text)
    text = text.replace("-\n", "-")  # a paragraph wrapped after its own hyphen ("non-government")
    return re.sub(r"\s+", " ", text).strip()


def expected_text(meeting: Meeting, version: Version, lang: str) -> str:
    """The final text in ``lang`` as the PDF must print it, from the library's values."""
    d = version.declaration
    parts = [d.title[lang]]  # type: ignore[index]
    if d.subtitle:
        parts.append(d.subtitle[lang])  # type: ignore[index]
    parts.append(dateline(meeting, version, lang))
    if d.preamble:
        parts.append(d.preamble[lang])  # type: ignore[index]
    for n, article in enumerate(d.articles, start=1):
        parts.append(label(lang, "article_n", n=n))
        text = article.text[lang]  # type: ignore[index]
        parts += [f"{line.number} {line.text}" for line in number_lines(text, lang, meeting.lines)]
    return normalise("\n".join(parts), lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_pdf_of_one_language_is_its_final_text(tmp_path: Path, lang: str) -> None:
    meeting, version, lines = a20()
    pages = pdf_pages(export_pdf(meeting, version, lang, lines), tmp_path)
    printed = normalise("\n".join(pages), lang)
    expected = expected_text(meeting, version, lang)
    assert printed[: len(expected)] == expected
    # then the signature page: its heading and the 20 organisations
    rest = printed[len(expected) :].lstrip()
    assert rest.startswith(normalise(label(lang, "signatures"), lang))
    assert all(normalise(line.signer, lang) in rest for line in lines)


def test_the_bilingual_pdf_gives_each_language_its_final_text_in_its_column(
    tmp_path: Path,
) -> None:
    meeting, version, lines = a20()
    data = export_bilingual_pdf(meeting, version, "zh", "en", lines)
    for column, lang in enumerate(("zh", "en")):
        pages = pdf_pages(data, tmp_path, column=column)
        header = "中文" if lang == "zh" else "English"
        body = "\n".join(re.sub(rf"^{header}\n", "", page) for page in pages)  # repeated header
        printed = normalise(body, lang)
        expected = expected_text(meeting, version, lang)
        assert printed[: len(expected)] == expected, lang


def test_a_numbered_line_prints_as_one_line_at_the_meetings_widths(tmp_path: Path) -> None:
    meeting, version, lines = a20()
    narrow = msgspec.structs.replace(meeting, lines=LineWidths(latin=50, cjk=24))
    for m in (meeting, narrow):
        text = pdf_pages(export_pdf(m, version, "en", lines), tmp_path)
        printed = [row.strip() for page in text for row in page.splitlines()]
        for article in version.declaration.articles:
            for line in number_lines(article.text["en"], "en", m.lines):  # type: ignore[index]
                assert f"{line.number} {line.text}" in printed, (m.lines, line)


def w_text(word: tuple[str, ...]) -> str:
    """An Arabic word of ``pdftotext -bbox`` (visual order) in logical order."""
    return word[3][::-1]


def test_chinese_is_printed_in_a_cjk_font_and_arabic_right_to_left(tmp_path: Path) -> None:
    need("pdffonts")
    meeting, version, lines = trilingual()
    zh = tmp_path / "zh.pdf"
    zh.write_bytes(export_pdf(meeting, version, "zh", lines))
    fonts = subprocess.run(["pdffonts", str(zh)], capture_output=True, check=True).stdout
    assert b"CJK" in fonts
    ar = tmp_path / "ar.pdf"
    ar.write_bytes(export_pdf(meeting, version, "ar", lines))
    boxes = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(ar), "-"], capture_output=True, check=True
    ).stdout.decode()
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([^<]*)<', boxes
    )
    first = version.declaration.articles[0].text["ar"]  # type: ignore[index]
    # pdftotext -bbox gives each Arabic word in visual order (reversed); find line 1's row
    rows = [
        [w for w in words if abs(float(w[1]) - float(start[1])) < 4]
        for start in words
        if w_text(start) == first.split()[0]
    ]
    (row,) = [r for r in rows if {w_text(w) for w in r} - {"1"} == set(first.split())]
    (number,) = [w for w in row if w[3] == "1"]
    # the line number stands in the right-hand margin, to the right of every word of its line
    assert all(float(w[2]) < float(number[0]) for w in row if w is not number)


def test_a_pdf_in_a_language_the_declaration_lacks_is_refused(tmp_path: Path) -> None:
    meeting, version, lines = a20()
    with pytest.raises(InvalidInput) as caught:
        export_pdf(meeting, version, "fr", lines)
    assert caught.value.field == "lang"
    with pytest.raises(InvalidInput):
        export_bilingual_pdf(meeting, version, "en", "en", lines)


def _votes(service: MeetingService) -> tuple[str, dict[str, object]]:
    loaded = load_meeting(service, orgs=3)
    mid = loaded.meeting.id
    p = {d.id: d for d in loaded.meeting.delegates}
    for n, secret in ((1, False), (2, True)):
        amendment = service.propose_amendment(
            p["delegate-1"], mid, kind="replace", article=f"art-{n}", texts={"en": f"New {n}."}
        )
        vote = service.open_vote(
            p["chair"], mid, amendment=amendment.number, rule="simple_majority", secret=secret
        )
        for i, choice in ((1, "yes"), (2, "yes"), (3, "no")):
            service.cast_ballot(p[f"delegate-{i}"], mid, vote.number, choice, key=f"k{n}{i}")
        service.close_vote(p["chair"], mid, vote.number)
    return mid, p


def test_the_record_of_votes_gives_rule_tally_outcome_and_the_roll_call_where_not_secret(
    service: MeetingService, tmp_path: Path
) -> None:
    mid, p = _votes(service)
    files = service.export(p["observer"], mid, ExportFormat.VOTES_PDF)  # type: ignore[arg-type]
    assert [f.filename for f in files] == ["test-meeting-votes.en.pdf", "test-meeting-votes.zh.pdf"]
    en = "\n".join(pdf_pages(files[0].data, tmp_path))
    roll, secret = en.split("Vote 2")
    assert "Vote 1 · Amendment 1" in roll and "Amendment 2" in secret
    for section in (roll, secret):
        assert "simple majority" in section and "adopted" in section
        assert "yes 2 · no 1 · abstain 0" in section
        assert "3 of 3 organisations cast a ballot" in section
    assert "Organisation 1 (en) yes" in roll and "Organisation 3 (en) no" in roll
    assert "roll call" in roll and "secret" in secret
    assert "Organisation" not in secret.replace("Organisation Ballot", "")  # nobody named
    zh = normalise("\n".join(pdf_pages(files[1].data, tmp_path)), "zh")
    assert "第1次表决·第1号修正案" in zh and "简单多数" in zh and "赞成2·反对1·弃权0" in zh
    assert "Organisation1(zh)赞成" in zh


def test_the_service_prints_the_final_text_and_refuses_a_missing_language(
    service: MeetingService, tmp_path: Path
) -> None:
    mid, _ = _votes(service)
    (pdf,) = service.export(CONSOLE, mid, "pdf", langs=["zh"])
    assert pdf.filename == "test-meeting-v3.zh.pdf" and pdf.media_type == "application/pdf"
    version = service.version(CONSOLE, mid)
    printed = normalise("\n".join(pdf_pages(pdf.data, tmp_path)), "zh")
    assert printed.startswith(expected_text(service.meeting(mid), version, "zh"))
    with pytest.raises(InvalidInput) as caught:
        service.export(CONSOLE, mid, "pdf", langs=["fr"])
    assert caught.value.field == "lang"
    with pytest.raises(InvalidInput):
        service.export(CONSOLE, mid, "bilingual-pdf", langs=["en"])


# --- two to six languages side by side ----------------------------------------------------------

MARGIN = 18 / 25.4 * 72  # the page's side margins, in points


def column_pages(data: bytes, folder: Path, column: int, columns: int) -> list[str]:
    """The text of each page's ``column`` (of ``columns`` sharing the landscape page evenly
    between its margins), above the footer, without the column's header."""
    need("pdftotext")
    source = folder / "parallel.pdf"
    source.write_bytes(data)
    width = (LANDSCAPE[0] - 2 * MARGIN) / columns
    crop = ["-x", str(int(MARGIN + column * width)), "-y", "0", "-W", str(int(width))]
    crop += ["-H", str(LANDSCAPE[1] - FOOTER)]
    out = subprocess.run(
        ["pdftotext", "-raw", *crop, str(source), "-"], capture_output=True, check=True
    ).stdout.decode()
    return out.split("\f")[:-1]


def six_languages() -> tuple[Meeting, Version, list[SignatoryLine]]:
    """The Geneva meeting in the six UN languages (six organisations), as version 3."""
    loaded = parse_meeting_file(six_language_toml(orgs=6), source="geneva.toml")
    meeting = loaded.meeting
    return meeting, version_of(meeting, loaded.declaration), signatories_of(meeting)


def arabic_words(text: str) -> set[str]:
    """The words pdftotext gives of an Arabic column, without bidi marks, vowel marks or
    punctuation (each word comes in logical order; the words of a line in visual order)."""
    text = re.sub("[\u202a-\u202e\u064b-\u0652]", "", text)
    return {w.strip(".,:،؛") for w in text.split()}


def test_the_six_language_pdf_gives_each_language_its_final_text_in_its_column(
    tmp_path: Path,
) -> None:
    meeting, version, lines = six_languages()
    data = export_parallel_pdf(meeting, version, LANGS, lines)
    for column, lang in enumerate(LANGS):
        pages = column_pages(data, tmp_path, column, len(LANGS))
        assert len(pages) > 1  # the articles, then the signature pages
        header = language_name(lang, lang)
        if lang == "ar":
            words = arabic_words("\n".join(pages))
            assert header in words
            letters = Counter("".join(words))
            for article in version.declaration.articles:
                text = article.text["ar"]  # type: ignore[index]
                first = text.split()[0]
                if first == arabic_words(first).pop():  # pdftotext splits words at vowel marks
                    assert first in words, (article.id, first)
                # lam-alef comes back split and swapped, marks moved: compare the letters
                assert Counter("".join(arabic_words(text))) <= letters, article.id
            continue
        body = "\n".join(re.sub(rf"^{header}\n", "", page) for page in pages)
        printed = normalise(body, lang)
        expected = expected_text(meeting, version, lang)
        # every numbered line whole and in order, wrapped in its narrow column where it must
        assert printed[: len(expected)] == expected, lang
        for article in TEXTS:
            if article.startswith("art-"):
                assert normalise(TEXTS[article][lang], lang)[:12] in printed


def test_three_languages_print_on_landscape_pages_in_the_order_given(tmp_path: Path) -> None:
    meeting, version, lines = trilingual()
    data = export_parallel_pdf(meeting, version, ["zh", "ar", "en"], lines)
    whole = pdf_pages(data, tmp_path)  # asserts the page is A4, upright or landscape
    source = tmp_path / "document.pdf"
    info = subprocess.run(["pdfinfo", str(source)], capture_output=True, check=True).stdout
    assert b"841.89 x 595.276" in info  # landscape
    assert whole[0].index("中文") < whole[0].index("English")  # the columns in the order given
    english = column_pages(data, tmp_path, 2, 3)
    printed = normalise("\n".join(re.sub(r"^English\n", "", p) for p in english), "en")
    expected = expected_text(meeting, version, "en")
    assert printed[: len(expected)] == expected


def test_the_narrow_columns_keep_a_readable_size_and_wrap_under_the_number() -> None:
    meeting, version, lines = six_languages()
    two = declaration_html(meeting, version, ["en", "fr"], lines)
    six = declaration_html(meeting, version, LANGS, lines)
    size = re.compile(r"td\.lt \{ white-space: pre; font-size: ([\d.]+)pt")
    assert float(size.search(two).group(1)) >= MIN_LINE_PT  # type: ignore[union-attr]
    assert (
        "td.lt { white-space: pre-wrap" not in two
    )  # two languages: each numbered line on one printed line
    assert float(size.search(six).group(1)) == MIN_LINE_PT  # type: ignore[union-attr]
    assert "td.lt { white-space: pre-wrap" in six


@pytest.mark.parametrize(
    "langs",
    [["en"], ["en", "en"], ["en", "fr", "es", "ru", "zh", "ar", "de"], ["en", "de"], []],
)
def test_a_parallel_pdf_of_one_or_seven_languages_a_duplicate_or_a_missing_one_is_refused(
    langs: list[str],
) -> None:
    meeting, version, lines = six_languages()
    if "de" in langs and len(langs) == 7:
        meeting = msgspec.structs.replace(meeting, languages=(*meeting.languages, "de"))
    with pytest.raises(InvalidInput) as caught:
        export_parallel_pdf(meeting, version, langs, lines)
    assert caught.value.field == "lang"


def test_the_service_prints_every_language_side_by_side_by_default(
    service: MeetingService, tmp_path: Path
) -> None:
    mid, _ = _votes(service)
    (pdf,) = service.export(CONSOLE, mid, "parallel-pdf")
    assert pdf.filename == "test-meeting-v3.en-zh.pdf" and pdf.media_type == "application/pdf"
    (reversed_,) = service.export(CONSOLE, mid, ExportFormat.PARALLEL_PDF, langs=["zh", "en"])
    assert reversed_.filename == "test-meeting-v3.zh-en.pdf"
    for langs in (["en"], ["en", "en"], ["en", "fr"]):
        with pytest.raises(InvalidInput) as caught:
            service.export(CONSOLE, mid, "parallel-pdf", langs=langs)
        assert caught.value.field == "lang"

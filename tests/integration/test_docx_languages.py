"""Word documents in every language (issue 27): two to six languages side by side, labels and
tags per language, no synthetic italics on scripts without them, each language's punctuation,
read back with python-docx and from the XML."""

from __future__ import annotations

import io
import zipfile

import docx
import msgspec
import pytest
from lxml import etree

from consensus_kit import Meeting, Version, VersionState, parse_meeting_file
from consensus_kit.domain.endorsements import SignatoryLine
from consensus_kit.formats._labels import LABELS
from consensus_kit.formats.docx_export import export_docx, export_parallel_docx
from consensus_kit.formats.docx_redline import export_redline_docx
from consensus_kit.formats.export_common import dateline
from tests.builders import make_meeting_file
from tests.docx_text import cell_text
from tests.integration.test_exports import W, signatories_of, version_of
from tests.six_languages import LANGS, six_language_toml


@pytest.fixture(scope="module")
def six() -> tuple[Meeting, Version, list[SignatoryLine]]:
    """The six-language meeting (12 organisations) and its text as a frozen version."""
    mf = parse_meeting_file(six_language_toml(orgs=12), source="six.toml")
    return mf.meeting, version_of(mf.meeting, mf.declaration), signatories_of(mf.meeting)


def _xml(data: bytes, part: str = "word/document.xml") -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(part))


def _run_of(root: etree._Element, text: str) -> etree._Element:
    for r in root.iter(f"{W}r"):
        if "".join(t.text or "" for t in r.iter(f"{W}t")) == text:
            return r
    raise AssertionError(f"no run {text!r}")


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6])
def test_two_to_six_languages_side_by_side(
    six: tuple[Meeting, Version, list[SignatoryLine]], n: int
) -> None:
    meeting, version, lines = six
    langs = list(LANGS[:n])
    document = docx.Document(io.BytesIO(export_parallel_docx(meeting, version, langs, lines)))
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape (numbered lines fit in two)
    table = document.tables[0]
    assert len(table.columns) == n
    widths = {cell.width for cell in table.rows[1].cells}
    assert len(widths) == 1  # equal columns filling the page's text width
    text_width = section.page_width - section.left_margin - section.right_margin
    assert abs(sum(c.width for c in table.rows[1].cells) - text_width) < 20000  # EMU, < 1 mm
    # the articles stay aligned: row k holds article k in every language
    for k in range(1, 5):
        cells = [cell_text(c) for c in table.rows[2 + k].cells]
        assert all(c.startswith(f"{k}.") for c in cells), cells


def test_the_parallel_signature_page_names_every_language_in_its_own_run(
    six: tuple[Meeting, Version, list[SignatoryLine]],
) -> None:
    meeting, version, lines = six
    root = _xml(export_parallel_docx(meeting, version, list(LANGS), lines))
    for lang in LANGS:
        run = _run_of(root, LABELS[lang]["signatures"])
        tag = run.find(f"{W}rPr/{W}lang").get(f"{W}val")
        assert tag.split("-")[0] == (lang if LABELS[lang]["signatures"] != "Signatures" else "en")


def test_the_arabic_date_line_and_note_are_upright_and_arabic(
    six: tuple[Meeting, Version, list[SignatoryLine]],
) -> None:
    meeting, version, lines = six
    data = export_docx(meeting, version, "ar", lines)
    root = _xml(data)
    line = _run_of(root, dateline(meeting, version, "ar"))
    assert line.find(f"{W}rPr/{W}i").get(f"{W}val") == "0"  # the style is italic; Arabic is not
    assert line.find(f"{W}rPr/{W}iCs").get(f"{W}val") == "0"
    newer = msgspec.structs.replace(version, number=version.number + 1, parent=version.number)
    redline = export_redline_docx(meeting, version, newer, "ar")
    header = _xml(redline, "word/header1.xml")
    note = "".join(t.text or "" for t in header.iter(f"{W}t"))
    assert note == LABELS["ar"]["redline"].format(old=version.number, new=newer.number)
    run = next(header.iter(f"{W}r"))
    assert run.find(f"{W}rPr/{W}lang").get(f"{W}bidi").startswith("ar-")
    assert run.find(f"{W}rPr/{W}i").get(f"{W}val") == "0"


def test_a_french_document_tags_a_russian_signer_as_russian(
    six: tuple[Meeting, Version, list[SignatoryLine]],
) -> None:
    meeting, version, lines = six
    russian = msgspec.structs.replace(lines[0], signer="Анна Иванова", signer_title="Директор")
    root = _xml(export_docx(meeting, version, "fr", [russian, *lines[1:]]))
    for text in ("Анна Иванова", "Директор"):
        assert _run_of(root, text).find(f"{W}rPr/{W}lang").get(f"{W}val") == "ru-RU"


@pytest.mark.parametrize(
    ("lang", "place", "expected"),
    [
        ("he", "ירושלים", "20 במרץ 2026, ירושלים"),
        ("ar", "جنيف", "20 مارس 2026، جنيف"),
        ("zh", "日内瓦", "2026年3月20日，日内瓦"),
        ("ru", "Женева", "20 марта 2026\u202fг., Женева"),
    ],
)
def test_the_date_line_uses_each_languages_comma(lang: str, place: str, expected: str) -> None:
    mf = make_meeting_file(langs=("en", lang))
    meeting = msgspec.structs.replace(mf.meeting, place={"en": "X", lang: place})
    version = version_of(meeting, mf.declaration, 1)
    version = msgspec.structs.replace(version, state=VersionState.DRAFT)
    assert dateline(meeting, version, lang) == expected

"""The signature page of a frozen text, judged on the pages LibreOffice prints (``pdftotext
-layout``) and on the Word XML: place and date of adoption in each language's style, the
attestation, one whole block per endorsement with its date and a line to sign on; and the
side-by-side layout that lets long articles run on to the next page."""

from __future__ import annotations

import datetime as dt
import re

import msgspec
import pytest

from consensus_kit.domain.model import DecisionDefaults, DecisionRule, VersionState
from consensus_kit.formats.docx_export import export_bilingual_docx, export_docx
from consensus_kit.formats.docx_signatures import adoption_date, attestation
from tests.integration.test_exports import W, a20, open_docx
from tests.office import pdf_text, to_pdf

ATTESTATION = {
    "en": "Adopted by consensus at Beijing, China, on 23 March 2018.",
    "zh": "2018年3月23日于中国北京协商一致通过。",
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """The A20 final text with its 20 endorsements, printed by LibreOffice: en, zh, en+zh."""
    meeting, version, lines = a20()
    folder = tmp_path_factory.mktemp("pdf")
    documents = {
        "en": export_docx(meeting, version, "en", lines),
        "zh": export_docx(meeting, version, "zh", lines),
        "en-zh": export_bilingual_docx(meeting, version, "en", "zh", lines),
    }
    return {name: pdf_text(to_pdf(data, folder, name)) for name, data in documents.items()}


def squash(text: str) -> str:
    """pdftotext puts spaces between CJK and Latin runs and inside dates: remove all spaces."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(
    ("doc", "heading", "langs"),
    [
        ("en", "Signatures", ["en"]),
        ("zh", "签署", ["zh"]),
        ("en-zh", "Signatures / 签署", ["en", "zh"]),
    ],
)
def test_every_endorsement_is_one_whole_block_with_its_date_and_a_signature_line(
    rendered: dict[str, list[str]], doc: str, heading: str, langs: list[str]
) -> None:
    _, version, lines = a20()
    pages = rendered[doc]
    first = next(i for i, page in enumerate(pages) if squash(ATTESTATION[langs[0]]) in squash(page))
    assert squash(heading) in squash(pages[first])
    for lang in langs:  # the attestation in each language, with the hash the signatures bind
        assert squash(ATTESTATION[lang]) in squash(pages[first])
    assert version.content_hash in squash(pages[first])
    # the heading and attestation are not stranded: the first block shares their page
    assert squash(lines[0].signer) in squash(pages[first])
    blocks_pages = pages[first:]
    caption = {"en": r"\bSignature\b", "zh": r"(?<!\S)签名(?!\S)"}[langs[0]]
    assert sum(len(re.findall(caption, page)) for page in blocks_pages) == 20
    for number, line in enumerate(lines, start=1):
        (page,) = [p for p in blocks_pages if squash(line.signer[:14]) in squash(p)]  # once
        name = line.names.get(langs[0]) or line.names["en"]  # type: ignore[call-overload]
        # the block is whole: its number and organisation, signer and date on the same page
        # (a long name wraps in its column: its first characters are enough)
        assert squash(f"{number}. {name[:12]}") in squash(page), (number, doc)
        dates = {"en": "23 March 2018", "zh": "2018年3月23日"}
        assert all(squash(dates[lang]) in squash(page) for lang in langs)


def test_the_block_rows_never_split_and_the_heading_keeps_with_them() -> None:
    meeting, version, lines = a20()
    document = open_docx(export_docx(meeting, version, "zh", lines))
    (table,) = document.tables
    rows = table._tbl.findall(W + "tr")
    assert len(rows) == 10
    assert all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in rows)
    styles = {s.name: s for s in document.styles}
    assert styles["CK Signature Heading"].paragraph_format.page_break_before
    for name in ("CK Signature Heading", "CK Signature Attestation", "CK Signature Note"):
        assert styles[name].paragraph_format.keep_with_next, name
    line_style = styles["CK Signature Line"].element
    assert line_style.find(f"{W}pPr/{W}pBdr/{W}bottom").get(W + "val") == "single"
    signature_lines = [p for p in document.paragraphs if p.style.name == "CK Signature Line"]
    cells = [p for row in table.rows for cell in row.cells for p in cell.paragraphs]
    assert len([p for p in cells if p.style.name == "CK Signature Line"]) == 20
    assert signature_lines == []  # all inside the blocks


def test_the_bilingual_document_runs_long_articles_on_to_the_next_page(
    rendered: dict[str, list[str]],
) -> None:
    pages = rendered["en-zh"]
    signatures = next(i for i, p in enumerate(pages) if "Signatures / 签署" in p)
    assert signatures == 2  # the four articles fill two (landscape) pages, not four
    second = pages[1].strip().splitlines()
    assert re.fullmatch(r"English\s+中文", second[0].strip())  # the header row repeats
    # the page opens mid-article (the row split): with a line number, but no article number
    assert re.match(r"\s*\d+\s+\S", second[1]) and not re.match(r"\s*\d+\s+\d\.", second[1])
    meeting, version, lines = a20()
    document = open_docx(export_bilingual_docx(meeting, version, "en", "zh", lines))
    text_rows = document.tables[0]._tbl.findall(W + "tr")
    assert text_rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert all(row.find(f"{W}trPr/{W}cantSplit") is None for row in text_rows[1:])


def test_the_adoption_date_comes_from_the_meeting_file_else_from_the_freeze() -> None:
    meeting, version, _ = a20()
    assert adoption_date(meeting, version) == dt.date(2018, 3, 23)
    undated = msgspec.structs.replace(
        version,
        declaration=msgspec.structs.replace(version.declaration, date=None),
        frozen_at=dt.datetime(2018, 3, 24, 9, 30, tzinfo=dt.UTC),
    )
    assert attestation(meeting, undated, "zh") == "2018年3月24日于中国北京协商一致通过。"
    by_vote = msgspec.structs.replace(
        meeting, decision=DecisionDefaults(rule=DecisionRule.TWO_THIRDS)
    )
    assert attestation(by_vote, undated, "en") == "Adopted at Beijing, China, on 24 March 2018."


def test_a_draft_has_no_signature_page_and_an_unsigned_final_text_says_so() -> None:
    meeting, version, _ = a20()
    draft = msgspec.structs.replace(version, state=VersionState.DRAFT)
    styles = {p.style.name for p in open_docx(export_docx(meeting, draft, "en")).paragraphs}
    assert not any(name.startswith("CK Signature") for name in styles)
    text = [p.text for p in open_docx(export_docx(meeting, version, "zh")).paragraphs]
    assert "签署" in text and ATTESTATION["zh"] in text and "尚无机构签署本文本。" in text

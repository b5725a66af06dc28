"""Reading Word drafts: documents written by hand (here with python-docx), our own exports and
redlines; pairing languages into one declaration."""

from __future__ import annotations

import io

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from consensus_kit import InvalidInput
from consensus_kit.formats.docx_export import export_docx
from consensus_kit.formats.docx_import import import_docx, pair_drafts
from consensus_kit.formats.docx_redline import export_redline_docx
from consensus_kit.formats.markdown_draft import MarkdownDraft
from tests.integration.test_exports import a20, revised, trilingual, version_of, with_texts


def word_draft(*, numbering: str = "literal", heading: str = "Title") -> bytes:
    """A draft as a secretariat would type it in Word."""
    document = docx.Document()
    if heading == "Title":
        document.add_paragraph("Declaration on child protection", style="Title")
    else:
        document.add_heading("Declaration on child protection", level=1)
    document.add_heading("Nairobi, 20 March 2026", level=2)
    document.add_paragraph("We, the organisations gathered in Nairobi,")
    document.add_paragraph("")
    document.add_paragraph("agree as follows:")
    articles = ["Children come first.", "Organisations work together.", "We meet again."]
    for i, text in enumerate(articles, start=1):
        if numbering == "literal":
            document.add_paragraph(f"{i}. {text}")
        elif numbering == "style":
            document.add_paragraph(text, style="List Number")
        else:  # numPr on the paragraph itself
            p = document.add_paragraph(text)
            num_pr = OxmlElement("w:numPr")
            # numId 5 is a decimal list in python-docx's template (numId 1 is a bullet list)
            for tag, value in (("w:ilvl", "0"), ("w:numId", "5")):
                child = OxmlElement(tag)
                child.set(qn("w:val"), value)
                num_pr.append(child)
            p._p.get_or_add_pPr().append(num_pr)
    document.add_paragraph("This continues the third article.")
    document.add_heading("Signatories", level=1)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "1. Not an article"
    document.add_paragraph("4. After the signatories: not an article either")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("numbering", ["literal", "style", "direct"])
def test_a_word_draft_with_heading_preamble_and_numbered_paragraphs_is_read(numbering: str) -> None:
    draft = import_docx(word_draft(numbering=numbering), "en")
    assert draft == MarkdownDraft(
        title="Declaration on child protection",
        subtitle="Nairobi, 20 March 2026",
        preamble="We, the organisations gathered in Nairobi,\n\nagree as follows:",
        articles=(
            "Children come first.",
            "Organisations work together.",
            "We meet again.\n\nThis continues the third article.",
        ),
    )


def test_the_first_heading_is_the_title_when_there_is_no_title_paragraph() -> None:
    assert (
        import_docx(word_draft(heading="Heading 1"), "en").title
        == "Declaration on child protection"
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_export_then_import_gives_identical_texts(lang: str) -> None:
    meeting, version, lines = a20()
    draft = import_docx(export_docx(meeting, version, lang, lines), lang)
    d = version.declaration
    assert draft.title == d.title[lang]  # type: ignore[index]
    assert draft.subtitle == d.subtitle[lang]  # type: ignore[index]
    assert draft.preamble == d.preamble[lang]  # type: ignore[index]
    assert draft.articles == tuple(a.text[lang] for a in d.articles)  # type: ignore[index]


def test_english_and_chinese_drafts_pair_into_one_declaration() -> None:
    meeting, version, _ = a20()
    drafts = {lang: import_docx(export_docx(meeting, version, lang), lang) for lang in ("zh", "en")}
    paired = pair_drafts(drafts, "en", date=version.declaration.date)
    assert paired == version.declaration
    assert list(paired.articles[0].text) == ["en", "zh"]


def test_the_unicode_corpus_and_a_pending_translation_come_back_from_word() -> None:
    meeting, version, _ = trilingual()
    d = version.declaration
    a1, a2 = d.articles
    partial = type(a2)(id=a2.id, text={"en": a2.text["en"], "ar": a2.text["ar"]})  # type: ignore[index]
    version = version_of(meeting, with_texts(version, articles=(a1, partial)))
    drafts = {
        lang: import_docx(export_docx(meeting, version, lang), lang) for lang in ("en", "zh", "ar")
    }
    assert drafts["zh"].articles == (a1.text["zh"], "")  # type: ignore[index]
    paired = pair_drafts(drafts, "en", date=d.date)
    assert paired.articles[1].text == partial.text
    assert paired.title == d.title and paired.preamble == d.preamble


def test_mismatched_article_counts_are_refused_naming_the_counts() -> None:
    en = MarkdownDraft(title="T", articles=("a", "b", "c"))
    zh = MarkdownDraft(title="标题", articles=("甲", "乙"))
    with pytest.raises(InvalidInput, match=r"different numbers of articles \(en: 3, zh: 2\)"):
        pair_drafts({"en": en, "zh": zh}, "en")


def test_a_missing_negotiating_draft_or_text_is_refused() -> None:
    with pytest.raises(InvalidInput, match="negotiating language 'fr'"):
        pair_drafts({"en": MarkdownDraft(title="T", articles=("a",))}, "fr")
    with pytest.raises(InvalidInput, match=r"en\.articles\[0\]: must not be empty"):
        pair_drafts({"en": MarkdownDraft(title="T", articles=("",))}, "en")
    with pytest.raises(InvalidInput, match=r"zh\.articles\[0\]: contains a NUL"):
        pair_drafts(
            {
                "en": MarkdownDraft(title="T", articles=("a",)),
                "zh": MarkdownDraft(title="标", articles=("\x00",)),
            },
            "en",
        )


def test_a_redline_is_read_with_its_changes_accepted() -> None:
    meeting, old, _ = a20()
    new = version_of(meeting, revised(old), 4)
    for lang in ("en", "zh"):
        draft = import_docx(export_redline_docx(meeting, old, new, lang), lang)
        assert draft.title == new.declaration.title[lang]  # type: ignore[index]
        assert draft.articles == tuple(a.text[lang] for a in new.declaration.articles)  # type: ignore[index]


@pytest.mark.parametrize("data", [b"", b"plain text", b"PK\x03\x04 broken zip"])
def test_a_file_that_is_not_a_word_document_is_refused(data: bytes) -> None:
    with pytest.raises(InvalidInput) as caught:
        import_docx(data, "en")
    assert caught.value.field == "docx"


def test_a_document_without_title_or_articles_is_refused() -> None:
    document = docx.Document()
    document.add_paragraph("Only a title")
    out = io.BytesIO()
    document.save(out)
    with pytest.raises(InvalidInput, match="no articles"):
        import_docx(out.getvalue(), "en")
    with pytest.raises(InvalidInput, match="not a language code"):
        import_docx(out.getvalue(), "xx-nonsense!")

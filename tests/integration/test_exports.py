"""Word, Markdown and JSON exports, read back by readers we did not write.

Every DOCX is opened again with python-docx and its texts compared exactly with the stored
ones; redlines are resolved by walking their XML (accept all / reject all) and, where pandoc is
installed, by ``pandoc --track-changes``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess
import zipfile
from collections.abc import Sequence
from pathlib import Path

import docx
import hypothesis
import msgspec
import pytest

from consensus_kit import (
    Article,
    ArticleId,
    Declaration,
    InvalidInput,
    Meeting,
    Role,
    Version,
    VersionState,
    declaration_hash,
    read_meeting_file,
)
from consensus_kit.domain.endorsements import SignatoryLine
from consensus_kit.domain.locales import country_name
from consensus_kit.formats.docx_export import (
    export_bilingual_docx,
    export_docx,
    export_parallel_docx,
)
from consensus_kit.formats.docx_redline import export_redline_docx
from consensus_kit.formats.text_export import export_json, export_markdown
from tests import docx_text
from tests.builders import HOSTILE_TEXT, UNICODE_CORPUS, make_meeting_file
from tests.docx_text import cell_text
from tests.office import need

ROOT = Path(__file__).resolve().parents[2]
A20 = ROOT / "examples" / "a20_2018" / "meeting.toml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CREATED = dt.datetime(2018, 3, 23, 10, 0, tzinfo=dt.UTC)

TRILINGUAL = {
    "title": {
        "en": "Declaration on child protection",
        "zh": "儿童保护宣言",
        "ar": "إعلان حماية الطفل",
    },
    "art-1": {
        "en": "Caring for and protecting children should be the primary concern of the world.",
        "zh": UNICODE_CORPUS["chinese"],
        "ar": UNICODE_CORPUS["arabic"],
    },
    "art-2": {
        "en": "We will build a platform, 2030 (53 %).",
        "zh": UNICODE_CORPUS["chinese_with_latin"],
        "ar": "سنبني منصة عالمية لحماية الأطفال.",
    },
}


# --- data -----------------------------------------------------------------------------------


def version_of(meeting: Meeting, declaration: Declaration, number: int = 3) -> Version:
    """A version of ``declaration`` sealed with its real content hash."""
    try:
        content_hash = declaration_hash(declaration)
    except UnicodeEncodeError:  # a lone surrogate: refused at input, hashed nowhere
        content_hash = "0" * 64
    return Version(
        meeting=meeting.id,
        number=number,
        declaration=declaration,
        content_hash=content_hash,
        parent=number - 1 if number > 1 else None,
        created_by="chair",
        created_at=CREATED + dt.timedelta(hours=number),
        state=VersionState.FROZEN,
    )


def signatories_of(meeting: Meeting) -> list[SignatoryLine]:
    """One signatory line per delegate with the signatory role, in the meeting's order."""
    lines = []
    for delegate in meeting.delegates:
        org = meeting.organisation(delegate.organisation) if delegate.organisation else None
        if org is None or Role.SIGNATORY not in delegate.roles:
            continue
        lines.append(
            SignatoryLine(
                organisation=org.id,
                names=dict(org.name),
                country=org.country,
                region=org.region,
                signer=delegate.name,
                signer_title=delegate.title,
                signed_at=dt.datetime(2018, 3, 23, 15, 0, tzinfo=dt.UTC),
            )
        )
    return lines


def a20() -> tuple[Meeting, Version, list[SignatoryLine]]:
    """The A20 meeting, its four-article consensus as version 3 and its 20 signatories."""
    loaded = read_meeting_file(A20)
    meeting = loaded.meeting
    return meeting, version_of(meeting, loaded.declaration), signatories_of(meeting)


def trilingual() -> tuple[Meeting, Version, list[SignatoryLine]]:
    """A test meeting in English, Chinese and Arabic with a two-article declaration."""
    meeting = make_meeting_file(langs=("en", "zh", "ar"), orgs=3).meeting
    declaration = Declaration(
        title=TRILINGUAL["title"],  # type: ignore[arg-type]
        preamble={"en": "We agree:", "zh": "我们同意：", "ar": "نتفق على ما يلي:"},  # type: ignore[dict-item]
        articles=tuple(
            Article(id=ArticleId(k), text=v)  # type: ignore[arg-type]
            for k, v in TRILINGUAL.items()
            if k.startswith("art-")
        ),
        date=dt.date(2026, 3, 20),
    )
    return meeting, version_of(meeting, declaration, 1), signatories_of(meeting)


def with_texts(version: Version, **changes: object) -> Declaration:
    return msgspec.structs.replace(version.declaration, **changes)


# --- reading DOCX back ------------------------------------------------------------------------


def open_docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def styled(data: bytes) -> list[tuple[str, str]]:
    """(style name, text) of every body paragraph, read by python-docx (the line numbers left
    out, each article's numbered lines joined: :mod:`tests.docx_text`)."""
    return docx_text.styled(data)


def assemble(paragraphs: Sequence[tuple[str, str]]) -> dict[str, object]:
    """The parts of a declaration from (style, text) paragraphs of our documents; checks that
    article numbers follow the position."""
    parts: dict[str, object] = {"title": None, "subtitle": None, "preamble": [], "articles": []}
    articles: list[str] = parts["articles"]  # type: ignore[assignment]
    for style, text in paragraphs:
        if style == "Title":
            parts["title"] = text
        elif style == "Subtitle":
            parts["subtitle"] = text
        elif style == "CK Preamble":
            parts["preamble"].append(text)  # type: ignore[attr-defined]
        elif style == "CK Article":
            number, _, body = text.partition("\t")
            assert number == f"{len(articles) + 1}.", (number, len(articles))
            articles.append(body)
        elif style == "CK Article Continued":
            articles[-1] += "\n\n" + text
    parts["preamble"] = "\n\n".join(parts["preamble"])  # type: ignore[arg-type]
    return parts


def expected(version: Version, lang: str) -> dict[str, object]:
    d = version.declaration
    return {
        "title": d.title.get(lang),  # type: ignore[call-overload]
        "subtitle": d.subtitle.get(lang),  # type: ignore[call-overload]
        "preamble": d.preamble.get(lang, ""),  # type: ignore[call-overload]
        "articles": [a.text[lang] for a in d.articles],  # type: ignore[index]
    }


def resolve(data: bytes, mode: str) -> list[tuple[str, str]]:
    """Paragraphs with every tracked change accepted (``mode="accept"``) or rejected, by
    walking the XML: drop ``w:del`` (accept) or ``w:ins`` (reject) content, read ``w:t`` and
    ``w:delText``; a paragraph whose mark is dropped joins the next paragraph."""
    drop = W + ("del" if mode == "accept" else "ins")
    body = open_docx(data).element.body
    out: list[tuple[str, str]] = []
    carry: tuple[str, str] | None = None
    styles = {s.style_id: s.name for s in open_docx(data).styles}
    for p in body.iter(W + "p"):
        style_el = p.find(f"{W}pPr/{W}pStyle")
        style = styles.get(style_el.get(W + "val")) if style_el is not None else "Normal"
        parts = []
        for el in p.iter(W + "t", W + "delText", W + "tab", W + "br"):
            if any(a.tag == drop for a in el.iterancestors()):
                continue
            parts.append({W + "tab": "\t", W + "br": "\n"}.get(el.tag, el.text or ""))
        text = "".join(parts)
        if carry is not None:
            style = carry[0] if carry[1] else style
            text = carry[1] + text
            carry = None
        if p.find(f"{W}pPr/{W}rPr/{drop}") is not None:
            carry = (style, text)
            continue
        out.append((style, text))
    assert carry is None, "the last paragraph's mark cannot be removed"
    return out


def pandoc(data: bytes, tmp_path: Path, mode: str) -> str:
    """The document as plain text through pandoc, tracked changes accepted or rejected."""
    need("pandoc")
    path = tmp_path / f"redline-{mode}.docx"
    path.write_bytes(data)
    result = subprocess.run(
        [
            "pandoc",
            "-s",
            f"--track-changes={mode}",
            "-f",
            "docx",
            "-t",
            "plain",
            "--wrap=none",
            path,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return squash(result.stdout)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# --- DOCX per language --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a20_documents_hold_the_four_articles_exactly_and_all_twenty_signatories(
    lang: str,
) -> None:
    meeting, version, lines = a20()
    assert len(lines) == 20
    data = export_docx(meeting, version, lang, lines)
    parts = assemble(styled(data))
    assert parts == expected(version, lang)
    assert len(parts["articles"]) == 4  # type: ignore[arg-type]
    table = open_docx(data).tables[0]
    blocks = [cell.text for row in table.rows for cell in row.cells]
    assert len(blocks) == 20  # one signature block per endorsement, two to a row
    for block, line in zip(blocks, lines, strict=True):
        name = line.names.get(lang) or line.names["en"]  # type: ignore[call-overload]
        assert block.split("\n")[0].endswith(f". {name}")
        assert country_name(line.country or "", lang) in block
        assert line.signer in block
        assert line.signer_title in block


def test_the_date_line_is_written_the_way_each_language_writes_dates() -> None:
    meeting, version, _ = a20()
    lines_by_lang = {
        lang: [t for s, t in styled(export_docx(meeting, version, lang)) if s == "CK Dateline"]
        for lang in ("en", "zh")
    }
    assert lines_by_lang == {
        "en": ["23 March 2018, Beijing, China"],
        "zh": ["2018年3月23日，中国北京"],
    }


def test_pages_are_a4_and_the_footer_carries_page_fields_and_the_short_hash() -> None:
    meeting, version, lines = a20()
    for lang, words in (("en", "Version 3"), ("zh", "第 3 版")):
        document = open_docx(export_docx(meeting, version, lang, lines))
        section = document.sections[0]
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        footer = section.footer._element
        fields = [f.get(W + "instr").strip() for f in footer.iter(W + "fldSimple")]
        assert fields == ["PAGE", "NUMPAGES"]
        text = "".join(t.text for t in footer.iter(W + "t"))
        assert words in text and version.content_hash[:12] in text
        assert version.content_hash[:13] not in text


def test_core_properties_name_the_title_language_and_creation_time() -> None:
    meeting, version, _ = a20()
    props = open_docx(export_docx(meeting, version, "zh")).core_properties
    assert props.title == "A20 全球关爱儿童社会共识"
    assert props.language == "zh"
    assert props.created == version.created_at
    assert props.identifier.endswith(version.content_hash)


def test_chinese_text_gets_east_asian_fonts_in_defaults_styles_and_runs() -> None:
    meeting, version, _ = a20()
    document = open_docx(export_docx(meeting, version, "zh"))
    styles = document.styles.element
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert defaults.find(W + "rFonts").get(W + "eastAsia") == "Noto Serif CJK SC"
    assert defaults.find(W + "lang").get(W + "eastAsia") == "zh-CN"
    for rfonts in styles.iter(W + "rFonts"):
        assert rfonts.get(W + "eastAsia"), "every style naming fonts names the East Asian one"
        assert not [a for a in rfonts.attrib if a.endswith(("Theme", "theme"))]
    for heading in ("Title", "Heading 1"):
        rfonts = document.styles[heading].element.find(f"{W}rPr/{W}rFonts")
        assert rfonts is not None and rfonts.get(W + "eastAsia") == "Noto Serif CJK SC"
    article = next(p for p in document.paragraphs if p.style.name == "CK Article")
    run = article._p.find(W + "r")
    assert run.find(f"{W}rPr/{W}rFonts").get(W + "eastAsia") == "Noto Serif CJK SC"
    assert run.find(f"{W}rPr/{W}lang").get(W + "eastAsia") == "zh-CN"
    font_table = next(
        r.target_part.blob for r in document.part.rels.values() if r.reltype.endswith("fontTable")
    )
    assert b"Noto Serif CJK SC" in font_table and b"SimSun" in font_table


def test_arabic_paragraphs_are_right_to_left_and_so_are_their_runs() -> None:
    meeting, version, _ = trilingual()
    document = open_docx(export_docx(meeting, version, "ar"))
    body = [p for p in document.paragraphs if p.text]  # the numbers, too, right to left
    assert body
    for p in body:
        assert p._p.find(f"{W}pPr/{W}bidi") is not None
        for r in p._p.iter(W + "r"):
            assert r.find(f"{W}rPr/{W}rtl") is not None
            assert r.find(f"{W}rPr/{W}lang").get(W + "bidi", "").startswith("ar")
    assert assemble(styled(export_docx(meeting, version, "ar")))["articles"] == [
        TRILINGUAL["art-1"]["ar"],
        TRILINGUAL["art-2"]["ar"],
    ]
    english = open_docx(export_docx(meeting, version, "en"))
    assert all(p._p.find(f"{W}pPr/{W}bidi") is None for p in english.paragraphs)


def test_a_missing_translation_prints_a_pending_marker_instead_of_nothing() -> None:
    meeting, version, _ = trilingual()
    art = version.declaration.articles[1]
    partial = Article(id=art.id, text={k: v for k, v in art.text.items() if k != "zh"})
    version = version_of(
        meeting, with_texts(version, articles=(version.declaration.articles[0], partial))
    )
    articles = [t for s, t in styled(export_docx(meeting, version, "zh")) if s == "CK Article"]
    assert articles[1] == "2.\t［译文待定］"
    articles = [t for s, t in styled(export_docx(meeting, version, "ar")) if s == "CK Article"]
    assert articles[1] == "2.\t" + TRILINGUAL["art-2"]["ar"]


def test_the_unicode_corpus_round_trips_through_docx_unchanged() -> None:
    meeting, version, _ = trilingual()
    corpus = list(UNICODE_CORPUS.values())
    articles = tuple(
        Article(id=ArticleId(f"art-{i}"), text={"en": t}) for i, t in enumerate(corpus, 1)
    )  # type: ignore[dict-item]
    preamble = {"en": UNICODE_CORPUS["multiline"] + "\n\n\n" + UNICODE_CORPUS["emoji"]}
    version = version_of(meeting, with_texts(version, articles=articles, preamble=preamble))
    parts = assemble(styled(export_docx(meeting, version, "en")))
    assert parts["articles"] == corpus
    assert parts["preamble"] == preamble["en"]


def test_markup_in_a_text_is_written_as_literal_text() -> None:
    meeting, version, _ = trilingual()
    markup = UNICODE_CORPUS["markup"]
    version = version_of(meeting, with_texts(version, title={"en": markup}))
    data = export_docx(meeting, version, "en")
    assert styled(data)[0] == ("Title", markup)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode()
    assert "&lt;script&gt;alert" in xml and "<script>" not in xml


@pytest.mark.parametrize("name", sorted(HOSTILE_TEXT))
def test_a_control_character_raises_invalid_input_naming_the_field(name: str) -> None:
    meeting, version, lines = trilingual()
    bad = HOSTILE_TEXT[name]
    art = version.declaration.articles[1]
    broken = Article(id=art.id, text={**art.text, "en": bad})  # type: ignore[dict-item]
    bad_version = version_of(
        meeting, with_texts(version, articles=(version.declaration.articles[0], broken))
    )
    exports = [
        lambda: export_docx(meeting, bad_version, "en", lines),
        lambda: export_bilingual_docx(meeting, bad_version, "en", "zh", lines),
        lambda: export_redline_docx(meeting, version, bad_version, "en", {}),
        lambda: export_markdown(meeting, bad_version, lines),
        lambda: export_json(meeting, bad_version, lines),
    ]
    for export in exports:
        with pytest.raises(InvalidInput) as caught:
            export()
        assert caught.value.field == "articles[1].text.en"
        assert str(caught.value).startswith("articles[1].text.en: contains a")


def test_a_control_character_in_a_signatory_is_refused_too() -> None:
    meeting, version, lines = trilingual()
    lines[1] = msgspec.structs.replace(lines[1], signer="Ms\x00X")
    with pytest.raises(InvalidInput, match=r"signatories\[1\]\.signer: contains a NUL"):
        export_docx(meeting, version, "en", lines)


def test_a_language_the_meeting_lacks_or_a_version_of_another_meeting_is_refused() -> None:
    meeting, version, _ = a20()
    with pytest.raises(InvalidInput, match="'fr' is not one of the meeting's languages"):
        export_docx(meeting, version, "fr")
    other = msgspec.structs.replace(version, meeting="elsewhere")
    with pytest.raises(InvalidInput, match="belongs to meeting 'elsewhere'"):
        export_docx(meeting, other, "en")


def test_progress_is_reported_for_every_article_and_signatory() -> None:
    meeting, version, lines = a20()
    seen: list[tuple[int, int]] = []
    export_docx(
        meeting, version, "en", lines, progress=lambda done, total: seen.append((done, total))
    )
    assert seen == [(i, 24) for i in range(1, 25)]
    seen.clear()
    export_bilingual_docx(meeting, version, "en", "zh", lines, progress=lambda *a: seen.append(a))
    assert seen[-1] == (24, 24)


# --- side by side ---------------------------------------------------------------------------------


def test_bilingual_document_aligns_the_languages_row_by_row() -> None:
    meeting, version, lines = a20()
    document = open_docx(export_bilingual_docx(meeting, version, "en", "zh", lines))
    text_table, signatory_table = document.tables
    rows = [[cell_text(cell) for cell in row.cells] for row in text_table.rows]
    assert rows[0] == ["English", "中文"]
    d = version.declaration
    assert rows[1][0].split("\n")[:2] == [d.title["en"], d.subtitle["en"]]  # type: ignore[index]
    assert rows[1][1].split("\n")[:2] == [d.title["zh"], d.subtitle["zh"]]  # type: ignore[index]
    # python-docx joins a cell's paragraphs with one line feed
    assert rows[2] == [d.preamble[lg].replace("\n\n", "\n") for lg in ("en", "zh")]  # type: ignore[index]
    for i, article in enumerate(d.articles, start=1):
        assert rows[2 + i] == [f"{i}.\t{article.text['en']}", f"{i}.\t{article.text['zh']}"]  # type: ignore[index]
    assert len(signatory_table.rows) == 7  # 20 blocks, three to a row (a landscape page)
    mongolia = signatory_table.rows[0].cells[1].text.split("\n")
    assert mongolia[:3] == [
        "2. The Training and Research Institute on Child Right of Mongolia",
        "儿童权益培训与研究中心",
        "Mongolia / 蒙古",
    ]
    shaishav = signatory_table.rows[0].cells[0].text.split("\n")
    assert shaishav[:2] == ["1. Shaishav", "India / 印度"]  # no "Shaishav / Shaishav"
    date = shaishav.index("Date of signature / 签署日期: 23 March 2018")
    assert shaishav[date + 1] == "2018年3月23日"  # each language's date on its own line


@pytest.mark.parametrize("langs", [("zh", "ar"), ("ar", "en"), ("en", "zh", "ar")])
def test_the_parallel_document_works_for_any_languages_of_the_meeting(
    langs: tuple[str, ...],
) -> None:
    meeting, version, lines = trilingual()
    document = open_docx(export_parallel_docx(meeting, version, langs, lines))
    rows = [[cell_text(cell) for cell in row.cells] for row in document.tables[0].rows]
    assert rows[0] == [{"en": "English", "zh": "中文", "ar": "العربية"}[lg] for lg in langs]
    assert rows[-1] == [f"2.\t{TRILINGUAL['art-2'][lg]}" for lg in langs]
    ar_cell = document.tables[0].rows[-1].cells[list(langs).index("ar")]
    assert ar_cell.paragraphs[0]._p.find(f"{W}pPr/{W}bidi") is not None


def test_the_parallel_document_needs_two_to_six_different_languages() -> None:
    meeting, version, _ = trilingual()
    seven = ["en", "zh", "ar", "fr", "es", "ru", "de"]
    for langs in (["en"], ["en", "en"], ["en", "zh", "ar", "en", "zh"], seven):
        with pytest.raises(InvalidInput, match="two to six different languages") as caught:
            export_parallel_docx(meeting, version, langs)
        assert caught.value.field == "langs"


# --- redline ----------------------------------------------------------------------------------------


def revised(version: Version) -> Declaration:
    """Version 3 of A20 amended: a phrase replaced in article 2 (en and zh), article 3
    deleted, a new article inserted after article 4, the title changed in English."""
    d = version.declaration
    a1, a2, _, a4 = d.articles
    a2_new = Article(
        id=a2.id,
        text={
            "en": a2.text["en"].replace("especially especially", "especially"),  # type: ignore[index]
            "zh": a2.text["zh"].replace("尤其是发展中国家", "特别是发展中国家"),  # type: ignore[index]
        },
    )
    a5 = Article(
        id=ArticleId("art-5"),
        text={"en": "We will meet again in 2019.", "zh": "我们将于2019年再次相聚。"},
    )  # type: ignore[dict-item]
    title = {**d.title, "en": "A20 Global Consensus on Child Advocacy"}
    return msgspec.structs.replace(d, title=title, articles=(a1, a2_new, a4, a5))


ATTRIBUTIONS = {
    "art-2": (
        "Kenya Alliance for Advancement of Children",
        dt.datetime(2018, 3, 22, 11, 30, tzinfo=dt.UTC),
    ),
    "art-5": ("Halley Movement", dt.datetime(2018, 3, 22, 14, 0, tzinfo=dt.UTC)),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_accepting_every_change_gives_the_newer_version_and_rejecting_them_the_older(
    lang: str,
) -> None:
    meeting, old, _ = a20()
    new = version_of(meeting, revised(old), 4)
    data = export_redline_docx(meeting, old, new, lang, ATTRIBUTIONS)
    assert assemble(resolve(data, "accept")) == expected(new, lang)
    assert assemble(resolve(data, "reject")) == expected(old, lang)


def test_pandoc_reads_the_redline_accepted_and_rejected(tmp_path: Path) -> None:
    meeting, old, _ = a20()
    new = version_of(meeting, revised(old), 4)
    for lang in ("en", "zh"):
        data = export_redline_docx(meeting, old, new, lang, ATTRIBUTIONS)
        accepted, rejected = pandoc(data, tmp_path, "accept"), pandoc(data, tmp_path, "reject")
        old_texts = [squash(a.text[lang]) for a in old.declaration.articles]  # type: ignore[index]
        new_texts = [squash(a.text[lang]) for a in new.declaration.articles]  # type: ignore[index]
        assert all(t in accepted for t in new_texts)
        assert all(t in rejected for t in old_texts)
        assert old_texts[1] not in accepted and old_texts[2] not in accepted
        assert new_texts[1] not in rejected and new_texts[3] not in rejected
        assert squash(new.declaration.title[lang]) in accepted  # type: ignore[index]
        assert squash(old.declaration.title[lang]) in rejected  # type: ignore[index]


def test_changes_are_attributed_with_unique_ids_authors_and_dates() -> None:
    meeting, old, _ = a20()
    new = version_of(meeting, revised(old), 4)
    body = open_docx(export_redline_docx(meeting, old, new, "en", ATTRIBUTIONS)).element.body
    marks = [el for el in body.iter(W + "ins", W + "del")]
    ids = [m.get(W + "id") for m in marks]
    assert len(ids) == len(set(ids)) > 4
    authors = {m.get(W + "author") for m in marks}
    assert authors == {
        "Kenya Alliance for Advancement of Children",
        "Halley Movement",
        "consensus-kit",
    }
    for m in marks:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", m.get(W + "date"))
    kenya = [m for m in marks if m.get(W + "author").startswith("Kenya")]
    assert {m.get(W + "date") for m in kenya} == {"2018-03-22T11:30:00Z"}
    deleted = "".join(t.text for m in kenya if m.tag == W + "del" for t in m.iter(W + "delText"))
    assert deleted.strip() == "especially"
    assert all(m.find(f"{W}r/{W}t") is None for m in body.iter(W + "del"))


def test_inserted_and_deleted_articles_are_whole_paragraphs_marks_included() -> None:
    meeting, old, _ = a20()
    new = version_of(meeting, revised(old), 4)
    document = open_docx(export_redline_docx(meeting, old, new, "en", ATTRIBUTIONS))
    articles = [p._p for p in document.paragraphs if p.style.name == "CK Article"]
    deleted, inserted = articles[2], articles[4]
    assert deleted.find(f"{W}pPr/{W}rPr/{W}del") is not None
    assert all(r.getparent().tag == W + "del" for r in deleted.findall(f".//{W}r"))
    assert inserted.find(f"{W}pPr/{W}rPr/{W}ins") is not None
    assert all(r.getparent().tag == W + "ins" for r in inserted.findall(f".//{W}r"))
    assert inserted.find(f"{W}ins").get(W + "author") == "Halley Movement"
    settings = document.settings.element
    assert settings.find(W + "trackRevisions") is not None


def test_a_moved_article_shows_as_deleted_at_its_old_place_and_inserted_at_its_new() -> None:
    meeting, old, _ = a20()
    a1, a2, a3, a4 = old.declaration.articles
    new = version_of(
        meeting, msgspec.structs.replace(old.declaration, articles=(a1, a3, a4, a2)), 4
    )
    data = export_redline_docx(meeting, old, new, "en")
    assert assemble(resolve(data, "accept")) == expected(new, "en")
    assert assemble(resolve(data, "reject")) == expected(old, "en")
    moved = [p for p in open_docx(data).paragraphs if a2.text["en"][:40] in p._p.xpath("string(.)")]  # type: ignore[index]
    assert len(moved) == 2


def test_paragraph_breaks_added_and_removed_inside_parts_resolve_exactly() -> None:
    meeting, old, _ = trilingual()
    d = old.declaration
    old = version_of(
        meeting,
        msgspec.structs.replace(d, preamble={**d.preamble, "en": "One.\n\nTwo.\nThree."}),
        1,
    )
    a1, a2 = d.articles
    changed = (Article(id=a1.id, text={**a1.text, "en": "First part.\n\nSecond part."}), a2)
    new = version_of(
        meeting,
        msgspec.structs.replace(
            d, preamble={**d.preamble, "en": "One. Two.\n\nThree."}, articles=changed
        ),
        2,
    )
    data = export_redline_docx(meeting, old, new, "en")
    assert assemble(resolve(data, "accept")) == expected(new, "en")
    assert assemble(resolve(data, "reject")) == expected(old, "en")


# --- Markdown and JSON ------------------------------------------------------------------------------


def unescape(markdown: str) -> str:
    text = re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), markdown)
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


def test_markdown_is_stable_and_holds_every_text() -> None:
    meeting, version, lines = a20()
    first = export_markdown(meeting, version, lines)
    assert first == export_markdown(meeting, version, lines)
    plain = unescape(first)
    d = version.declaration
    for lang in ("en", "zh"):
        texts = [d.title[lang], d.subtitle[lang], *d.preamble[lang].split("\n\n")]  # type: ignore[index]
        texts += [a.text[lang] for a in d.articles]  # type: ignore[index]
        assert all(t in plain for t in texts)
    assert all(line.signer in plain for line in lines)
    assert plain.index("## 中文 (zh)") < plain.index("## English (en)")
    assert "*23 March 2018, Beijing, China*" in first and "*2018年3月23日，中国北京*" in first


def test_markdown_keeps_markup_and_the_unicode_corpus_literal(tmp_path: Path) -> None:
    meeting, version, _ = trilingual()
    corpus = list(UNICODE_CORPUS.values())
    articles = tuple(
        Article(id=ArticleId(f"art-{i}"), text={"en": t}) for i, t in enumerate(corpus, 1)
    )  # type: ignore[dict-item]
    version = version_of(meeting, with_texts(version, articles=articles))
    markdown = export_markdown(meeting, version, [])
    assert "<script>" not in markdown and "\\<script\\>" in markdown
    plain = unescape(markdown)
    for text in corpus:
        for paragraph in text.split("\n\n"):
            assert paragraph in plain.replace("\\\n", "\n")
    if shutil.which("pandoc"):
        path = tmp_path / "export.md"
        path.write_text(markdown, encoding="utf-8")
        html = subprocess.run(
            ["pandoc", "-f", "commonmark", "-t", "html", path],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "<script>" not in html and "&lt;script&gt;" in html
        assert "<ol" in html and "<h3>" in html


def test_json_is_stable_sorted_and_gives_the_declaration_back() -> None:
    meeting, version, lines = a20()
    data = export_json(meeting, version, lines)
    assert data == export_json(meeting, version, lines)
    document = json.loads(data)
    assert list(document) == sorted(document)
    assert document["format"] == "consensus-kit/export/1"
    assert document["version"]["content_hash"] == version.content_hash
    assert msgspec.convert(document["declaration"], Declaration) == version.declaration
    assert [s["signer"] for s in document["signatories"]] == [line.signer for line in lines]
    assert (
        declaration_hash(msgspec.convert(document["declaration"], Declaration))
        == version.content_hash
    )


BOUNDARY = list(
    "\x00\x08\t\n\x0b\x0c\r\x1f \x7e\x7f\x85\x9f\xa0\u202a\u202e\u202f\u2065\u2066\u2069\u206a"
    "\ufdcf\ufdd0\ufdef\ufdf0\ufffd\ufffe\uffff\U0001fffd\U0001fffe\U0010ffff\ud800\udfff"
)
st = hypothesis.strategies


@hypothesis.settings(max_examples=500, deadline=None)
@hypothesis.given(st.text(st.one_of(st.characters(), st.sampled_from(BOUNDARY)), max_size=8))
def test_the_fast_scan_finds_every_character_text_problem_refuses(text: str) -> None:
    from consensus_kit.domain.text import text_problem
    from consensus_kit.formats.export_common import _SUSPECT

    refused = text_problem(text, limit=10**9, required=False) is not None
    assert refused == bool(_SUSPECT.search(text))

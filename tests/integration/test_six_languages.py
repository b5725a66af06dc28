"""Every language a first-class language (issue 27): a six-language meeting of 193 delegations.

The six UN languages (English, French, Spanish, Russian, Chinese, Arabic), through the library:
load; an English-only and an Arabic-only substantive amendment (a year changed), each making
the other languages of its part stale — the English too, after the Arabic one; a spelling
change in Arabic that makes nothing stale; the secretariat's updates; freeze; 193
endorsements; the six languages side by side in one Word file; one Word file per language with
its own labels and every run tagged with the language of its text, read back with python-docx.
"""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from consensus_kit import (
    CONSOLE,
    DelegateId,
    InvalidState,
    Meeting,
    MeetingService,
    VersionFrozen,
    parse_meeting_file,
)
from consensus_kit.formats._labels import LABELS
from consensus_kit.formats.export_common import long_date
from tests.docx_text import cell_text
from tests.six_languages import LANGS, TEXTS, six_language_toml

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ARABIC_2029 = TEXTS["art-4"]["ar"].replace("2028", "2029")
UPDATES_2035 = {lang: TEXTS["art-2"][lang].replace("2030", "2035") for lang in LANGS}
UPDATES_2029 = {lang: TEXTS["art-4"][lang].replace("2028", "2029") for lang in LANGS}

_SCRIPT = [
    (re.compile(r"[\u4e00-\u9fff]"), "zh"),
    (re.compile(r"[\u0600-\u06ff]"), "ar"),
    (re.compile(r"[\u0400-\u04ff]"), "ru"),
]


def _stale(service: MeetingService, mid: str) -> set[tuple[str, str]]:
    return {(s.article, s.lang) for s in service.stale_translations(CONSOLE, mid)}  # type: ignore[arg-type]


def _expected_langs(text: str, doc_lang: str | None) -> set[str] | None:
    """The languages a run of ``text`` may be tagged with in a ``doc_lang`` document (``None``:
    several languages side by side): its script's, or for Latin letters the document's (English
    in a non-Latin document; any Latin-script language side by side)."""
    for letters, lang in _SCRIPT:
        if letters.search(text):
            return {lang}
    if not re.search(r"[A-Za-zÀ-ÿ]", text):
        return None  # digits and punctuation: any tag will do
    if doc_lang is None:
        return {"en", "fr", "es"}
    return {doc_lang if doc_lang in ("en", "fr", "es") else "en"}


def _runs(data: bytes, part: str = "word/document.xml") -> list[etree._Element]:
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(part))
    return list(root.iter(f"{W}r"))


def _text(r: etree._Element) -> str:
    return "".join(t.text or "" for t in r.iter(f"{W}t"))


def _check_tags(data: bytes, doc_lang: str | None) -> int:
    """Every run with letters tagged with its text's language (East Asian and bidi slots too),
    no italics on Chinese or Arabic; returns how many runs were checked."""
    checked = 0
    for part in ("word/document.xml", "word/footer1.xml"):
        for r in _runs(data, part):
            text = _text(r)
            allowed = _expected_langs(text, doc_lang)
            if allowed is None:
                continue
            lang = r.find(f"{W}rPr/{W}lang")
            assert lang is not None, text
            expected = lang.get(f"{W}val").split("-")[0]
            assert expected in allowed, (text, lang.attrib)
            if expected == "zh":
                assert lang.get(f"{W}eastAsia", "").startswith("zh-"), text
            if expected == "ar":
                assert lang.get(f"{W}bidi", "").startswith("ar-"), text
                assert r.find(f"{W}rPr/{W}rtl") is not None, text
            if expected in ("zh", "ar"):  # never slanted, whatever the style
                italic = r.find(f"{W}rPr/{W}i")
                assert italic is not None and italic.get(f"{W}val") == "0", text
            checked += 1
    return checked


def _negotiate(service: MeetingService, meeting: Meeting) -> None:
    """The amendments, the staleness each implies, and the secretariat's updates."""
    mid = meeting.id
    people = {d.id: d for d in meeting.delegates}
    chair, secretariat = people["chair"], people["secretariat"]

    # an English-only substantive amendment: every other language of article 2 goes stale
    english = service.propose_amendment(
        people["signatory-ke"], mid, kind="replace", article="art-2",
        texts={"en": UPDATES_2035["en"]},
    )  # fmt: skip
    service.adopt_amendment(chair, mid, english.number)
    assert _stale(service, mid) == {("art-2", lang) for lang in LANGS if lang != "en"}
    numbers = {(f.where, f.lang) for f in service.lint(CONSOLE, mid) if f.code == "number"}
    assert numbers == {("article 2 (art-2)", lang) for lang in LANGS if lang != "en"}
    service.update_translations(
        secretariat, mid, {("art-2", lang): UPDATES_2035[lang] for lang in LANGS if lang != "en"}
    )
    assert _stale(service, mid) == set()

    # an Arabic spelling change is not substantive: nothing goes stale
    spelling = service.propose_amendment(
        people["signatory-eg"], mid, kind="replace", article="art-1",
        texts={"ar": TEXTS["art-1"]["ar"].replace("دون أي تمييز", "دون تمييز من أي نوع")},
    )  # fmt: skip
    service.adopt_amendment(chair, mid, spelling.number)
    assert _stale(service, mid) == set()

    # an Arabic-only substantive amendment (2028 → 2029): the English is stale too
    arabic = service.propose_amendment(
        people["signatory-eg"], mid, kind="replace", article="art-4", texts={"ar": ARABIC_2029}
    )
    adopted = service.adopt_amendment(chair, mid, arabic.number)
    assert _stale(service, mid) == {("art-4", lang) for lang in LANGS if lang != "ar"}
    with pytest.raises(InvalidState, match=r"article 4 \(art-4\) \[en\]"):
        service.freeze_version(chair, mid, adopted.number)
    shown = [f for f in service.lint(CONSOLE, mid) if f.code == "number"]
    assert {(f.lang, f.severity.value) for f in shown} == {("ar", "error")}
    service.update_translations(
        secretariat, mid, {("art-4", lang): UPDATES_2029[lang] for lang in LANGS if lang != "ar"}
    )
    assert _stale(service, mid) == set() and service.lint(CONSOLE, mid) == []


def test_a_six_language_meeting_of_193_delegations_from_draft_to_documents(
    service: MeetingService,
) -> None:
    loaded = service.load_meeting(
        parse_meeting_file(six_language_toml(), source="geneva.toml"), actor=CONSOLE
    )
    meeting, mid = loaded.meeting, loaded.meeting.id
    chair = meeting.delegate(DelegateId("chair"))
    assert chair is not None
    assert len(meeting.organisations) == 193 and meeting.languages == LANGS
    assert service.lint(CONSOLE, mid) == []  # the six texts agree: no false warning
    _negotiate(service, meeting)

    final = service.freeze_version(chair, mid, service.versions(CONSOLE, mid)[-1].number)
    frozen = [
        e.body for e in service.events_after(CONSOLE, mid) if isinstance(e.body, VersionFrozen)
    ]
    assert frozen[-1].number == final.number and not frozen[-1].lint_override
    for delegate in meeting.delegates:
        if delegate.organisation:
            service.endorse(delegate, mid, final.number)
    assert len(service.signatories(CONSOLE, mid, final.number)) == 193

    # the six languages side by side: landscape, a column per language, aligned rows
    (parallel,) = service.export(CONSOLE, mid, "parallel-docx", version=final.number)
    assert parallel.filename == f"{mid}-v{final.number}.en-fr-es-ru-zh-ar.docx"
    document = docx.Document(io.BytesIO(parallel.data))
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape
    table = document.tables[0]
    header = [cell.text for cell in table.rows[0].cells]
    assert header == ["English", "Français", "Español", "Русский", "中文", "العربية"]
    rows = {cell_text(row.cells[0])[:2]: [cell_text(c) for c in row.cells] for row in table.rows}
    assert all("2035" in text for text in rows["2."]) and all("2029" in t for t in rows["4."])
    assert _check_tags(parallel.data, None) > 500

    # one document per language: its own labels, dates and tags
    day = long_date(final.declaration.date or meeting.end, "en")
    for lang in LANGS:
        (single,) = service.export(CONSOLE, mid, "docx", langs=[lang], version=final.number)
        body = docx.Document(io.BytesIO(single.data))
        texts = [p.text for p in body.paragraphs]
        assert LABELS[lang]["signatures"] in texts
        assert any(LABELS[lang]["witness"] in t for t in texts)
        assert long_date(final.declaration.date, lang) in "\n".join(texts)  # type: ignore[arg-type]
        footer = body.sections[0].footer.paragraphs[0].text
        assert footer.startswith(LABELS[lang]["footer"].split("{")[0]), footer
        assert UPDATES_2029[lang][:12] in "\n".join(texts)
        assert body.core_properties.language == lang
        assert _check_tags(single.data, lang) > 193
        rtl = body.element.body.find(f"{qn('w:sectPr')}/{qn('w:bidi')}") is not None
        assert rtl is (lang == "ar")
    assert day == "20 November 2026"

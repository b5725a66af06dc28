"""What our files say about themselves: Word package properties (read back by LibreOffice too),
no template thumbnail, Akoma Ntoso dates that tell the truth, and a redline whose explanatory
note is not part of the text."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import msgspec
from lxml import etree

from consensus_kit.domain.model import VersionState
from consensus_kit.formats.akoma_ntoso import export_akn
from consensus_kit.formats.docx_export import export_bilingual_docx, export_docx
from consensus_kit.formats.docx_redline import export_redline_docx
from tests.integration.test_akoma_ntoso import schema
from tests.integration.test_exports import a20, pandoc, resolve, revised, version_of
from tests.office import libreoffice

EXTENDED = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
AKN = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}


def custom_properties(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read("docProps/custom.xml"))
    return {p.get("name"): p[0].text for p in root.iter(f"{CUSTOM}property")}


def every_word_export() -> dict[str, bytes]:
    meeting, version, lines = a20()
    newer = version_of(meeting, revised(version), 4)
    return {
        "docx": export_docx(meeting, version, "zh", lines),
        "bilingual": export_bilingual_docx(meeting, version, "en", "zh", lines),
        "redline": export_redline_docx(meeting, version, newer, "en"),
    }


def test_word_files_name_consensus_kit_the_meeting_the_version_and_its_hash() -> None:
    _, version, _ = a20()
    for name, data in every_word_export().items():
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            app = etree.fromstring(package.read("docProps/app.xml"))
            rels = package.read("_rels/.rels").decode()
        assert app.findtext(f"{EXTENDED}Application") == "consensus-kit", name
        assert app.find(f"{EXTENDED}Template") is None and b"Microsoft" not in etree.tostring(app)
        assert app.find(f"{EXTENDED}Words") is None  # no word count of the template's empty page
        assert not any("thumbnail" in n for n in names) and "thumbnail" not in rels, name
        number = version.number + (1 if name == "redline" else 0)
        props = custom_properties(data)
        assert props["consensus-kit meeting"] == "a20-2018"
        assert props["consensus-kit version"] == str(number)
        assert props["consensus-kit content hash"].startswith("sha256:")
        if name != "redline":
            assert props["consensus-kit content hash"] == f"sha256:{version.content_hash}"
            assert props["consensus-kit state"] == "frozen"


def test_libreoffice_reads_the_custom_properties(tmp_path: Path) -> None:
    _, version, _ = a20()
    source = tmp_path / "a20.docx"
    source.write_bytes(every_word_export()["docx"])
    odt = libreoffice([source], "odt", tmp_path / "odt")[0]
    with zipfile.ZipFile(odt) as package:
        meta = etree.fromstring(package.read("meta.xml"))
    ns = {"meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"}
    found = {
        e.get(f"{{{ns['meta']}}}name"): e.text for e in meta.iterfind(".//meta:user-defined", ns)
    }
    assert found["consensus-kit content hash"] == f"sha256:{version.content_hash}"
    assert found["consensus-kit meeting"] == "a20-2018"


def test_the_redline_note_is_in_the_page_header_not_in_the_text(tmp_path: Path) -> None:
    meeting, old, _ = a20()
    new = version_of(meeting, revised(old), 4)
    data = export_redline_docx(meeting, old, new, "en")
    for mode in ("accept", "reject"):
        assert not any("Accept all changes" in text for _, text in resolve(data, mode))
        assert "Accept all changes" not in pandoc(data, tmp_path, mode)  # pandoc's own reading
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        headers = [n for n in package.namelist() if n.startswith("word/header")]
        assert any(b"Accept all changes to obtain version 4" in package.read(n) for n in headers)


def frbr_date(data: bytes, level: str) -> tuple[str, str]:
    element = etree.fromstring(data).find(f".//a:{level}/a:FRBRdate", AKN)
    return element.get("date"), element.get("name")


def test_akoma_ntoso_dates_tell_when_adopted_made_and_generated() -> None:
    meeting, version, lines = a20()
    day = dt.date(2026, 12, 4)
    final = export_akn(meeting, version, lines, lang="en", generated=day)
    assert frbr_date(final, "FRBRWork") == ("2018-03-23", "adoption")
    assert frbr_date(final, "FRBRExpression") == (version.created_at.date().isoformat(), "version")
    assert frbr_date(final, "FRBRManifestation") == ("2026-12-04", "generation")
    today = dt.datetime.now(dt.UTC).date().isoformat()
    assert frbr_date(export_akn(meeting, version), "FRBRManifestation") == (today, "generation")
    draft = msgspec.structs.replace(version, state=VersionState.DRAFT)
    drafted = export_akn(meeting, draft, lang="zh", generated=day)
    assert frbr_date(drafted, "FRBRWork") == (version.created_at.date().isoformat(), "draft")
    assert b'name="adoption"' not in drafted
    xsd = schema()
    for data in (final, drafted):
        assert xsd.validate(etree.fromstring(data)), [str(e) for e in xsd.error_log][:3]

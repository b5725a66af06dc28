"""Exports through the service: signatories, adopted amendments and redline authors."""

from __future__ import annotations

import io
import zipfile

import pytest

from consensus_kit import CONSOLE, ExportFormat, InvalidInput, MeetingService
from tests.builders import load_meeting


@pytest.fixture
def signed(service: MeetingService):  # type: ignore[no-untyped-def]
    loaded = load_meeting(service)
    mid = loaded.meeting.id
    p = {d.id: d for d in loaded.meeting.delegates}
    a = service.propose_amendment(
        p["delegate-2"],
        mid,
        kind="replace",
        article="art-1",
        texts={"en": "Children first.", "zh": "儿童优先。"},
    )
    service.adopt_amendment(p["chair"], mid, a.number)
    service.freeze_version(p["chair"], mid, 2)
    service.endorse(p["signatory-1"], mid, 2)
    return service, mid, p


def test_the_redline_names_the_sponsor_and_the_adoption_time(signed) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = signed
    (redline,) = service.export(p["observer"], mid, ExportFormat.REDLINE_DOCX, langs=["en"])
    assert redline.filename == "test-meeting-v1-v2.en.redline.docx"
    xml = zipfile.ZipFile(io.BytesIO(redline.data)).read("word/document.xml").decode()
    assert 'w:author="Organisation 2 (en)"' in xml
    adopted_at = service.version(CONSOLE, mid, 2).created_at
    assert f'w:date="{adopted_at:%Y-%m-%dT%H:%M:%S}' in xml


def test_export_all_gives_every_format_with_the_signatories(signed) -> None:  # type: ignore[no-untyped-def]
    service, mid, _ = signed
    files = {f.filename: f for f in service.export_all(CONSOLE, mid)}
    assert set(files) == {
        "test-meeting-v2.en.docx",
        "test-meeting-v2.zh.docx",
        "test-meeting-v2.en-zh.docx",
        "test-meeting-v1-v2.en.redline.docx",
        "test-meeting-v1-v2.zh.redline.docx",
        "test-meeting-v2.md",
        "test-meeting-v2.json",
        "test-meeting-v2.en.akn.xml",
        "test-meeting-v2.zh.akn.xml",
    }
    assert "Signatory 1" in files["test-meeting-v2.md"].data.decode()
    assert b"Signatory 1" in files["test-meeting-v2.en.akn.xml"].data


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"fmt": "pdf"}, "format"),
        ({"fmt": "docx", "langs": ["fr"]}, "lang"),
        ({"fmt": "redline-docx", "from_version": 2}, "from_version"),
    ],
)
def test_bad_export_requests_name_the_field(signed, kwargs, field) -> None:  # type: ignore[no-untyped-def]
    service, mid, _ = signed
    options = dict(kwargs)
    fmt = options.pop("fmt")
    with pytest.raises(InvalidInput) as caught:
        service.export(CONSOLE, mid, fmt, **options)
    assert caught.value.field == field

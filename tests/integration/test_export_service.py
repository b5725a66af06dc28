"""Exports through the service: signatories, adopted amendments and redline authors."""

from __future__ import annotations

import io
import re
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
        ({"fmt": "odt"}, "format"),  # (pdf is a format since issue 22)
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


def _authors(
    service: MeetingService, mid: str, lang: str, old: int, new: int
) -> dict[str, set[str]]:
    """Part (paragraph text) → authors of the tracked changes in the ``lang`` redline."""
    (redline,) = service.export(
        CONSOLE,
        mid,  # type: ignore[arg-type]
        ExportFormat.REDLINE_DOCX,
        langs=[lang],
        version=new,
        from_version=old,
    )
    xml = zipfile.ZipFile(io.BytesIO(redline.data)).read("word/document.xml").decode()
    return {author for author in re.findall(r'w:author="([^"]*)"', xml)}  # type: ignore[return-value]


def test_each_language_credits_only_the_amendments_that_changed_it(service: MeetingService) -> None:
    loaded = load_meeting(service)
    mid = loaded.meeting.id
    p = {d.id: d for d in loaded.meeting.delegates}

    def adopt(who: str, article: str, texts: dict[str, str], **kw: object) -> None:
        a = service.propose_amendment(
            p[who],
            mid,
            kind="replace",
            article=article,
            texts=texts,
            **kw,  # type: ignore[arg-type]
        )
        service.adopt_amendment(p["chair"], mid, a.number)

    adopt("delegate-1", "art-1", {"en": "English only."})  # v2, amendment 1
    adopt("delegate-2", "art-2", {"zh": "只有中文。"})  # v3, amendment 2
    adopt("delegate-3", "art-2", {"en": "Both.", "zh": "两者。"})  # v4, amendment 3
    service.update_translations(p["secretariat"], mid, {("art-1", "zh"): "只改英文。"})  # v5
    assert _authors(service, mid, "en", 1, 5) == {"Organisation 1 (en)", "Organisation 3 (en)"}
    assert _authors(service, mid, "zh", 1, 5) == {"Organisation 3 (zh)", "The Secretariat"}
    assert _authors(service, mid, "zh", 2, 3) == {"Organisation 2 (zh)"}
    akn = {
        f.filename.split(".")[-3]: f.data.decode()
        for f in service.export(CONSOLE, mid, ExportFormat.AKOMA_NTOSO, version=5)
    }
    assert set(re.findall(r'eId="pmod_(\d+)"', akn["en"])) == {"1", "3"}
    assert set(re.findall(r'eId="pmod_(\d+)"', akn["zh"])) == {"2", "3"}


def test_the_akoma_ntoso_generation_date_is_the_services_clock(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A replayed meeting exports with its own date, not the date of the machine's calendar."""
    import datetime as dt

    from consensus_kit import CONSOLE, MeetingService, SqlStore
    from tests.builders import load_meeting

    clock = lambda: dt.datetime(2010, 11, 5, 9, 0, tzinfo=dt.UTC)  # noqa: E731
    service = MeetingService(SqlStore.open(f"sqlite:///{tmp_path / 'm.db'}"), clock=clock)
    mid = load_meeting(service).meeting.id
    [akn] = service.export(CONSOLE, mid, "akn", langs=["en"])
    assert b'<FRBRdate date="2010-11-05" name="generation"/>' in akn.data

"""Official country names: given per language in the meeting file, printed instead of CLDR's
short forms ("North Korea", "Laos") in every export and page; CLDR only where none is given."""

from __future__ import annotations

import io
import re

import docx
import pytest

from consensus_kit import (
    CONSOLE,
    MeetingFileError,
    MeetingService,
    parse_meeting_file,
    verify_store,
)
from tests.builders import meeting_toml

OFFICIAL = {
    "en": "Democratic People's Republic of Korea",
    "zh": "朝鲜民主主义人民共和国",
}


def _meeting_text() -> str:
    text = meeting_toml(orgs=2)
    # org-1 is from the DPRK and gives its official names; org-2 (China) keeps CLDR's
    return text.replace(
        'id = "org-1"\nname = { en = "Organisation 1 (en)", zh = "Organisation 1 (zh)" }\n'
        'country = "KE"',
        'id = "org-1"\nname = { en = "Organisation 1 (en)", zh = "Organisation 1 (zh)" }\n'
        'country = "KP"\n'
        f'country_name = {{ en = "{OFFICIAL["en"]}", zh = "{OFFICIAL["zh"]}" }}',
    )


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture
def signed(service: MeetingService) -> tuple[MeetingService, str]:
    text = _meeting_text()
    assert 'country = "KP"' in text
    loaded = service.load_meeting(parse_meeting_file(text, source="dprk.toml"), actor=CONSOLE)
    mid = loaded.meeting.id
    p = {d.id: d for d in loaded.meeting.delegates}
    service.freeze_version(p["chair"], mid, 1)
    service.endorse(p["signatory-1"], mid, 1)
    service.endorse(p["signatory-2"], mid, 1)
    return service, mid


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_language_document_prints_the_official_name(
    signed: tuple[MeetingService, str], lang: str
) -> None:
    service, mid = signed
    [document] = service.export(CONSOLE, mid, "docx", langs=[lang])
    text = _docx_text(document.data)
    assert OFFICIAL[lang] in text
    assert not re.search("North Korea|朝鲜(?!民主)", text)
    assert {"en": "China", "zh": "中国"}[lang] in text  # no official name given: CLDR's


def test_the_bilingual_document_and_the_markdown_print_both_official_names(
    signed: tuple[MeetingService, str],
) -> None:
    service, mid = signed
    [bilingual] = service.export(CONSOLE, mid, "bilingual-docx", langs=["en", "zh"])
    text = _docx_text(bilingual.data)
    assert OFFICIAL["en"] in text and OFFICIAL["zh"] in text
    [markdown] = service.export(CONSOLE, mid, "md", langs=["en"])
    assert OFFICIAL["en"] in markdown.data.decode()


def test_official_names_are_stored_read_back_and_verified(
    signed: tuple[MeetingService, str],
) -> None:
    service, mid = signed
    fresh = MeetingService(service.store).meeting(mid)  # read from the database, not the cache
    org = fresh.organisation("org-1")  # type: ignore[arg-type]
    assert org is not None and org.country_name == OFFICIAL
    assert org.country_in("zh") == OFFICIAL["zh"] and org.country_in("fr") == "Corée du Nord"
    assert verify_store(service.store, CONSOLE).ok


def test_an_official_name_in_a_language_the_meeting_lacks_is_named() -> None:
    with pytest.raises(MeetingFileError) as bad:
        parse_meeting_file(
            _meeting_text().replace(f'zh = "{OFFICIAL["zh"]}"', 'fr = "RPDC"'), source="x.toml"
        )
    assert bad.value.field == "organisations[0].country_name.fr"

"""The A20 example: the published texts and the summit's own tallies."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from consensus_kit import read_meeting_file

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "a20_2018" / "meeting.toml"
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def a20():  # type: ignore[no-untyped-def]
    return read_meeting_file(EXAMPLE)


def test_the_a20_meeting_file_is_valid(a20) -> None:  # type: ignore[no-untyped-def]
    assert a20.meeting.id == "a20-2018"
    assert a20.meeting.languages == ("zh", "en")
    assert a20.warnings == ()
    assert len(a20.declaration.articles) == 4


def test_twenty_organisations_eleven_asia_seven_africa_two_europe(a20) -> None:  # type: ignore[no-untyped-def]
    voting = [o for o in a20.meeting.organisations if not o.observer]
    assert len(voting) == 20
    assert len({o.country for o in voting}) == 20
    assert Counter(o.region for o in voting) == {"Asia": 11, "Africa": 7, "Europe": 2}
    assert next(o for o in voting if o.country == "AZ").region == "Asia"


def test_every_voting_organisation_has_a_signatory_and_nobody_is_invented(a20) -> None:  # type: ignore[no-untyped-def]
    meeting = a20.meeting
    for org in (o for o in meeting.organisations if not o.observer):
        assert any(
            d.organisation == org.id and "signatory" in d.roles for d in meeting.delegates
        ), org.id
    hungary = next(o for o in meeting.organisations if o.country == "HU")
    (rep,) = [d for d in meeting.delegates if d.organisation == hungary.id]
    assert "Sharmin Subrina" not in rep.name
    assert [d.organisation for d in meeting.delegates if d.name == "Sharmin Subrina"] == [
        next(o.id for o in meeting.organisations if o.country == "BD")
    ]


def test_observers_are_the_international_organisations(a20) -> None:  # type: ignore[no-untyped-def]
    observers = {o.name["en"] for o in a20.meeting.organisations if o.observer}
    assert {"UNICEF", "Plan International", "Save the Children", "ECPAT International"} <= observers


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.skipif(
    not SEEDS.is_dir(), reason="the seed documents live in ../shared/seeds beside the repo"
)
def test_articles_are_character_for_character_the_published_texts(a20) -> None:  # type: ignore[no-untyped-def]
    english = _normalise((SEEDS / "001_d5a35218abf75f72.txt").read_text(encoding="utf-8"))
    chinese = _normalise((SEEDS / "002_36619ff9c60038ea.txt").read_text(encoding="utf-8"))
    for article in a20.declaration.articles:
        assert _normalise(article.text["en"]) in english
        assert _normalise(article.text["zh"]) in chinese
    assert "especially especially" in a20.declaration.articles[1].text["en"]

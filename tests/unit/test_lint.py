"""The language-parity check, on the published A20 text and on small cases."""

from __future__ import annotations

from pathlib import Path

import msgspec

from consensus_kit import (
    Article,
    ArticleId,
    Severity,
    Tracking,
    lint_declaration,
    read_meeting_file,
)
from consensus_kit.domain.lint import numbers_in
from tests.builders import make_meeting_file

A20 = Path(__file__).resolve().parents[2] / "examples" / "a20_2018" / "meeting.toml"


def test_the_published_a20_text_has_one_finding_the_doubled_word() -> None:
    a20 = read_meeting_file(A20)
    findings = lint_declaration(a20.declaration, a20.meeting)
    assert [str(f) for f in findings] == [
        "warning: article 2 (art-2) [en]: doubled word: “especially especially” (doubled-word)"
    ]


def test_numbers_years_and_percentages_missing_in_one_language() -> None:
    mf = make_meeting_file()
    article = Article(
        id=ArticleId("art-1"),
        text={  # type: ignore[dict-item]
            "en": "By 2030, 53 % of children in 12 countries.",
            "zh": "到２０３０年，12个国家中的50%儿童。",
        },
    )
    declaration = msgspec.structs.replace(mf.declaration, articles=(article,))
    messages = {f.message for f in lint_declaration(declaration, mf.meeting) if f.code == "number"}
    assert messages == {
        "'53%' is in the en text but not in this one",
        "'50%' is here but not in the en text",
    }


def test_missing_and_stale_translations() -> None:
    mf = make_meeting_file()
    missing = Article(id=ArticleId("art-1"), text={"en": "Only English."})  # type: ignore[dict-item]
    stale = Article(
        id=ArticleId("art-2"),
        text={"en": "New.", "zh": "旧。"},  # type: ignore[dict-item]
        revision=3,
        in_step={"zh": 1},
    )  # type: ignore[dict-item]
    declaration = msgspec.structs.replace(mf.declaration, articles=(missing, stale))
    found = {
        (f.severity, f.code, f.where, f.lang) for f in lint_declaration(declaration, mf.meeting)
    }
    assert (Severity.ERROR, "article-count", "declaration", None) in found
    assert (Severity.ERROR, "missing", "article 1 (art-1)", "zh") in found
    assert (Severity.WARNING, "stale", "article 2 (art-2)", "zh") in found


def test_chinese_reduplication_is_not_a_doubled_word() -> None:
    mf = make_meeting_file()
    article = Article(id=ArticleId("art-1"), text={"en": "Often.", "zh": "我们常常说，人人平等。"})  # type: ignore[dict-item]
    declaration = msgspec.structs.replace(mf.declaration, articles=(article,))
    assert lint_declaration(declaration, mf.meeting) == []


def test_numbers_in_reads_full_width_digits() -> None:
    assert numbers_in("２０１８年３月２３日") == {"2018": 1, "3": 1, "23": 1}


def test_the_title_and_preamble_are_linted_like_articles() -> None:
    mf = make_meeting_file()
    declaration = msgspec.structs.replace(
        mf.declaration,
        title={"en": "The 2030 Declaration", "zh": "宣言"},  # type: ignore[dict-item]
        preamble={"en": "We agree agree."},  # type: ignore[dict-item]
        tracking={"title": Tracking(revision=3, in_step={"zh": 2})},  # type: ignore[dict-item]
    )
    found = {(f.code, f.where, f.lang) for f in lint_declaration(declaration, mf.meeting)}
    assert {
        ("number", "title", "zh"),
        ("stale", "title", "zh"),
        ("missing", "preamble", "zh"),
        ("doubled-word", "preamble", "en"),
    } <= found


def test_a_date_reads_the_same_in_both_languages_and_a_name_is_not_a_number() -> None:
    assert numbers_in("On March 18, 2018, the A20 summit") == numbers_in("2018年3月18日，峰会")
    assert numbers_in("18 March 2018") == numbers_in("2018年3月18日")
    assert numbers_in("States may act in 2030") == {"2030": 1}  # "may" is not May

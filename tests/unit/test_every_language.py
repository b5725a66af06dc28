"""Numbers and dates as every language writes them, substantive changes in any language, and
the labels of the exports in the six UN languages (issue 27)."""

from __future__ import annotations

import pytest

from consensus_kit import parse_meeting_file
from consensus_kit.domain.facts import facts_changed, numbers_in
from consensus_kit.domain.ids import Lang
from consensus_kit.domain.lint import Severity, lint_declaration
from consensus_kit.domain.tracking import retrack
from consensus_kit.formats._labels import LABELS
from consensus_kit.formats.export_common import guess_lang, is_upright, label
from tests.six_languages import LANGS, TEXTS, six_language_toml

EN, AR = Lang("en"), Lang("ar")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("On 1 March 2028, 95% of 1,500,000 (0.7%)", "en"),
        ("Le 1er mars 2028, 95 % de 1 500 000 (0,7 %)", "fr"),
        ("El 1 de marzo de 2028, el 95 % de 1.500.000 (0,7 %)", "es"),
        ("1 марта 2028 года 95 процентов из 1\u00a0500\u00a0000 (0,7 %)", "ru"),
        ("2028年3月1日，1,500,000的95%（0.7%）", "zh"),
        ("في 1 آذار/مارس 2028، 95 في المائة من 1,500,000 (0.7 في المائة)", "ar"),
        ("في ١ آذار/مارس ٢٠٢٨، ٩٥٪ من 1,500,000 (٠٫٧٪)", "ar"),
    ],
)
def test_numbers_dates_and_percentages_read_the_same_in_every_language(
    text: str, lang: str
) -> None:
    assert numbers_in(text, lang) == {"1": 1, "3": 1, "2028": 1, "95%": 1, "1500000": 1, "0.7%": 1}


def test_a_month_is_a_number_only_beside_a_day_or_a_year() -> None:
    assert numbers_in("Mars est une planète, 2030", "fr") == {"2030": 1}
    assert numbers_in("En mayo de 2030", "es") == {"5": 1, "2030": 1}


def test_a_substantive_change_is_one_that_moves_a_number_or_a_date() -> None:
    assert facts_changed(TEXTS["art-4"]["ar"], TEXTS["art-4"]["ar"].replace("2028", "2029"), "ar")
    assert facts_changed("le 1er mars 2028", "le 1er avril 2028", "fr")
    assert not facts_changed("دون أي تمييز", "دون تمييز من أي نوع", "ar")
    assert not facts_changed("95 %", "95\u202f%", "fr")


def _after_arabic(change: str, *, confirmed: tuple[str, ...] = ()) -> tuple[int, dict[Lang, int]]:
    before = {Lang(lang): text for lang, text in TEXTS["art-4"].items()}
    after = {**before, AR: change}
    return retrack(
        before, 1, {}, after, version=5, negotiating=EN, confirmed=[Lang(c) for c in confirmed]
    )


def test_an_arabic_substantive_change_leaves_every_other_language_stale_english_included() -> None:
    revision, in_step = _after_arabic(TEXTS["art-4"]["ar"].replace("2028", "2029"))
    assert revision == 5
    assert in_step == {Lang(g): 1 for g in LANGS if g != "ar"} | {AR: 5}


def test_an_arabic_spelling_change_leaves_the_others_in_step() -> None:
    revision, in_step = _after_arabic(TEXTS["art-4"]["ar"].replace("المحرز", "المُحرَز"))
    assert revision == 1 and all(n == 1 for n in in_step.values())


def test_a_later_english_change_is_the_reference_again() -> None:
    before = {Lang(g): t for g, t in TEXTS["art-4"].items()}
    after = {**before, EN: "The parties will report every year, starting on 1 March 2029."}
    revision, in_step = retrack(before, 5, {EN: 1, Lang("fr"): 1}, after, version=6, negotiating=EN)
    assert revision == 6 and EN not in in_step and in_step[Lang("fr")] == 1


def test_the_six_language_text_lints_clean_and_a_slip_is_an_error() -> None:
    mf = parse_meeting_file(six_language_toml(orgs=3), source="six.toml")
    assert lint_declaration(mf.declaration, mf.meeting) == []
    articles = list(mf.declaration.articles)
    art = articles[1]
    slipped = {**art.text, Lang("fr"): art.text[Lang("fr")].replace("95 %", "59 %")}
    articles[1] = type(art)(id=art.id, text=slipped)
    declaration = type(mf.declaration)(
        title=mf.declaration.title, preamble=mf.declaration.preamble, articles=tuple(articles)
    )
    found = lint_declaration(declaration, mf.meeting)
    assert {(f.severity, f.code, f.lang) for f in found} == {(Severity.ERROR, "number", "fr")}
    assert {f.message for f in found} == {
        "'95%' is in the en text but not in this one",
        "'59%' is here but not in the en text",
    }


def test_every_label_exists_in_the_six_un_languages() -> None:
    for lang in LANGS:
        assert set(LABELS[lang]) == set(LABELS["en"]), lang
        if lang != "en":  # translated, not English copied (French shares words such as
            # "Quorum", "Participation", "consensus", "Signatures" with English)
            differ = [k for k in LABELS["en"] if LABELS[lang][k] != LABELS["en"][k]]
            assert len(differ) >= 0.8 * len(LABELS["en"]), (lang, differ)
    assert label("ar", "redline", old=3, new=4).startswith("التغييرات من الإصدار 3")


def test_names_are_tagged_by_their_script() -> None:
    assert guess_lang("Анна Иванова", "fr") == "ru"
    assert guess_lang("Анна Иванова", "es") == "ru"
    assert guess_lang("Анна Иванова", "ru") == "ru"
    assert guess_lang("Delegate 7", "ru") == "en"
    assert guess_lang("فاطمة الزهراء", "zh") == "ar"
    assert guess_lang("王芳", "ar") == "zh"
    assert guess_lang("Jean Dupont", "fr") == "fr"
    assert guess_lang("דוד כהן", "en") == "he"


def test_scripts_without_italics() -> None:
    assert all(is_upright(g) for g in ("zh", "ja", "ko", "ar", "he", "fa"))
    assert not any(is_upright(g) for g in ("en", "fr", "es", "ru"))


def test_a_chinese_ordinal_is_its_number_and_other_chinese_numerals_stay_words() -> None:
    assert numbers_in("第一条、第十二条和第一百零五条", "zh") == {"1": 1, "12": 1, "105": 1}
    assert numbers_in("Article 1, article 12 and article 105") == {"1": 1, "12": 1, "105": 1}
    assert numbers_in("各方将每两年报告一次", "zh") == {}  # "every two years", in words

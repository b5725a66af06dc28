"""The interface in the six UN languages (issue 27): complete catalogues, who sees which
language, right-to-left Arabic, names of organisations and countries in the interface language."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po, write_po
from litestar.testing import TestClient

from consensus_kit import CONSOLE, open_service, read_meeting_file
from tests.builders import load_meeting
from tests.web.conftest import Browser, Site
from webui import Settings, create_app, i18n, tally
from webui.i18n import (
    LOCALE_DIR,
    UI_LANGUAGES,
    Catalogues,
    catalogue_problems,
    interface_language,
    reading_language,
    update_catalogues,
)

SIX = Path(__file__).resolve().parents[1] / "browser" / "six_languages.toml"
HTML = re.compile(r"<html[^>]*>")


def _site(tmp_path: Path, loaded_from: Any) -> Iterator[Browser]:
    url = f"sqlite:///{tmp_path / 'meeting.db'}"
    service = open_service(url)
    loaded = loaded_from(service)
    app = create_app(Settings(db=url, secret="test-secret", poll_interval=0.2))
    with TestClient(app=app) as client:
        client.follow_redirects = False
        yield Browser(client, Site(app=app, url=url, loaded=loaded, service=service))
    service.store.close()


@pytest.fixture
def six(tmp_path: Path) -> Iterator[Browser]:
    """A browser at the six-language meeting (SQLite: the language is no database matter)."""
    yield from _site(tmp_path, lambda s: s.load_meeting(read_meeting_file(SIX), actor=CONSOLE))


@pytest.fixture
def german(tmp_path: Path) -> Iterator[Browser]:
    """A browser at a meeting negotiated in German (no German catalogue) and English."""
    yield from _site(tmp_path, lambda s: load_meeting(s, langs=("de", "en")))


def html_tag(page: str) -> str:
    return HTML.search(page).group(0)  # type: ignore[union-attr]


# -- the catalogues -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", UI_LANGUAGES[1:])
def test_every_interface_string_is_translated_in_every_catalogue(lang: str) -> None:
    assert catalogue_problems(lang) == []


def test_the_catalogue_check_finds_missing_english_fuzzy_and_broken_strings(
    tmp_path: Path,
) -> None:
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, locale)
    po = locale / "ru" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="ru")
    catalog.delete("Home")
    catalog["Log out"].string = "Log out"  # left in English
    catalog["Save"].flags.add("fuzzy")
    catalog["Version %(n)s cannot be frozen yet:"].string = "Версию пока нельзя утвердить:"
    with po.open("wb") as handle:
        write_po(handle, catalog)
    found = catalogue_problems("ru", locale)
    assert {(p.split(":")[0], p.rsplit(": ", 1)[1]) for p in found} == {
        ("ru missing", "Home"),
        ("ru same as English", "Log out"),
        ("ru fuzzy", "Save"),
        ("ru placeholders", "Version %(n)s cannot be frozen yet:"),
    }
    assert catalogue_problems("fr", locale) == []


def test_words_spelled_alike_in_french_are_allowed_but_nothing_else() -> None:
    fr = Catalogues().get("fr")
    assert fr.gettext("Article %(n)s") == "Article %(n)s"  # on the allow-list
    assert fr.gettext("Amendment %(n)s") == "Amendement %(n)s"
    assert Catalogues().get("ar").gettext("Votes") == "التصويت"


# -- who sees which language --------------------------------------------------------------------

MEETING = ["en", "fr", "es", "ru", "zh", "ar"]


@pytest.mark.parametrize(
    ("chosen", "header", "languages", "negotiating", "expected"),
    [
        (None, "fr-CH,fr;q=0.9,en;q=0.5", MEETING, "en", "fr"),
        (None, "ar-EG", MEETING, "en", "ar"),
        (None, "ru;q=0.4, es;q=0.8", MEETING, "en", "es"),
        (None, "fr", ["en", "zh"], "en", "en"),  # the meeting has no French
        (None, "fr, zh;q=0.5", ["en", "zh"], "en", "zh"),
        (None, "de-DE,de", ["de", "en"], "de", "en"),  # no German catalogue
        (None, "en", ["fr", "es"], "fr", "en"),  # English, the source, is always there
        (None, "de", ["fr", "es"], "fr", "fr"),  # nothing matches: the negotiating language
        (None, None, None, None, "en"),
        (None, "fr", None, None, "fr"),  # before logging in: any catalogue
        ("ar", "fr", ["en", "fr"], "en", "ar"),  # the person's choice wins
        ("de", "es", MEETING, "en", "es"),  # a choice without a catalogue is ignored
        (["fr"], None, MEETING, "en", "en"),  # a session value of the wrong type too
    ],
)
def test_the_interface_language_rule(
    chosen: Any, header: str | None, languages: Any, negotiating: Any, expected: str
) -> None:
    assert interface_language(chosen, header, languages, negotiating) == expected


@pytest.mark.parametrize(
    ("ui", "header", "languages", "chosen", "expected"),
    [
        ("fr", "fr", MEETING, False, "fr"),
        ("ar", None, MEETING, False, "ar"),
        ("ar", "fr", MEETING, True, "ar"),  # chosen: the interface's language
        ("en", "de-DE,de;q=0.9", ["de", "en"], False, "de"),  # the browser's, no catalogue
        ("en", "de-DE,de;q=0.9", ["de", "en"], True, "en"),
        ("zh", None, ["de", "fr"], True, "fr"),  # else the negotiating language
    ],
)
def test_the_text_is_read_in_the_interface_language_when_the_declaration_has_it(
    ui: str, header: str | None, languages: list[str], chosen: bool, expected: str
) -> None:
    assert reading_language(ui, header, languages, "fr", chosen=chosen) == expected


@pytest.mark.parametrize("lang", UI_LANGUAGES)
def test_each_of_the_six_languages_can_be_chosen(six: Browser, lang: str) -> None:
    six.login("lucia")
    answer = six.post("/ui-lang", {"lang": lang, "next": "/declaration"})
    assert answer.status_code == 303 and answer.headers["location"] == "/declaration"
    page = six.get("/declaration", headers={"Accept-Language": "es"}).text
    expected = "zh-Hans" if lang == "zh" else lang
    assert html_tag(page) == (
        f'<html lang="{expected}" dir="rtl">' if lang == "ar" else f'<html lang="{expected}">'
    )
    declaration = Catalogues().get(lang).gettext("Declaration")
    assert f'<a href="/declaration">{declaration}</a>' in page
    assert (declaration == "Declaration") == (lang == "en")
    # the text follows the interface language: the declaration has all six
    article = read_meeting_file(SIX).declaration.articles[0].text[lang]  # type: ignore[index]
    assert f'<td lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in page
    assert article.replace("'", "&#39;") in page


def test_an_unknown_language_choice_changes_nothing(six: Browser) -> None:
    six.login("lucia")
    six.post("/ui-lang", {"lang": "fr", "next": "/"})
    assert six.post("/ui-lang", {"lang": "xx", "next": "/"}).status_code == 303
    assert '<html lang="fr">' in six.get("/").text


def test_the_choice_survives_logging_in(six: Browser) -> None:
    six.client.cookies.clear()
    form = six.get("/login", headers={"Accept-Language": "en"})
    six.csrf = re.search(r'name="_csrf_token" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    six.post("/ui-lang", {"lang": "ru", "next": "/login"})
    code = six.site.code("aminata")
    assert six.post("/login", {"code": code}).status_code == 303
    assert '<html lang="ru">' in six.get("/", headers={"Accept-Language": "fr"}).text


def test_a_french_browser_gets_french_at_a_meeting_that_has_french(six: Browser) -> None:
    fr = {"Accept-Language": "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7"}
    login = six.get("/login", headers=fr).text
    assert '<html lang="fr">' in login and "Se connecter" in login
    six.login("aminata")
    home = six.get("/", headers=fr).text
    assert '<html lang="fr">' in home and "Déclaration" in home
    text = six.get("/declaration", headers=fr).text
    assert "Tout enfant a droit à l&#39;eau potable" in text
    assert "Every child has the right" not in text


def test_a_french_browser_gets_english_at_a_meeting_without_french(browser: Browser) -> None:
    fr = {"Accept-Language": "fr-FR,fr;q=0.9"}
    assert '<html lang="fr">' in browser.get("/login", headers=fr).text  # no meeting yet
    browser.login("delegate-1")
    page = browser.get("/", headers=fr).text
    assert '<html lang="en">' in page and "Open votes" in page


def test_a_meeting_in_a_language_without_a_catalogue_falls_back_to_english(
    german: Browser,
) -> None:
    de = {"Accept-Language": "de-DE,de;q=0.9"}
    german.login("delegate-1")
    page = german.get("/declaration", headers=de).text
    assert '<html lang="en">' in page and ">Declaration</a>" in page
    assert '<td lang="de" dir="ltr">' in page and "Article 1 (de)" in page  # German words


# -- right to left ------------------------------------------------------------------------------


def test_arabic_text_is_right_to_left_inside_an_english_interface(six: Browser) -> None:
    six.login("lucia")
    page = six.get("/declaration?lang=ar&other=en", headers={"Accept-Language": "en"}).text
    assert '<html lang="en">' in page
    assert '<td lang="ar" dir="rtl">' in page and '<td lang="en" dir="ltr">' in page
    article = six.get("/articles/art-1", headers={"Accept-Language": "en"}).text
    assert '<section lang="ar" dir="rtl">' in article


def test_the_tally_reads_right_to_left_in_arabic(six: Browser) -> None:
    service, mid = six.site.service, six.site.mid
    lucia = service.delegate(mid, "lucia")
    number = service.propose_amendment(
        lucia, mid, kind="replace", article="art-1",
        texts={"en": "Every child has the right to clean drinking water and to sanitation by 2028.",
               "ar": "لكل طفل الحق في الحصول على مياه الشرب النظيفة وخدمات الصرف الصحي بحلول عام 2028."},
    ).number  # fmt: skip
    service.open_vote(service.delegate(mid, "chair"), mid, amendment=number)
    service.cast_ballot(lucia, mid, 1, "yes", key="lucia")
    six.login("layla")
    ar = {"Accept-Language": "ar"}
    page = six.get("/votes/1", headers=ar).text
    svg = re.search(r'<svg [^>]*viewBox="0 0 (\d+) \d+"[^>]*>(.*?)</svg>', page, re.S)
    assert svg is not None and 'direction="rtl"' in svg.group(0)
    width = int(svg.group(1))
    label = re.search(r'<text x="(\d+)"', svg.group(2))
    bar = re.search(r'<rect class="bar" x="([\d.]+)" y="\d+" width="([\d.]+)"', svg.group(2))
    assert label and int(label.group(1)) == width  # the labels stand at the right
    assert bar and float(bar.group(2)) > 0
    # the bar ends where the labels begin, and grows leftwards from there
    assert float(bar.group(1)) + float(bar.group(2)) == pytest.approx(width - tally.LABEL)
    assert '<div class="diff numbered" lang="ar" dir="rtl">' in page
    assert "نعم" in page  # "yes"
    english = six.get("/votes/1", headers={"Accept-Language": "en"}).text
    assert re.search(r'<text x="0"', english)


# -- names --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "org", "country"),
    [
        ("ar", "شبكة مياه النيل", "جمهورية مصر العربية"),  # the meeting's official name
        ("fr", "Réseau de l&#39;eau du Nil", "République arabe d&#39;Égypte"),
        ("es", "Red del Agua del Nilo", "Egipto"),  # no official name in Spanish: CLDR
        ("ru", "Сеть «Вода Нила»", "Египет"),
        ("zh", "尼罗河水网络", "埃及"),
    ],
)
def test_organisations_and_countries_are_named_in_the_interface_language(
    six: Browser, lang: str, org: str, country: str
) -> None:
    six.login("layla")
    six.post("/ui-lang", {"lang": lang, "next": "/"})
    page = six.get("/").text
    assert f"<bdi>{org}</bdi>" in page
    assert f"({country})" in page


def test_a_name_missing_in_the_interface_language_falls_back_to_the_negotiating_one(
    six: Browser,
) -> None:
    six.login("lucia")
    six.post("/ui-lang", {"lang": "fr", "next": "/"})
    page = six.get("/").text
    assert '<bdi lang="en" dir="ltr">Pampas Children&#39;s Fund</bdi> (Argentine)' in page


def test_updating_the_catalogues_keeps_translated_ones_as_they_are(tmp_path: Path) -> None:
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, locale)
    update_catalogues(locale)
    for lang in ("fr", "es", "ru", "ar"):
        path = Path(lang) / "LC_MESSAGES" / "messages.po"
        assert (locale / path).read_bytes() == (LOCALE_DIR / path).read_bytes(), lang


def test_a_new_language_gets_a_catalogue_with_every_string_to_translate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, locale)
    monkeypatch.setattr(i18n, "UI_LANGUAGES", (*UI_LANGUAGES, "de"))
    update_catalogues(locale)
    found = catalogue_problems("de", locale)
    assert found and all(p.startswith("de missing: ") for p in found)
    assert any(p.endswith(": Declaration") for p in found)


@pytest.mark.parametrize("lang", ["fr", "es", "ru", "ar"])
def test_every_page_renders_in_each_new_language(six: Browser, lang: str) -> None:
    service, mid = six.site.service, six.site.mid
    service.propose_amendment(
        service.delegate(mid, "lucia"), mid, kind="replace", article="art-1",
        texts={"en": "Every child has the right to clean drinking water by 2030."},
    )  # fmt: skip
    service.open_vote(service.delegate(mid, "chair"), mid, amendment=1)
    six.login("secretariat")
    six.post("/ui-lang", {"lang": lang, "next": "/"})
    tag = f'<html lang="{lang}" dir="rtl">' if lang == "ar" else f'<html lang="{lang}">'
    for path in ("/", "/declaration?other=en", "/declaration/compare", "/articles/art-1",
                 "/amendments", "/amendments/1", "/votes", "/votes/1", "/signing",
                 "/projector", "/secretariat"):  # fmt: skip
        answer = six.get(path)
        assert answer.status_code == 200, path
        assert html_tag(answer.text) == tag, path
    missing = six.get("/amendments/99")
    assert missing.status_code == 404 and html_tag(missing.text) == tag
    assert Catalogues().get(lang).gettext("Not found") in missing.text


def test_the_secretariat_page_links_every_language_side_by_side_as_pdf(six: Browser) -> None:
    six.login("secretariat")
    page = six.get("/secretariat").text
    assert 'href="/exports/parallel-docx"' in page and 'href="/exports/parallel-pdf"' in page
    answer = six.get("/exports/parallel-pdf")
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF-")
    assert ".en-fr-es-ru-zh-ar.pdf" in answer.headers["content-disposition"]

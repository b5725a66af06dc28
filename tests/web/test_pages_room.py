"""Pages: the projector, the secretariat's desk and exports."""

from __future__ import annotations

import io
import zipfile

import pytest

from consensus_kit import CONSOLE
from tests.web.conftest import Browser, Site


def adopted_english_change(site: Site) -> None:
    number = site.service.propose_amendment(
        site.delegate("delegate-1"),
        site.mid,
        kind="replace",
        article="art-2",
        texts={"en": "Article 2 reworded (en)"},
    ).number
    site.service.adopt_amendment(site.delegate("chair"), site.mid, number)


def test_the_projector_has_no_controls_and_follows_the_floor(browser: Browser, site: Site) -> None:
    chair = site.delegate("chair")
    browser.login("chair")
    page = browser.get("/projector").text
    assert "projector" in page and "<form" not in page.split("<main")[1]
    assert "Test declaration (en)" in page
    site.service.set_agenda(chair, site.mid, "article", "art-2")
    body = browser.get("/projector?part=body", headers={"HX-Request": "true"}).text
    assert "Article 2 (en)" in body and "Article 2 (zh)" in body
    number = site.service.propose_amendment(
        site.delegate("delegate-2"),
        site.mid,
        kind="replace",
        article="art-1",
        texts={"en": "Article 1 for the room (en)"},
    ).number
    site.service.set_agenda(chair, site.mid, "amendment", str(number))
    body = browser.get("/projector?part=body").text
    assert "<ins>" in body and "translation pending" in body
    site.service.open_vote(chair, site.mid, amendment=number)
    body = browser.get("/projector?part=body").text
    assert "<svg" in body and "0 of 3 ballots cast" in body


def test_the_projector_shows_the_wall_during_signing(browser: Browser, site: Site) -> None:
    chair = site.delegate("chair")
    site.service.freeze_version(chair, site.mid, 1)
    site.service.endorse(site.delegate("signatory-3"), site.mid, 1)
    site.service.set_agenda(chair, site.mid, "signing", "1")
    browser.login("observer")
    page = browser.get("/projector").text
    assert "open for signature" in page and "Organisation 3 (en)" in page and "1 / 3" in page


@pytest.mark.parametrize("who", ["delegate-1", "observer", "secretariat"])
def test_the_desk_lists_stale_translations_and_the_parity_report(
    browser: Browser, site: Site, who: str
) -> None:
    adopted_english_change(site)
    browser.login(who)
    page = browser.get("/secretariat").text
    assert "translated from version 1, changed in version 2" in page
    assert "<ins> reworded</ins>" in page
    assert ("t:art-2:zh" in page) == (who == "secretariat")


def test_the_secretariat_updates_a_stale_translation(browser: Browser, site: Site) -> None:
    adopted_english_change(site)
    browser.login("secretariat")
    answer = browser.post("/secretariat/translations", {"t:art-2:zh": "第二条（已改写）"})
    assert answer.status_code == 303
    assert site.service.stale_translations(CONSOLE, site.mid) == []
    assert "Every translation is in step." in browser.get("/secretariat").text


def test_the_secretariat_confirms_a_stale_translation_with_the_box(
    browser: Browser, site: Site
) -> None:
    adopted_english_change(site)
    browser.login("secretariat")
    page = browser.get("/secretariat").text
    assert 'name="c:art-2:zh"' in page
    unchanged = browser.post("/secretariat/translations", {"t:art-2:zh": "Article 2 (zh)"})
    assert unchanged.status_code == 422  # the same words sent back confirm nothing
    assert len(site.service.stale_translations(CONSOLE, site.mid)) == 1
    answer = browser.post(
        "/secretariat/translations", {"t:art-2:zh": "Article 2 (zh)", "c:art-2:zh": "on"}
    )
    assert answer.status_code == 303
    assert site.service.stale_translations(CONSOLE, site.mid) == []
    events = site.service.events_after(CONSOLE, site.mid)
    assert [e.actor for e in events if e.type == "translations_confirmed"] == ["secretariat"]


def test_a_stale_preamble_is_on_the_desk(browser: Browser, site: Site) -> None:
    number = site.service.propose_amendment(
        site.delegate("delegate-1"), site.mid, kind="preamble", texts={"en": "We all agree."}
    ).number
    site.service.adopt_amendment(site.delegate("chair"), site.mid, number)
    browser.login("delegate-2")
    declaration = browser.get("/declaration?lang=zh").text
    assert declaration.count(">stale translation<") == 1  # the preamble's
    browser.login("secretariat")
    page = browser.get("/secretariat").text
    assert 'name="t:preamble:zh"' in page and "Preamble" in page
    answer = browser.post("/secretariat/translations", {"t:preamble:zh": "我们都同意。"})
    assert answer.status_code == 303
    assert site.service.stale_translations(CONSOLE, site.mid) == []


def test_a_delegate_cannot_update_translations(browser: Browser, site: Site) -> None:
    adopted_english_change(site)
    browser.login("delegate-2")
    answer = browser.post("/secretariat/translations", {"t:art-2:zh": "改"})
    assert answer.status_code == 403
    assert len(site.service.stale_translations(CONSOLE, site.mid)) == 1


def test_exports_download_documents_made_by_the_library(browser: Browser) -> None:
    browser.login("observer")
    docx = browser.get("/exports/docx?lang=zh")
    assert docx.status_code == 200
    assert "attachment" in docx.headers["content-disposition"]
    assert zipfile.ZipFile(io.BytesIO(docx.content)).namelist()
    assert "1. Article 1 (zh)" in browser.get("/exports/md").text
    both = browser.get("/exports/bilingual-docx?lang=en&lang=zh")
    assert both.status_code == 200
    assert browser.get("/exports/docx").status_code == 422
    assert browser.get("/exports/pdf").status_code == 422


def test_the_interface_language_follows_the_browser_then_the_choice(browser: Browser) -> None:
    browser.login("delegate-1")
    zh = browser.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}).text
    assert "表决" in zh and '<html lang="zh-Hans">' in zh
    assert browser.post("/ui-lang", {"lang": "en", "next": "/"}).status_code == 303
    en = browser.get("/", headers={"Accept-Language": "zh-CN"}).text
    assert "Open votes" in en


def test_every_page_renders_in_chinese(browser: Browser, site: Site) -> None:
    chair = site.delegate("chair")
    number = site.service.propose_amendment(
        site.delegate("delegate-1"), site.mid, kind="replace", article="art-1",
        texts={"en": "Article 1 in Chinese UI (en)"},
    ).number  # fmt: skip
    site.service.open_vote(chair, site.mid, amendment=number, rule="simple_majority")
    site.service.set_agenda(chair, site.mid, "vote", "1")
    browser.login("delegate-2")
    zh = {"Accept-Language": "zh-CN"}
    for path in ("/", "/declaration?other=en", "/declaration/compare", "/articles/art-1",
                 "/amendments", "/amendments/1", "/amendments/new", "/votes", "/votes/1",
                 "/signing", "/projector", "/secretariat"):  # fmt: skip
        answer = browser.get(path, headers=zh)
        assert answer.status_code == 200, path
        assert '<html lang="zh-Hans">' in answer.text
    assert "法定人数 50%" in browser.get("/votes/1", headers=zh).text
    assert "第1条" in browser.get("/declaration", headers=zh).text


def test_an_english_only_edit_holds_the_freeze_until_the_secretariat_acts(
    browser: Browser, site: Site
) -> None:
    """The scenario of issue 16 through the pages: a delegate edits only the English of an
    article (the Chinese sent back unchanged) → the Chinese is marked on every screen → the
    chair's freeze is refused, naming the part → the secretariat updates it → the freeze works."""
    number = site.service.propose_amendment(
        site.delegate("delegate-1"),
        site.mid,
        kind="replace",
        article="art-2",
        texts={"en": "Article 2 reworded (en)", "zh": "Article 2 (zh)"},
    ).number
    version = site.service.adopt_amendment(site.delegate("chair"), site.mid, number).number
    browser.login("delegate-2")
    for screen in ("/declaration?lang=en&other=zh", "/articles/art-2", "/declaration?lang=zh"):
        assert "stale translation" in browser.get(screen).text, screen
    assert "translated from version 1, changed in version 2" in browser.get("/secretariat").text
    browser.login("chair")
    refused = browser.post(f"/versions/{version}/freeze", {})
    assert refused.status_code == 409 and "article 2 (art-2) [zh]" in refused.text
    browser.login("secretariat")
    assert (
        browser.post("/secretariat/translations", {"t:art-2:zh": "第二条（已改写）"}).status_code
        == 303
    )
    browser.login("chair")
    assert browser.post(f"/versions/{version + 1}/freeze", {}).status_code == 303
    assert site.service.version(CONSOLE, site.mid).state.value == "frozen"

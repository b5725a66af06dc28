"""The live regions carry what changes during a session (the browser scenario in tests/browser
relies on them): an article's text and stale marks, and the projector's open amendments."""

from __future__ import annotations

from tests.web.conftest import Browser, Site


def test_the_articles_live_region_carries_its_text_and_stale_marks(
    browser: Browser, site: Site
) -> None:
    number = site.service.propose_amendment(
        site.delegate("delegate-1"),
        site.mid,
        kind="replace",
        article="art-1",
        texts={"en": "Article 1 reworded (en)"},
    ).number
    browser.login("delegate-2")
    before = browser.get("/articles/art-1?part=live", headers={"HX-Request": "true"}).text
    assert "Article 1 (en)" in before and "stale translation" not in before
    site.service.adopt_amendment(site.delegate("chair"), site.mid, number)
    after = browser.get("/articles/art-1?part=live", headers={"HX-Request": "true"}).text
    assert "<html" not in after
    assert "Article 1 reworded (en)" in after and "Version 2" in after
    assert "stale translation" in after and 'data-lang="zh"' in after


def test_the_projector_shows_the_open_amendments_of_the_article_on_the_floor(
    browser: Browser, site: Site
) -> None:
    site.service.set_agenda(site.delegate("chair"), site.mid, "article", "art-1")
    browser.login("observer")
    quiet = browser.get("/projector?part=body").text
    assert "Article 1 (en)" in quiet and "projector-amendment" not in quiet
    number = site.service.propose_amendment(
        site.delegate("delegate-1"),
        site.mid,
        kind="replace",
        article="art-1",
        texts={"en": "Article 1 for the room (en)"},
    ).number
    site.service.propose_amendment(
        site.delegate("delegate-2"),
        site.mid,
        kind="replace",
        article="art-2",
        texts={"en": "Article 2 elsewhere (en)"},
    )
    body = browser.get("/projector?part=body").text
    assert f'id="projector-amendment-{number}"' in body
    assert "<ins>" in body and "for the room" in body and "translation pending" in body
    assert "elsewhere" not in body
    assert "<form" not in body

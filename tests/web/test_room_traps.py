"""The traps a walk through the room found (issue 19), at the HTTP level: forms that fail with
their own defaults, text that lands on another article, chair actions without a guard."""

from __future__ import annotations

import re

from tests.web.conftest import Browser, Site


def test_the_declaration_forms_work_with_their_default_values(browser: Browser) -> None:
    browser.login("delegate-1")
    shown = browser.get("/declaration", params={"v": "", "lang": "en", "other": ""})
    assert shown.status_code == 200, shown.text
    assert "Article 1 (en)" in shown.text
    compared = browser.get("/declaration/compare", params={"old": "", "new": "", "lang": ""})
    assert compared.status_code == 200, compared.text


def test_the_declaration_page_links_to_each_language_and_side_by_side(browser: Browser) -> None:
    browser.login("delegate-1")
    page = browser.get("/declaration?lang=en").text
    assert 'href="/declaration?lang=zh"' in page
    assert 'href="/declaration?lang=en&other=zh"' in page


def test_a_proposal_written_from_another_articles_words_is_refused_and_keeps_the_text(
    browser: Browser, site: Site
) -> None:
    browser.login("delegate-1")
    form = browser.get("/amendments/new?kind=replace&article=art-1").text
    assert 'name="seen.en" value="Article 1 (en)"' in form
    typed = "Article 1 (en), as the delegate rewrote it"
    answer = browser.post(
        "/amendments",
        {
            "kind": "replace",
            "article": "art-2",  # the drop-down changed, the words are still article 1's
            "base_version": "1",
            "seen.en": "Article 1 (en)",
            "seen.zh": "Article 1 (zh)",
            "texts.en": typed,
            "rationale": "why",
        },
    )
    assert answer.status_code == 422
    assert 'id="err-article"' in answer.text and "current words" in answer.text
    assert typed in answer.text
    assert site.service.amendments(site.delegate("chair"), site.mid) == []


def test_a_proposal_with_the_words_it_was_shown_is_recorded(browser: Browser, site: Site) -> None:
    browser.login("delegate-1")
    answer = browser.post(
        "/amendments",
        {
            "kind": "replace",
            "article": "art-2",
            "base_version": "1",
            "seen.en": "Article 2 (en)",
            "seen.zh": "Article 2 (zh)",
            "texts.en": "Article 2 (en), better",
        },
    )
    assert answer.status_code == 303, answer.text
    (made,) = site.service.amendments(site.delegate("chair"), site.mid)
    assert made.amendment.article == "art-2"
    assert re.search(r"/amendments/\d+$", answer.headers["location"])

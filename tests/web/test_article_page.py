"""The article page with many amendments: the first with their diffs, every other a click away,
and no page computing a diff (they are stored with the amendments)."""

from __future__ import annotations

import re

import pytest

import webui.pages.amendments as amendment_pages
from consensus_kit.domain.diff import _Tally
from tests.web.conftest import Browser, Site


def propose(site: Site, n: int) -> list[int]:
    return [
        site.service.propose_amendment(
            site.delegate(f"delegate-{1 + k % 2}"),
            site.mid,
            kind="replace",
            article="art-1",
            texts={"en": f"Article 1 changed <b>{k}</b> (en)"},
        ).number
        for k in range(n)
    ]


def cards(html: str) -> list[str]:
    """The amendment numbers of the cards (with their diffs) on a page, in order."""
    return re.findall(r'<article class="card"><a href="/amendments/(\d+)"', html)


def test_the_first_amendments_show_their_diffs_and_every_other_is_a_link(
    browser: Browser, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(amendment_pages, "EXPANDED", 2)
    numbers = propose(site, 5)
    browser.login("delegate-1")
    page = browser.get("/articles/art-1").text
    assert cards(page) == [str(n) for n in numbers[:2]]
    assert page.count("<ins>") == 2  # two diffs drawn, not five
    assert "Only the first 2 amendments are shown here with their changes" in page
    for n in numbers:  # every amendment reachable by a click, with its lines and sponsor
        assert f'href="/amendments/{n}">Amendment {n}</a>' in page
    assert page.count('<span class="lines">English line 1</span>') == 5
    # a delegate can ask for every diff; the page (and its live region) keeps showing them all
    link = 'href="/articles/art-1?cards=all#more-amendments"'
    assert link in page
    every = browser.get("/articles/art-1?cards=all").text
    assert cards(every) == [str(n) for n in numbers]
    assert every.count("&lt;b&gt;") == 5 and "<b>" not in every  # the words escaped
    assert "?part=live&amp;cards=all" in every and link not in every
    live = browser.get("/articles/art-1?part=live&cards=all").text
    assert cards(live) == cards(every)
    assert cards(browser.get("/articles/art-1?part=live").text) == cards(page)


def test_a_short_list_shows_every_diff_without_a_note(browser: Browser, site: Site) -> None:
    numbers = propose(site, 3)
    browser.login("delegate-2")
    page = browser.get("/articles/art-1").text
    assert cards(page) == [str(n) for n in numbers]
    assert "Only the first" not in page and "cards=all" not in page


def test_no_page_computes_a_diff_after_a_restart(browser: Browser, site: Site) -> None:
    propose(site, 3)
    browser.login("delegate-1")
    before = _Tally.computed  # every diff the library computes passes through diff_texts
    home = browser.get("/").text
    assert "3 amendments in play" in home and "<ins>" not in home
    assert "3 amendments in play" in browser.get("/?part=status").text
    assert browser.get("/articles/art-1").text.count("<ins>") == 3
    assert browser.get("/amendments").status_code == 200
    assert _Tally.computed == before  # the diffs and the lines they touch read, not computed

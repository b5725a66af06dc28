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


def test_the_first_amendments_show_their_diffs_and_every_other_is_a_click_away(
    browser: Browser, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(amendment_pages, "EXPANDED", 2)
    numbers = propose(site, 5)
    browser.login("delegate-1")
    page = browser.get("/articles/art-1").text
    assert cards(page) == [str(n) for n in numbers[:2]]
    assert page.count("<ins>") == 2  # two diffs drawn, not five
    assert "Only the first 2 of the 5 open amendments are shown here with their changes" in page
    for n in numbers[2:]:
        assert f'href="/amendments/{n}"' not in page
    listed = 'href="/articles/art-1?cards=list#more-amendments"'
    every = 'href="/articles/art-1?cards=all#more-amendments"'
    assert listed in page and every in page
    # the list: every other amendment one line, a link to its page, with its lines and sponsor
    listing = browser.get("/articles/art-1?cards=list").text
    assert cards(listing) == cards(page) and listed not in listing and every in listing
    for n in numbers[2:]:
        assert f'<li><a href="/amendments/{n}">Amendment {n}</a>' in listing
    assert listing.count('<span class="lines">English line 1</span>') == 5
    # every diff; the page's live region keeps what the delegate asked for
    drawn = browser.get("/articles/art-1?cards=all").text
    assert cards(drawn) == [str(n) for n in numbers] and every not in drawn
    assert drawn.count("&lt;b&gt;") == 5 and "<b>" not in drawn  # the words escaped
    assert "?part=live&amp;cards=all" in drawn and "?part=live&amp;cards=list" in listing
    assert cards(browser.get("/articles/art-1?part=live&cards=all").text) == cards(drawn)
    assert cards(browser.get("/articles/art-1?part=live").text) == cards(page)


def test_a_short_list_shows_every_diff_without_a_note(browser: Browser, site: Site) -> None:
    numbers = propose(site, 3)
    browser.login("delegate-2")
    page = browser.get("/articles/art-1").text
    assert cards(page) == [str(n) for n in numbers]
    assert "Only the first" not in page and "cards=" not in page


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

"""Pages: the vote panel with its SVG tally, and signing with the endorsement wall."""

from __future__ import annotations

import re

from consensus_kit import CONSOLE
from tests.web.conftest import Browser, Site


def submitted_amendment(site: Site) -> int:
    return site.service.propose_amendment(
        site.delegate("delegate-1"),
        site.mid,
        kind="replace",
        article="art-1",
        texts={"en": "Article 1 amended (en)"},
    ).number


def open_vote(site: Site, **kwargs: object) -> int:
    number = submitted_amendment(site)
    return site.service.open_vote(
        site.delegate("chair"),
        site.mid,
        amendment=number,
        **kwargs,  # type: ignore[arg-type]
    ).number


def bar_width(page: str, color: str) -> float:
    found = re.search(rf'width="([\d.]+)" height="\d+" rx="4" fill="{color}"', page)
    assert found, page
    return float(found.group(1))


def test_the_chair_opens_a_vote_from_the_amendment(browser: Browser, site: Site) -> None:
    submitted_amendment(site)
    browser.login("chair")
    assert "Open a vote" in browser.get("/amendments/1").text
    answer = browser.post("/votes", {"amendment": "1", "rule": "simple_majority"})
    assert answer.status_code == 303 and answer.headers["location"] == "/votes/1"
    assert site.service.vote(CONSOLE, site.mid, 1).vote.rule.value == "simple_majority"


def test_a_delegate_cannot_open_a_vote(browser: Browser, site: Site) -> None:
    submitted_amendment(site)
    browser.login("delegate-2")
    assert "Open a vote" not in browser.get("/votes").text
    assert browser.post("/votes", {"amendment": "1"}).status_code == 403
    assert site.service.votes(CONSOLE, site.mid) == []


def test_a_delegate_casts_changes_and_gets_a_receipt(browser: Browser, site: Site) -> None:
    open_vote(site, rule="simple_majority")
    browser.login("delegate-2")
    panel = browser.get("/votes/1").text
    assert 'value="yes"' in panel and 'value="object"' not in panel
    key = re.search(r'name="key" value="([^"]+)"', panel).group(1)  # type: ignore[union-attr]
    answer = browser.post("/votes/1/ballot", {"choice": "yes", "key": key})
    assert answer.status_code == 303
    page = browser.get("/votes/1").text
    assert "Your receipt" in page and "Your organisation voted: yes" in page
    assert bar_width(page, "#2e8b57") > 0 and bar_width(page, "#b03030") == 0
    browser.post("/votes/1/ballot", {"choice": "no", "key": "other"})
    tally = site.service.vote(CONSOLE, site.mid, 1).tally
    assert (tally.yes, tally.no, tally.cast) == (0, 1, 1)


def test_a_retried_ballot_form_returns_the_same_receipt(browser: Browser, site: Site) -> None:
    open_vote(site, rule="simple_majority")
    browser.login("delegate-2")
    browser.post("/votes/1/ballot", {"choice": "yes", "key": "k1"})
    browser.post("/votes/1/ballot", {"choice": "yes", "key": "k1"})
    history = site.service.vote(CONSOLE, site.mid, 1).ballots
    assert len(history) == 1


def test_an_observer_cannot_vote_and_nothing_is_stored(browser: Browser, site: Site) -> None:
    open_vote(site)
    browser.login("observer")
    assert 'name="choice"' not in browser.get("/votes/1").text
    answer = browser.post("/votes/1/ballot", {"choice": "yes", "key": "x"})
    assert answer.status_code == 403
    assert site.service.vote(CONSOLE, site.mid, 1).tally.cast == 0


def test_a_ballot_after_the_close_is_refused(browser: Browser, site: Site) -> None:
    open_vote(site)
    site.service.close_vote(site.delegate("chair"), site.mid, 1)
    browser.login("delegate-1")
    answer = browser.post("/votes/1/ballot", {"choice": "yes", "key": "late"})
    assert answer.status_code == 409 and "refused and not counted" in answer.text


def test_the_chair_closes_and_the_result_is_shown(browser: Browser, site: Site) -> None:
    open_vote(site, rule="simple_majority")
    for who in ("delegate-1", "delegate-2"):
        site.service.cast_ballot(site.delegate(who), site.mid, 1, "yes", key=who)
    browser.login("delegate-3")
    assert "/votes/1/close" not in browser.get("/votes/1").text
    assert browser.post("/votes/1/close").status_code == 403
    browser.login("chair")
    assert browser.post("/votes/1/close").status_code == 303
    page = browser.get("/votes/1").text
    assert "adopted" in page
    assert site.service.version(CONSOLE, site.mid).number == 2


def test_a_secret_vote_shows_totals_only(browser: Browser, site: Site) -> None:
    open_vote(site, rule="simple_majority", secret=True)
    site.service.cast_ballot(site.delegate("delegate-1"), site.mid, 1, "no", key="a")
    browser.login("delegate-2")
    page = browser.get("/votes/1?part=tally", headers={"HX-Request": "true"}).text
    assert "Secret ballot" in page and "Who voted how" not in page
    assert "Organisation 1" not in page and "1 of 3 ballots cast" in page
    assert "#b03030" not in page  # no bars until the vote closes
    site.service.close_vote(site.delegate("chair"), site.mid, 1)
    page = browser.get("/votes/1?part=tally", headers={"HX-Request": "true"}).text
    assert bar_width(page, "#b03030") > 0 and "Organisation 1" not in page


def test_a_roll_call_vote_shows_who_voted_how(browser: Browser, site: Site) -> None:
    open_vote(site, rule="simple_majority")
    site.service.cast_ballot(site.delegate("delegate-1"), site.mid, 1, "no", key="a")
    browser.login("observer")
    page = browser.get("/votes/1").text
    assert "Who voted how" in page and "<bdi>Organisation 1 (en)</bdi>: no" in page


def test_consensus_call_then_declaration(browser: Browser, site: Site) -> None:
    submitted_amendment(site)
    browser.login("chair")
    answer = browser.post("/votes/consensus", {"amendment": "1", "window": "10"})
    assert answer.status_code == 303
    browser.login("delegate-2")
    panel = browser.get("/votes/1").text
    assert 'value="object"' in panel and 'value="yes"' not in panel
    browser.login("chair")
    early = browser.post("/votes/1/declare")
    assert early.status_code == 409 and "wait for it" in early.text


def test_home_shows_open_votes_and_the_organisations_ballot(browser: Browser, site: Site) -> None:
    open_vote(site, rule="simple_majority")
    browser.login("delegate-1")
    assert "Your organisation has not voted" in browser.get("/").text
    browser.post("/votes/1/ballot", {"choice": "abstain", "key": "h"})
    assert "Your organisation voted: abstain" in browser.get("/").text


def freeze(site: Site) -> int:
    return site.service.freeze_version(site.delegate("chair"), site.mid, 1).number


def test_signing_before_freezing_explains_and_offers_the_chair_to_freeze(
    browser: Browser, site: Site
) -> None:
    browser.login("signatory-1")
    page = browser.get("/signing").text
    assert "No version is frozen yet" in page and "/freeze" not in page
    assert browser.post("/versions/1/freeze").status_code == 403
    browser.login("chair")
    assert "/versions/1/freeze" in browser.get("/signing").text
    assert browser.post("/versions/1/freeze").status_code == 303
    assert site.service.version(CONSOLE, site.mid).state.value == "frozen"


def test_a_signatory_endorses_and_the_wall_shows_it(browser: Browser, site: Site) -> None:
    freeze(site)
    browser.login("signatory-2")
    page = browser.get("/signing").text
    assert "Endorse version 1" in page and "0 / 3" in page
    answer = browser.post(
        "/signing/1/endorse", {"signer": "Signatory 2", "signer_title": "Director"}
    )
    assert answer.status_code == 303
    page = browser.get("/signing").text
    assert "1 / 3" in page and "China" in page and "Signed by Signatory 2" in page
    browser.login("secretariat")
    wall = browser.get("/signing?part=wall", headers={"HX-Request": "true"}).text
    assert "Organisation 2 (en)" in wall and "<html" not in wall


def test_a_plain_delegate_or_observer_cannot_sign(browser: Browser, site: Site) -> None:
    freeze(site)
    for who in ("delegate-1", "observer", "chair"):
        browser.login(who)
        assert "/signing/1/endorse" not in browser.get("/signing").text
        assert browser.post("/signing/1/endorse").status_code == 403
    assert site.service.endorsements(CONSOLE, site.mid, 1) == []


def test_a_signatory_revokes_and_the_chair_closes_signing(browser: Browser, site: Site) -> None:
    freeze(site)
    browser.login("signatory-1")
    browser.post("/signing/1/endorse")
    assert browser.post("/signing/1/revoke").status_code == 303
    assert site.service.endorsements(CONSOLE, site.mid, 1) == []
    assert browser.post("/signing/1/close").status_code == 403
    browser.login("chair")
    assert browser.post("/signing/1/close").status_code == 303
    browser.login("signatory-1")
    assert browser.post("/signing/1/endorse").status_code == 409


def test_the_chair_puts_items_on_the_floor(browser: Browser, site: Site) -> None:
    submitted_amendment(site)
    browser.login("chair")
    answer = browser.post("/agenda", {"kind": "amendment", "ref": "1", "next": "/amendments/1"})
    assert answer.status_code == 303 and answer.headers["location"] == "/amendments/1"
    browser.login("delegate-3")
    assert 'href="/amendments/1">Amendment 1' in browser.get("/").text
    assert browser.post("/agenda", {"kind": "article", "ref": "art-1"}).status_code == 403
    browser.login("chair")
    assert browser.post("/agenda", {"kind": "article", "ref": "art-9"}).status_code == 422

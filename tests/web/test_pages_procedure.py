"""The chair's controls that the rules of procedure allow: putting an objection to a vote under
the fallback rule, reconsidering a rejected amendment, reopening signing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from consensus_kit import CONSOLE, DecisionRule
from tests.web.conftest import Browser, Site, make_site

PROCEDURE = '[procedure]\nconsensus_fallback = "two_thirds"\nreconsideration = "chair"\n'


@pytest.fixture
def ruled(tmp_path: Path, db_url: str) -> Iterator[Site]:
    """A meeting whose rules of procedure allow the fallback vote and reconsideration."""
    made = make_site(tmp_path, db_url, extra=PROCEDURE)
    yield made
    made.service.store.close()


@pytest.fixture
def chair(ruled: Site) -> Iterator[Browser]:
    with TestClient(app=ruled.app) as client:
        client.follow_redirects = False
        yield Browser(client, ruled).login("chair")


def _amendment(site: Site) -> int:
    return site.service.propose_amendment(
        site.delegate("delegate-1"), site.mid, kind="replace", article="art-1", texts={"en": "X."}
    ).number


def _objected_call(site: Site) -> int:
    call = site.service.call_for_consensus(
        site.delegate("chair"), site.mid, _amendment(site), window=dt.timedelta(minutes=5)
    ).number
    site.service.cast_ballot(site.delegate("delegate-2"), site.mid, call, "object", key="obj")
    return call


def test_the_chair_puts_an_objection_to_a_vote_under_the_fallback_rule(
    chair: Browser, ruled: Site
) -> None:
    call = _objected_call(ruled)
    page = chair.get(f"/votes/{call}").text
    assert "Put it to a vote under two thirds" in page
    assert f'action="/votes/{call}/fallback"' in page

    answer = chair.post(f"/votes/{call}/fallback")

    assert answer.status_code == 303
    new = ruled.service.votes(CONSOLE, ruled.mid, open_only=True)
    assert [v.rule for v in new] == [DecisionRule.TWO_THIRDS]
    assert answer.headers["location"] == f"/votes/{new[0].number}"


def test_without_a_fallback_rule_the_chair_is_not_offered_one(browser: Browser, site: Site) -> None:
    call = _objected_call(site)
    browser.login("chair")
    assert "/fallback" not in browser.get(f"/votes/{call}").text


def test_the_chair_reconsiders_a_rejected_amendment_from_its_page(
    chair: Browser, ruled: Site
) -> None:
    number = _amendment(ruled)
    ruled.service.reject_amendment(ruled.delegate("chair"), ruled.mid, number, reason="not now")
    assert 'id="reconsider"' in chair.get(f"/amendments/{number}").text

    assert (
        chair.post(f"/amendments/{number}/reconsider", {"reason": "new facts"}).status_code == 303
    )

    assert ruled.service.amendment(CONSOLE, ruled.mid, number).amendment.status.value == (
        "submitted"
    )


def test_only_the_chair_sees_reconsideration(ruled: Site) -> None:
    number = _amendment(ruled)
    ruled.service.reject_amendment(ruled.delegate("chair"), ruled.mid, number)
    with TestClient(app=ruled.app) as client:
        client.follow_redirects = False
        delegate: Any = Browser(client, ruled).login("delegate-1")
        assert 'id="reconsider"' not in delegate.get(f"/amendments/{number}").text
        assert delegate.post(f"/amendments/{number}/reconsider", {"reason": "x"}).status_code in (
            303,
            403,
        )
    assert ruled.service.amendment(CONSOLE, ruled.mid, number).amendment.status.value == "rejected"


def test_the_chair_reopens_signing_for_a_late_signature(chair: Browser, ruled: Site) -> None:
    ruled.service.freeze_version(ruled.delegate("chair"), ruled.mid, 1)
    ruled.service.close_signing(ruled.delegate("chair"), ruled.mid, 1)
    page = chair.get("/signing?v=1").text
    assert 'action="/signing/1/reopen"' in page

    assert chair.post("/signing/1/reopen", {"reason": "a late <delegation>"}).status_code == 303

    ruled.service.endorse(ruled.delegate("signatory-2"), ruled.mid, 1)  # late, and counted
    page = chair.get("/signing?v=1").text
    assert 'action="/signing/1/reopen"' not in page
    # the wall says when signing closed and why it reopened (the reason escaped)
    wall = chair.get("/signing?part=wall&v=1").text
    assert "Signing closed on " in wall and "; signatures: 0." in wall
    assert "Signing reopened on " in wall and ": a late &lt;delegation&gt;" in wall
    assert "ck:signing_reopened" in wall  # and it refreshes when signing reopens

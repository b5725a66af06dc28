"""Reconsideration by a vote on the web: the chair's control on a rejected amendment's page
opens the vote on the motion to reconsider, the vote page asks "Reconsider amendment N?", and
the API route does the same; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from consensus_kit import CONSOLE, AmendmentStatus
from tests.web.conftest import Api, Browser, Site, make_site

PROCEDURE = '[procedure]\nreconsideration = "vote"\n'


@pytest.fixture
def by_vote(tmp_path: Path, db_url: str) -> Iterator[Site]:
    """A meeting whose rules put a motion to reconsider to a vote (two thirds)."""
    made = make_site(tmp_path, db_url, extra=PROCEDURE)
    yield made
    made.service.store.close()


@pytest.fixture
def client(by_vote: Site) -> Iterator[TestClient[Any]]:
    with TestClient(app=by_vote.app) as made:
        made.follow_redirects = False
        yield made


def _rejected(site: Site) -> int:
    number = site.service.propose_amendment(
        site.delegate("delegate-1"), site.mid, kind="replace", article="art-1", texts={"en": "X."}
    ).number
    site.service.reject_amendment(site.delegate("chair"), site.mid, number, reason="not now")
    return number


def _status(site: Site, number: int) -> AmendmentStatus:
    return site.service.amendment(CONSOLE, site.mid, number).amendment.status


def test_the_chair_puts_the_motion_from_the_amendment_page(
    client: TestClient[Any], by_vote: Site
) -> None:
    number = _rejected(by_vote)
    chair = Browser(client, by_vote).login("chair")
    page = chair.get(f"/amendments/{number}").text
    assert 'id="reconsider"' in page and "Put the motion to reconsider to the vote" in page
    assert "two thirds" in page

    answer = chair.post(f"/amendments/{number}/reconsider", {"reason": "新的事实 — new facts"})

    assert answer.status_code == 303
    motion = by_vote.service.votes(CONSOLE, by_vote.mid, open_only=True)[0]
    assert answer.headers["location"] == f"/votes/{motion.number}"
    vote_page = chair.get(f"/votes/{motion.number}").text
    assert f"Reconsider amendment {number}?" in vote_page and 'id="motion-rule"' in vote_page
    assert f"Adopt amendment {number}?" not in vote_page
    in_chinese = chair.get(f"/votes/{motion.number}", headers={"Accept-Language": "zh"}).text
    assert f"是否复议第{number}号修正案？" in in_chinese and "三分之二多数" in in_chinese
    amendment_page = chair.get(f"/amendments/{number}").text
    assert 'id="motion"' in amendment_page and 'id="reconsider"' not in amendment_page
    for who in ("delegate-1", "delegate-2"):
        by_vote.service.cast_ballot(
            by_vote.delegate(who), by_vote.mid, motion.number, "yes", key=who
        )
    assert "The motion carries" in chair.get(f"/votes/{motion.number}").text

    assert chair.post(f"/votes/{motion.number}/close").status_code == 303

    assert _status(by_vote, number) is AmendmentStatus.SUBMITTED


def test_a_delegate_neither_sees_nor_moves_the_motion(
    client: TestClient[Any], by_vote: Site
) -> None:
    number = _rejected(by_vote)
    delegate = Browser(client, by_vote).login("delegate-1")
    assert 'id="reconsider"' not in delegate.get(f"/amendments/{number}").text
    answer = delegate.post(f"/amendments/{number}/reconsider", {"reason": "x"})
    assert answer.status_code in (303, 403)
    assert by_vote.service.votes(CONSOLE, by_vote.mid) == []


def test_the_motion_through_the_api(client: TestClient[Any], by_vote: Site) -> None:
    number = _rejected(by_vote)
    api = Api(client, by_vote).login("delegate-1")
    assert api.post(f"/amendments/{number}/reconsideration-vote", {"reason": "x"}).status_code == (
        403
    )
    api.login("chair")
    refused = api.post(f"/amendments/{number}/reconsider", {"reason": "the chair alone"})
    assert refused.status_code == 409 and "procedure.reconsideration" in refused.json()["message"]
    empty = api.post(f"/amendments/{number}/reconsideration-vote", {"reason": ""})
    assert empty.status_code == 422 and empty.json()["field"] == "reason"

    opened = api.post(f"/amendments/{number}/reconsideration-vote", {"reason": "new facts"})

    assert opened.status_code == 200, opened.text
    motion = opened.json()
    assert (motion["mode"], motion["rule"], motion["amendment"]) == (
        "reconsideration",
        "two_thirds",
        number,
    )
    again = api.post(f"/amendments/{number}/reconsideration-vote", {"reason": "again"})
    assert again.status_code == 409 and "already open" in again.json()["message"]
    assert api.get(f"/amendments/{number}").json()["motion"] == motion["number"]
    api.login("delegate-1")
    api.post(f"/votes/{motion['number']}/ballots", {"choice": "yes", "key": "a"})
    api.login("delegate-2")
    api.post(f"/votes/{motion['number']}/ballots", {"choice": "no", "key": "b"})
    api.login("delegate-3")
    api.post(f"/votes/{motion['number']}/ballots", {"choice": "no", "key": "c"})
    api.login("chair")
    closed = api.post(f"/votes/{motion['number']}/close").json()
    assert closed["result"]["outcome"] == "rejected"
    assert "under two thirds" in closed["result"]["reason"]
    assert _status(by_vote, number) is AmendmentStatus.REJECTED
    submitted = by_vote.service.propose_amendment(
        by_vote.delegate("delegate-2"), by_vote.mid, kind="replace", article="art-2",
        texts={"en": "Y."},
    ).number  # fmt: skip
    not_rejected = api.post(f"/amendments/{submitted}/reconsideration-vote", {"reason": "x"})
    assert not_rejected.status_code == 409 and "only a rejected" in not_rejected.json()["message"]

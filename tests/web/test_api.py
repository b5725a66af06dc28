"""The JSON API: every route, per role, with the error map."""

from __future__ import annotations

import pytest

from consensus_kit import CONSOLE
from tests.web.conftest import Api, Site


def amendment(api: Api, text: str = "Article 1 by API (en)") -> dict:  # type: ignore[type-arg]
    answer = api.post("/amendments", {"kind": "replace", "article": "art-1", "texts": {"en": text}})
    assert answer.status_code == 201, answer.text
    return answer.json()  # type: ignore[no-any-return]


def test_the_openapi_schema_lists_the_api_with_bearer_auth(api: Api) -> None:
    schema = api.client.get("/schema/openapi.json").json()
    paths = schema["paths"]
    assert "/api/v1/token" in paths and "/api/v1/votes/{number}/ballots" in paths
    assert not any(p.startswith(("/declaration", "/votes/", "/login")) for p in paths)
    assert schema["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    ballot = schema["components"]["schemas"]["BallotIn"]
    assert ballot["properties"]["key"]["maxLength"] == 100


@pytest.mark.parametrize("who", ["delegate-1", "signatory-1", "observer", "chair", "secretariat"])
def test_every_role_reads_the_meeting(api: Api, who: str) -> None:
    api.login(who)
    assert api.get("/meeting").json()["id"] == "test-meeting"
    assert api.get("/agenda").json()["kind"] == "none"
    assert [v["number"] for v in api.get("/versions").json()] == [1]
    latest = api.get("/versions/latest").json()
    assert latest["declaration"]["articles"][0]["text"]["zh"] == "Article 1 (zh)"
    assert api.get("/versions/1").status_code == 200
    assert api.get("/versions/9").status_code == 404
    assert api.get("/stale").json() == []
    assert api.get("/lint").status_code == 200
    events = api.get("/events?after=0").json()
    assert events[0]["seq"] == 1 and events[0]["body"]["type"] == "meeting_loaded"
    assert api.get("/amendments").json() == []
    assert api.get("/votes").json() == []
    assert api.get("/comments?target=article&target_id=art-1").json() == []


def test_the_chair_sets_the_agenda_and_a_delegate_cannot(api: Api) -> None:
    api.login("delegate-1")
    refused = api.put("/agenda", {"kind": "article", "ref": "art-1"})
    assert refused.status_code == 403 and refused.json()["code"] == "not_permitted"
    api.login("chair")
    assert api.put("/agenda", {"kind": "article", "ref": "art-1"}).json()["ref"] == "art-1"
    bad = api.put("/agenda", {"kind": "planet", "ref": "x"})
    assert bad.status_code == 422 and bad.json()["field"] == "kind"


def test_the_drafting_cycle_through_the_api(api: Api, site: Site) -> None:
    api.login("delegate-1")
    proposed = amendment(api)
    assert proposed["number"] == 1 and proposed["sponsor"] == "org-1"
    view = api.get("/amendments/1").json()
    assert view["pending"] == ["zh"]
    assert {op["op"] for op in view["diffs"]["en"]} >= {"equal", "insert"}
    revised = api.patch("/amendments/1", {"texts": {"en": "Article 1 by the API (en)"}})
    assert revised.status_code == 200
    api.login("delegate-2")
    assert api.patch("/amendments/1", {"texts": {"en": "x"}}).status_code == 403
    assert api.post("/amendments/1/cosponsor").json()["cosponsors"] == ["org-2"]
    assert api.post("/amendments/1/adopt").status_code == 403
    api.login("secretariat")
    assert api.patch("/amendments/1", {"texts": {"zh": "第一条"}}).status_code == 200
    api.login("chair")
    version = api.post("/amendments/1/adopt")
    assert version.status_code == 200 and version.json()["number"] == 2
    diff = api.get("/versions/1/diff/2?lang=en").json()
    assert any(op["op"] == "insert" for op in diff["articles"][0]["ops"])
    assert api.post("/amendments/1/frobnicate").status_code == 404


def test_the_chair_asks_for_an_update_and_sets_aside_through_the_api(api: Api, site: Site) -> None:
    actor = site.delegate("delegate-1")
    for text in ("First (en)", "Second (en)"):
        site.service.propose_amendment(
            actor, site.mid, kind="replace", article="art-1", texts={"en": text}
        )
    api.login("chair")
    asked = api.post("/amendments/1/request-update", {"reason": "name the year"})
    assert asked.status_code == 200 and asked.json()["status"] == "needs_update"
    assert asked.json()["conflict"] == "name the year"
    missing = api.post("/amendments/2/set-aside", {})
    assert missing.status_code == 422 and "reason" in missing.text
    assert api.post("/amendments/2/set-aside", {"reason": " "}).status_code == 422
    aside = api.post("/amendments/2/set-aside", {"reason": "out of order"})
    assert aside.status_code == 200 and aside.json()["status"] == "set_aside"
    api.login("delegate-1")
    assert api.post("/amendments/1/set-aside", {"reason": "mine"}).status_code == 403


def test_withdraw_submit_and_reject(api: Api) -> None:
    api.login("delegate-1")
    api.post(
        "/amendments",
        {"kind": "replace", "article": "art-1", "texts": {"en": "Draft (en)"}, "draft": True},
    )
    assert api.post("/amendments/1/submit").json()["status"] == "submitted"
    amendment(api, "Second (en)")
    assert api.post("/amendments/2/withdraw").json()["status"] == "withdrawn"
    assert api.post("/amendments/2/withdraw").status_code == 409
    api.login("chair")
    assert api.post("/amendments/1/reject").json()["status"] == "rejected"


def test_invalid_amendments_are_422_with_the_field(api: Api, site: Site) -> None:
    api.login("delegate-1")
    answer = api.post(
        "/amendments", {"kind": "replace", "article": "art-1", "texts": {"en": "ok\x07bell"}}
    )
    assert answer.status_code == 422 and answer.json()["field"] == "texts.en"
    answer = api.post("/amendments", {"kind": "replace", "article": "art-1", "texts": "x"})
    assert answer.status_code == 422 and answer.json()["field"]
    answer = api.post(
        "/amendments", {"kind": "replace", "article": "art-1", "texts": {"en": "x" * 100_001}}
    )
    assert answer.status_code == 422
    assert site.service.amendments(CONSOLE, site.mid) == []


def test_an_observer_cannot_propose_through_the_api(api: Api, site: Site) -> None:
    api.login("observer")
    answer = api.post("/amendments", {"kind": "replace", "article": "art-1", "texts": {"en": "x"}})
    assert answer.status_code == 403
    assert site.service.amendments(CONSOLE, site.mid) == []


def test_the_diff_endpoint_is_the_librarys(api: Api) -> None:
    api.login("observer")
    answer = api.post("/diff", {"old": "我们认为儿童", "new": "我们相信儿童", "lang": "zh"})
    assert answer.json()["html"] == "我们<del>认为</del><ins>相信</ins>儿童"


def test_comments_through_the_api(api: Api) -> None:
    api.login("observer")
    posted = api.post(
        "/comments",
        {
            "target": "article",
            "target_id": "art-1",
            "body": "Hm",
            "quote": "Article",
            "quote_lang": "en",
            "quote_start": 0,
            "quote_end": 7,
        },
    )
    assert posted.status_code == 201, posted.text
    assert api.patch("/comments/1", {"body": "Hmm"}).json()["body"] == "Hmm"
    api.login("delegate-1")
    assert api.patch("/comments/1", {"body": "mine now"}).status_code == 403
    reply = api.post(
        "/comments", {"target": "article", "target_id": "art-1", "body": "Yes", "parent": 1}
    )
    assert reply.json()["parent"] == 1
    api.login("observer")
    assert api.post("/comments/1/withdraw").json()["withdrawn"] is True
    listed = api.get("/comments?target=article&target_id=art-1").json()
    assert [c["comment"]["id"] for c in listed] == [1, 2]


def test_votes_and_ballots_through_the_api(api: Api, site: Site) -> None:
    api.login("delegate-1")
    amendment(api)
    assert api.post("/votes", {"amendment": 1}).status_code == 403
    api.login("chair")
    unknown = api.post("/votes", {"amendment": 1, "rule": "plurality"})
    assert unknown.status_code in (400, 422) and unknown.json()["field"] == "rule"
    vote = api.post("/votes", {"amendment": 1, "rule": "simple_majority", "secret": True})
    assert vote.status_code == 201 and vote.json()["secret"] is True
    api.login("delegate-2")
    receipt = api.post("/votes/1/ballots", {"choice": "yes", "key": "k-1"}).json()
    again = api.post("/votes/1/ballots", {"choice": "yes", "key": "k-1"}).json()
    assert again["receipt"] == receipt["receipt"] and again["replayed"] is True
    conflict = api.post("/votes/1/ballots", {"choice": "no", "key": "k-1"})
    assert conflict.status_code == 409 and conflict.json()["code"] == "conflict"
    bad = api.post("/votes/1/ballots", {"choice": "maybe", "key": "k-2"})
    assert bad.status_code == 422 and bad.json()["field"] == "choice"
    view = api.get("/votes/1").json()
    assert view["tally"] is None and view["cast"] == 1 and view["ballots"] == []
    api.login("observer")
    assert api.post("/votes/1/ballots", {"choice": "yes", "key": "o"}).status_code == 403
    assert api.post("/votes/1/close").status_code == 403
    api.login("chair")
    closed = api.post("/votes/1/close").json()
    assert closed["state"] == "closed" and closed["result"]["outcome"] == "no_quorum"
    api.login("delegate-3")
    late = api.post("/votes/1/ballots", {"choice": "no", "key": "late"})
    assert late.status_code == 409
    assert site.service.vote(CONSOLE, site.mid, 1).tally.cast == 1


def test_a_call_for_consensus_through_the_api(api: Api) -> None:
    api.login("delegate-1")
    amendment(api)
    api.login("chair")
    assert api.post("/votes/consensus", {"amendment": 1, "window_seconds": 5}).status_code == 422
    call = api.post("/votes/consensus", {"amendment": 1, "window_seconds": 30})
    assert call.status_code == 201 and call.json()["mode"] == "consensus_call"
    assert api.post("/votes/1/declare").status_code == 409
    api.login("delegate-2")
    assert api.post("/votes/1/ballots", {"choice": "object", "key": "obj"}).status_code == 200
    assert api.get("/votes/1").json()["vote"]["mode"] == "vote"


def test_translations_freeze_and_signing_through_the_api(api: Api, site: Site) -> None:
    api.login("delegate-1")
    amendment(api)
    api.login("chair")
    api.post("/amendments/1/adopt")
    assert api.post("/versions/2/freeze").status_code == 409  # zh is stale
    stale = api.get("/stale").json()
    assert stale[0]["lang"] == "zh"
    assert (
        api.post(
            "/translations", {"updates": [{"article": "art-1", "lang": "zh", "text": "第一条"}]}
        ).status_code
        == 403
    )
    api.login("secretariat")
    updated = api.post(
        "/translations",
        {"updates": [{"article": "art-1", "lang": "zh", "text": "第一条"}], "note": "zh"},
    )
    assert updated.status_code == 201 and updated.json()["number"] == 3
    assert api.post("/versions/3/freeze").status_code == 403
    api.login("chair")
    assert api.post("/versions/3/freeze").json()["state"] == "frozen"
    api.login("signatory-1")
    endorsed = api.post("/signing/3/endorse", {})
    assert endorsed.status_code == 201 and endorsed.json()["organisation"] == "org-1"
    assert api.post("/signing/3/endorse", {}).status_code == 409
    lines = api.get("/signing/3").json()
    assert lines[0]["country"] == "KE" and lines[0]["signer"] == "Signatory 1"
    assert len(api.get("/signing/3/endorsements").json()) == 1
    assert api.post("/signing/3/revoke").json()["revoked_at"]
    api.login("delegate-2")
    assert api.post("/signing/3/endorse", {}).status_code == 403
    assert api.post("/signing/3/close").status_code == 403
    api.login("chair")
    assert api.post("/signing/3/close").json() == 0


def test_the_preamble_is_tracked_corrected_and_confirmed_through_the_api(api: Api) -> None:
    api.login("delegate-1")
    proposed = api.post(
        "/amendments",
        {"kind": "preamble", "texts": {"en": "We agree, all of us"}, "intent": {"en": "changed"}},
    )
    assert proposed.status_code == 201, proposed.text
    api.login("chair")
    assert api.post("/amendments/1/adopt").status_code == 200
    assert [(s["article"], s["lang"]) for s in api.get("/stale").json()] == [("preamble", "zh")]
    frozen = api.post("/versions/2/freeze")
    assert frozen.status_code == 409 and "preamble [zh]" in frozen.text
    api.login("secretariat")
    same = api.post(
        "/translations",
        {"updates": [{"article": "preamble", "lang": "zh", "text": "We agree (zh)"}]},
    )
    assert same.status_code == 422 and same.json()["field"] == "updates.preamble.zh"
    wrong = api.post("/translations/confirm", {"parts": [{"part": "art-1", "lang": "zh"}]})
    assert wrong.status_code == 422 and wrong.json()["field"] == "parts[0]"
    confirmed = api.post(
        "/translations/confirm",
        {"parts": [{"part": "preamble", "lang": "zh"}], "note": "checked", "version": 2},
    )
    assert confirmed.status_code == 201, confirmed.text
    assert confirmed.json()["number"] == 3 and api.get("/stale").json() == []
    corrected = api.post(
        "/translations", {"updates": [{"article": "preamble", "lang": "zh", "text": "我们都同意"}]}
    )
    assert corrected.status_code == 201 and corrected.json()["declaration"]["preamble"]["zh"] == (
        "我们都同意"
    )


def test_exports_through_the_api(api: Api) -> None:
    api.login("observer")
    answer = api.get("/exports/json")
    assert answer.status_code == 200 and answer.json()["meeting"]
    assert (
        api.get("/exports/docx?lang=en")
        .headers["content-type"]
        .startswith("application/vnd.openxmlformats")
    )
    assert api.get("/exports/nope").status_code == 422


def test_unknown_routes_and_methods_answer_json(api: Api) -> None:
    api.login("observer")
    missing = api.get("/nothing-here")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    wrong = api.client.delete("/api/v1/versions", headers=api.headers)
    assert wrong.status_code == 405 and wrong.json()["code"] == "method_not_allowed"
    bad_query = api.get("/events?after=-1")
    assert bad_query.status_code == 422

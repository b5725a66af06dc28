"""API of compromise texts, modified adoption and the speakers' list (issue 22)."""

from __future__ import annotations

from tests.web.conftest import Api, Site

LONG = "We protect every child from violence and we support families in need of help today."


def _two(site: Site) -> tuple[int, int]:
    from tests.builders import with_articles

    chair = site.delegate("chair")
    declaration = site.service.version(chair, site.mid).declaration
    site.service.publish_version(
        chair,
        site.mid,
        with_articles(declaration, {"art-1": {"en": LONG, "zh": "第一条"}, "art-2": {"en": "B"}}),
    )
    a = site.service.propose_amendment(
        site.delegate("delegate-1"),
        site.mid,
        kind="replace",
        article="art-1",
        texts={"en": LONG.replace("every child", "each and every child")},
    )
    b = site.service.propose_amendment(
        site.delegate("delegate-2"),
        site.mid,
        kind="replace",
        article="art-1",
        texts={"en": LONG.replace("help today", "support")},
    )
    return a.number, b.number


def test_merge_preview_compromise_and_adoption_through_the_api(api: Api, site: Site) -> None:
    a, b = _two(site)
    api.login("delegate-1")
    assert api.post("/amendments/merge", {"amendments": [a, b]}).status_code == 403
    api.login("chair")
    preview = api.post("/amendments/merge", {"amendments": [a, b]})
    assert preview.status_code == 200, preview.text
    merged = preview.json()["merge"]["texts"]["en"]
    assert "each and every child" in merged and merged.endswith("in need of support.")
    assert preview.json()["merge"]["conflicts"] == []
    made = api.post("/amendments/compromise", {"amendments": [a, b], "texts": {"en": merged}})
    assert made.status_code == 201, made.text
    number = made.json()["number"]
    assert made.json()["merges"] == [a, b]
    assert api.get(f"/amendments/{a}").json()["amendment"]["status"] == "in_compromise"
    adopted = api.post(f"/amendments/{number}/adopt")
    assert adopted.status_code == 200
    assert api.get(f"/amendments/{b}").json()["amendment"]["merged_into"] == number
    assert api.get(f"/amendments/{b}").json()["amendment"]["status"] == "merged"


def test_bad_merges_answer_a_clear_error(api: Api, site: Site) -> None:
    a, b = _two(site)
    other = site.service.propose_amendment(
        site.delegate("delegate-3"), site.mid, kind="replace", article="art-2", texts={"en": "C"}
    ).number
    site.service.withdraw_amendment(site.delegate("delegate-2"), site.mid, b)
    api.login("chair")
    answer = api.post("/amendments/merge", {"amendments": [a, other]})
    assert answer.status_code == 422 and answer.json()["field"] == "amendments"
    assert "change different texts" in answer.json()["message"]
    answer = api.post("/amendments/compromise", {"amendments": [a, b], "texts": {"en": "x"}})
    assert answer.status_code == 409 and f"amendment {b} is withdrawn" in answer.json()["message"]
    assert api.post("/amendments/merge", {"amendments": "1,2"}).status_code == 422


def test_modified_adoption_through_the_api(api: Api, site: Site) -> None:
    a, _ = _two(site)
    api.login("chair")
    agreed = LONG.replace("every child", "each child")
    answer = api.post(f"/amendments/{a}/adopt-modified", {"modification": {"en": agreed}})
    assert answer.status_code == 200, answer.text
    view = api.get(f"/amendments/{a}").json()
    assert view["amendment"]["modified_texts"] == {"en": agreed}
    assert view["modification"]["en"]


def test_the_speakers_list_through_the_api(api: Api, site: Site) -> None:
    for who in ("delegate-1", "delegate-2", "delegate-3"):
        answer = api.login(who).post("/speakers/request")
        assert answer.status_code == 200, answer.text
    assert api.post("/speakers/request").status_code == 409  # org-3 again
    observer = api.login("observer").post("/speakers/request")
    assert observer.status_code == 403
    api.login("chair")
    assert api.post("/speakers/order", {"order": ["org-3", "org-1", "org-2"]}).status_code == 200
    given = api.post("/speakers/floor", {"limit": 90})
    assert given.status_code == 200 and given.json()["current"]["organisation"] == "org-3"
    assert api.post("/speakers/floor", {"limit": 9999}).status_code == 422
    assert api.post("/speakers/end-turn").status_code == 200
    assert api.post("/speakers/close").status_code == 200
    assert api.post("/speakers/sing").status_code == 422
    listed = api.get("/speakers").json()
    assert [r["organisation"] for r in listed["waiting"]] == ["org-1", "org-2"]
    assert listed["closed"] is True and listed["spoken"][0]["organisation"] == "org-3"
    api.login("delegate-1")
    assert api.post("/speakers/withdraw", {}).status_code == 200

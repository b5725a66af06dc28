"""The administration API: every act, bad input, the 409 of a stale revision (issue 18)."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from consensus_kit import CONSOLE, verify_store
from tests.web.conftest import Api, Site


def _org(api: Api, org_id: str) -> dict[str, Any]:
    answer = api.get("/organisations")
    assert answer.status_code == 200, answer.text
    return next(o for o in answer.json() if o["id"] == org_id)


def test_every_act_through_the_api(api: Api, site: Site) -> None:
    api.login("secretariat")
    added = api.post(
        "/organisations",
        {
            "id": "late",
            "name": {"en": "Late", "zh": "迟到"},
            "country": "KP",
            "region": "Asia",
            "country_name": {"zh": "朝鲜民主主义人民共和国"},
            "reason": "arrived late",
        },
    )
    assert added.status_code == 201, added.text
    assert added.json()["country_name"] == {"zh": "朝鲜民主主义人民共和国"}
    seen = _org(api, "org-1")["revision"]
    renamed = api.patch(
        "/organisations/org-1",
        {"name": {"zh": "救助儿童会 🧒"}, "reason": "official name", "expected": seen},
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"]["zh"] == "救助儿童会 🧒" and renamed.json()["revision"] != seen
    person = api.post(
        "/delegates",
        {
            "id": "late-head",
            "name": "Ms Kim",
            "organisation": "late",
            "roles": ["delegate", "signatory"],
            "reason": "head",
        },
    )
    assert person.status_code == 201, person.text
    code = person.json()["code"]
    assert api.client.post("/api/v1/token", json={"code": code}).status_code == 200
    assert api.patch("/delegates/late-head", {"title": "Ambassador", "reason": "r"}).is_success
    roles = api.put(
        "/delegates/delegate-1/roles", {"roles": ["delegate", "signatory"], "reason": "signs"}
    )
    assert roles.status_code == 200 and roles.json()["roles"] == ["delegate", "signatory"]
    sub = api.post(
        "/delegates/signatory-2/substitute",
        {"by": "signatory-2b", "name": "Dr Osei", "reason": "replaced"},
    )
    assert sub.status_code == 200, sub.text
    assert sub.json()["left"]["withdrawn_at"] and sub.json()["successor"]["roles"] == [
        "delegate",
        "signatory",
    ]
    assert sub.json()["code"]
    new_code = api.post("/delegates/late-head/code")
    assert new_code.status_code == 201 and new_code.json()["code"] != code
    gone = api.post("/delegates/delegate-3/withdraw", {"reason": "ill"})
    assert gone.status_code == 200 and gone.json()["withdrawn_at"]
    left = api.post("/organisations/org-3/withdraw", {"reason": "left"})
    assert left.status_code == 200 and left.json()["withdrawn_at"]
    events = site.service.events_after(CONSOLE, site.mid)
    assert [e.type for e in events[-8:]].count("meeting_changed") == 7
    assert verify_store(site.service.store, CONSOLE).ok


def test_a_stale_revision_is_a_409_naming_the_record(api: Api) -> None:
    api.login("secretariat")
    seen = _org(api, "org-2")["revision"]
    first = api.client.patch(
        "/api/v1/organisations/org-2",
        headers={**api.headers, "If-Match": f'"{seen}"'},
        json={"name": {"en": "First"}, "reason": "a"},
    )
    assert first.status_code == 200, first.text
    second = api.client.patch(
        "/api/v1/organisations/org-2",
        headers={**api.headers, "If-Match": f'"{seen}"'},
        json={"name": {"en": "Second"}, "reason": "b"},
    )
    assert second.status_code == 409
    assert second.json()["code"] == "conflict" and "org-2" in second.json()["message"]
    assert _org(api, "org-2")["name"]["en"] == "First"


def test_bad_input_names_the_field_and_changes_nothing(api: Api, site: Site) -> None:
    api.login("secretariat")
    before = site.service.events_after(CONSOLE, site.mid)
    cases = [
        (api.patch, "/organisations/org-1", {"name": {"en": ""}, "reason": "r"}, 422, "name.en"),
        (
            api.patch,
            "/organisations/org-1",
            {"name": {"en": "Organisation 2 (en)"}, "reason": "r"},
            422,
            "name.en",
        ),
        (api.patch, "/organisations/org-1", {"name": {"en": "X"}}, 422, "reason"),
        (api.patch, "/organisations/nobody", {"name": {"en": "X"}, "reason": "r"}, 404, None),
        (api.put, "/delegates/ghost/roles", {"roles": ["chair"], "reason": "r"}, 404, None),
        (api.put, "/delegates/chair/roles", {"roles": ["observer"], "reason": "r"}, 422, "roles"),
        (api.put, "/delegates/delegate-1/roles", {"roles": ["pope"], "reason": "r"}, 422, "roles"),
        (api.post, "/delegates/chair/withdraw", {"reason": "r"}, 422, "delegate"),
        (
            api.post,
            "/organisations",
            {"id": "Bad Id", "name": {"en": "X"}, "country": "KE", "region": "A", "reason": "r"},
            422,
            "id",
        ),
    ]
    for call, path, body, status, field in cases:
        answer = call(path, body)
        assert answer.status_code == status, (path, body, answer.text)
        if field:
            assert answer.json()["field"] == field, answer.json()
    assert site.service.events_after(CONSOLE, site.mid) == before


def test_only_the_secretariat(api: Api) -> None:
    api.login("chair")
    answer = api.patch("/organisations/org-1", {"name": {"en": "X"}, "reason": "r"})
    assert answer.status_code == 403


def test_every_route_is_documented(client: TestClient[Any]) -> None:
    schema = client.get("/schema/openapi.json").json()
    for path, item in schema["paths"].items():
        if not path.startswith(("/api/v1/organisations", "/api/v1/delegates")):
            continue
        for method, operation in item.items():
            assert operation.get("summary") and operation.get("description"), (path, method)
            assert {"401", "403"} <= set(operation["responses"]) or method == "get", (path, method)

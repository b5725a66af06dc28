"""Bounded input at the web edge (issue 17): JSON nested 1,000 levels deep on every JSON route,
and ``after`` values out of range on the live feed, get a clear 4xx, never a 500."""

from __future__ import annotations

import re
from typing import Any

import pytest
from litestar.routes import HTTPRoute
from litestar.testing import TestClient

from tests.web.conftest import Api, Site
from webui.bodies import json_too_deep

DEEP = ("[" * 1000 + "]" * 1000).encode()
DEEP_OBJECT = ('{"a":' * 1000 + "1" + "}" * 1000).encode()


def json_routes(site: Site) -> list[tuple[str, str]]:
    """Every (method, path) of the app that takes a body, path parameters filled in."""
    found = []
    for route in site.app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        path = re.sub(r"\{(\w+):int\}", "1", route.path)
        path = re.sub(r"\{(\w+):str\}", "x", path)
        for method in sorted(route.methods - {"GET", "HEAD", "OPTIONS"}):
            found.append((method, path))
    return found


def test_every_route_with_a_body_refuses_json_nested_a_thousand_levels(
    site: Site, api: Api
) -> None:
    api.login("chair")
    routes = json_routes(site)
    assert ("POST", "/api/v1/token") in routes and len(routes) >= 20
    for method, path in routes:
        for body in (DEEP, DEEP_OBJECT):
            headers = {**api.headers, "Content-Type": "application/json"}
            answer = api.client.request(method, path, content=body, headers=headers)
            assert 400 <= answer.status_code < 500, (method, path, answer.status_code)
            if path.startswith("/api/"):
                problem = answer.json()
                assert problem["field"] == "body" and "nested" in problem["message"], problem


def test_the_token_route_refuses_deep_json_without_a_login(client: TestClient[Any]) -> None:
    answer = client.post("/api/v1/token", content=DEEP, headers={"Content-Type": "text/plain"})
    assert answer.status_code == 422 and answer.json()["field"] == "body"


def test_deep_brackets_inside_a_string_are_only_text(api: Api) -> None:
    api.login("delegate-1")
    text = "[" * 500 + "{" * 500 + ' "quoted \\" [ '
    answer = api.post("/amendments", {"kind": "replace", "article": "art-1", "texts": {"en": text}})
    assert answer.status_code == 201, answer.text
    assert (
        api.get(f"/amendments/{answer.json()['number']}").json()["amendment"]["texts"]["en"] == text
    )


@pytest.mark.parametrize(
    ("body", "deep"),
    [
        (b'{"a": [1, 2, {"b": "]]]]"}]}', False),
        (b'["\\\\", [[[[]]]]]', True),
        (b'"' + b"[" * 100 + b'"', False),
    ],
)
def test_the_depth_is_measured_outside_strings(body: bytes, deep: bool) -> None:
    assert json_too_deep(body, 4) is deep


@pytest.mark.parametrize(
    ("query", "headers", "field"),
    [
        ("?after=" + "1" + "0" * 30, {}, "after"),
        ("?after=2147483648", {}, "after"),
        ("?after=-1", {}, "after"),
        ("", {"Last-Event-ID": "1" + "0" * 30}, "last-event-id"),
        ("", {"Last-Event-ID": "-5"}, "last-event-id"),
        ("", {"Last-Event-ID": "9" * 5000}, "last-event-id"),
    ],
)
def test_an_out_of_range_start_of_the_live_feed_is_a_422_before_the_stream_opens(
    api: Api, query: str, headers: dict[str, str], field: str
) -> None:
    api.login("observer")
    answer = api.client.get(f"/live{query}", headers={**api.headers, **headers})
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field

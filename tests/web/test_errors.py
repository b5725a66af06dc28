"""User mistakes get a clear 4xx page or JSON body, never a 500."""

from __future__ import annotations

import logging

import pytest
from litestar import get
from litestar.testing import TestClient

from tests.web.conftest import Api, Browser, Site


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/declaration?v=abc", 422),
        ("/declaration?v=99", 404),
        ("/declaration/compare?old=1&new=7", 404),
        ("/amendments/new?kind=bogus", 422),
        ("/amendments/42", 404),
        ("/votes/42", 404),
        ("/signing?v=x", 422),
        ("/exports/docx?lang=fr", 422),
        ("/no/such/page", 404),
        ("/static/missing.js", 404),
    ],
)
def test_bad_page_requests_get_a_clear_error_page(browser: Browser, path: str, status: int) -> None:
    browser.login("delegate-1")
    answer = browser.get(path)
    assert answer.status_code == status
    assert 'class="problem"' in answer.text or status == 404


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/secretariat/translations", {"t:x": "y"}),
        ("/secretariat/translations", {}),
        ("/comments", {"target": "article", "target_id": "art-1", "body": "x", "parent": "x"}),
        ("/votes/consensus", {"amendment": "1", "window": "soon"}),
        ("/agenda", {"kind": "planet"}),
    ],
)
def test_malformed_forms_are_422(browser: Browser, path: str, data: dict[str, str]) -> None:
    browser.login("secretariat" if path.startswith("/secretariat") else "chair")
    assert browser.post(path, data).status_code == 422


def test_a_form_without_csrf_token_is_403_even_when_logged_in(browser: Browser) -> None:
    browser.login("chair")
    answer = browser.client.post("/agenda", data={"kind": "none"})
    assert answer.status_code == 403 and "Not allowed" in answer.text


def test_an_htmx_error_is_a_fragment(browser: Browser) -> None:
    browser.login("delegate-1")
    answer = browser.htmx("/amendments/preview", {"kind": "bogus"})
    assert answer.status_code == 422 and "<html" not in answer.text


def test_the_schema_is_served_without_login(api: Api) -> None:
    answer = api.client.get("/schema/openapi.json")
    assert answer.status_code == 200 and answer.json()["info"]["title"] == "consensus-kit API"


def test_api_type_errors_name_the_field(api: Api) -> None:
    api.login("chair")
    answer = api.post("/votes", {"amendment": "one"})
    assert answer.status_code == 422 and answer.json()["field"]
    answer = api.post("/votes", {"amendment": 1, "surprise": True})
    assert answer.status_code == 422


def _faulty_route(site: Site) -> None:
    """A route with a bug in it, added to the real app: what any unforeseen error looks like."""

    @get("/api/v1/faulty", sync_to_thread=False)
    def faulty() -> None:
        raise RuntimeError("a bug nobody foresaw")

    @get("/faulty-page", sync_to_thread=False)
    def faulty_page() -> None:
        raise RuntimeError("a bug nobody foresaw")

    site.app.register(faulty)
    site.app.register(faulty_page)


def test_an_unexpected_error_is_logged_with_its_traceback_and_a_request_id_the_answer_shows(
    site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    _faulty_route(site)
    with TestClient(app=site.app) as client, caplog.at_level(logging.ERROR, "consensus_kit"):
        answer = client.get("/api/v1/faulty")
        page = client.get("/faulty-page")
        proxied = client.get("/api/v1/faulty", headers={"X-Request-ID": "edge-42"})
    assert answer.status_code == 500 and page.status_code == 500
    body = answer.json()
    request_id = body["request_id"]
    assert body["code"] == "internal" and request_id in body["message"]
    assert "a bug nobody foresaw" not in answer.text  # the detail stays in the log
    assert proxied.json()["request_id"] == "edge-42"
    logged = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert any(request_id in r.getMessage() and r.exc_info for r in logged), logged
    text = "\n".join(caplog.text.splitlines())
    assert "Traceback" in text and "RuntimeError: a bug nobody foresaw" in text
    page_id = next(r.getMessage().split("request id ")[1].rstrip(")") for r in logged
                   if "/faulty-page" in r.getMessage())  # fmt: skip
    assert page_id in page.text and 'class="problem"' in page.text

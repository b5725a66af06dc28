"""User mistakes get a clear 4xx page or JSON body, never a 500."""

from __future__ import annotations

import pytest

from tests.web.conftest import Api, Browser


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

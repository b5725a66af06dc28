"""Logging in with an access code, sessions, CSRF, logout, tokens, security headers."""

from __future__ import annotations

import time

from tests.web.conftest import CSRF, Api, Browser, Site
from webui.tokens import issue_token


def test_a_page_without_login_sends_the_browser_to_the_login_form(browser: Browser) -> None:
    answer = browser.get("/declaration?lang=zh")
    assert answer.status_code == 302
    assert answer.headers["location"] == "/login?next=%2Fdeclaration%3Flang%3Dzh"


def test_login_with_a_code_shows_who_you_are_and_for_which_organisation(browser: Browser) -> None:
    browser.login("delegate-1")
    home = browser.get("/")
    assert home.status_code == 200
    assert "Delegate 1" in home.text and "Organisation 1 (en)" in home.text


def test_the_session_cookie_is_httponly_and_samesite(browser: Browser, site: Site) -> None:
    form = browser.get("/login")
    token = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
    answer = browser.client.post("/login", data={"code": site.code("chair"), "_csrf_token": token})
    cookie = next(
        v for k, v in answer.headers.multi_items() if k == "set-cookie" and "ck_session" in v
    )
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")


def test_an_unknown_code_is_refused_with_a_clear_message(browser: Browser) -> None:
    form = browser.get("/login")
    token = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
    answer = browser.client.post("/login", data={"code": "AAAA-BBBB-CCCC", "_csrf_token": token})
    assert answer.status_code == 401
    assert "not known" in answer.text
    assert browser.get("/").status_code == 302


def test_a_form_without_its_csrf_token_is_refused(browser: Browser, site: Site) -> None:
    browser.get("/login")
    answer = browser.client.post("/login", data={"code": site.code("chair")})
    assert answer.status_code == 403


def test_the_login_redirects_only_to_local_pages(browser: Browser, site: Site) -> None:
    form = browser.get("/login")
    token = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
    answer = browser.client.post(
        "/login",
        data={"code": site.code("chair"), "_csrf_token": token, "next": "//evil.example/x"},
    )
    assert answer.headers["location"] == "/"


def test_logout_ends_the_session(browser: Browser) -> None:
    browser.login("chair")
    assert browser.post("/logout").status_code == 303
    assert browser.get("/").status_code == 302


def test_pages_carry_security_headers(browser: Browser) -> None:
    answer = browser.get("/login")
    csp = answer.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "same-origin"


def test_a_token_is_issued_for_a_code_and_names_the_delegate(api: Api) -> None:
    api.login("signatory-2")
    me = api.get("/me").json()
    assert me["delegate"] == "signatory-2" and me["organisation"] == "org-2"
    assert me["roles"] == ["delegate", "signatory"]


def test_the_api_without_a_token_answers_401_json(api: Api) -> None:
    answer = api.get("/me")
    assert answer.status_code == 401
    assert answer.json()["code"] == "not_authenticated"


def test_a_forged_or_expired_token_is_refused(api: Api, site: Site) -> None:
    forged = issue_token(b"x" * 32, site.mid, "chair", int(time.time()) + 60)
    api.headers = {"Authorization": f"Bearer {forged}"}
    assert api.get("/me").status_code == 401
    expired = issue_token(
        site.app.state.settings.key("token"), site.mid, "chair", int(time.time()) - 1
    )
    api.headers = {"Authorization": f"Bearer {expired}"}
    answer = api.get("/me")
    assert answer.status_code == 401 and "expired" in answer.json()["message"]


def test_a_wrong_code_for_a_token_is_401_and_a_malformed_body_is_422(api: Api) -> None:
    answer = api.client.post("/api/v1/token", json={"code": "WRONG-CODE-XXXX"})
    assert answer.status_code == 401
    answer = api.client.post("/api/v1/token", json={"nope": 1})
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "invalid_input" and body["field"]


def test_an_oversized_body_is_refused(api: Api) -> None:
    answer = api.client.post(
        "/api/v1/token",
        content=b"{" + b" " * 300_000 + b"}",
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 413

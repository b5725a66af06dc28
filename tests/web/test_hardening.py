"""Hardening of the web UI and API: login rate limits (429 + Retry-After), sessions and tokens
that end when a code is re-issued, Secure cookies over HTTPS (directly or via a trusted proxy)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient

from consensus_kit import LOGIN_LIMITS, InvalidInput, LoginLimits
from consensus_kit.service.access import RESUME_CHECK_SECONDS
from tests.web.conftest import CSRF, Api, Browser, Site
from tests.web.test_live import running_server
from webui import Settings, create_app
from webui.cli import main as cli_main


def cookies_of(answer: httpx.Response) -> dict[str, str]:
    return {
        value.split("=", 1)[0]: value
        for key, value in answer.headers.multi_items()
        if key == "set-cookie"
    }


def flags(cookie: str) -> set[str]:
    return {part.strip().lower().split("=")[0] for part in cookie.split(";")[1:]}


# -- rate limits ------------------------------------------------------------------------------


def test_the_token_endpoint_answers_429_with_retry_after_once_an_address_failed_too_often(
    site: Site,
) -> None:
    limits = LoginLimits(per_address=10)
    app = create_app(Settings(db=site.url, secret="test-secret", login_limits=limits))
    with TestClient(app=app) as client:
        for i in range(limits.per_address):
            answer = client.post("/api/v1/token", json={"code": f"WRONG-CODE-{i:04}"})
            assert answer.status_code == 401, answer.text
        refused = client.post("/api/v1/token", json={"code": "WRONG-CODE-9999"})
        assert refused.status_code == 429
        body = refused.json()
        assert body["code"] == "too_many_attempts" and body["field"] == "address"
        assert "try again in" in body["message"]
        wait = int(refused.headers["retry-after"])
        assert 1 <= wait <= limits.window.total_seconds()
        # a valid code from the same address is never refused for it: no venue lock-out
        assert client.post("/api/v1/token", json={"code": site.code("chair")}).status_code == 200


def test_login_limits_come_from_the_environment_and_bad_values_are_named() -> None:
    base = {"CK_SECRET": "s", "CK_DB": "sqlite:///x.db"}
    assert Settings.from_env(base).login_limits == LOGIN_LIMITS
    tuned = Settings.from_env({**base, "CK_LOGIN_PER_ADDRESS": "50", "CK_LOGIN_PER_CODE": "5"})
    assert (tuned.login_limits.per_address, tuned.login_limits.per_code) == (50, 5)
    with pytest.raises(InvalidInput) as caught:
        Settings.from_env({**base, "CK_LOGIN_PER_ADDRESS": "0"})
    assert caught.value.field == "CK_LOGIN_PER_ADDRESS"


def test_twenty_wrong_codes_then_a_valid_code_from_one_address_logs_in(
    browser: Browser, site: Site
) -> None:
    form = browser.get("/login")
    token = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
    for i in range(20):
        wrong = browser.client.post(
            "/login", data={"code": f"WRONG-CODE-{i:04}", "_csrf_token": token}
        )
        assert wrong.status_code == 401
    right = browser.client.post(
        "/login", data={"code": site.code("delegate-2"), "_csrf_token": token}
    )
    assert right.status_code == 303
    assert browser.get("/").status_code == 200


def test_the_login_form_answers_429_once_a_code_was_tried_too_often(
    browser: Browser, site: Site
) -> None:
    for _ in range(LOGIN_LIMITS.per_code):
        browser.login("delegate-1")
    browser.client.cookies.clear()
    form = browser.get("/login")
    token = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
    answer = browser.client.post(
        "/login", data={"code": site.code("delegate-1"), "_csrf_token": token}
    )
    assert answer.status_code == 429
    assert int(answer.headers["retry-after"]) >= 1
    assert "Too many attempts. Try again in" in answer.text
    assert browser.get("/").status_code == 302  # not logged in
    other = browser.client.post("/login", data={"code": site.code("chair"), "_csrf_token": token})
    assert other.status_code == 303  # another code from the same address still works


def test_the_limit_holds_across_workers(tmp_path: Path) -> None:
    with running_server(tmp_path, "--workers", "2", CK_LOGIN_PER_ADDRESS="10") as server:
        statuses = [
            httpx.post(
                f"{server.base}/api/v1/token", json={"code": f"WRONG-CODE-{i:04}"}, timeout=10
            ).status_code
            for i in range(10 + 3)
        ]
    assert statuses == [401] * 10 + [429] * 3


def test_a_trusted_proxy_forwards_the_client_address(tmp_path: Path) -> None:
    with running_server(tmp_path, CK_LOGIN_PER_ADDRESS="10") as server:

        def token(code: str, address: str) -> int:
            headers = {"X-Forwarded-For": address}
            url = f"{server.base}/api/v1/token"
            return httpx.post(url, json={"code": code}, headers=headers, timeout=10).status_code

        fails = [token(f"WRONG-CODE-{i:04}", "192.0.2.10") for i in range(10)]
        assert fails == [401] * 10
        assert token("WRONG-CODE-9999", "192.0.2.10") == 429
        assert token("WRONG-CODE-9999", "192.0.2.11") == 401  # another client behind it
        assert token(server.codes["chair"], "192.0.2.10") == 200  # a valid code always works


# -- revocation -------------------------------------------------------------------------------


def test_reissuing_a_code_ends_the_delegates_tokens_and_sessions(
    client: TestClient[Any], site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    old = Api(client, site).login("delegate-1")
    other = Api(client, site).login("delegate-2")
    assert old.get("/me").status_code == 200
    with TestClient(app=site.app) as page_client:
        page_client.follow_redirects = False
        browser = Browser(page_client, site).login("delegate-1")
        assert browser.get("/").status_code == 200
        capsys.readouterr()
        assert cli_main(["codes", "--db", site.url, "--delegate", "delegate-1"]) == 0
        new_code = capsys.readouterr().out.split()[0]
        # re-issued by another process (the CLI): the app trusts a checked login for at most
        # RESUME_CHECK_SECONDS before it reads the code again
        deadline = time.monotonic() + RESUME_CHECK_SECONDS + 1
        while (refused := old.get("/me")).status_code == 200:
            assert time.monotonic() < deadline, "the re-issued code did not end the token"
            time.sleep(0.1)
        assert refused.status_code == 401
        assert "re-issued" in refused.json()["message"]
        assert browser.get("/").status_code == 302  # back to the login form
        assert browser.get("/declaration").headers["location"].startswith("/login")
    assert other.get("/me").status_code == 200  # other delegates keep theirs
    fresh = client.post("/api/v1/token", json={"code": new_code})
    assert fresh.status_code == 200
    headers = {"Authorization": f"Bearer {fresh.json()['token']}"}
    assert client.get("/api/v1/me", headers=headers).json()["delegate"] == "delegate-1"
    assert client.post("/api/v1/token", json={"code": site.code("delegate-1")}).status_code == 401


# -- cookies ----------------------------------------------------------------------------------


def _login_cookies(client: TestClient[Any], site: Site) -> dict[str, str]:
    form = client.get("/login")
    token = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
    cookies = cookies_of(form)
    csrf_cookie = cookies["ck_csrf"].split(";")[0]  # sent back even where the client would not
    answer = client.post(
        "/login",
        data={"code": site.code("chair"), "_csrf_token": token},
        headers={"cookie": csrf_cookie},
    )
    assert answer.status_code == 303
    return {**cookies, **cookies_of(answer)}


@pytest.mark.parametrize(
    ("base", "secure"), [("http://testserver.local", False), ("https://testserver.local", True)]
)
def test_cookies_are_httponly_samesite_and_secure_over_https(
    site: Site, base: str, secure: bool
) -> None:
    with TestClient(app=site.app, base_url=base) as client:
        client.follow_redirects = False
        cookies = _login_cookies(client, site)
    assert set(cookies) == {"ck_csrf", "ck_session"}
    for cookie in cookies.values():
        assert {"httponly", "samesite"} <= flags(cookie)
        assert "samesite=lax" in cookie.lower()
        assert ("secure" in flags(cookie)) is secure


def test_ck_secure_cookies_marks_cookies_secure_even_over_http(tmp_path: Path) -> None:
    from tests.web.conftest import make_site
    from webui import Settings, create_app

    site = make_site(tmp_path)
    settings = Settings(db=site.url, secret="test-secret", secure_cookies=True)
    with TestClient(app=create_app(settings)) as client:
        client.follow_redirects = False
        cookies = _login_cookies(client, site)
    site.service.store.close()
    assert all("secure" in flags(c) for c in cookies.values())


@pytest.mark.parametrize(("trusted", "secure"), [("127.0.0.1", True), ("192.0.2.1", False)])
def test_x_forwarded_proto_counts_only_from_a_trusted_proxy(
    tmp_path: Path, trusted: str, secure: bool
) -> None:
    with running_server(tmp_path, FORWARDED_ALLOW_IPS=trusted) as server:
        answer = httpx.get(
            f"{server.base}/login", headers={"X-Forwarded-Proto": "https"}, timeout=10
        )
    cookie = cookies_of(answer)["ck_csrf"]
    assert ("secure" in flags(cookie)) is secure

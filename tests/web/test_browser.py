"""In headless Chromium (skipped without Playwright and /usr/bin/chromium): the live feed
refreshes a page by itself, the diff preview follows typing, and the CSP holds."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.make_screenshots import CHROMIUM, CHROMIUM_ARGS
from tests.web.test_live import Server, server

__all__ = ["server"]

HAVE_BROWSER = importlib.util.find_spec("playwright") is not None and Path(CHROMIUM).exists()
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
if IN_CI and not HAVE_BROWSER:
    pytest.fail(
        "CI=true but Playwright or /usr/bin/chromium is missing (.ci/run installs them)",
        pytrace=False,
    )

pytestmark = [
    pytest.mark.timeout(90),
    pytest.mark.skipif(
        not HAVE_BROWSER,
        reason="needs Playwright (pip install -e .[test]) and the system chromium package",
    ),
]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def logged_in(chromium: Any, server: Server, who: str) -> tuple[Any, list[str]]:
    page = chromium.new_context(viewport={"width": 1200, "height": 800}).new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{server.base}/login")
    page.fill("#code", server.codes[who])
    page.click("form[action='/login'] button")
    page.wait_for_url(f"{server.base}/")
    return page, problems


def test_the_projector_follows_the_floor_without_reloading(server: Server, chromium: Any) -> None:
    page, problems = logged_in(chromium, server, "chair")
    page.goto(f"{server.base}/projector")
    page.wait_for_selector(".live-status[data-state='open']", timeout=5000)
    server.api("chair", "PUT", "/agenda", {"kind": "article", "ref": "art-2"})
    page.wait_for_selector("#projector-body >> text=Article 2 (zh)", timeout=3000)
    assert not [p for p in problems if "Content Security Policy" in p]


def test_the_tally_updates_as_ballots_arrive(server: Server, chromium: Any) -> None:
    number = server.api(
        "delegate-1",
        "POST",
        "/amendments",
        {"kind": "replace", "article": "art-2", "texts": {"en": "Tally (en)"}},
    ).json()["number"]
    vote = server.api("chair", "POST", "/votes", {"amendment": number}).json()["number"]
    page, _ = logged_in(chromium, server, "observer")
    page.goto(f"{server.base}/votes/{vote}")
    page.wait_for_selector(".live-status[data-state='open']", timeout=5000)
    assert "0 of 3 ballots cast" in page.inner_text(".tally")
    server.api("delegate-2", "POST", f"/votes/{vote}/ballots", {"choice": "yes", "key": "b1"})
    page.wait_for_selector(".tally >> text=1 of 3 ballots cast", timeout=3000)


def test_the_preview_shows_the_librarys_diff_while_typing(server: Server, chromium: Any) -> None:
    page, problems = logged_in(chromium, server, "delegate-3")
    page.goto(f"{server.base}/amendments/new?kind=replace&article=art-1")
    page.fill("textarea[name='texts.en']", "Article 1 typed (en)")
    page.wait_for_selector("#preview ins", timeout=3000)
    assert "typed" in page.inner_text("#preview ins")
    assert not problems

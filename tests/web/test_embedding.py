"""The room mounted under /meeting in a parent Litestar application, as docs/embedding.md
writes it: its links, static files, redirects, cookies, API and errors carry the prefix; the
parent's own routes stay its own. And the library alone from a script, as written there."""

from __future__ import annotations

import re
import shutil
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from consensus_kit import CONSOLE, open_service, read_meeting_file
from tests.test_docs import ROOT, marked_block

LINK = re.compile(r'(?:href|action|src|hx-get|hx-post|data-live)="([^"]*)"')
HREF = re.compile(r'href="([^"]*)"')
CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')


@pytest.fixture
def mounted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Any, dict[str, str]]]:
    """The block of docs/embedding.md run in a folder holding the A20 meeting as meeting.db."""
    service = open_service(f"sqlite:///{tmp_path / 'meeting.db'}")
    loaded = service.load_meeting(
        read_meeting_file(ROOT / "examples" / "a20_2018" / "meeting.toml"), actor=CONSOLE
    )
    mid = loaded.meeting.id
    kenya, chair = service.delegate(mid, "ekesa"), service.delegate(mid, "chair")
    amendment = service.propose_amendment(  # so the pages have an amendment and a vote to link
        kenya, mid, kind="replace", article="art-4", texts={"en": "Together we act."},
        rationale="Shorter.",
    )  # fmt: skip
    service.open_vote(chair, mid, amendment=amendment.number)
    service.store.close()
    monkeypatch.chdir(tmp_path)
    # a real module: Litestar reads the handlers' annotations from their module's namespace
    example = types.ModuleType("embedding_example")
    monkeypatch.setitem(sys.modules, example.__name__, example)
    exec(compile(marked_block("embedding-litestar"), "docs/embedding.md", "exec"), vars(example))
    with TestClient(example.app, base_url="http://summit.test") as client:
        yield client, dict(loaded.codes)


def links(html: str) -> list[str]:
    return [link.replace("&amp;", "&") for link in LINK.findall(html)]


def test_the_parent_keeps_its_own_routes(mounted: tuple[Any, dict[str, str]]) -> None:
    client, _ = mounted
    assert "The summit's room is at /meeting/" in client.get("/").text
    assert client.get("/declaration").status_code == 404  # the room's pages are not at the root


def test_a_delegate_logs_in_and_walks_the_room_by_its_links(
    mounted: tuple[Any, dict[str, str]],
) -> None:
    client, codes = mounted
    first = client.get("/meeting/", follow_redirects=False)
    assert first.status_code in (302, 303, 307)
    assert first.headers["location"].startswith("/meeting/login")
    form = client.get(first.headers["location"])
    assert form.status_code == 200
    assert 'action="/meeting/login"' in form.text
    for link in links(form.text):
        assert link.startswith(("/meeting/", "#", "http", "data:")) or link == "/meeting", link
    csrf = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
    answer = client.post(
        "/meeting/login",
        data={"code": codes["ekesa"], "_csrf_token": csrf, "next": "/declaration"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/meeting/declaration"
    cookies = answer.headers.get_list("set-cookie")
    assert cookies and all("Path=/meeting" in c for c in cookies), cookies

    home = client.get("/meeting/")
    assert home.status_code == 200
    assert 'data-root="/meeting"' in home.text
    assert 'data-live="/meeting/live?after=' in home.text
    found = links(home.text)
    outside = [x for x in found if x.startswith("/") and not x.startswith("/meeting")]
    assert not outside, outside
    hrefs = [x.replace("&amp;", "&") for x in HREF.findall(home.text)]
    pages = {  # what a click opens (forms post); not the live feed, an endless stream
        x.split("#")[0]
        for x in hrefs
        if x.startswith("/meeting/") and not x.startswith(("/meeting/live", "/meeting/exports/"))
    }
    for wanted in ("/meeting/declaration", "/meeting/amendments/1", "/meeting/votes/1"):
        assert any(p.startswith(wanted) for p in pages), (wanted, pages)
    for page in sorted(pages)[:25]:
        got = client.get(page)
        assert got.status_code == 200, (page, got.status_code)
        if page.startswith("/meeting/static/"):
            continue
        inner = [x for x in links(got.text) if x.startswith("/") and not x.startswith("/meeting")]
        assert not inner, (page, inner)


def test_no_template_writes_a_path_without_the_prefix() -> None:
    """Every absolute link in a template starts with ``{{ root }}`` (a static check, so a new
    template is caught even on a page this walk does not reach)."""
    bare = re.compile(
        r'(?:href|action|src|formaction|hx-(?:get|post|put|patch|delete)|data-live)="/'
    )
    found = [
        f"{path.relative_to(ROOT)}: {line.strip()[:100]}"
        for path in (ROOT / "webui" / "templates").rglob("*.html")
        for line in path.read_text(encoding="utf-8").splitlines()
        if bare.search(line)
    ]
    assert not found, found


def test_static_files_come_from_under_the_prefix(mounted: tuple[Any, dict[str, str]]) -> None:
    client, _ = mounted
    page = client.get("/meeting/login").text
    styles = [x for x in links(page) if x.endswith(".css")]
    assert styles and styles[0].startswith("/meeting/static/")
    css = client.get(styles[0])
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]


def test_a_refused_form_goes_back_to_its_page_under_the_prefix(
    mounted: tuple[Any, dict[str, str]],
) -> None:
    client, codes = mounted
    form = client.get("/meeting/login")
    csrf = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
    client.post("/meeting/login", data={"code": codes["ekesa"], "_csrf_token": csrf})
    page = client.get("/meeting/votes")
    csrf = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    refused = client.post(  # a delegate may not open a vote: back to the page, refusal shown
        "/meeting/votes",
        data={"_csrf_token": csrf, "amendment": "1"},
        headers={"referer": "http://summit.test/meeting/votes"},
        follow_redirects=False,
    )
    assert refused.status_code == 303
    assert refused.headers["location"] == "/meeting/votes"


def test_the_api_and_its_errors_under_the_prefix(mounted: tuple[Any, dict[str, str]]) -> None:
    client, codes = mounted
    token = client.post("/meeting/api/v1/token", json={"code": codes["ekesa"]})
    assert token.status_code in (200, 201), token.text
    bearer = {"Authorization": f"Bearer {token.json()['token']}"}
    meeting = client.get("/meeting/api/v1/meeting", headers=bearer)
    assert meeting.status_code == 200 and meeting.json()["id"] == "a20-2018"
    missing = client.get("/meeting/api/v1/amendments/999", headers=bearer)
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"


def test_the_library_script_runs_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {}
    exec(compile(marked_block("library-script"), "docs/embedding.md", "exec"), namespace)
    assert namespace["vote"].state.value == "open"
    assert (tmp_path / "a20-2018-v1.en.docx").stat().st_size > 5_000

"""Fixtures for the web UI: a meeting in an SQLite file or a PostgreSQL schema, the app, a browser that logs in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from consensus_kit import LoadedMeeting, MeetingService, open_service
from tests.builders import load_meeting
from webui import Settings, create_app

CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')


@dataclass
class Site:
    """A running app over a test meeting: its database, codes and a service to arrange data."""

    app: Litestar
    url: str
    loaded: LoadedMeeting
    service: MeetingService

    @property
    def mid(self) -> str:
        return self.loaded.meeting.id

    def code(self, delegate: str) -> str:
        return self.loaded.codes[delegate]  # type: ignore[index]

    def delegate(self, delegate: str) -> Any:
        return self.service.delegate(self.loaded.meeting.id, delegate)


class Browser:
    """A test client that logs in through the real form and posts forms with their CSRF token."""

    def __init__(self, client: TestClient[Any], site: Site) -> None:
        self.client = client
        self.site = site
        self.csrf = ""

    def login(self, delegate: str) -> Browser:
        self.client.cookies.clear()
        form = self.client.get("/login")
        assert form.status_code == 200
        self.csrf = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
        answer = self.client.post(
            "/login", data={"code": self.site.code(delegate), "_csrf_token": self.csrf}
        )
        assert answer.status_code == 303, answer.text
        self.refresh()
        return self

    def refresh(self) -> None:
        found = CSRF.search(self.client.get("/").text)
        if found:
            self.csrf = found.group(1)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.client.get(path, **kwargs)

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> httpx.Response:
        return self.client.post(path, data={**(data or {}), "_csrf_token": self.csrf}, **kwargs)

    def htmx(self, path: str, data: dict[str, Any] | None = None) -> httpx.Response:
        headers = {"HX-Request": "true", "x-csrftoken": self.csrf}
        return self.client.post(path, data=data or {}, headers=headers)


class Api:
    """JSON API calls with a bearer token."""

    def __init__(self, client: TestClient[Any], site: Site) -> None:
        self.client = client
        self.site = site
        self.headers: dict[str, str] = {}

    def login(self, delegate: str) -> Api:
        answer = self.client.post("/api/v1/token", json={"code": self.site.code(delegate)})
        assert answer.status_code == 200, answer.text
        self.headers = {"Authorization": f"Bearer {answer.json()['token']}"}
        return self

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.client.get(f"/api/v1{path}", headers=self.headers, **kwargs)

    def post(self, path: str, json: Any = None) -> httpx.Response:
        return self.client.post(f"/api/v1{path}", headers=self.headers, json=json)

    def put(self, path: str, json: Any = None) -> httpx.Response:
        return self.client.put(f"/api/v1{path}", headers=self.headers, json=json)

    def patch(self, path: str, json: Any = None) -> httpx.Response:
        return self.client.patch(f"/api/v1{path}", headers=self.headers, json=json)


def make_site(tmp_path: Path, url: str | None = None, **kwargs: Any) -> Site:
    url = url or f"sqlite:///{tmp_path / 'meeting.db'}"
    service = open_service(url)
    loaded = load_meeting(service, **kwargs)
    app = create_app(Settings(db=url, secret="test-secret", poll_interval=0.2))
    return Site(app=app, url=url, loaded=loaded, service=service)


@pytest.fixture
def site(tmp_path: Path, db_url: str) -> Iterator[Site]:
    """The app over a test meeting, on an SQLite file and then on a PostgreSQL schema."""
    made = make_site(tmp_path, db_url)
    yield made
    made.service.store.close()


@pytest.fixture
def client(site: Site) -> Iterator[TestClient[Any]]:
    with TestClient(app=site.app) as test_client:
        test_client.follow_redirects = False
        yield test_client


@pytest.fixture
def browser(client: TestClient[Any], site: Site) -> Browser:
    return Browser(client, site)


@pytest.fixture
def api(client: TestClient[Any], site: Site) -> Api:
    return Api(client, site)

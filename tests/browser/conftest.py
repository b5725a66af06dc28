"""The browser scenario's room: a real server over ``meeting.toml``, headless Chromium, one
browser context per person, and a folder of screenshots.

The steps of a scenario module run in order and share its room: when one fails, the later
ones are skipped (they would only fail on the missing state), every open page is
photographed, and the folder's path is printed at the end of the run. The screenshots go to
``$CK_BROWSER_ARTIFACTS`` or ``test-artifacts/browser/``, one subfolder per scenario module (ignored by git); each run first
removes the previous run's PNG and DOCX files there. The README's ``docs/images/e2e-*.png``
are copies of the ``e2e-*.png`` collages a run makes.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from consensus_kit import CONSOLE, open_service, read_meeting_file
from tests.web.make_screenshots import CHROMIUM, CHROMIUM_ARGS
from tests.web.test_live import Server, free_port, start_server, stop_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page

ROOT = Path(__file__).resolve().parents[2]
MEETING = Path(__file__).with_name("meeting.toml")
ARTIFACTS = Path(os.environ.get("CK_BROWSER_ARTIFACTS") or ROOT / "test-artifacts" / "browser")
HAVE_BROWSER = importlib.util.find_spec("playwright") is not None and Path(CHROMIUM).exists()
DESK = {"width": 1200, "height": 800}
PHONE = {"width": 390, "height": 844}
WALL = {"width": 1920, "height": 1080}
SCALE = 2  # screenshots at twice the pixels: crisp when the README's collages scale them down
FAILED = pytest.StashKey[list[str]]()
TIMING = pytest.StashKey[dict[str, float]]()


@dataclass
class Person:
    """One browser context logged in as one delegate, and the console errors its pages saw."""

    name: str
    delegate: str
    context: BrowserContext
    page: Page
    errors: list[str] = field(default_factory=list)
    aborts: int = 0

    def watch(self, page: Page) -> Page:
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        return page

    def _console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        text = f"{message.text} ({message.location.get('url', '')})"
        # htmx reports a request it cancelled itself with console.error: "htmx:afterRequest"
        # then "htmx:sendAbort". A live region cancels its load when a newer change arrives
        # (hx-sync="this:replace"); that is the design, not a fault, so the pair is counted
        # apart. A failed request still logs htmx:sendError or htmx:responseError.
        if message.text == "htmx:sendAbort":
            self.aborts += 1
            if self.errors and self.errors[-1].startswith("htmx:afterRequest "):
                self.errors.pop()
            return
        self.errors.append(text)


@dataclass
class Room:
    """The people at the summit, the projector on the wall, and where screenshots go."""

    server: Server
    browser: Browser
    shots: Path
    people: dict[str, Person] = field(default_factory=dict)
    projector: Page | None = None
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return self.server.base

    def url(self, path: str) -> str:
        return f"{self.server.base}{path}"

    def enter(
        self,
        name: str,
        delegate: str,
        viewport: dict[str, int] | None = None,
        start: str = "/login",
        locale: str | None = None,
    ) -> Person:
        """A fresh browser context at ``start`` (not logged in yet); ``locale`` sets the
        browser's language (its ``Accept-Language``)."""
        context = self.browser.new_context(
            viewport=viewport or DESK,
            device_scale_factor=SCALE,
            has_touch=viewport == PHONE,
            **({"locale": locale} if locale else {}),
        )
        context.set_default_timeout(5000)
        person = Person(name, delegate, context, context.new_page())
        person.watch(person.page)
        person.page.goto(self.url(start))
        self.people[name] = person
        return person

    def code(self, person: Person) -> str:
        return self.server.codes[person.delegate]

    def open_projector(self, person: Person, viewport: dict[str, int] | None = None) -> Page:
        """The projector: a second tab in ``person``'s context (the chair's laptop)."""
        self.projector = person.watch(person.context.new_page())
        if viewport:
            self.projector.set_viewport_size(viewport)
        self.projector.goto(self.url("/projector"))
        return self.projector

    def pages(self) -> dict[str, Page]:
        found = {name: p.page for name, p in self.people.items()}
        if self.projector is not None:
            found["projector"] = self.projector
        return found

    def shot(self, step: str, *names: str) -> None:
        """Screenshots of the named pages (default: all open ones) as ``<step>-<name>.png``."""
        for name, page in self.pages().items():
            if not names or name in names:
                page.screenshot(path=str(self.shots / f"{step}-{name}.png"))

    def errors(self) -> dict[str, list[str]]:
        return {name: p.errors for name, p in self.people.items() if p.errors}


@pytest.fixture(scope="module")
def shots(request: pytest.FixtureRequest) -> Path:
    """The folder for this run's screenshots, without the previous run's (only the kinds of
    file a run writes are removed: the folder may be one the user named). Each scenario
    module has its own subfolder, so that one module does not erase another's pictures."""
    folder = ARTIFACTS / Path(request.module.__file__).stem
    folder.mkdir(parents=True, exist_ok=True)
    for old in [*folder.glob("*.png"), *folder.glob("*.docx")]:
        old.unlink()
    return folder


@pytest.fixture(scope="module")
def room(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, shots: Path
) -> Iterator[Room]:
    """The real server (``consensus-kit serve`` over a fresh SQLite file loaded from
    ``meeting.toml``, or from the scenario module's own ``MEETING``) and headless Chromium,
    for one scenario module."""
    from playwright.sync_api import sync_playwright

    timing = request.config.stash.setdefault(TIMING, {})
    started = time.monotonic()
    db = f"sqlite:///{tmp_path_factory.mktemp('summit') / 'meeting.db'}"
    service = open_service(db)
    meeting_file = getattr(request.module, "MEETING", MEETING)
    loaded = service.load_meeting(read_meeting_file(meeting_file), actor=CONSOLE)
    service.store.close()
    port = free_port()
    process = start_server(db, port)
    try:
        with sync_playwright() as playwright:
            server = Server(f"http://127.0.0.1:{port}", db, dict(loaded.codes), loaded.meeting.id)
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            made = Room(server=server, browser=browser, shots=shots, process=process)
            try:
                yield made
            finally:
                for person in made.people.values():
                    person.context.close()
                browser.close()
    finally:
        stop_server(process)
    timing[request.node.nodeid] = time.monotonic() - started


def _room_of(item: pytest.Item) -> Room | None:
    funcargs = getattr(item, "funcargs", {})
    found = funcargs.get("room")
    return found if isinstance(found, Room) else None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.failed and report.when in ("setup", "call"):
        item.config.stash.setdefault(FAILED, []).append(item.nodeid)
        found = _room_of(item)
        if found is not None:
            for name, page in found.pages().items():
                try:
                    page.screenshot(path=str(found.shots / f"FAILED-{item.name}-{name}.png"))
                except Exception as exc:  # a closed page must not hide the failure
                    report.sections.append(("screenshot", f"{name}: {exc}"))


def pytest_runtest_setup(item: pytest.Item) -> None:
    if os.environ.get("CK_BROWSER_KEEP_GOING"):  # to see every step fail on older code
        return
    failed = item.config.stash.get(FAILED, [])
    module = item.nodeid.split("::")[0]
    earlier = [n for n in failed if n.startswith(f"{module}::")]
    if earlier:
        pytest.skip(f"the scenario stopped at an earlier step: {earlier[0]}")


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    for module, seconds in config.stash.get(TIMING, {}).items():
        terminalreporter.write_line(
            f"browser scenario {module}: {seconds:.1f} s wall time (server start included)"
        )
    if config.stash.get(FAILED, []):
        terminalreporter.write_line(f"browser screenshots kept in {ARTIFACTS}", red=True)
    elif config.stash.get(TIMING, {}):
        terminalreporter.write_line(f"browser screenshots in {ARTIFACTS}")

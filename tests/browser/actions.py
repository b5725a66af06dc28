"""What the people in the room do in their browsers, and how the scenario waits for it.

Imported only when Playwright is installed (see the guard at the top of test_summit.py).
"""

from __future__ import annotations

import base64
import time
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import DESK, Person, Room

LIVE = 2.0  # seconds: a change must reach every open page within this
ACT = 5000  # ms: an ordinary page load or redirect


class Deadline:
    """Milliseconds left until ``seconds`` after now, for successive ``expect`` calls."""

    def __init__(self, seconds: float = LIVE) -> None:
        self.end = time.monotonic() + seconds

    def __call__(self) -> float:
        return max(50.0, (self.end - time.monotonic()) * 1000)


def mark_unreloaded(page: Page) -> None:
    """Tag the document so that a reload (which would hide a broken live feed) is noticed."""
    expect(page.locator(".live-status[data-state='open']")).to_be_attached(timeout=ACT)
    page.evaluate("window.__ckNoReload = true")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.__ckNoReload === true"), f"{page.url} was reloaded"


def log_in(room: Room, person: Person) -> None:
    page = person.page
    page.fill("#code", room.code(person))
    page.click("form[action='/login'] button")
    page.wait_for_url(room.url("/"), timeout=ACT)


def submit(page: Page, selector: str) -> None:
    """Click a form's button and wait for the page the server sends back."""
    with page.expect_navigation(timeout=ACT):
        page.locator(selector).click()


def confirm(page: Page, box: str) -> None:
    """An irreversible chair action: open its explanation, then press its button. (The box
    may be re-rendered by a live refresh meanwhile; it stays open.)"""
    summary = page.locator(f"{box} summary")
    summary.scroll_into_view_if_needed()
    summary.click()
    expect(page.locator(f"{box}[open]")).to_be_attached()
    submit(page, f"{box} form button")


def put_on_floor(room: Room, chair: Person, path: str) -> None:
    chair.page.goto(room.url(path))
    with chair.page.expect_navigation(timeout=ACT):
        chair.page.locator("main form[action='/agenda'] button").first.click()


def propose(room: Room, who: Person, article: str, texts: dict[str, str], why: str) -> int:
    page = who.page
    page.goto(room.url(f"/articles/{article}"))
    page.click(f"a[href='/amendments/new?kind=replace&article={article}']")
    for lang in ("en", "zh"):
        page.fill(f"textarea[name='texts.{lang}']", texts.get(lang, ""))
    expect(page.locator("#preview ins").first).to_be_visible(timeout=ACT)
    page.fill("textarea[name='rationale']", why)
    page.locator("#propose > button").click()
    page.wait_for_url("**/amendments/*", timeout=ACT)
    return int(page.url.rsplit("/", 1)[1])


def open_vote(room: Room, chair: Person, amendment: int, rule: str) -> int:
    page = chair.page
    page.goto(room.url(f"/amendments/{amendment}"))
    page.select_option(".chair-box select[name='rule']", rule)
    page.click(".chair-box form[action='/votes'] button")
    page.wait_for_url("**/votes/*", timeout=ACT)
    return int(page.url.rsplit("/", 1)[1])


def cast(room: Room, who: Person, vote: int, choice: str) -> None:
    page = who.page
    if not page.url.endswith(f"/votes/{vote}"):
        page.goto(room.url(f"/votes/{vote}"))
    page.click(f"button[name='choice'][value='{choice}']")
    expect(page.locator(".flash")).to_contain_text("ballot was recorded", timeout=ACT)


def select_words(page: Page, selector: str, words: str) -> None:
    """Select ``words`` in an element's text with the mouse, as a reader would (the text may be
    cut into numbered lines: its text nodes read together are the text)."""
    box = page.evaluate(
        """([selector, words]) => {
          const walker = document.createTreeWalker(
            document.querySelector(selector), NodeFilter.SHOW_TEXT);
          const nodes = []; let text = "";
          while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]);
                                      text += walker.currentNode.data; }
          const at = text.indexOf(words);
          const place = (i) => { const [node, start] = nodes.filter(([, s]) => s <= i).pop();
                                 return [node, i - start]; };
          const range = document.createRange();
          const [n0, o0] = place(at); range.setStart(n0, o0); range.setEnd(n0, o0 + 1);
          const first = range.getBoundingClientRect();
          const [n1, o1] = place(at + words.length - 1);
          range.setStart(n1, o1); range.setEnd(n1, o1 + 1);
          const last = range.getBoundingClientRect();
          return [first.left + 1, (first.top + first.bottom) / 2,
                  last.right - 1, (last.top + last.bottom) / 2];
        }""",
        [selector, words],
    )
    page.mouse.move(box[0], box[1])
    page.mouse.down()
    page.mouse.move(box[2], box[3], steps=8)
    page.mouse.up()


def narrow_shot(page: Page, path: Path) -> Path:
    """A screenshot of ``page`` as a laptop's half-screen window shows it."""
    page.set_viewport_size({"width": 640, "height": 800})
    page.screenshot(path=str(path))
    page.set_viewport_size(DESK)
    return path


def collage(room: Room, out: Path, panes: list[tuple[str, Path]], columns: str = "5fr 6fr") -> None:
    """Screenshots side by side with a caption each, in one 1200x800 image (for the README)."""
    figures = "".join(
        f"<figure><figcaption>{caption}</figcaption>"
        f"<img src='data:image/png;base64,{base64.b64encode(shot.read_bytes()).decode()}'></figure>"
        for caption, shot in panes
    )
    page = room.browser.new_page(viewport=DESK, device_scale_factor=1)
    page.set_content(
        "<style>body{margin:0;height:800px;box-sizing:border-box;padding:24px;display:grid;"
        f"grid-template-columns:{columns};gap:24px;align-items:center;background:#1d2330;"
        "font:600 17px system-ui,sans-serif;color:#e8ecf3}figure{margin:0}"
        "figcaption{margin:0 0 8px 2px}img{width:100%;display:block;border-radius:6px;"
        "box-shadow:0 4px 18px #0008}</style>" + figures
    )
    page.screenshot(path=str(out))
    page.close()

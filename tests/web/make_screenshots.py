"""Regenerate the web UI screenshots in ``docs/images/ui-*.png`` with headless Chromium.

    python -m tests.web.make_screenshots [--out docs/images] [--only ui-vote-panel]

Needs ``pip install -e '.[screenshots]'`` (Playwright, without its browser download) and the
system Chromium at /usr/bin/chromium (``apt-get install chromium fonts-noto-cjk``). The A20
meeting is loaded into a temporary SQLite file, a real server runs on a free port, and a short
session is played through the library (an amendment by Kenya, a vote, signatures) and through
the pages (Kenya's ballot and signature are cast by clicking).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

import consensus_kit as ck

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "a20_2018" / "meeting.toml"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
YES = [
    "sheth",
    "baljinnyam",
    "saniel",
    "tran-thi-nhu-trang",
    "xaythongdeth",
    "subrina",
    "setiawan",
    "kalyan-eng",
    "rzayeva",
    "sau-king-lili",
    "kawah",
    "busgopaul",
]
NO = ["leera-kim", "osman"]
ABSTAIN = ["mkandawire", "marunda"]
DOUBLED = "especially especially"
SIGNERS = ["sheth", "baljinnyam", "saniel", "kanisthananda", "subrina", "setiawan",
           "kalyan-eng", "rzayeva", "sau-king-lili", "kawah", "mkandawire", "busgopaul",
           "hazizaj"]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(db: str) -> Iterator[str]:
    """A real server (``consensus-kit serve``) on a free port."""
    port = _free_port()
    env = {**os.environ, "CK_SECRET": "screenshots", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "webui.cli", "serve", "--db", db, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{base}/login", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


class Session:
    """The A20 meeting in a temporary database, and the people in it."""

    def __init__(self, db: str) -> None:
        self.service = ck.open_service(db)
        loaded = self.service.load_meeting(ck.read_meeting_file(EXAMPLE), actor=ck.CONSOLE)
        self.mid = loaded.meeting.id
        self.codes = {str(k): v for k, v in loaded.codes.items()}

    def who(self, delegate: str) -> ck.Delegate:
        return self.service.delegate(self.mid, delegate)

    def propose(self) -> None:
        article = self.service.version(ck.CONSOLE, self.mid).declaration.articles[1]
        en = article.text[ck.Lang("en")]
        zh = article.text[ck.Lang("zh")]
        self.service.propose_amendment(
            self.who("ekesa"), self.mid, kind="replace", article="art-2",
            texts={
                "en": en.replace("especially especially", "especially").replace(
                    "care and protecting of children", "care and protection of children"),
                "zh": zh.replace("应该更加重视、支持", "应该更加重视和支持"),
            },
            rationale="Remove the doubled word; 'protection' as in article 1.",
        )  # fmt: skip
        self.service.cosponsor_amendment(self.who("baljinnyam"), self.mid, 1)
        self.service.cosponsor_amendment(self.who("hazizaj"), self.mid, 1)
        self.service.post_comment(
            self.who("rozga"), self.mid, target="article", target_id="art-2",
            body="The word is doubled here.",
            quote=ck.Quote(lang="en", start=en.index(DOUBLED), end=en.index(DOUBLED) + len(DOUBLED),
                           text=DOUBLED),
        )  # fmt: skip
        self.service.post_comment(
            self.who("rana-flower"),
            self.mid,
            target="amendment",
            target_id="1",
            body="UNICEF supports this correction.",
        )
        self.service.post_comment(
            self.who("ekesa"), self.mid, target="amendment", target_id="1", parent=2,
            body="Thank you. The Chinese text gets the same care (和).",
        )  # fmt: skip
        self.service.set_agenda(self.who("chair"), self.mid, "amendment", "1")

    def vote(self) -> None:
        chair = self.who("chair")
        self.service.open_vote(chair, self.mid, amendment=1, rule="simple_majority", secret=False)
        for choice, people in (("yes", YES), ("no", NO), ("abstain", ABSTAIN)):
            for person in people:
                self.service.cast_ballot(self.who(person), self.mid, 1, choice, key=person)
        self.service.set_agenda(chair, self.mid, "vote", "1")

    def sign(self) -> None:
        chair = self.who("chair")
        self.service.close_vote(chair, self.mid, 1)
        number = self.service.version(chair, self.mid).number
        self.service.freeze_version(chair, self.mid, number)
        for person in SIGNERS:
            self.service.endorse(self.who(person), self.mid, number)
            time.sleep(0.02)
        self.service.set_agenda(chair, self.mid, "signing", str(number))


def login(browser: Any, base: str, code: str, **context: Any) -> Any:
    """A browser context logged in through the real form."""
    ctx = browser.new_context(**context)
    page = ctx.new_page()
    page.goto(f"{base}/login")
    page.fill("#code", code)
    page.click("form[action='/login'] button")
    page.wait_for_url(f"{base}/")
    return page


def shoot(page: Any, out: Path, name: str, only: str | None, full: bool = False) -> None:
    if only and only != name:
        return
    page.wait_for_timeout(300)
    page.screenshot(path=str(out / f"{name}.png"), full_page=full)
    print(f"wrote {out / name}.png")


def main(argv: list[str] | None = None) -> int:
    """Play the session and write the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    parser.add_argument("--only", help="one screenshot by name, e.g. ui-vote-panel")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        db = f"sqlite:///{Path(folder) / 'a20.db'}"
        session = Session(db)
        session.propose()
        desk = {"viewport": {"width": 1280, "height": 900}, "device_scale_factor": 1}
        room = {"viewport": {"width": 1600, "height": 900}, "device_scale_factor": 1}
        phone = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
                 "is_mobile": True, "has_touch": True}  # fmt: skip
        with serve(db) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            kenya = login(browser, base, session.codes["ekesa"], **desk)
            kenya.goto(f"{base}/declaration?lang=en&other=zh")
            shoot(kenya, args.out, "ui-declaration-side-by-side", args.only)
            kenya.goto(f"{base}/amendments/1")
            shoot(kenya, args.out, "ui-amendment-diff", args.only)
            session.vote()
            kenya.set_viewport_size({"width": 1280, "height": 1200})
            kenya.goto(f"{base}/votes/1")
            kenya.click("button[name='choice'][value='yes']")
            kenya.wait_for_url(f"{base}/votes/1")
            shoot(kenya, args.out, "ui-vote-panel", args.only)
            mobile = login(browser, base, session.codes["kanisthananda"], **phone)
            mobile.goto(f"{base}/votes/1")
            shoot(mobile, args.out, "ui-vote-phone", args.only)
            projector = login(browser, base, session.codes["chair"], **room)
            projector.goto(f"{base}/projector")
            shoot(projector, args.out, "ui-projector-vote", args.only)
            session.sign()
            kenya.goto(f"{base}/signing")
            kenya.click("form[action$='/endorse'] button")
            kenya.wait_for_url(f"{base}/signing?v=*")
            shoot(kenya, args.out, "ui-endorsement-wall", args.only)
            projector.wait_for_timeout(1500)  # the live feed refreshes the projector by itself
            shoot(projector, args.out, "ui-projector-wall", args.only)
            chinese = login(browser, base, session.codes["chair"], locale="zh-CN", **desk)
            shoot(chinese, args.out, "ui-home-zh", args.only)
            browser.close()
        session.service.store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

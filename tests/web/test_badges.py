"""Badges: ``consensus-kit badges`` prints one card per delegate; each QR code, decoded by zbar
from the printed page, opens the login page with the code in the fragment, and the page (in
Chromium) fills the form from it and logs the delegate in. Re-issued codes make new badges and
the old ones stop working."""

from __future__ import annotations

import re
import subprocess
import urllib.parse
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest

from consensus_kit import InvalidInput, NotAuthenticated, badge_url, export_badges, open_service
from consensus_kit.formats.badges import badges_html
from tests.builders import load_meeting, make_meeting_file
from tests.cli.test_cli import run
from tests.conftest import skip_unless
from tests.office import need, pdf_text
from tests.web.conftest import Browser, Site
from tests.web.test_browser import HAVE_BROWSER, chromium
from tests.web.test_live import serving

__all__ = ["chromium"]


def decode_qr_codes(pdf: Path) -> list[str]:
    """Every QR code on every page, as zbar reads it from a 150 dpi rendering."""
    need("pdftoppm", "zbarimg")
    folder = pdf.parent / f"{pdf.stem}-pages"
    folder.mkdir()
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(folder / "p")], check=True)
    found: list[str] = []
    for page in sorted(folder.glob("*.png")):
        out = subprocess.run(
            ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(page)],
            capture_output=True,
            text=True,
            check=False,
        )
        found += out.stdout.split()
    return found


def code_of(url: str) -> str:
    fragment = urllib.parse.urlsplit(url).fragment
    return urllib.parse.parse_qs(fragment)["code"][0]


def logs_in(base: str, code: str) -> bool:
    return httpx.post(f"{base}/api/v1/token", json={"code": code}, timeout=10).status_code == 200


@pytest.fixture
def meeting_db(tmp_path: Path) -> tuple[str, dict[str, str]]:
    db = f"sqlite:///{tmp_path / 'meeting.db'}"
    service = open_service(db)
    loaded = load_meeting(service, orgs=3)
    service.store.close()
    return db, {str(k): v for k, v in loaded.codes.items()}


def test_every_badge_decodes_to_a_login_url_that_logs_in(
    tmp_path: Path, meeting_db: tuple[str, dict[str, str]], chromium: Any
) -> None:
    skip_unless(HAVE_BROWSER, "it needs Playwright and the system chromium package")
    db, loaded_codes = meeting_db
    with serving(db) as base:
        pdf = tmp_path / "badges.pdf"
        made = run("badges", "--db", db, "--out", str(pdf), "--url", base)
        assert made.returncode == 0, made.stderr
        urls = decode_qr_codes(pdf)
        assert len(urls) == len(loaded_codes) == 9  # one card per delegate
        assert all(re.fullmatch(rf"{re.escape(base)}/login#code=[A-Z0-9-]+", u) for u in urls)
        assert sorted(map(code_of, urls)) == sorted(loaded_codes.values())
        text = "\n".join(pdf_text(pdf))
        assert "Chair" in text and "Observer" in text and "Scan to log in" in text

        page = chromium.new_context().new_page()
        page.goto(urls[0])
        assert page.input_value("#code") == code_of(urls[0])
        assert "#" not in page.url  # the code leaves the address bar and the history
        page.click("form[action='/login'] button")
        page.wait_for_url(f"{base}/")

        again = run("badges", "--db", db, "--out", str(tmp_path / "again.pdf"), "--url", base)
        assert again.returncode == 1 and "--reissue" in again.stderr
        assert not (tmp_path / "again.pdf").exists()

        new_pdf = tmp_path / "new.pdf"
        reissued = run("badges", "--db", db, "--out", str(new_pdf), "--url", base,
                       "--delegate", "delegate-1")  # fmt: skip
        assert reissued.returncode == 0, reissued.stderr
        (new_url,) = decode_qr_codes(new_pdf)
        assert logs_in(base, code_of(new_url))
        assert not logs_in(base, loaded_codes["delegate-1"])  # the old badge stopped working
        assert logs_in(base, loaded_codes["delegate-2"])  # the others still work


def test_a_bad_address_or_output_changes_no_code(
    tmp_path: Path, meeting_db: tuple[str, dict[str, str]]
) -> None:
    db, loaded_codes = meeting_db
    for args, message in (
        (["--url", "summit.example.org"], "url: 'summit.example.org' is not the web address"),
        (["--url", "https://x.org/?a=1"], "must not have a query or fragment"),
        (["--url", "https://x.org", "--out", str(tmp_path / "no" / "b.pdf")], "does not exist"),
        (["--url", "https://x.org", "--lang", "fr"], "'fr' is not one of the meeting's"),
    ):
        out = ["--out", str(tmp_path / "b.pdf")] if "--out" not in args else []
        result = run("badges", "--db", db, "--reissue", *out, *args)
        assert result.returncode == 1, args
        assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr, args
    assert not (tmp_path / "b.pdf").exists()
    service = open_service(db)
    try:  # every refusal came before any code was issued: the loaded codes still log in
        for code in loaded_codes.values():
            service.log_in(code)
    finally:
        service.store.close()


def test_cards_carry_names_in_any_script_and_escape_markup() -> None:
    meeting = make_meeting_file(langs=("zh", "ar", "en"), orgs=2).meeting
    first = msgspec.structs.replace(meeting.delegates[0], name="<b>吴</b> هالة")
    meeting = msgspec.structs.replace(meeting, delegates=(first, *meeting.delegates[1:]))
    page = badges_html(meeting, {first.id: "ABCD-EFGH-JKLM"}, "https://x.org/", lang="ar")
    assert 'lang="ar"' in page and 'dir="auto"' in page
    assert "&lt;b&gt;吴&lt;/b&gt; هالة" in page and "<b>" not in page
    assert "ABCD-EFGH-JKLM" in page  # printed under the QR code, for typing by hand
    assert (
        badge_url("https://x.org/", "ABCD-EFGH-JKLM") == "https://x.org/login#code=ABCD-EFGH-JKLM"
    )
    with pytest.raises(InvalidInput, match="no delegate 'ghost'"):
        export_badges(meeting, {"ghost": "X"}, "https://x.org")  # type: ignore[dict-item]


def test_the_secretariat_page_prints_new_badges_and_the_old_codes_stop_working(
    tmp_path: Path, site: Site, browser: Browser
) -> None:
    browser.login("delegate-1")
    assert browser.post("/secretariat/badges").status_code == 403  # the library decides
    browser.login("secretariat")
    assert "/secretariat/badges" in browser.get("/secretariat").text
    answer = browser.post("/secretariat/badges")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["cache-control"] == "no-store"
    pdf = tmp_path / "web-badges.pdf"
    pdf.write_bytes(answer.content)
    urls = decode_qr_codes(pdf)
    assert len(urls) == 9 and all(u.startswith("http://testserver.local/login#code=") for u in urls)
    for old in site.loaded.codes.values():
        with pytest.raises(NotAuthenticated):
            site.service.log_in(old)
    who = {site.service.log_in(code_of(url)).delegate.id for url in urls}
    assert who == {d.id for d in site.loaded.meeting.delegates}

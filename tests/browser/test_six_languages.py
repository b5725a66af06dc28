"""The interface in the six UN languages, in a real browser (issue 27): a delegate whose
browser speaks French sees the room and the text in French; a delegate whose phone speaks
Arabic sees a right-to-left page (mirrored header, diff and tally read right to left); Arabic
text stays right to left inside a French interface; axe-core is clean on every state.

The meeting is tests/browser/six_languages.toml. The README's docs/images/i27-arabic-phone.png
is a copy of ``arabic-phone-vote.png`` that a run leaves in
test-artifacts/browser/test_six_languages/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import HAVE_BROWSER, PHONE, Person, Room
from tests.conftest import skip_unless

if not HAVE_BROWSER:  # before the imports below, which need Playwright
    skip_unless(
        HAVE_BROWSER,
        "the browser tests need Playwright (pip install -e .[test]) and the system chromium "
        "package (.ci/run installs them)",
        module=True,
    )

from playwright.sync_api import Page, expect

from consensus_kit import open_service
from tests.browser.actions import ACT
from tests.browser.checks import axe, latin_in

pytestmark = pytest.mark.timeout(180)

MEETING = Path(__file__).with_name("six_languages.toml")
ART1_FR = "Tout enfant a droit à l'eau potable et à l'assainissement d'ici à 2030."
ART1_AR = "لكل طفل الحق في الحصول على مياه الشرب النظيفة وخدمات الصرف الصحي بحلول عام 2030."
ART1_EN_NEW = "Every child has the right to clean drinking water and to sanitation by 2028."
ART1_AR_NEW = ART1_AR.replace("2030", "2028")


def check(page: Page, state: str) -> None:
    """axe-core on the page as it is: no serious or critical finding."""
    found = axe(page, state)
    assert found == [], "\n".join(found)


def go(page: Page, selector: str) -> None:
    """Follow a link or press a button, as a person does, and wait for the next page."""
    with page.expect_navigation(timeout=ACT):
        page.locator(selector).first.click()


def log_in(room: Room, person: Person) -> None:
    person.page.fill("#code", room.code(person))
    go(person.page, "form[action='/login'] button")


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return found


def test_1_a_french_browser_gets_the_room_in_french(room: Room) -> None:
    aminata = room.enter("fr", "aminata", start="/", locale="fr-FR")
    page = aminata.page
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("form[action='/login'] button")).to_have_text("Se connecter")
    check(page, "login (fr)")
    log_in(room, aminata)
    expect(page.locator("header nav a[href='/declaration']")).to_have_text("Déclaration")
    expect(page.locator("header .org")).to_contain_text("Association des maires du Sahel")
    expect(page.locator("header .org")).to_contain_text("(Sénégal)")
    check(page, "home (fr)")
    go(page, "header nav a[href='/declaration']")
    expect(page.locator("#declaration-text tr#art-1 td[lang='fr'] .text")).to_have_text(ART1_FR)
    expect(page.locator("#declaration-text td[lang='en']")).to_have_count(0)
    check(page, "declaration (fr)")
    room.shot("french-declaration", "fr")


def test_2_arabic_text_reads_right_to_left_inside_the_french_interface(room: Room) -> None:
    page = room.people["fr"].page
    go(page, "nav.reading a[data-reading='fr+ar']")
    expect(page.locator("html")).not_to_have_attribute("dir", "rtl")
    arabic = page.locator("#declaration-text tr#art-1 td[lang='ar']")
    expect(arabic).to_have_attribute("dir", "rtl")
    assert arabic.evaluate("el => getComputedStyle(el).direction") == "rtl"
    french = page.locator("#declaration-text tr#art-1 td[lang='fr']")
    assert french.evaluate("el => getComputedStyle(el).direction") == "ltr"
    check(page, "declaration fr + ar")


def test_3_an_arabic_phone_gets_a_right_to_left_room(room: Room) -> None:
    layla = room.enter("ar", "layla", PHONE, start="/", locale="ar-EG")
    page = layla.page
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    check(page, "login (ar, phone)")
    log_in(room, layla)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("header nav a[href='/declaration']")).to_have_text("الإعلان")
    expect(page.locator("header .org")).to_contain_text("جمهورية مصر العربية")
    # mirrored: the navigation starts at the right edge and runs from right to left
    home = box(page, "header nav a[href='/']")
    declaration = box(page, "header nav a[href='/declaration']")
    assert home["x"] + home["width"] > PHONE["width"] - 24, home
    assert home["y"] == declaration["y"] and home["x"] > declaration["x"], (home, declaration)
    nav = box(page, "header nav")
    assert nav["x"] + nav["width"] > PHONE["width"] - 24, nav
    status = box(page, ".live-status")  # pinned to the end side: bottom left
    assert status["x"] < PHONE["width"] / 2, status
    assert latin_in(page, "ar") == []
    check(page, "home (ar, phone)")


def test_4_diff_and_tally_read_right_to_left_in_arabic(room: Room) -> None:
    service = open_service(room.server.db)
    try:
        mid = room.server.mid
        lucia = service.delegate(mid, "lucia")
        number = service.propose_amendment(
            lucia, mid, kind="replace", article="art-1",
            texts={"en": ART1_EN_NEW, "ar": ART1_AR_NEW}, rationale="2028",
        ).number  # fmt: skip
        service.open_vote(service.delegate(mid, "chair"), mid, amendment=number)
        service.cast_ballot(lucia, mid, 1, "yes", key="lucia")
    finally:
        service.store.close()
    page = room.people["ar"].page
    go(page, "header nav a[href='/votes']")
    go(page, "a[href='/votes/1']")
    diff = page.locator(".diff[lang='ar']").first
    expect(diff).to_have_attribute("dir", "rtl")
    expect(diff.locator("ins")).to_contain_text("2028")
    assert diff.evaluate("el => getComputedStyle(el).direction") == "rtl"
    # the tally: the labels at the right, the bar growing leftwards from them
    label = box(page, ".tally svg text")
    bar = box(page, ".tally svg rect.bar")
    track = box(page, ".tally svg rect.track")
    assert label["x"] > bar["x"] + bar["width"] - 1, (label, bar)
    assert bar["x"] + bar["width"] == pytest.approx(track["x"] + track["width"], abs=1)
    expect(page.locator(".tally svg text").first).to_have_text("نعم")
    assert latin_in(page, "ar") == []
    check(page, "vote (ar, phone)")
    page.evaluate("window.scrollTo(0, 0)")
    room.shot("arabic-phone-vote", "ar")
    # the Arabic phone only: the French page, idle on the declaration while the three events
    # above arrived within milliseconds, logs htmx's "sendAbort" when a newer event restarts a
    # live region's load (hx-sync="this:replace", by design)
    assert room.people["ar"].errors == []

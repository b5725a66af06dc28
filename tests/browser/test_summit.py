"""The whole summit in headless Chromium: a chair, the delegates of two organisations and the
secretariat, each in their own browser context, and a projector on the wall.

The steps run in order on one server and one database (``meeting.toml``); each is a test so
that a failure names its step. Live updates are awaited with Playwright's ``expect`` and a
deadline (2 s from the action that caused them), never with sleeps; the pages that must update
by themselves carry a marker that a reload would erase. The keyboard-only ballot (step 9 of
issue 11) runs before the freeze, since a frozen text takes no more votes.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESK, HAVE_BROWSER, Room
from tests.conftest import skip_unless
from tests.docx_text import cell_text, joined

if not HAVE_BROWSER:  # before the imports below, which need Playwright
    skip_unless(
        HAVE_BROWSER,
        "the browser tests need Playwright (pip install -e .[test]) and the system chromium "
        "package (.ci/run installs them)",
        module=True,
    )

import docx
from playwright.sync_api import expect

from tests.browser.actions import (
    ACT,
    LIVE,
    Deadline,
    assert_not_reloaded,
    cast,
    collage,
    confirm,
    log_in,
    mark_unreloaded,
    narrow_shot,
    open_vote,
    propose,
    put_on_floor,
    select_words,
    submit,
)

pytestmark = pytest.mark.timeout(120)

ART1 = (
    "Caring for and protecting children should be a primary concern of the international community."
)
ART1_ZH = "关爱和保护儿童应当成为国际社会关注的首要议题。"
ART2 = "Governments, families and civil society share the duty to give every child a safe place to learn and grow."
FIRST_TRY = "Caring for and protecting children must be the first concern of the international community and of every government."
REVISED = "Caring for and protecting children must be a primary concern of the international community and of every government."
REVISED_ZH = "关爱和保护儿童应当成为国际社会和各国政府关注的首要议题。"
ART2_NEW = "Governments, families and civil society share the duty to give every child a safe place to learn, play and grow."
ART2_NEW_ZH = "政府、家庭和社会组织共同承担责任，让每个儿童都有安全的学习、游戏和成长环境。"
ART2_SCHOOLS = ART2_NEW.replace("families and civil", "families, schools and civil")
ART2_PEACE = ART2_NEW.replace("learn, play and grow.", "learn, play and grow in peace.")
ART2_NO_FAMILIES = ART2_NEW.replace("Governments, families and", "Governments and")
QUOTE = "primary concern"
ORG_A = "Kilimani Children's Network"
ORG_B = "Steppe Child Rights Centre"


# -- the scenario -------------------------------------------------------------------------------


def test_1_everyone_logs_in_with_an_access_code_and_a_wrong_code_is_refused(room: Room) -> None:
    chair = room.enter("chair", "chair")
    chair.page.fill("#code", "WRONG-CODE-0000")
    chair.page.click("form[action='/login'] button")
    expect(chair.page.locator("#err-code")).to_contain_text(
        "This access code is not known", timeout=ACT
    )
    expect(chair.page.locator("#code")).to_have_attribute("aria-invalid", "true")
    assert "/login" in chair.page.url
    room.shot("01-wrong-code", "chair")
    chair.errors.clear()  # the refused login is answered with 401, which Chromium logs
    log_in(room, chair)
    for name, delegate in (("a", "amani"), ("b", "bolor"), ("secretariat", "secretariat")):
        log_in(room, room.enter(name, delegate))
    expect(room.people["a"].page.locator("header .who")).to_contain_text(ORG_A)
    expect(room.people["b"].page.locator("header .who")).to_contain_text(ORG_B)
    expect(chair.page.locator("header .who")).to_contain_text("Chair Wang Li")
    expect(room.people["secretariat"].page.locator("header nav")).to_contain_text("Secretariat")
    projector = room.open_projector(chair)
    expect(projector.locator("#projector-body h1")).to_contain_text("Nairobi Consensus")
    room.shot("01-logged-in", "a", "projector")


def test_2_an_english_amendment_reaches_b_and_the_projector_live_with_its_diff(
    room: Room,
) -> None:
    chair, a, b = room.people["chair"], room.people["a"], room.people["b"]
    assert room.projector is not None
    put_on_floor(room, chair, "/articles/art-1")
    expect(room.projector.locator("#projector-body")).to_contain_text(ART1, timeout=LIVE * 1000)
    b.page.goto(room.url("/articles/art-1"))
    expect(b.page.locator("#article-live")).to_contain_text("No open amendment")
    mark_unreloaded(b.page)
    mark_unreloaded(room.projector)
    number = propose(room, a, "art-1", {"en": FIRST_TRY}, "Every government must act too.")
    left = Deadline()
    card = b.page.locator("#article-live article.card", has_text=f"Amendment {number}")
    expect(card).to_be_visible(timeout=left())
    expect(card.locator(".diff[lang='en'] ins").first).to_be_visible(timeout=left())
    shown = room.projector.locator(f"#projector-amendment-{number}")
    expect(shown.locator("ins").first).to_be_visible(timeout=left())
    for page in (card, shown):
        expect(page.locator("ins", has_text="must")).to_have_count(1)
        expect(page.locator("del", has_text="should")).to_have_count(1)
        expect(page).to_contain_text("translation pending")
    assert_not_reloaded(b.page)
    assert_not_reloaded(room.projector)
    room.shot("02-live-amendment", "a", "b", "projector")
    panes = [
        (
            "Bolormaa Dorj’s laptop (Mongolia), no reload",
            narrow_shot(b.page, room.shots / "02-b-narrow.png"),
        ),
        ("The projector", room.shots / "02-live-amendment-projector.png"),
    ]
    collage(room, room.shots / "e2e-live-amendment.png", panes)


def test_3_a_comment_quoting_a_span_reaches_a_live(room: Room) -> None:
    a, b = room.people["a"], room.people["b"]
    a.page.goto(room.url("/articles/art-1"))
    mark_unreloaded(a.page)
    select_words(b.page, ".article-text[data-lang='en']", QUOTE)
    expect(b.page.locator("input[name='quote']")).to_have_value(QUOTE)
    expect(b.page.locator("select[name='quote_lang']")).to_have_value("en")
    body = "Keep “primary”: “the first” ranks the concerns of the community."
    b.page.fill("#comment-form textarea[name='body']", body)
    b.page.click("#comment-form > button")
    b.page.wait_for_url("**/articles/art-1*", timeout=ACT)
    left = Deadline()
    comment = a.page.locator("#article-live .comment", has_text="ranks the concerns")
    expect(comment).to_be_visible(timeout=left())
    expect(comment.locator("blockquote")).to_have_text(f"“{QUOTE}”", timeout=left())
    expect(comment.locator(".by")).to_contain_text("Bolormaa Dorj")
    assert_not_reloaded(a.page)
    room.shot("03-quoted-comment", "a", "b")


def test_4_a_consensus_vote_fails_on_bs_objection_and_the_tally_moves_live(room: Room) -> None:
    chair, a, b = room.people["chair"], room.people["a"], room.people["b"]
    projector = room.projector
    assert projector is not None
    put_on_floor(room, chair, "/amendments/1")
    expect(projector.locator("#projector-body h1")).to_contain_text("Amendment 1", timeout=3000)
    vote = open_vote(room, chair, 1, "consensus")
    expect(projector.locator("#projector-body")).to_contain_text(
        "0 of 3 ballots cast", timeout=LIVE * 1000
    )
    mark_unreloaded(projector)
    a.page.click("header nav a[href='/']")
    a.page.click(f"#home-status a[href='/votes/{vote}']")
    cast(room, a, vote, "yes")
    expect(projector.locator("#projector-body")).to_contain_text(
        "1 of 3 ballots cast", timeout=LIVE * 1000
    )
    cast(room, b, vote, "object")
    expect(projector.locator("#projector-body")).to_contain_text(
        "2 of 3 ballots cast", timeout=LIVE * 1000
    )
    room.shot("04-tally", "b", "projector")
    mark_unreloaded(a.page)
    mark_unreloaded(b.page)
    confirm(chair.page, "#confirm-close")
    left = Deadline()
    for page in (a.page, b.page):
        expect(page.locator("#vote-panel .badge").first).to_have_text("rejected", timeout=left())
        expect(page.locator("#vote-panel")).to_contain_text("formal objection by org-b")
        assert_not_reloaded(page)
    expect(projector.locator("#projector-body h1 .badge")).to_have_text("rejected", timeout=left())
    assert_not_reloaded(projector)
    who = chair.page.locator("#vote-panel details li", has_text=ORG_B)
    expect(who).to_contain_text("object")
    recorded = room.server.api("chair", "GET", f"/votes/{vote}").json()
    assert recorded["vote"]["result"]["objectors"] == ["org-b"]
    assert {(x["organisation"], x["choice"]) for x in recorded["ballots"]} == {
        ("org-a", "yes"),
        ("org-b", "object"),
    }
    chair.page.goto(room.url("/amendments/1"))
    expect(chair.page.locator("#amendment-live h1 .badge")).to_have_text("rejected")
    room.shot("04-closed", "a", "chair", "projector")


def test_5_a_revised_amendment_passes_and_the_stale_chinese_is_brought_in_step(
    room: Room,
) -> None:
    chair, a, b, desk = (room.people[n] for n in ("chair", "a", "b", "secretariat"))
    projector = room.projector
    assert projector is not None
    number = propose(room, a, "art-1", {"en": REVISED}, "Keeps “primary”, as Mongolia asked.")
    put_on_floor(room, chair, f"/amendments/{number}")
    vote = open_vote(room, chair, number, "simple_majority")
    cast(room, a, vote, "yes")
    cast(room, b, vote, "yes")
    answer = room.server.api(
        "csilla", "POST", f"/votes/{vote}/ballots", {"choice": "no", "key": "c"}
    )
    assert answer.status_code == 200, answer.text
    a.page.goto(room.url("/declaration?lang=en&other=zh"))
    b.page.goto(room.url("/articles/art-1"))
    for page in (a.page, b.page, projector):
        mark_unreloaded(page)
    confirm(chair.page, "#confirm-close")
    expect(chair.page.locator("#vote-panel")).to_contain_text("2 yes against 1 no", timeout=ACT)
    left = Deadline()
    row = a.page.locator("#declaration-text tr#art-1")
    expect(row.locator("td[lang='en'] .text")).to_have_text(REVISED, timeout=left())
    expect(row.locator("td[lang='zh'] .badge")).to_have_text("stale translation", timeout=left())
    article = b.page.locator("#article-live")
    expect(article.locator(".article-text[data-lang='en']")).to_have_text(REVISED, timeout=left())
    expect(article.locator("section[lang='zh'] h2 .badge")).to_have_text("stale translation")
    expect(projector.locator("#projector-body h1 .badge")).to_have_text("adopted", timeout=left())
    put_on_floor(room, chair, "/articles/art-1")
    expect(projector.locator("#projector-body section[lang='en']")).to_have_text(
        REVISED, timeout=LIVE * 1000
    )
    for page in (a.page, b.page, projector):
        assert_not_reloaded(page)
    room.shot("05-adopted-stale", "a", "b", "projector")
    desk.page.goto(room.url("/secretariat"))
    editor = desk.page.locator("textarea[name='t:art-1:zh']")
    expect(editor).to_have_value(ART1_ZH)
    editor.fill(REVISED_ZH)
    desk.page.fill("input[name='note']", "Article 1 in Chinese follows the adopted English.")
    desk.page.locator("form[action='/secretariat/translations'] > button").click()
    expect(desk.page.locator(".flash")).to_contain_text("translations are in step", timeout=ACT)
    left = Deadline()
    expect(row.locator("td[lang='zh'] .text")).to_have_text(REVISED_ZH, timeout=left())
    expect(row.locator(".badge")).to_have_count(0, timeout=left())
    expect(article.locator(".badge", has_text="stale translation")).to_have_count(0, timeout=left())
    expect(article.locator(".article-text[data-lang='zh']")).to_have_text(REVISED_ZH)
    expect(projector.locator("#projector-body section[lang='zh']")).to_have_text(
        REVISED_ZH, timeout=left()
    )
    for page in (a.page, b.page, projector):
        assert_not_reloaded(page)
    room.shot("05-in-step", "a", "b", "secretariat")


def test_9_a_ballot_is_cast_with_tab_and_enter_only(room: Room) -> None:
    chair, a, b = room.people["chair"], room.people["a"], room.people["b"]
    texts = {"en": ART2_NEW, "zh": ART2_NEW_ZH}
    number = propose(room, a, "art-2", texts, "Play belongs with learning.")
    vote = open_vote(room, chair, number, "simple_majority")
    page = b.page
    page.goto(room.url(f"/votes/{vote}"))
    target = "button[name='choice'][value='yes']"
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({target!r})"):
            break
    else:
        pytest.fail("Tab never reached the ballot's yes button")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused ballot button shows no focus ring"
    mark_unreloaded(page)
    answer = room.server.api(
        "csilla", "POST", f"/votes/{vote}/ballots", {"choice": "no", "key": "k"}
    )
    assert answer.status_code == 200, answer.text
    expect(page.locator("#vote-panel")).to_contain_text("1 of 3 ballots cast", timeout=LIVE * 1000)
    assert_not_reloaded(page)
    assert page.evaluate(f"document.activeElement.matches({target!r})"), (
        "the live refresh took the focus"
    )
    room.shot("09-keyboard-focus", "b")
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_contain_text("ballot was recorded", timeout=ACT)
    expect(page.locator("#vote-panel")).to_contain_text("Your organisation voted: yes")
    expect(page.locator("#vote-panel .receipt")).to_be_visible()
    recorded = room.server.api("chair", "GET", f"/votes/{vote}").json()
    assert {(x["organisation"], x["choice"]) for x in recorded["ballots"]} == {
        ("org-b", "yes"),
        ("org-c", "no"),
    }
    room.shot("09-keyboard-ballot", "b")
    cast(room, a, vote, "yes")
    # the chair's page takes the three ballots live before the chair closes
    expect(chair.page.locator("#chair-vote #forecast")).to_be_attached()
    expect(chair.page.locator("#vote-panel .tally-counts")).to_contain_text(
        "3 of 3 ballots cast", timeout=LIVE * 1000
    )
    confirm(chair.page, "#confirm-close")
    expect(chair.page.locator("#vote-panel .badge").first).to_have_text("adopted")


def test_10_three_amendments_are_merged_into_a_compromise_text_that_is_rejected(
    room: Room,
) -> None:
    """Issue 22: the secretariat merges A's and B's amendments (applied) and C's (a conflict
    with A's, resolved by a person) into a compromise text; rejected, all three reopen."""
    chair, a, b, desk = (room.people[n] for n in ("chair", "a", "b", "secretariat"))
    projector = room.projector
    assert projector is not None
    first = propose(room, a, "art-2", {"en": ART2_SCHOOLS}, "Schools share the duty.")
    second = propose(room, b, "art-2", {"en": ART2_PEACE}, "Growing up needs peace.")
    answer = room.server.api(
        "csilla",
        "POST",
        "/amendments",
        {"kind": "replace", "article": "art-2", "texts": {"en": ART2_NO_FAMILIES}},
    )
    assert answer.status_code == 201, answer.text
    third = answer.json()["number"]
    a.page.goto(room.url(f"/amendments/{first}"))
    mark_unreloaded(a.page)
    page = desk.page
    page.goto(room.url("/amendments"))
    page.click("#merge-link")
    for number in (first, second, third):
        page.check(f"#merge-pick input[name='n'][value='{number}']")
    submit(page, "#merge-pick button")
    merged = ART2_SCHOOLS.replace("learn, play and grow.", "learn, play and grow in peace.")
    expect(page.locator("#merge-en .badge.ok")).to_contain_text(f"Amendment {second}")
    expect(page.locator("textarea[name='texts.en']")).to_have_value(merged)
    conflict = page.locator(f"#conflict-{third}-en")
    expect(conflict).to_contain_text(f"changes the same words as amendment {first}")
    expect(conflict.locator("q")).to_have_text(ART2_NO_FAMILIES)
    for number in (first, second, third):
        expect(
            page.locator(
                f"#merge-amendment-{number} .diff ins, #merge-amendment-{number} .diff del"
            ).first
        ).to_be_visible()
    page.locator(f"#conflict-{third}-en").scroll_into_view_if_needed()
    room.shot("10-merge-view", "secretariat")
    page.set_viewport_size({"width": 1200, "height": 1640})  # the whole view, for the README
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(room.shots / "10-merge-view-tall.png"))
    page.set_viewport_size(DESK)
    # a person must say the conflict was resolved: without it, nothing is put to the floor
    submit(page, "#merge-submit")
    expect(page.locator("#merge-error")).to_contain_text("resolve each conflict first")
    assert len(desk.errors) == 1 and "422" in desk.errors[0]  # the refusal, logged by Chromium
    desk.errors.clear()
    page.check(f"#conflict-{third}-en input[name='resolved']")
    submit(page, "#merge-submit")
    compromise = int(page.url.rsplit("/", 1)[1])
    expect(page.locator("#compromise-of")).to_contain_text(f"Amendment {third}")
    held = a.page.locator("#merged-into")
    expect(held).to_contain_text(f"Held in compromise text {compromise}", timeout=LIVE * 1000)
    assert_not_reloaded(a.page)
    put_on_floor(room, chair, f"/amendments/{compromise}")
    expect(projector.locator("#projector-body h1")).to_contain_text(
        f"Amendment {compromise}", timeout=LIVE * 1000
    )
    expect(projector.locator("#projector-body ins").first).to_be_visible()
    chair.page.goto(room.url(f"/amendments/{compromise}"))
    submit(chair.page, f"form[action='/amendments/{compromise}/reject'] button.danger")
    expect(a.page.locator("#amendment-live h1 .badge")).to_have_text(
        "submitted", timeout=LIVE * 1000
    )
    expect(a.page.locator("#merged-into")).to_have_count(0)
    for number in (first, second, third):
        shown = room.server.api("chair", "GET", f"/amendments/{number}").json()["amendment"]
        assert shown["status"] == "submitted" and shown["merged_into"] is None


def test_11_three_organisations_ask_for_the_floor_and_the_projector_shows_the_list(
    room: Room,
) -> None:
    """Issue 22: the speakers' list of the item on the floor, live on every page and on the
    projector: the current speaker, the timer and the next three."""
    chair, a, b = room.people["chair"], room.people["a"], room.people["b"]
    projector = room.projector
    assert projector is not None
    put_on_floor(room, chair, "/articles/art-2")
    mark_unreloaded(projector)
    for person in (a, b):
        person.page.goto(room.url("/declaration"))
        submit(person.page, "#request-floor")
        expect(person.page.locator("#speakers-strip")).to_contain_text(
            "Your organisation is number"
        )
    answer = room.server.api("csilla", "POST", "/speakers/request")
    assert answer.status_code == 200, answer.text
    refused = room.server.api("csilla", "POST", "/speakers/request")
    assert refused.status_code == 409  # one request per organisation
    aside = projector.locator("#projector-speakers")
    expect(aside.locator(".speakers-next li")).to_have_text(
        [ORG_A, ORG_B, "Danube Youth Shelter"], timeout=LIVE * 1000
    )
    mark_unreloaded(b.page)
    chair.page.goto(room.url("/speakers"))
    submit(chair.page, "#next-speaker button")
    left = Deadline()
    expect(aside.locator(".speaker-name")).to_have_text(ORG_A, timeout=left())
    expect(aside.locator(".speaker-timer time.countdown")).to_be_visible(timeout=left())
    expect(aside.locator(".speakers-next li")).to_have_text([ORG_B, "Danube Youth Shelter"])
    expect(b.page.locator("#speakers-strip")).to_contain_text(f"Speaking: {ORG_A}", timeout=left())
    assert_not_reloaded(b.page)
    assert_not_reloaded(projector)
    room.shot("11-speakers", "projector", "b")
    submit(chair.page, "#end-turn")
    submit(chair.page, "#close-list")
    expect(b.page.locator("#speakers-strip")).to_contain_text("list closed", timeout=LIVE * 1000)
    types = [
        e["body"]["type"]
        for e in room.server.api("chair", "GET", "/events?after=0&limit=1000").json()
    ]
    for kind in ("speaker_requested", "floor_given", "turn_ended", "speakers_list_closed"):
        assert kind in types


def test_6_the_chair_freezes_and_the_wall_fills_as_a_and_b_sign(room: Room) -> None:
    chair, a, b = room.people["chair"], room.people["a"], room.people["b"]
    projector = room.projector
    assert projector is not None
    chair.page.goto(room.url("/signing"))
    chair.page.locator("#confirm-freeze summary").click()
    freeze = chair.page.locator("form[action$='/freeze'] button")
    expect(freeze).to_contain_text("Freeze version 4")
    with chair.page.expect_navigation(timeout=ACT):
        freeze.click()
    submit(chair.page, ".chair-box form[action='/agenda'] button")
    wall = projector.locator("#wall")
    expect(wall.locator("h2 .badge")).to_have_text("0 / 3", timeout=LIVE * 1000)
    b.page.goto(room.url("/signing"))
    for page in (chair.page, b.page, projector):
        mark_unreloaded(page)
    a.page.goto(room.url("/signing"))
    submit(a.page, "form[action$='/endorse'] button")
    expect(a.page.locator("#signing-panel .badge.ok")).to_contain_text("Amani Wanjiru")
    left = Deadline()
    expect(wall.locator("h2 .badge")).to_have_text("1 / 3", timeout=left())
    expect(b.page.locator("#wall li:not(.pending)", has_text=ORG_A)).to_be_visible(timeout=left())
    room.shot("06-one-signature", "b", "projector")
    submit(b.page, "form[action$='/endorse'] button")
    left = Deadline()
    expect(wall.locator("h2 .badge")).to_have_text("2 / 3", timeout=left())
    for page in (projector, chair.page):
        signed = page.locator("#wall li:not(.pending)")
        expect(signed).to_have_count(2, timeout=left())
        expect(signed.filter(has_text=ORG_B)).to_contain_text("Bolormaa Dorj")
        expect(page.locator("#wall li.pending")).to_contain_text("Danube Youth Shelter")
    for page in (chair.page, projector):
        assert_not_reloaded(page)
    room.shot("06-wall", "chair", "projector")


def test_7_the_secretariat_downloads_the_bilingual_docx(room: Room) -> None:
    desk = room.people["secretariat"]
    desk.page.goto(room.url("/secretariat"))
    with desk.page.expect_download(timeout=ACT) as info:
        desk.page.click("a[href^='/exports/bilingual-docx']")
    download = info.value
    assert download.suggested_filename == "browser-summit-v4.en-zh.docx"
    saved = room.shots / download.suggested_filename
    download.save_as(saved)
    document = docx.Document(str(saved))
    lines = [text for _, text in joined(document.paragraphs)]  # numbered lines joined back
    for table in document.tables:
        lines += [cell_text(cell) for row in table.rows for cell in row.cells]
    text = "\n".join(lines)
    for expected in (REVISED, REVISED_ZH, ART2_NEW, ART2_NEW_ZH, "Nairobi Consensus on Child Advocacy",
                     "内罗毕儿童权益倡导共识", "Amani Wanjiru", "Bolormaa Dorj", ORG_A, ORG_B):  # fmt: skip
        assert expected in text, expected
    for gone in (ART1, ART2, FIRST_TRY, "Csilla Varga"):
        assert gone not in text, gone


def test_8_the_key_pages_render_in_the_chinese_interface(room: Room) -> None:
    chair, a = room.people["chair"], room.people["a"]
    projector = room.projector
    assert projector is not None
    for person in (chair, a):
        person.page.goto(room.url("/"))
        submit(person.page, "form.ui-lang button[value='zh']")
        expect(person.page.locator("html")).to_have_attribute("lang", "zh-Hans")
        nav = person.page.locator("header nav")
        for label in ("首页", "宣言文本", "修正案", "表决", "签署"):
            expect(nav).to_contain_text(label)
    room.shot("08-zh-home", "chair", "a")
    a.page.goto(room.url("/declaration?other=en"))
    row = a.page.locator("#declaration-text tr#art-1")
    expect(row.locator("td[lang='zh'] .art-no")).to_have_text("第1条")
    expect(row.locator("td[lang='zh'] .text")).to_have_text(REVISED_ZH)
    expect(row.locator("td[lang='en'] .text")).to_have_text(REVISED)
    expect(a.page.locator("#declaration-text thead")).to_contain_text("中文")
    room.shot("08-zh-declaration", "a")
    a.page.goto(room.url("/articles/art-1"))
    expect(a.page.locator("h1")).to_contain_text("第1条")
    expect(a.page.locator("#article-live")).to_contain_text("此条款没有待议的修正案。")
    chair.page.goto(room.url("/votes/1"))
    expect(chair.page.locator("#vote-panel")).to_contain_text("结果")
    expect(chair.page.locator("#vote-panel .badge").first).to_have_text("已否决")
    expect(chair.page.locator(".tally h2")).to_contain_text("计票")
    room.shot("08-zh-vote", "chair")
    chair.page.goto(room.url("/signing"))
    expect(chair.page.locator("#wall h2")).to_contain_text("签署")
    expect(chair.page.locator("#wall li.pending")).to_contain_text("尚未签署")
    projector.reload()
    expect(projector.locator("#projector-body h1")).to_have_text("最终文本（第4版）开放签署")
    expect(projector.locator("#wall li:not(.pending)").first).to_contain_text("基利马尼儿童网络")
    room.shot("08-zh-signing", "chair", "projector")
    a.page.goto(room.url("/declaration?other=en"))
    panes = [
        (
            "主席：签署 · the chair: signing",
            narrow_shot(chair.page, room.shots / "08-zh-chair-narrow.png"),
        ),
        (
            "代表：中英对照 · a delegate: both texts",
            narrow_shot(a.page, room.shots / "08-zh-a-narrow.png"),
        ),
    ]
    collage(room, room.shots / "e2e-signing-zh.png", panes, "1fr 1fr")


def test_no_page_logged_an_error(room: Room) -> None:
    aborts = sum(p.aborts for p in room.people.values())
    print(f"live-region loads cancelled by a newer change: {aborts}")
    assert room.errors() == {}

"""Pages: home, declaration, compare, article, amendments, comments, for each role."""

from __future__ import annotations

import pytest

from consensus_kit import CONSOLE
from consensus_kit.domain.amendments import _diff
from tests.builders import UNICODE_CORPUS
from tests.web.conftest import Browser, Site

ROLES = ["delegate-1", "signatory-1", "observer", "chair", "secretariat"]


def propose(site: Site, who: str = "delegate-1", text: str = "Article 1 changed (en)") -> int:
    actor = site.delegate(who)
    return site.service.propose_amendment(
        actor, site.mid, kind="replace", article="art-1", texts={"en": text}
    ).number


@pytest.mark.parametrize("who", ROLES)
def test_every_role_sees_home_declaration_and_article(browser: Browser, who: str) -> None:
    browser.login(who)
    home = browser.get("/")
    assert home.status_code == 200
    assert "Test summit (en)" in home.text and "Nairobi (en)" in home.text
    assert "Nothing is on the floor." in home.text
    declaration = browser.get("/declaration")
    assert declaration.status_code == 200 and "Article 1 (en)" in declaration.text
    assert browser.get("/articles/art-2").status_code == 200
    assert browser.get("/amendments").status_code == 200


def test_the_nav_shows_the_secretariat_page_only_to_the_secretariat(browser: Browser) -> None:
    browser.login("delegate-1")
    assert 'href="/secretariat"' not in browser.get("/").text
    browser.login("secretariat")
    assert 'href="/secretariat"' in browser.get("/").text


def test_the_declaration_in_another_language_and_side_by_side(browser: Browser) -> None:
    browser.login("delegate-1")
    zh = browser.get("/declaration?lang=zh").text
    assert "Article 1 (zh)" in zh and "Article 1 (en)" not in zh
    both = browser.get("/declaration?lang=en&other=zh").text
    assert "side-by-side" in both
    assert (
        both.index("Article 1 (en)") < both.index("Article 1 (zh)") < both.index("Article 2 (en)")
    )


def test_an_unknown_language_is_a_clear_422(browser: Browser) -> None:
    browser.login("delegate-1")
    answer = browser.get("/declaration?lang=fr")
    assert answer.status_code == 422 and "not one of the meeting" in answer.text


def test_versions_can_be_picked_and_compared_with_an_inline_diff(
    browser: Browser, site: Site
) -> None:
    number = propose(site)
    site.service.adopt_amendment(site.delegate("chair"), site.mid, number)
    browser.login("observer")
    old = browser.get("/declaration?v=1").text
    assert "A newer version exists: 2" in old and "Article 1 (en)" in old
    diff = browser.get("/declaration/compare?old=1&new=2&lang=en").text
    assert "<ins> changed</ins>" in diff
    assert browser.get("/declaration/compare?old=1&new=2&lang=zh").status_code == 200


def test_a_versions_note_from_the_library_is_shown_in_the_interface_language(
    browser: Browser, site: Site
) -> None:
    number = propose(site)
    site.service.adopt_amendment(site.delegate("chair"), site.mid, number)
    browser.login("observer")
    assert f"amendment {number} adopted" in browser.get("/declaration").text
    chinese = browser.get("/declaration", headers={"Accept-Language": "zh-CN"}).text
    assert f"第{number}号修正案获通过" in chinese
    assert f"amendment {number} adopted" not in chinese


def test_a_stale_translation_is_marked(browser: Browser, site: Site) -> None:
    site.service.adopt_amendment(site.delegate("chair"), site.mid, propose(site))
    browser.login("delegate-2")
    page = browser.get("/declaration?lang=zh").text
    assert "stale translation" in page


def test_the_article_page_shows_open_amendments_with_diffs_and_comments(
    browser: Browser, site: Site
) -> None:
    propose(site)
    site.service.post_comment(
        site.delegate("observer"), site.mid, target="article", target_id="art-1", body="We agree."
    )
    browser.login("delegate-2")
    page = browser.get("/articles/art-1").text
    assert "Amendment 1" in page and "<ins> changed</ins>" in page
    assert "We agree." in page and "UNICEF representative" in page
    assert browser.get("/articles/art-9").status_code == 404


def test_the_home_page_counts_open_amendments_without_computing_a_diff(
    browser: Browser, site: Site
) -> None:
    # every amendment diff the library computes goes through _diff (kept per process): its
    # counters show whether a page asked for one; the home page shows a count, not the words
    propose(site)
    propose(site, text="Another change (en)")
    browser.login("delegate-2")
    _diff.cache_clear()
    home = browser.get("/").text
    status = browser.get("/?part=status").text
    assert "2 amendments in play" in home and "2 amendments in play" in status
    asked = _diff.cache_info()
    assert asked.hits + asked.misses == 0, asked
    # the article page shows both diffs, read where they were stored at proposal
    assert "<ins> changed</ins>" in browser.get("/articles/art-1").text
    assert _diff.cache_info().misses == 0


def test_a_delegate_proposes_an_amendment_through_the_form(browser: Browser, site: Site) -> None:
    browser.login("delegate-1")
    form = browser.get("/amendments/new?kind=replace&article=art-2")
    assert form.status_code == 200 and "Article 2 (en)</textarea>" in form.text
    answer = browser.post(
        "/amendments",
        {
            "kind": "replace",
            "article": "art-2",
            "texts.en": "Article 2 revised (en)",
            "texts.zh": "",
            "rationale": "Clearer.",
        },
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/amendments/1"
    page = browser.get("/amendments/1").text
    assert "<ins> revised</ins>" in page and "Organisation 1 (en)" in page
    assert "translation pending" in page
    assert "Your amendment was recorded." in page


def test_a_refused_proposal_names_the_field(browser: Browser, site: Site) -> None:
    browser.login("delegate-1")
    answer = browser.post(
        "/amendments", {"kind": "replace", "article": "art-2", "texts.en": "", "texts.zh": ""}
    )
    assert answer.status_code == 422
    assert "give the proposed text in at least one language" in answer.text
    assert site.service.amendments(CONSOLE, site.mid) == []


def test_the_form_asks_per_language_and_a_confirmed_language_stays_in_step(
    browser: Browser, site: Site
) -> None:
    browser.login("delegate-1")
    form = browser.get("/amendments/new?kind=replace&article=art-2").text
    assert 'name="intent.zh"' in form and 'name="intent.en"' not in form
    wrong = browser.post(
        "/amendments",
        {
            "kind": "replace",
            "article": "art-2",
            "texts.en": "Article 2 revised (en)",
            "texts.zh": "Article 2 (zh)",
            "intent.zh": "changed",
        },
    )
    assert wrong.status_code == 422 and "marked changed" in wrong.text
    answer = browser.post(
        "/amendments",
        {
            "kind": "replace",
            "article": "art-2",
            "texts.en": "Article 2 revised (en)",
            "texts.zh": "Article 2 (zh)",
            "intent.zh": "confirmed",
        },
    )
    assert answer.status_code == 303
    site.service.adopt_amendment(site.delegate("chair"), site.mid, 1)
    assert site.service.stale_translations(CONSOLE, site.mid) == []


def test_an_observer_cannot_propose_and_nothing_is_stored(browser: Browser, site: Site) -> None:
    browser.login("observer")
    assert 'href="/amendments/new' not in browser.get("/articles/art-1").text
    answer = browser.post(
        "/amendments", {"kind": "replace", "article": "art-1", "texts.en": "Observer words"}
    )
    assert answer.status_code == 403 and "needs the role" in answer.text
    assert site.service.amendments(CONSOLE, site.mid) == []


def test_the_live_preview_is_the_librarys_diff(browser: Browser) -> None:
    browser.login("delegate-1")
    answer = browser.htmx(
        "/amendments/preview",
        {
            "kind": "replace",
            "article": "art-1",
            "texts.en": "Article 1 now (en)",
            "texts.zh": "第一条 (zh)",
        },
    )
    assert answer.status_code == 200
    assert "<ins>now</ins>" in answer.text or "<ins> now</ins>" in answer.text
    assert "<del>Article 1</del>" in answer.text or "<del>" in answer.text


def test_the_preview_shows_what_the_sponsor_says_per_language(browser: Browser) -> None:
    browser.login("delegate-1")
    form = {"kind": "replace", "article": "art-1", "texts.en": "Article 1 now (en)"}
    default = browser.htmx("/amendments/preview", form).text
    assert "leave to the secretariat" in default and "checked — still match" not in default
    checked = browser.htmx("/amendments/preview", {**form, "intent.zh": "confirmed"}).text
    assert "checked — still match" in checked and "leave to the secretariat" not in checked


def test_text_with_markup_is_escaped_everywhere(browser: Browser, site: Site) -> None:
    propose(site, text=UNICODE_CORPUS["markup"])
    browser.login("delegate-2")
    for path in ("/amendments/1", "/articles/art-1"):
        page = browser.get(path).text
        assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_the_sponsor_revises_and_the_secretariat_adds_a_translation(
    browser: Browser, site: Site
) -> None:
    propose(site)
    browser.login("delegate-1")
    answer = browser.post(
        "/amendments/1/edit", {"texts.en": "Article 1 changed twice (en)", "rationale": "Why"}
    )
    assert answer.status_code == 303
    browser.login("secretariat")
    assert "Add the missing translation" in browser.get("/amendments/1").text
    answer = browser.post("/amendments/1/edit", {"texts.zh": "第一条已修改"})
    assert answer.status_code == 303
    view = site.service.amendment(CONSOLE, site.mid, 1)
    assert view.amendment.texts == {"en": "Article 1 changed twice (en)", "zh": "第一条已修改"}


def test_another_organisation_cannot_revise_but_can_cosponsor(browser: Browser, site: Site) -> None:
    propose(site)
    browser.login("delegate-2")
    page = browser.get("/amendments/1").text
    assert "Co-sponsor" in page and "/amendments/1/edit" not in page
    assert browser.post("/amendments/1/edit", {"texts.en": "Hijack"}).status_code == 403
    assert browser.post("/amendments/1/cosponsor").status_code == 303
    assert site.service.amendment(CONSOLE, site.mid, 1).amendment.cosponsors == ("org-2",)


def test_only_the_chair_adopts_or_rejects(browser: Browser, site: Site) -> None:
    propose(site)
    browser.login("delegate-1")
    assert "/amendments/1/adopt" not in browser.get("/amendments/1").text
    assert browser.post("/amendments/1/adopt").status_code == 403
    browser.login("chair")
    assert browser.post("/amendments/1/adopt").status_code == 303
    assert site.service.version(CONSOLE, site.mid).number == 2
    propose(site, text="Another change (en)")
    assert browser.post("/amendments/2/reject", {"reason": "no"}).status_code == 303


def test_the_chair_sets_aside_a_stuck_amendment_from_its_page(browser: Browser, site: Site) -> None:
    propose(site)
    stuck = propose(site, who="delegate-2", text="Competing change (en)")
    site.service.adopt_amendment(site.delegate("chair"), site.mid, 1)
    browser.login("chair")
    page = browser.get(f"/amendments/{stuck}").text
    assert f'formaction="/amendments/{stuck}/set-aside"' in page  # a button on the page
    refused = browser.post(f"/amendments/{stuck}/set-aside", {"reason": ""})
    assert refused.status_code in (303, 422)
    assert site.service.amendment(CONSOLE, site.mid, stuck).amendment.status.value == (
        "needs_update"
    )
    assert (
        browser.post(f"/amendments/{stuck}/set-aside", {"reason": "overtaken"}).status_code == 303
    )
    assert site.service.amendment(CONSOLE, site.mid, stuck).amendment.status.value == "set_aside"
    assert "set aside" in browser.get(f"/amendments/{stuck}").text


def test_the_sponsor_withdraws(browser: Browser, site: Site) -> None:
    propose(site)
    browser.login("delegate-1")
    assert browser.post("/amendments/1/withdraw").status_code == 303
    assert site.service.amendment(CONSOLE, site.mid, 1).amendment.status.value == "withdrawn"


def test_comments_reply_and_quote(browser: Browser, site: Site) -> None:
    browser.login("observer")
    answer = browser.post(
        "/comments",
        {
            "target": "article",
            "target_id": "art-1",
            "body": "Which article?",
            "quote": "Article 1",
            "quote_lang": "en",
        },
    )
    assert answer.status_code == 303
    browser.login("delegate-1")
    answer = browser.post(
        "/comments", {"target": "article", "target_id": "art-1", "body": "This one.", "parent": "1"}
    )
    assert answer.status_code == 303
    page = browser.get("/articles/art-1").text
    assert "“Article 1”" in page and "This one." in page
    views = site.service.comments(CONSOLE, site.mid, target="article", target_id="art-1")
    assert views[1].comment.parent == 1 and views[0].comment.anchor.quote == "Article 1"  # type: ignore[union-attr]


def test_a_quote_that_is_not_in_the_text_is_refused(browser: Browser) -> None:
    browser.login("observer")
    answer = browser.post(
        "/comments",
        {
            "target": "article",
            "target_id": "art-1",
            "body": "?",
            "quote": "not there",
            "quote_lang": "en",
        },
    )
    assert answer.status_code == 422


def test_only_its_author_withdraws_a_comment(browser: Browser, site: Site) -> None:
    site.service.post_comment(
        site.delegate("observer"), site.mid, target="article", target_id="art-1", body="Mine"
    )
    browser.login("delegate-1")
    assert browser.post("/comments/1/withdraw").status_code == 403
    browser.login("observer")
    assert browser.post("/comments/1/withdraw").status_code == 303
    assert "(withdrawn by its author)" in browser.get("/articles/art-1").text


def test_live_fragments_render_alone(browser: Browser, site: Site) -> None:
    propose(site)
    browser.login("delegate-1")
    for path in (
        "/?part=status",
        "/declaration?part=text",
        "/articles/art-1?part=live",
        "/amendments?part=list",
        "/amendments/1?part=live",
    ):
        answer = browser.get(path, headers={"HX-Request": "true"})
        assert answer.status_code == 200, path
        assert "<html" not in answer.text and "hx-trigger" in answer.text

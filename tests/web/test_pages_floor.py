"""Pages of issue 22: the merge view, modified adoption, the speakers' list on every page and
on the projector."""

from __future__ import annotations

import re

from tests.builders import with_articles
from tests.web.conftest import Browser, Site

LONG = "We protect every child from violence and we support families in need of help today."


def _three(site: Site) -> tuple[int, int, int]:
    chair = site.delegate("chair")
    declaration = site.service.version(chair, site.mid).declaration
    site.service.publish_version(
        chair,
        site.mid,
        with_articles(declaration, {"art-1": {"en": LONG, "zh": "第一条"}, "art-2": {"en": "B"}}),
    )
    made = []
    for who, words in (
        ("delegate-1", LONG.replace("every child", "each and every child")),
        ("delegate-2", LONG.replace("help today", "support")),
        ("delegate-3", LONG.replace("every child", "all children")),
    ):
        made.append(
            site.service.propose_amendment(
                site.delegate(who), site.mid, kind="replace", article="art-1", texts={"en": words}
            ).number
        )
    return made[0], made[1], made[2]


def test_the_merge_view_applies_marks_conflicts_and_puts_the_text_to_the_floor(
    browser: Browser, site: Site
) -> None:
    a, b, c = _three(site)
    browser.login("secretariat")
    assert 'id="merge-link"' in browser.get("/amendments").text
    page = browser.get(f"/amendments/merge?n={a}&n={b}&n={c}")
    assert page.status_code == 200
    assert f'id="merge-amendment-{c}"' in page.text
    assert f'id="conflict-{c}-en"' in page.text and "was not applied" in page.text
    assert "each and every child" in page.text and "in need of support." in page.text
    merged = re.search(r'name="texts.en"[^>]*>([^<]*)<', page.text).group(1)  # type: ignore[union-attr]
    form = {"n": [str(a), str(b), str(c)], "texts.en": merged, "texts.zh": "第一条"}
    refused = browser.post("/amendments/merge", form)
    assert refused.status_code == 422 and "resolve each conflict first" in refused.text
    done = browser.post("/amendments/merge", {**form, "resolved": f"{c}:en"})
    assert done.status_code == 303, done.text
    number = int(done.headers["location"].rsplit("/", 1)[1])
    shown = browser.get(f"/amendments/{number}").text
    assert 'id="compromise-of"' in shown and f'href="/amendments/{c}"' in shown
    assert "Held in compromise text" in browser.get(f"/amendments/{a}").text


def test_the_merge_view_names_what_cannot_be_merged(browser: Browser, site: Site) -> None:
    a, _, _ = _three(site)
    other = site.service.propose_amendment(
        site.delegate("delegate-2"), site.mid, kind="replace", article="art-2", texts={"en": "C"}
    ).number
    browser.login("chair")
    page = browser.get(f"/amendments/merge?n={a}&n={other}")
    assert page.status_code == 409 and "change different texts" in page.text
    browser.login("delegate-1")
    assert browser.get(f"/amendments/merge?n={a}&n={other}").status_code == 403


def test_modified_adoption_shows_both_diffs(browser: Browser, site: Site) -> None:
    a, _, _ = _three(site)
    browser.login("chair")
    assert 'id="adopt-modified"' in browser.get(f"/amendments/{a}").text
    agreed = LONG.replace("every child", "every single child")
    answer = browser.post(f"/amendments/{a}/adopt-modified", {"texts.en": agreed, "reason": ""})
    assert answer.status_code == 303
    shown = browser.get(f"/amendments/{a}").text
    assert 'id="diffs-proposal"' in shown and 'id="diffs-modification"' in shown
    modification = shown.split('id="diffs-modification"', 1)[1].split("</section>", 1)[0]
    # the proposal said "each and every child"; the floor agreed on "every single child"
    assert "<del>each and every</del><ins>every single</ins>" in modification


def test_the_speakers_list_on_every_page_and_the_projector(browser: Browser, site: Site) -> None:
    for who in ("delegate-2", "delegate-1", "delegate-3"):
        browser.login(who)
        assert 'id="request-floor"' in browser.get("/declaration").text
        assert browser.post("/speakers/request", {"next": "/declaration"}).status_code == 303
    assert "Your organisation is number 3" in browser.get("/votes").text
    browser.login("observer")
    assert 'id="request-floor"' not in browser.get("/").text
    assert browser.post("/speakers/request").status_code in (303, 403)
    assert len(site.service.speakers_list(site.delegate("chair"), site.mid).waiting) == 3
    browser.login("chair")
    assert (
        browser.post("/speakers/move", {"organisation": "org-1", "direction": "up"}).status_code
        == 303
    )
    assert browser.post("/speakers/floor", {"limit": "120"}).status_code == 303
    projector = browser.get("/projector").text
    now = re.search(r'class="speaker-name">(?:<bdi[^>]*>)?([^<]*)<', projector).group(1)  # type: ignore[union-attr]
    assert now == "Organisation 1 (en)"
    assert 'class="speaker-timer"' in projector and "Organisation 2 (en)" in projector
    page = browser.get("/speakers").text
    assert 'id="end-turn"' in page and 'id="close-list"' in page
    assert browser.post("/speakers/end-turn").status_code == 303
    assert browser.post("/speakers/close").status_code == 303
    assert "list closed" in browser.get("/speakers?part=strip").text

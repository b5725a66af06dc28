"""Line numbers on the pages and in the API: the article, the amendment's diff and list, the
projector, a comment's quoted span — all the lines of the library's numbering."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from consensus_kit import CONSOLE, LineWidths, lines_touched, number_lines
from tests.builders import with_article_text
from tests.web.conftest import Api, Browser, Site, make_site

WIDTHS = LineWidths(latin=24, cjk=10)
EN = "Every child has the right to be heard in all matters affecting the child and to play."
ZH = "每个儿童都有权在影响儿童的一切事项中发表意见，并有权游戏和娱乐。"


@pytest.fixture
def site(tmp_path: Path, db_url: str) -> Iterator[Site]:
    """A meeting with short lines ([lines] latin = 24, cjk = 10) and a long first article."""
    made = make_site(tmp_path, db_url, extra="[lines]\nlatin = 24\ncjk = 10\n")
    chair = made.delegate("chair")
    declaration = made.service.version(chair, made.mid).declaration
    declaration = with_article_text(with_article_text(declaration, 0, "en", EN), 0, "zh", ZH)
    made.service.publish_version(CONSOLE, made.mid, declaration, note="long texts")
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


def _propose(site: Site) -> int:
    texts = {"en": EN.replace("all matters", "any matter"), "zh": ZH.replace("游戏", "休息")}
    actor = site.delegate("delegate-1")
    made = site.service.propose_amendment(
        actor, site.mid, kind="replace", article="art-1", texts=texts
    )
    return made.number


def test_the_meeting_widths_number_the_article_page(browser: Browser, site: Site) -> None:
    browser.login("delegate-1")
    page = browser.get("/articles/art-1").text
    en = number_lines(EN, "en", WIDTHS)
    assert len(en) == 4  # 86 characters at 24 columns a line
    rows = [f'<span class="lt">{EN[line.start : line.end]}</span>' for line in en]
    for line, row in zip(en, rows, strict=True):
        assert f'<span class="ln" data-n="{line.number}"></span>{row}' in page
    # each row keeps the spaces where it wraps: the rows read together are the text
    assert "".join(rows).replace('<span class="lt">', "").replace("</span>", "") == EN
    zh = number_lines(ZH, "zh", WIDTHS)
    assert f'data-n="{len(zh)}"></span><span class="lt">{zh[-1].text}<' in page
    assert "".join(line.text for line in zh) == ZH


def test_an_amendment_lists_the_lines_it_touches_in_the_api(api: Api, site: Site) -> None:
    number = _propose(site)
    body = api.login("observer").get(f"/amendments/{number}").json()
    expected_en = list(lines_touched(EN, EN.replace("all matters", "any matter"), "en", WIDTHS))
    expected_zh = list(lines_touched(ZH, ZH.replace("游戏", "休息"), "zh", WIDTHS))
    assert body["lines"] == {"en": expected_en, "zh": expected_zh}
    assert expected_en == [2, 3] and expected_zh == [3]  # "all | matters" wraps
    listed = api.get("/amendments").json()
    assert [a["lines"] for a in listed if a["amendment"]["number"] == number] == [body["lines"]]


def test_the_amendment_diff_is_numbered_and_names_its_lines(browser: Browser, site: Site) -> None:
    number = _propose(site)
    browser.login("delegate-2")
    page = browser.get(f"/amendments/{number}").text
    assert '<span class="lines">lines 2–3</span>' in page
    assert '<span class="lines">line 3</span>' in page  # the Chinese
    changed = re.findall(r'<div class="ln-row changed"><span class="ln" data-n="(\d+)">', page)
    assert changed == ["2", "3", "3"]  # lines 2–3 in English, line 3 in Chinese
    # the deletion is cut where line 2 ends; the insertion goes with the rest of it, on line 3
    assert '<span class="lt">right to be heard in <del>all </del></span>' in page
    assert '<span class="lt"><del>matters</del><ins>any matter</ins> affecting the ' in page
    listing = browser.get("/amendments").text
    assert "lines 2–3" in listing and "line 3" in listing
    chinese = browser.get(f"/amendments/{number}", headers={"Accept-Language": "zh-CN"}).text
    assert "第3行" in chinese and "第2–3行" in chinese


def test_the_projector_numbers_the_article_and_the_amendment(browser: Browser, site: Site) -> None:
    number = _propose(site)
    browser.login("chair")
    assert browser.post("/agenda", {"kind": "amendment", "ref": str(number)}).status_code == 303
    page = browser.get("/projector").text
    assert '<span class="lines">lines 2–3</span>' in page
    assert 'class="ln-row changed"' in page
    browser.post("/agenda", {"kind": "article", "ref": "art-1"})
    page = browser.get("/projector").text
    assert page.count('<span class="ln" data-n="4">') >= 1


def test_a_quote_selected_across_two_lines_is_found_and_its_lines_shown(
    browser: Browser, site: Site
) -> None:
    lines = number_lines(EN, "en", WIDTHS)
    words = f"{lines[0].text.split()[-1]}\n{lines[1].text.split()[0]}"  # as a browser copies it
    browser.login("observer")
    answer = browser.post(
        "/comments",
        {
            "target": "article",
            "target_id": "art-1",
            "body": "Across the lines.",
            "quote": words,
            "quote_lang": "en",
        },
    )
    assert answer.status_code == 303
    views = site.service.comments(CONSOLE, site.mid, target="article", target_id="art-1")
    assert views[0].comment.anchor.quote == words.replace("\n", " ")  # type: ignore[union-attr]
    assert views[0].lines == [1, 2]
    assert "lines 1–2" in browser.get("/articles/art-1").text


def test_the_secretariat_downloads_the_pdfs(browser: Browser, site: Site) -> None:
    browser.login("secretariat")
    page = browser.get("/secretariat").text
    for link in (
        "/exports/pdf?lang=en",
        "/exports/pdf?lang=zh",
        "/exports/votes-pdf?lang=zh",
        "/exports/bilingual-pdf?lang=en&lang=zh",
    ):
        assert f'href="{link}"' in page
    answer = browser.get("/exports/bilingual-pdf?lang=en&lang=zh")
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF-")
    assert answer.headers["content-type"] == "application/pdf"
    assert 'filename="test-meeting-v2.en-zh.pdf"' in answer.headers["content-disposition"]
    votes = browser.get("/exports/votes-pdf?lang=zh")
    assert votes.status_code == 200 and votes.content.startswith(b"%PDF-")
    refused = browser.get("/exports/pdf?lang=fr")
    assert refused.status_code == 422 and "not one of the meeting" in refused.text

"""The API in a meeting of several languages (issue 27): a substantive change in Chinese makes
the English stale, lint's number errors refuse the freeze until the chair gives a reason, and
the languages side by side."""

from __future__ import annotations

import io
from urllib.parse import quote

import docx

from consensus_kit import CONSOLE
from tests.office import need
from tests.web.conftest import Api, Browser, Site


def test_a_chinese_year_change_makes_the_english_stale_and_the_chair_overrides_lint(
    api: Api,
) -> None:
    api.login("delegate-1")
    proposed = api.post(
        "/amendments", {"kind": "replace", "article": "art-1", "texts": {"zh": "第1条，2035年"}}
    )
    assert proposed.status_code == 201, proposed.text
    api.login("chair")
    adopted = api.post(f"/amendments/{proposed.json()['number']}/adopt")
    assert adopted.status_code == 200
    assert [(s["article"], s["lang"]) for s in api.get("/stale").json()] == [("art-1", "en")]
    api.login("secretariat")
    confirmed = api.post("/translations/confirm", {"parts": [{"part": "art-1", "lang": "en"}]})
    assert confirmed.status_code == 201, confirmed.text
    number = confirmed.json()["number"]
    lint = api.get("/lint").json()
    assert {(f["code"], f["severity"], f["lang"]) for f in lint} == {("number", "error", "zh")}
    api.login("chair")
    refused = api.post(f"/versions/{number}/freeze")
    assert refused.status_code == 409 and "lint error" in refused.json()["message"]
    reason = "中文年份以2035年为准；英文将发布更正。"
    frozen = api.post(f"/versions/{number}/freeze?override_lint={quote(reason)}")
    assert frozen.status_code == 200 and frozen.json()["state"] == "frozen"
    events = api.get("/events?after=0").json()
    body = next(e["body"] for e in events if e["body"]["type"] == "version_frozen")
    assert body["lint_override"] == reason and len(body["overridden"]) == 1


def test_the_languages_side_by_side_through_the_api(api: Api) -> None:
    api.login("observer")
    answer = api.get("/exports/parallel-docx")
    assert answer.status_code == 200
    assert 'filename="test-meeting-v1.en-zh.docx"' in answer.headers["content-disposition"]
    table = docx.Document(io.BytesIO(answer.content)).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["English", "中文"]
    refused = api.get("/exports/parallel-docx?lang=en")
    assert refused.status_code == 422 and refused.json()["field"] == "lang"


def test_the_chair_page_lists_lint_findings_and_asks_for_a_reason(
    browser: Browser, site: Site
) -> None:
    number = site.service.propose_amendment(
        site.delegate("delegate-1"), site.mid, kind="replace", article="art-2",
        texts={"zh": "第2条，到2035年"},
    ).number  # fmt: skip
    site.service.adopt_amendment(site.delegate("chair"), site.mid, number)
    made = site.service.confirm_translations(
        site.delegate("secretariat"), site.mid, [("art-2", "en")]
    )
    browser.login("chair")
    box = browser.get("/declaration").text
    assert 'id="freeze-lint"' in box and "2035&#39; is here but not in the en text" in box
    assert 'name="override_lint" required' in box
    refused = browser.post(f"/versions/{made.number}/freeze", {})
    assert refused.status_code == 409 and "lint error" in refused.text
    done = browser.post(
        f"/versions/{made.number}/freeze", {"override_lint": "Corrigendum to follow"}
    )
    assert done.status_code == 303
    assert site.service.version(CONSOLE, site.mid).state.value == "frozen"


def test_every_language_side_by_side_as_pdf_through_the_api(api: Api) -> None:
    need("pdftotext")
    api.login("observer")
    answer = api.get("/exports/parallel-pdf")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    assert 'filename="test-meeting-v1.en-zh.pdf"' in answer.headers["content-disposition"]
    assert answer.content.startswith(b"%PDF-")
    for bad in ("?lang=en", "?lang=en&lang=en", "?lang=en&lang=fr"):
        refused = api.get(f"/exports/parallel-pdf{bad}")
        assert refused.status_code == 422 and refused.json()["field"] == "lang", bad

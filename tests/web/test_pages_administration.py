"""``/secretariat/organisations``: the secretariat's forms for administration (issue 18)."""

from __future__ import annotations

import re

from consensus_kit import CONSOLE, record_tag, verify_store
from consensus_kit.domain.ids import DelegateId, OrgId
from tests.web.conftest import Browser, Site

HERE = "/secretariat/organisations"


def test_the_secretariat_page_links_to_administration(browser: Browser) -> None:
    browser.login("secretariat")
    assert 'href="/secretariat/organisations"' in browser.get("/secretariat").text
    page = browser.get(HERE)
    assert page.status_code == 200 and "Organisation 1 (en)" in page.text


def test_every_form_acts_once_and_verifies(browser: Browser, site: Site) -> None:
    browser.login("secretariat")
    meeting = site.service.meeting(site.mid)
    org1 = meeting.organisation(OrgId("org-1"))
    assert org1 is not None
    answer = browser.post(
        f"{HERE}/org-1/rename",
        {
            "name.zh": "救助儿童会",
            "country_name.en": "Republic of Kenya",
            "reason": "official",
            "expected": record_tag(org1),
        },
    )
    assert answer.status_code == 303, answer.text
    page = browser.get(HERE).text
    assert "救助儿童会" in page and "Republic of Kenya" in page
    assert (
        browser.post(
            HERE,
            {
                "id": "late",
                "name.en": "Late Delegation",
                "country": "kp",
                "region": "Asia",
                "reason": "arrived",
            },
        ).status_code
        == 303
    )
    added = browser.post(
        "/secretariat/delegates",
        {
            "id": "late-head",
            "name": "Ms Kim",
            "organisation": "late",
            "roles": ["delegate", "signatory"],
            "reason": "head",
        },
    )
    assert added.status_code == 200
    code = re.search(r'<code class="code" translate="no">([^<]+)</code>', added.text)
    assert code is not None and site.service.authenticate(code.group(1))[1].id == "late-head"
    browser.refresh()
    assert (
        browser.post(
            "/secretariat/delegates/delegate-1/roles",
            {"roles": ["delegate", "signatory"], "reason": "signs"},
        ).status_code
        == 303
    )
    assert (
        browser.post(
            "/secretariat/delegates/delegate-2/rename", {"name": "Mr Ahmed", "reason": "typo"}
        ).status_code
        == 303
    )
    sub = browser.post(
        "/secretariat/delegates/signatory-2/substitute",
        {"by": "signatory-2b", "name": "Dr Osei", "reason": "replaced"},
    )
    assert sub.status_code == 200 and "signatory-2b" in sub.text
    browser.refresh()
    reissued = browser.post("/secretariat/delegates/delegate-3/code")
    assert reissued.status_code == 200 and '<code class="code"' in reissued.text
    browser.refresh()
    assert (
        browser.post("/secretariat/delegates/delegate-3/withdraw", {"reason": "ill"}).status_code
        == 303
    )
    assert browser.post(f"{HERE}/org-3/withdraw", {"reason": "left"}).status_code == 303
    after = site.service.meeting(site.mid)
    assert after.delegate(DelegateId("delegate-2")).name == "Mr Ahmed"  # type: ignore[union-attr]
    assert after.organisation(OrgId("org-3")).withdrawn_at is not None  # type: ignore[union-attr]
    assert "withdrew" in browser.get(HERE).text
    assert verify_store(site.service.store, CONSOLE).ok


def test_a_refused_form_says_which_field_and_changes_nothing(browser: Browser, site: Site) -> None:
    browser.login("secretariat")
    before = site.service.events_after(CONSOLE, site.mid)
    answer = browser.post(
        f"{HERE}/org-1/rename",
        {"name.en": "Organisation 2 (en)", "reason": "dup"},
        headers={"referer": f"http://testserver.local{HERE}"},
    )
    assert answer.status_code == 303
    page = browser.get(HERE).text
    assert "name.en" in page and "already called" in page
    stale = browser.post(
        f"{HERE}/org-1/rename",
        {"name.en": "X", "reason": "r", "expected": "0000000000000000"},
        headers={"referer": f"http://testserver.local{HERE}"},
    )
    assert stale.status_code == 303
    assert "changed by someone else" in browser.get(HERE).text
    assert site.service.events_after(CONSOLE, site.mid) == before


def test_a_delegate_cannot_administer(browser: Browser, site: Site) -> None:
    browser.login("delegate-1")
    before = site.service.events_after(CONSOLE, site.mid)
    answer = browser.post(f"{HERE}/org-1/rename", {"name.en": "Mine", "reason": "mine"})
    assert answer.status_code == 403
    assert site.service.events_after(CONSOLE, site.mid) == before


def test_the_page_in_chinese(browser: Browser) -> None:
    browser.login("secretariat")
    page = browser.get(HERE, headers={"Accept-Language": "zh"})
    assert "组织和代表" in page.text

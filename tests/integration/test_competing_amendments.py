"""Competing amendments: one amendment's state never blocks an operation on another, and the
chair can dispose of an amendment that is stuck (reject, set aside, ask for an update)."""

from __future__ import annotations

from pathlib import Path

import pytest

from consensus_kit import (
    CONSOLE,
    AmendmentStatus,
    InvalidInput,
    InvalidState,
    MeetingService,
    NotPermitted,
    Outcome,
    Role,
    read_meeting_file,
)
from tests.builders import load_meeting, with_article_text

A20 = Path(__file__).resolve().parents[2] / "examples" / "a20_2018" / "meeting.toml"


def _a20(service: MeetingService):  # type: ignore[no-untyped-def]
    loaded = service.load_meeting(read_meeting_file(A20), actor=CONSOLE)
    meeting = loaded.meeting
    voters = [
        d
        for d in meeting.delegates
        if d.organisation and not meeting.organisation(d.organisation).observer  # type: ignore[union-attr]
    ]
    by_org = {d.organisation: d for d in voters}
    chair = next(d for d in meeting.delegates if d.has(Role.CHAIR))
    return loaded, list(by_org.values()), chair


def _a20_competing(service: MeetingService, other_article: int):  # type: ignore[no-untyped-def]
    """A20 with two wordings of article 1 (the first adopted, the second needing an update)
    and a change to another article, still open."""
    loaded, orgs, chair = _a20(service)
    mid = loaded.meeting.id
    articles = loaded.version.declaration.articles
    art1, target = articles[0], articles[other_article]
    en1 = art1.text["en"]
    first = service.propose_amendment(
        orgs[0], mid, kind="replace", article=art1.id, texts={"en": "Protecting " + en1[7:]}
    )
    second = service.propose_amendment(
        orgs[1], mid, kind="replace", article=art1.id, texts={"en": "Guarding " + en1[7:]}
    )
    other = service.propose_amendment(
        orgs[2], mid, kind="replace", article=target.id, texts={"en": target.text["en"] + " Now."}
    )
    service.adopt_amendment(chair, mid, first.number)
    assert service.amendment(chair, mid, second.number).amendment.status is (
        AmendmentStatus.NEEDS_UPDATE
    )
    return mid, orgs, chair, second.number, other.number, target.id


def test_a20_an_amendment_needing_an_update_does_not_block_adopting_another_article(
    service: MeetingService,
) -> None:
    """The reproduction of the issue: two wordings for article 1, one change to article 3."""
    mid, _, chair, second, third, art3 = _a20_competing(service, other_article=2)

    version = service.adopt_amendment(chair, mid, third)  # InvalidState before the fix

    assert version.declaration.article(art3).text["en"].endswith(" Now.")  # type: ignore[union-attr]
    assert service.amendment(chair, mid, second).amendment.status is AmendmentStatus.NEEDS_UPDATE


def test_a20_a_carried_vote_closes_while_another_amendment_needs_an_update(
    service: MeetingService,
) -> None:
    """Over HTTP this was a 409 for a vote carried unanimously, which then stayed open."""
    mid, orgs, chair, second, other, _ = _a20_competing(service, other_article=1)
    vote = service.open_vote(chair, mid, amendment=other, rule="simple_majority")
    for i, delegate in enumerate(orgs):
        service.cast_ballot(delegate, mid, vote.number, "yes", key=f"k{i}")

    closed = service.close_vote(chair, mid, vote.number)

    assert closed.result is not None and closed.result.outcome is Outcome.ADOPTED
    assert service.amendment(chair, mid, other).amendment.status is AmendmentStatus.ADOPTED
    assert service.votes(chair, mid, open_only=True) == []
    assert service.amendment(chair, mid, second).amendment.status is AmendmentStatus.NEEDS_UPDATE


def test_a_third_wording_of_the_same_words_stays_needing_an_update_through_later_adoptions(
    service: MeetingService,
) -> None:
    loaded = load_meeting(service, orgs=4)
    mid, p = loaded.meeting.id, {d.id: d for d in loaded.meeting.delegates}
    base = "We will end violence against children by 2030 in every country."
    service.publish_version(
        p["chair"],
        mid,
        _with_text(loaded.version.declaration, base),
    )
    wordings = ["2025", "2028", "2035"]
    numbers = [
        service.propose_amendment(
            p[f"delegate-{i + 1}"],
            mid,
            kind="replace",
            article="art-1",
            texts={"en": base.replace("2030", year)},
        ).number
        for i, year in enumerate(wordings)
    ]
    service.adopt_amendment(p["chair"], mid, numbers[0])
    # a second adoption of an unrelated change leaves both competitors as they were
    unrelated = service.propose_amendment(
        p["delegate-4"], mid, kind="replace", article="art-2", texts={"en": "Article two, new."}
    )
    service.adopt_amendment(p["chair"], mid, unrelated.number)
    statuses = [service.amendment(p["chair"], mid, n).amendment.status for n in numbers]
    assert statuses == [
        AmendmentStatus.ADOPTED,
        AmendmentStatus.NEEDS_UPDATE,
        AmendmentStatus.NEEDS_UPDATE,
    ]


def test_an_amendment_needing_an_update_is_superseded_once_the_text_says_what_it_proposed(
    service: MeetingService,
) -> None:
    loaded = load_meeting(service, orgs=3)
    mid, p = loaded.meeting.id, {d.id: d for d in loaded.meeting.delegates}
    base = "We will end violence against children by 2030 in every country."
    service.publish_version(p["chair"], mid, _with_text(loaded.version.declaration, base))
    early = service.propose_amendment(
        p["delegate-1"],
        mid,
        kind="replace",
        article="art-1",
        texts={"en": base.replace("2030", "2025")},
    )
    late = service.propose_amendment(
        p["delegate-2"],
        mid,
        kind="replace",
        article="art-1",
        texts={"en": base.replace("2030", "2035")},
    )
    service.adopt_amendment(p["chair"], mid, early.number)
    assert service.amendment(p["chair"], mid, late.number).amendment.status is (
        AmendmentStatus.NEEDS_UPDATE
    )
    # the chair's own edit lands exactly on the late wording
    latest = service.version(p["chair"], mid)
    service.publish_version(
        p["chair"], mid, _with_text(latest.declaration, base.replace("2030", "2035"))
    )
    other = service.propose_amendment(
        p["delegate-3"], mid, kind="replace", article="art-2", texts={"en": "Two, again."}
    )
    service.adopt_amendment(p["chair"], mid, other.number)

    assert service.amendment(p["chair"], mid, late.number).amendment.status is (
        AmendmentStatus.SUPERSEDED
    )


# -- the chair disposes of a stuck amendment --------------------------------------------------


def _stuck(service: MeetingService):  # type: ignore[no-untyped-def]
    loaded = load_meeting(service, orgs=3)
    mid, p = loaded.meeting.id, {d.id: d for d in loaded.meeting.delegates}
    first = service.propose_amendment(
        p["delegate-1"], mid, kind="replace", article="art-1", texts={"en": "First wording."}
    )
    second = service.propose_amendment(
        p["delegate-2"], mid, kind="replace", article="art-1", texts={"en": "Second wording."}
    )
    service.adopt_amendment(p["chair"], mid, first.number)
    return mid, p, second.number


def test_the_chair_rejects_an_amendment_that_needs_an_update(service: MeetingService) -> None:
    mid, p, stuck = _stuck(service)
    rejected = service.reject_amendment(p["chair"], mid, stuck, reason="overtaken")
    assert rejected.status is AmendmentStatus.REJECTED
    last = service.events_after(p["chair"], mid)[-1]
    assert (last.body.old, last.body.new, last.body.reason) == (  # type: ignore[union-attr]
        "needs_update",
        "rejected",
        "overtaken",
    )


def test_the_chair_sets_an_amendment_aside_with_a_reason(service: MeetingService) -> None:
    mid, p, stuck = _stuck(service)
    done = service.set_aside_amendment(p["chair"], mid, stuck, reason="the sponsor left")
    assert done.status is AmendmentStatus.SET_ASIDE
    last = service.events_after(p["chair"], mid)[-1]
    assert last.body.new == "set_aside" and last.body.reason == "the sponsor left"  # type: ignore[union-attr]
    with pytest.raises(InvalidState):  # final: it cannot be revised or put to a vote
        service.revise_amendment(p["delegate-2"], mid, stuck, texts={"en": "Third."})


def test_setting_aside_needs_a_reason_and_changes_nothing_without_one(
    service: MeetingService,
) -> None:
    mid, p, stuck = _stuck(service)
    events = len(service.events_after(p["chair"], mid))
    with pytest.raises(InvalidInput) as refused:
        service.set_aside_amendment(p["chair"], mid, stuck, reason="  ")
    assert refused.value.field == "reason"
    assert service.amendment(p["chair"], mid, stuck).amendment.status is (
        AmendmentStatus.NEEDS_UPDATE
    )
    assert len(service.events_after(p["chair"], mid)) == events


def test_only_the_chair_disposes_of_an_amendment(service: MeetingService) -> None:
    mid, p, stuck = _stuck(service)
    for who in ("delegate-2", "secretariat", "observer"):
        with pytest.raises(NotPermitted):
            service.set_aside_amendment(p[who], mid, stuck, reason="no")


def test_the_chair_asks_the_sponsor_for_an_update_and_the_revision_submits_it_again(
    service: MeetingService,
) -> None:
    loaded = load_meeting(service, orgs=3)
    mid, p = loaded.meeting.id, {d.id: d for d in loaded.meeting.delegates}
    amendment = service.propose_amendment(
        p["delegate-1"], mid, kind="replace", article="art-1", texts={"en": "By 2030."}
    )
    vote = service.open_vote(p["chair"], mid, amendment=amendment.number)

    asked = service.request_update(p["chair"], mid, amendment.number, reason="say which 2030")

    assert asked.status is AmendmentStatus.NEEDS_UPDATE
    assert asked.conflict == "say which 2030"
    cancelled = service.vote(p["chair"], mid, vote.number).vote
    assert cancelled.result is not None and cancelled.result.outcome is Outcome.CANCELLED
    revised = service.revise_amendment(
        p["delegate-1"], mid, amendment.number, texts={"en": "By the end of 2030."}
    )
    assert revised.status is AmendmentStatus.SUBMITTED and revised.conflict == ""


def test_asking_for_an_update_of_one_that_already_needs_one_is_refused_clearly(
    service: MeetingService,
) -> None:
    mid, p, stuck = _stuck(service)
    with pytest.raises(InvalidState, match="needs_update"):
        service.request_update(p["chair"], mid, stuck, reason="again")


def _with_text(declaration, text: str):  # type: ignore[no-untyped-def]
    return with_article_text(declaration, 0, "en", text)


# -- every new version moves the open amendments, however it was made ---------------------------


def test_an_open_amendment_follows_a_translation_update_and_can_still_be_adopted(
    service: MeetingService,
) -> None:
    """Found by the state machine: a translation update made a new version without rebasing
    the open amendments, so adopting one refused ('written against other words')."""
    loaded = load_meeting(service, orgs=3)
    mid, p = loaded.meeting.id, {d.id: d for d in loaded.meeting.delegates}
    en = "We protect children in every school and in every family."
    zh = "我们在每所学校和每个家庭中保护儿童。"
    declaration = with_article_text(loaded.version.declaration, 0, "en", en)
    service.publish_version(p["chair"], mid, with_article_text(declaration, 0, "zh", zh))
    amendment = service.propose_amendment(
        p["delegate-1"],
        mid,
        kind="replace",
        article="art-1",
        texts={"en": en.replace("protect", "defend")},
    )
    updated_zh = zh.replace("儿童", "孩子")
    service.update_translations(p["secretariat"], mid, {("art-1", "zh"): updated_zh})

    rebased = service.amendment(p["chair"], mid, amendment.number).amendment
    assert rebased.base_texts["zh"] == updated_zh
    version = service.adopt_amendment(p["chair"], mid, amendment.number)
    assert version.declaration.articles[0].text == {
        "en": en.replace("protect", "defend"),
        "zh": updated_zh,
    }


def test_an_open_amendment_follows_a_version_the_chair_published(
    service: MeetingService,
) -> None:
    loaded = load_meeting(service, orgs=3)
    mid, p = loaded.meeting.id, {d.id: d for d in loaded.meeting.delegates}
    base = "We protect children in every school and in every family."
    service.publish_version(p["chair"], mid, _with_text(loaded.version.declaration, base))
    same_words = service.propose_amendment(
        p["delegate-1"], mid, kind="replace", article="art-1", texts={"en": "We guard it."}
    )
    other_words = service.propose_amendment(
        p["delegate-2"],
        mid,
        kind="replace",
        article="art-1",
        texts={"en": base.replace("protect", "defend")},
    )
    latest = service.version(p["chair"], mid)
    service.publish_version(
        p["chair"], mid, _with_text(latest.declaration, base.replace("family", "home"))
    )

    assert service.amendment(p["chair"], mid, same_words.number).amendment.status is (
        AmendmentStatus.NEEDS_UPDATE
    )
    moved = service.amendment(p["chair"], mid, other_words.number).amendment
    assert moved.texts["en"] == "We defend children in every school and in every home."
    service.adopt_amendment(p["chair"], mid, other_words.number)


def test_no_new_version_is_published_while_a_vote_is_open(service: MeetingService) -> None:
    """An imported draft published during a vote made the carried vote impossible to close
    ('written against other words'): publishing now waits for the vote."""
    loaded = load_meeting(service, orgs=3)
    mid, p = loaded.meeting.id, {d.id: d for d in loaded.meeting.delegates}
    amendment = service.propose_amendment(
        p["delegate-1"], mid, kind="replace", article="art-1", texts={"en": "Changed (en)."}
    )
    vote = service.open_vote(p["chair"], mid, amendment=amendment.number, rule="simple_majority")
    edited = with_article_text(loaded.version.declaration, 1, "en", "Article 2, edited (en)")

    with pytest.raises(InvalidState, match=f"vote {vote.number}"):
        service.publish_version(p["chair"], mid, edited)

    for i in (1, 2):
        service.cast_ballot(p[f"delegate-{i}"], mid, vote.number, "yes", key=f"y{i}")
    closed = service.close_vote(p["chair"], mid, vote.number)
    assert closed.result is not None and closed.result.outcome is Outcome.ADOPTED
    assert service.publish_version(p["chair"], mid, edited).number == 3

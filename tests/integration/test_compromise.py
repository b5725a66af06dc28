"""Compromise texts (issue 22): several open amendments to one article merged into one text,
non-conflicting changes applied, conflicts left to a person; the merged amendments' fate
follows the compromise (merged when it is adopted, reopened when it is not). Modified adoption:
the record keeps the proposal and the words adopted, each diffed."""

from __future__ import annotations

import pytest

from consensus_kit import (
    CONSOLE,
    AmendmentStatus,
    InvalidInput,
    InvalidState,
    MeetingService,
    NotPermitted,
    verify_store,
)
from tests.builders import load_meeting, with_articles

EN = "We protect every child from violence and we support families in need of help today."
ZH = "我们保护每个儿童免受暴力,我们支持今天需要帮助的家庭。"

Room = tuple[MeetingService, str, dict]  # type: ignore[type-arg]


@pytest.fixture
def room(service: MeetingService) -> Room:
    loaded = load_meeting(service)
    mid = loaded.meeting.id
    people = {d.id: d for d in loaded.meeting.delegates}
    declaration = with_articles(
        loaded.version.declaration,
        {"art-1": {"en": EN, "zh": ZH}, "art-2": {"en": "Schools for all.", "zh": "人人有学上。"}},
    )
    service.publish_version(people["chair"], mid, declaration, note="longer words")
    return service, mid, people


def _propose(room: Room, who: str, en: str, article: str = "art-1", **more: str):  # type: ignore[no-untyped-def]
    service, mid, p = room
    return service.propose_amendment(
        p[who], mid, kind="replace", article=article, texts={"en": en, **more}
    )


def _status(room: Room, number: int) -> AmendmentStatus:
    service, mid, p = room
    return service.amendment(p["chair"], mid, number).amendment.status


def _three(room: Room) -> tuple[int, int, int]:
    """Two changes far apart (they merge) and a third that rewrites the words of the first."""
    a = _propose(room, "delegate-1", EN.replace("every child", "each and every child"))
    b = _propose(room, "delegate-2", EN.replace("in need of help today", "in need of support"))
    c = _propose(room, "delegate-3", EN.replace("every child", "all children"))
    return a.number, b.number, c.number


def test_non_conflicting_changes_are_applied_and_conflicts_marked(room: Room) -> None:
    service, mid, p = room
    a, b, c = _three(room)
    preview = service.merge_preview(p["chair"], mid, [a, b, c])
    merge = preview.merge
    assert merge.texts["en"] == (
        "We protect each and every child from violence and we support families in need of support."
    )
    assert merge.applied == {"en": [a, b]}
    assert [(x.number, x.lang) for x in merge.conflicts] == [(c, "en")]
    assert "amendment 1" in merge.conflicts[0].reason and "every child" in merge.conflicts[0].reason
    assert merge.conflicts[0].proposed == EN.replace("every child", "all children")
    assert [v.amendment.number for v in preview.amendments] == [a, b, c]
    assert merge.texts["zh"] == ZH  # no amendment touches the Chinese words
    # reading the merge changes nothing
    assert all(_status(room, n) is AmendmentStatus.SUBMITTED for n in (a, b, c))


def test_a_conflict_must_be_resolved_by_name_before_the_text_goes_to_the_floor(
    room: Room,
) -> None:
    service, mid, p = room
    a, b, c = _three(room)
    words = service.merge_preview(p["chair"], mid, [a, b, c]).merge.texts["en"]
    before = service.events_after(CONSOLE, mid)
    with pytest.raises(InvalidInput, match=rf"resolve each conflict first: amendment {c} \(en\)"):
        service.propose_compromise(p["chair"], mid, [a, b, c], texts={"en": words})
    with pytest.raises(InvalidInput, match="no such conflict in this merge: 1:zh"):
        service.propose_compromise(
            p["chair"], mid, [a, b, c], texts={"en": words}, resolved=[f"{c}:en", "1:zh"]
        )
    assert service.events_after(CONSOLE, mid) == before
    resolved = words.replace("each and every child", "all children")
    compromise = service.propose_compromise(
        p["secretariat"], mid, [a, b, c], texts={"en": resolved}, resolved=[f"{c}:en"]
    )
    assert compromise.merges == (a, b, c)
    assert compromise.texts == {"en": resolved}
    assert compromise.sponsor == "org-1" and compromise.cosponsors == ("org-2", "org-3")
    for n in (a, b, c):
        held = service.amendment(p["chair"], mid, n).amendment
        assert (
            held.status is AmendmentStatus.IN_COMPROMISE and held.merged_into == compromise.number
        )
    types = [e.type for e in service.events_after(CONSOLE, mid, before[-1].seq)]
    assert types[:2] == ["amendment_proposed", "compromise_proposed"]
    assert types.count("amendment_status_changed") == 3


def test_adopting_the_compromise_merges_the_amendments_and_marks_chinese_stale(
    room: Room,
) -> None:
    service, mid, p = room
    a, b, _ = _three(room)
    words = service.merge_preview(p["chair"], mid, [a, b]).merge.texts["en"]
    compromise = service.propose_compromise(p["chair"], mid, [a, b], texts={"en": words})
    version = service.adopt_amendment(p["chair"], mid, compromise.number)
    assert version.declaration.article("art-1").text["en"] == words  # type: ignore[union-attr]
    for n in (a, b):
        merged = service.amendment(p["chair"], mid, n).amendment
        assert merged.status is AmendmentStatus.MERGED and merged.merged_into == compromise.number
    # a change in English only: the Chinese words are stale, as for any amendment
    assert [(s.article, s.lang) for s in service.stale_translations(CONSOLE, mid)] == [
        ("art-1", "zh")
    ]
    assert verify_store(service.store, CONSOLE).ok


def test_rejecting_the_compromise_reopens_the_amendments(room: Room) -> None:
    service, mid, p = room
    a, b, _ = _three(room)
    words = service.merge_preview(p["chair"], mid, [a, b]).merge.texts["en"]
    compromise = service.propose_compromise(p["chair"], mid, [a, b], texts={"en": words})
    service.reject_amendment(p["chair"], mid, compromise.number)
    for n in (a, b):
        reopened = service.amendment(p["chair"], mid, n).amendment
        assert reopened.status is AmendmentStatus.SUBMITTED and reopened.merged_into is None
    # and each can be adopted on its own again
    service.adopt_amendment(p["chair"], mid, a)
    assert _status(room, a) is AmendmentStatus.ADOPTED


def test_withdrawing_the_compromise_reopens_them_too(room: Room) -> None:
    service, mid, p = room
    a, b, _ = _three(room)
    words = service.merge_preview(p["chair"], mid, [a, b]).merge.texts["en"]
    compromise = service.propose_compromise(p["chair"], mid, [a, b], texts={"en": words})
    service.withdraw_amendment(p["delegate-1"], mid, compromise.number)  # org-1 sponsors it
    assert {_status(room, a), _status(room, b)} == {AmendmentStatus.SUBMITTED}


def test_bad_merges_are_refused_naming_the_amendment_and_change_nothing(room: Room) -> None:
    service, mid, p = room
    a, b, c = _three(room)
    other = _propose(room, "delegate-2", "Article 2, reworded.", article="art-2")
    withdrawn = _propose(room, "delegate-3", EN + " Also.")
    service.withdraw_amendment(p["delegate-3"], mid, withdrawn.number)
    service.adopt_amendment(p["chair"], mid, b)
    before = service.events_after(CONSOLE, mid)
    chair = p["chair"]
    with pytest.raises(InvalidInput, match=rf"amendments {a} and {other.number} change different"):
        service.merge_preview(chair, mid, [a, other.number])
    with pytest.raises(InvalidState, match=f"amendment {withdrawn.number} is withdrawn"):
        service.propose_compromise(chair, mid, [a, withdrawn.number], texts={"en": "x"})
    with pytest.raises(InvalidState, match=f"amendment {b} is adopted"):
        service.propose_compromise(chair, mid, [a, b], texts={"en": "x"})
    with pytest.raises(InvalidInput, match="at least two"):
        service.merge_preview(chair, mid, [a])
    with pytest.raises(InvalidInput, match="named twice"):
        service.merge_preview(chair, mid, [a, a])
    with pytest.raises(NotPermitted):
        service.merge_preview(p["delegate-1"], mid, [a, c])
    with pytest.raises(InvalidInput, match="changes nothing"):
        current = service.version(chair, mid).declaration.article("art-1").text["en"]  # type: ignore[union-attr]
        service.propose_compromise(chair, mid, [a, c], texts={"en": current}, resolved=[f"{c}:en"])
    assert service.events_after(CONSOLE, mid) == before


def test_a_modified_adoption_keeps_the_proposal_and_the_modification(room: Room) -> None:
    service, mid, p = room
    proposal = EN.replace("every child", "each child")
    zh = ZH.replace("每个儿童", "所有儿童")
    a = _propose(room, "delegate-1", proposal, zh=zh)
    agreed = proposal.replace("violence", "violence and neglect")
    version = service.adopt_amendment(
        p["chair"], mid, a.number, modification={"en": agreed}, reason="as agreed on the floor"
    )
    assert version.declaration.article("art-1").text == {"en": agreed, "zh": zh}  # type: ignore[union-attr]
    view = service.amendment(p["chair"], mid, a.number)
    assert view.amendment.texts["en"] == proposal  # the proposal stays on record
    assert view.amendment.modified_texts == {"en": agreed}
    assert view.amendment.adopted_texts() == {"en": agreed, "zh": zh}
    original = [(o.op, o.text.strip()) for o in view.diffs["en"] if o.op != "equal"]
    assert ("insert", "each") in original and ("delete", "every") in original
    modification = [(o.op, o.text.strip()) for o in view.modification["en"] if o.op != "equal"]
    assert [op for op, _ in modification] == ["insert"] and "neglect" in modification[0][1]
    # the edit was in English only: the Chinese words are stale until someone sees to them
    assert [(s.article, s.lang) for s in service.stale_translations(CONSOLE, mid)] == [
        ("art-1", "zh")
    ]
    assert "amendment_modified" in [e.type for e in service.events_after(CONSOLE, mid)]


def test_a_modification_that_changes_nothing_or_a_deletion_is_refused(room: Room) -> None:
    service, mid, p = room
    a = _propose(room, "delegate-1", EN.replace("every", "each"))
    gone = service.propose_amendment(p["delegate-2"], mid, kind="delete", article="art-2")
    before = service.events_after(CONSOLE, mid)
    with pytest.raises(InvalidInput, match="repeats the proposal"):
        service.adopt_amendment(p["chair"], mid, a.number, modification={"en": a.texts["en"]})
    with pytest.raises(InvalidInput, match="no words to modify"):
        service.adopt_amendment(p["chair"], mid, gone.number, modification={"en": "x"})
    with pytest.raises(InvalidInput, match=r"texts\.fr"):
        service.adopt_amendment(p["chair"], mid, a.number, modification={"fr": "x"})
    assert service.events_after(CONSOLE, mid) == before

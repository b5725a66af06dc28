"""No language drifts silently (issue 16): every part tracked, changed or confirmed on purpose.

A language of a part is in step after a change only if its own words changed with it, or
someone entitled confirmed that the unchanged words still match: the sponsor when proposing
(intent "confirmed") or the secretariat afterwards (``confirm_translations``).
"""

from __future__ import annotations

import pytest

from consensus_kit import (
    CONSOLE,
    Conflict,
    InvalidInput,
    InvalidState,
    MeetingService,
    NotPermitted,
    TranslationsConfirmed,
    Version,
    verify_store,
)
from tests.builders import load_meeting

Room = tuple[MeetingService, str, dict]  # type: ignore[type-arg]


@pytest.fixture
def room(service: MeetingService) -> Room:
    loaded = load_meeting(service)
    people = {d.id: d for d in loaded.meeting.delegates}
    return service, loaded.meeting.id, people


def _stale(service: MeetingService, mid: str) -> list[tuple[str, str]]:
    return [(s.article, s.lang) for s in service.stale_translations(CONSOLE, mid)]  # type: ignore[arg-type]


def _lint_stale(service: MeetingService, mid: str) -> list[tuple[str, str | None]]:
    findings = service.lint(CONSOLE, mid)  # type: ignore[arg-type]
    return [(f.where, f.lang) for f in findings if f.code == "stale"]


def _adopt(room: Room, kind: str, texts: dict[str, str], **kwargs: object) -> Version:
    service, mid, p = room
    a = service.propose_amendment(
        p["delegate-1"],
        mid,  # type: ignore[arg-type]
        kind=kind,
        texts=texts,
        **kwargs,  # type: ignore[arg-type]
    )
    return service.adopt_amendment(p["chair"], mid, a.number)  # type: ignore[arg-type]


def test_an_english_edit_with_the_chinese_sent_unchanged_leaves_the_chinese_stale(
    room: Room,
) -> None:
    service, mid, p = room
    version = _adopt(
        room, "replace", {"en": "Every child learns.", "zh": "Article 1 (zh)"}, article="art-1"
    )
    assert _stale(service, mid) == [("art-1", "zh")]
    assert _lint_stale(service, mid) == [("article 1 (art-1)", "zh")]
    with pytest.raises(InvalidState, match=r"article 1 \(art-1\) \[zh\]"):
        service.freeze_version(p["chair"], mid, version.number)  # type: ignore[arg-type]


def test_the_chinese_changed_with_the_english_is_in_step(room: Room) -> None:
    service, mid, _ = room
    _adopt(
        room, "replace", {"en": "Every child learns.", "zh": "每个儿童都学习。"}, article="art-1"
    )
    assert _stale(service, mid) == []


@pytest.mark.parametrize("kind", ["title", "preamble"])
def test_an_english_only_title_or_preamble_amendment_makes_its_chinese_stale(
    room: Room, kind: str
) -> None:
    service, mid, p = room
    version = _adopt(room, kind, {"en": "New words in English"})
    assert _stale(service, mid) == [(kind, "zh")]
    stale = service.stale_translations(CONSOLE, mid)[0]  # type: ignore[arg-type]
    assert (stale.position, stale.revision, stale.in_step_with) == (None, 2, 1)
    assert _lint_stale(service, mid) == [(kind, "zh")]
    with pytest.raises(InvalidState, match=rf"stale translation\(s\): {kind} \[zh\]"):
        service.freeze_version(p["chair"], mid, version.number)  # type: ignore[arg-type]


def test_the_secretariat_corrects_the_preamble_and_confirms_the_title(room: Room) -> None:
    service, mid, p = room
    _adopt(room, "preamble", {"en": "We, the organisations, agree"})
    _adopt(room, "title", {"en": "The declaration"})
    assert _stale(service, mid) == [("title", "zh"), ("preamble", "zh")]
    corrected = service.update_translations(
        p["secretariat"],
        mid,  # type: ignore[arg-type]
        {("preamble", "zh"): "我们各组织一致同意"},
    )
    assert corrected.declaration.preamble["zh"] == "我们各组织一致同意"
    assert _stale(service, mid) == [("title", "zh")]
    confirmed = service.confirm_translations(
        p["secretariat"],
        mid,  # type: ignore[arg-type]
        [("title", "zh")],
        note="the Chinese title already says it",
    )
    assert confirmed.content_hash == corrected.content_hash  # same words, same hash
    assert confirmed.number == corrected.number + 1
    assert _stale(service, mid) == []
    assert service.freeze_version(p["chair"], mid, confirmed.number).number == confirmed.number  # type: ignore[arg-type]
    last = [e for e in service.events_after(CONSOLE, mid) if e.type == "translations_confirmed"]  # type: ignore[arg-type]
    assert [(e.actor, e.body) for e in last] == [
        (
            "secretariat",
            TranslationsConfirmed(
                version=confirmed.number,
                parts={"title": ["zh"]},
                note="the Chinese title already says it",
            ),
        )
    ]
    assert verify_store(service.store, CONSOLE).ok  # type: ignore[attr-defined]


def test_words_sent_back_unchanged_are_refused_and_change_nothing(room: Room) -> None:
    service, mid, p = room
    _adopt(room, "replace", {"en": "Every child learns."}, article="art-1")
    before = service.events_after(CONSOLE, mid)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="current words") as caught:
        service.update_translations(
            p["secretariat"],
            mid,  # type: ignore[arg-type]
            {("art-1", "zh"): "Article 1 (zh)"},
        )
    assert caught.value.field == "updates.art-1.zh"
    assert service.events_after(CONSOLE, mid) == before  # type: ignore[arg-type]
    assert _stale(service, mid) == [("art-1", "zh")]


def test_the_secretariat_may_correct_any_part_at_any_time(room: Room) -> None:
    service, mid, p = room
    assert _stale(service, mid) == []
    version = service.update_translations(
        p["secretariat"],
        mid,  # type: ignore[arg-type]
        {("title", "zh"): "测试宣言", ("art-2", "zh"): "第二条"},
    )
    assert version.number == 2
    assert version.declaration.title["zh"] == "测试宣言"
    assert _stale(service, mid) == []


@pytest.mark.parametrize(
    ("parts", "field", "message"),
    [
        ([("art-9", "zh")], "parts[0]", "no part 'art-9'"),
        ([("art-1", "fr")], "parts[0]", "'fr' is not one of the meeting's languages"),
        ([("art-1", "en")], "parts[0]", "'en' is the negotiating language"),
        ([("art-1", "zh"), ("art-2", "zh")], "parts[1]", "not stale"),
        ([("preamble", "zh")], "parts[0]", "not stale"),
        ([], "parts", "no translation to confirm"),
    ],
)
def test_a_wrong_confirmation_names_the_field_and_changes_nothing(
    room: Room, parts: list[tuple[str, str]], field: str, message: str
) -> None:
    service, mid, p = room
    _adopt(room, "replace", {"en": "Every child learns."}, article="art-1")
    before = service.events_after(CONSOLE, mid)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match=message) as caught:
        service.confirm_translations(p["secretariat"], mid, parts)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert service.events_after(CONSOLE, mid) == before  # type: ignore[arg-type]


def test_only_the_secretariat_confirms_and_a_late_confirmation_is_told_why(room: Room) -> None:
    service, mid, p = room
    checked = _adopt(room, "replace", {"en": "Every child learns."}, article="art-1")
    with pytest.raises(NotPermitted):
        service.confirm_translations(p["delegate-1"], mid, [("art-1", "zh")])  # type: ignore[arg-type]
    # an adoption lands between the secretariat's check and its confirmation
    _adopt(room, "replace", {"en": "Schools for all."}, article="art-2")
    with pytest.raises(Conflict, match=f"version {checked.number} is not the latest"):
        service.confirm_translations(
            p["secretariat"],
            mid,  # type: ignore[arg-type]
            [("art-1", "zh")],
            version=checked.number,
        )
    assert _stale(service, mid) == [("art-1", "zh"), ("art-2", "zh")]


def test_the_sponsor_can_confirm_a_language_when_proposing(room: Room) -> None:
    service, mid, _ = room
    version = _adopt(
        room,
        "replace",
        {"en": "Article 1, in other words (en)"},
        article="art-1",
        intent={"zh": "confirmed", "en": "changed"},
    )
    assert _stale(service, mid) == []
    assert version.declaration.articles[0].text["zh"] == "Article 1 (zh)"
    proposed = [e for e in service.events_after(CONSOLE, mid) if e.type == "amendment_proposed"]  # type: ignore[arg-type]
    assert proposed[0].body.intent == {"zh": "confirmed", "en": "changed"}  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("texts", "intent", "field", "message"),
    [
        ({"en": "New"}, {"zh": "changed"}, "intent.zh", "words sent are the current ones"),
        ({"en": "New", "zh": "新"}, {"zh": "confirmed"}, "intent.zh", "differ from the current"),
        ({"en": "New"}, {"en": "confirmed"}, "intent.en", "negotiating language"),
        ({"en": "New"}, {"fr": "confirmed"}, "intent.fr", "not one of the meeting's languages"),
        ({"en": "New"}, {"zh": "maybe"}, "intent.zh", "'maybe' is not one of"),
    ],
)
def test_a_wrong_intent_names_the_language(
    room: Room, texts: dict[str, str], intent: dict[str, str], field: str, message: str
) -> None:
    service, mid, p = room
    with pytest.raises(InvalidInput, match=message) as caught:
        service.propose_amendment(
            p["delegate-1"],
            mid,  # type: ignore[arg-type]
            kind="replace",
            article="art-1",
            texts=texts,
            intent=intent,
        )
    assert caught.value.field == field
    assert service.amendments(CONSOLE, mid) == []  # type: ignore[arg-type]


def test_the_sponsor_revises_the_intent_and_the_secretariat_cannot(room: Room) -> None:
    service, mid, p = room
    a = service.propose_amendment(
        p["delegate-1"],
        mid,  # type: ignore[arg-type]
        kind="title",
        texts={"en": "The new title"},
    )
    with pytest.raises(NotPermitted, match="intent"):
        service.revise_amendment(
            p["secretariat"],
            mid,  # type: ignore[arg-type]
            a.number,
            intent={"zh": "confirmed"},
        )
    with pytest.raises(InvalidInput) as caught:
        service.revise_amendment(
            p["delegate-1"],
            mid,  # type: ignore[arg-type]
            a.number,
            intent={"zh": "changed"},
        )
    assert caught.value.field == "intent.zh"
    revised = service.revise_amendment(
        p["delegate-1"],
        mid,  # type: ignore[arg-type]
        a.number,
        intent={"zh": "confirmed"},
    )
    assert revised.confirmed_languages() == {"zh"}
    service.adopt_amendment(p["chair"], mid, a.number)  # type: ignore[arg-type]
    assert _stale(service, mid) == []

"""Drafting over real databases: amendments, rebasing, translations, comments."""

from __future__ import annotations

import pytest
from sqlalchemy import text as sql

from consensus_kit import (
    CONSOLE,
    AmendmentStatus,
    AnchorState,
    InvalidInput,
    InvalidState,
    MeetingService,
    NotPermitted,
    Quote,
    verify_store,
)
from consensus_kit.domain.amendments import _diff
from consensus_kit.domain.diff import diff_texts
from consensus_kit.domain.model import ArticleId
from consensus_kit.storage.store import SqlStore
from tests.builders import load_meeting, with_articles

EN1 = "Children are the hope of the future. States should act now. NGOs should lead."
ZH1 = "儿童是未来的希望。各国应立即行动。社会组织应发挥带头作用。"


@pytest.fixture
def room(service: MeetingService):  # type: ignore[no-untyped-def]
    """A meeting whose version 2 has real sentences in article 1."""
    loaded = load_meeting(service)
    mid = loaded.meeting.id
    chair = service.delegate(mid, "chair")
    service.publish_version(
        chair,
        mid,
        with_articles(
            loaded.version.declaration,
            {
                "art-1": {"en": EN1, "zh": ZH1},
                "art-2": {"en": "Schools for all.", "zh": "人人有学上。"},
            },
        ),
    )
    people = {d.id: d for d in service.meeting(mid).delegates}
    return service, mid, people


def test_adopting_an_amendment_makes_the_next_version_in_both_languages(room) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = room
    a = service.propose_amendment(
        p["delegate-1"],
        mid,
        kind="replace",
        article="art-2",
        texts={"en": "Schools for every child.", "zh": "每个儿童都有学上。"},
        rationale="Be precise.",
    )
    assert (a.status, a.sponsor, a.base_version) == (AmendmentStatus.SUBMITTED, "org-1", 2)
    view = service.amendment(p["observer"], mid, a.number)
    assert [(o.op, o.text) for o in view.diffs["en"]] == [
        ("equal", "Schools for "),
        ("delete", "all"),
        ("insert", "every child"),
        ("equal", "."),
    ]
    assert view.pending == []
    v3 = service.adopt_amendment(p["chair"], mid, a.number)
    assert v3.number == 3 and v3.parent == 2
    art = v3.declaration.article(ArticleId("art-2"))
    assert art is not None and art.text == {
        "en": "Schools for every child.",
        "zh": "每个儿童都有学上。",
    }
    adopted = service.amendment(CONSOLE, mid, a.number).amendment
    assert (adopted.status, adopted.adopted_in) == (AmendmentStatus.ADOPTED, 3)
    types = [e.type for e in service.events_after(CONSOLE, mid, after=4)]
    assert types == [
        "amendment_proposed",
        "version_published",
        "amendment_status_changed",
        "amendment_adopted",
    ]
    assert verify_store(service.store, CONSOLE).ok


def test_an_amendment_in_another_sentence_is_rebased_onto_the_new_text(room) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = room
    first = service.propose_amendment(
        p["delegate-1"],
        mid,
        kind="replace",
        article="art-1",
        texts={"en": EN1.replace("the future", "the whole world")},
    )
    second = service.propose_amendment(
        p["delegate-2"],
        mid,
        kind="replace",
        article="art-1",
        texts={
            "en": EN1.replace("should lead", "should help lead"),
            "zh": ZH1.replace("带头", "引领"),
        },
    )
    service.adopt_amendment(p["chair"], mid, first.number)
    rebased = service.amendment(CONSOLE, mid, second.number).amendment
    assert rebased.status is AmendmentStatus.SUBMITTED
    assert (rebased.base_version, rebased.rebased_from) == (3, (2,))
    assert rebased.texts["en"] == (
        "Children are the hope of the whole world. States should act now. NGOs should help lead."
    )
    assert rebased.texts["zh"] == ZH1.replace("带头", "引领")  # zh did not move
    v4 = service.adopt_amendment(p["chair"], mid, second.number)
    assert v4.declaration.articles[0].text["en"] == rebased.texts["en"]


def test_amendment_diffs_are_stored_at_proposal_and_rebase_and_read_without_computing(
    room, db_url: str
) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = room
    first = service.propose_amendment(
        p["delegate-1"],
        mid,
        kind="replace",
        article="art-1",
        texts={"en": EN1.replace("the future", "the whole world")},
    )
    service.propose_amendment(
        p["delegate-2"],
        mid,
        kind="replace",
        article="art-1",
        texts={
            "en": EN1.replace("should lead", "should help lead"),
            "zh": ZH1.replace("带头", "引领"),
        },
    )
    service.adopt_amendment(p["chair"], mid, first.number)  # the second is rebased onto v3
    # after a restart no diff is in memory: a new store, and the per-process diffs forgotten
    _diff.cache_clear()
    restarted = SqlStore.open(db_url)
    try:
        views = MeetingService(restarted).amendments(CONSOLE, mid, article="art-1")
        one = MeetingService(restarted).amendment(CONSOLE, mid, views[1].amendment.number)
    finally:
        restarted.close()
    asked = _diff.cache_info()
    assert asked.hits + asked.misses == 0, asked  # every diff was read, none computed
    assert one.diffs == views[1].diffs
    rebased = views[1]
    assert rebased.amendment.base_texts["en"].startswith("Children are the hope of the whole")
    for view in views:
        a = view.amendment
        assert view.diffs == {
            lang: diff_texts(a.base_texts.get(lang, ""), text, lang=lang)
            for lang, text in a.texts.items()
        }
    assert [(o.op, o.text) for o in rebased.diffs["en"] if o.op != "equal"] == [("insert", "help ")]


def test_an_amendment_stored_before_its_diffs_were_has_them_computed_when_read(
    room, store: SqlStore
) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = room
    a = service.propose_amendment(
        p["delegate-1"],
        mid,
        kind="replace",
        article="art-2",
        texts={"en": "Schools for every child."},
    )
    with store.engine.begin() as connection:  # as a row written before revision 0010
        connection.execute(sql("UPDATE amendments SET diffs = NULL"))
    _diff.cache_clear()
    (view,) = service.amendments(CONSOLE, mid, article="art-2")
    assert _diff.cache_info().misses == 1
    assert view.diffs == {"en": diff_texts("Schools for all.", "Schools for every child.")}
    service.cosponsor_amendment(p["delegate-2"], mid, a.number)  # written again: stored
    _diff.cache_clear()
    assert service.amendments(CONSOLE, mid, article="art-2")[0].diffs == view.diffs
    assert _diff.cache_info().misses == 0


def test_an_amendment_on_the_same_words_needs_update_and_its_sponsor_revises_it(room) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = room
    first = service.propose_amendment(
        p["delegate-1"],
        mid,
        kind="replace",
        article="art-1",
        texts={"en": EN1.replace("act now", "act at once")},
    )
    second = service.propose_amendment(
        p["delegate-2"],
        mid,
        kind="replace",
        article="art-1",
        texts={"en": EN1.replace("act now", "act this year")},
    )
    service.adopt_amendment(p["chair"], mid, first.number)
    stuck = service.amendment(CONSOLE, mid, second.number).amendment
    assert stuck.status is AmendmentStatus.NEEDS_UPDATE
    assert "[en] the adopted text also changed" in stuck.conflict and "now" in stuck.conflict
    with pytest.raises(InvalidState, match="cannot become adopted"):
        service.adopt_amendment(p["chair"], mid, second.number)
    with pytest.raises(NotPermitted, match="acts for org-1, not for org-2"):
        service.revise_amendment(p["delegate-1"], mid, second.number, texts={"en": "x"})
    revised = service.revise_amendment(
        p["delegate-2"],
        mid,
        second.number,
        texts={"en": EN1.replace("act now", "act at once, this year")},
    )
    assert (revised.status, revised.base_version, revised.conflict) == (
        AmendmentStatus.SUBMITTED,
        3,
        "",
    )
    v4 = service.adopt_amendment(p["chair"], mid, second.number)
    assert "act at once, this year" in v4.declaration.articles[0].text["en"]


def test_deleting_an_article_supersedes_amendments_on_it(room) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = room
    edit = service.propose_amendment(
        p["delegate-1"],
        mid,
        kind="replace",
        article="art-2",
        texts={"en": "Schools for every child."},
    )
    insert = service.propose_amendment(
        p["delegate-1"], mid, kind="insert", after="art-2", texts={"en": "Teachers too."}
    )
    delete = service.propose_amendment(p["delegate-2"], mid, kind="delete", article="art-2")
    v3 = service.adopt_amendment(p["chair"], mid, delete.number)
    assert [a.id for a in v3.declaration.articles] == ["art-1"]
    assert (
        service.amendment(CONSOLE, mid, edit.number).amendment.status is AmendmentStatus.SUPERSEDED
    )
    after = service.amendment(CONSOLE, mid, insert.number).amendment
    assert (
        after.status is AmendmentStatus.NEEDS_UPDATE and "art-2 no longer exists" in after.conflict
    )


def test_an_amendment_whose_change_was_adopted_already_is_superseded(room) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = room
    same = {"en": "Schools for every child."}
    a = service.propose_amendment(p["delegate-1"], mid, kind="replace", article="art-2", texts=same)
    b = service.propose_amendment(p["delegate-2"], mid, kind="replace", article="art-2", texts=same)
    service.adopt_amendment(p["chair"], mid, a.number)
    assert service.amendment(CONSOLE, mid, b.number).amendment.status is AmendmentStatus.SUPERSEDED


def test_insert_move_title_and_preamble_through_the_service(room) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = room
    d1 = p["delegate-1"]
    ins = service.propose_amendment(
        d1, mid, kind="insert", after=None, texts={"en": "First.", "zh": "首先。"}
    )
    v = service.adopt_amendment(p["chair"], mid, ins.number)
    assert v.declaration.articles[0].text["zh"] == "首先。"
    new_id = v.declaration.articles[0].id
    mv = service.propose_amendment(d1, mid, kind="move", article=new_id, after="art-2")
    v = service.adopt_amendment(p["chair"], mid, mv.number)
    assert [a.id for a in v.declaration.articles] == ["art-1", "art-2", new_id]
    t = service.propose_amendment(d1, mid, kind="title", texts={"en": "New title", "zh": "新标题"})
    pre = service.propose_amendment(d1, mid, kind="preamble", texts={"zh": "我们商定："})
    service.adopt_amendment(p["chair"], mid, t.number)
    v = service.adopt_amendment(p["chair"], mid, pre.number)
    assert v.declaration.title == {"en": "New title", "zh": "新标题"}
    assert v.declaration.preamble["zh"] == "我们商定："


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "rewrite", "article": "art-1"}, "kind"),
        ({"kind": "replace", "article": "art-9", "texts": {"en": "x"}}, "article"),
        ({"kind": "replace", "article": "art-1", "texts": {"fr": "x"}}, "texts.fr"),
        ({"kind": "replace", "article": "art-1", "texts": {}}, "texts"),
        ({"kind": "replace", "article": "art-1", "texts": {"en": "bad\x1btext"}}, "texts.en"),
        ({"kind": "insert", "after": "art-1", "texts": {"zh": "只有中文"}}, "texts.en"),
        ({"kind": "delete", "article": "art-1", "texts": {"en": "x"}}, "texts"),
        ({"kind": "move", "article": "art-1", "after": "art-1"}, "after"),
        ({"kind": "title", "article": "art-1", "texts": {"en": "x"}}, "article"),
        (
            {"kind": "replace", "article": "art-1", "texts": {"en": "x"}, "rationale": "r" * 2001},
            "rationale",
        ),
        (
            {"kind": "replace", "article": "art-1", "texts": {"en": "x"}, "base_version": 9},
            "base_version",
        ),
    ],
)
def test_a_bad_proposal_names_its_field_and_stores_nothing(room, kwargs, field) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = room
    before = service.events_after(CONSOLE, mid)
    with pytest.raises(InvalidInput) as caught:
        service.propose_amendment(p["delegate-1"], mid, **kwargs)
    assert caught.value.field == field
    assert service.events_after(CONSOLE, mid) == before
    assert service.amendments(CONSOLE, mid) == []


def test_observers_and_the_console_cannot_propose(room) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = room
    for who in (p["observer"], CONSOLE, p["chair"]):
        with pytest.raises(NotPermitted):
            service.propose_amendment(who, mid, kind="delete", article="art-2")


def test_withdraw_cosponsor_and_the_secretariats_translation(room) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = room
    a = service.propose_amendment(
        p["delegate-1"],
        mid,
        kind="replace",
        article="art-2",
        texts={"en": "Schools for every child."},
    )
    assert service.amendment(CONSOLE, mid, a.number).pending == ["zh"]
    joined = service.cosponsor_amendment(p["delegate-2"], mid, a.number)
    assert joined.cosponsors == ("org-2",)
    with pytest.raises(InvalidState, match="already sponsors"):
        service.cosponsor_amendment(p["signatory-2"], mid, a.number)
    with pytest.raises(NotPermitted, match="may add a missing translation, not change"):
        service.revise_amendment(p["secretariat"], mid, a.number, texts={"en": "Other words."})
    translated = service.revise_amendment(
        p["secretariat"], mid, a.number, texts={"zh": "每个儿童都有学上。"}
    )
    assert translated.texts == {"en": "Schools for every child.", "zh": "每个儿童都有学上。"}
    assert service.amendment(CONSOLE, mid, a.number).pending == []
    with pytest.raises(NotPermitted):
        service.withdraw_amendment(p["delegate-2"], mid, a.number)  # a co-sponsor, not the sponsor
    gone = service.withdraw_amendment(p["signatory-1"], mid, a.number)
    assert gone.status is AmendmentStatus.WITHDRAWN
    with pytest.raises(InvalidState, match="withdrawn; it cannot become adopted"):
        service.adopt_amendment(p["chair"], mid, a.number)


def test_drafts_are_submitted_by_their_sponsor(room) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = room
    a = service.propose_amendment(p["delegate-1"], mid, kind="delete", article="art-2", draft=True)
    assert a.status is AmendmentStatus.DRAFT
    with pytest.raises(InvalidState, match="draft; it cannot become adopted"):
        service.adopt_amendment(p["chair"], mid, a.number)
    assert (
        service.submit_amendment(p["delegate-1"], mid, a.number).status is AmendmentStatus.SUBMITTED
    )
    with pytest.raises(InvalidState, match="not a draft"):
        service.submit_amendment(p["delegate-1"], mid, a.number)


def test_rejected_amendments_stay_rejected(room) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = room
    a = service.propose_amendment(p["delegate-1"], mid, kind="delete", article="art-2")
    assert (
        service.reject_amendment(p["chair"], mid, a.number, reason="no support").status
        is AmendmentStatus.REJECTED
    )
    with pytest.raises(InvalidState):
        service.revise_amendment(p["delegate-1"], mid, a.number, rationale="please")


# -- translations -------------------------------------------------------------------------------


def test_a_change_in_english_makes_chinese_stale_until_the_secretariat_updates_it(room) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = room
    a = service.propose_amendment(
        p["delegate-1"],
        mid,
        kind="replace",
        article="art-2",
        texts={"en": "Schools for every child."},
    )
    v3 = service.adopt_amendment(p["chair"], mid, a.number)
    stale = service.stale_translations(p["observer"], mid)
    assert [(s.article, s.lang, s.revision, s.in_step_with) for s in stale] == [
        ("art-2", "zh", 3, 2)
    ]
    assert [f.code for f in service.lint(CONSOLE, mid)] == ["stale"]
    with pytest.raises(
        InvalidState,
        match=r"cannot be frozen: 1 stale translation\(s\): article 2 \(art-2\) \[zh\]",
    ):
        service.freeze_version(p["chair"], mid, v3.number)
    with pytest.raises(InvalidInput, match="is the negotiating language"):
        service.update_translations(p["secretariat"], mid, {("art-2", "en"): "x"})
    v4 = service.update_translations(p["secretariat"], mid, {("art-2", "zh"): "每个儿童都有学上。"})
    assert service.stale_translations(CONSOLE, mid) == []
    assert v4.declaration.articles[1].text["zh"] == "每个儿童都有学上。"
    assert service.freeze_version(p["chair"], mid, v4.number).number == 4
    assert service.stale_translations(CONSOLE, mid, 3) != []  # history keeps version 3 as it was


# -- comments -----------------------------------------------------------------------------------


def test_comments_thread_quote_edit_and_withdraw(room) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = room
    start = ZH1.index("未来")
    c1 = service.post_comment(
        p["observer"],
        mid,
        target="article",
        target_id="art-1",
        body="“未来” is vague.",
        quote=Quote(lang="zh", start=start, end=start + 2, text="未来"),
    )
    reply = service.post_comment(
        p["delegate-1"], mid, target="article", target_id="art-1", body="Agreed 👍", parent=c1.id
    )
    views = service.comments(p["delegate-2"], mid, target="article", target_id="art-1")
    assert [(v.comment.id, v.comment.parent, v.anchor) for v in views] == [
        (c1.id, None, AnchorState.CURRENT),
        (reply.id, c1.id, None),
    ]
    with pytest.raises(NotPermitted, match="only its author may change it"):
        service.edit_comment(p["delegate-1"], mid, c1.id, "hijacked")
    edited = service.edit_comment(p["observer"], mid, c1.id, "“未来” is too vague.")
    assert edited.history == ("“未来” is vague.",)
    gone = service.withdraw_comment(p["delegate-1"], mid, reply.id)
    assert gone.withdrawn and gone.body == "Agreed 👍"
    with pytest.raises(InvalidState, match="withdrawn"):
        service.edit_comment(p["delegate-1"], mid, reply.id, "again")


def test_an_anchor_is_outdated_when_its_words_change(room) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = room
    start = EN1.index("act now")
    c = service.post_comment(
        p["delegate-2"],
        mid,
        target="article",
        target_id="art-1",
        body="When?",
        quote=Quote(lang="en", start=start, end=start + 7, text="act now"),
    )
    a = service.propose_amendment(
        p["delegate-1"], mid, kind="replace", article="art-1", texts={"en": "Today: " + EN1}
    )
    service.adopt_amendment(p["chair"], mid, a.number)
    (view,) = service.comments(CONSOLE, mid, target="article", target_id="art-1")
    assert view.comment.id == c.id and view.anchor is AnchorState.OUTDATED
    assert view.comment.anchor is not None and view.comment.anchor.quote == "act now"


def test_a_quote_must_match_the_text_and_a_reply_its_thread(room) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = room
    with pytest.raises(
        InvalidInput, match=r"anchor\.quote: the quoted words are not at that place"
    ):
        service.post_comment(
            p["delegate-1"],
            mid,
            target="article",
            target_id="art-1",
            body="x",
            quote=Quote(lang="en", start=0, end=8, text="Adults a"),
        )
    with pytest.raises(InvalidInput, match=r"anchor: the span 0–999 is outside the text"):
        service.post_comment(
            p["delegate-1"],
            mid,
            target="article",
            target_id="art-1",
            body="x",
            quote=Quote(lang="en", start=0, end=999, text="x"),
        )
    other = service.post_comment(
        p["delegate-1"], mid, target="article", target_id="art-2", body="x"
    )
    with pytest.raises(InvalidInput, match="parent: no comment"):
        service.post_comment(
            p["delegate-1"], mid, target="article", target_id="art-1", body="y", parent=other.id
        )
    with pytest.raises(InvalidInput, match="body: must not be empty"):
        service.post_comment(p["delegate-1"], mid, target="article", target_id="art-1", body="  ")


def test_comments_on_an_amendment(room) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = room
    a = service.propose_amendment(
        p["delegate-1"],
        mid,
        kind="replace",
        article="art-2",
        texts={"en": "Schools for every child."},
    )
    c = service.post_comment(
        p["chair"],
        mid,
        target="amendment",
        target_id=str(a.number),
        body="On the floor next.",
        quote=Quote(lang="en", start=12, end=23, text="every child"),
    )
    (view,) = service.comments(CONSOLE, mid, target="amendment", target_id=str(a.number))
    assert view.comment.id == c.id and view.anchor is AnchorState.CURRENT


def test_the_chair_puts_items_on_the_floor(room) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = room
    assert service.agenda(p["observer"], mid).kind.value == "none"
    item = service.set_agenda(p["chair"], mid, "article", "art-2", note="Schools")
    assert (item.kind.value, item.ref, item.set_by) == ("article", "art-2", "chair")
    assert service.agenda(p["delegate-1"], mid) == item
    with pytest.raises(InvalidInput, match="ref: no amendment '9' in this meeting"):
        service.set_agenda(p["chair"], mid, "amendment", "9")
    with pytest.raises(InvalidInput, match="kind: 'break' is not an agenda item"):
        service.set_agenda(p["chair"], mid, "break")
    assert service.events_after(CONSOLE, mid)[-1].type == "agenda_set"


def test_amendments_and_comments_round_trip_the_unicode_corpus(room) -> None:  # type: ignore[no-untyped-def]
    from tests.builders import UNICODE_CORPUS

    service, mid, p = room
    for name, text in UNICODE_CORPUS.items():
        a = service.propose_amendment(
            p["delegate-1"],
            mid,
            kind="replace",
            article="art-2",
            texts={"en": text, "zh": text},
            rationale=text,
        )
        c = service.post_comment(
            p["observer"], mid, target="amendment", target_id=str(a.number), body=text
        )
        stored = service.amendment(CONSOLE, mid, a.number).amendment
        assert (stored.texts["en"], stored.texts["zh"], stored.rationale) == (text, text, text), (
            name
        )
        (view,) = service.comments(CONSOLE, mid, target="amendment", target_id=str(a.number))
        assert view.comment.body == text and view.comment.id == c.id, name

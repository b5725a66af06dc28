"""Amendment rules: status transitions and applying each kind in two languages."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from consensus_kit import (
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    Article,
    ArticleId,
    Declaration,
    InvalidState,
)
from consensus_kit.domain.amendments import TRANSITIONS, apply_amendment, check_transition

AT = dt.datetime(2018, 3, 22, tzinfo=dt.UTC)
BASE = Declaration(
    title={"en": "Consensus", "zh": "共识"},  # type: ignore[dict-item]
    preamble={"en": "We agree:", "zh": "我们同意："},  # type: ignore[dict-item]
    articles=(
        Article(id=ArticleId("art-1"), text={"en": "Children first.", "zh": "儿童优先。"}),  # type: ignore[dict-item]
        Article(id=ArticleId("art-2"), text={"en": "Schools for all.", "zh": "人人有学上。"}),  # type: ignore[dict-item]
        Article(id=ArticleId("art-3"), text={"en": "Work together.", "zh": "共同努力。"}),  # type: ignore[dict-item]
    ),
)


def amendment(kind: AmendmentKind, **kw: object) -> Amendment:
    return Amendment(
        meeting="m",
        number=1,
        kind=kind,
        base_version=1,
        sponsor="org-1",  # type: ignore[arg-type]
        proposed_by="d",
        created_at=AT,
        **kw,
    )  # type: ignore[arg-type]


def apply(a: Amendment) -> Declaration:
    return apply_amendment(BASE, a, version=2, negotiating="en")  # type: ignore[arg-type]


def texts(d: Declaration, lang: str) -> list[str]:
    return [a.text.get(lang, "—") for a in d.articles]  # type: ignore[call-overload]


def test_replace_changes_both_languages_and_keeps_them_in_step() -> None:
    result = apply(
        amendment(
            AmendmentKind.REPLACE,
            article="art-2",
            texts={"en": "Schools for every child.", "zh": "每个儿童都有学上。"},
        )
    )
    assert texts(result, "en") == ["Children first.", "Schools for every child.", "Work together."]
    assert texts(result, "zh") == ["儿童优先。", "每个儿童都有学上。", "共同努力。"]
    article = result.articles[1]
    assert (article.revision, article.in_step) == (2, {})  # in step: nothing to list
    assert not article.is_stale("zh", "en")  # type: ignore[arg-type]


def test_replace_in_the_negotiating_language_only_makes_the_translation_stale() -> None:
    result = apply(
        amendment(AmendmentKind.REPLACE, article="art-1", texts={"en": "Children come first."})
    )
    assert texts(result, "zh")[0] == "儿童优先。"
    assert result.articles[0].is_stale("zh", "en")  # type: ignore[arg-type]
    assert not result.articles[1].is_stale("zh", "en")  # type: ignore[arg-type]


def test_insert_after_an_article_and_at_the_start() -> None:
    middle = apply(
        amendment(
            AmendmentKind.INSERT, after="art-1", texts={"en": "Play matters.", "zh": "玩耍很重要。"}
        )
    )
    assert texts(middle, "en") == [
        "Children first.",
        "Play matters.",
        "Schools for all.",
        "Work together.",
    ]
    assert texts(middle, "zh")[1] == "玩耍很重要。"
    assert middle.articles[1].id == "art-4"
    start = apply(
        amendment(AmendmentKind.INSERT, after=None, texts={"en": "Preface.", "zh": "序。"})
    )
    assert texts(start, "zh") == ["序。", "儿童优先。", "人人有学上。", "共同努力。"]


def test_delete_and_move() -> None:
    deleted = apply(amendment(AmendmentKind.DELETE, article="art-2"))
    assert texts(deleted, "zh") == ["儿童优先。", "共同努力。"]
    moved = apply(amendment(AmendmentKind.MOVE, article="art-3", after=None))
    assert texts(moved, "en") == ["Work together.", "Children first.", "Schools for all."]
    assert texts(moved, "zh") == ["共同努力。", "儿童优先。", "人人有学上。"]
    to_end = apply(amendment(AmendmentKind.MOVE, article="art-1", after="art-3"))
    assert [a.id for a in to_end.articles] == ["art-2", "art-3", "art-1"]


def test_title_and_preamble_in_two_languages() -> None:
    titled = apply(amendment(AmendmentKind.TITLE, texts={"en": "A20 Consensus", "zh": "A20 共识"}))
    assert titled.title == {"en": "A20 Consensus", "zh": "A20 共识"}
    pre = apply(amendment(AmendmentKind.PREAMBLE, texts={"zh": "我们一致同意："}))
    assert pre.preamble == {"en": "We agree:", "zh": "我们一致同意："}


def test_a_vanished_target_is_refused() -> None:
    with pytest.raises(InvalidState, match="article 'art-9' no longer exists"):
        apply(amendment(AmendmentKind.REPLACE, article="art-9", texts={"en": "x"}))


ALLOWED = {(old, new) for old, targets in TRANSITIONS.items() for new in targets}


@pytest.mark.parametrize(
    ("old", "new"), sorted(itertools.product(AmendmentStatus, AmendmentStatus))
)
def test_every_status_transition_is_allowed_or_refused_by_the_table(
    old: AmendmentStatus, new: AmendmentStatus
) -> None:
    if (old, new) in ALLOWED:
        check_transition(old, new, number=7)
    else:
        with pytest.raises(
            InvalidState, match=f"amendment 7 is {old.value}; it cannot become {new.value}"
        ):
            check_transition(old, new, number=7)


def test_final_statuses_have_no_way_out() -> None:
    for status in ("withdrawn", "adopted", "superseded", "set_aside"):
        assert TRANSITIONS[AmendmentStatus(status)] == frozenset()
    # a rejected amendment reopens only by reconsideration, when the rules of procedure allow it
    assert TRANSITIONS[AmendmentStatus.REJECTED] == {AmendmentStatus.SUBMITTED}
    assert (AmendmentStatus.UNDER_VOTE, AmendmentStatus.WITHDRAWN) not in ALLOWED

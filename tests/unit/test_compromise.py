"""The merge of amendments into a compromise text, as a pure function (issue 22): per language,
Chinese by characters, with any Unicode a delegate types."""

from __future__ import annotations

import datetime as dt

import pytest

from consensus_kit import Amendment, AmendmentKind, AmendmentStatus, InvalidInput, InvalidState
from consensus_kit.domain.compromise import merge_amendments

ZH = "我们保护每个儿童免受暴力，我们支持今天需要帮助的家庭，共建美好未来。"
EN = "We protect every child 🧒 from violence and support families in need today."


def _amendment(number: int, texts: dict[str, str], **kw: object) -> Amendment:
    return Amendment(
        meeting="m",  # type: ignore[arg-type]
        number=number,
        kind=kw.pop("kind", AmendmentKind.REPLACE),  # type: ignore[arg-type]
        base_version=1,
        sponsor=f"org-{number}",  # type: ignore[arg-type]
        proposed_by="d",  # type: ignore[arg-type]
        created_at=dt.datetime(2026, 3, 18, tzinfo=dt.UTC),
        article=kw.pop("article", "art-1"),  # type: ignore[arg-type]
        texts=texts,  # type: ignore[arg-type]
        base_texts={"en": EN, "zh": ZH},  # type: ignore[dict-item]
        **kw,  # type: ignore[arg-type]
    )


def test_chinese_changes_far_apart_merge_by_character_and_a_third_conflicts() -> None:
    a = _amendment(1, {"zh": ZH.replace("每个儿童", "所有儿童")})
    b = _amendment(2, {"zh": ZH.replace("美好未来", "和平美好的未来")})
    c = _amendment(3, {"zh": ZH.replace("每个儿童", "每一个孩子")})
    merge = merge_amendments({"en": EN, "zh": ZH}, [c, b, a])  # any order: by number
    assert merge.texts["zh"] == ZH.replace("每个儿童", "所有儿童").replace(
        "美好未来", "和平美好的未来"
    )
    assert merge.applied == {"zh": [1, 2]}
    assert [(x.number, x.lang) for x in merge.conflicts] == [(3, "zh")]
    assert merge.conflicts[0].reason.startswith("changes the same words as amendment 1")
    assert merge.texts["en"] == EN


def test_emoji_and_combining_marks_survive_a_merge() -> None:
    a = _amendment(1, {"en": EN.replace("We protect", "We, the café́ network 🌍, protect")})
    b = _amendment(2, {"en": EN.replace("in need today", "in need today 🤝")})
    merged = merge_amendments({"en": EN, "zh": ZH}, [a, b]).texts["en"]
    assert (
        merged
        == "We, the café́ network 🌍, protect every child 🧒 from violence and support families in need today 🤝."
    )


def test_what_cannot_be_merged_is_named() -> None:
    a = _amendment(1, {"en": "x"})
    with pytest.raises(InvalidInput, match="amendments 1 and 2 change different texts"):
        merge_amendments({}, [a, _amendment(2, {"en": "y"}, article="art-2")])
    with pytest.raises(InvalidInput, match="amendment 2 is a delete amendment"):
        merge_amendments({}, [a, _amendment(2, {}, kind=AmendmentKind.DELETE)])
    with pytest.raises(InvalidState, match="amendment 2 is set aside"):
        merge_amendments({}, [a, _amendment(2, {"en": "y"}, status=AmendmentStatus.SET_ASIDE)])

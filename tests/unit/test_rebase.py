"""Rebasing: clean when edits are apart, a named conflict when they touch — never a blend."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from consensus_kit.domain.rebase import rebase_text


def test_edits_in_different_sentences_rebase_to_both() -> None:
    base = "Children are the hope of the future. States should act now. NGOs should lead."
    ours = "Children are the hope of the whole world. States should act now. NGOs should lead."
    theirs = "Children are the hope of the future. States should act now. NGOs should help lead."
    result = rebase_text(base, ours, theirs, lang="en")
    assert (
        result.text
        == "Children are the hope of the whole world. States should act now. NGOs should help lead."
    )


def test_two_changes_of_the_same_phrase_conflict_and_quote_it() -> None:
    base = "We welcome the report of the Secretary-General."
    result = rebase_text(
        base,
        "We note the report of the Secretary-General.",
        "We reject the report of the Secretary-General.",
        lang="en",
    )
    assert not result.clean
    assert "welcome" in result.conflict


def test_edits_one_word_apart_are_too_close() -> None:
    result = rebase_text("a b c d e f", "a X c d e f", "a b c Y e f")
    assert not result.clean


def test_chinese_character_edits_rebase_when_apart_and_conflict_when_close() -> None:
    base = "我们认为儿童是未来的希望。我们呼吁各国行动。"
    clean = rebase_text(
        base,
        "我们认为儿童是世界的希望。我们呼吁各国行动。",
        "我们认为儿童是未来的希望。我们呼吁所有国家行动。",
        lang="zh",
    )
    assert clean.text == "我们认为儿童是世界的希望。我们呼吁所有国家行动。"
    close = rebase_text(
        "我们认为儿童是未来的希望。",
        "我们认为儿童是世界的希望。",
        "我们相信儿童是未来的希望。",
        lang="zh",
    )
    assert not close.clean


def test_the_same_change_on_both_sides_is_recognised_not_applied_twice() -> None:
    result = rebase_text("a", "aa", "aa")
    assert result.text == "aa" and result.already_in


def test_insertions_at_the_same_place_conflict() -> None:
    assert not rebase_text("one two", "one two three", "one two four").clean


def test_a_deleted_sentence_is_not_edited_elsewhere() -> None:
    base = "First sentence here. Second sentence there."
    ours = "First sentence here. Second sentence everywhere."
    theirs = "First sentence here."
    assert not rebase_text(base, ours, theirs).clean


WORDS = st.lists(
    st.sampled_from(["alpha", "beta", "gamma", "delta", "儿童", "保护", "2030", "UNICEF"]),
    min_size=12,
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(words=WORDS, data=st.data())
def test_edits_far_apart_always_rebase_to_the_text_with_both(
    words: list[str], data: st.DataObject
) -> None:
    n = len(words)
    i = data.draw(st.integers(0, n // 2 - 4))
    j = data.draw(st.integers(i + 6, n - 1))
    ours_words = [*words[:i], "OURS", *words[i + 1 :]]
    theirs_words = [*words[:j], "THEIRS", *words[j + 1 :]]
    both = [*words[:i], "OURS", *words[i + 1 : j], "THEIRS", *words[j + 1 :]]
    result = rebase_text(" ".join(words), " ".join(ours_words), " ".join(theirs_words))
    assert result.text == " ".join(both)


@settings(max_examples=300, deadline=None)
@given(
    base=st.text(alphabet="ab ", min_size=0, max_size=30),
    ours=st.text(alphabet="ab ", min_size=0, max_size=30),
    theirs=st.text(alphabet="ab ", min_size=0, max_size=30),
)
def test_a_rebase_never_blends_silently(base: str, ours: str, theirs: str) -> None:
    """Whatever the texts, a clean rebase keeps every word of both changes."""
    result = rebase_text(base, ours, theirs)
    if result.text is None:
        assert result.conflict
        return
    if ours == base:
        assert result.text == theirs
    elif theirs in (base, ours):
        assert result.text == ours
    else:
        # a real merge: diffing it against each side shows only the other side's change
        from consensus_kit.domain.diff import diff_texts

        for side, other in ((theirs, ours), (ours, theirs)):
            changed = {o.text.strip() for o in diff_texts(side, result.text) if o.op != "equal"}
            wanted = {o.text.strip() for o in diff_texts(base, other) if o.op != "equal"}
            assert changed == wanted


@settings(max_examples=150, deadline=None)
@given(words=WORDS, data=st.data())
def test_overlapping_edits_never_rebase(words: list[str], data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(words) - 1))
    j = data.draw(st.integers(max(0, i - 1), min(len(words) - 1, i + 1)))
    ours = [*words[:i], "OURS", *words[i + 1 :]]
    theirs = [*words[:j], "THEIRS", *words[j + 1 :]]
    assume(ours != theirs)
    assert not rebase_text(" ".join(words), " ".join(ours), " ".join(theirs)).clean

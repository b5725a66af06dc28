"""The diff engine: whole words in spaced scripts, single characters in Chinese, nothing lost."""

from __future__ import annotations

import html
import itertools
import random
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consensus_kit.domain._align import align_tokens
from consensus_kit.domain.diff import (
    DiffOp,
    DiffSummary,
    changed_spans,
    diff_texts,
    new_text,
    old_text,
    render_html,
    spans,
    summary,
)
from consensus_kit.domain.tokens import (
    TokenMode,
    _clauses,
    _kind,
    _pattern,
    _trim,
    is_unspaced_lang,
    tokenize,
)

# From the A20 Global Social Consensus on Child Advocacy (Beijing, 23 March 2018), article 2,
# as published: the English text has "especially especially".
A20_EN_2 = (
    "Therefore, in order to lay a foundation for the sustainable development of all countries, "
    "we believe that the global community should pay more attention and provide increased "
    "support to domestic non-governmental organizations on child care and protection that "
    "reflect their own cultures and continuously serve their children, especially especially "
    "in developing countries."
)
A20_ZH_2 = (
    "2、社会组织应该成为关爱保护儿童事业的重要力量。与社会快速发展、人类面临更多复杂艰巨挑战的"
    "时代相比, 全球关爱保护儿童类社会组织发展缓慢, 尤其是在发展中国家, 受到观念、政策、资金、"
    "人员等方面的限制, 这类社会组织更不发达。"
)
MODES: tuple[TokenMode, ...] = ("auto", "word", "char")


def pairs(ops: list[DiffOp]) -> list[tuple[str, str]]:
    return [(o.op, o.text) for o in ops]


def changed(ops: list[DiffOp]) -> list[tuple[str, str]]:
    return [(o.op, o.text) for o in ops if o.op != "equal"]


def assert_well_formed(ops: list[DiffOp], old: str, new: str) -> None:
    assert old_text(ops) == old
    assert new_text(ops) == new
    assert all(o.text for o in ops), "no empty op"
    assert all(a.op != b.op for a, b in itertools.pairwise(ops)), "adjacent ops merged"
    assert all(not (a.op == "insert" and b.op == "delete") for a, b in itertools.pairwise(ops)), (
        "a delete comes before its insert"
    )


# --- scripts -------------------------------------------------------------------------------


def test_chinese_edit_marks_only_changed_characters() -> None:
    new = A20_ZH_2.replace("重要力量", "核心力量").replace("发展缓慢", "发展相对缓慢")
    ops = diff_texts(A20_ZH_2, new, lang="zh")
    assert changed(ops) == [("delete", "重要"), ("insert", "核心"), ("insert", "相对")]
    assert_well_formed(ops, A20_ZH_2, new)


def test_chinese_edit_needs_no_language_hint() -> None:
    new = A20_ZH_2.replace("资金、", "")
    assert changed(diff_texts(A20_ZH_2, new)) == [("delete", "资金、")]


def test_english_edit_marks_whole_words() -> None:
    old = "we welcome the report of the Secretary-General"
    new = "we note the reports of the Secretary-General"
    ops = diff_texts(old, new)
    assert pairs(ops) == [
        ("equal", "we "),
        ("delete", "welcome"),
        ("insert", "note"),
        ("equal", " the "),
        ("delete", "report"),
        ("insert", "reports"),
        ("equal", " of the Secretary-General"),
    ]


def test_english_words_between_close_edits_are_folded_into_one_change() -> None:
    ops = diff_texts("one two three four five six", "uno dos tres four five six")
    assert changed(ops) == [("delete", "one two three"), ("insert", "uno dos tres")]


def test_english_edit_of_a20_text_removes_the_doubled_word() -> None:
    new = A20_EN_2.replace("especially especially", "especially").replace(
        "increased support", "sustained support"
    )
    ops = diff_texts(A20_EN_2, new, lang="en")
    assert changed(ops) == [
        ("delete", "increased"),
        ("insert", "sustained"),
        ("delete", "especially "),
    ]
    assert_well_formed(ops, A20_EN_2, new)


def test_mixed_chinese_and_latin_keeps_words_and_numbers_whole() -> None:
    assert tokenize("我们与UNICEF合作到2030年") == [
        "我", "们", "与", "UNICEF", "合", "作", "到", "2030", "年",
    ]  # fmt: skip
    ops = diff_texts("我们与UNICEF合作到2030年", "我们与UNESCO合作到2035年")
    assert changed(ops) == [
        ("delete", "UNICEF"),
        ("insert", "UNESCO"),
        ("delete", "2030"),
        ("insert", "2035"),
    ]


def test_arabic_is_compared_word_by_word() -> None:
    ops = diff_texts("مرحبا بالعالم الجميل", "مرحبا بالعالم الكبير", lang="ar")
    assert changed(ops) == [("delete", "الجميل"), ("insert", "الكبير")]


def test_thai_is_compared_character_by_character_with_its_vowel_marks() -> None:
    assert tokenize("สวัสดี") == ["ส", "วั", "ส", "ดี"]
    ops = diff_texts("สวัสดีครับ", "สวัสดีคะ")
    assert changed(ops) == [("delete", "รับ"), ("insert", "ะ")]
    ops = diff_texts("สวัสดีครับ", "สวัสดีค่ะ")  # the tone mark changes ค into ค่
    assert changed(ops) == [("delete", "ครับ"), ("insert", "ค่ะ")]


def test_hangul_is_compared_word_by_word() -> None:
    assert tokenize("안녕하세요 세계") == ["안녕하세요", " ", "세계"]


def test_apostrophes_inside_words_keep_the_word_whole() -> None:
    assert tokenize("children’s rights, don't 'quote'") == [
        "children’s", " ", "rights", ",", " ", "don't", " ", "'", "quote", "'",
    ]  # fmt: skip


def test_emoji_and_combining_marks_are_never_split() -> None:
    family, thumb, flags, keycap = "👨\u200d👩\u200d👧", "👍🏽", "🇨🇳🇫🇷", "1\ufe0f\u20e3"
    decomposed = "e\u0301te\u0301"  # "été" with combining accents
    text = f"{family} {thumb}{flags} {keycap} {decomposed}"
    assert tokenize(text) == [family, " ", thumb, "🇨🇳", "🇫🇷", " ", keycap, " ", decomposed]
    assert tokenize(decomposed, mode="char") == ["e\u0301", "t", "e\u0301"]
    ops = diff_texts("ok 👍🏽 now", "ok 👍🏿 now", mode="char")
    assert changed(ops) == [("delete", "👍🏽"), ("insert", "👍🏿")]


def test_word_mode_keeps_runs_of_chinese_whole() -> None:
    assert tokenize("我们认为，儿童", mode="word") == ["我们认为", "，", "儿童"]
    ops = diff_texts("我们认为儿童", "我们相信儿童", mode="word")
    assert changed(ops) == [("delete", "我们认为儿童"), ("insert", "我们相信儿童")]


def test_char_mode_marks_the_changed_letters_inside_a_word() -> None:
    ops = diff_texts("the recieve of goods", "the receive of goods", mode="char")
    assert pairs(ops) == [
        ("equal", "the rec"),
        ("delete", "ie"),
        ("insert", "ei"),
        ("equal", "ve of goods"),
    ]


def test_language_hint_splits_letters_of_unspaced_languages() -> None:
    javanese = "ꦧꦱꦗꦮ"
    assert tokenize(javanese) == [javanese]
    assert tokenize(javanese, "th") == list(javanese)
    assert is_unspaced_lang("zh-Hant") and is_unspaced_lang("ja_JP")
    assert not is_unspaced_lang("ko") and not is_unspaced_lang(None)


# --- edges ---------------------------------------------------------------------------------


def test_identical_texts_give_one_equal_op() -> None:
    assert diff_texts(A20_ZH_2, A20_ZH_2) == [DiffOp(op="equal", text=A20_ZH_2)]


def test_two_empty_texts_give_no_ops() -> None:
    assert diff_texts("", "") == []


def test_empty_to_text_is_one_insert_and_back_one_delete() -> None:
    assert diff_texts("", "儿童 ✨") == [DiffOp(op="insert", text="儿童 ✨")]
    assert diff_texts("儿童 ✨", "") == [DiffOp(op="delete", text="儿童 ✨")]


def test_whitespace_only_change_is_reported() -> None:
    ops = diff_texts("child care", "child  care")
    assert changed(ops) == [("delete", " "), ("insert", "  ")]
    ops = diff_texts("line one\nline two", "line one\n\nline two")
    assert changed(ops) == [("delete", "\n"), ("insert", "\n\n")]


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="mode"):
        diff_texts("a", "b", mode="letters")  # type: ignore[arg-type]


def test_large_30_percent_change_still_rebuilds_both_texts() -> None:
    rng = random.Random(30)
    vocabulary = A20_EN_2.replace(",", "").split() + list("关爱保护儿童社会组织")
    words = [rng.choice(vocabulary) for _ in range(2000)]
    old = " ".join(words)
    for i in rng.sample(range(len(words)), 600):
        words[i] = rng.choice(vocabulary)
    new = " ".join(words)
    for mode in MODES:
        assert_well_formed(diff_texts(old, new, mode=mode), old, new)


def test_a_long_text_beyond_the_exact_matrix_is_aligned_in_linear_memory() -> None:
    # 140,000 tokens a side: Indel's bit matrix would take 2.4 GB; Levenshtein (Hirschberg)
    # finds the equal runs first, Indel refines the gaps
    words = [f"w{i}" for i in range(70_000)]
    old = " ".join(words)
    words[10], words[69_000] = "changed", "also"
    new = " ".join(words)
    ops = diff_texts(old, new)
    assert changed(ops) == [
        ("delete", "w10"),
        ("insert", "changed"),
        ("delete", "w69000"),
        ("insert", "also"),
    ]


def test_tokens_that_share_a_hash_are_still_told_apart() -> None:
    class Colliding(str):  # rapidfuzz compares hashes of tokens; two words share one here
        def __hash__(self) -> int:
            return 1

    a = ["we", " ", Colliding("note"), " ", "it"]
    b = ["we", " ", Colliding("see"), " ", "it"]
    assert align_tokens(a, b, semantic=True) == [
        ("equal", "we "),
        ("delete", "note"),
        ("insert", "see"),
        ("equal", " it"),
    ]


# --- rendering and helpers -----------------------------------------------------------------


def test_html_escapes_markup_in_every_op() -> None:
    old, new = 'a <b>"x"</b>', "a <script>alert('x')</script>"
    rendered = render_html(diff_texts(old, new))
    assert "<script" not in rendered and "<b>" not in rendered
    without_deleted = re.sub(r"<del>.*?</del>", "", rendered).replace("<ins>", "")
    assert without_deleted.replace("</ins>", "") == html.escape(new, quote=True)
    without_inserted = re.sub(r"<ins>.*?</ins>", "", rendered).replace("<del>", "")
    assert without_inserted.replace("</del>", "") == html.escape(old, quote=True)


def test_html_keeps_line_breaks_as_text() -> None:
    assert render_html(diff_texts("a\nb", "a\nc")) == "a\n<del>b</del><ins>c</ins>"


def test_changed_spans_locate_edits_in_the_old_text() -> None:
    old = "one two three"
    assert changed_spans(old, "one 2 three four") == [(4, 7), (13, 13)]
    assert [old[s:e] for s, e in changed_spans(old, "one 2 three four")] == ["two", ""]
    assert changed_spans("关爱保护儿童", "关爱儿童") == [(2, 4)]
    assert spans(diff_texts(old, old)) == []


def test_summary_counts_characters_and_changes() -> None:
    ops = diff_texts("a b c", "a x c d")
    assert summary(ops) == DiffSummary(inserted_chars=3, deleted_chars=1, equal_chars=4, changes=2)


# --- properties ----------------------------------------------------------------------------

any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)
MIXED_PIECES = [
    "儿童", "我", "们", "UNICEF", "2030", " ", "  ", "\n", "。", "，", ", ", ".", "'", "’",
    "e\u0301", "\u0301", "👍", "🏽", "\u200d", "👨\u200d👩", "🇨🇳", "🇨", "สวั", "สดี", "๓",
    "مرحبا", "،", "한국", "\u200c", "Ｕ", "々", "㈠", "か\u3099", "\u3099", "x", "y",
]  # fmt: skip
mixed_text = st.lists(st.sampled_from(MIXED_PIECES), max_size=30).map("".join)
small_alphabet = st.text("ab 。\n", max_size=40)


@st.composite
def edited_pairs(draw: st.DrawFn, texts: st.SearchStrategy[str]) -> tuple[str, str]:
    """A text and a copy with a few overlapping edits: replaced, cut or repeated slices."""
    old = draw(texts)
    new = old
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(new)))
        end = draw(st.integers(start, len(new)))
        new = new[:start] + draw(texts)[:8] + new[end:]
    return old, new


text_pairs = st.one_of(
    st.tuples(any_text, any_text),
    st.tuples(mixed_text, mixed_text),
    edited_pairs(mixed_text),
    edited_pairs(small_alphabet),
    edited_pairs(any_text),
)


@settings(max_examples=200, deadline=None)
@given(text_pairs, st.sampled_from([None, "zh", "en"]))
def test_ops_rebuild_both_texts_in_every_mode(pair: tuple[str, str], lang: str | None) -> None:
    old, new = pair
    for mode in MODES:
        ops = diff_texts(old, new, lang=lang, mode=mode)
        assert_well_formed(ops, old, new)
        assert sum(e - s for s, e in spans(ops)) == summary(ops).deleted_chars
        if old == new:
            assert ops == ([DiffOp(op="equal", text=old)] if old else [])


@settings(max_examples=200, deadline=None)
@given(st.one_of(any_text, mixed_text), st.sampled_from([None, "zh", "th"]))
def test_tokens_join_back_and_never_start_with_a_combining_mark(
    text: str, lang: str | None
) -> None:
    for mode in MODES:
        tokens = tokenize(text, lang, mode=mode)
        assert "".join(tokens) == text
        assert all(tokens)
        for previous, token in itertools.pairwise(tokens):
            assert unicodedata.category(token[0])[0] != "M"
            assert not previous.endswith("\u200d") or token[0].isspace()


@settings(max_examples=200, deadline=None)
@given(text_pairs)
def test_trimming_and_clauses_never_cut_inside_a_token(pair: tuple[str, str]) -> None:
    old, new = pair
    cases: tuple[tuple[TokenMode, str | None], ...] = (
        ("auto", None),
        ("auto", "zh"),
        ("word", None),
    )
    for mode, lang in cases:
        head, tail = _trim(old, new, mode)
        assert old[:head] == new[:head] and old[len(old) - tail :] == new[len(new) - tail :]
        for text in (old, new):
            whole = tokenize(text, lang, mode=mode)
            parts = (text[:head], text[head : len(text) - tail], text[len(text) - tail :])
            assert [t for p in parts for t in tokenize(p, lang, mode=mode)] == whole
            clauses = _clauses(text)
            assert "".join(clauses) == text
            assert [t for c in clauses for t in tokenize(c, lang, mode=mode)] == whole


plain_text = st.text(
    st.one_of(st.characters(max_codepoint=0x7F), st.sampled_from("\xa0‘’“”–—…'")), max_size=80
)


@settings(max_examples=300, deadline=None)
@given(plain_text, st.sampled_from([None, "zh", "en"]))
def test_plain_text_shortcut_gives_the_tokens_of_the_full_pattern(
    text: str, lang: str | None
) -> None:
    for mode in ("auto", "word"):
        assert tokenize(text, lang, mode=mode) == _pattern(_kind(lang, mode)).findall(text)


CLAUSES = [
    "we note the report, ", "儿童权利，", "especially in developing countries. ", "e\u0301te\u0301; ",
    "👨\u200d👩 and 🇨🇳: ", "2030年。", "مرحبا، ", "\n\n", "the children’s rights! ", "สวัสดี, ",
]  # fmt: skip


@st.composite
def long_edited_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """A text long enough for the clause step (over 4,000 characters) and a copy with a few
    scattered edits: clauses replaced, cut or repeated, and words changed inside clauses."""
    clauses = draw(st.lists(st.sampled_from(CLAUSES), min_size=400, max_size=500))
    new = list(clauses)
    for _ in range(draw(st.integers(1, 12))):
        at = draw(st.integers(0, len(new) - 1))
        action = draw(st.sampled_from(["replace", "cut", "repeat", "word"]))
        if action == "replace":
            new[at] = draw(st.sampled_from(CLAUSES))
        elif action == "cut":
            del new[at]
        elif action == "repeat":
            new.insert(at, new[at])
        else:
            new[at] = new[at].replace("the", draw(st.sampled_from(["a", "", "the the", "其"])), 1)
    return "".join(clauses), "".join(new)


@settings(max_examples=60, deadline=None)
@given(long_edited_pairs(), st.sampled_from([None, "zh"]))
def test_long_texts_with_scattered_edits_rebuild_in_every_mode(
    pair: tuple[str, str], lang: str | None
) -> None:
    old, new = pair
    assert len(old) > 4000
    for mode in MODES:
        assert_well_formed(diff_texts(old, new, lang=lang, mode=mode), old, new)

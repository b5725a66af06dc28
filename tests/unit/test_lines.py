"""Line numbers: fixed widths per script, stable for a text, the lines an amendment touches."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consensus_kit.domain.amendments import Amendment, AmendmentKind
from consensus_kit.domain.diff import DiffOp, _Tally, diff_texts, new_text, old_text
from consensus_kit.domain.hashing import meeting_hash
from consensus_kit.domain.lines import (
    DiffLine,
    LineWidths,
    line_ranges,
    lines_touched,
    number_diff,
    number_lines,
    text_width,
    touched_lines,
)
from consensus_kit.errors import MeetingFileError
from tests.builders import UNICODE_CORPUS, make_meeting_file

EN = (
    "The participants agree that every child has the right to be heard in all matters "
    "affecting the child, and that organisations shall work together across borders to "
    "protect children from violence, exploitation and neglect."
)
ZH = (
    "我们认识到，儿童是权利的主体，各国政府、国际组织和民间社会应当在2030年之前共同努力，"
    "保护儿童免受一切形式的暴力（包括网络暴力），并确保每个儿童都能表达自己的意见。"
)


def test_latin_lines_wrap_at_spaces_within_the_width() -> None:
    lines = number_lines(EN, "en", LineWidths(latin=40))
    assert [line.number for line in lines] == list(range(1, len(lines) + 1))
    assert all(text_width(line.text) <= 40 for line in lines)
    assert " ".join(line.text for line in lines) == EN  # cut at spaces only
    assert all(not line.text.startswith(" ") for line in lines)
    # greedy: the next word would not have fitted on the line before
    for before, after in itertools.pairwise(lines):
        assert text_width(before.text) + 1 + text_width(after.text.split(" ")[0]) > 40


def test_the_lines_partition_the_text() -> None:
    for lang, text in (("en", EN), ("zh", ZH), ("en", UNICODE_CORPUS["multiline"])):
        lines = number_lines(text, lang, LineWidths(latin=20, cjk=10))
        assert lines[0].start == 0 and lines[-1].end == len(text)
        assert all(a.end == b.start for a, b in itertools.pairwise(lines))


def test_chinese_lines_count_characters_and_keep_punctuation_off_the_line_start() -> None:
    lines = number_lines(ZH, "zh", LineWidths(cjk=20))
    assert "".join(line.text for line in lines) == ZH
    assert all(text_width(line.text) <= 40 for line in lines)  # 20 full-width characters
    assert all(line.text[0] not in "，。、）" for line in lines)
    assert all(not line.text.endswith("（") for line in lines)
    # "2030" counts as two characters (four narrow digits) and is never cut
    assert any("2030" in line.text for line in lines)
    assert [len(line.text) for line in lines][:1] == [20]


def test_a_word_longer_than_a_line_is_cut_where_the_line_is_full() -> None:
    lines = number_lines("a " + "x" * 50, "en", LineWidths(latin=20))
    assert [line.text for line in lines] == ["a", "x" * 20, "x" * 20, "x" * 10]


def test_a_line_break_starts_a_new_line_and_an_empty_text_has_none() -> None:
    assert [line.text for line in number_lines("one\ntwo", "en")] == ["one", "two"]
    assert number_lines("", "en") == ()


def test_combining_marks_take_no_width_and_wide_characters_two() -> None:
    assert text_width("e\u0301") == 1
    assert text_width("儿") == 2
    assert text_width(UNICODE_CORPUS["emoji"]) > 0
    lines = number_lines("e\u0301" * 30, "fr", LineWidths(latin=20))
    # one word of 30 columns in 60 code points: cut after 20 columns, never before a mark
    assert [len(line.text) for line in lines] == [40, 20]
    assert lines[1].text.startswith("e")
    lines = number_lines(" ".join(["e\u0301"] * 30), "fr", LineWidths(latin=20))
    assert all(not line.text.startswith("\u0301") for line in lines)


def test_numbers_are_stable_for_a_text_and_follow_the_configured_widths() -> None:
    widths = LineWidths(latin=50, cjk=15)
    assert number_lines(EN, "en", widths) == number_lines(EN, "en", LineWidths(latin=50, cjk=15))
    assert len(number_lines(EN, "en", LineWidths(latin=30))) > len(number_lines(EN, "en"))
    assert len(number_lines(ZH, "zh", LineWidths(cjk=15))) > len(number_lines(ZH, "zh"))
    # the CJK width does not change a Latin text's lines, nor the Latin width a Chinese one
    assert number_lines(EN, "en", LineWidths(cjk=15)) == number_lines(EN, "en")
    assert number_lines(ZH, "zh", LineWidths(latin=30)) == number_lines(ZH, "zh")


def test_an_amendment_touches_the_lines_of_its_change() -> None:
    widths = LineWidths(latin=40)
    lines = number_lines(EN, "en", widths)
    target = next(line for line in lines if "across" in line.text)
    amended = EN.replace("across borders", "beyond borders")
    assert lines_touched(EN, amended, "en", widths) == (target.number,)
    assert lines_touched(EN, EN + " And more.", "en", widths) == (lines[-1].number,)
    assert lines_touched(EN, "", "en", widths) == tuple(line.number for line in lines)
    assert lines_touched("", "new article", "en", widths) == ()


def test_a_chinese_amendment_touches_its_lines() -> None:
    widths = LineWidths(cjk=20)
    lines = number_lines(ZH, "zh", widths)
    amended = ZH.replace("网络暴力", "线上暴力")
    touched = lines_touched(ZH, amended, "zh", widths)
    assert touched == tuple(line.number for line in lines if "网络" in line.text)


def test_lines_of_a_version_never_change_when_another_article_changes() -> None:
    """Numbers are per article and per version's text: an unchanged article keeps them."""
    before = number_lines(ZH, "zh")
    number_lines(ZH.replace("儿童", "孩子"), "zh")
    assert number_lines(ZH, "zh") == before


def test_a_diff_cut_along_the_old_lines_keeps_every_word() -> None:
    amended = EN.replace("every child", "each child").replace("neglect", "neglect of any kind")
    ops = diff_texts(EN, amended, lang="en")
    rows = number_diff(ops, "en", LineWidths(latin=40))
    joined = [o for row in rows for o in row.ops]
    assert old_text(joined) == EN and new_text(joined) == amended
    assert [row.number for row in rows if row.changed] == list(
        lines_touched(EN, amended, "en", LineWidths(latin=40))
    )


def test_line_ranges() -> None:
    assert line_ranges([7, 2, 3, 4]) == [(2, 4), (7, 7)]
    assert line_ranges([]) == []


def test_the_meeting_file_sets_the_widths_and_the_default_leaves_the_hash() -> None:
    plain = make_meeting_file().meeting
    assert plain.lines == LineWidths()
    set_ = make_meeting_file(extra="[lines]\nlatin = 60\ncjk = 30\n").meeting
    assert set_.lines == LineWidths(latin=60, cjk=30)
    assert meeting_hash(set_) != meeting_hash(plain)


@pytest.mark.parametrize(
    ("table", "field"),
    [
        ("latin = 5", "lines.latin"),
        ("cjk = 1000", "lines.cjk"),
        ('latin = "wide"', "lines.latin"),
        ("columns = 80", "lines.columns"),
    ],
)
def test_bad_line_widths_are_refused_naming_the_field(table: str, field: str) -> None:
    with pytest.raises(MeetingFileError) as caught:
        make_meeting_file(extra=f"[lines]\n{table}\n")
    assert field in str(caught.value)


@pytest.mark.parametrize(
    ("kind", "base", "texts"),
    [
        ("replace", {"en": EN, "zh": ZH}, {"en": EN.replace("heard", "listened to"), "zh": ZH}),
        ("replace", {"en": EN}, {"en": EN.replace("every child", "each child") + " Always."}),
        ("replace", {"zh": ZH}, {"zh": ZH.replace("2030", "2035").replace("暴力", "伤害")}),
        ("insert", {}, {"en": EN}),
        ("delete", {"en": EN, "zh": ZH}, {}),
        ("move", {"en": EN}, {}),
    ],
)
def test_the_lines_an_amendment_touches_are_read_from_its_stored_diffs_without_diffing(
    kind: str, base: dict[str, str], texts: dict[str, str]
) -> None:
    a = Amendment(
        meeting="m",  # type: ignore[arg-type]
        number=1,
        kind=AmendmentKind(kind),
        base_version=1,
        sponsor="org-1",  # type: ignore[arg-type]
        proposed_by="d",  # type: ignore[arg-type]
        created_at=dt.datetime(2018, 3, 22, tzinfo=dt.UTC),
        base_texts=base,  # type: ignore[arg-type]
        texts=texts,  # type: ignore[arg-type]
    )
    widths = LineWidths(latin=30, cjk=12)
    expected = {  # what comparing each base text with the amendment's text gives
        lang: list(lines_touched(base.get(lang, ""), texts.get(lang, ""), lang, widths))
        for lang in ({*base} if kind == "delete" else set() if kind == "move" else {*texts})
    }
    expected = {lang: numbers for lang, numbers in expected.items() if numbers}
    stored = {lang: diff_texts(base.get(lang, ""), t, lang=lang) for lang, t in texts.items()}
    before = _Tally.computed
    assert touched_lines(a, widths, stored) == expected
    assert _Tally.computed == before  # read from the diffs: none computed again
    assert touched_lines(a, widths) == expected  # without them, computed


def _cut_one_piece_at_a_time(ops: list[DiffOp], lang: str, widths: LineWidths) -> list[DiffLine]:
    """``number_diff`` as first written (every operation split piece by piece): the reference
    the one-pass version must match."""
    lines = number_lines(old_text(ops), lang, widths)
    if not lines:
        return [DiffLine(number=None, ops=tuple(ops), changed=bool(ops))] if ops else []
    cells: list[list[DiffOp]] = [[] for _ in lines]
    index = position = 0
    for o in ops:
        if o.op == "insert":
            while position >= lines[index].end and index + 1 < len(lines):
                index += 1
            cells[index].append(o)
            continue
        text = o.text
        while text:
            room = lines[index].end - position
            if room <= 0 and index + 1 < len(lines):
                index += 1
                continue
            piece, text = (text[:room], text[room:]) if room > 0 else (text, "")
            cells[index].append(DiffOp(op=o.op, text=piece))
            position += len(piece)
    return [
        DiffLine(number=line.number, ops=tuple(c), changed=any(o.op != "equal" for o in c))
        for line, c in zip(lines, cells, strict=True)
    ]


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.sampled_from(["a", "bb", "ccc", "儿童", "\n", "dddddddddd"]), max_size=40),
    edits=st.lists(st.tuples(st.integers(0, 39), st.sampled_from(["", "x", "yy zz", "新"]))),
    lang=st.sampled_from(["en", "zh"]),
)
def test_a_diff_is_cut_along_the_lines_as_piece_by_piece_cutting_does(
    words: list[str], edits: list[tuple[int, str]], lang: str
) -> None:
    old = " ".join(words)
    changed = list(words)
    for at, word in edits:
        if changed:
            changed[at % len(changed)] = word
    ops = diff_texts(old, " ".join(changed), lang=lang)
    widths = LineWidths(latin=12, cjk=5)
    assert number_diff(ops, lang, widths) == _cut_one_piece_at_a_time(ops, lang, widths)

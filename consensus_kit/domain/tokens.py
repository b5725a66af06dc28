"""Split a text into the units a diff compares: words, or characters where a script has no spaces.

A reader of an amendment expects to see whole words change in English, Arabic or Russian, but
single characters in Chinese, Japanese or Thai, whose writing has no spaces between words (a
whole-sentence replacement would hide a one-character edit). :func:`tokenize` therefore decides
per character run, by script, so a mixed text such as ``我们与UNICEF合作到2030年`` gives
``我 们 与 UNICEF 合 作 到 2030 年``:

- a *word* is a run of letters, digits and combining marks of a spaced script (Latin, Greek,
  Cyrillic, Arabic, Hebrew, Devanagari, Hangul…), with apostrophes allowed inside
  (``children’s``);
- a *character* of an unspaced script (Han, kana, Bopomofo, Yi, Thai, Lao, Khmer, Myanmar,
  Tibetan, Tai scripts…) is one token;
- a whitespace run is one token; every other character (punctuation, CJK punctuation, symbols,
  emoji) is one token.

Nothing that displays as one character is ever cut: combining marks, variation selectors, emoji
skin-tone modifiers and tag characters stay with the character before them, a zero-width joiner
takes the character after it (``👩‍👩‍👧`` is one token) and a pair of regional indicators is one
flag. ``"".join(tokenize(text)) == text`` always holds.

The character classes come from :mod:`unicodedata` of the running Python and the patterns are
plain :mod:`re` expressions. Building the classes scans every code point (~0.07 s, which a
command that exports one Chinese document would pay each time), so they are read instead from
``unicode/<version>.json`` beside this module when it holds the running Python's Unicode
version (``python tools/unicode_classes.py`` writes it; a test checks it against a fresh build)
and built only otherwise.

For :mod:`consensus_kit.domain.diff` this module also knows where a text may be cut without
cutting a token: after clause punctuation (``_clauses``) and around a difference (``_trim``).
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

__all__ = ["UNSPACED_LANGS", "TokenMode", "is_unspaced_lang", "tokenize"]

TokenMode = Literal["auto", "word", "char"]

UNSPACED_LANGS = frozenset(
    {
        *("zh", "cmn", "yue", "wuu", "lzh", "hak", "nan", "ja"),  # Chinese, Japanese
        *("th", "lo", "km", "my", "shn", "bo", "dz", "ii"),  # Thai, Lao, Khmer, Burmese…, Yi
    }
)
"""Language subtags whose text is written without spaces between words (a hint for
:func:`tokenize`)."""

# Scripts written without spaces between words: one token per character.
_UNSPACED_RANGES: tuple[tuple[int, int], ...] = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x0F00, 0x0FFF),  # Tibetan
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x1950, 0x19FF),  # Tai Le, New Tai Lue, Khmer symbols
    (0x1A20, 0x1AAF),  # Tai Tham
    (0x2E80, 0x2FFF),  # CJK and Kangxi radicals, ideographic description
    (0x3005, 0x3007),  # 々 〆 〇
    (0x3021, 0x3029),  # Hangzhou numerals
    (0x3031, 0x3035),  # kana repeat marks
    (0x3038, 0x303C),
    (0x3040, 0x31FF),  # kana, Bopomofo, Kanbun, CJK strokes
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xA000, 0xA4CF),  # Yi
    (0xA9E0, 0xA9FF),  # Myanmar extended-B
    (0xAA60, 0xAADF),  # Myanmar extended-A, Tai Viet
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFF9F),  # half-width katakana
    (0x16FE0, 0x16FFF),  # ideographic symbols
    (0x17000, 0x18CFF),  # Tangut, Khitan
    (0x1AFF0, 0x1B2FF),  # kana supplements, Nushu
    (0x20000, 0x323AF),  # CJK extensions B–H, compatibility supplement
)

# Alphabets written with spaces; with an unspaced-language hint only these (and digits) form
# words, every other letter is one token.
_SPACED_RANGES: tuple[tuple[int, int], ...] = (
    (0x0030, 0x024F),  # ASCII and Latin
    (0x0370, 0x052F),  # Greek, Cyrillic
    (0x1C80, 0x1C8F),
    (0x1D00, 0x1FFF),  # phonetic extensions, Latin extended additional, Greek extended
    (0x2C60, 0x2C7F),
    (0xA640, 0xA69F),
    (0xA720, 0xA7FF),
    (0xAB30, 0xAB6F),
    (0xFF10, 0xFF5A),  # full-width digits and Latin letters
)

_UNSPACED_STARTS = [lo for lo, _ in _UNSPACED_RANGES]
_REGIONAL = r"[\U0001F1E6-\U0001F1FF]"
_ZWJ = "\u200d"


Ranges = list[tuple[int, int]]


def _runs(table: bytearray) -> Ranges:
    """The runs of set bytes in a membership table, as inclusive code point ranges."""
    runs: Ranges = []
    start = table.find(1)
    while start >= 0:
        end = table.find(0, start)
        end = len(table) if end < 0 else end
        runs.append((start, end - 1))
        start = table.find(1, end)
    return runs


def _table(ranges: Iterable[tuple[int, int]], minus: Iterable[tuple[int, int]] = ()) -> bytearray:
    table = bytearray(0x110000)
    for lo, hi in ranges:
        table[lo : hi + 1] = b"\x01" * (hi + 1 - lo)
    for lo, hi in minus:
        table[lo : hi + 1] = bytes(hi + 1 - lo)
    return table


def _char(cp: int) -> str:
    char = chr(cp)
    return "\\" + char if char in "\\[]^-" else char


def _body(ranges: Ranges) -> str:
    """The inside of a regex class for ``ranges`` (literal characters parse fastest)."""
    return "".join(_char(lo) if lo == hi else f"{_char(lo)}-{_char(hi)}" for lo, hi in ranges)


def _split(ranges: Ranges) -> tuple[str, str]:
    """A class for the BMP part of ``ranges`` and a guarded expression for the rest.

    ``re`` keeps a bitmap for the BMP part of a class but tests the astral part range by range,
    even for BMP characters; a cheap range test in front keeps common text on the bitmap.
    """
    bmp = [(lo, min(hi, 0xFFFF)) for lo, hi in ranges if lo <= 0xFFFF]
    astral = [(max(lo, 0x10000), hi) for lo, hi in ranges if hi > 0xFFFF]
    guarded = f"[\\U00010000-\\U0010ffff](?<=[{_body(astral)}])" if astral else ""
    return (f"[{_body(bmp)}]" if bmp else ""), guarded


def _one(ranges: Ranges) -> str:
    """Regex for one character of ``ranges``."""
    return "(?:" + "|".join(filter(None, _split(ranges))) + ")"


def _star(ranges: Ranges) -> str:
    """Regex for any number of characters of ``ranges``."""
    bmp, astral = _split(ranges)
    return f"{bmp}*(?:{astral}{bmp}*)*" if astral else f"{bmp}*"


CLASSES_DIR = Path(__file__).with_name("unicode")
"""Where the character classes of each Unicode version are stored (``<version>.json``)."""


@functools.cache
def _classes() -> dict[str, Ranges]:
    """The character ranges of the running Python's Unicode version, once, on first use: the
    stored ones (see the module docstring), else built."""
    try:
        stored = json.loads((CLASSES_DIR / f"{unicodedata.unidata_version}.json").read_bytes())
    except (OSError, ValueError):
        return build_classes()
    return {kind: [(lo, hi) for lo, hi in ranges] for kind, ranges in stored.items()}


def build_classes() -> dict[str, Ranges]:
    """Character ranges built from the running Python's Unicode data (every code point)."""
    every = "".join(map(chr, range(0x20000)))
    alnum = [(m.start(), m.end() - 1) for m in re.finditer(r"[^\W_]+", every)]
    alnum.append((0x20000, 0x323AF))  # CJK extensions B–H
    marks = [(cp, cp) for cp in range(0x300, 0x20000) if unicodedata.category(every[cp])[0] == "M"]
    marks += [(0x200C, 0x200C), (0x1F3FB, 0x1F3FF), (0xE0020, 0xE007F), (0xE0100, 0xE01EF)]
    word = _table(alnum)
    hint = bytearray(len(word))
    for lo, hi in _SPACED_RANGES:
        hint[lo : hi + 1] = word[lo : hi + 1]
    for m in re.finditer(r"\d+", every):
        hint[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    return {
        "word": _runs(word),
        "auto": _runs(_table(alnum, minus=_UNSPACED_RANGES)),
        "hint": _runs(hint),
        "unspaced": _runs(_table(_UNSPACED_RANGES)),
        "marks": _runs(_table(marks)),
    }


@functools.cache
def _pattern(kind: str) -> re.Pattern[str]:
    """The token pattern for ``kind``: "auto", "hint" (unspaced language), "word" or "char"."""
    classes = _classes()
    marks = classes["marks"]
    joined = f"{_ZWJ}+[^\\s]?"  # a ZWJ takes the next character (not a space) with it
    x = f"(?:{'|'.join(filter(None, (*_split(marks), joined)))})*"
    other = f"(?:{_REGIONAL}{{2}}|{joined}|(?s:.)){x}"
    if kind == "char":
        return re.compile(other)
    letters = classes[kind]
    split = {
        "auto": f"|{_one(classes['unspaced'])}{x}",
        "hint": f"|{_one(classes['word'])}{x}",
        "word": "",
    }[kind]
    run = _star(_runs(_table(letters + marks)))
    word = f"{_one(letters)}{run}(?:(?:{joined}|['’](?={_one(letters)})){run})*"
    return re.compile(f"\\s+{x}|{word}{split}|{other}")


def is_unspaced_lang(lang: str | None) -> bool:
    """Whether ``lang`` (a BCP 47 tag) names a language written without spaces.

    >>> is_unspaced_lang("zh-Hant"), is_unspaced_lang("en"), is_unspaced_lang(None)
    (True, False, False)
    """
    if not lang:
        return False
    return lang.replace("_", "-").split("-", 1)[0].lower() in UNSPACED_LANGS


@functools.cache
def _kind(lang: str | None, mode: TokenMode) -> str:
    if mode == "auto" and is_unspaced_lang(lang):
        return "hint"
    return mode


def tokenize(text: str, lang: str | None = None, *, mode: TokenMode = "auto") -> list[str]:
    """Split ``text`` into diff tokens; ``"".join(tokenize(text)) == text``.

    ``mode="auto"`` picks words or characters by script; ``lang`` is a hint: for a language
    written without spaces (``zh``, ``ja``, ``th``…) every letter outside the Latin, Greek and
    Cyrillic alphabets is one token, even in scripts not recognised as unspaced.
    ``mode="word"`` makes runs of letters of any script one token, ``mode="char"`` makes every
    character (with its combining marks) one token.

    >>> tokenize("我们与UNICEF合作到2030年")
    ['我', '们', '与', 'UNICEF', '合', '作', '到', '2030', '年']
    >>> tokenize("children’s rights, now")
    ['children’s', ' ', 'rights', ',', ' ', 'now']
    """
    if mode != "char" and not _NOT_PLAIN.search(text):
        return _PLAIN.findall(text)  # the same tokens, found faster
    return _pattern(_kind(lang, mode)).findall(text)


# Plain text (ASCII, the no-break space and typographic quotes and dashes) has no combining
# marks, joiners, flags or unspaced letters: in every mode but "char" its tokens are ASCII
# letter-and-digit words (with inner apostrophes), whitespace runs and single characters, which
# this simpler pattern finds in two thirds of the time. A test checks it against the full one.
_NOT_PLAIN = re.compile("[^\\x00-\\x7f\\xa0‘’“”–—…]")
# (A lone space, the commonest token, is tried first; possessive quantifiers never backtrack:
# the same tokens, found a sixth faster.)
_PLAIN = re.compile(r" (?!\s)|[A-Za-z0-9]++(?:['’][A-Za-z0-9]++)*+|\s++|(?s:.)")


# A clause ends after punctuation (Latin: then whitespace) or a line break, when a letter or
# digit follows: never inside a token, so clauses can be tokenized one by one.
_CLAUSE_END = r"(?:[.!?;:,،؛؟।॥]+\s+|(?<!\u200d)[。！？；，、：]+\s*|\n\s*)(?=[^\W_])"
_CLAUSE = re.compile(
    rf"(?:[^.!?;:,،؛؟।॥。！？；，、：\n]+|(?!{_CLAUSE_END})[\s\S])*(?:{_CLAUSE_END})?"
)
_REACH = 100  # how far back from a difference to look for a token boundary


def _clauses(text: str) -> list[str]:
    """Cut ``text`` after clause-ending punctuation or line breaks (always token boundaries).

    >>> _clauses("We agree, today. 我们同意，今天。")
    ['We agree, ', 'today. ', '我们同意，', '今天。']
    """
    return [clause for clause in _CLAUSE.findall(text) if clause]


def _boundary(text: str, cut: int, mode: TokenMode) -> bool:
    """Whether every tokenization in ``mode`` has a token boundary at ``text[cut]``.

    Yes at either end; before a space that follows a non-space; and before a letter or digit
    (which never continues the token before it) that follows a space, punctuation or a symbol
    (not an apostrophe, emoji modifier or character joined by a ZWJ: those can sit inside a
    word) or, outside word mode, a letter of an unspaced script.
    """
    if cut in (0, len(text)):
        return True
    before, after = text[cut - 1], text[cut]
    if after.isspace():
        return not before.isspace()
    if not after.isalnum() or before in "'’" or "\U0001f3fb" <= before <= "\U0001f3ff":
        return False
    if cut >= 2 and text[cut - 2] == "\u200d":
        return False
    return (
        before.isspace()
        or unicodedata.category(before)[0] in "PS"
        or (mode != "word" and before.isalnum() and not before.isdecimal() and _unspaced(before))
    )


def _unspaced(char: str) -> bool:
    """Whether ``char`` belongs to a script that :func:`tokenize` splits into characters."""
    index = bisect_right(_UNSPACED_STARTS, ord(char)) - 1
    return index >= 0 and ord(char) <= _UNSPACED_RANGES[index][1]


def _common_prefix(a: str, b: str) -> int:
    """Length of the common prefix of ``a`` and ``b`` (binary search on slices)."""
    low, high = 0, min(len(a), len(b))
    if not high or a[0] != b[0]:
        return 0
    while low < high:
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _trim(a: str, b: str, mode: TokenMode) -> tuple[int, int]:
    """Lengths of a common head and a common tail of ``a`` and ``b`` cut at token boundaries.

    Tokenizing what lies between gives the tokens the whole texts have there, so the diff of
    the middle is the diff of the texts.

    >>> _trim("we note the report", "we welcome the report", "auto")
    (3, 11)
    """
    head = 0
    common = _common_prefix(a, b)
    for cut in range(common, max(0, common - _REACH), -1):
        if _boundary(a, cut, mode) and _boundary(b, cut, mode):
            head = cut
            break
    a, b = a[head:], b[head:]
    common = _common_prefix(a[::-1], b[::-1])
    for tail in range(common, max(0, common - _REACH), -1):
        if _boundary(a, len(a) - tail, mode) and _boundary(b, len(b) - tail, mode):
            return head, tail
    return head, 0

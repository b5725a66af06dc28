"""Line numbers: every text cut into lines of a fixed width, so delegates can say "line 12".

Delegates who know Antragsgrün or OpenSlides cite a text by line. Here the lines of a text are a
function of its words, its language and the meeting's
:class:`~consensus_kit.domain.model.LineWidths` alone — never of a screen, a font or a
printer — so the lines of a version never change and the same number means the same words
on every page, projector, Word document and PDF.

- **Width.** Measured in columns, as a terminal does: a character of East Asian width "wide" or
  "full" (Han, kana, Hangul, full-width forms) takes two columns, a combining mark or other
  zero-width character none, every other character one.
- **Spaced scripts** (English, French, Arabic, Russian…) wrap at spaces, ``latin`` columns a line
  (80 by default); a word longer than a line is cut where the line is full.
- **Chinese, Japanese and the other unspaced scripts** (see
  :data:`~consensus_kit.domain.tokens.UNSPACED_LANGS`) wrap between any two characters,
  ``cjk`` full-width characters a line (40 by default, i.e. ``2 × cjk`` columns: a Latin word or
  number inside counts half a character per letter and is never cut). Closing punctuation
  (``。，、）」``…) never starts a line, opening punctuation (``（「《``…) never ends one.
- A line break in the text always starts a new line.

Every line covers a contiguous range of the text (the spaces where it wraps stay at the end of
the line before), so the lines partition the text: an offset in the text, such as a changed span
of an amendment or a comment's quoted span, falls in exactly one line.

>>> [line.text for line in number_lines("one two three", "en", LineWidths(latin=8))]
['one two', 'three']
>>> [line.text for line in number_lines("儿童是权利的主体。", "zh", LineWidths(cjk=4))]
['儿童是权', '利的主', '体。']
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

import msgspec

from consensus_kit.domain.amendments import Amendment, AmendmentKind
from consensus_kit.domain.diff import DiffOp, changed_spans, spans
from consensus_kit.domain.ids import Lang
from consensus_kit.domain.model import LineWidths
from consensus_kit.domain.tokens import is_unspaced_lang, tokenize

__all__ = [
    "DEFAULT_WIDTHS",
    "DiffLine",
    "Line",
    "LineWidths",
    "line_at",
    "line_ranges",
    "lines_touched",
    "number_diff",
    "number_lines",
    "text_width",
    "touched_lines",
]

DEFAULT_WIDTHS = LineWidths()
"""80 columns in spaced scripts, 40 characters in unspaced ones."""

_CLOSING = frozenset("。．，、；：？！）］｝〕〉》」』】〙〗〟’”｠»›)]}.,;:?!%‰ー々ゝゞヽヾ・…‥")
_OPENING = frozenset("（［｛〔〈《「『【〘〖〝‘“｟«‹([{")


class Line(msgspec.Struct, frozen=True, kw_only=True):
    """One numbered line of a text: ``text[start:end]`` (the wrapping spaces and a line break
    included); ``text`` is what is shown, without them."""

    number: int
    start: int
    end: int
    text: str


class DiffLine(msgspec.Struct, frozen=True, kw_only=True):
    """One line of the older text with the part of a diff that falls in it (``number`` is
    ``None`` when there was no older text: a new article has no lines yet)."""

    number: int | None
    ops: tuple[DiffOp, ...]
    changed: bool


@functools.lru_cache(maxsize=65536)
def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def text_width(text: str) -> int:
    """The width of ``text`` in columns (wide characters 2, combining marks 0, others 1).

    >>> text_width("UNICEF"), text_width("儿童"), text_width("é")
    (6, 4, 1)
    """
    if text.isascii():  # every ASCII character takes one column (a test checks them all)
        return len(text)
    return sum(map(_char_width, text))


_SPACED_PIECES = re.compile(r"\S+|\s+")


def _units(paragraph: str, unspaced: bool, lang: str) -> list[str]:
    """The paragraph as pieces that are never cut between lines (unless longer than one),
    whose concatenation is the paragraph; spaces are pieces of their own (a line may always
    break after them)."""
    if not unspaced:
        return _SPACED_PIECES.findall(paragraph)
    units: list[str] = []
    previous = ""
    for token in tokenize(paragraph, lang):
        if (
            token.isspace()
            or not previous
            or previous.isspace()
            or (
                (_char_width(previous[-1]) == 2 or _char_width(token[0]) == 2)
                and token[0] not in _CLOSING
                and previous[-1] not in _OPENING
            )
        ):
            units.append(token)
        else:  # a piece that may not start a line is glued to the one before (never cut off)
            units[-1] += token
        previous = token
    return units


def _wrap(paragraph: str, offset: int, limit: int, unspaced: bool, lang: str) -> list[int]:
    """The offsets (in the whole text) where the lines of one paragraph start."""
    starts = [offset]
    width = 0  # of the current line, without the spaces at its end
    pending = 0  # width of the spaces after it
    position = offset
    for piece in _units(paragraph, unspaced, lang):
        # text_width, its short cuts inlined (a Chinese text is mostly one-character pieces)
        if piece.isascii():
            size = len(piece)
        else:
            size = _char_width(piece) if len(piece) == 1 else text_width(piece)
        if piece.isspace():
            pending += size
            position += len(piece)
            continue
        if width and width + pending + size > limit:
            starts.append(position)
            width, pending = 0, 0
        if size > limit:  # a piece longer than a line: cut it where each line is full
            cut = position
            for char in piece:
                w = _char_width(char)
                if width and width + pending + w > limit:
                    starts.append(cut)
                    width, pending = 0, 0
                width += pending + w
                pending = 0
                cut += len(char)
        else:
            width += pending + size
            pending = 0
        position += len(piece)
    return starts


@functools.lru_cache(maxsize=8192)
def number_lines(text: str, lang: str, widths: LineWidths = DEFAULT_WIDTHS) -> tuple[Line, ...]:
    """The numbered lines of ``text`` in ``lang`` (numbered from 1; none for an empty text).

    Pure and deterministic: the same text, language and widths give the same lines.

    >>> [(line.number, line.text) for line in number_lines("a b\\nc", "en")]
    [(1, 'a b'), (2, 'c')]
    """
    if not text:
        return ()
    unspaced = is_unspaced_lang(lang)
    limit = 2 * widths.cjk if unspaced else widths.latin
    starts: list[int] = []
    offset = 0
    for paragraph in text.split("\n"):
        starts += _wrap(paragraph, offset, limit, unspaced, lang)
        offset += len(paragraph) + 1
    ends = [*starts[1:], len(text)]
    return tuple(
        Line(number=i, start=s, end=e, text=text[s:e].rstrip())
        for i, (s, e) in enumerate(zip(starts, ends, strict=True), start=1)
    )


def line_at(lines: Sequence[Line], offset: int) -> int | None:
    """The number of the line holding ``offset`` (the end of the text: the last line)."""
    if not lines:
        return None
    for line in lines:
        if line.start <= offset < line.end:
            return line.number
    return lines[-1].number


def lines_touched(
    old: str, new: str, lang: str, widths: LineWidths = DEFAULT_WIDTHS
) -> tuple[int, ...]:
    """The numbers of the lines of ``old`` that changing it into ``new`` touches, in order.

    A deletion or replacement touches every line it covers; an insertion the line it goes in.
    A new text (``old`` empty) touches no line: it has none yet.

    >>> lines_touched("one two three four", "one two 3 four", "en", LineWidths(latin=8))
    (2,)
    """
    lines = number_lines(old, lang, widths)
    return _covered(lines, changed_spans(old, new, lang=lang) if lines else ())


def _covered(lines: Sequence[Line], changed: Iterable[tuple[int, int]]) -> tuple[int, ...]:
    """The numbers of ``lines`` that the changed ``(start, end)`` spans cover, in order."""
    # the lines partition the text: an offset is in the first line that ends after it (the
    # end of the text: in the last line), as :func:`line_at` says; spans and lines in order,
    # so one walk over both (a page reads the lines of a thousand amendments)
    touched: list[int] = []
    index, last = 0, len(lines) - 1
    for start, end in sorted(changed) if lines else ():
        while index < last and lines[index].end <= start:
            index += 1
        first = index
        stop = max(start, end - 1)
        while index < last and lines[index].end <= stop:
            index += 1
        low = max(lines[first].number, touched[-1] + 1) if touched else lines[first].number
        touched.extend(range(low, lines[index].number + 1))
    return tuple(touched)


def line_ranges(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive line numbers as ``(first, last)`` ranges.

    >>> line_ranges([2, 3, 4, 7])
    [(2, 4), (7, 7)]
    """
    ranges: list[tuple[int, int]] = []
    for n in sorted(set(numbers)):
        if ranges and n == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], n)
        else:
            ranges.append((n, n))
    return ranges


def number_diff(
    ops: Sequence[DiffOp], lang: str, widths: LineWidths = DEFAULT_WIDTHS
) -> list[DiffLine]:
    """A diff cut along the lines of its older text, for showing it with line numbers.

    Kept and deleted words are cut where the older text's lines end; inserted words stay in the
    line where they go. ``changed`` marks the lines the diff touches.

    >>> from consensus_kit.domain.diff import diff_texts
    >>> ops = diff_texts("a b c d", "a b x d")
    >>> [(d.number, d.changed) for d in number_diff(ops, "en", LineWidths(latin=4))]
    [(1, False), (2, True)]
    """
    old = "".join([o.text for o in ops if o.op != "insert"])
    lines = number_lines(old, lang, widths)
    if not lines:
        return [DiffLine(number=None, ops=tuple(ops), changed=bool(ops))] if ops else []
    # one pass over the operations (a page draws the diffs of a thousand amendments): an
    # operation that fits in its line is kept as it is, only one that a line end cuts is split
    ends = [line.end for line in lines]
    last = len(lines) - 1
    cells: list[list[DiffOp]] = [[] for _ in lines]
    changed = [False] * len(lines)
    index = 0
    position = 0
    for o in ops:
        kind = o.op
        if kind == "insert":  # in the line holding its place, as :func:`line_at` says
            while position >= ends[index] and index < last:
                index += 1
            cells[index].append(o)
            changed[index] = True
            continue
        text = o.text
        while text:
            room = ends[index] - position
            if room <= 0 and index < last:
                index += 1
                continue
            if room <= 0 or room >= len(text):  # the rest of it fits in this line
                cells[index].append(o if text is o.text else DiffOp(op=kind, text=text))
                position += len(text)
                text = ""
            else:
                cells[index].append(DiffOp(op=kind, text=text[:room]))
                position += room
                text = text[room:]
            if kind != "equal":
                changed[index] = True
    return [
        DiffLine(number=line.number, ops=tuple(cell), changed=touched)
        for line, cell, touched in zip(lines, cells, changed, strict=True)
    ]


def touched_lines(
    amendment: Amendment,
    widths: LineWidths,
    diffs: Mapping[Lang, Sequence[DiffOp]] | None = None,
) -> dict[Lang, list[int]]:
    """Per language, the numbers of the lines of the base text an amendment touches (a deleted
    article: all its lines; a new article or a move: none).

    ``diffs`` are the amendment's own diffs (base text → its text, as stored with it): the
    lines are read from them, so nothing is diffed again; a language they lack is diffed now.
    """
    if amendment.kind is AmendmentKind.MOVE:
        return {}
    found: dict[Lang, tuple[int, ...]] = {}
    if amendment.kind is AmendmentKind.DELETE:
        for lang, base in amendment.base_texts.items():
            found[lang] = tuple(line.number for line in number_lines(base, lang, widths))
    else:
        for lang, text in amendment.texts.items():
            base = amendment.base_texts.get(lang, "")
            ops = diffs.get(lang) if diffs is not None else None
            if ops is None:
                found[lang] = lines_touched(base, text, lang, widths)
            else:
                found[lang] = _covered(number_lines(base, lang, widths), spans(ops))
    return {lang: list(numbers) for lang, numbers in found.items() if numbers}

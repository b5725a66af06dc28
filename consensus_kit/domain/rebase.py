"""Rebasing an amendment's text when the text it was written against has changed.

Three texts: ``base`` (what the amendment was written against), ``ours`` (the amendment's
proposal) and ``theirs`` (the new base after another amendment was adopted). The rebase is done
only when it is certain:

1. diff base → ours and base → theirs at token level (words, or characters in Chinese…);
2. widen every changed span by a margin of a few tokens on each side;
3. if any widened span of one side touches a span of the other, it is a conflict: the
   amendment "needs update" and the conflicting words are quoted;
4. otherwise both sets of edits are applied to the base, and the result is verified by diffing
   it again against ``theirs`` (it must show exactly our edits) and against ``ours`` (exactly
   theirs). A result that does not verify is a conflict too.

diff-match-patch's ``patch_apply`` is never used: it reports success for blended and misplaced
edits and applies a change twice when the base already has it (see ../shared/pitfalls.md).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter

import msgspec

from consensus_kit.domain.diff import DiffOp, diff_texts
from consensus_kit.domain.tokens import is_unspaced_lang, tokenize

__all__ = ["MARGIN_TOKENS", "Edit", "RebaseResult", "edits_of", "rebase_text"]

MARGIN_TOKENS = 2
"""Words that must separate two edits to merge them (twice as many characters in Chinese…)."""


class Edit(msgspec.Struct, frozen=True):
    """Replace ``base[start:end]`` by ``text`` (an insertion when ``start == end``)."""

    start: int
    end: int
    text: str


class RebaseResult(msgspec.Struct, frozen=True, kw_only=True):
    """The rebased text, or the reason it could not be rebased.

    ``already_in`` is true when the new base already says what the amendment proposed.
    """

    text: str | None
    conflict: str = ""
    already_in: bool = False

    @property
    def clean(self) -> bool:
        """Whether the rebase succeeded."""
        return self.text is not None


def edits_of(ops: list[DiffOp]) -> list[Edit]:
    """The edits a diff makes, in old-text coordinates; a delete+insert pair is one edit."""
    edits: list[Edit] = []
    position = 0
    start: int | None = None
    inserted: list[str] = []
    for op in [*ops, DiffOp(op="equal", text="")]:
        if op.op == "equal":
            if start is not None:
                edits.append(Edit(start, position, "".join(inserted)))
                start, inserted = None, []
            position += len(op.text)
            continue
        if start is None:
            start = position
        if op.op == "delete":
            position += len(op.text)
        else:
            inserted.append(op.text)
    return edits


def _boundaries(base: str, lang: str | None) -> tuple[list[int], list[int]]:
    """Start and end offsets of the base's non-space tokens."""
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    for token in tokenize(base, lang):
        if not token.isspace():
            starts.append(position)
            ends.append(position + len(token))
        position += len(token)
    return starts, ends


def _widen(edit: Edit, starts: list[int], ends: list[int], margin: int) -> tuple[int, int]:
    """The edit's span grown by ``margin`` non-space tokens on each side."""
    before = bisect_right(ends, edit.start) - margin  # tokens ending at or before the start
    after = bisect_left(starts, edit.end) + margin - 1  # tokens starting at or after the end
    low = starts[before] if 0 <= before < len(starts) else 0
    high = ends[after] if 0 <= after < len(ends) else (ends[-1] if ends else edit.end)
    return min(low, edit.start), max(high, edit.end)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Closed intervals: touching counts, so two insertions at one place overlap."""
    return a[0] <= b[1] and b[0] <= a[1]


def _signature(ops: list[DiffOp]) -> tuple[Counter[str], Counter[str]]:
    inserted: Counter[str] = Counter(o.text.strip() for o in ops if o.op == "insert")
    deleted: Counter[str] = Counter(o.text.strip() for o in ops if o.op == "delete")
    return inserted, deleted


def _quote(base: str, start: int, end: int) -> str:
    text = base[start:end].strip()
    return text if len(text) <= 80 else f"{text[:77]}…"


def rebase_text(
    base: str, ours: str, theirs: str, *, lang: str | None = None, margin: int = MARGIN_TOKENS
) -> RebaseResult:
    """Apply the change base → ``ours`` on top of ``theirs``, only when it is certain.

    >>> rebase_text("one two three four five six", "ONE two three four five six",
    ...             "one two three four five SIX").text
    'ONE two three four five SIX'
    >>> rebase_text("we welcome the report", "we note the report", "we reject the report").clean
    False
    """
    if ours == base:
        return RebaseResult(text=theirs)
    if theirs == base:
        return RebaseResult(text=ours)
    if ours == theirs:
        return RebaseResult(text=theirs, already_in=True)
    our_ops = diff_texts(base, ours, lang=lang)
    their_ops = diff_texts(base, theirs, lang=lang)
    mine, others = edits_of(our_ops), edits_of(their_ops)
    starts, ends = _boundaries(base, lang)
    if is_unspaced_lang(lang):
        margin *= 2  # a character is less than a word: keep about the same distance
    for edit in mine:
        wide = _widen(edit, starts, ends, margin)
        for other in others:
            if _overlap(wide, (other.start, other.end)) or _overlap(
                _widen(other, starts, ends, margin), (edit.start, edit.end)
            ):
                low, high = min(edit.start, other.start), max(edit.end, other.end)
                return RebaseResult(
                    text=None,
                    conflict=(
                        f"the adopted text also changed “{_quote(base, low, high)}”"
                        if high > low
                        else f"the adopted text also inserted words at the same place "
                        f"(character {low})"
                    ),
                )
    merged = base
    for edit in sorted([*mine, *others], key=lambda e: (e.start, e.end), reverse=True):
        merged = merged[: edit.start] + edit.text + merged[edit.end :]
    # verify with fresh diffs: against theirs only our edits show, against ours only theirs
    if _signature(diff_texts(theirs, merged, lang=lang)) != _signature(our_ops) or _signature(
        diff_texts(ours, merged, lang=lang)
    ) != _signature(their_ops):
        return RebaseResult(text=None, conflict="the merged text could not be verified")
    return RebaseResult(text=merged)

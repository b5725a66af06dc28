"""Aligning two token sequences: the engine behind :mod:`consensus_kit.domain.diff` (private).

1. rapidfuzz's ``Indel.opcodes`` gives the shortest script of insertions and deletions (a
   longest common subsequence), bit-parallel in C++ (Hyyrö). It compares the tokens' hashes:
   the new text rebuilt from the runs is checked against the tokens (one join and compare),
   and should two different tokens ever have shared a hash, they are aligned again as integers
   (one per distinct token).
2. Its matrix takes one bit per pair of tokens, so a region of more than ``_EXACT_CELLS``
   pairs (~16,000 tokens a side; an article holds at most 20,000 characters, but a file given
   to ``consensus-kit diff`` may be longer) is first aligned by ``Levenshtein.opcodes`` in a
   band widened while needed and in linear memory (Hirschberg); each gap between its equal
   runs is then aligned exactly by ``Indel`` when it fits, else kept as one change. So is a
   region whose caller expects sparse changes (``sparse``, see :func:`align_tokens`): there
   the band is narrow and costs half of Indel's full matrix, and the script found was as
   short as Indel's in every benchmark text (the band finds a shortest script with
   substitutions, which can keep a few tokens fewer equal than the longest common
   subsequence).
3. :func:`_semantic` folds every equal run no longer than the changes on both sides of it
   into them (the rule of diff-match-patch's ``diff_cleanupSemantic``, counted in tokens), so
   a reader sees whole changed phrases rather than a sieve of one-word equalities.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Literal, cast

__all__ = ["OpKind", "align_tokens"]

OpKind = Literal["equal", "insert", "delete"]
Change = tuple[int, int, int, int]  # a[a_lo:a_hi] is replaced by b[b_lo:b_hi]
Opcodes = list[tuple[str, int, int, int, int]]  # difflib's (tag, a_lo, a_hi, b_lo, b_hi)

_EXACT_CELLS = 1 << 28  # Indel's matrix for this many token pairs takes 32 MiB


def _ids(a: list[str], b: list[str]) -> tuple[list[int], list[int]]:
    """The tokens of ``a`` and ``b`` as integers: equal ids for equal tokens, and only then."""
    code = {token: index for index, token in enumerate(dict.fromkeys(a + b))}
    return list(map(code.__getitem__, a)), list(map(code.__getitem__, b))


def _changes(opcodes: Opcodes) -> list[Change]:
    """The changes between the equal runs of ``opcodes``."""
    changes: list[Change] = []
    current: Change | None = None
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            if current is not None:
                changes.append(current)
                current = None
        elif current is None:
            current = (i1, i2, j1, j2)
        else:
            current = (current[0], i2, current[2], j2)
    if current is not None:
        changes.append(current)
    return changes


def _indel(a: Sequence[Hashable], b: Sequence[Hashable]) -> Opcodes:
    # rapidfuzz is loaded by the first diff, not by every command that loads the domain
    from rapidfuzz.distance import Indel  # noqa: PLC0415

    # as_list() gives plain tuples (its stub says Opcode objects, which unpack the same way)
    return cast(Opcodes, Indel.opcodes(a, b).as_list())


def _gap(a: Sequence[Hashable], b: Sequence[Hashable], gap: Change) -> Opcodes:
    """The exact script of one gap between Levenshtein's equal runs, in whole-text positions."""
    i1, i2, j1, j2 = gap
    if (
        (i2 - i1) * (j2 - j1) > _EXACT_CELLS
        or (  # too big, or nothing in common
            (i2 - i1 == 1 and a[i1] not in b[j1:j2]) or (j2 - j1 == 1 and b[j1] not in a[i1:i2])
        )
    ):
        return [("delete", i1, i2, j1, j1), ("insert", i2, i2, j1, j2)]
    part = _indel(a[i1:i2], b[j1:j2])
    return [(t, i1 + k1, i1 + k2, j1 + l1, j1 + l2) for t, k1, k2, l1, l2 in part]


def _opcodes(a: Sequence[Hashable], b: Sequence[Hashable], sparse: bool = False) -> Opcodes:
    """A shortest insert/delete script from ``a`` to ``b`` (see the module docstring)."""
    if not sparse and len(a) * len(b) <= _EXACT_CELLS:
        return _indel(a, b)
    from rapidfuzz.distance import Levenshtein  # noqa: PLC0415 - see _indel

    solved: Opcodes = []
    gap: Change | None = None
    levenshtein = Levenshtein.opcodes(a, b, score_hint=64)  # a band, widened while needed
    for tag, i1, i2, j1, j2 in cast(Opcodes, levenshtein.as_list()):
        if tag != "equal":
            gap = (i1, i2, j1, j2) if gap is None else (gap[0], i2, gap[2], j2)
            continue
        if gap is not None:
            solved += _gap(a, b, gap)
            gap = None
        solved.append((tag, i1, i2, j1, j2))
    if gap is not None:
        solved += _gap(a, b, gap)
    return solved


def _semantic(changes: list[Change]) -> list[Change]:
    """Fold each equal run no longer than the changes on both sides of it into them.

    The rule of diff-match-patch's ``diff_cleanupSemantic``, in one pass with a stack; the
    lengths are counted in tokens.
    """
    merged: list[Change] = []
    for change in changes:
        merged.append(change)
        while len(merged) >= 2:
            (a1, a2, b1, b2), (a3, a4, b3, b4) = merged[-2], merged[-1]
            between = a3 - a2
            if (between > a2 - a1 and between > b2 - b1) or (
                between > a4 - a3 and between > b4 - b3
            ):
                break
            merged[-2:] = [(a1, a4, b1, b4)]
    return merged


def align_tokens(
    a: list[str], b: list[str], *, semantic: bool, sparse: bool = False
) -> list[tuple[OpKind, str]]:
    """The runs (equal, delete, insert) that turn the tokens ``a`` into the tokens ``b``.

    Between two equal runs there is at most one delete, then at most one insert. With
    ``semantic``, short equal runs between changes are folded into them. ``sparse`` says the
    caller expects changes to be few (a few percent of the tokens): the equal runs are then
    found by the banded pass of step 2, which costs about half of Indel's full matrix there
    (and more than it when changes are dense); each gap is still aligned exactly.

    >>> align_tokens(["we", " ", "note", " ", "it"], ["we", " ", "see", " ", "it"], semantic=True)
    [('equal', 'we '), ('delete', 'note'), ('insert', 'see'), ('equal', ' it')]
    """
    runs = _runs(a, b, _changes(_opcodes(a, b, sparse)), semantic)
    if "".join(text for kind, text in runs if kind != "delete") != "".join(b):
        # two different tokens shared a hash, so an "equal" run was not: compare integers
        runs = _runs(a, b, _changes(_opcodes(*_ids(a, b), sparse)), semantic)
    return runs


def _runs(
    a: list[str], b: list[str], changes: list[Change], semantic: bool
) -> list[tuple[OpKind, str]]:
    """The runs of text that ``changes`` make, equal runs taken from ``a``."""
    if semantic:
        changes = _semantic(changes)
    runs: list[tuple[OpKind, str]] = []
    position = 0
    for a_lo, a_hi, b_lo, b_hi in changes:
        if a_lo > position:
            runs.append(("equal", "".join(a[position:a_lo])))
        if a_hi > a_lo:
            runs.append(("delete", "".join(a[a_lo:a_hi])))
        if b_hi > b_lo:
            runs.append(("insert", "".join(b[b_lo:b_hi])))
        position = a_hi
    if position < len(a):
        runs.append(("equal", "".join(a[position:])))
    return runs

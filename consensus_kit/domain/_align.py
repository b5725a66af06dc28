"""Aligning two token sequences: the engine behind :mod:`consensus_kit.domain.diff` (private).

1. Each distinct token becomes one symbol, a code point (the ``diff_linesToChars`` idea of
   diff-match-patch applied to tokens): both texts become strings, so equal runs are found
   by C-speed string comparison. The supplementary private-use planes come first, then every
   other code point but the surrogates: about 1.1 million distinct tokens fit.
2. :func:`_align` works through a list of regions. Each loses its common prefix and suffix.
   A small rest is solved exactly from a longest common subsequence computed bit-parallel
   (:func:`_lcs`, one integer per row); a larger one first gets Myers' O(ND) algorithm with a
   small budget of edits (:func:`_myers`: cheap when few things changed). Otherwise symbols
   unique in both sides are anchors: the longest chain of them in the same order (patience
   diff) cuts the region into equal runs and smaller regions, solved in turn. Without unique
   symbols, symbols occurring at most ``_RARE`` times give the longest common chain
   (Hunt–Szymanski). A region with no anchor at all gets the exact :func:`_lcs` too; only
   one larger than ``_HUGE`` symbols (a few distinct tokens each repeated many times: no
   natural text) is halved first, which keeps it fast but may be less than minimal. Nothing
   ever degrades into "delete all, insert all" (diff-match-patch's ``Diff_Timeout`` is not
   involved: its ``diff_main`` is replaced, only its prefix and suffix helpers are used).
3. :func:`_semantic` folds every equal run no longer than the changes on both sides of it
   into them (the rule of diff-match-patch's ``diff_cleanupSemantic``), so a reader sees
   whole changed phrases rather than a sieve of one-word equalities.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from typing import Literal

from diff_match_patch import diff_match_patch

__all__ = ["OpKind", "align_tokens"]

OpKind = Literal["equal", "insert", "delete"]
Diff = list[tuple[int, str]]  # diff-match-patch style: (-1 delete | 0 equal | 1 insert, symbols)
Blocks = tuple[list[str], list[tuple[str, str]]]  # equal runs E0…En, changes between them

_DMP = diff_match_patch()
_DMP.Diff_Timeout = 0  # never used for a diff here; set anyway so that it can never degrade
_EQUAL, _INSERT, _DELETE = 0, 1, -1
_SOLVE, _KEEP, _SWAP = 0, 1, 2

_PRIVATE = 0xF0000  # supplementary private use areas A and B: 0x20000 symbols
_CAPACITY = 0x20000 + 0xF0000 - 0x800  # then every code point below, without surrogates
_SMALL = 128  # regions of at most this many symbols (both sides) are solved by _lcs
_BUDGET = 1024  # larger ones get Myers with at most _BUDGET // size edits first
_RARE = 8  # without unique symbols, anchor on symbols occurring at most this often
_HUGE = 1024  # an anchorless region larger than this is halved


def _symbol(index: int) -> str:
    """The symbol for the ``index``-th distinct token: never a surrogate, never repeated."""
    if index < 0x20000:
        return chr(_PRIVATE + index)
    index -= 0x20000
    return chr(index + 0x800 if index >= 0xD800 else index)


def _encode(a: list[str], b: list[str]) -> tuple[str, str, dict[str, str]]:
    """Map each distinct token to one symbol; return both symbol strings and the decoder."""
    distinct = dict.fromkeys(a)
    distinct.update(dict.fromkeys(b))
    if len(distinct) > _CAPACITY:
        raise ValueError(f"too many distinct tokens to diff ({len(distinct):,})")
    symbols = (
        [chr(cp) for cp in range(_PRIVATE, _PRIVATE + len(distinct))]
        if len(distinct) <= 0x20000
        else [_symbol(i) for i in range(len(distinct))]
    )
    code = dict(zip(distinct, symbols, strict=True))
    encoded_a = "".join(map(code.__getitem__, a))
    encoded_b = "".join(map(code.__getitem__, b))
    return encoded_a, encoded_b, dict(zip(symbols, distinct, strict=True))


def _anchors(a: str, b: str) -> list[tuple[int, int]]:
    """Matching positions of rare symbols: the longest chain in the same order in both.

    Symbols unique in both strings (patience diff); failing those, symbols occurring at most
    ``_RARE`` times in each, all their pairings considered (Hunt–Szymanski).
    """
    count_a, count_b = Counter(a), Counter(b)
    rare = {s for s, n in count_a.items() if n == 1 and count_b.get(s) == 1}
    if rare:
        where = {s: j for j, s in enumerate(b) if s in rare}
        pairs = [(i, where[s]) for i, s in enumerate(a) if s in rare]
    else:
        rare = {s for s, n in count_a.items() if n <= _RARE and 0 < count_b.get(s, 0) <= _RARE}
        seen: defaultdict[str, list[int]] = defaultdict(list)
        for j, s in enumerate(b):
            if s in rare:
                seen[s].insert(0, j)  # latest first: one match per position of a at most
        pairs = [(i, j) for i, s in enumerate(a) if s in rare for j in seen[s]]
    # Longest strictly increasing subsequence of the b positions (patience sorting).
    tails: list[int] = []
    tail_index: list[int] = []
    previous: list[int] = []
    for index, (_, j) in enumerate(pairs):
        k = bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_index.append(index)
        else:
            tails[k] = j
            tail_index[k] = index
        previous.append(tail_index[k - 1] if k else -1)
    chain: list[tuple[int, int]] = []
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        chain.append(pairs[index])
        index = previous[index]
    chain.reverse()
    return chain


def _myers(a: str, b: str, limit: int | None = None) -> Diff | None:
    """Shortest edit script of two symbol strings (Myers' greedy O(ND) algorithm).

    ``None`` when it needs more than ``limit`` edits.
    """
    n, m = len(a), len(b)
    offset = n + m + 1
    v = [0] * (2 * offset + 1)
    trace: list[list[int]] = []
    for d in range(n + m + 1 if limit is None else min(n + m, limit) + 1):
        trace.append(v[:])
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and v[offset + k - 1] < v[offset + k + 1]):
                x = v[offset + k + 1]
            else:
                x = v[offset + k - 1] + 1
            y = x - k
            while x < n and y < m and a[x] == b[y]:
                x, y = x + 1, y + 1
            v[offset + k] = x
            if x >= n and y >= m:
                return _backtrack(a, b, trace, d, offset)
    return None


def _backtrack(a: str, b: str, trace: list[list[int]], d: int, offset: int) -> Diff:
    steps: Diff = []
    x, y = len(a), len(b)
    for depth in range(d, 0, -1):
        v = trace[depth]
        k = x - y
        down = k == -depth or (k != depth and v[offset + k - 1] < v[offset + k + 1])
        prev_k = k + 1 if down else k - 1
        prev_x = v[offset + prev_k]
        prev_y = prev_x - prev_k
        if x > prev_x + (0 if down else 1):
            start = prev_x + (0 if down else 1)
            steps.append((_EQUAL, a[start:x]))
        steps.append((_INSERT, b[prev_y]) if down else (_DELETE, a[prev_x]))
        x, y = prev_x, prev_y
    if x:
        steps.append((_EQUAL, a[:x]))
    steps.reverse()
    return steps


def _lcs(a: str, b: str) -> Diff:
    """Shortest edit script from a longest common subsequence, computed bit-parallel.

    One machine-word-wide integer per row of the LCS table (Allison–Dix / Hyyrö): bit ``j`` of
    row ``i`` is clear where ``LCS(a[:i], b[:j + 1])`` exceeds ``LCS(a[:i], b[:j])``. Cost is
    independent of the number of edits, unlike Myers: the better choice for dense changes.
    """
    if len(a) == 1 or len(b) == 1:  # common and cheap: one symbol against a few
        short, long_, kind = (a, b, _INSERT) if len(a) == 1 else (b, a, _DELETE)
        at = long_.find(short)
        if at < 0:
            return [(_DELETE, a), (_INSERT, b)]
        return [(kind, long_[:at]), (_EQUAL, short), (kind, long_[at + 1 :])]
    m = len(b)
    full = (1 << m) - 1
    where: dict[str, int] = {}
    for j, s in enumerate(b):
        where[s] = where.get(s, 0) | 1 << j
    rows = [full]
    row = full
    for s in a:
        low = row & where.get(s, 0)
        row = ((row + low) | (row - low)) & full
        rows.append(row)
    steps: Diff = []
    i, j = len(a), m
    while i and j:
        if a[i - 1] == b[j - 1]:  # a match is always on some longest common subsequence
            end = i
            while i and j and a[i - 1] == b[j - 1]:
                i, j = i - 1, j - 1
            steps.append((_EQUAL, a[i:end]))
            continue
        mask = (1 << j) - 1
        if (rows[i - 1] & mask).bit_count() == (rows[i] & mask).bit_count():
            steps.append((_DELETE, a[i - 1]))  # dropping a[i - 1] keeps the LCS length
            i -= 1
        else:
            steps.append((_INSERT, b[j - 1]))
            j -= 1
    steps += [(_DELETE, a[:i]), (_INSERT, b[:j])]
    steps.reverse()
    return steps


def _align(a: str, b: str) -> Diff:
    """Diff two symbol strings exactly where cheap, split at rare common symbols where not."""
    out: Diff = []
    # Work list, last item first: (a_lo, a_hi, b_lo, b_hi, kind) with kind _SOLVE, _KEEP
    # (an equal run) or _SWAP (delete the a part, insert the b part).
    todo: list[tuple[int, int, int, int, int]] = [(0, len(a), 0, len(b), _SOLVE)]
    while todo:
        a_lo, a_hi, b_lo, b_hi, kind = todo.pop()
        part_a, part_b = a[a_lo:a_hi], b[b_lo:b_hi]
        if kind == _KEEP or part_a == part_b:
            out.append((_EQUAL, part_a))
            continue
        if kind == _SWAP or not part_a or not part_b:
            out += [(_DELETE, part_a), (_INSERT, part_b)]
            continue
        prefix = _DMP.diff_commonPrefix(part_a, part_b)
        suffix = _DMP.diff_commonSuffix(part_a[prefix:], part_b[prefix:])
        if prefix:
            out.append((_EQUAL, part_a[:prefix]))
        if suffix:
            todo.append((a_hi - suffix, a_hi, b_hi - suffix, b_hi, _KEEP))
        a_lo, b_lo, a_hi, b_hi = a_lo + prefix, b_lo + prefix, a_hi - suffix, b_hi - suffix
        part_a, part_b = a[a_lo:a_hi], b[b_lo:b_hi]
        size = len(part_a) + len(part_b)
        script = _lcs(part_a, part_b) if size <= _SMALL else _myers(part_a, part_b, _BUDGET // size)
        if script is not None:
            out.extend(script)
            continue
        if set(part_a).isdisjoint(part_b):
            out += [(_DELETE, part_a), (_INSERT, part_b)]
            continue
        chain = _anchors(part_a, part_b)
        if not chain and size > _HUGE:  # only a few distinct tokens, each repeated many times
            half_a, half_b = len(part_a) // 2, len(part_b) // 2
            todo.append((a_lo + half_a, a_hi, b_lo + half_b, b_hi, _SOLVE))
            todo.append((a_lo, a_lo + half_a, b_lo, b_lo + half_b, _SOLVE))
            continue
        if not chain:
            out.extend(_lcs(part_a, part_b))
            continue
        todo.extend(reversed(_gaps(a, b, chain, a_lo, a_hi, b_lo, b_hi)))
    return out


def _gaps(
    a: str, b: str, chain: list[tuple[int, int]], a_lo: int, a_hi: int, b_lo: int, b_hi: int
) -> list[tuple[int, int, int, int, int]]:
    """Split a region at its anchors into equal runs (anchors and identical gaps) and gaps.

    A gap with nothing on one side, or one symbol on each, needs no further solving.
    """
    items: list[tuple[int, int, int, int, int]] = []
    run_i, run_j = i0, j0 = a_lo, b_lo  # start of the current equal run; end of last anchor
    for i, j in [*((i + a_lo, j + b_lo) for i, j in chain), (a_hi, b_hi)]:
        if a[i0:i] != b[j0:j]:
            if i0 > run_i:
                items.append((run_i, i0, run_j, j0, _KEEP))
            trivial = i == i0 or j == j0 or (i - i0 == 1 and j - j0 == 1)
            items.append((i0, i, j0, j, _SWAP if trivial else _SOLVE))
            run_i, run_j = i, j
        i0, j0 = i + 1, j + 1
    if a_hi > run_i:
        items.append((run_i, a_hi, run_j, b_hi, _KEEP))
    return items


def _blocks(diff: Diff) -> Blocks:
    """Equal runs ``E0 … En`` and the changes ``(deleted, inserted)`` between them."""
    equal: list[str] = []
    changes: list[tuple[str, str]] = []
    kept: list[str] = []
    deleted: list[str] = []
    inserted: list[str] = []
    for op, text in diff:
        if op == _EQUAL:
            if deleted or inserted:
                equal.append("".join(kept))
                changes.append(("".join(deleted), "".join(inserted)))
                kept, deleted, inserted = [], [], []
            kept.append(text)
        else:
            (deleted if op == _DELETE else inserted).append(text)
    if deleted or inserted:
        equal.append("".join(kept))
        changes.append(("".join(deleted), "".join(inserted)))
        kept = []
    equal.append("".join(kept))
    return equal, changes


def _semantic(blocks: Blocks) -> Blocks:
    """Fold each equal run no longer than the changes on both sides of it into them.

    The rule of diff-match-patch's ``diff_cleanupSemantic``, in one pass with a stack.
    """
    equal, changes = blocks
    kept = [equal[0]]
    merged: list[tuple[str, str]] = []
    for index, change in enumerate(changes):
        merged.append(change)
        kept.append(equal[index + 1])
        while len(merged) >= 2:
            between = kept[-2]
            (del1, ins1), (del2, ins2) = merged[-2], merged[-1]
            size = len(between)
            if size > max(len(del1), len(ins1)) or size > max(len(del2), len(ins2)):
                break
            merged[-2:] = [(del1 + between + del2, ins1 + between + ins2)]
            del kept[-2]
    return kept, merged


def _decoded(blocks: Blocks, decoder: dict[str, str]) -> list[tuple[OpKind, str]]:
    get = decoder.__getitem__
    equal, changes = blocks
    runs: list[tuple[OpKind, str]] = []
    for index, (deleted, inserted) in enumerate(changes):
        runs.append(("equal", "".join(map(get, equal[index]))))
        runs.append(("delete", "".join(map(get, deleted))))
        runs.append(("insert", "".join(map(get, inserted))))
    runs.append(("equal", "".join(map(get, equal[-1]))))
    return [(kind, text) for kind, text in runs if text]


def align_tokens(a: list[str], b: list[str], *, semantic: bool) -> list[tuple[OpKind, str]]:
    """The runs (equal, delete, insert) that turn the tokens ``a`` into the tokens ``b``.

    Between two equal runs there is at most one delete, then at most one insert. With
    ``semantic``, short equal runs between changes are folded into them.

    >>> align_tokens(["we", " ", "note", " ", "it"], ["we", " ", "see", " ", "it"], semantic=True)
    [('equal', 'we '), ('delete', 'note'), ('insert', 'see'), ('equal', ' it')]
    """
    encoded_a, encoded_b, decoder = _encode(a, b)
    blocks = _blocks(_align(encoded_a, encoded_b))
    return _decoded(_semantic(blocks) if semantic else blocks, decoder)

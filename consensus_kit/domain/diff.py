"""Word- and character-level differences between two texts, fast enough for a live session.

A reader of an amendment should see whole words change in English, Arabic or Russian and single
characters in Chinese, Japanese or Thai; the secretariat needs every diff to be exact and fast
(a 2,000-word article in milliseconds, hundreds of amendments in a fraction of a second).
:func:`diff_texts` does it in five steps:

1. **Trim.** The common head and tail of both texts are cut off at token boundaries (plain
   string comparison, no tokenizing); an amendment touching one sentence is small at once.
2. **Clauses.** Unless it is short or nearly every sentence changed, the rest is cut into
   clauses (after ``.``, ``,``, ``。``, ``，``, line breaks…) and the clause sequences are
   aligned: unchanged clauses are kept
   whole, never tokenized (when over a third of the text is in changed clauses, aligning them
   run by run costs more than tokenizing everything: the rest is taken as one region).
3. **Tokens.** Each run of changed clauses is cut into tokens by script
   (:func:`~consensus_kit.domain.tokens.tokenize`: words, or single characters in unspaced
   scripts), and the two token sequences are aligned exactly, a longest common subsequence
   computed by rapidfuzz in C++ (:mod:`consensus_kit.domain._align`); a region where some
   clauses are unchanged (a 5 % edit) is first aligned in a narrow band, at half the cost.
4. **Clean-up.** Short equal runs between changes are folded into them (the rule of
   diff-match-patch's semantic clean-up), so edits read as phrases, not letter soup.
   ``mode="char"`` instead diffs every replaced run of words again, character by character.
5. **Ops.** Runs become :class:`DiffOp` values: never empty, never two of one kind in a row,
   a delete before its insert; a lone edit's leading space moves to its end where the text
   allows. ``old_text(ops) == old`` and ``new_text(ops) == new`` hold for every input.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

import msgspec

from consensus_kit.domain._align import OpKind, align_tokens
from consensus_kit.domain.tokens import TokenMode, _boundary, _clauses, _trim, tokenize

__all__ = [
    "DiffOp",
    "DiffSummary",
    "changed_spans",
    "diff_texts",
    "new_text",
    "old_text",
    "render_html",
    "spans",
    "summary",
]


class DiffOp(msgspec.Struct, frozen=True, kw_only=True):
    """One run of a diff: text kept (``equal``), added (``insert``) or removed (``delete``)."""

    op: OpKind
    text: str


class DiffSummary(msgspec.Struct, frozen=True, kw_only=True):
    """Character counts of a diff (code points) and the number of separate changes."""

    inserted_chars: int
    deleted_chars: int
    equal_chars: int
    changes: int


class _Tally:
    """How many diffs this process has computed (:func:`diff_texts` calls that compared two
    different texts): what tests and benchmarks read to show a page computed none."""

    computed = 0


_SHORT = 4000  # characters: below this, cutting into clauses costs more than it saves
_DENSE = 1 / 3  # when more of the text than this is in changed clauses, align it as one region
_SPARSE = 3 / 4  # up to this share in changed clauses, changes are sparse among the tokens


def _refine(ops: list[DiffOp]) -> list[DiffOp]:
    """Diff each replaced run of words again, character by character (``mode="char"``)."""
    out: list[DiffOp] = []
    for index, o in enumerate(ops):
        if o.op == "insert" and index and ops[index - 1].op == "delete":
            out.pop()
            chars_a = tokenize(ops[index - 1].text, mode="char")
            chars_b = tokenize(o.text, mode="char")
            out += (DiffOp(op=k, text=t) for k, t in align_tokens(chars_a, chars_b, semantic=True))
        else:
            out.append(o)
    return out


def _merged(ops: Iterable[DiffOp]) -> list[DiffOp]:
    """Normalise: no empty ops; between two equal ops one delete, then one insert."""
    result: list[DiffOp] = []
    runs: dict[OpKind, list[str]] = {"equal": [], "delete": [], "insert": []}

    def flush(kinds: tuple[OpKind, ...]) -> None:
        for kind in kinds:
            if runs[kind]:
                result.append(DiffOp(op=kind, text="".join(runs[kind])))
                runs[kind] = []

    for o in ops:
        if not o.text:
            continue
        flush(("delete", "insert") if o.op == "equal" else ("equal",))
        runs[o.op].append(o.text)
    flush(("equal", "delete", "insert"))
    return result


def _tidy(ops: list[DiffOp], mode: TokenMode) -> list[DiffOp]:
    """Move a lone edit's leading space to its end when the text allows it.

    ``children,<del> especially</del> especially`` becomes
    ``children, <del>especially </del>especially``: the same change, read more easily.
    """
    for index in range(1, len(ops) - 1):
        edit = ops[index]
        if edit.op == "equal" or not edit.text[0].isspace():
            continue
        before, after = ops[index - 1], ops[index + 1]
        if before.op != "equal" or after.op != "equal":
            continue
        space = edit.text[: len(edit.text) - len(edit.text.lstrip())]
        if (
            after.text.startswith(space)
            and _boundary(edit.text, len(space), mode)
            and _boundary(after.text, len(space), mode)
            and len(after.text) > len(space)
        ):
            ops[index - 1 : index + 2] = [
                DiffOp(op="equal", text=before.text + space),
                DiffOp(op=edit.op, text=edit.text[len(space) :] + space),
                DiffOp(op="equal", text=after.text[len(space) :]),
            ]
    return ops


def _rewritten(old: str, new: str) -> bool:
    """Whether nearly every sentence (cut after ". ") of ``old`` changed: then no clause is
    kept whole either, and cutting into clauses only costs. A guess in C-speed string
    operations; a text with few such sentences (Chinese) is never taken as rewritten."""
    sentences = old.split(". ")
    if len(sentences) < 8:
        return False
    kept = set(new.split(". "))
    return sum(len(s) for s in sentences if s in kept) < 0.05 * len(old)


def _region(
    old: str, new: str, lang: str | None, mode: TokenMode, *, semantic: bool, sparse: bool = False
) -> list[tuple[OpKind, str]]:
    """The runs of one changed region, aligned token by token."""
    if not old or not new:
        return [("delete", old)] if old else [("insert", new)]
    return align_tokens(
        tokenize(old, lang, mode=mode),
        tokenize(new, lang, mode=mode),
        semantic=semantic,
        sparse=sparse,
    )


def _extend(runs: list[tuple[OpKind, str]], more: list[tuple[OpKind, str]]) -> None:
    """Append ``more`` to ``runs``, joining two equal runs that meet."""
    if runs and more and runs[-1][0] == more[0][0] == "equal":
        runs[-1] = ("equal", runs[-1][1] + more[0][1])
        runs.extend(more[1:])
    else:
        runs.extend(more)


def _framed(runs: list[tuple[OpKind, str]], head: str, tail: str) -> list[DiffOp]:
    """The runs as ops, with the common ``head`` and ``tail`` joined to the equal runs."""
    if head:
        if runs and runs[0][0] == "equal":
            runs[0] = ("equal", head + runs[0][1])
        else:
            runs.insert(0, ("equal", head))
    if tail:
        if runs[-1][0] == "equal":
            runs[-1] = ("equal", runs[-1][1] + tail)
        else:
            runs.append(("equal", tail))
    return [DiffOp(op=kind, text=text) for kind, text in runs]


def diff_texts(
    old: str,
    new: str,
    *,
    lang: str | None = None,
    mode: TokenMode = "auto",
) -> list[DiffOp]:
    """The operations that turn ``old`` into ``new``.

    ``mode="auto"`` compares words in spaced scripts and characters in Chinese, Japanese, Thai
    and other unspaced scripts, per token, so mixed texts work; ``lang`` (``"zh"``, ``"ja"``,
    ``"th"``…) is only a hint (see :func:`~consensus_kit.domain.tokens.tokenize`).
    ``mode="word"`` compares runs of letters in every script, ``mode="char"`` refines replaced
    words to the characters that differ. Adjacent operations of one kind are merged; identical
    texts give one ``equal`` op (none for two empty texts).

    >>> [(o.op, o.text) for o in diff_texts("we welcome the report", "we note the report")]
    [('equal', 'we '), ('delete', 'welcome'), ('insert', 'note'), ('equal', ' the report')]
    >>> [(o.op, o.text) for o in diff_texts("我们认为儿童", "我们相信儿童")]
    [('equal', '我们'), ('delete', '认为'), ('insert', '相信'), ('equal', '儿童')]
    """
    if mode not in ("auto", "word", "char"):
        raise ValueError(f"unknown diff mode {mode!r}")
    if old == new:
        return [DiffOp(op="equal", text=old)] if old else []
    if not old or not new:
        return [DiffOp(op="insert" if new else "delete", text=new or old)]
    _Tally.computed += 1
    token_mode: TokenMode = "auto" if mode == "char" else mode
    semantic = mode != "char"
    head, tail = _trim(old, new, token_mode)
    middle_a, middle_b = old[head : len(old) - tail], new[head : len(new) - tail]
    clause_runs: list[tuple[OpKind, str]] = []
    if len(middle_a) + len(middle_b) > _SHORT and not _rewritten(middle_a, middle_b):
        clauses_a, clauses_b = _clauses(middle_a), _clauses(middle_b)
        if len(clauses_a) > 1 and len(clauses_b) > 1:
            clause_runs = align_tokens(clauses_a, clauses_b, semantic=False)
    size = len(middle_a) + len(middle_b)
    in_changes = size - sum(2 * len(text) for kind, text in clause_runs if kind == "equal")
    if not clause_runs or in_changes > _DENSE * size:  # one region costs less than many runs
        sparse = bool(clause_runs) and in_changes <= _SPARSE * size
        runs = _region(middle_a, middle_b, lang, token_mode, semantic=semantic, sparse=sparse)
    else:
        runs = []
        changed = {"delete": "", "insert": ""}
        for kind, text in [*clause_runs, ("equal", "")]:
            if kind != "equal":
                changed[kind] = text
                continue
            if changed["delete"] or changed["insert"]:
                region = _region(
                    changed["delete"], changed["insert"], lang, token_mode, semantic=semantic
                )
                _extend(runs, region)
                changed = {"delete": "", "insert": ""}
            if text:
                _extend(runs, [("equal", text)])
    ops = _framed(runs, old[:head], old[len(old) - tail :])
    return _tidy(_merged(_refine(ops)) if mode == "char" else ops, token_mode)


def old_text(ops: Iterable[DiffOp]) -> str:
    """The text before the change: equal and deleted runs.

    >>> old_text(diff_texts("a b", "a c"))
    'a b'
    """
    return "".join(o.text for o in ops if o.op != "insert")


def new_text(ops: Iterable[DiffOp]) -> str:
    """The text after the change: equal and inserted runs.

    >>> new_text(diff_texts("a b", "a c"))
    'a c'
    """
    return "".join(o.text for o in ops if o.op != "delete")


def render_html(ops: Iterable[DiffOp]) -> str:
    """Safe HTML for a diff: inserts in ``<ins>``, deletions in ``<del>``, all text escaped.

    Line breaks are kept as ``\\n`` (not ``<br>``): show the result in an element styled
    ``white-space: pre-wrap`` so that added or removed line breaks stay visible in place.

    >>> render_html(diff_texts("a <b>", "a <script>"))
    'a &lt;<del>b</del><ins>script</ins>&gt;'
    """
    parts: list[str] = []
    for o in ops:
        text = html.escape(o.text, quote=True)
        if o.op == "equal":
            parts.append(text)
        else:
            tag = "ins" if o.op == "insert" else "del"
            parts.append(f"<{tag}>{text}</{tag}>")
    return "".join(parts)


def spans(ops: Iterable[DiffOp]) -> list[tuple[int, int]]:
    """The ``(start, end)`` ranges of the old text that a diff changes, in code points.

    A pure insertion gives an empty range ``(i, i)`` at the place it goes.

    >>> spans(diff_texts("one two three", "one 2 three four"))
    [(4, 7), (13, 13)]
    """
    result: list[tuple[int, int]] = []
    position = 0
    start: int | None = None
    for o in ops:
        if o.op == "equal":
            if start is not None:
                result.append((start, position))
                start = None
            position += len(o.text)
            continue
        if start is None:
            start = position
        if o.op == "delete":
            position += len(o.text)
    if start is not None:
        result.append((start, position))
    return result


def changed_spans(
    old: str, new: str, *, lang: str | None = None, mode: TokenMode = "auto"
) -> list[tuple[int, int]]:
    """The ranges of ``old`` touched by the change to ``new`` (see :func:`spans`).

    >>> changed_spans("关爱保护儿童", "关爱儿童")
    [(2, 4)]
    """
    return spans(diff_texts(old, new, lang=lang, mode=mode))


def summary(ops: Sequence[DiffOp]) -> DiffSummary:
    """Counts of inserted, deleted and kept characters, and of separate changes.

    >>> summary(diff_texts("a b c", "a x c d"))
    DiffSummary(inserted_chars=3, deleted_chars=1, equal_chars=4, changes=2)
    """
    size = {"equal": 0, "insert": 0, "delete": 0}
    for o in ops:
        size[o.op] += len(o.text)
    changes = sum(
        1 for i, o in enumerate(ops) if o.op != "equal" and (i == 0 or ops[i - 1].op == "equal")
    )
    return DiffSummary(
        inserted_chars=size["insert"],
        deleted_chars=size["delete"],
        equal_chars=size["equal"],
        changes=changes,
    )

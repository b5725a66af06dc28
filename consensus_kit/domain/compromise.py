"""Compromise texts: several open amendments to one text merged into one proposal.

The merge starts from the current words and applies each amendment's change in turn (by
number), per language, through :func:`~consensus_kit.domain.rebase.rebase_text`: a change is
applied only when it is certain, and a change that touches words an earlier one changed is a
*conflict* — it is not applied, it is listed with the amendment's own words, and a person must
resolve it before the text is put to the floor. Nothing is merged silently.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import msgspec

from consensus_kit.domain.amendments import (
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    apply_amendment,
    next_article_id,
    target_texts,
)
from consensus_kit.domain.ids import ArticleId, Lang
from consensus_kit.domain.model import Article, Declaration
from consensus_kit.domain.rebase import rebase_text
from consensus_kit.domain.tracking import part_tracking, with_part
from consensus_kit.errors import InvalidInput, InvalidState

__all__ = [
    "MERGEABLE_KINDS",
    "MERGEABLE_LATER",
    "MERGEABLE_STATUSES",
    "SETTLING_STATUSES",
    "MergeConflict",
    "MergeOutcome",
    "apply_modified",
    "check_mergeable",
    "conflict_key",
    "may_merge",
    "merge_amendments",
]

MERGEABLE_KINDS = frozenset({AmendmentKind.REPLACE, AmendmentKind.TITLE, AmendmentKind.PREAMBLE})
"""Kinds whose words can be merged (a deletion or a move has no words to merge)."""

MERGEABLE_STATUSES = frozenset({AmendmentStatus.SUBMITTED, AmendmentStatus.NEEDS_UPDATE})
"""Statuses of amendments that may be merged: open, and not under vote."""

SETTLING_STATUSES = frozenset(
    {
        AmendmentStatus.ADOPTED,
        AmendmentStatus.REJECTED,
        AmendmentStatus.WITHDRAWN,
        AmendmentStatus.SET_ASIDE,
        AmendmentStatus.SUPERSEDED,
    }
)
"""Statuses of a compromise text that decide the fate of the amendments it merges: adopted,
they are merged into it; any other, they are reopened."""

MERGEABLE_LATER = frozenset(
    {AmendmentStatus.IN_COMPROMISE, AmendmentStatus.SUBMITTED, AmendmentStatus.NEEDS_UPDATE}
)
"""Statuses from which an amendment becomes merged when its compromise text is adopted."""

MAX_MERGED = 20
"""Amendments one compromise text may merge."""


class MergeConflict(msgspec.Struct, frozen=True, kw_only=True):
    """An amendment's change that could not be applied with certainty in one language."""

    number: int
    lang: Lang
    reason: str
    proposed: str
    """The amendment's own words in that language, for the person who resolves it."""

    @property
    def key(self) -> str:
        """``"5:en"``: how a caller says this conflict was resolved."""
        return conflict_key(self.number, self.lang)


class MergeOutcome(msgspec.Struct, frozen=True, kw_only=True):
    """The merged words per language, what was applied, and what is left to a person."""

    kind: AmendmentKind
    article: ArticleId | None
    base_texts: dict[Lang, str]
    texts: dict[Lang, str]
    applied: dict[Lang, list[int]]
    conflicts: list[MergeConflict]


def conflict_key(number: int, lang: str) -> str:
    """The key of a conflict: amendment number and language (``"5:en"``)."""
    return f"{number}:{lang}"


def may_merge(amendment: Amendment) -> bool:
    """Whether an amendment could join a compromise text: open, not under vote, and changing
    words (:func:`check_mergeable` says why one cannot)."""
    return amendment.kind in MERGEABLE_KINDS and amendment.status in MERGEABLE_STATUSES


def check_mergeable(amendments: Sequence[Amendment]) -> tuple[AmendmentKind, ArticleId | None]:
    """The kind and target the amendments share, or an error naming the one that cannot join.

    >>> check_mergeable([])
    Traceback (most recent call last):
    ...
    consensus_kit.errors.InvalidInput: amendments: choose at least two amendments to merge
    """
    if len(amendments) < 2:
        raise InvalidInput("choose at least two amendments to merge", field="amendments")
    if len(amendments) > MAX_MERGED:
        raise InvalidInput(f"at most {MAX_MERGED} amendments in one merge", field="amendments")
    numbers = [a.number for a in amendments]
    if len(set(numbers)) != len(numbers):
        raise InvalidInput("an amendment is named twice", field="amendments")
    first = amendments[0]
    for a in amendments:
        if a.status not in MERGEABLE_STATUSES:
            why = {
                AmendmentStatus.UNDER_VOTE: "close its vote first",
                AmendmentStatus.DRAFT: "its sponsor has not submitted it",
                AmendmentStatus.IN_COMPROMISE: f"it is already in compromise {a.merged_into}",
            }.get(a.status, "only open amendments can be merged")
            raise InvalidState(f"amendment {a.number} is {a.status.value.replace('_', ' ')}: {why}")
        if a.kind not in MERGEABLE_KINDS:
            raise InvalidInput(
                f"amendment {a.number} is a {a.kind.value} amendment: only amendments that "
                "change words can be merged",
                field="amendments",
            )
        if a.kind is not first.kind or a.article != first.article:
            raise InvalidInput(
                f"amendments {first.number} and {a.number} change different texts "
                f"({_target(first)}, {_target(a)}): only amendments to the same article "
                "can be merged",
                field="amendments",
            )
    return first.kind, first.article


def _target(amendment: Amendment) -> str:
    return amendment.article or amendment.kind.value


_QUOTED = re.compile(r"“(.*)”")


def merge_amendments(current: dict[Lang, str], amendments: Sequence[Amendment]) -> MergeOutcome:
    """Merge ``amendments`` (already checked) onto ``current``, the target's words now.

    Per language, each change is rebased onto the words merged so far; one that cannot be
    applied with certainty becomes a :class:`MergeConflict` and the words stay as they were.
    """
    kind, article = check_mergeable(amendments)
    texts = dict(current)
    applied: dict[Lang, list[int]] = {}
    conflicts: list[MergeConflict] = []
    # each applied change on its own (its words on the current ones), to name the culprits
    changes: dict[int, dict[Lang, str]] = {}
    for amendment in sorted(amendments, key=lambda a: a.number):
        for lang, ours in amendment.texts.items():
            base = amendment.base_texts.get(lang, "")
            if ours == base:
                continue  # no change proposed in this language
            so_far = texts.get(lang, "")
            result = rebase_text(base, ours, so_far, lang=lang)
            if result.text is None:
                quoted = _QUOTED.search(result.conflict)
                others = [
                    n
                    for n in applied.get(lang, [])
                    if not rebase_text(base, ours, changes[n][lang], lang=lang).clean
                ] or applied.get(lang, [])
                reason = (
                    f"changes the same words as amendment {', '.join(map(str, others))}"
                    if others
                    else "was written against other words than the current ones"
                )
                if quoted:
                    reason += f" (“{quoted.group(1)}”)"
                conflicts.append(
                    MergeConflict(number=amendment.number, lang=lang, reason=reason, proposed=ours)
                )
                continue
            texts[lang] = result.text
            applied.setdefault(lang, []).append(amendment.number)
            alone = rebase_text(base, ours, current.get(lang, ""), lang=lang).text
            changes.setdefault(amendment.number, {})[lang] = alone if alone is not None else ours
    return MergeOutcome(
        kind=kind,
        article=article,
        base_texts=dict(current),
        texts=texts,
        applied=applied,
        conflicts=conflicts,
    )


def apply_modified(
    declaration: Declaration,
    amendment: Amendment,
    modified: dict[Lang, str],
    *,
    version: int,
    negotiating: Lang,
) -> Declaration:
    """The declaration with ``amendment`` adopted with the words ``modified`` agreed on the
    floor (per language edited), as version ``version``.

    Translation tracking as usual: when the edit changes the negotiating-language words, only
    the languages edited with them stay in step; the others (even ones the proposal had
    translated, or its sponsor confirmed) follow the proposal, not the edit, so they are stale.
    """
    new_id = next_article_id(declaration)
    adopted = apply_amendment(
        declaration, amendment, version=version, negotiating=negotiating, new_article_id=new_id
    )
    if not modified:
        return adopted
    kind = amendment.kind
    part = kind.value if kind in (AmendmentKind.TITLE, AmendmentKind.PREAMBLE) else None
    article = amendment.article or new_id
    before = part_tracking(declaration, part or article)
    edit = msgspec.structs.replace(
        amendment,
        kind=AmendmentKind.REPLACE if kind is AmendmentKind.INSERT else kind,
        article=None if part else article,
        texts=modified,
        intent={},
    )
    result = apply_amendment(adopted, edit, version=version, negotiating=negotiating)
    if negotiating not in modified:
        return result
    revision, in_step = part_tracking(result, part or article)
    for lang in list(target_texts(result, edit.kind, edit.article)):
        if lang != negotiating and lang not in modified:
            in_step[lang] = min(before[1].get(lang, before[0]), version - 1)
    if part:
        return with_part(result, part, getattr(result, part), revision, in_step)
    articles = tuple(
        Article.tracked(id=a.id, text=a.text, revision=revision, in_step=in_step)
        if a.id == article
        else a
        for a in result.articles
    )
    return msgspec.structs.replace(result, articles=articles)

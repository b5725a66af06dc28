"""Amendments: proposals against one version, their statuses, and how adoption applies them.

An amendment is pinned to the version it was written against (``base_version``). Its status
moves only along :data:`TRANSITIONS`; anything else raises :class:`InvalidState` naming both
states. Applying an adopted amendment to the latest declaration is a pure function.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools

import msgspec

from consensus_kit.domain.diff import DiffOp, diff_texts
from consensus_kit.domain.ids import ArticleId, DelegateId, Lang, MeetingId, OrgId
from consensus_kit.domain.model import Article, Declaration, Procedure, Reconsideration
from consensus_kit.domain.tracking import part_tracking, retrack, with_part
from consensus_kit.errors import InvalidInput, InvalidState

__all__ = [
    "OPEN_STATUSES",
    "TRANSITIONS",
    "Amendment",
    "AmendmentKind",
    "AmendmentStatus",
    "TranslationIntent",
    "amendment_diffs",
    "apply_amendment",
    "check_intent",
    "check_transition",
    "may_reconsider",
    "next_article_id",
    "parse_kind",
]


class AmendmentKind(enum.StrEnum):
    """What an amendment changes."""

    REPLACE = "replace"  # an article's text
    INSERT = "insert"  # a new article after ``after`` (or at the start)
    DELETE = "delete"  # an article
    MOVE = "move"  # an article to after ``after`` (or to the start)
    TITLE = "title"  # the declaration's title
    PREAMBLE = "preamble"  # the preamble


TEXT_KINDS = frozenset(
    {AmendmentKind.REPLACE, AmendmentKind.INSERT, AmendmentKind.TITLE, AmendmentKind.PREAMBLE}
)
"""Kinds that carry proposed text."""


class TranslationIntent(enum.StrEnum):
    """What the sponsor says, per language, about the words of a text amendment."""

    CHANGED = "changed"  # these words are changed by the amendment
    CONFIRMED = "confirmed"  # checked: the current words still match the new meaning
    SECRETARIAT = "secretariat"  # leave it to the secretariat (the default)


class AmendmentStatus(enum.StrEnum):
    """Where an amendment stands."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    UNDER_VOTE = "under_vote"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    NEEDS_UPDATE = "needs_update"
    SUPERSEDED = "superseded"
    SET_ASIDE = "set_aside"
    IN_COMPROMISE = "in_compromise"  # held while a compromise text that merges it is pending
    MERGED = "merged"  # merged into an adopted compromise text (``merged_into``)


S = AmendmentStatus
TRANSITIONS: dict[AmendmentStatus, frozenset[AmendmentStatus]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN, S.NEEDS_UPDATE, S.SUPERSEDED}),
    S.SUBMITTED: frozenset(
        {
            S.WITHDRAWN,
            S.UNDER_VOTE,
            S.ADOPTED,
            S.REJECTED,
            S.NEEDS_UPDATE,
            S.SUPERSEDED,
            S.SET_ASIDE,
            S.IN_COMPROMISE,
            S.MERGED,
        }
    ),
    # the chair disposes of an amendment stuck here: reject it or set it aside
    S.NEEDS_UPDATE: frozenset(
        {S.SUBMITTED, S.WITHDRAWN, S.SUPERSEDED, S.REJECTED, S.SET_ASIDE, S.IN_COMPROMISE, S.MERGED}
    ),
    # the compromise text that merges it is adopted (merged), or not (reopened: submitted)
    S.IN_COMPROMISE: frozenset({S.MERGED, S.SUBMITTED, S.SUPERSEDED}),
    S.MERGED: frozenset(),
    S.UNDER_VOTE: frozenset({S.ADOPTED, S.REJECTED, S.SUBMITTED, S.NEEDS_UPDATE, S.SUPERSEDED}),
    S.WITHDRAWN: frozenset(),
    S.ADOPTED: frozenset(),
    # only when the rules of procedure allow reconsidering it (by the chair, or by a vote)
    S.REJECTED: frozenset({S.SUBMITTED}),
    S.SUPERSEDED: frozenset(),
    S.SET_ASIDE: frozenset(),
}
"""Allowed status changes. Withdrawn, adopted, superseded and set aside are final; rejected
too, unless the rules of procedure allow reconsidering it. An amendment merged into a
compromise text waits "in compromise" until that text is adopted (merged) or not (reopened)."""

OPEN_STATUSES = frozenset({S.DRAFT, S.SUBMITTED, S.NEEDS_UPDATE, S.UNDER_VOTE})
"""Statuses of amendments still in play (they follow the text as it changes)."""


def may_reconsider(amendment: Amendment, procedure: Procedure) -> bool:
    """Whether ``amendment`` may be reconsidered under the rules of procedure: a rejected
    amendment, when the rules let the chair reopen it or put a motion to reconsider it to a
    vote (``procedure.reconsideration`` says which)."""
    return (
        amendment.status is AmendmentStatus.REJECTED
        and procedure.reconsideration is not Reconsideration.NONE
    )


def parse_kind(value: str) -> AmendmentKind:
    """``value`` as a kind of amendment, or :class:`InvalidInput` on ``kind``.

    >>> parse_kind("move")
    <AmendmentKind.MOVE: 'move'>
    """
    try:
        return AmendmentKind(value)
    except ValueError:
        raise InvalidInput(
            f"{value!r} is not a kind of amendment ({', '.join(k.value for k in AmendmentKind)})",
            field="kind",
        ) from None


def check_transition(current: AmendmentStatus, new: AmendmentStatus, *, number: int) -> None:
    """Raise :class:`InvalidState` unless ``current`` → ``new`` is allowed.

    >>> check_transition(AmendmentStatus.SUBMITTED, AmendmentStatus.WITHDRAWN, number=3)
    """
    if new not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[current])) or "none: it is final"
        raise InvalidState(
            f"amendment {number} is {current.value}; it cannot become {new.value} "
            f"(possible: {allowed})"
        )


class Amendment(msgspec.Struct, frozen=True, kw_only=True):
    """A proposal against one version of the declaration.

    ``texts`` holds the proposed text per language (for replace, insert, title and preamble);
    a meeting language missing from it is "translation pending". ``article`` is the target of
    replace, delete and move; ``after`` is where insert and move put the article (``None``: at
    the start). ``base_texts`` are the target's texts in the base version, kept so a rebase
    can tell what the amendment itself changed.
    """

    meeting: MeetingId
    number: int
    kind: AmendmentKind
    base_version: int
    sponsor: OrgId
    proposed_by: DelegateId
    created_at: dt.datetime
    status: AmendmentStatus = AmendmentStatus.SUBMITTED
    article: ArticleId | None = None
    after: ArticleId | None = None
    texts: dict[Lang, str] = msgspec.field(default_factory=dict)
    base_texts: dict[Lang, str] = msgspec.field(default_factory=dict)
    cosponsors: tuple[OrgId, ...] = ()
    rationale: str = ""
    rebased_from: tuple[int, ...] = ()
    conflict: str = ""
    adopted_in: int | None = None
    intent: dict[Lang, TranslationIntent] = msgspec.field(default_factory=dict)
    merges: tuple[int, ...] = ()
    """A compromise text: the numbers of the amendments it merges."""
    merged_into: int | None = None
    """The compromise text this amendment is (or was) merged into."""
    modified_texts: dict[Lang, str] = msgspec.field(default_factory=dict)
    """Adopted with a modification agreed on the floor: the words adopted, per language changed
    (``texts`` keeps the original proposal)."""

    def adopted_texts(self) -> dict[Lang, str]:
        """The words this amendment put in the text: its proposal with any modification."""
        return {**self.texts, **self.modified_texts}

    def confirmed_languages(self) -> frozenset[Lang]:
        """Languages whose unchanged words the sponsor confirmed as still matching."""
        return frozenset(
            lang for lang, i in self.intent.items() if i is TranslationIntent.CONFIRMED
        )

    def pending_languages(self, languages: tuple[Lang, ...]) -> list[Lang]:
        """Meeting languages this amendment has no text for yet ("translation pending")."""
        if self.kind not in TEXT_KINDS:
            return []
        return [lang for lang in languages if lang not in self.texts]


def check_intent(
    intent: dict[str, str],
    *,
    kind: AmendmentKind,
    texts: dict[Lang, str],
    base_texts: dict[Lang, str],
    languages: tuple[Lang, ...],
    negotiating: Lang,
) -> dict[Lang, TranslationIntent]:
    """The sponsor's per-language intent, checked against the amendment's words.

    "changed" needs words that differ from the current ones; "checked — still matches"
    (``confirmed``) needs the current words unchanged (or not sent) in a translation language
    of a part that exists; "secretariat" is the default and is not kept. Anything else raises
    :class:`InvalidInput` naming ``intent.<lang>``.
    """
    checked: dict[Lang, TranslationIntent] = {}
    for code, value in intent.items():
        lang, field = Lang(code), f"intent.{code}"
        if lang not in languages:
            raise InvalidInput(f"{lang!r} is not one of the meeting's languages", field=field)
        try:
            wish = TranslationIntent(value)
        except ValueError:
            options = ", ".join(i.value for i in TranslationIntent)
            raise InvalidInput(f"{value!r} is not one of {options}", field=field) from None
        if kind not in TEXT_KINDS:
            raise InvalidInput(f"a {kind.value} amendment has no words to speak of", field=field)
        changes = lang in texts and texts[lang] != base_texts.get(lang)
        if wish is TranslationIntent.CHANGED and not changes:
            raise InvalidInput(
                "marked changed, but the words sent are the current ones", field=field
            )
        if wish is TranslationIntent.CONFIRMED:
            if lang == negotiating:
                raise InvalidInput(
                    "the negotiating language is what translations follow; it cannot be "
                    "confirmed as a translation",
                    field=field,
                )
            if changes:
                raise InvalidInput(
                    "marked as still matching, but the words sent differ from the current ones",
                    field=field,
                )
            if lang not in base_texts:
                raise InvalidInput("there are no current words to confirm", field=field)
        if wish is not TranslationIntent.SECRETARIAT:
            checked[lang] = wish
    return checked


def next_article_id(declaration: Declaration) -> ArticleId:
    """A fresh article id for an inserted article: ``art-N`` with N past every existing one."""
    taken = {a.id for a in declaration.articles}
    n = len(declaration.articles) + 1
    while ArticleId(f"art-{n}") in taken:
        n += 1
    return ArticleId(f"art-{n}")


def target_texts(
    declaration: Declaration, kind: AmendmentKind, article: ArticleId | None
) -> dict[Lang, str]:
    """The current texts an amendment of ``kind`` would change."""
    if kind is AmendmentKind.TITLE:
        return dict(declaration.title)
    if kind is AmendmentKind.PREAMBLE:
        return dict(declaration.preamble)
    if kind in (AmendmentKind.REPLACE, AmendmentKind.DELETE, AmendmentKind.MOVE):
        found = declaration.article(article) if article else None
        return dict(found.text) if found else {}
    return {}


def _position_after(articles: list[Article], after: ArticleId | None, number: int) -> int:
    if after is None:
        return 0
    for i, article in enumerate(articles):
        if article.id == after:
            return i + 1
    raise InvalidState(f"amendment {number}: article {after!r} (its position) no longer exists")


def apply_amendment(
    declaration: Declaration,
    amendment: Amendment,
    *,
    version: int,
    negotiating: Lang,
    new_article_id: ArticleId | None = None,
) -> Declaration:
    """The declaration with ``amendment`` applied, as version number ``version``.

    Texts change only in the languages the amendment has; translation tracking follows
    :func:`~consensus_kit.domain.tracking.retrack`: when the negotiating-language words of a
    part change, a language of that part stays in step only if the amendment changed its words
    too or the sponsor confirmed them (``intent``); words sent unchanged are not a confirmation.
    """
    kind = amendment.kind
    articles = list(declaration.articles)
    if kind in (AmendmentKind.TITLE, AmendmentKind.PREAMBLE):
        part = kind.value
        before: dict[Lang, str] = getattr(declaration, part)
        texts = {**before, **amendment.texts}
        revision, in_step = part_tracking(declaration, part)
        revision, in_step = retrack(
            before,
            revision,
            in_step,
            texts,
            version=version,
            negotiating=negotiating,
            confirmed=amendment.confirmed_languages(),
        )
        return with_part(declaration, part, texts, revision, in_step)
    if kind is AmendmentKind.INSERT:
        article_id = new_article_id or next_article_id(declaration)
        if declaration.article(article_id) is not None:
            raise InvalidInput(f"article id {article_id!r} is already used", field="article")
        position = _position_after(articles, amendment.after, amendment.number)
        in_step = {lang: version for lang in amendment.texts if lang != negotiating}
        articles.insert(
            position,
            Article.tracked(id=article_id, text=amendment.texts, revision=version, in_step=in_step),
        )
        return msgspec.structs.replace(declaration, articles=tuple(articles))

    index = next((i for i, a in enumerate(articles) if a.id == amendment.article), None)
    if index is None:
        raise InvalidState(
            f"amendment {amendment.number}: article {amendment.article!r} no longer exists"
        )
    target = articles[index]
    if kind is AmendmentKind.DELETE:
        del articles[index]
    elif kind is AmendmentKind.MOVE:
        del articles[index]
        if amendment.after == target.id:
            raise InvalidInput("an article cannot be moved after itself", field="after")
        articles.insert(_position_after(articles, amendment.after, amendment.number), target)
    else:  # REPLACE
        texts = {**target.text, **amendment.texts}
        revision, in_step = retrack(
            target.text,
            target.revision,
            dict(target.in_step),
            texts,
            version=version,
            negotiating=negotiating,
            confirmed=amendment.confirmed_languages(),
        )
        articles[index] = Article.tracked(
            id=target.id, text=texts, revision=revision, in_step=in_step
        )
    return msgspec.structs.replace(declaration, articles=tuple(articles))


@functools.lru_cache(maxsize=8192)
def _diff(old: str, new: str, lang: str) -> tuple[DiffOp, ...]:
    """One language's diff, kept per process: an amendment's texts never change (a revision or
    a rebase is a new text), and its row and its page both ask for it."""
    return tuple(diff_texts(old, new, lang=lang))


def amendment_diffs(amendment: Amendment) -> dict[Lang, list[DiffOp]]:
    """The diff of the amendment's text in each language it has text for, against the words it
    changes in its base version (empty for an inserted article). The storage keeps it beside
    the amendment, written with it, so that reading never computes it again."""
    return {
        lang: list(_diff(amendment.base_texts.get(lang, ""), text, lang))
        for lang, text in amendment.texts.items()
    }


def modification_diffs(amendment: Amendment) -> dict[Lang, list[DiffOp]]:
    """For an amendment adopted with a modification agreed on the floor: per language
    modified, the diff from the words proposed to the words adopted."""
    return {
        lang: list(_diff(amendment.texts.get(lang, ""), text, lang))
        for lang, text in amendment.modified_texts.items()
    }

"""Translation tracking: which language of which part lags behind the negotiating text.

A *part* is the title, the subtitle, the preamble (named so) or an article (named by its id).
Each part keeps a ``revision`` (the version of its last substantive change: its
negotiating-language words, or a number, year, percentage or date in any language) and, per
language that lags, the revision those words follow; a language is stale while it follows an
older revision. The rule (:func:`retrack`): after any change, a language of a
part is in step only if its own words changed with it, or someone entitled confirmed on purpose
that its unchanged words still match. Sending the same words back is not a confirmation.

Tracking is not part of the words: it stays out of the content hash and is covered by the
``tracking_hash`` of each version's publication event instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import msgspec

from consensus_kit.domain.facts import facts_changed
from consensus_kit.domain.ids import ArticleId, Lang
from consensus_kit.domain.model import Article, Declaration, Meeting, Tracking

__all__ = [
    "TEXT_PARTS",
    "StaleTranslation",
    "confirm_part",
    "is_stale",
    "part_label",
    "part_texts",
    "part_tracking",
    "parts_of",
    "retrack",
    "stale_translations",
    "track_translations",
    "with_part",
]

Texts = dict[Lang, str]

TEXT_PARTS = ("title", "subtitle", "preamble")
"""The parts that are not articles, by name (an article id can never be one of these)."""


def parts_of(declaration: Declaration) -> Iterator[tuple[str, Texts]]:
    """Every part in reading order: title, subtitle, preamble, then each article by id."""
    yield "title", declaration.title
    yield "subtitle", declaration.subtitle
    yield "preamble", declaration.preamble
    for article in declaration.articles:
        yield article.id, article.text


def part_texts(declaration: Declaration, part: str) -> Texts | None:
    """The texts of ``part`` (``None`` when the declaration has no such part)."""
    if part in TEXT_PARTS:
        texts: Texts = getattr(declaration, part)
        return texts
    article = declaration.article(ArticleId(part))
    return article.text if article else None


def part_tracking(declaration: Declaration, part: str) -> tuple[int, dict[Lang, int]]:
    """``(revision, in_step)`` of ``part`` (a part never tracked: revision 1, all in step)."""
    if part in TEXT_PARTS:
        found = declaration.tracking.get(part, Tracking())
        return found.revision, dict(found.in_step)
    article = declaration.article(ArticleId(part))
    if article is None:
        return 1, {}
    return article.revision, dict(article.in_step)


def part_label(declaration: Declaration, part: str) -> str:
    """How a person names ``part``: ``"preamble"``, ``"article 2 (art-2)"``."""
    if part in TEXT_PARTS:
        return part
    for i, article in enumerate(declaration.articles, 1):
        if article.id == part:
            return f"article {i} ({part})"
    return part


def with_part(
    declaration: Declaration, part: str, texts: Texts, revision: int, in_step: dict[Lang, int]
) -> Declaration:
    """``declaration`` with ``part``'s texts and tracking replaced (canonical form: only the
    languages that lag are listed)."""
    lagging = {lang: n for lang, n in in_step.items() if n < revision and lang in texts}
    if part in TEXT_PARTS:
        tracking = dict(declaration.tracking)
        if revision != 1 or lagging:
            tracking[part] = Tracking(revision=revision, in_step=lagging)
        else:
            tracking.pop(part, None)
        return msgspec.structs.replace(
            declaration, **{part: dict(texts)}, tracking=dict(sorted(tracking.items()))
        )
    articles = tuple(
        Article.tracked(id=a.id, text=texts, revision=revision, in_step=lagging)
        if a.id == part
        else a
        for a in declaration.articles
    )
    return msgspec.structs.replace(declaration, articles=articles)


def retrack(
    before: Texts | None,
    revision: int,
    in_step: dict[Lang, int],
    after: Texts,
    *,
    version: int,
    negotiating: Lang,
    confirmed: Iterable[Lang] = (),
) -> tuple[int, dict[Lang, int]]:
    """The tracking of a part whose words go from ``before`` to ``after`` in ``version``.

    A new part (``before`` is ``None``) is in step in every language it has. Otherwise the
    revision moves to ``version`` when the change is *substantive*: the negotiating-language
    words changed, or the words of any other language changed a number, year, percentage or
    date (:func:`~consensus_kit.domain.facts.facts_changed`). A language is in step after the
    change only if its words changed too, or it is in ``confirmed``; the others — the
    negotiating language included, when another language made the substantive change — keep
    the revision they followed, and so go stale when the revision moved.
    """
    if before is None:
        return version, {}
    follows = {lang: in_step.get(lang, revision) for lang in before if lang in after}
    changed = {lang for lang, text in after.items() if before.get(lang) != text}
    substantive = negotiating in changed or any(
        lang in before and facts_changed(before[lang], after[lang], lang) for lang in changed
    )
    new_revision = version if substantive else revision
    for lang in changed | set(confirmed):
        if lang in after:
            follows[lang] = new_revision
    if negotiating in changed:  # the negotiating words are the reference: never listed then
        follows.pop(negotiating, None)
    return new_revision, follows


def confirm_part(declaration: Declaration, part: str, lang: Lang) -> Declaration:
    """``declaration`` with the ``lang`` words of ``part`` confirmed in step (words unchanged)."""
    texts = part_texts(declaration, part) or {}
    revision, in_step = part_tracking(declaration, part)
    return with_part(declaration, part, texts, revision, {**in_step, lang: revision})


def is_stale(declaration: Declaration, part: str, lang: Lang, negotiating: Lang) -> bool:
    """Whether the ``lang`` words of ``part`` lag behind its latest substantive change (the
    negotiating language lags only after a substantive change made in another language)."""
    del negotiating  # kept for callers: the tracking itself says who lags
    texts = part_texts(declaration, part)
    if texts is None or lang not in texts:
        return False
    revision, in_step = part_tracking(declaration, part)
    return in_step.get(lang, revision) < revision


class StaleTranslation(msgspec.Struct, frozen=True, kw_only=True):
    """A language version of a part that lags behind the negotiating-language words.

    ``article`` names the part: ``"title"``, ``"subtitle"``, ``"preamble"`` or an article id;
    ``position`` is the article's number (``None`` for the other parts).
    """

    article: str
    position: int | None
    lang: Lang
    revision: int
    in_step_with: int

    @property
    def part(self) -> str:
        """The part's label: ``"preamble"``, ``"article 2 (art-2)"``."""
        if self.position is None:
            return self.article
        return f"article {self.position} ({self.article})"

    def __str__(self) -> str:
        return (
            f"{self.part} [{self.lang}]: translated from the words of version "
            f"{self.in_step_with}, changed in version {self.revision}"
        )


def stale_translations(declaration: Declaration, meeting: Meeting) -> list[StaleTranslation]:
    """The stale translations of every part of ``declaration``, in reading order."""
    found: list[StaleTranslation] = []
    position = {a.id: i for i, a in enumerate(declaration.articles, 1)}
    for part, _texts in parts_of(declaration):
        revision, in_step = part_tracking(declaration, part)
        for lang in meeting.languages:
            if is_stale(declaration, part, lang, meeting.negotiating_language):
                found.append(
                    StaleTranslation(
                        article=part,
                        position=position.get(ArticleId(part)),
                        lang=lang,
                        revision=revision,
                        in_step_with=in_step.get(lang, revision),
                    )
                )
    return found


def track_translations(
    previous: Declaration, new: Declaration, *, version: int, negotiating: Lang
) -> Declaration:
    """``new`` with translation tracking carried over from ``previous`` (as version ``version``).

    Every part follows :func:`retrack` without confirmations. Tracking given in ``new`` itself
    is ignored: it is always derived from the versions before.
    """
    result = msgspec.structs.replace(new, tracking={})
    for part in TEXT_PARTS:
        texts = part_texts(new, part) or {}
        revision, in_step = part_tracking(previous, part)
        revision, in_step = retrack(
            part_texts(previous, part) or {},
            revision,
            in_step,
            texts,
            version=version,
            negotiating=negotiating,
        )
        result = with_part(result, part, texts, revision, in_step)
    before = {a.id: a for a in previous.articles}
    articles: list[Article] = []
    for article in new.articles:
        old = before.get(article.id)
        revision, in_step = retrack(
            old.text if old else None,
            old.revision if old else 1,
            dict(old.in_step) if old else {},
            article.text,
            version=version,
            negotiating=negotiating,
        )
        articles.append(
            Article.tracked(id=article.id, text=article.text, revision=revision, in_step=in_step)
        )
    return msgspec.structs.replace(result, articles=tuple(articles))

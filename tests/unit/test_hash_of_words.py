"""Hash = f(words) (issue 16): the content hash depends on the declaration's parts alone.

Random non-conflicting amendments (each on its own part) applied in two orders reach the same
words through different histories; their hashes must be equal exactly when the texts are.
"""

from __future__ import annotations

import datetime as dt

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from consensus_kit import (
    Amendment,
    AmendmentKind,
    Article,
    ArticleId,
    Declaration,
    Lang,
    declaration_hash,
    tracking_hash,
)
from consensus_kit.domain.amendments import apply_amendment
from consensus_kit.domain.hashing import canonical_json, sha256_hex

EN, ZH = Lang("en"), Lang("zh")
ARTICLES = [ArticleId(f"art-{i}") for i in range(1, 5)]
NOW = dt.datetime(2026, 12, 4, 12, tzinfo=dt.UTC)

words = st.text(
    alphabet=st.sampled_from(list("abc 儿童の😀é\u0301")), min_size=1, max_size=8
).filter(str.strip)


def _start() -> Declaration:
    return Declaration(
        title={EN: "Title", ZH: "标题"},
        preamble={EN: "We agree", ZH: "我们同意"},
        articles=tuple(Article(id=a, text={EN: f"{a} en", ZH: f"{a} zh"}) for a in ARTICLES),
    )


@st.composite
def amendments(draw: st.DrawFn) -> list[Amendment]:
    """Amendments on random parts, each changing some languages of its part."""
    targets = draw(
        st.lists(st.sampled_from(["title", "preamble", *ARTICLES[:2]]), min_size=2, max_size=6)
    )
    made = []
    for n, target in enumerate(targets, 1):
        langs = draw(st.sampled_from([(EN,), (ZH,), (EN, ZH)]))
        texts = {lang: draw(words) for lang in langs}
        kind = AmendmentKind(target) if target in ("title", "preamble") else AmendmentKind.REPLACE
        made.append(
            Amendment(
                meeting="m",  # type: ignore[arg-type]
                number=n,
                kind=kind,
                base_version=1,
                sponsor="org-1",  # type: ignore[arg-type]
                proposed_by="d-1",  # type: ignore[arg-type]
                created_at=NOW,
                article=None if kind is not AmendmentKind.REPLACE else ArticleId(target),
                texts=texts,
            )
        )
    return made


def _apply(declaration: Declaration, order: list[Amendment]) -> Declaration:
    for version, amendment in enumerate(order, 2):
        declaration = apply_amendment(declaration, amendment, version=version, negotiating=EN)
    return declaration


def _words(declaration: Declaration) -> bytes:
    return canonical_json(
        [
            declaration.title,
            declaration.subtitle,
            declaration.preamble,
            [(a.id, a.text) for a in declaration.articles],
        ]
    )


@settings(max_examples=200, deadline=None)
@given(amendments(), st.randoms(use_true_random=False))
def test_two_orders_give_equal_hashes_exactly_when_the_texts_are_equal(
    made: list[Amendment], rnd: object
) -> None:
    shuffled = list(made)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    one, two = _apply(_start(), made), _apply(_start(), shuffled)
    assert (declaration_hash(one) == declaration_hash(two)) == (_words(one) == _words(two))
    touched = [(_part(a), lang) for a in made for lang in a.texts]
    if len(touched) == len(set(touched)):  # no two amendments on one language of one part
        assert declaration_hash(one) == declaration_hash(two)


def _part(a: Amendment) -> str:
    return a.kind.value if a.article is None else a.article


@settings(max_examples=100, deadline=None)
@given(amendments())
def test_the_same_words_through_another_history_keep_the_hash(made: list[Amendment]) -> None:
    """A history that changes a part and changes it back ends with other tracking (revisions)
    but the same words: the same hash (format 1 differed: it hashed the tracking too)."""
    final = _apply(_start(), made)
    there_and_back = [
        *made,
        *(
            msgspec.structs.replace(
                a, number=a.number + 100, texts=_target(_start(), a, set(a.texts))
            )
            for a in made
        ),
    ]
    restored = _apply(_start(), there_and_back)
    assert _words(restored) == _words(_start())
    assert declaration_hash(restored) == declaration_hash(_start())
    assert declaration_hash(final) != declaration_hash(_start()) or _words(final) == _words(
        _start()
    )


def _target(declaration: Declaration, a: Amendment, langs: set[Lang]) -> dict[Lang, str]:
    if a.kind is AmendmentKind.TITLE:
        texts = declaration.title
    elif a.kind is AmendmentKind.PREAMBLE:
        texts = declaration.preamble
    else:
        found = declaration.article(a.article)  # type: ignore[arg-type]
        assert found is not None
        texts = found.text
    return {lang: texts[lang] for lang in langs}


PARTS = ["title", "preamble", *ARTICLES]


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(PARTS),
    st.sampled_from([EN, ZH]),
    st.integers(min_value=0, max_value=40),
    st.characters(codec="utf-8", exclude_categories=["Cs"]),
)
def test_changing_any_character_of_any_part_changes_the_hash(
    part: str, lang: Lang, where: int, char: str
) -> None:
    start = _start()
    texts = _target(start, _kind_of(part), {lang})
    text = texts[lang]
    i = where % len(text)
    changed = text[:i] + char + text[i + 1 :]
    if changed == text:
        changed = text[:i] + char + text[i:]  # the same character: insert it instead
    kind = _kind_of(part)
    amended = apply_amendment(
        start, msgspec.structs.replace(kind, texts={lang: changed}), version=2, negotiating=EN
    )
    assert declaration_hash(amended) != declaration_hash(start)


def _kind_of(part: str) -> Amendment:
    kind = AmendmentKind(part) if part in ("title", "preamble") else AmendmentKind.REPLACE
    return Amendment(
        meeting="m",  # type: ignore[arg-type]
        number=1,
        kind=kind,
        base_version=1,
        sponsor="org-1",  # type: ignore[arg-type]
        proposed_by="d-1",  # type: ignore[arg-type]
        created_at=NOW,
        article=ArticleId(part) if kind is AmendmentKind.REPLACE else None,
    )


def test_order_and_ids_of_articles_count() -> None:
    start = _start()
    swapped = msgspec.structs.replace(start, articles=start.articles[::-1])
    renamed = msgspec.structs.replace(
        start,
        articles=(
            msgspec.structs.replace(start.articles[0], id=ArticleId("art-9")),
            *start.articles[1:],
        ),
    )
    hashes = {declaration_hash(d) for d in (start, swapped, renamed)}
    assert len(hashes) == 3


def test_tracking_is_not_words_but_has_its_own_hash() -> None:
    start = _start()
    behind = msgspec.structs.replace(
        start,
        articles=(
            Article(id=ARTICLES[0], text=start.articles[0].text, revision=3, in_step={ZH: 2}),
            *start.articles[1:],
        ),
    )
    assert declaration_hash(behind) == declaration_hash(start)
    assert tracking_hash(behind) != tracking_hash(start)
    # format 1 (versions stored before issue 16) hashed the tracking with the words
    assert declaration_hash(behind, 1) != declaration_hash(start, 1)


def test_format_1_is_what_the_previous_release_computed() -> None:
    """The format-1 hash is the previous release's formula, byte for byte."""
    start = _start()
    expected = sha256_hex(
        canonical_json({"format": "consensus-kit/declaration/1", "declaration": start})
    )
    assert declaration_hash(start, 1) == expected

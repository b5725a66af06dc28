"""A reference model of the life of a text, in plain Python, for the state machine in
``test_life_of_a_text.py``.

Each article is three slots of words in English and Chinese, far enough apart that changes to
different slots never touch (four words, or seven characters); an amendment replaces the word
of one slot in one or both languages. On those texts what the library must do after the text
moves is simple to predict: a change to another slot is rebased, a different word in the same
slot needs an update, the same word is already in (superseded).
"""

from __future__ import annotations

from dataclasses import dataclass, field

LANGS = ("en", "zh")
ARTICLES = ("art-1", "art-2", "art-3")
SLOTS = 3
WORDS = {
    "en": ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot"),
    "zh": ("甲", "乙", "丙", "丁", "戊", "己"),
}
_FILLERS = {
    "en": (" children and families ", " schools and teachers ", " states and partners."),
    "zh": ("保护儿童权利", "支持家庭学校", "各国共同努力。"),
}

Words = tuple[str, ...]  # one word per slot


def render(lang: str, words: Words) -> str:
    """The text of an article in ``lang`` whose slots hold ``words``."""
    return "".join(w + f for w, f in zip(words, _FILLERS[lang], strict=True))


def replaced(words: Words, slot: int, word: str) -> Words:
    return (*words[:slot], word, *words[slot + 1 :])


OPEN = {"draft", "submitted", "under_vote", "needs_update"}


@dataclass
class Amendment:
    number: int
    sponsor: str
    article: str
    slot: int
    texts: dict[str, Words]  # the languages it proposes, as words
    base: dict[str, Words]  # every language of the article when it was (re)based
    status: str
    cosponsors: set[str] = field(default_factory=set)


@dataclass
class Model:
    """The latest text, its stale translations, and every amendment's state."""

    text: dict[str, dict[str, Words]]
    stale: set[str] = field(default_factory=set)
    amendments: dict[int, Amendment] = field(default_factory=dict)

    @classmethod
    def start(cls) -> Model:
        first = {lang: tuple(WORDS[lang][:SLOTS]) for lang in LANGS}
        return cls(text={a: dict(first) for a in ARTICLES})

    def change(
        self, article: str, changes: dict[str, Words], *, confirmed: frozenset[str] = frozenset()
    ) -> None:
        """The latest text of ``article`` becomes ``changes`` in their languages; the Chinese
        is in step only when its own words changed or it is ``confirmed`` on purpose, stale
        when the English changed without it (Chinese words sent unchanged are no
        confirmation); then every open amendment follows (the library's rebase)."""
        before = dict(self.text[article])
        self.text[article] = {**before, **changes}
        if changes.get("zh", before["zh"]) != before["zh"] or "zh" in confirmed:
            self.stale.discard(article)
        elif changes.get("en", before["en"]) != before["en"]:
            self.stale.add(article)
        for other in self.amendments.values():
            if other.article == article and other.status in OPEN:
                self._follow(other, before)

    def _follow(self, a: Amendment, before: dict[str, Words]) -> None:
        theirs = self.text[a.article]
        if a.status == "needs_update":
            proposed = [lang for lang, w in a.texts.items() if w != a.base[lang]]
            if proposed and all(theirs[lang] == a.texts[lang] for lang in proposed):
                a.status = "superseded"
            return
        if theirs == a.base:
            return
        merged: dict[str, Words] = {}
        conflict, already = False, []
        for lang, ours in a.texts.items():
            base = a.base[lang]
            if ours == base:
                merged[lang] = theirs[lang]
            elif theirs[lang] == base:
                merged[lang], _ = ours, already.append(False)
            elif ours == theirs[lang]:
                merged[lang], _ = ours, already.append(True)
            else:
                mine = {i for i in range(SLOTS) if ours[i] != base[i]}
                other = {i for i in range(SLOTS) if theirs[lang][i] != base[i]}
                if mine & other:
                    conflict = True
                    continue
                merged[lang] = tuple(
                    ours[i] if i in mine else theirs[lang][i] for i in range(SLOTS)
                )
                already.append(False)
        if conflict:
            a.status = "needs_update"
        elif already and all(already):
            a.status = "superseded"
        else:
            a.texts, a.base = merged, dict(theirs)

"""The language-parity check: what differs between the language versions of one text.

Errors (the text is not ready): an article missing in a language, an empty text. Warnings (a
person should look): numbers, years or percentages in one language version of an article but
not another, a word written twice in a row ("especially especially"), stale translations.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections import Counter

import msgspec

from consensus_kit.domain.ids import Lang
from consensus_kit.domain.model import Declaration, Meeting
from consensus_kit.domain.tokens import is_unspaced_lang

__all__ = ["LintFinding", "Severity", "lint_declaration"]


class Severity(enum.StrEnum):
    """Errors block a final text; warnings ask a person to look."""

    ERROR = "error"
    WARNING = "warning"


class LintFinding(msgspec.Struct, frozen=True, kw_only=True):
    """One finding: how serious, what kind, where, in which language, and what."""

    severity: Severity
    code: str
    where: str
    lang: Lang | None
    message: str

    def __str__(self) -> str:
        lang = f" [{self.lang}]" if self.lang else ""
        return f"{self.severity.value}: {self.where}{lang}: {self.message} ({self.code})"


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:\s?%)?")
_DOUBLED = re.compile(r"(?<!\w)(\w+)(\s+)\1(?!\w)", re.IGNORECASE)


def numbers_in(text: str) -> Counter[str]:
    """Numbers, years and percentages in ``text``, full-width digits read as ASCII.

    >>> sorted(numbers_in("到２０３０年，53 %的儿童"))
    ['2030', '53%']
    """
    ascii_digits = "".join(
        unicodedata.normalize("NFKC", ch) if ch.isdigit() or ch in "％，．" else ch for ch in text
    )
    found = (m.group().replace(" ", "") for m in _NUMBER.finditer(ascii_digits))
    return Counter(n.rstrip(".,") for n in found)


def _doubled(text: str) -> list[str]:
    return [
        f"{m.group(1)}{m.group(2)}{m.group(1)}"
        for m in _DOUBLED.finditer(text)
        if not m.group(1).isdigit()
    ]


def lint_declaration(declaration: Declaration, meeting: Meeting) -> list[LintFinding]:
    """Every parity finding for ``declaration`` in the meeting's languages.

    >>> # see tests/unit/test_lint.py for the A20 text's doubled word
    """
    findings: list[LintFinding] = []
    negotiating = meeting.negotiating_language

    def add(severity: Severity, code: str, where: str, lang: Lang | None, message: str) -> None:
        findings.append(
            LintFinding(severity=severity, code=code, where=where, lang=lang, message=message)
        )

    counts = {
        lang: sum(1 for a in declaration.articles if lang in a.text) for lang in meeting.languages
    }
    if len(set(counts.values())) > 1:
        listed = ", ".join(f"{lang}: {n}" for lang, n in counts.items())
        add(
            Severity.ERROR,
            "article-count",
            "declaration",
            None,
            f"the languages have different numbers of articles ({listed})",
        )

    parts: list[tuple[str, dict[Lang, str]]] = [
        ("title", declaration.title),
        ("subtitle", declaration.subtitle),
        ("preamble", declaration.preamble),
    ]
    for number, article in enumerate(declaration.articles, 1):
        where = f"article {number} ({article.id})"
        parts.append((where, article.text))
        for lang in meeting.languages:
            if lang not in article.text:
                add(Severity.ERROR, "missing", where, lang, "no text in this language")
            elif article.is_stale(lang, negotiating):
                add(
                    Severity.WARNING,
                    "stale",
                    where,
                    lang,
                    f"translation of an older {negotiating} text: update it",
                )
        reference = article.text.get(negotiating)
        if reference is None:
            continue
        expected = numbers_in(reference)
        for lang, text in article.text.items():
            if lang == negotiating:
                continue
            got = numbers_in(text)
            for n in sorted((expected - got).keys()):
                add(
                    Severity.WARNING,
                    "number",
                    where,
                    lang,
                    f"{n!r} is in the {negotiating} text but not in this one",
                )
            for n in sorted((got - expected).keys()):
                add(
                    Severity.WARNING,
                    "number",
                    where,
                    lang,
                    f"{n!r} is here but not in the {negotiating} text",
                )

    for where, texts in parts:
        for lang, text in texts.items():
            if not text.strip():
                add(Severity.ERROR, "empty", where, lang, "the text is empty")
            if not is_unspaced_lang(lang):  # reduplication is grammar in Chinese, not a slip
                for words in _doubled(text):
                    add(Severity.WARNING, "doubled-word", where, lang, f"doubled word: “{words}”")
    return findings

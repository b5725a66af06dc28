"""The language-parity check: what differs between the language versions of one text.

Every part counts: the title, subtitle, preamble and each article. Errors (the text is not
ready): a part missing in a language, an empty text. Warnings (a person should look): numbers,
years or percentages in one language version of a part but not another, a word written twice
in a row ("especially especially"), stale translations.
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
from consensus_kit.domain.tracking import is_stale, part_label, parts_of

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


_NUMBER = re.compile(r"(?<![A-Za-z\d])\d+(?:[.,]\d+)*(?:\s?%)?")  # not in a name ("A20")
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_MONTH = re.compile(rf"\b({'|'.join(_MONTHS)})\b(?=\s*\d)|(?<=\d\s)({'|'.join(_MONTHS)})\b")
_DOUBLED = re.compile(r"(?<!\w)(\w+)(\s+)\1(?!\w)", re.IGNORECASE)


def numbers_in(text: str) -> Counter[str]:
    """Numbers, years and percentages in ``text``, full-width digits read as ASCII.

    >>> sorted(numbers_in("到２０３０年，53 %的儿童"))
    ['2030', '53%']

    An English month next to a day counts as its number, so a date reads the same in every
    language, and a number inside a name ("A20") is not a number:

    >>> sorted(numbers_in("A20, March 18, 2018")) == sorted(numbers_in("2018年3月18日"))
    True
    """
    text = _MONTH.sub(lambda m: str(_MONTHS.index(m.group(1) or m.group(2)) + 1), text)
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

    parts: list[tuple[str, dict[Lang, str]]] = []
    for part, texts in parts_of(declaration):
        where = part_label(declaration, part)
        parts.append((where, texts))
        if negotiating not in texts:
            continue  # a part the declaration does not have (an empty subtitle)
        for lang in meeting.languages:
            if lang not in texts:
                add(Severity.ERROR, "missing", where, lang, "no text in this language")
            elif is_stale(declaration, part, lang, negotiating):
                add(
                    Severity.WARNING,
                    "stale",
                    where,
                    lang,
                    f"translation of an older {negotiating} text: update or confirm it",
                )
        expected = numbers_in(texts[negotiating])
        for lang, text in texts.items():
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

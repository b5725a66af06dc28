"""The language-parity check: what differs between the language versions of one text.

Every part counts: the title, subtitle, preamble and each article. Errors (the text is not
ready): a part missing in a language, an empty text, and numbers, years, percentages or dates in
one language version of a part but not another (``number``: these block freezing unless the
chair overrides them with a recorded reason). Warnings (a person should look): a word written
twice in a row ("especially especially"), stale translations.
"""

from __future__ import annotations

import enum
import re

import msgspec

from consensus_kit.domain.facts import numbers_in
from consensus_kit.domain.ids import Lang
from consensus_kit.domain.model import Declaration, Meeting
from consensus_kit.domain.tokens import is_unspaced_lang
from consensus_kit.domain.tracking import is_stale, part_label, parts_of

__all__ = ["BLOCKING_CODES", "LintFinding", "Severity", "lint_declaration", "numbers_in"]

BLOCKING_CODES = frozenset({"number"})
"""Findings that block freezing unless the chair overrides them with a recorded reason."""


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

    @property
    def blocks_freezing(self) -> bool:
        """Whether this finding stops the chair freezing the text unless overridden with a
        reason (numbers, years, percentages or dates that differ between languages)."""
        return self.code in BLOCKING_CODES

    def __str__(self) -> str:
        lang = f" [{self.lang}]" if self.lang else ""
        return f"{self.severity.value}: {self.where}{lang}: {self.message} ({self.code})"


_DOUBLED = re.compile(r"(?<!\w)(\w+)(\s+)\1(?!\w)", re.IGNORECASE)


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
                    "behind the latest substantive change to this part: update or confirm it",
                )
        expected = numbers_in(texts[negotiating], negotiating)
        for lang, text in texts.items():
            if lang == negotiating:
                continue
            got = numbers_in(text, lang)
            for n in sorted((expected - got).keys()):
                add(
                    Severity.ERROR,
                    "number",
                    where,
                    lang,
                    f"{n!r} is in the {negotiating} text but not in this one",
                )
            for n in sorted((got - expected).keys()):
                add(
                    Severity.ERROR,
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

"""How drafts number their articles: "Article 1", "Art. 1", "第1条", "第一条", "一、", "1.",
"1．", "1、", "(1)", "（1）" — recognised at the start of a paragraph or heading.

>>> find_marker("Article 2. Organisations work together.")
Marker(kind='article', number=2, rest='Organisations work together.')
>>> find_marker("第十二条　各方合作。")
Marker(kind='article', number=12, rest='各方合作。')
>>> find_marker("一、儿童优先。").number, find_marker("（3）合作").kind
(1, 'paren')
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["KINDS", "Marker", "chinese_number", "find_marker"]

KINDS = ("article", "chinese", "number", "paren")
"""Marker kinds, strongest first: when a draft uses several (articles numbered "Article N"
with "(1)", "(2)" items inside), the strongest one that starts at 1 numbers the articles."""

_DIGITS = dict(zip("零〇一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_CN_NUMERAL = "[零〇一二两三四五六七八九十百]+"
_SEP = r"[\s.:：．。、,，\-–—]*"

# "Article 1", "ARTICLE 1", "Art. 1", "Article 1:"; in running text "Article 1 of the
# Convention" is not a marker: after the number comes the end, a separator or a tab/newline
_ARTICLE = re.compile(
    r"^\s*(?:article|art\.)\s*(\d+)(?:(?:\s*[.:：—–\-])+\s*|\s*[\t\n]\s*|\s*$)", re.IGNORECASE
)
_ARTICLE_HEADING = re.compile(r"^\s*(?:article|art\.)\s*(\d+)" + _SEP, re.IGNORECASE)
_ZH_ARTICLE = re.compile(rf"^\s*第\s*(\d+|{_CN_NUMERAL})\s*条{_SEP}")
_ZH_ENUM = re.compile(rf"^\s*({_CN_NUMERAL})\s*、\s*")
_NUMBER = re.compile(r"^\s*(\d+)(?:[.)]\s+|[．、）]\s*|[.)]$)")
_PAREN = re.compile(r"^\s*[(（]\s*(\d+|" + _CN_NUMERAL + r")\s*[)）]\s*")


class Marker(NamedTuple):
    """An article marker found at the start of a paragraph: its kind (see :data:`KINDS`),
    the number it gives and the text after it."""

    kind: str
    number: int
    rest: str


def chinese_number(text: str) -> int | None:
    """A number written in Chinese numerals (or digits), 0-999; None when it is not one.

    >>> [chinese_number(text) for text in ("十二", "二十", "一百零五", "12", "甲")]
    [12, 20, 105, 12, None]
    """
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in "十百":
            total += (1 if digit is None else digit) * (10 if char == "十" else 100)
            digit = None
        else:
            return None
    return total + (digit or 0) if text else None


def find_marker(text: str, *, heading: bool = False) -> Marker | None:
    """The article marker at the start of ``text``, if any; a heading may hold only the
    marker ("Article 1") or the marker and a caption ("Article 1 – Scope")."""
    article = _ARTICLE_HEADING if heading else _ARTICLE
    for kind, pattern in (
        ("article", article),
        ("article", _ZH_ARTICLE),
        ("chinese", _ZH_ENUM),
        ("number", _NUMBER),
        ("paren", _PAREN),
    ):
        match = pattern.match(text)
        if match is None:
            continue
        number = chinese_number(match.group(1))
        if number is None:  # pragma: no cover - the patterns allow numerals only
            continue
        return Marker(kind, number, text[match.end() :].strip())
    return None

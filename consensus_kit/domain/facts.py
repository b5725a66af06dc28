"""The facts of a text that must agree in every language: numbers, years, percentages, dates.

:func:`numbers_in` reads them the same way whatever the language writes them: any decimal
digits (full-width ２０３０, Arabic-Indic ٢٠٣٠) as ASCII, a month named next to a day or year as
its number ("23 March", "mars 2028", "1 de marzo de 2028", "1 марта 2028", "نوفمبر 2026",
from CLDR through Babel), the language's own decimal and group separators ("1,000.5" in English
is "1 000,5" in French), a percentage as one ("95%", "95 %", "95 في المائة" and "95 процентов"
are all 95%), and a Chinese ordinal as its number ("第一条" is article 1). Lint compares these
between languages; translation tracking calls a change that moves them *substantive*
(:func:`facts_changed`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter

__all__ = ["facts_changed", "numbers_in"]

_ENGLISH_MONTHS = [
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

_DIGITS_AND_SIGNS = {"٫": ".", "٬": ",", "٪": "%", "％": "%", "，": ",", "．": "."}
# not inside a name ("A20", "G7", "Ф3"); a number may follow a Chinese or Arabic letter
_NUMBER = re.compile(
    r"(?<![A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff\d])\d+(?:[.,]\d+)*(?:[\s\u00a0\u202f]?%)?"
)
_PERCENT_WORDS = re.compile(
    r"(?<=\d)[\s\u00a0\u202f]*(?:في الما?ئة|per ?cent|pour cent|por ciento|процент\w*)(?!\w)",
    re.IGNORECASE,
)
_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?![\d])")
_BEFORE = re.compile(r"\d(?:er|st|nd|rd|th|º|-?го)?[\s\u00a0]*(?:de\s+|of\s+)?$")
_AFTER = re.compile(r"[\s\u00a0,]*(?:de\s+|of\s+)?\d")


_HAN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_HAN_DIGITS |= {"七": 7, "八": 8, "九": 9}
_HAN_UNITS = {"十": 10, "百": 100, "千": 1000}
_HAN_ORDINAL = re.compile(r"第([〇零一二两三四五六七八九十百千]+)")


def _han_number(numeral: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105 (up to 9999)."""
    total, digit = 0, 0
    for ch in numeral:
        if ch in _HAN_UNITS:
            total += (digit or 1) * _HAN_UNITS[ch]
            digit = 0
        else:
            digit = _HAN_DIGITS[ch]
    return total + digit


def _ordinals(text: str) -> str:
    """Chinese ordinals as digits: "第一条" (article 1) → "第1条"; other Chinese numerals stay
    words, as English "two years" does."""
    return _HAN_ORDINAL.sub(lambda m: f"第{_han_number(m.group(1))}", text)


@functools.cache
def _months(lang: str) -> tuple[re.Pattern[str], dict[str, int]]:
    """A pattern of the month names of ``lang`` (and English), and name → month number."""
    names: dict[str, int] = {m.casefold(): i for i, m in enumerate(_ENGLISH_MONTHS, 1)}
    primary = lang.split("-", 1)[0].lower()
    if primary not in ("en", "zh", "ja", "ko"):  # CJK write months with digits (3月)
        try:
            from babel.dates import get_month_names  # noqa: PLC0415 - only lint needs CLDR

            for context in ("format", "stand-alone"):
                for number, name in get_month_names(
                    "wide", context, lang.replace("-", "_")
                ).items():
                    names.setdefault(str(name).casefold(), int(number))
        except (ValueError, LookupError):
            pass
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)({alternatives})(?!\w)", re.IGNORECASE), names


@functools.cache
def _separators(lang: str) -> tuple[str, str]:
    """``(decimal, group)`` of ``lang`` (``(".", ",")`` when unknown)."""
    try:
        from babel.numbers import get_decimal_symbol  # noqa: PLC0415

        decimal = str(get_decimal_symbol(lang.replace("-", "_")))
    except (ValueError, LookupError):
        decimal = "."
    return ("," if decimal == "," else "."), ("." if decimal == "," else ",")


def _dated(text: str, lang: str) -> str:
    """``text`` with each month named beside a day or year replaced by its number."""
    pattern, names = _months(lang)

    def month(m: re.Match[str]) -> str:
        before, after = text[max(0, m.start() - 8) : m.start()], text[m.end() : m.end() + 8]
        if _BEFORE.search(before) or _AFTER.match(after):
            return f" {names[m.group(1).casefold()]} "
        return m.group(0)

    return pattern.sub(month, text)


def numbers_in(text: str, lang: str | None = None) -> Counter[str]:
    """Numbers, years, percentages and dates in ``text`` (written in ``lang``), as canonical
    strings: digits ASCII, no group separators, ``.`` as the decimal point, ``%`` for a
    percentage however written.

    >>> sorted(numbers_in("到２０３０年，53 %的儿童"))
    ['2030', '53%']
    >>> numbers_in("95 في المائة", "ar") == numbers_in("95 процентов", "ru") == numbers_in("95%")
    True
    >>> numbers_in("23 mars 2028, 1 000,5", "fr") == numbers_in("March 23, 2028, 1,000.5", "en")
    True

    A number inside a name ("A20") is not a number; "may" is a month only beside a number; a
    Chinese ordinal is its number ("第十二条" is article 12).
    """
    lang = lang or "en"
    text = "".join(
        _DIGITS_AND_SIGNS.get(ch)
        or (str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch)
        for ch in text
    )
    text = _PERCENT_WORDS.sub("%", _dated(_ordinals(text), lang))
    text = _GROUPED.sub(lambda m: re.sub(r"\D", "", m.group()), text)
    decimal, group = _separators(lang)
    found: Counter[str] = Counter()
    for m in _NUMBER.finditer(text):
        number, percent = m.group().rstrip("%").rstrip(), m.group().endswith("%")
        # a group separator splits the digits in threes ("1,000,000"); anything else is a
        # decimal point, or punctuation after the number ("in 2030." / "2030,")
        if re.fullmatch(
            rf"\d{{1,3}}(?:{re.escape(group)}\d{{3}})+(?:{re.escape(decimal)}\d+)?", number
        ):
            number = number.replace(group, "")
        if decimal == ",":
            number = number.replace(",", ".")
        found[number + "%" * percent] += 1
    return found


def facts_changed(before: str, after: str, lang: str) -> bool:
    """Whether going from ``before`` to ``after`` changes a number, year, percentage or date:
    a *substantive* change, which the other languages must follow.

    >>> facts_changed("بحلول عام 2030", "بحلول عام 2035", "ar")
    True
    >>> facts_changed("D’ici à 2030, les États…", "D’ici 2030, tous les États…", "fr")
    False
    """
    return numbers_in(before, lang) != numbers_in(after, lang)

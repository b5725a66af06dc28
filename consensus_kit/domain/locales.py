"""Language and country codes, checked against Unicode CLDR data (through Babel).

Babel is also what gives localised names: "Kenya" / "肯尼亚" / "كينيا" for ``KE``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # loaded by the first language or country looked up (~12 ms)
    from babel import Locale

__all__ = ["country_in", "country_name", "is_country_code", "is_language_code", "language_name"]

_LANG_SHAPE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")

# CLDR territories that are not ISO 3166-1 alpha-2 country codes: exceptionally reserved codes,
# groupings (EU, UN…), private-use and unknown.
_NOT_ISO_3166 = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}
)


@functools.cache
def _locale(code: str) -> Locale | None:
    if not _LANG_SHAPE.fullmatch(code):
        return None
    from babel import Locale, UnknownLocaleError  # noqa: PLC0415

    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None


@functools.cache
def _countries() -> frozenset[str]:
    from babel import Locale  # noqa: PLC0415

    codes = {str(code) for code in Locale("en").territories}
    return frozenset(c for c in codes if len(c) == 2 and c.isalpha()) - _NOT_ISO_3166


def is_language_code(code: str) -> bool:
    """Whether ``code`` is a BCP 47 language tag CLDR knows.

    >>> is_language_code("zh"), is_language_code("pt-BR"), is_language_code("xx")
    (True, True, False)
    """
    return _locale(code) is not None


def is_country_code(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-2 country code (upper case).

    >>> is_country_code("KE"), is_country_code("ke"), is_country_code("XX")
    (True, False, False)
    """
    return code in _countries()


def country_name(code: str, lang: str) -> str:
    """The country's name in language ``lang`` (the code itself when unknown).

    >>> country_name("KE", "zh")
    '肯尼亚'
    """
    locale = _locale(lang)
    if locale is None:
        return code
    return str(locale.territories.get(code, code))


def country_in(code: str | None, official: Mapping[Any, str], lang: str) -> str:
    """A country's name in ``lang``: the ``official`` name given for that language (from the
    meeting file), else CLDR's name, else ``""`` when there is no country.

    >>> country_in("KP", {"en": "Democratic People's Republic of Korea"}, "en")
    "Democratic People's Republic of Korea"
    >>> country_in("KP", {"en": "Democratic People's Republic of Korea"}, "fr")
    'Corée du Nord'
    """
    if lang in official:
        return official[lang]
    return country_name(code, lang) if code else ""


def language_name(code: str, in_lang: str | None = None) -> str:
    """The name of language ``code``, written in ``in_lang`` (default: in itself).

    >>> language_name("zh"), language_name("zh", "en")
    ('中文', 'Chinese')
    """
    target = _locale(code)
    locale = _locale(in_lang) if in_lang else target
    if target is None or locale is None:
        return code
    return str(target.get_display_name(locale) or code)

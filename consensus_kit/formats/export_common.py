"""Languages, fixed phrases, dates and input checks shared by every export (Word, Markdown,
JSON, Akoma Ntoso).

- Scripts: which languages are written right to left, which are East Asian.
- Fixed phrases ("[translation pending]", "Signatories", the footer…) in the languages we know,
  English otherwise; dates as each language writes them (CLDR through Babel).
- Input checks: XML cannot hold control characters, so :func:`check_texts` refuses them,
  naming the field, before anything is written.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import sys
from collections.abc import Iterable, Sequence

from babel.core import get_global
from babel.dates import format_date, format_skeleton

from consensus_kit.domain.endorsements import SignatoryLine
from consensus_kit.domain.ids import Lang
from consensus_kit.domain.model import Declaration, Meeting, Version
from consensus_kit.domain.text import text_problem
from consensus_kit.errors import InvalidInput
from consensus_kit.formats._labels import LABELS as _LABELS

__all__ = [
    "RTL_LANGUAGES",
    "adoption_date",
    "check_languages",
    "check_texts",
    "dateline",
    "guess_lang",
    "is_east_asian",
    "is_rtl",
    "is_upright",
    "label",
    "long_date",
    "paragraphs_of",
    "primary",
    "word_lang",
]

RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb"})
"""Primary language subtags written right to left."""

# --- languages -------------------------------------------------------------------------------


@functools.cache
def primary(lang: str) -> str:
    """The primary language subtag: ``"zh"`` for ``"zh-Hant-TW"``."""
    return lang.split("-", 1)[0].lower()


@functools.cache
def is_rtl(lang: str) -> bool:
    """Whether ``lang`` is written right to left (Arabic, Hebrew, Persian, Urdu…)."""
    return primary(lang) in RTL_LANGUAGES


@functools.cache
def is_east_asian(lang: str) -> bool:
    """Whether ``lang`` is Chinese, Japanese or Korean (text in the ``w:eastAsia`` slot)."""
    return primary(lang) in ("zh", "ja", "ko")


@functools.cache
def word_lang(lang: str) -> str:
    """A language-region tag as Word writes it in ``w:lang``: ``zh`` → ``zh-CN``.

    >>> word_lang("zh"), word_lang("en"), word_lang("pt-BR")
    ('zh-CN', 'en-US', 'pt-BR')
    """
    if re.fullmatch(r"[a-z]{2,3}-[A-Z]{2}", lang):
        return lang
    likely = get_global("likely_subtags").get(lang.replace("-", "_")) or get_global(
        "likely_subtags"
    ).get(primary(lang))
    if likely:
        parts = str(likely).split("_")
        region = next((p for p in parts[1:] if len(p) == 2 and p.isupper()), None)
        if region:
            return f"{primary(lang)}-{region}"
    return lang


_SCRIPTS: tuple[tuple[re.Pattern[str], str, frozenset[str]], ...] = (
    # (letters of a script, the language to tag them with, languages written in that script)
    (re.compile(r"[\u3040-\u30ff]"), "ja", frozenset({"ja"})),
    (re.compile(r"[\uac00-\ud7af\u1100-\u11ff]"), "ko", frozenset({"ko"})),
    (
        re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f]"),
        "zh",
        frozenset({"zh", "ja", "ko"}),
    ),
    (
        re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]"),
        "ar",
        frozenset({"ar", "fa", "ur", "ps", "sd", "ug", "ckb"}),
    ),
    (re.compile(r"[\u0590-\u05ff]"), "he", frozenset({"he", "yi"})),
    (
        re.compile(r"[\u0400-\u04ff]"),
        "ru",
        frozenset({"ru", "uk", "be", "bg", "sr", "mk", "kk", "ky", "tg", "mn"}),
    ),
    (re.compile(r"[\u0370-\u03ff]"), "el", frozenset({"el"})),
    (re.compile(r"[\u0900-\u097f]"), "hi", frozenset({"hi", "mr", "ne"})),
    (re.compile(r"[\u0e00-\u0e7f]"), "th", frozenset({"th"})),
)
_NON_LATIN = frozenset().union(*(langs for _, _, langs in _SCRIPTS))


def guess_lang(text: str, lang: str) -> str:
    """The language to tag a text of unknown language with (a person's name or title) in a
    ``lang`` document: its script decides (a Cyrillic name is Russian in a French document, a
    Latin name English in a Chinese, Arabic or Russian one), and the document's language when
    it is written in that script.

    >>> guess_lang("Timothy Ekesa", "zh"), guess_lang("执行主任", "en"), guess_lang("Ng", "fr")
    ('en', 'zh', 'fr')
    >>> guess_lang("Анна Иванова", "fr"), guess_lang("Анна Иванова", "uk")
    ('ru', 'uk')
    """
    for letters, tag, written in _SCRIPTS:
        if letters.search(text):
            return lang if primary(lang) in written else tag
    return "en" if primary(lang) in _NON_LATIN else lang


@functools.cache
def is_upright(lang: str) -> bool:
    """Whether ``lang``'s script has no italics (Chinese, Japanese, Korean, Arabic, Hebrew…):
    Word would slant it synthetically, so its runs are never italic."""
    return is_east_asian(lang) or is_rtl(lang)


def label(lang: str, key: str, **values: object) -> str:
    """A fixed phrase of the exports in ``lang`` (English when there is no translation).

    >>> label("zh", "pending")
    '［译文待定］'
    """
    texts = _LABELS.get(primary(lang), _LABELS["en"])
    template = texts.get(key, _LABELS["en"][key])
    return template.format(**values) if values else template


def _babel_locale(lang: str) -> str:
    # plain "en" is international English in CLDR (en_001): "23 March 2018", not "March 23, 2018"
    return "en_001" if lang == "en" else lang.replace("-", "_")


@functools.lru_cache(maxsize=4096)  # a signature page writes the same few dates many times
def long_date(day: dt.date, lang: str, *, short: bool = False) -> str:
    """``day`` written the way ``lang`` writes dates (CLDR through Babel); ``short`` abbreviates
    the month (for tables) but never turns it into a number, whose order would be ambiguous.

    >>> long_date(dt.date(2018, 3, 23), "en"), long_date(dt.date(2018, 3, 23), "zh")
    ('23 March 2018', '2018年3月23日')
    >>> long_date(dt.date(2018, 3, 23), "en", short=True)
    '23 Mar 2018'
    """
    for locale in (_babel_locale(lang), "en_001"):
        try:
            if short:
                return str(format_skeleton("yMMMd", day, locale=locale))
            return str(format_date(day, format="long", locale=locale))
        except (ValueError, LookupError):
            continue
    return day.isoformat()  # pragma: no cover - en_001 always exists


def adoption_date(meeting: Meeting, version: Version) -> dt.date:
    """When the text was adopted: the declaration's own date (from the meeting file), else the
    day the chair froze it, else the last day of the meeting. Meaningful for a frozen version
    only: a draft has not been adopted."""
    if version.declaration.date is not None:
        return version.declaration.date
    if version.frozen_at is not None:
        return version.frozen_at.date()
    return meeting.end


_LIST_SEPARATORS = {"zh": "，", "ja": "、", "ar": "، ", "fa": "، ", "ur": "، ", "ps": "، "}
"""The comma between date and place where a language's is not ", " (Hebrew uses ", ")."""


def dateline(meeting: Meeting, version: Version, lang: str) -> str:
    """Date and place as one line: "23 March 2018, Beijing, China" / "2018年3月23日，中国北京"."""
    day = version.declaration.date or meeting.end
    place = meeting.place.get(Lang(lang)) or meeting.place.get(meeting.negotiating_language, "")
    separator = _LIST_SEPARATORS.get(primary(lang), ", ")
    return separator.join(p for p in (long_date(day, lang), place) if p)


def paragraphs_of(text: str) -> list[str]:
    """Split a text into paragraphs at blank lines, exactly: ``"\\n\\n".join`` gives it back."""
    return text.split("\n\n")


# --- input checks ----------------------------------------------------------------------------


_ASTRAL_NONCHARACTERS = "".join(f"\\U{n:04X}FFFE\\U{n:04X}FFFF" for n in range(1, 17))
_SUSPECT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
    "\ufdd0-\ufdef\ufffe\uffff]"
    # ``re`` tests the astral ranges of a class one by one for every character, BMP ones too:
    # behind a cheap astral test they cost common text nothing (a fifth of the scan's time)
    f"|[\\U00010000-\\U0010ffff](?<=[{_ASTRAL_NONCHARACTERS}])"
)
"""Every character :func:`~consensus_kit.domain.text.text_problem` refuses: one fast scan, and
``text_problem`` (for its message) only where it finds one."""


def _problems(fields: Iterable[tuple[str, str]]) -> None:
    for field, value in fields:
        if isinstance(value, str) and not _SUSPECT.search(value):
            continue
        problem = text_problem(value, limit=sys.maxsize, required=False)
        if problem is not None:
            raise InvalidInput(problem, field=field)


def check_languages(meeting: Meeting, version: Version, langs: Sequence[str]) -> None:
    """Refuse a language the meeting does not have, or a version of another meeting."""
    if version.meeting != meeting.id:
        raise InvalidInput(
            f"version {version.number} belongs to meeting {version.meeting!r}, not {meeting.id!r}",
            field="version",
        )
    for lang in langs:
        if lang not in meeting.languages:
            raise InvalidInput(
                f"{lang!r} is not one of the meeting's languages ({', '.join(meeting.languages)})",
                field="lang",
            )


def declaration_fields(declaration: Declaration, langs: Iterable[str]) -> list[tuple[str, str]]:
    """Every text of ``declaration`` in ``langs`` with its field name, for :func:`check_texts`."""
    fields: list[tuple[str, str]] = []
    wanted = list(langs)
    for part in ("title", "subtitle", "preamble"):
        texts: dict[str, str] = getattr(declaration, part)
        fields += [(f"{part}.{lang}", texts[lang]) for lang in wanted if lang in texts]
    for i, article in enumerate(declaration.articles):
        fields += [
            (f"articles[{i}].text.{lang}", text)
            for lang, text in article.text.items()
            if lang in wanted
        ]
    return fields


def check_texts(
    meeting: Meeting,
    declarations: Sequence[Declaration],
    langs: Sequence[str],
    signatories: Sequence[SignatoryLine] = (),
    extra: Iterable[tuple[str, str]] = (),
) -> None:
    """Raise :class:`InvalidInput` naming the first field that XML cannot hold.

    Runs before anything is written, so a bad text never yields a corrupt file.
    """
    fields: list[tuple[str, str]] = []
    for declaration in declarations:
        fields += declaration_fields(declaration, langs)
    for part in ("title", "place"):
        texts: dict[str, str] = getattr(meeting, part)
        fields += [(f"meeting.{part}.{lang}", text) for lang, text in texts.items()]
    for i, line in enumerate(signatories):
        fields += [(f"signatories[{i}].names.{k}", v) for k, v in line.names.items()]
        fields += [
            (f"signatories[{i}].signer", line.signer),
            (f"signatories[{i}].signer_title", line.signer_title),
        ]
    _problems([*fields, *extra])

"""Interface strings in the six UN languages from gettext catalogues, and which one a person sees.

The catalogues are ``webui/locale/<lang>/LC_MESSAGES/messages.po`` (English is the source
language and needs none); they are compiled in memory at start-up (``read_po`` + ``write_mo`` +
:class:`babel.support.Translations`). Templates call ``_("…")``; Python code marks words with
``N_("…")``.

- ``python -m webui.i18n`` lists, for every catalogue, the strings it lacks, leaves fuzzy or
  empty, keeps identical to English (outside :data:`SAME_AS_ENGLISH`) or whose ``%(name)s``
  placeholders differ from the English ones; a test keeps that list empty.
- ``python -m webui.i18n update`` extracts the strings of templates and code (Babel, the same
  method map as the check) and merges them into every catalogue: new strings arrive
  untranslated, strings no longer used become obsolete (``#~``).

The interface language of a request (:func:`interface_language`), in order: the language the
person chose (``POST /ui-lang``); else the first language of the browser's ``Accept-Language``
that has a catalogue and, once the meeting is known, is one of the meeting's languages (or
English, the source language); else the meeting's negotiating language if it has a catalogue;
else English.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.support import NullTranslations, Translations

__all__ = [
    "LANGUAGE_NAMES",
    "SAME_AS_ENGLISH",
    "UI_LANGUAGES",
    "Catalogues",
    "catalogue_problems",
    "interface_language",
    "missing_messages",
    "negotiate",
    "reading_language",
    "update_catalogues",
]

HERE = Path(__file__).parent
LOCALE_DIR = HERE / "locale"
UI_LANGUAGES = ("en", "fr", "es", "ru", "zh", "ar")
"""Interface languages (the six official languages of the United Nations); English is the
source language of the catalogues."""

LANGUAGE_NAMES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ru": "Русский",
    "zh": "中文",
    "ar": "العربية",
}
"""Each interface language by its own name, as the language switch shows it."""

SAME_AS_ENGLISH: dict[str, frozenset[str]] = {
    "*": frozenset({"Word"}),  # the product's name, on the link to a .docx
    "fr": frozenset(
        {
            "%(n)s articles",
            "%(s)s s",  # seconds: the SI symbol
            "Actions",
            "Article",
            "Article %(n)s",
            "Note",
            "Organisation",
            "Organisations",
            "Version",
            "Version %(n)s",
            "Version %(old)s → version %(new)s",
            "Vote",
            "Votes",
            "consensus",
            "secret",
        }
    ),
    "es": frozenset({"%(s)s s", "error", "no"}),  # "%(s)s s": seconds, the SI symbol
}
"""Strings a catalogue may keep as in English: names, and words spelled alike (French
*article*, *version*, *vote*…). Anything else identical to English counts as untranslated."""

_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%")


class Catalogues:
    """Compiled translations per interface language."""

    def __init__(self, directory: Path = LOCALE_DIR) -> None:
        self._by_lang: dict[str, NullTranslations] = {"en": NullTranslations()}
        for lang in UI_LANGUAGES[1:]:
            catalog = _read(directory, lang)
            buffer = io.BytesIO()
            write_mo(buffer, catalog)
            buffer.seek(0)
            self._by_lang[lang] = Translations(fp=buffer)

    def get(self, lang: str) -> NullTranslations:
        """The translations of ``lang`` (English for an unknown language)."""
        return self._by_lang.get(lang, self._by_lang["en"])


def _ranked(accept_language: str | None) -> list[str]:
    """The base languages of an ``Accept-Language`` header, best first (quality 0 dropped)."""
    ranked: list[tuple[float, int, str]] = []
    for index, item in enumerate((accept_language or "").split(",")[:20]):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        base = tag.strip().lower().split("-")[0]
        if base and quality > 0:
            ranked.append((-quality, index, base))
    return [base for _q, _i, base in sorted(ranked)]


def negotiate(accept_language: str | None, available: Iterable[str] = UI_LANGUAGES) -> str:
    """The best of ``available`` for an ``Accept-Language`` header (default: the first)."""
    choices = list(available)
    return next((lang for lang in _ranked(accept_language) if lang in choices), choices[0])


def interface_language(
    chosen: object,
    accept_language: str | None,
    meeting_languages: Sequence[str] | None = None,
    negotiating: str | None = None,
) -> str:
    """The interface language of one request, by the rule of the module docstring.

    >>> interface_language(None, "fr-CH,fr;q=0.9", ["en", "fr"], "en")
    'fr'
    >>> interface_language(None, "fr", ["en", "zh"], "en")  # the meeting has no French
    'en'
    >>> interface_language(None, "de", ["de", "en"], "de")  # no German catalogue
    'en'
    >>> interface_language("ar", "fr", ["en", "fr"], "en")  # the person's choice wins
    'ar'
    """
    if isinstance(chosen, str) and chosen in UI_LANGUAGES:
        return chosen
    usable = [
        lang
        for lang in UI_LANGUAGES
        if meeting_languages is None or lang in meeting_languages or lang == "en"
    ]
    for lang in _ranked(accept_language):
        if lang in usable:
            return lang
    if negotiating in UI_LANGUAGES:
        return str(negotiating)
    return "en"


def reading_language(
    ui_lang: str,
    accept_language: str | None,
    meeting_languages: Sequence[str],
    negotiating: str,
    *,
    chosen: bool = False,
) -> str:
    """The language the text is shown in by default: the interface language the person chose,
    when the meeting has it; else the browser's first language the meeting has (one without a
    catalogue too: a German reader of an English-German meeting reads German words in an
    English interface); else the interface language, when the meeting has it; else the
    negotiating language.

    >>> reading_language("fr", None, ["en", "fr"], "en")
    'fr'
    >>> reading_language("en", "de-DE,de", ["de", "en"], "de")
    'de'
    >>> reading_language("en", "de-DE,de", ["de", "en"], "de", chosen=True)
    'en'
    """
    if chosen and ui_lang in meeting_languages:
        return ui_lang
    browser = (lang for lang in _ranked(accept_language) if lang in meeting_languages)
    first = next(browser, None)
    if first is not None:
        return first
    return ui_lang if ui_lang in meeting_languages else negotiating


def _catalogue_path(directory: Path, lang: str) -> Path:
    return directory / lang / "LC_MESSAGES" / "messages.po"


def _read(directory: Path, lang: str) -> Catalog:
    with _catalogue_path(directory, lang).open("rb") as handle:
        return read_po(handle, locale=lang)


def _source_messages() -> Iterator[tuple[str, str]]:
    """``(msgid, where)`` for every ``_("…")`` in templates and Python code of ``webui``."""
    method_map = [
        ("templates/**.html", "jinja2"),
        ("templates/**.svg", "jinja2"),
        ("**.py", "python"),
    ]
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        HERE, method_map=method_map, keywords={"_": None, "gettext": None, "N_": None}
    ):
        if isinstance(message, str):
            yield message, filename


def catalogue_problems(lang: str, directory: Path = LOCALE_DIR) -> list[str]:
    """What the ``lang`` catalogue lacks for the strings used in the UI: ``missing``,
    ``fuzzy``, ``same as English`` (outside :data:`SAME_AS_ENGLISH`), ``placeholders``
    (the ``%(name)s`` set differs from the English one)."""
    catalog = _read(directory, lang)
    allowed = SAME_AS_ENGLISH["*"] | SAME_AS_ENGLISH.get(lang, frozenset())
    problems = []
    for message, where in _source_messages():
        entry = catalog.get(message)
        if entry is None or not entry.string:
            problems.append(f"{lang} missing: {where}: {message}")
        elif entry.fuzzy:
            problems.append(f"{lang} fuzzy: {where}: {message}")
        elif entry.string == message and message not in allowed:
            problems.append(f"{lang} same as English: {where}: {message}")
        elif sorted(_PLACEHOLDER.findall(str(entry.string))) != sorted(
            _PLACEHOLDER.findall(message)
        ):
            problems.append(f"{lang} placeholders: {where}: {message}")
    return sorted(set(problems))


def missing_messages(lang: str = "zh") -> list[str]:
    """Strings used in the UI that the ``lang`` catalogue does not translate (see
    :func:`catalogue_problems`)."""
    return catalogue_problems(lang)


def update_catalogues(directory: Path = LOCALE_DIR) -> list[Path]:
    """Merge the strings of templates and code into every catalogue (as ``pybabel update``
    does, without fuzzy guesses; a language of :data:`UI_LANGUAGES` without a catalogue gets
    one, untranslated); returns the files written."""
    template = Catalog(project="consensus-kit web UI", charset="utf-8")
    for message, where in _source_messages():
        flags = ("python-format",) if _PLACEHOLDER.search(message) else ()
        template.add(message, locations=[(where, None)], flags=flags)  # type: ignore[list-item]
    written = []
    for lang in UI_LANGUAGES[1:]:
        path = _catalogue_path(directory, lang)
        if not path.exists():  # a new language: every string arrives untranslated
            path.parent.mkdir(parents=True, exist_ok=True)
            buffer = io.BytesIO()
            write_po(buffer, Catalog(locale=lang, project="consensus-kit web UI", fuzzy=False))
            path.write_bytes(buffer.getvalue())
        catalog = _read(directory, lang)
        created = catalog.creation_date  # unchanged strings: an unchanged file
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalog.creation_date = created
        buffer = io.BytesIO()
        write_po(buffer, catalog, width=0, include_lineno=False, sort_output=True)
        path.write_bytes(buffer.getvalue())
        written.append(path)
    return written


def main(argv: Sequence[str]) -> int:
    """``python -m webui.i18n [update]``: check (exit 1 on any problem) or update."""
    if list(argv) == ["update"]:
        for path in update_catalogues():
            print(f"updated {path.relative_to(HERE.parent)}")
        return 0
    if argv:
        print("usage: python -m webui.i18n [update]", file=sys.stderr)
        return 1
    gaps = [problem for lang in UI_LANGUAGES[1:] for problem in catalogue_problems(lang)]
    print("\n".join(gaps) or "every interface string is translated in every catalogue")
    return 1 if gaps else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

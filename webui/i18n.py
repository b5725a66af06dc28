"""Interface strings in English and Chinese from a gettext catalogue.

The catalogue is ``webui/locale/<lang>/LC_MESSAGES/messages.po``; it is compiled in memory at
start-up (``read_po`` + ``write_mo`` + :class:`babel.support.Translations`). Templates call
``_("…")``; ``python -m webui.i18n`` lists the strings in templates and code that the Chinese
catalogue lacks (a test keeps that list empty).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

__all__ = ["UI_LANGUAGES", "Catalogues", "missing_messages", "negotiate"]

HERE = Path(__file__).parent
LOCALE_DIR = HERE / "locale"
UI_LANGUAGES = ("en", "zh")
"""Interface languages; English is the source language of the catalogue."""


class Catalogues:
    """Compiled translations per interface language."""

    def __init__(self, directory: Path = LOCALE_DIR) -> None:
        self._by_lang: dict[str, NullTranslations] = {"en": NullTranslations()}
        for lang in UI_LANGUAGES[1:]:
            po = directory / lang / "LC_MESSAGES" / "messages.po"
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=lang)
            buffer = io.BytesIO()
            write_mo(buffer, catalog)
            buffer.seek(0)
            self._by_lang[lang] = Translations(fp=buffer)

    def get(self, lang: str) -> NullTranslations:
        """The translations of ``lang`` (English for an unknown language)."""
        return self._by_lang.get(lang, self._by_lang["en"])


def negotiate(accept_language: str | None, available: Iterable[str] = UI_LANGUAGES) -> str:
    """The best interface language for an ``Accept-Language`` header (default English)."""
    choices = list(available)
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
        if base in choices and quality > 0:
            ranked.append((-quality, index, base))
    return sorted(ranked)[0][2] if ranked else choices[0]


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


def missing_messages(lang: str = "zh") -> list[str]:
    """Strings used in the UI that the ``lang`` catalogue does not translate."""
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    missing = []
    for message, where in _source_messages():
        entry = catalog.get(message)
        if entry is None or not entry.string:
            missing.append(f"{where}: {message}")
    return sorted(set(missing))


if __name__ == "__main__":
    gaps = missing_messages()
    print("\n".join(gaps) or "every interface string is translated")
    sys.exit(1 if gaps else 0)

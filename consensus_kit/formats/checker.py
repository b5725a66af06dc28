"""The primitives of meeting-file validation: collect problems with their key paths.

Validation collects *every* problem with its key path and what was expected, so a secretariat
fixes a file in one pass; nothing is returned unless the whole file is valid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from consensus_kit.domain.ids import Lang, is_valid_id
from consensus_kit.domain.text import LIMITS, text_problem
from consensus_kit.errors import Problem

__all__ = ["Checker"]

MAX_FILE_BYTES = 20_000_000

_TOP_KEYS = {"meeting", "decision", "organisations", "delegates", "declaration"}
_MEETING_KEYS = {
    "id",
    "title",
    "place",
    "start",
    "end",
    "languages",
    "negotiating_language",
    "organisers",
}
_DECISION_KEYS = {"rule", "quorum", "secret"}
_ORG_KEYS = {"id", "name", "country", "region", "observer", "weight"}
_DELEGATE_KEYS = {"id", "name", "organisation", "roles", "title"}
_DECLARATION_KEYS = {"date", "title", "subtitle", "preamble", "articles", "files"}
_ARTICLE_KEYS = {"id", "text"}


def _type_name(value: object) -> str:
    names = {
        str: "text",
        int: "integer",
        float: "number",
        bool: "true/false",
        list: "array",
        dict: "table",
        dt.date: "date",
        dt.datetime: "date-time",
    }
    return names.get(type(value), type(value).__name__)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class Checker:
    """Walks parsed TOML, collecting problems; returns typed values where valid."""

    def __init__(self, base_dir: Path | None) -> None:
        self.base_dir = base_dir
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.languages: tuple[Lang, ...] = ()
        self.negotiating: Lang | None = None

    # -- primitives ---------------------------------------------------------------------------

    def error(self, path: str, message: str) -> None:
        self.errors.append(Problem(path, message))

    def warn(self, path: str, message: str) -> None:
        self.warnings.append(Problem(path, message, "warning"))

    def table(
        self, value: object, path: str, allowed: set[str], required: Iterable[str]
    ) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.error(path, f"expected a table, got {_type_name(value)}")
            return None
        for key in value:
            if key not in allowed:
                hint = ", ".join(sorted(allowed))
                self.error(_join(path, key), f"unknown key (expected one of: {hint})")
        for key in required:
            if key not in value:
                self.error(_join(path, key), "is required")
        return value

    def text(self, value: object, path: str, limit: int, required: bool = True) -> str | None:
        problem = text_problem(value, limit=limit, required=required)
        if problem:
            self.error(path, problem)
            return None
        assert isinstance(value, str)
        return value

    def ident(self, value: object, path: str) -> str | None:
        if not isinstance(value, str):
            self.error(path, f"expected an identifier (text), got {_type_name(value)}")
            return None
        if not is_valid_id(value):
            self.error(
                path,
                f"{value!r} is not a valid id (lowercase letters, digits and '-', 1–64 characters)",
            )
            return None
        return value

    def typed(self, value: object, path: str, kind: type, label: str) -> Any:
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.error(path, f"expected {label}, got {_type_name(value)}")
            return None
        if kind is dt.date and isinstance(value, dt.datetime):
            self.error(path, f"expected {label} without a time, got a date-time")
            return None
        return value

    def texts(
        self, value: object, path: str, limit: int, *, every_language: bool, required: bool = True
    ) -> dict[Lang, str] | None:
        """A table language → text; keys must be meeting languages."""
        if not isinstance(value, dict):
            self.error(
                path,
                'expected a table of language → text, e.g. { en = "…" }, '
                f"got {_type_name(value)}",
            )
            return None
        result: dict[Lang, str] = {}
        for lang, text in value.items():
            if self.languages and lang not in self.languages:
                self.error(
                    _join(path, lang),
                    f"{lang!r} is not one of the meeting's languages ({', '.join(self.languages)})",
                )
                continue
            checked = self.text(text, _join(path, lang), limit, required)
            if checked is not None:
                result[Lang(lang)] = checked
        if required and not value:
            self.error(path, "must give the text in at least one language")
        if every_language:
            for lang in self.languages:
                if lang not in value:
                    self.error(_join(path, lang), "is required (every meeting language)")
        return result

    def _array(self, value: object, path: str, limit_key: str) -> list[Any]:
        if not isinstance(value, list):
            self.error(path, f"expected an array of tables ([[{path}]]), got {_type_name(value)}")
            return []
        if len(value) > LIMITS[limit_key]:
            self.error(path, f"{len(value):,} entries; the limit is {LIMITS[limit_key]:,}")
            return []
        return value

    def _unique(self, path: str, value: str | None, seen: dict[str, str], what: str) -> bool:
        if value is None:
            return False
        if value in seen:
            self.error(path, f"duplicate {what} id {value!r} (first used at {seen[value]})")
            return False
        seen[value] = path
        return True

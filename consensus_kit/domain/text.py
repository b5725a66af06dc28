"""Rules for text a delegate may type, and the limits on its length.

Legitimate text — CJK, Arabic and Hebrew, emoji, combining marks — is accepted and kept exactly
as written (no Unicode normalisation). Refused: control characters other than tab and line
feed, lone surrogates, non-characters, and the bidirectional embedding/override/isolate
controls, which can make a text display differently from what it says ("Trojan Source").
XML (and so DOCX) cannot hold most control characters either, so refusing them at input keeps
every later export valid.
"""

from __future__ import annotations

import re

from consensus_kit.errors import InvalidInput

__all__ = [
    "LIMITS",
    "check_text",
    "text_problem",
]

LIMITS: dict[str, int] = {
    "name": 300,
    "title": 300,
    "article": 20_000,
    "preamble": 50_000,
    "note": 2_000,
    "articles": 1_000,
    "organisations": 2_000,
    "delegates": 10_000,
}
"""Maximum lengths (characters) and counts; documented in docs/meeting-file.md."""

_FORBIDDEN = re.compile(
    "["
    "\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 (except \t \n) and C1 controls, DEL
    "\u202a-\u202e\u2066-\u2069"  # bidi embeddings, overrides, isolates
    "\ud800-\udfff"  # lone surrogates
    "\ufdd0-\ufdef\ufffe\uffff"  # non-characters of the BMP
    "]"
)

_NAMES = {
    "\r": "carriage return",
    "\x00": "NUL",
    "\x7f": "DEL",
    "\u202e": "right-to-left override",
    "\u202d": "left-to-right override",
}


def _describe(char: str) -> str:
    code = f"U+{ord(char):04X}"
    name = _NAMES.get(char)
    if name:
        return f"{name} ({code})"
    if 0xD800 <= ord(char) <= 0xDFFF:
        return f"lone surrogate ({code})"
    if 0x202A <= ord(char) <= 0x202E or 0x2066 <= ord(char) <= 0x2069:
        return f"bidirectional control character ({code})"
    if ord(char) >= 0xFDD0:
        return f"non-character ({code})"
    return f"control character ({code})"


def text_problem(value: object, *, limit: int, required: bool = True) -> str | None:
    """Return what is wrong with ``value`` as a text field, or ``None`` when it is acceptable.

    >>> text_problem("儿童 ✨", limit=10) is None
    True
    >>> text_problem("a\\x00b", limit=10)
    'contains a NUL (U+0000) at position 1'
    """
    if not isinstance(value, str):
        return f"expected text, got {type(value).__name__}"
    if required and not value.strip():
        return "must not be empty"
    if len(value) > limit:
        return f"is {len(value):,} characters long; the limit is {limit:,}"
    found = _FORBIDDEN.search(value)
    if found:
        return f"contains a {_describe(found.group())} at position {found.start()}"
    if any(ord(c) > 0xFFFF and ord(c) & 0xFFFE == 0xFFFE for c in value):
        return "contains a Unicode non-character"
    return None


def check_text(value: object, *, field: str, limit: int, required: bool = True) -> str:
    """Return ``value`` unchanged if it is acceptable text, else raise :class:`InvalidInput`.

    >>> check_text("第一条", field="articles[0].text.zh", limit=100)
    '第一条'
    """
    problem = text_problem(value, limit=limit, required=required)
    if problem is not None:
        raise InvalidInput(problem, field=field)
    assert isinstance(value, str)
    return value

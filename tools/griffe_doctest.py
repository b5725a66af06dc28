"""A Griffe extension for the API reference: doctest examples in docstrings become code blocks.

Our docstrings give examples as bare ``>>>`` lines (as ``help()`` shows them); Markdown would
run them into the paragraph and read ``[...]`` in their output as links. Each run of lines from
a ``>>>`` line to the next blank line is fenced as ``pycon``, without its ``# doctest:``
directives (they are for the test runner, not the reader).
"""

from __future__ import annotations

import re
from typing import Any

import griffe

DIRECTIVE = re.compile(r"\s*# doctest:[^\n]*$")


def fence_doctests(text: str) -> str:
    """``text`` with each doctest run fenced."""
    out: list[str] = []
    inside = False
    for line in text.splitlines():
        if not inside and line.lstrip().startswith(">>>"):
            out.append("```pycon")
            inside = True
        elif inside and not line.strip():
            out.append("```")
            inside = False
        out.append(DIRECTIVE.sub("", line) if inside else line)
    if inside:
        out.append("```")
    return "\n".join(out)


class FenceDoctests(griffe.Extension):
    """Fence the doctest examples of every docstring loaded."""

    def on_instance(self, *, obj: griffe.Object, **_: Any) -> None:
        if obj.docstring is not None and ">>>" in obj.docstring.value:
            obj.docstring.value = fence_doctests(obj.docstring.value)

"""Request bodies: JSON nested too deeply is refused before anything decodes it.

msgspec decodes recursively: a body of 1,000 nested arrays (2 kB) was a RecursionError, so a
500, on every JSON route including the unauthenticated ``POST /api/v1/token``. Catching that
error afterwards would also hide real bugs; instead one pass over the raw body (outside
strings) measures its depth first, on every request with a body that is not a form. Our
bodies need three levels; :data:`MAX_JSON_DEPTH` leaves room.
"""

from __future__ import annotations

import re
from typing import Any

from litestar import Request

from consensus_kit import InvalidInput

__all__ = ["MAX_JSON_DEPTH", "json_too_deep", "refuse_deep_json"]

MAX_JSON_DEPTH = 32
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def json_too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether arrays and objects in ``body`` nest more than ``limit`` levels (strings aside).

    >>> json_too_deep(b'{"a": [[1]], "b": "[[[["}', 3)  # three levels; a string's brackets aside
    False
    >>> json_too_deep(b'{"a": [[1]]}', 2)
    True
    """
    if body.count(b"[") + body.count(b"{") <= limit:  # nearly every body: no scan
        return False
    depth = 0
    for bracket in _BRACKET.finditer(_STRING.sub(b'""', body)):
        if bracket.group() in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


async def refuse_deep_json(request: Request[Any, Any, Any]) -> None:
    """``before_request``: a 422 naming the body for JSON nested too deeply."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.headers.get("content-type", "").lower().startswith(_FORMS):
        return
    body = await request.body()  # kept: the handler reads the same bytes
    if json_too_deep(body):
        raise InvalidInput(f"nested more than {MAX_JSON_DEPTH} levels deep", field="body")

"""Canonical encodings and SHA-256 content hashes.

A hash must not depend on the database, the Python run or dict ordering, so everything hashed is
first turned into plain builtins and encoded as JSON with sorted keys, no whitespace, UTF-8, and
texts exactly as stored (no Unicode normalisation).
"""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec

from consensus_kit.domain.model import Declaration, Meeting

__all__ = ["canonical_json", "declaration_hash", "meeting_hash", "sha256_hex"]

DECLARATION_FORMAT = "consensus-kit/declaration/1"
MEETING_FORMAT = "consensus-kit/meeting/1"


def canonical_json(value: Any) -> bytes:
    """Encode ``value`` deterministically: sorted keys, compact, UTF-8.

    >>> canonical_json({"b": 1, "a": "儿童"}).decode()
    '{"a":"儿童","b":1}'
    """
    return msgspec.json.encode(msgspec.to_builtins(value, order="sorted"), order="sorted")


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def declaration_hash(declaration: Declaration) -> str:
    """The content hash of a declaration: SHA-256 over its canonical encoding.

    Only the texts count (title, subtitle, preamble, articles with their ids and order, date), so
    the same texts give the same hash in every run and every database.
    """
    body = {"format": DECLARATION_FORMAT, "declaration": declaration}
    return sha256_hex(canonical_json(body))


def meeting_hash(meeting: Meeting) -> str:
    """SHA-256 over the canonical encoding of a meeting: details, organisations, delegates.

    Rules of procedure at their defaults are left out, so a meeting loaded before they existed
    keeps its hash (``verify`` compares it with the one sealed in its ``MeetingLoaded`` event).
    """
    encoded = msgspec.to_builtins(meeting, order="sorted")
    if not encoded.get("procedure"):
        encoded.pop("procedure", None)
    for organisation in encoded.get("organisations", []):
        if not organisation.get("country_name"):  # no official name given: as before
            organisation.pop("country_name", None)
    body = {"format": MEETING_FORMAT, "meeting": encoded}
    return sha256_hex(canonical_json(body))

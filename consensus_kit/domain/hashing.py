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

__all__ = [
    "HASH_FORMAT",
    "canonical_json",
    "declaration_hash",
    "meeting_hash",
    "sha256_hex",
    "tracking_hash",
]

DECLARATION_FORMATS = {1: "consensus-kit/declaration/1", 2: "consensus-kit/declaration/2"}
HASH_FORMAT = 2
"""The format new versions are hashed with. A stored version keeps the format it was hashed
with (its ``hash_format``), so its content hash never changes."""
MEETING_FORMAT = "consensus-kit/meeting/1"
TRACKING_FORMAT = "consensus-kit/tracking/1"


def canonical_json(value: Any) -> bytes:
    """Encode ``value`` deterministically: sorted keys, compact, UTF-8.

    >>> canonical_json({"b": 1, "a": "儿童"}).decode()
    '{"a":"儿童","b":1}'
    """
    return msgspec.json.encode(msgspec.to_builtins(value, order="sorted"), order="sorted")


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def declaration_hash(declaration: Declaration, hash_format: int = HASH_FORMAT) -> str:
    """The content hash of a declaration: SHA-256 over the canonical encoding of its words.

    Format 2 (the default) is a function of the words alone: the title, subtitle and preamble,
    each article's id and texts in order (every language), and the date. Translation status
    (which language follows which revision) is not words: the same texts reached by any
    history give the same hash. Format 1, used by versions stored before it, also encoded
    that status; it is kept so that those versions still verify.

    >>> from consensus_kit.domain.model import Article, Declaration
    >>> a = Article(id="a", text={"en": "x"})
    >>> b = Article(id="a", text={"en": "x"}, revision=3, in_step={"zh": 1})
    >>> declaration_hash(Declaration(title={}, articles=(a,))) == declaration_hash(
    ...     Declaration(title={}, articles=(b,))
    ... )
    True
    """
    if hash_format == 1:
        return sha256_hex(
            canonical_json({"format": DECLARATION_FORMATS[1], "declaration": declaration})
        )
    if hash_format != 2:
        raise ValueError(f"unknown content hash format {hash_format}")
    words = {
        "format": DECLARATION_FORMATS[2],
        "title": declaration.title,
        "subtitle": declaration.subtitle,
        "preamble": declaration.preamble,
        "articles": [[a.id, a.text] for a in declaration.articles],
        "date": declaration.date,
    }
    return sha256_hex(canonical_json(words))


def tracking_hash(declaration: Declaration) -> str:
    """SHA-256 over a declaration's translation tracking alone (for each part: the revision
    and the lagging languages). The publication event of each version records it, so
    ``verify`` covers tracking through the event chain, beside the content hash."""
    body = {
        "format": TRACKING_FORMAT,
        "parts": declaration.tracking,
        "articles": [[a.id, a.revision, a.in_step] for a in declaration.articles],
    }
    return sha256_hex(canonical_json(body))


def meeting_hash(meeting: Meeting) -> str:
    """SHA-256 over the canonical encoding of a meeting: details, organisations, delegates.

    Fields added since the first release are left out at their defaults (rules of procedure,
    the time zone, official country names, line widths, when an organisation or delegate
    withdrew), so a meeting loaded before they existed keeps its hash: ``verify`` compares it
    with the one sealed in its ``MeetingLoaded`` event, or its last ``MeetingChanged`` event.
    """
    encoded = msgspec.to_builtins(meeting, order="sorted")
    if not encoded.get("procedure"):
        encoded.pop("procedure", None)
    if not encoded.get("lines"):  # the default line widths: as before they existed
        encoded.pop("lines", None)
    if encoded.get("timezone") == "UTC":
        encoded.pop("timezone", None)
    for organisation in encoded.get("organisations", []):
        if not organisation.get("country_name"):  # no official name given: as before
            organisation.pop("country_name", None)
        if organisation.get("withdrawn_at") is None:  # still taking part: as before
            organisation.pop("withdrawn_at", None)
    for delegate in encoded.get("delegates", []):
        if delegate.get("withdrawn_at") is None:
            delegate.pop("withdrawn_at", None)
    body = {"format": MEETING_FORMAT, "meeting": encoded}
    return sha256_hex(canonical_json(body))

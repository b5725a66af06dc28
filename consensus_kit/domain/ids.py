"""Distinct identifier types, so an organisation id cannot pass for a delegate id."""

from __future__ import annotations

import re
from typing import NewType

MeetingId = NewType("MeetingId", str)
OrgId = NewType("OrgId", str)
DelegateId = NewType("DelegateId", str)
ArticleId = NewType("ArticleId", str)
Lang = NewType("Lang", str)

ID_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
"""Identifiers: lowercase ASCII letters, digits and ``-``, 1–64 characters, no edge ``-``."""


def is_valid_id(value: str) -> bool:
    """Whether ``value`` is a well-formed identifier.

    >>> is_valid_id("a20-2018"), is_valid_id("A20"), is_valid_id("-x")
    (True, False, False)
    """
    return bool(ID_PATTERN.fullmatch(value))

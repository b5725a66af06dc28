"""Distinct identifier types, so an organisation id cannot pass for a delegate id."""

from __future__ import annotations

import re
from typing import NewType

MeetingId = NewType("MeetingId", str)
"""A meeting's id, as in its meeting file (``"a20-2018"``)."""
OrgId = NewType("OrgId", str)
"""An organisation's id in its meeting (``"kenya-alliance-children"``)."""
DelegateId = NewType("DelegateId", str)
"""A delegate's id in their meeting (``"ekesa"``, ``"chair"``)."""
ArticleId = NewType("ArticleId", str)
"""An article's stable id: it keeps it through moves and renumbering (``"art-2"``)."""
Lang = NewType("Lang", str)
"""A language as a BCP 47 code, one of the meeting's languages (``"en"``, ``"zh"``)."""

ID_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
"""Identifiers: lowercase ASCII letters, digits and ``-``, 1–64 characters, no edge ``-``."""


def is_valid_id(value: str) -> bool:
    """Whether ``value`` is a well-formed identifier.

    >>> is_valid_id("a20-2018"), is_valid_id("A20"), is_valid_id("-x")
    (True, False, False)
    """
    return bool(ID_PATTERN.fullmatch(value))

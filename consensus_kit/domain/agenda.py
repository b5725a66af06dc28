"""The item on the floor: what the chair puts on screen for the room and the projector."""

from __future__ import annotations

import datetime as dt
import enum

import msgspec

__all__ = ["AgendaItem", "AgendaKind"]


class AgendaKind(enum.StrEnum):
    """What is on the floor."""

    NONE = "none"  # nothing: the room sees the current text
    ARTICLE = "article"  # an article under discussion (ref: article id)
    AMENDMENT = "amendment"  # an amendment (ref: its number)
    VOTE = "vote"  # a vote and its live tally (ref: vote number)
    SIGNING = "signing"  # the endorsement wall (ref: version number)


class AgendaItem(msgspec.Struct, frozen=True, kw_only=True):
    """The current agenda item, who set it and when."""

    kind: AgendaKind = AgendaKind.NONE
    ref: str = ""
    note: str = ""
    set_by: str = ""
    set_at: dt.datetime | None = None

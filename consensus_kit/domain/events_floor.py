"""Events of the floor: the speakers' list, compromise texts and modified adoptions.

Kept apart from :mod:`~consensus_kit.domain.events` (which includes them in ``EventBody``) so
that each module stays readable.
"""

from __future__ import annotations

import msgspec

__all__ = [
    "AmendmentModified",
    "CompromiseProposed",
    "FloorEventBody",
    "FloorGiven",
    "SpeakerRequested",
    "SpeakerWithdrawn",
    "SpeakersListClosed",
    "SpeakersListReopened",
    "SpeakersOrdered",
    "TurnEnded",
]


class CompromiseProposed(msgspec.Struct, frozen=True, kw_only=True, tag="compromise_proposed"):
    """Amendment ``number`` (proposed just before) is a compromise text merging ``merges``;
    ``resolved`` lists the conflicts ("5:en") a person resolved in its words."""

    number: int
    merges: list[int]
    resolved: list[str] = msgspec.field(default_factory=list)
    cosponsors: list[str] = msgspec.field(default_factory=list)


class AmendmentModified(msgspec.Struct, frozen=True, kw_only=True, tag="amendment_modified"):
    """The chair adopts amendment ``number`` with these words, agreed on the floor (per
    language changed); its own proposal stays on record."""

    number: int
    texts: dict[str, str]
    reason: str = ""


class SpeakerRequested(msgspec.Struct, frozen=True, kw_only=True, tag="speaker_requested"):
    """An organisation asked for the floor on an agenda item."""

    item: str
    organisation: str


class SpeakerWithdrawn(msgspec.Struct, frozen=True, kw_only=True, tag="speaker_withdrawn"):
    """An organisation's request for the floor was withdrawn."""

    item: str
    organisation: str


class SpeakersOrdered(msgspec.Struct, frozen=True, kw_only=True, tag="speakers_ordered"):
    """The chair put the waiting requests in this order."""

    item: str
    order: list[str]


class FloorGiven(msgspec.Struct, frozen=True, kw_only=True, tag="floor_given"):
    """The chair gave the floor to an organisation for ``limit`` seconds (0: no limit)."""

    item: str
    organisation: str
    limit: int


class TurnEnded(msgspec.Struct, frozen=True, kw_only=True, tag="turn_ended"):
    """An organisation's turn at the floor ended after ``seconds``."""

    item: str
    organisation: str
    seconds: int


class SpeakersListClosed(msgspec.Struct, frozen=True, kw_only=True, tag="speakers_list_closed"):
    """The chair closed the speakers' list of an item to new requests."""

    item: str


class SpeakersListReopened(msgspec.Struct, frozen=True, kw_only=True, tag="speakers_list_reopened"):
    """The chair reopened the speakers' list of an item."""

    item: str


FloorEventBody = (
    CompromiseProposed
    | AmendmentModified
    | SpeakerRequested
    | SpeakerWithdrawn
    | SpeakersOrdered
    | FloorGiven
    | TurnEnded
    | SpeakersListClosed
    | SpeakersListReopened
)
"""The bodies of the events of the floor."""

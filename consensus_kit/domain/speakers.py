"""The speakers' list of the item under discussion: who asked for the floor, who speaks now.

One list per agenda item (:func:`item_key`). An organisation asks for the floor once: while its
request waits or while it speaks, a second request is refused; a withdrawn request, or a turn
that ended, lets it ask again. The chair orders the waiting requests, gives the floor (to the
first, or to a named organisation), which ends the turn before it, ends a turn, and closes or
reopens the list. Each function is pure and returns the new list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import msgspec

from consensus_kit.domain.agenda import AgendaItem, AgendaKind
from consensus_kit.domain.ids import DelegateId, OrgId
from consensus_kit.errors import InvalidInput, InvalidState

__all__ = [
    "DEFAULT_SPEAKING_TIME",
    "MAX_SPEAKING_TIME",
    "Intervention",
    "SpeakerRequest",
    "SpeakersList",
    "close_list",
    "end_turn",
    "give_floor",
    "item_key",
    "moved_order",
    "order_requests",
    "reopen_list",
    "request_floor",
    "withdraw_request",
]

DEFAULT_SPEAKING_TIME = 180
"""Seconds an intervention may last unless the chair says otherwise."""

MAX_SPEAKING_TIME = 3600
"""The longest time the chair may give (0: no limit)."""


class SpeakerRequest(msgspec.Struct, frozen=True, kw_only=True):
    """An organisation's request for the floor, made by one of its delegates."""

    organisation: OrgId
    delegate: DelegateId
    requested_at: dt.datetime


class Intervention(msgspec.Struct, frozen=True, kw_only=True):
    """A turn at the floor: who, from when, for how long (``limit``: seconds, 0 for none)."""

    organisation: OrgId
    delegate: DelegateId
    started_at: dt.datetime
    limit: int = DEFAULT_SPEAKING_TIME
    ended_at: dt.datetime | None = None

    @property
    def deadline(self) -> dt.datetime | None:
        """When the time given runs out (``None`` without a limit)."""
        return self.started_at + dt.timedelta(seconds=self.limit) if self.limit else None

    def seconds(self) -> int:
        """How long the turn lasted (0 while it goes on)."""
        if self.ended_at is None:
            return 0
        return round((self.ended_at - self.started_at).total_seconds())


class SpeakersList(msgspec.Struct, frozen=True, kw_only=True):
    """The list of one agenda item."""

    item: str
    waiting: tuple[SpeakerRequest, ...] = ()
    current: Intervention | None = None
    spoken: tuple[Intervention, ...] = ()
    closed: bool = False

    def position(self, organisation: OrgId) -> int | None:
        """1 for the next speaker, 2 after…; ``None`` when the organisation is not waiting."""
        for i, r in enumerate(self.waiting, 1):
            if r.organisation == organisation:
                return i
        return None

    def next_speakers(self, count: int = 3) -> list[SpeakerRequest]:
        """The next ``count`` speakers, in order."""
        return list(self.waiting[:count])


def item_key(agenda: AgendaItem) -> str:
    """The key of the item under discussion: ``"article:art-2"``, or ``"general"``.

    >>> item_key(AgendaItem(kind=AgendaKind.ARTICLE, ref="art-2"))
    'article:art-2'
    """
    if agenda.kind is AgendaKind.NONE:
        return "general"
    return f"{agenda.kind.value}:{agenda.ref}"


def request_floor(
    speakers: SpeakersList, organisation: OrgId, delegate: DelegateId, now: dt.datetime
) -> SpeakersList:
    """``speakers`` with the organisation's request at the end, or why it is refused."""
    if speakers.closed:
        raise InvalidState(f"the speakers' list on {speakers.item} is closed")
    if speakers.position(organisation) is not None:
        raise InvalidState(
            f"{organisation} has already asked for the floor on {speakers.item} "
            f"(number {speakers.position(organisation)} on the list)"
        )
    if speakers.current is not None and speakers.current.organisation == organisation:
        raise InvalidState(f"{organisation} has the floor on {speakers.item} now")
    request = SpeakerRequest(organisation=organisation, delegate=delegate, requested_at=now)
    return msgspec.structs.replace(speakers, waiting=(*speakers.waiting, request))


def withdraw_request(speakers: SpeakersList, organisation: OrgId) -> SpeakersList:
    """``speakers`` without the organisation's waiting request."""
    if speakers.position(organisation) is None:
        raise InvalidState(f"{organisation} has no request for the floor on {speakers.item}")
    kept = tuple(r for r in speakers.waiting if r.organisation != organisation)
    return msgspec.structs.replace(speakers, waiting=kept)


def order_requests(speakers: SpeakersList, order: Sequence[str]) -> SpeakersList:
    """``speakers`` with the waiting requests in ``order`` (every waiting organisation once)."""
    by_org = {r.organisation: r for r in speakers.waiting}
    if len(order) != len(set(order)) or set(order) != set(by_org):
        waiting = ", ".join(by_org) or "nobody"
        raise InvalidInput(
            f"name every waiting organisation once (waiting: {waiting})", field="order"
        )
    return msgspec.structs.replace(speakers, waiting=tuple(by_org[OrgId(o)] for o in order))


def moved_order(speakers: SpeakersList, organisation: str | None, step: int) -> list[str]:
    """The waiting organisations in order, with ``organisation`` moved ``step`` places (-1: one
    up, 1: one down), kept within the list; unchanged when it is not waiting. For
    :func:`order_requests`: the chair's "up" and "down" buttons."""
    order = [str(r.organisation) for r in speakers.waiting]
    if organisation in order:
        i = order.index(organisation)
        j = max(0, min(len(order) - 1, i + step))
        order[i], order[j] = order[j], order[i]
    return order


def give_floor(
    speakers: SpeakersList,
    organisation: OrgId | None,
    now: dt.datetime,
    *,
    limit: int = DEFAULT_SPEAKING_TIME,
) -> SpeakersList:
    """Give the floor to ``organisation`` (the first waiting when ``None``) for ``limit``
    seconds; the turn before it ends now."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 0 <= limit <= MAX_SPEAKING_TIME:
        raise InvalidInput(
            f"a number of seconds from 0 (no limit) to {MAX_SPEAKING_TIME}", field="limit"
        )
    if not speakers.waiting:
        raise InvalidState(f"nobody is waiting for the floor on {speakers.item}")
    if organisation is None:
        chosen = speakers.waiting[0]
    else:
        position = speakers.position(organisation)
        if position is None:
            raise InvalidInput(
                f"{organisation} has not asked for the floor on {speakers.item}",
                field="organisation",
            )
        chosen = speakers.waiting[position - 1]
    ended = end_turn(speakers, now) if speakers.current is not None else speakers
    turn = Intervention(
        organisation=chosen.organisation, delegate=chosen.delegate, started_at=now, limit=limit
    )
    waiting = tuple(r for r in ended.waiting if r.organisation != chosen.organisation)
    return msgspec.structs.replace(ended, waiting=waiting, current=turn)


def end_turn(speakers: SpeakersList, now: dt.datetime) -> SpeakersList:
    """``speakers`` with the current turn ended now."""
    if speakers.current is None:
        raise InvalidState(f"nobody has the floor on {speakers.item}")
    done = msgspec.structs.replace(speakers.current, ended_at=now)
    return msgspec.structs.replace(speakers, current=None, spoken=(*speakers.spoken, done))


def close_list(speakers: SpeakersList) -> SpeakersList:
    """``speakers`` closed to new requests (those waiting keep their turn)."""
    if speakers.closed:
        raise InvalidState(f"the speakers' list on {speakers.item} is already closed")
    return msgspec.structs.replace(speakers, closed=True)


def reopen_list(speakers: SpeakersList) -> SpeakersList:
    """``speakers`` open to requests again."""
    if not speakers.closed:
        raise InvalidState(f"the speakers' list on {speakers.item} is open")
    return msgspec.structs.replace(speakers, closed=False)

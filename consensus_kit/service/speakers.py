"""The speakers' room: requests for the floor on the item under discussion, and the chair's
running of the list (order, give the floor, end a turn, close and reopen the list).

Every act is on the agenda item on the floor at that moment (``domain.speakers.item_key``) and
is one transaction with its event; the rules are in :mod:`consensus_kit.domain.speakers`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from consensus_kit.domain import speakers as rules
from consensus_kit.domain.agenda import AgendaItem
from consensus_kit.domain.events import EventBody
from consensus_kit.domain.events_floor import (
    FloorGiven,
    SpeakerRequested,
    SpeakersListClosed,
    SpeakersListReopened,
    SpeakersOrdered,
    SpeakerWithdrawn,
    TurnEnded,
)
from consensus_kit.domain.ids import DelegateId, MeetingId, OrgId
from consensus_kit.domain.model import Meeting
from consensus_kit.domain.permissions import Action, Console, Principal, allows
from consensus_kit.domain.speakers import SpeakersList
from consensus_kit.errors import InvalidInput, NotPermitted
from consensus_kit.service.context import Context
from consensus_kit.service.ports import Repository

__all__ = ["Speakers"]

Change = Callable[[Meeting, SpeakersList, dt.datetime], tuple[SpeakersList, EventBody]]


class Speakers:
    """The speakers' list of each agenda item."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def speakers_list(
        self, actor: Principal, meeting_id: MeetingId, *, item: str | None = None
    ) -> SpeakersList:
        """The speakers' list of ``item`` (default: the item on the floor now)."""
        with self._ctx.store.reading() as uow:
            meeting = self._ctx.meeting(uow.repo, meeting_id)
            self._ctx.member(meeting, actor, Action.READ)
            key = item if item is not None else self._item(uow.repo, meeting_id)
            return uow.repo.get_speakers(meeting_id, key) or SpeakersList(item=key)

    def request_floor(self, actor: Principal, meeting_id: MeetingId) -> SpeakersList:
        """Ask for the floor for the actor's organisation on the item under discussion; one
        request per organisation at a time. Observers and the console are refused."""

        def change(
            meeting: Meeting, now_list: SpeakersList, now: dt.datetime
        ) -> tuple[SpeakersList, EventBody]:
            org = self._speaker_org(meeting, actor)
            new = rules.request_floor(now_list, org, DelegateId(actor.id), now)
            return new, SpeakerRequested(item=new.item, organisation=org)

        return self._change(actor, meeting_id, Action.REQUEST_FLOOR, change)

    def withdraw_floor_request(
        self, actor: Principal, meeting_id: MeetingId, *, organisation: str | None = None
    ) -> SpeakersList:
        """Withdraw a request for the floor: one's own organisation's, or (the chair) any."""

        def change(
            meeting: Meeting, now_list: SpeakersList, now: dt.datetime
        ) -> tuple[SpeakersList, EventBody]:
            if organisation is not None and allows(actor, Action.RUN_SPEAKERS_LIST):
                org = OrgId(organisation)
            else:
                org = self._speaker_org(meeting, actor)
                if organisation is not None and organisation != org:
                    raise NotPermitted(
                        f"{actor.id} acts for {org}, not for {organisation}: cannot withdraw "
                        "its request for the floor",
                        actor=actor.id,
                        action=Action.REQUEST_FLOOR.value,
                    )
            new = rules.withdraw_request(now_list, org)
            return new, SpeakerWithdrawn(item=new.item, organisation=org)

        by_chair = organisation is not None and allows(actor, Action.RUN_SPEAKERS_LIST)
        action = Action.RUN_SPEAKERS_LIST if by_chair else Action.REQUEST_FLOOR
        return self._change(actor, meeting_id, action, change)

    def order_speakers(
        self, actor: Principal, meeting_id: MeetingId, order: Sequence[str]
    ) -> SpeakersList:
        """Put the waiting requests in ``order`` (the chair): every waiting organisation once."""
        if isinstance(order, str) or not all(isinstance(o, str) for o in order):
            raise InvalidInput("a list of organisation ids", field="order")

        def change(
            meeting: Meeting, now_list: SpeakersList, now: dt.datetime
        ) -> tuple[SpeakersList, EventBody]:
            new = rules.order_requests(now_list, order)
            return new, SpeakersOrdered(item=new.item, order=list(order))

        return self._change(actor, meeting_id, Action.RUN_SPEAKERS_LIST, change)

    def give_floor(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        *,
        organisation: str | None = None,
        limit: int = rules.DEFAULT_SPEAKING_TIME,
    ) -> SpeakersList:
        """Give the floor (the chair) to ``organisation`` or the next on the list, for
        ``limit`` seconds (0: no limit); the turn before it ends."""

        def change(
            meeting: Meeting, now_list: SpeakersList, now: dt.datetime
        ) -> tuple[SpeakersList, EventBody]:
            org = OrgId(organisation) if organisation else None
            new = rules.give_floor(now_list, org, now, limit=limit)
            assert new.current is not None
            return new, FloorGiven(
                item=new.item, organisation=new.current.organisation, limit=limit
            )

        return self._change(actor, meeting_id, Action.RUN_SPEAKERS_LIST, change)

    def end_turn(self, actor: Principal, meeting_id: MeetingId) -> SpeakersList:
        """End the current speaker's turn (the chair)."""

        def change(
            meeting: Meeting, now_list: SpeakersList, now: dt.datetime
        ) -> tuple[SpeakersList, EventBody]:
            new = rules.end_turn(now_list, now)
            done = new.spoken[-1]
            return new, TurnEnded(
                item=new.item, organisation=done.organisation, seconds=done.seconds()
            )

        return self._change(actor, meeting_id, Action.RUN_SPEAKERS_LIST, change)

    def close_speakers_list(self, actor: Principal, meeting_id: MeetingId) -> SpeakersList:
        """Close the list to new requests (the chair); those waiting keep their turn."""

        def change(
            meeting: Meeting, now_list: SpeakersList, now: dt.datetime
        ) -> tuple[SpeakersList, EventBody]:
            new = rules.close_list(now_list)
            return new, SpeakersListClosed(item=new.item)

        return self._change(actor, meeting_id, Action.RUN_SPEAKERS_LIST, change)

    def reopen_speakers_list(self, actor: Principal, meeting_id: MeetingId) -> SpeakersList:
        """Reopen a closed list (the chair)."""

        def change(
            meeting: Meeting, now_list: SpeakersList, now: dt.datetime
        ) -> tuple[SpeakersList, EventBody]:
            new = rules.reopen_list(now_list)
            return new, SpeakersListReopened(item=new.item)

        return self._change(actor, meeting_id, Action.RUN_SPEAKERS_LIST, change)

    # -- shared --------------------------------------------------------------------------------

    def _item(self, repo: Repository, meeting_id: MeetingId) -> str:
        return rules.item_key(repo.get_agenda(meeting_id) or AgendaItem())

    def _speaker_org(self, meeting: Meeting, actor: Principal) -> OrgId:
        if isinstance(actor, Console) or actor.organisation is None:
            raise NotPermitted(
                "the floor is asked for an organisation: act as one of its delegates",
                actor=actor.id,
                action=Action.REQUEST_FLOOR.value,
            )
        org = meeting.organisation(actor.organisation)
        if org is None or org.observer:
            raise NotPermitted(
                f"{actor.organisation} observes this meeting and cannot ask for the floor",
                actor=actor.id,
                action=Action.REQUEST_FLOOR.value,
            )
        return org.id

    def _change(
        self, actor: Principal, meeting_id: MeetingId, action: Action, change: Change
    ) -> SpeakersList:
        now = self._ctx.clock()
        with self._ctx.store.transaction() as uow:
            repo = uow.repo
            repo.lock_meeting(meeting_id)
            meeting = self._ctx.meeting(repo, meeting_id)
            self._ctx.member(meeting, actor, action)
            key = self._item(repo, meeting_id)
            current = repo.get_speakers(meeting_id, key) or SpeakersList(item=key)
            new, event = change(meeting, current, now)
            repo.put_speakers(meeting_id, new)
            self._ctx.append(repo, meeting_id, actor, now, event)
            uow.commit()
        return new

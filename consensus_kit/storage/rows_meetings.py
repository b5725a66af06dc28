"""Rows of meetings, delegates, access codes, versions and events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import msgspec
from sqlalchemy import bindparam, delete, insert, select, update

from consensus_kit.domain.agenda import AgendaItem
from consensus_kit.domain.events import Event
from consensus_kit.domain.ids import DelegateId, MeetingId
from consensus_kit.domain.model import (
    Meeting,
)
from consensus_kit.domain.speakers import SpeakersList
from consensus_kit.storage.codec import (
    _agenda,
    _body,
    _dumps,
    _head,
    _Rows,
    _speakers,
    decode_time,
    encode_time,
)
from consensus_kit.storage.rows_admin import (
    delegate_of,
    delegate_row,
    organisation_of,
    organisation_row,
)
from consensus_kit.storage.tables import (
    agenda,
    delegates,
    events,
    meetings,
    organisations,
    pending_codes,
    speakers,
)

__all__ = ["MeetingRows"]

# Statements on the path of every change, built once: building a statement costs more than
# running it (SQLAlchemy still caches their compiled form either way).
_LOCK = select(meetings.c.revision).where(meetings.c.id == bindparam("meeting_id"))
_LOCK_FOR_UPDATE = _LOCK.with_for_update()
_LAST_EVENT = (
    select(events)
    .where(events.c.meeting_id == bindparam("meeting_id"))
    .order_by(events.c.seq.desc())
    .limit(1)
)
_ADD_EVENT = insert(events)


class MeetingRows(_Rows):
    """Rows of meetings, delegates, access codes, versions and events."""

    # -- meetings -----------------------------------------------------------------------------

    def lock_meeting(self, meeting_id: MeetingId) -> bool:
        query = _LOCK_FOR_UPDATE if self.c.dialect.name == "postgresql" else _LOCK
        row = self.c.execute(query, {"meeting_id": meeting_id}).first()
        if row is None:
            return False
        self.revisions[meeting_id] = row.revision  # read under the lock: current
        return True

    def meeting_ids(self) -> list[MeetingId]:
        rows = self.c.execute(select(meetings.c.id).order_by(meetings.c.created_at, meetings.c.id))
        return [MeetingId(r.id) for r in rows]

    def get_meeting(self, meeting_id: MeetingId) -> Meeting | None:
        row = self.c.execute(select(meetings.c.head).where(meetings.c.id == meeting_id)).first()
        if row is None:
            return None
        head = _head.decode(row.head)
        orgs = self.c.execute(
            select(organisations)
            .where(organisations.c.meeting_id == meeting_id)
            .order_by(organisations.c.position)
        )
        people = self.c.execute(
            select(delegates)
            .where(delegates.c.meeting_id == meeting_id)
            .order_by(delegates.c.position)
        )
        return msgspec.structs.replace(
            head,
            organisations=tuple(organisation_of(o) for o in orgs),
            delegates=tuple(delegate_of(d) for d in people),
        )

    def add_meeting(self, meeting: Meeting, created_at: dt.datetime) -> None:
        head = msgspec.structs.replace(meeting, organisations=(), delegates=())
        self.c.execute(
            insert(meetings).values(
                id=meeting.id, head=_dumps(head), created_at=encode_time(created_at)
            )
        )
        if meeting.organisations:
            self.c.execute(
                insert(organisations),
                [organisation_row(meeting.id, o, i) for i, o in enumerate(meeting.organisations)],
            )
        if meeting.delegates:
            self.c.execute(
                insert(delegates),
                [
                    {**delegate_row(meeting.id, d, i), "code_hash": None}
                    for i, d in enumerate(meeting.delegates)
                ],
            )

    # -- access codes -------------------------------------------------------------------------

    def set_code_hashes(self, meeting_id: MeetingId, hashes: Mapping[DelegateId, str]) -> None:
        for delegate_id, code_hash in hashes.items():
            self.c.execute(
                update(delegates)
                .where(delegates.c.meeting_id == meeting_id, delegates.c.id == delegate_id)
                .values(code_hash=code_hash)
            )

    def find_code_hash(self, code_hash: str) -> tuple[MeetingId, DelegateId] | None:
        row = self.c.execute(
            select(delegates.c.meeting_id, delegates.c.id).where(delegates.c.code_hash == code_hash)
        ).first()
        return (MeetingId(row.meeting_id), DelegateId(row.id)) if row else None

    def put_pending_codes(self, meeting_id: MeetingId, codes: Mapping[DelegateId, str]) -> None:
        self.c.execute(
            delete(pending_codes).where(
                pending_codes.c.meeting_id == meeting_id,
                pending_codes.c.delegate_id.in_(list(codes)),
            )
        )
        if codes:
            self.c.execute(
                insert(pending_codes),
                [{"meeting_id": meeting_id, "delegate_id": d, "code": c} for d, c in codes.items()],
            )

    def take_pending_codes(self, meeting_id: MeetingId) -> dict[DelegateId, str]:
        rows = self.c.execute(
            select(pending_codes.c.delegate_id, pending_codes.c.code, delegates.c.position)
            .join(
                delegates,
                (delegates.c.meeting_id == pending_codes.c.meeting_id)
                & (delegates.c.id == pending_codes.c.delegate_id),
            )
            .where(pending_codes.c.meeting_id == meeting_id)
            .order_by(delegates.c.position)
        ).all()
        self.c.execute(delete(pending_codes).where(pending_codes.c.meeting_id == meeting_id))
        return {DelegateId(r.delegate_id): r.code for r in rows}

    # -- events -------------------------------------------------------------------------------

    def _event(self, row: Any) -> Event:
        return Event(
            meeting=MeetingId(row.meeting_id),
            seq=row.seq,
            actor=row.actor,
            at=decode_time(row.at),
            body=_body.decode(row.body),
            prev_hash=row.prev_hash,
            hash=row.hash,
        )

    def get_agenda(self, meeting_id: MeetingId) -> AgendaItem | None:
        row = self.c.execute(select(agenda.c.doc).where(agenda.c.meeting_id == meeting_id)).first()
        return _agenda.decode(row.doc) if row else None

    def set_agenda(self, meeting_id: MeetingId, item: AgendaItem) -> None:
        if self.c.execute(
            update(agenda).where(agenda.c.meeting_id == meeting_id).values(doc=_dumps(item))
        ).rowcount:
            return
        self.c.execute(insert(agenda).values(meeting_id=meeting_id, doc=_dumps(item)))

    def get_speakers(self, meeting_id: MeetingId, item: str) -> SpeakersList | None:
        row = self.c.execute(
            select(speakers.c.doc).where(
                speakers.c.meeting_id == meeting_id, speakers.c.item == item
            )
        ).first()
        return _speakers.decode(row.doc) if row else None

    def put_speakers(self, meeting_id: MeetingId, value: SpeakersList) -> None:
        where = (speakers.c.meeting_id == meeting_id, speakers.c.item == value.item)
        if self.c.execute(update(speakers).where(*where).values(doc=_dumps(value))).rowcount:
            return
        self.c.execute(
            insert(speakers).values(meeting_id=meeting_id, item=value.item, doc=_dumps(value))
        )

    def last_event(self, meeting_id: MeetingId) -> Event | None:
        appended: Event | None = self.appended.get(meeting_id)
        if appended is not None:
            return appended
        row = self.c.execute(_LAST_EVENT, {"meeting_id": meeting_id}).first()
        return self._event(row) if row else None

    def add_event(self, event: Event) -> None:
        self._write(
            _ADD_EVENT,
            {
                "meeting_id": event.meeting,
                "seq": event.seq,
                "type": event.type,
                "actor": event.actor,
                "at": encode_time(event.at),
                "body": _dumps(event.body),
                "prev_hash": event.prev_hash,
                "hash": event.hash,
            },
        )
        self.appended[event.meeting] = event

    def events_of(self, meeting_id: MeetingId, types: list[str]) -> list[Event]:
        query = (
            select(events)
            .where(events.c.meeting_id == meeting_id, events.c.type.in_(types))
            .order_by(events.c.seq)
        )
        return [self._event(r) for r in self.c.execute(query)]

    def events_after(self, meeting_id: MeetingId, after: int, limit: int | None) -> list[Event]:
        query = (
            select(events)
            .where(events.c.meeting_id == meeting_id, events.c.seq > after)
            .order_by(events.c.seq)
        )
        if limit is not None:
            query = query.limit(limit)
        return [self._event(r) for r in self.c.execute(query)]

"""Row ↔ struct mapping: the SQL behind the service's :class:`Repository` port. No rules here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import msgspec
from sqlalchemy import Connection, delete, func, insert, select, update

from consensus_kit.domain.amendments import Amendment, AmendmentStatus
from consensus_kit.domain.comments import Comment, CommentTarget
from consensus_kit.domain.endorsements import Endorsement
from consensus_kit.domain.events import Event, EventBody
from consensus_kit.domain.ids import DelegateId, Lang, MeetingId, OrgId
from consensus_kit.domain.model import (
    Declaration,
    Delegate,
    Meeting,
    Organisation,
    Role,
    Version,
    VersionState,
)
from consensus_kit.domain.voting import Ballot, Choice, Vote, VoteState
from consensus_kit.service.ports import StoredVersion, VersionSummary
from consensus_kit.storage.tables import (
    amendments,
    ballot_history,
    ballots,
    comments,
    delegates,
    endorsements,
    events,
    meeting_keys,
    meetings,
    organisation_keys,
    organisations,
    pending_codes,
    signing_closures,
    versions,
    votes,
)

__all__ = ["SqlRepository", "decode_time", "encode_time"]

_json = msgspec.json.Encoder()
_texts = msgspec.json.Decoder(dict[Lang, str])
_body = msgspec.json.Decoder(EventBody)
_declaration = msgspec.json.Decoder(Declaration)
_head = msgspec.json.Decoder(Meeting)
_roles = msgspec.json.Decoder(list[Role])
_amendment = msgspec.json.Decoder(Amendment)
_comment = msgspec.json.Decoder(Comment)
_vote = msgspec.json.Decoder(Vote)
_endorsement = msgspec.json.Decoder(Endorsement)


def encode_time(value: dt.datetime) -> str:
    """A UTC time as fixed-width ISO 8601 text (sorts and round-trips exactly)."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def decode_time(value: str) -> dt.datetime:
    """The inverse of :func:`encode_time`."""
    return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)


def _dumps(value: Any) -> str:
    return _json.encode(value).decode()


class SqlRepository:
    """The repository of one unit of work, over one SQLAlchemy connection."""

    def __init__(self, connection: Connection) -> None:
        self.c = connection

    # -- meetings -----------------------------------------------------------------------------

    def lock_meeting(self, meeting_id: MeetingId) -> bool:
        query = select(meetings.c.id).where(meetings.c.id == meeting_id)
        if self.c.dialect.name == "postgresql":
            query = query.with_for_update()
        return self.c.execute(query).first() is not None

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
            organisations=tuple(
                Organisation(
                    id=OrgId(o.id),
                    name=_texts.decode(o.name),
                    country=o.country,
                    region=o.region,
                    observer=bool(o.observer),
                    weight=o.weight,
                )
                for o in orgs
            ),
            delegates=tuple(
                Delegate(
                    id=DelegateId(d.id),
                    name=d.name,
                    organisation=OrgId(d.organisation_id) if d.organisation_id else None,
                    roles=frozenset(_roles.decode(d.roles)),
                    title=d.title,
                )
                for d in people
            ),
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
                [
                    {
                        "meeting_id": meeting.id,
                        "id": o.id,
                        "position": i,
                        "name": _dumps(o.name),
                        "country": o.country,
                        "region": o.region,
                        "observer": o.observer,
                        "weight": o.weight,
                    }
                    for i, o in enumerate(meeting.organisations)
                ],
            )
        if meeting.delegates:
            self.c.execute(
                insert(delegates),
                [
                    {
                        "meeting_id": meeting.id,
                        "id": d.id,
                        "position": i,
                        "name": d.name,
                        "organisation_id": d.organisation,
                        "roles": _dumps(sorted(d.roles)),
                        "title": d.title,
                        "code_hash": None,
                    }
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

    # -- versions -----------------------------------------------------------------------------

    def add_version(self, version: Version) -> None:
        self.c.execute(
            insert(versions).values(
                meeting_id=version.meeting,
                number=version.number,
                parent=version.parent,
                state=version.state.value,
                declaration=_dumps(version.declaration),
                content_hash=version.content_hash,
                created_by=version.created_by,
                created_at=encode_time(version.created_at),
                note=version.note,
                frozen_at=encode_time(version.frozen_at) if version.frozen_at else None,
                frozen_by=version.frozen_by,
            )
        )

    def get_version(self, meeting_id: MeetingId, number: int) -> Version | None:
        row = self.c.execute(
            select(versions).where(versions.c.meeting_id == meeting_id, versions.c.number == number)
        ).first()
        if row is None:
            return None
        return Version(
            meeting=meeting_id,
            number=row.number,
            declaration=_declaration.decode(row.declaration),
            content_hash=row.content_hash,
            parent=row.parent,
            created_by=row.created_by,
            created_at=decode_time(row.created_at),
            note=row.note,
            state=VersionState(row.state),
            frozen_at=decode_time(row.frozen_at) if row.frozen_at else None,
            frozen_by=row.frozen_by,
        )

    def latest_version_number(self, meeting_id: MeetingId) -> int | None:
        value = self.c.execute(
            select(func.max(versions.c.number)).where(versions.c.meeting_id == meeting_id)
        ).scalar()
        return int(value) if value is not None else None

    def _summary(self, row: Any) -> VersionSummary:
        return VersionSummary(
            number=row.number,
            parent=row.parent,
            state=VersionState(row.state),
            content_hash=row.content_hash,
            created_by=row.created_by,
            created_at=decode_time(row.created_at),
            note=row.note,
        )

    def list_versions(self, meeting_id: MeetingId) -> list[VersionSummary]:
        cols = [c for c in versions.c if c.name != "declaration"]
        rows = self.c.execute(
            select(*cols).where(versions.c.meeting_id == meeting_id).order_by(versions.c.number)
        )
        return [self._summary(r) for r in rows]

    def stored_versions(self, meeting_id: MeetingId) -> list[StoredVersion]:
        rows = self.c.execute(
            select(versions).where(versions.c.meeting_id == meeting_id).order_by(versions.c.number)
        )
        return [
            StoredVersion(summary=self._summary(r), declaration_json=r.declaration.encode())
            for r in rows
        ]

    def mark_frozen(
        self, meeting_id: MeetingId, number: int, frozen_at: dt.datetime, frozen_by: str
    ) -> None:
        self.c.execute(
            update(versions)
            .where(versions.c.meeting_id == meeting_id, versions.c.number == number)
            .values(
                state=VersionState.FROZEN.value,
                frozen_at=encode_time(frozen_at),
                frozen_by=frozen_by,
            )
        )

    # -- amendments ---------------------------------------------------------------------------

    def next_amendment_number(self, meeting_id: MeetingId) -> int:
        value = self.c.execute(
            select(func.max(amendments.c.number)).where(amendments.c.meeting_id == meeting_id)
        ).scalar()
        return int(value or 0) + 1

    def add_amendment(self, amendment: Amendment) -> None:
        self.c.execute(
            insert(amendments).values(
                meeting_id=amendment.meeting,
                number=amendment.number,
                status=amendment.status.value,
                article_id=amendment.article,
                doc=_dumps(amendment),
            )
        )

    def save_amendment(self, amendment: Amendment) -> None:
        self.c.execute(
            update(amendments)
            .where(
                amendments.c.meeting_id == amendment.meeting,
                amendments.c.number == amendment.number,
            )
            .values(
                status=amendment.status.value, article_id=amendment.article, doc=_dumps(amendment)
            )
        )

    def get_amendment(self, meeting_id: MeetingId, number: int) -> Amendment | None:
        row = self.c.execute(
            select(amendments.c.doc).where(
                amendments.c.meeting_id == meeting_id, amendments.c.number == number
            )
        ).first()
        return _amendment.decode(row.doc) if row else None

    def list_amendments(
        self,
        meeting_id: MeetingId,
        *,
        statuses: frozenset[AmendmentStatus] | None = None,
        article: str | None = None,
    ) -> list[Amendment]:
        query = select(amendments.c.doc).where(amendments.c.meeting_id == meeting_id)
        if statuses is not None:
            query = query.where(amendments.c.status.in_(sorted(s.value for s in statuses)))
        if article is not None:
            query = query.where(amendments.c.article_id == article)
        rows = self.c.execute(query.order_by(amendments.c.number))
        return [_amendment.decode(r.doc) for r in rows]

    # -- comments -----------------------------------------------------------------------------

    def next_comment_id(self, meeting_id: MeetingId) -> int:
        value = self.c.execute(
            select(func.max(comments.c.id)).where(comments.c.meeting_id == meeting_id)
        ).scalar()
        return int(value or 0) + 1

    def add_comment(self, comment: Comment) -> None:
        self.c.execute(
            insert(comments).values(
                meeting_id=comment.meeting,
                id=comment.id,
                target=comment.target.value,
                target_id=comment.target_id,
                doc=_dumps(comment),
            )
        )

    def save_comment(self, comment: Comment) -> None:
        self.c.execute(
            update(comments)
            .where(comments.c.meeting_id == comment.meeting, comments.c.id == comment.id)
            .values(doc=_dumps(comment))
        )

    def get_comment(self, meeting_id: MeetingId, comment_id: int) -> Comment | None:
        row = self.c.execute(
            select(comments.c.doc).where(
                comments.c.meeting_id == meeting_id, comments.c.id == comment_id
            )
        ).first()
        return _comment.decode(row.doc) if row else None

    def list_comments(
        self, meeting_id: MeetingId, target: CommentTarget, target_id: str
    ) -> list[Comment]:
        rows = self.c.execute(
            select(comments.c.doc)
            .where(
                comments.c.meeting_id == meeting_id,
                comments.c.target == target.value,
                comments.c.target_id == target_id,
            )
            .order_by(comments.c.id)
        )
        return [_comment.decode(r.doc) for r in rows]

    # -- votes and ballots --------------------------------------------------------------------

    def next_vote_number(self, meeting_id: MeetingId) -> int:
        value = self.c.execute(
            select(func.max(votes.c.number)).where(votes.c.meeting_id == meeting_id)
        ).scalar()
        return int(value or 0) + 1

    def add_vote(self, vote: Vote) -> None:
        self.c.execute(
            insert(votes).values(
                meeting_id=vote.meeting,
                number=vote.number,
                state=vote.state.value,
                amendment=vote.amendment,
                doc=_dumps(vote),
            )
        )

    def save_vote(self, vote: Vote) -> None:
        self.c.execute(
            update(votes)
            .where(votes.c.meeting_id == vote.meeting, votes.c.number == vote.number)
            .values(state=vote.state.value, doc=_dumps(vote))
        )

    def get_vote(self, meeting_id: MeetingId, number: int) -> Vote | None:
        row = self.c.execute(
            select(votes.c.doc).where(votes.c.meeting_id == meeting_id, votes.c.number == number)
        ).first()
        return _vote.decode(row.doc) if row else None

    def list_votes(self, meeting_id: MeetingId, *, open_only: bool = False) -> list[Vote]:
        query = select(votes.c.doc).where(votes.c.meeting_id == meeting_id)
        if open_only:
            query = query.where(votes.c.state == VoteState.OPEN.value)
        return [_vote.decode(r.doc) for r in self.c.execute(query.order_by(votes.c.number))]

    def _ballot(self, meeting_id: MeetingId, row: Any) -> Ballot:
        return Ballot(
            meeting=meeting_id,
            vote=row.vote,
            organisation=OrgId(row.organisation),
            choice=Choice(row.choice),
            delegate=DelegateId(row.delegate),
            cast_at=decode_time(row.cast_at),
            seq=row.seq,
            key=row.key,
            nonce=row.nonce,
            receipt=row.receipt,
        )

    def ballot_by_key(self, meeting_id: MeetingId, vote: int, key: str) -> Ballot | None:
        row = self.c.execute(
            select(ballot_history).where(
                ballot_history.c.meeting_id == meeting_id,
                ballot_history.c.vote == vote,
                ballot_history.c.key == key,
            )
        ).first()
        return self._ballot(meeting_id, row) if row else None

    def put_ballot(self, ballot: Ballot) -> None:
        values = {
            "meeting_id": ballot.meeting,
            "vote": ballot.vote,
            "organisation": ballot.organisation,
            "choice": ballot.choice.value,
            "delegate": ballot.delegate,
            "seq": ballot.seq,
            "cast_at": encode_time(ballot.cast_at),
            "key": ballot.key,
            "nonce": ballot.nonce,
            "receipt": ballot.receipt,
        }
        self.c.execute(insert(ballot_history).values(**values))
        replaced = self.c.execute(
            update(ballots)
            .where(
                ballots.c.meeting_id == ballot.meeting,
                ballots.c.vote == ballot.vote,
                ballots.c.organisation == ballot.organisation,
            )
            .values(**values)
        ).rowcount
        if not replaced:
            self.c.execute(insert(ballots).values(**values))

    def current_ballots(self, meeting_id: MeetingId, vote: int) -> list[Ballot]:
        rows = self.c.execute(
            select(ballots)
            .where(ballots.c.meeting_id == meeting_id, ballots.c.vote == vote)
            .order_by(ballots.c.seq)
        )
        return [self._ballot(meeting_id, r) for r in rows]

    def ballot_history(self, meeting_id: MeetingId, vote: int) -> list[Ballot]:
        rows = self.c.execute(
            select(ballot_history)
            .where(ballot_history.c.meeting_id == meeting_id, ballot_history.c.vote == vote)
            .order_by(ballot_history.c.seq)
        )
        return [self._ballot(meeting_id, r) for r in rows]

    # -- endorsements and keys ------------------------------------------------------------------

    def get_endorsement(
        self, meeting_id: MeetingId, version: int, organisation: str
    ) -> Endorsement | None:
        row = self.c.execute(
            select(endorsements.c.doc).where(
                endorsements.c.meeting_id == meeting_id,
                endorsements.c.version == version,
                endorsements.c.organisation == organisation,
            )
        ).first()
        return _endorsement.decode(row.doc) if row else None

    def put_endorsement(self, endorsement: Endorsement) -> None:
        key = (
            (endorsements.c.meeting_id == endorsement.meeting)
            & (endorsements.c.version == endorsement.version)
            & (endorsements.c.organisation == endorsement.organisation)
        )
        if self.c.execute(update(endorsements).where(key).values(doc=_dumps(endorsement))).rowcount:
            return
        self.c.execute(
            insert(endorsements).values(
                meeting_id=endorsement.meeting,
                version=endorsement.version,
                organisation=endorsement.organisation,
                doc=_dumps(endorsement),
            )
        )

    def list_endorsements(
        self, meeting_id: MeetingId, version: int | None = None
    ) -> list[Endorsement]:
        query = select(endorsements.c.doc).where(endorsements.c.meeting_id == meeting_id)
        if version is not None:
            query = query.where(endorsements.c.version == version)
        rows = self.c.execute(query.order_by(endorsements.c.version, endorsements.c.organisation))
        return [_endorsement.decode(r.doc) for r in rows]

    def signing_closed(self, meeting_id: MeetingId, version: int) -> bool:
        row = self.c.execute(
            select(signing_closures.c.version).where(
                signing_closures.c.meeting_id == meeting_id, signing_closures.c.version == version
            )
        ).first()
        return row is not None

    def close_signing(self, meeting_id: MeetingId, version: int, at: dt.datetime, by: str) -> None:
        self.c.execute(
            insert(signing_closures).values(
                meeting_id=meeting_id, version=version, closed_at=encode_time(at), closed_by=by
            )
        )

    def meeting_key(self, meeting_id: MeetingId) -> tuple[str, str] | None:
        row = self.c.execute(
            select(meeting_keys).where(meeting_keys.c.meeting_id == meeting_id)
        ).first()
        return (row.private_key, row.public_key) if row else None

    def set_meeting_key(self, meeting_id: MeetingId, private_pem: str, public_pem: str) -> None:
        self.c.execute(
            insert(meeting_keys).values(
                meeting_id=meeting_id, private_key=private_pem, public_key=public_pem
            )
        )

    def organisation_key(self, meeting_id: MeetingId, organisation: str) -> str | None:
        row = self.c.execute(
            select(organisation_keys.c.public_key).where(
                organisation_keys.c.meeting_id == meeting_id,
                organisation_keys.c.organisation == organisation,
            )
        ).first()
        return row.public_key if row else None

    def set_organisation_key(
        self, meeting_id: MeetingId, organisation: str, public_pem: str
    ) -> None:
        key = (organisation_keys.c.meeting_id == meeting_id) & (
            organisation_keys.c.organisation == organisation
        )
        if self.c.execute(
            update(organisation_keys).where(key).values(public_key=public_pem)
        ).rowcount:
            return
        self.c.execute(
            insert(organisation_keys).values(
                meeting_id=meeting_id, organisation=organisation, public_key=public_pem
            )
        )

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

    def last_event(self, meeting_id: MeetingId) -> Event | None:
        row = self.c.execute(
            select(events)
            .where(events.c.meeting_id == meeting_id)
            .order_by(events.c.seq.desc())
            .limit(1)
        ).first()
        return self._event(row) if row else None

    def add_event(self, event: Event) -> None:
        self.c.execute(
            insert(events).values(
                meeting_id=event.meeting,
                seq=event.seq,
                type=event.type,
                actor=event.actor,
                at=encode_time(event.at),
                body=_dumps(event.body),
                prev_hash=event.prev_hash,
                hash=event.hash,
            )
        )

    def events_after(self, meeting_id: MeetingId, after: int, limit: int | None) -> list[Event]:
        query = (
            select(events)
            .where(events.c.meeting_id == meeting_id, events.c.seq > after)
            .order_by(events.c.seq)
        )
        if limit is not None:
            query = query.limit(limit)
        return [self._event(r) for r in self.c.execute(query)]

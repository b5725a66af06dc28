"""Rows of votes, ballots, endorsements and signing keys."""

from __future__ import annotations

import datetime as dt
import functools
import importlib
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update

from consensus_kit.domain.endorsements import Endorsement
from consensus_kit.domain.ids import DelegateId, MeetingId, OrgId
from consensus_kit.domain.voting import Ballot, Choice, Vote, VoteState
from consensus_kit.storage.codec import (
    _dumps,
    _endorsement,
    _Rows,
    _vote,
    decode_time,
    encode_time,
)
from consensus_kit.storage.tables import (
    ballot_history,
    ballots,
    endorsements,
    meeting_keys,
    organisation_keys,
    signing_closures,
    votes,
)

__all__ = ["VotingRows"]

# The statements of a ballot, built once (building one cost more than running it)
_GET_VOTE = select(votes.c.doc).where(
    votes.c.meeting_id == bindparam("meeting_id"), votes.c.number == bindparam("number")
)
_BALLOT_BY_KEY = select(ballot_history).where(
    ballot_history.c.meeting_id == bindparam("meeting_id"),
    ballot_history.c.vote == bindparam("vote"),
    ballot_history.c.organisation == bindparam("organisation"),
    ballot_history.c.key == bindparam("key"),
)
_BALLOTS_BY_KEYS = select(ballot_history).where(
    ballot_history.c.meeting_id == bindparam("meeting_id"),
    ballot_history.c.vote == bindparam("vote"),
    ballot_history.c.key.in_(bindparam("keys", expanding=True)),
)
_ADD_HISTORY = insert(ballot_history)
_KEY = ("meeting_id", "vote", "organisation")


def _upsert(dialect: Any) -> Any:
    """Insert the organisation's current ballot, or replace it: one statement."""
    statement = dialect.insert(ballots)
    return statement.on_conflict_do_update(
        index_elements=[ballots.c[k] for k in _KEY],
        set_={c.name: statement.excluded[c.name] for c in ballots.c if c.name not in _KEY},
    )


@functools.cache
def _put_ballot(dialect: str) -> Any:
    """:func:`_upsert` for the database's dialect, built once (importing the dialect that the
    database does not use cost every command ~30 ms at start-up)."""
    return _upsert(importlib.import_module(f"sqlalchemy.dialects.{dialect}"))


class VotingRows(_Rows):
    """Rows of votes, ballots, endorsements and signing keys."""

    # -- votes and ballots --------------------------------------------------------------------

    def next_vote_number(self, meeting_id: MeetingId) -> int:
        value = self.c.execute(
            select(func.max(votes.c.number)).where(votes.c.meeting_id == meeting_id)
        ).scalar()
        return int(value or 0) + 1

    def add_vote(self, vote: Vote) -> None:
        self.votes_seen[(vote.meeting, vote.number)] = vote
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
        self.votes_seen[(vote.meeting, vote.number)] = vote
        self.c.execute(
            update(votes)
            .where(votes.c.meeting_id == vote.meeting, votes.c.number == vote.number)
            .values(state=vote.state.value, doc=_dumps(vote))
        )

    def get_vote(self, meeting_id: MeetingId, number: int) -> Vote | None:
        seen: Vote | None = self.votes_seen.get((meeting_id, number))
        if seen is not None:
            return seen
        row = self.c.execute(_GET_VOTE, {"meeting_id": meeting_id, "number": number}).first()
        if row is None:
            return None
        vote: Vote = _vote.decode(row.doc)
        self.votes_seen[(meeting_id, number)] = vote
        return vote

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

    def ballot_by_key(
        self, meeting_id: MeetingId, vote: int, organisation: OrgId, key: str
    ) -> Ballot | None:
        seen_as = (meeting_id, vote, organisation, key)
        if seen_as in self.keys_seen:
            seen: Ballot | None = self.keys_seen[seen_as]
            return seen
        row = self.c.execute(
            _BALLOT_BY_KEY,
            {"meeting_id": meeting_id, "vote": vote, "organisation": organisation, "key": key},
        ).first()
        found = self.keys_seen[seen_as] = self._ballot(meeting_id, row) if row else None
        return found

    def look_up_keys(self, meeting_id: MeetingId, vote: int, keys: set[tuple[OrgId, str]]) -> None:
        """Read the ballots of all (organisation, key) pairs at once: :meth:`ballot_by_key`
        answers from memory."""
        wanted = [k for k in keys if (meeting_id, vote, *k) not in self.keys_seen]
        if not wanted:
            return
        rows = self.c.execute(
            _BALLOTS_BY_KEYS,
            {"meeting_id": meeting_id, "vote": vote, "keys": sorted({k for _, k in wanted})},
        )
        for organisation, key in wanted:
            self.keys_seen[(meeting_id, vote, organisation, key)] = None
        for row in rows:
            seen_as = (meeting_id, vote, row.organisation, row.key)
            if seen_as in self.keys_seen:  # another organisation's key of the same name is not
                self.keys_seen[seen_as] = self._ballot(meeting_id, row)  # this one's business

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
        self._write(_ADD_HISTORY, values)
        self._write(_put_ballot(self.c.dialect.name), values)
        self.keys_seen[(ballot.meeting, ballot.vote, ballot.organisation, ballot.key)] = ballot

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

    def reopen_signing(self, meeting_id: MeetingId, version: int) -> None:
        self.c.execute(
            delete(signing_closures).where(
                signing_closures.c.meeting_id == meeting_id, signing_closures.c.version == version
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

"""What the service layer needs from storage, as protocols (storage implements them).

The service never imports SQLAlchemy: it asks a :class:`Store` for a unit of work and talks to
its :class:`Repository`. A unit of work rolls back unless ``commit()`` is called.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from typing import Protocol

import msgspec

from consensus_kit.domain.agenda import AgendaItem
from consensus_kit.domain.amendments import Amendment, AmendmentStatus
from consensus_kit.domain.comments import Comment, CommentTarget
from consensus_kit.domain.diff import DiffOp
from consensus_kit.domain.endorsements import Endorsement
from consensus_kit.domain.events import Event
from consensus_kit.domain.ids import DelegateId, Lang, MeetingId, OrgId
from consensus_kit.domain.model import (
    Declaration,
    Delegate,
    Meeting,
    Organisation,
    Version,
    VersionState,
)
from consensus_kit.domain.speakers import SpeakersList
from consensus_kit.domain.voting import Ballot, Vote

__all__ = ["Repository", "Store", "StoredVersion", "UnitOfWork", "VersionSummary"]


class VersionSummary(msgspec.Struct, frozen=True, kw_only=True):
    """A version without its texts, for listings."""

    number: int
    parent: int | None
    state: VersionState
    content_hash: str
    created_by: str
    created_at: dt.datetime
    note: str
    hash_format: int = 1


class StoredVersion(msgspec.Struct, frozen=True, kw_only=True):
    """A version as stored, unchecked: its stored hash and its texts as read back (``None``,
    with ``unreadable`` saying why, when they cannot be read)."""

    summary: VersionSummary
    declaration: Declaration | None
    unreadable: str = ""


class Repository(Protocol):
    """Reads and writes of one unit of work."""

    def lock_meeting(self, meeting_id: MeetingId) -> bool:
        """Serialise writers of one meeting; ``False`` when the meeting does not exist."""
        ...

    def meeting_ids(self) -> list[MeetingId]: ...
    def get_meeting(self, meeting_id: MeetingId) -> Meeting | None: ...
    def add_meeting(self, meeting: Meeting, created_at: dt.datetime) -> None: ...
    def meeting_revisions(self, meeting_ids: list[MeetingId]) -> dict[MeetingId, int]:
        """:meth:`meeting_revision` of several meetings in one statement (absent: no such
        meeting); later calls to :meth:`meeting_revision` for them read nothing."""
        ...

    def meeting_revision(self, meeting_id: MeetingId) -> int | None:
        """How many times the meeting's organisations and delegates changed since loading
        (``None``: no such meeting); read once per unit of work."""
        ...

    def bump_revision(self, meeting_id: MeetingId) -> int:
        """Count one more change to the meeting; the new revision."""
        ...

    def put_organisation(self, meeting_id: MeetingId, organisation: Organisation) -> None:
        """Store an organisation: replace the one with its id, or add it at the end."""
        ...

    def put_delegate(self, meeting_id: MeetingId, delegate: Delegate) -> None:
        """Store a delegate (not their code): replace the one with its id, or add it."""
        ...

    def clear_code_hash(self, meeting_id: MeetingId, delegate_id: DelegateId) -> None:
        """Take a delegate's access code away: no login with it from now on."""
        ...

    def set_code_hashes(self, meeting_id: MeetingId, hashes: Mapping[DelegateId, str]) -> None: ...
    def find_code_hash(self, code_hash: str) -> tuple[MeetingId, DelegateId] | None: ...
    def put_pending_codes(self, meeting_id: MeetingId, codes: Mapping[DelegateId, str]) -> None: ...
    def take_pending_codes(self, meeting_id: MeetingId) -> dict[DelegateId, str]: ...
    def code_hashes_of(
        self, meeting_id: MeetingId, delegate_ids: list[DelegateId]
    ) -> dict[DelegateId, str | None]:
        """The current code hash of each of ``delegate_ids`` (absent: no such delegate)."""
        ...

    def add_login_attempt(self, keys: list[str], at: dt.datetime, *, failed: bool) -> None: ...
    def login_attempts(
        self, key: str, since: dt.datetime, *, failed_only: bool
    ) -> list[dt.datetime]: ...
    def forget_login_attempts(self, before: dt.datetime) -> None: ...
    def end_login(
        self, meeting_id: MeetingId, delegate_id: DelegateId, login: str, at: dt.datetime
    ) -> None:
        """Record that ``login`` ended (logged out): its cookie or token is refused from now."""
        ...

    def ended_logins(self, meeting_id: MeetingId, logins: list[str]) -> set[str]:
        """Which of ``logins`` have ended."""
        ...

    def code_hashes_in(
        self, wanted: list[tuple[MeetingId, DelegateId]]
    ) -> dict[tuple[MeetingId, DelegateId], str | None]:
        """:meth:`code_hashes_of` for delegates of several meetings, in one statement."""
        ...

    def ended_logins_in(self, logins: list[tuple[MeetingId, str]]) -> set[tuple[MeetingId, str]]:
        """:meth:`ended_logins` for logins of several meetings, in one statement."""
        ...

    def add_version(self, version: Version) -> None: ...
    def get_version(self, meeting_id: MeetingId, number: int) -> Version | None: ...
    def latest_version_number(self, meeting_id: MeetingId) -> int | None: ...
    def list_versions(self, meeting_id: MeetingId) -> list[VersionSummary]: ...
    def stored_versions(self, meeting_id: MeetingId) -> Iterator[StoredVersion]: ...
    def mark_frozen(
        self, meeting_id: MeetingId, number: int, frozen_at: dt.datetime, frozen_by: str
    ) -> None: ...

    def next_amendment_number(self, meeting_id: MeetingId) -> int: ...
    def add_amendment(self, amendment: Amendment) -> None: ...
    def save_amendment(self, amendment: Amendment) -> None: ...
    def get_amendment(self, meeting_id: MeetingId, number: int) -> Amendment | None: ...
    def list_amendments(
        self,
        meeting_id: MeetingId,
        *,
        statuses: frozenset[AmendmentStatus] | None = None,
        article: str | None = None,
    ) -> list[Amendment]: ...
    def stored_diffs(
        self,
        meeting_id: MeetingId,
        *,
        statuses: frozenset[AmendmentStatus] | None = None,
        article: str | None = None,
        number: int | None = None,
    ) -> dict[int, dict[Lang, list[DiffOp]]]:
        """The diffs kept with the amendments that ``list_amendments`` would give (or with
        amendment ``number``), by number; rows written before diffs were stored are missing."""
        ...

    def amendments_with_diffs(
        self,
        meeting_id: MeetingId,
        *,
        statuses: frozenset[AmendmentStatus] | None = None,
        article: str | None = None,
        limit: int | None = None,
    ) -> list[tuple[Amendment, dict[Lang, list[DiffOp]] | None]]:
        """``list_amendments`` (its first ``limit``) with each one's stored diffs (``None`` for
        a row written before diffs were stored), read in one pass."""
        ...

    def count_amendments(
        self,
        meeting_id: MeetingId,
        *,
        statuses: frozenset[AmendmentStatus] | None = None,
        article: str | None = None,
    ) -> int:
        """How many amendments ``list_amendments`` would give, counted without reading them."""
        ...

    def next_comment_id(self, meeting_id: MeetingId) -> int: ...
    def add_comment(self, comment: Comment) -> None: ...
    def save_comment(self, comment: Comment) -> None: ...
    def get_comment(self, meeting_id: MeetingId, comment_id: int) -> Comment | None: ...
    def list_comments(
        self, meeting_id: MeetingId, target: CommentTarget, target_id: str
    ) -> list[Comment]: ...

    def next_vote_number(self, meeting_id: MeetingId) -> int: ...
    def add_vote(self, vote: Vote) -> None: ...
    def save_vote(self, vote: Vote) -> None: ...
    def get_vote(self, meeting_id: MeetingId, number: int) -> Vote | None: ...
    def list_votes(self, meeting_id: MeetingId, *, open_only: bool = False) -> list[Vote]: ...
    def ballot_by_key(
        self, meeting_id: MeetingId, vote: int, organisation: OrgId, key: str
    ) -> Ballot | None:
        """The ballot ``organisation`` sent with ``key`` (keys are each organisation's own)."""
        ...

    def look_up_keys(self, meeting_id: MeetingId, vote: int, keys: set[tuple[OrgId, str]]) -> None:
        """Read the ballots of all (organisation, key) pairs in one go (later ``ballot_by_key``
        calls are free)."""
        ...

    def defer_writes(self) -> None:
        """Keep new events and ballots in memory until the unit of work commits."""
        ...

    def put_ballot(self, ballot: Ballot) -> None:
        """Record an accepted ballot in the history and make it its organisation's current one."""
        ...

    def current_ballots(self, meeting_id: MeetingId, vote: int) -> list[Ballot]: ...
    def ballot_history(self, meeting_id: MeetingId, vote: int) -> list[Ballot]: ...

    def get_endorsement(
        self, meeting_id: MeetingId, version: int, organisation: str
    ) -> Endorsement | None: ...
    def put_endorsement(self, endorsement: Endorsement) -> None: ...
    def list_endorsements(
        self, meeting_id: MeetingId, version: int | None = None
    ) -> list[Endorsement]: ...
    def signing_closed(self, meeting_id: MeetingId, version: int) -> bool: ...
    def close_signing(
        self, meeting_id: MeetingId, version: int, at: dt.datetime, by: str
    ) -> None: ...
    def reopen_signing(self, meeting_id: MeetingId, version: int) -> None:
        """Forget the closing of signing of ``version`` (the event log keeps it)."""
        ...

    def meeting_key(self, meeting_id: MeetingId) -> tuple[str, str] | None:
        """The meeting's (private, public) key in PEM, if it has one yet."""
        ...

    def set_meeting_key(self, meeting_id: MeetingId, private_pem: str, public_pem: str) -> None: ...
    def organisation_key(self, meeting_id: MeetingId, organisation: str) -> str | None: ...
    def set_organisation_key(
        self, meeting_id: MeetingId, organisation: str, public_pem: str
    ) -> None: ...

    def get_agenda(self, meeting_id: MeetingId) -> AgendaItem | None: ...
    def set_agenda(self, meeting_id: MeetingId, item: AgendaItem) -> None: ...
    def get_speakers(self, meeting_id: MeetingId, item: str) -> SpeakersList | None: ...
    def put_speakers(self, meeting_id: MeetingId, value: SpeakersList) -> None: ...

    def last_event(self, meeting_id: MeetingId) -> Event | None: ...
    def add_event(self, event: Event) -> None: ...
    def events_after(self, meeting_id: MeetingId, after: int, limit: int | None) -> list[Event]: ...
    def events_of(self, meeting_id: MeetingId, types: list[str]) -> list[Event]:
        """The meeting's events of ``types`` (their tags), in order."""
        ...


class UnitOfWork(AbstractContextManager["UnitOfWork"], Protocol):
    """One transaction: everything done through ``repo`` commits together or not at all."""

    @property
    def repo(self) -> Repository:
        """The repository bound to this unit of work's transaction."""
        ...

    def commit(self) -> None: ...


class Store(Protocol):
    """Where a meeting lives. ``transaction()`` for changes, ``reading()`` for reads."""

    def transaction(self) -> UnitOfWork: ...
    def reading(self) -> UnitOfWork: ...
    def close(self) -> None: ...

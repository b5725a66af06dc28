"""What the service layer needs from storage, as protocols (storage implements them).

The service never imports SQLAlchemy: it asks a :class:`Store` for a unit of work and talks to
its :class:`Repository`. A unit of work rolls back unless ``commit()`` is called.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Protocol

import msgspec

from consensus_kit.domain.amendments import Amendment, AmendmentStatus
from consensus_kit.domain.comments import Comment, CommentTarget
from consensus_kit.domain.events import Event
from consensus_kit.domain.ids import DelegateId, MeetingId
from consensus_kit.domain.model import Meeting, Version, VersionState

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


class StoredVersion(msgspec.Struct, frozen=True, kw_only=True):
    """A version as stored: the raw declaration JSON and the stored hash, unchecked."""

    summary: VersionSummary
    declaration_json: bytes


class Repository(Protocol):
    """Reads and writes of one unit of work."""

    def lock_meeting(self, meeting_id: MeetingId) -> bool:
        """Serialise writers of one meeting; ``False`` when the meeting does not exist."""
        ...

    def meeting_ids(self) -> list[MeetingId]: ...
    def get_meeting(self, meeting_id: MeetingId) -> Meeting | None: ...
    def add_meeting(self, meeting: Meeting, created_at: dt.datetime) -> None: ...

    def set_code_hashes(self, meeting_id: MeetingId, hashes: Mapping[DelegateId, str]) -> None: ...
    def find_code_hash(self, code_hash: str) -> tuple[MeetingId, DelegateId] | None: ...
    def put_pending_codes(self, meeting_id: MeetingId, codes: Mapping[DelegateId, str]) -> None: ...
    def take_pending_codes(self, meeting_id: MeetingId) -> dict[DelegateId, str]: ...

    def add_version(self, version: Version) -> None: ...
    def get_version(self, meeting_id: MeetingId, number: int) -> Version | None: ...
    def latest_version_number(self, meeting_id: MeetingId) -> int | None: ...
    def list_versions(self, meeting_id: MeetingId) -> list[VersionSummary]: ...
    def stored_versions(self, meeting_id: MeetingId) -> list[StoredVersion]: ...
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

    def next_comment_id(self, meeting_id: MeetingId) -> int: ...
    def add_comment(self, comment: Comment) -> None: ...
    def save_comment(self, comment: Comment) -> None: ...
    def get_comment(self, meeting_id: MeetingId, comment_id: int) -> Comment | None: ...
    def list_comments(
        self, meeting_id: MeetingId, target: CommentTarget, target_id: str
    ) -> list[Comment]: ...

    def last_event(self, meeting_id: MeetingId) -> Event | None: ...
    def add_event(self, event: Event) -> None: ...
    def events_after(self, meeting_id: MeetingId, after: int, limit: int | None) -> list[Event]: ...


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

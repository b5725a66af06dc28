"""Row ↔ struct mapping: the SQL behind the service's :class:`Repository` port. No rules here."""

from __future__ import annotations

from consensus_kit.storage.codec import decode_time, encode_time
from consensus_kit.storage.rows_access import AccessRows
from consensus_kit.storage.rows_admin import AdminRows
from consensus_kit.storage.rows_drafting import DraftingRows
from consensus_kit.storage.rows_meetings import MeetingRows
from consensus_kit.storage.rows_versions import VersionRows
from consensus_kit.storage.rows_voting import VotingRows

__all__ = ["SqlRepository", "decode_time", "encode_time"]


class SqlRepository(MeetingRows, VersionRows, DraftingRows, VotingRows, AccessRows, AdminRows):
    """The repository of one unit of work, over one SQLAlchemy connection."""

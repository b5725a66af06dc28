"""The one service object users hold: every group of operations over one store."""

from __future__ import annotations

from consensus_kit.service.access import AccessOperations
from consensus_kit.service.exports import ExportOperations

__all__ = ["MeetingService"]


class MeetingService(AccessOperations, ExportOperations):
    """Every operation of consensus-kit over one store.

    Operations are grouped by concern in :mod:`consensus_kit.service.meetings` (meetings,
    codes, versions, events), :mod:`~consensus_kit.service.drafting` (amendments, rebasing,
    translations, lint), :mod:`~consensus_kit.service.comments`,
    :mod:`~consensus_kit.service.voting` (votes, ballots, consensus) and
    :mod:`~consensus_kit.service.signing` (endorsements, keys) and
    :mod:`~consensus_kit.service.exports` (Word, Markdown, JSON, Akoma Ntoso) and
    :mod:`~consensus_kit.service.access` (logging in, rate-limited; resuming a login).

    >>> service = MeetingService(SqlStore.open("sqlite:///meeting.db"))  # doctest: +SKIP
    """

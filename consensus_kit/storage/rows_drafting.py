"""Rows of amendments and comments."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, insert, select, update

from consensus_kit.domain.amendments import Amendment, AmendmentStatus, amendment_diffs
from consensus_kit.domain.comments import Comment, CommentTarget
from consensus_kit.domain.diff import DiffOp
from consensus_kit.domain.ids import Lang, MeetingId
from consensus_kit.storage.codec import (
    _amendment,
    _comment,
    _diffs,
    _dumps,
    _Rows,
)
from consensus_kit.storage.tables import (
    amendments,
    comments,
)

__all__ = ["DraftingRows"]


class DraftingRows(_Rows):
    """Rows of amendments and comments."""

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
                diffs=_dumps(amendment_diffs(amendment)),
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
                status=amendment.status.value,
                article_id=amendment.article,
                doc=_dumps(amendment),
                diffs=_dumps(amendment_diffs(amendment)),  # kept per process: no second diff
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
        query = self._amendments_where(select(amendments.c.doc), meeting_id, statuses, article)
        rows = self.c.execute(query.order_by(amendments.c.number))
        return [_amendment.decode(r.doc) for r in rows]

    def stored_diffs(
        self,
        meeting_id: MeetingId,
        *,
        statuses: frozenset[AmendmentStatus] | None = None,
        article: str | None = None,
        number: int | None = None,
    ) -> dict[int, dict[Lang, list[DiffOp]]]:
        query = self._amendments_where(
            select(amendments.c.number, amendments.c.diffs), meeting_id, statuses, article
        ).where(amendments.c.diffs.is_not(None))
        if number is not None:
            query = query.where(amendments.c.number == number)
        return {r.number: _diffs.decode(r.diffs) for r in self.c.execute(query)}

    def _amendments_where(
        self,
        query: Select[Any],
        meeting_id: MeetingId,
        statuses: frozenset[AmendmentStatus] | None,
        article: str | None,
    ) -> Select[Any]:
        query = query.where(amendments.c.meeting_id == meeting_id)
        if statuses is not None:
            query = query.where(amendments.c.status.in_(sorted(s.value for s in statuses)))
        if article is not None:
            query = query.where(amendments.c.article_id == article)
        return query

    def amendments_with_diffs(
        self,
        meeting_id: MeetingId,
        *,
        statuses: frozenset[AmendmentStatus] | None = None,
        article: str | None = None,
        limit: int | None = None,
    ) -> list[tuple[Amendment, dict[Lang, list[DiffOp]] | None]]:
        query = self._amendments_where(
            select(amendments.c.doc, amendments.c.diffs), meeting_id, statuses, article
        ).order_by(amendments.c.number)
        if limit is not None:
            query = query.limit(limit)
        decode, diffs = _amendment.decode, _diffs.decode
        return [
            (decode(doc), None if stored is None else diffs(stored))
            for doc, stored in self.c.execute(query)
        ]

    def count_amendments(
        self,
        meeting_id: MeetingId,
        *,
        statuses: frozenset[AmendmentStatus] | None = None,
        article: str | None = None,
    ) -> int:
        query = select(func.count()).select_from(amendments)
        return int(
            self.c.execute(
                self._amendments_where(query, meeting_id, statuses, article)
            ).scalar_one()
        )

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

"""Rows of versions: each version's frame, and the article texts it refers to, stored once.

A version row holds the declaration without its articles, and the ids of its articles in
order; each distinct article (its id, texts and tracking) is one ``article_texts`` row, found
again by the SHA-256 of its JSON. A version that changes one article of a thousand stores one
new article, so storage grows with what changed, not with the size of the text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from typing import Any

import msgspec
from sqlalchemy import bindparam, func, insert, select, update

from consensus_kit.domain.ids import MeetingId
from consensus_kit.domain.model import Article, Declaration, Version, VersionState
from consensus_kit.service.ports import StoredVersion, VersionSummary
from consensus_kit.storage.codec import _declaration, _Rows, decode_time, encode_time
from consensus_kit.storage.tables import article_texts, versions

__all__ = ["VersionRows"]

_CHUNK = 500  # ids or digests per IN (...): far below every driver's limit on parameters
_encode = msgspec.json.Encoder()
_article = msgspec.json.Decoder(Article)
_ids = msgspec.json.Decoder(list[int])
_SUMMARY = [c for c in versions.c if c.name not in ("declaration", "articles")]
_BY_DIGEST = select(article_texts.c.digest, article_texts.c.id).where(
    article_texts.c.meeting_id == bindparam("meeting_id"),
    article_texts.c.digest.in_(bindparam("digests", expanding=True)),
)
_BY_ID = select(article_texts.c.id, article_texts.c.body).where(
    article_texts.c.meeting_id == bindparam("meeting_id"),
    article_texts.c.id.in_(bindparam("ids", expanding=True)),
)


def _chunks(values: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


class VersionRows(_Rows):
    """Rows of versions and of the article texts they refer to."""

    def add_version(self, version: Version) -> None:
        meeting = version.meeting
        bodies = [_encode.encode(a) for a in version.declaration.articles]
        digests = [hashlib.sha256(b).hexdigest() for b in bodies]
        known: dict[str, int] = {}
        wanted = list(dict.fromkeys(digests))
        for part in _chunks(wanted):
            rows = self.c.execute(_BY_DIGEST, {"meeting_id": meeting, "digests": part})
            known.update({r.digest: r.id for r in rows})
        new = [(d, b) for d, b in dict(zip(digests, bodies, strict=True)).items() if d not in known]
        if new:
            top = self.c.execute(
                select(func.max(article_texts.c.id)).where(article_texts.c.meeting_id == meeting)
            ).scalar()
            first = (top or 0) + 1
            ids = {d: first + i for i, (d, _) in enumerate(new)}
            self.c.execute(
                insert(article_texts),
                [
                    {"meeting_id": meeting, "id": ids[d], "digest": d, "body": b.decode()}
                    for d, b in new
                ],
            )
            known.update(ids)
        frame = msgspec.structs.replace(version.declaration, articles=())
        self.c.execute(
            insert(versions).values(
                meeting_id=meeting,
                number=version.number,
                parent=version.parent,
                state=version.state.value,
                declaration=_encode.encode(frame).decode(),
                articles=_encode.encode([known[d] for d in digests]).decode(),
                content_hash=version.content_hash,
                hash_format=version.hash_format,
                created_by=version.created_by,
                created_at=encode_time(version.created_at),
                note=version.note,
                frozen_at=encode_time(version.frozen_at) if version.frozen_at else None,
                frozen_by=version.frozen_by,
            )
        )

    def _articles(
        self, meeting_id: MeetingId, ids: list[int], cache: dict[int, Article]
    ) -> tuple[Article, ...]:
        """The articles with ``ids``, in order; reads only those not in ``cache`` (and adds
        them). A missing row raises :class:`msgspec.ValidationError`, as unreadable JSON does."""
        missing = list(dict.fromkeys(i for i in ids if i not in cache))
        for part in _chunks(missing):
            for row in self.c.execute(_BY_ID, {"meeting_id": meeting_id, "ids": part}):
                cache[row.id] = _article.decode(row.body)
        absent = [i for i in ids if i not in cache]
        if absent:
            raise msgspec.ValidationError(f"article text {absent[0]} is missing")
        return tuple(cache[i] for i in ids)

    def _declaration_of(
        self, meeting_id: MeetingId, row: Any, cache: dict[int, Article]
    ) -> Declaration:
        frame = _declaration.decode(row.declaration)
        articles = self._articles(meeting_id, _ids.decode(row.articles), cache)
        return msgspec.structs.replace(frame, articles=articles)

    def get_version(self, meeting_id: MeetingId, number: int) -> Version | None:
        row = self.c.execute(
            select(versions).where(versions.c.meeting_id == meeting_id, versions.c.number == number)
        ).first()
        if row is None:
            return None
        return Version(
            meeting=meeting_id,
            number=row.number,
            declaration=self._declaration_of(meeting_id, row, {}),
            content_hash=row.content_hash,
            parent=row.parent,
            created_by=row.created_by,
            created_at=decode_time(row.created_at),
            note=row.note,
            state=VersionState(row.state),
            frozen_at=decode_time(row.frozen_at) if row.frozen_at else None,
            frozen_by=row.frozen_by,
            hash_format=row.hash_format,
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
            hash_format=row.hash_format,
        )

    def list_versions(self, meeting_id: MeetingId) -> list[VersionSummary]:
        rows = self.c.execute(
            select(*_SUMMARY).where(versions.c.meeting_id == meeting_id).order_by(versions.c.number)
        )
        return [self._summary(r) for r in rows]

    def stored_versions(self, meeting_id: MeetingId) -> Iterator[StoredVersion]:
        """Every version as stored, one at a time, oldest first: only the articles a version
        shares with the one before are kept between them, so memory holds about one version
        whatever the history's length."""
        cache: dict[int, Article] = {}
        for summary in self.list_versions(meeting_id):
            row = self.c.execute(
                select(versions.c.declaration, versions.c.articles).where(
                    versions.c.meeting_id == meeting_id, versions.c.number == summary.number
                )
            ).one()
            try:
                declaration = self._declaration_of(meeting_id, row, cache)
            except msgspec.ValidationError as exc:
                yield StoredVersion(summary=summary, declaration=None, unreadable=str(exc))
                continue
            kept = {a_id: cache[a_id] for a_id in _ids.decode(row.articles) if a_id in cache}
            cache = kept
            yield StoredVersion(summary=summary, declaration=declaration)

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

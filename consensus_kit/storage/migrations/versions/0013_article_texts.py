"""Article texts stored once: versions refer to them.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05

Every version stored the whole declaration, so a thousand versions of a thousand-article text
stored a million articles (583 MB) to record a thousand changes. Each distinct article (its
id, texts and tracking, as JSON) is now one ``article_texts`` row, keyed by the SHA-256 of that
JSON; a version keeps the rest of the declaration and the ids of its articles in order.

The JSON of each article is taken from the stored declaration as it is (decoded and encoded
again without a schema: the same bytes), so every version reads back the same declaration and
every content hash still verifies. Versions are converted one at a time, so memory holds one
version whatever the size of the database.
"""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_texts = sa.table(
    "article_texts",
    sa.column("meeting_id", sa.String),
    sa.column("id", sa.Integer),
    sa.column("digest", sa.String),
    sa.column("body", sa.Text),
)
_versions = sa.table(
    "versions",
    sa.column("meeting_id", sa.String),
    sa.column("number", sa.Integer),
    sa.column("declaration", sa.Text),
    sa.column("articles", sa.Text),
)


def _keys(bind: Any) -> list[tuple[str, int]]:
    rows = bind.execute(
        sa.select(_versions.c.meeting_id, _versions.c.number).order_by(
            _versions.c.meeting_id, _versions.c.number
        )
    )
    return [(r.meeting_id, r.number) for r in rows]


def _where(meeting: str, number: int) -> Any:
    return sa.and_(_versions.c.meeting_id == meeting, _versions.c.number == number)


def upgrade() -> None:
    op.create_table(
        "article_texts",
        sa.Column("meeting_id", sa.String(64), nullable=False),
        sa.Column("id", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name="fk_article_texts_meeting_id_meetings",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", "id", name="pk_article_texts"),
        sa.UniqueConstraint("meeting_id", "digest", name="uq_article_texts_meeting_id_digest"),
    )
    with op.batch_alter_table("versions") as batch:
        batch.add_column(sa.Column("articles", sa.Text, nullable=False, server_default="[]"))
    bind = op.get_bind()
    ids: dict[str, dict[str, int]] = {}
    for meeting, number in _keys(bind):
        raw = bind.execute(sa.select(_versions.c.declaration).where(_where(meeting, number)))
        declaration = msgspec.json.decode(raw.scalar_one())
        known = ids.setdefault(meeting, {})
        refs = []
        for article in declaration.pop("articles", []):
            body = msgspec.json.encode(article)
            digest = hashlib.sha256(body).hexdigest()
            if digest not in known:
                known[digest] = len(known) + 1
                bind.execute(
                    sa.insert(_texts).values(
                        meeting_id=meeting, id=known[digest], digest=digest, body=body.decode()
                    )
                )
            refs.append(known[digest])
        bind.execute(
            sa.update(_versions)
            .where(_where(meeting, number))
            .values(
                declaration=msgspec.json.encode(declaration).decode(),
                articles=msgspec.json.encode(refs).decode(),
            )
        )


def downgrade() -> None:
    bind = op.get_bind()
    for meeting, number in _keys(bind):
        row = bind.execute(
            sa.select(_versions.c.declaration, _versions.c.articles).where(_where(meeting, number))
        ).one()
        declaration = msgspec.json.decode(row.declaration)
        refs = msgspec.json.decode(row.articles)
        if refs:
            bodies = dict(
                bind.execute(
                    sa.select(_texts.c.id, _texts.c.body).where(
                        _texts.c.meeting_id == meeting, _texts.c.id.in_(refs)
                    )
                ).all()
            )
            declaration["articles"] = [msgspec.json.decode(bodies[i]) for i in refs]
        bind.execute(
            sa.update(_versions)
            .where(_where(meeting, number))
            .values(declaration=msgspec.json.encode(declaration).decode())
        )
    with op.batch_alter_table("versions") as batch:
        batch.drop_column("articles")
    op.drop_table("article_texts")

"""Amendments and comments.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "amendments",
        sa.Column("meeting_id", sa.String(64), nullable=False),
        sa.Column("number", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("article_id", sa.String(64)),
        sa.Column("doc", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("meeting_id", "number", name="pk_amendments"),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            ondelete="CASCADE",
            name="fk_amendments_meeting_id_meetings",
        ),
    )
    op.create_index(
        "ix_amendments_meeting_id_article_id", "amendments", ["meeting_id", "article_id"]
    )
    op.create_table(
        "comments",
        sa.Column("meeting_id", sa.String(64), nullable=False),
        sa.Column("id", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("target", sa.String(16), nullable=False),
        sa.Column("target_id", sa.String(64), nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("meeting_id", "id", name="pk_comments"),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            ondelete="CASCADE",
            name="fk_comments_meeting_id_meetings",
        ),
    )
    op.create_index(
        "ix_comments_meeting_id_target_target_id", "comments", ["meeting_id", "target", "target_id"]
    )


def downgrade() -> None:
    op.drop_table("comments")
    op.drop_table("amendments")

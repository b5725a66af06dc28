"""The speakers' list of each agenda item.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "speakers",
        sa.Column("meeting_id", sa.String(64), nullable=False),
        sa.Column("item", sa.String(80), nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("meeting_id", "item", name="pk_speakers"),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            ondelete="CASCADE",
            name="fk_speakers_meeting_id_meetings",
        ),
    )


def downgrade() -> None:
    op.drop_table("speakers")

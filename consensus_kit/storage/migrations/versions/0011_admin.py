"""Administration after loading: a revision per meeting, and when records withdrew.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04

``meetings.revision`` counts the changes made to a meeting's organisations and delegates since
it was loaded (0 for every existing meeting): every process compares it with the revision of
the meeting it keeps in memory, so a change made elsewhere takes effect at once.
``withdrawn_at`` is NULL for every existing organisation and delegate: they take part.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("revision", sa.Integer, nullable=False, server_default="0"))
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("withdrawn_at", sa.String(40), nullable=True))
    with op.batch_alter_table("delegates") as batch:
        batch.add_column(sa.Column("withdrawn_at", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("delegates") as batch:
        batch.drop_column("withdrawn_at")
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("withdrawn_at")
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("revision")

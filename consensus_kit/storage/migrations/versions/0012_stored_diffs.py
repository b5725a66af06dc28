"""Amendment diffs stored with the amendment.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05

Each amendment row gets its diff per language (JSON), written whenever the row is written (at
proposal, revision, rebase, status change), so that a page listing a thousand amendments
computes none after a restart. NULL for every existing row: its diff is computed when read, as
before, and stored the next time the row is written.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("amendments") as batch:
        batch.add_column(sa.Column("diffs", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("amendments") as batch:
        batch.drop_column("diffs")

"""Official country names per language, beside the ISO code.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04

NULL for every existing organisation: its country keeps CLDR's name, as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("country_name", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("country_name")

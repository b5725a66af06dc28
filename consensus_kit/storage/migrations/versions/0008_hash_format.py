"""Versions record how their content hash was computed.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04

Versions stored before this migration were hashed with format 1 (the words and the translation
tracking); later versions with format 2 (the words alone). A stored hash never changes: the
column only says how to recompute it, and every existing row gets 1.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("versions") as batch:
        batch.add_column(sa.Column("hash_format", sa.Integer, nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("versions") as batch:
        batch.drop_column("hash_format")

"""Ended logins: logging out ends a session or token on the server, not only in the browser.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ended_logins",
        sa.Column("meeting_id", sa.String(64), nullable=False),
        sa.Column("login", sa.String(32), nullable=False),
        sa.Column("delegate", sa.String(64), nullable=False),
        sa.Column("ended_at", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name="fk_ended_logins_meeting_id_meetings",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", "login", name="pk_ended_logins"),
    )


def downgrade() -> None:
    op.drop_table("ended_logins")

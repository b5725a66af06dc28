"""Initial schema: meetings, organisations, delegates, access codes, versions, events.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("head", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_meetings"),
    )
    op.create_table(
        "organisations",
        sa.Column("meeting_id", sa.String(64), nullable=False),
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("country", sa.String(2)),
        sa.Column("region", sa.String(64)),
        sa.Column("observer", sa.Boolean, nullable=False),
        sa.Column("weight", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("meeting_id", "id", name="pk_organisations"),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            ondelete="CASCADE",
            name="fk_organisations_meeting_id_meetings",
        ),
    )
    op.create_table(
        "delegates",
        sa.Column("meeting_id", sa.String(64), nullable=False),
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("organisation_id", sa.String(64)),
        sa.Column("roles", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("code_hash", sa.String(64)),
        sa.PrimaryKeyConstraint("meeting_id", "id", name="pk_delegates"),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            ondelete="CASCADE",
            name="fk_delegates_meeting_id_meetings",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id", "organisation_id"],
            ["organisations.meeting_id", "organisations.id"],
            name="fk_delegates_meeting_id_organisation_id_organisations",
        ),
    )
    op.create_index("ix_delegates_code_hash", "delegates", ["code_hash"], unique=True)
    op.create_table(
        "pending_codes",
        sa.Column("meeting_id", sa.String(64), nullable=False),
        sa.Column("delegate_id", sa.String(64), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("meeting_id", "delegate_id", name="pk_pending_codes"),
        sa.ForeignKeyConstraint(
            ["meeting_id", "delegate_id"],
            ["delegates.meeting_id", "delegates.id"],
            ondelete="CASCADE",
            name="fk_pending_codes_meeting_id_delegate_id_delegates",
        ),
    )
    op.create_table(
        "versions",
        sa.Column("meeting_id", sa.String(64), nullable=False),
        sa.Column("number", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("parent", sa.Integer),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("declaration", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("frozen_at", sa.String(40)),
        sa.Column("frozen_by", sa.String(64)),
        sa.PrimaryKeyConstraint("meeting_id", "number", name="pk_versions"),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            ondelete="CASCADE",
            name="fk_versions_meeting_id_meetings",
        ),
    )
    op.create_table(
        "events",
        sa.Column("meeting_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("meeting_id", "seq", name="pk_events"),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            ondelete="CASCADE",
            name="fk_events_meeting_id_meetings",
        ),
    )


def downgrade() -> None:
    for table in ("events", "versions", "pending_codes", "delegates", "organisations", "meetings"):
        op.drop_table(table)

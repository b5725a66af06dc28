"""Votes, ballots (one per organisation per vote), endorsements and signing keys.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _fk(table: str, cols: list[str], ref: str, ref_cols: list[str]) -> sa.ForeignKeyConstraint:
    name = f"fk_{table}_{'_'.join(cols)}_{ref}"
    return sa.ForeignKeyConstraint(
        cols, [f"{ref}.{c}" for c in ref_cols], ondelete="CASCADE", name=name
    )


def _ballot_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("organisation", sa.String(64), nullable=False),
        sa.Column("choice", sa.String(16), nullable=False),
        sa.Column("delegate", sa.String(64), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "votes",
        sa.Column("meeting_id", sa.String(64), nullable=False),
        sa.Column("number", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("amendment", sa.Integer),
        sa.Column("doc", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("meeting_id", "number", name="pk_votes"),
        _fk("votes", ["meeting_id"], "meetings", ["id"]),
    )
    op.create_table(
        "ballots",
        sa.Column("meeting_id", sa.String(64), nullable=False),
        sa.Column("vote", sa.Integer, nullable=False, autoincrement=False),
        *_ballot_columns(),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("cast_at", sa.String(40), nullable=False),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("nonce", sa.String(32), nullable=False),
        sa.Column("receipt", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("meeting_id", "vote", "organisation", name="pk_ballots"),
        _fk("ballots", ["meeting_id", "vote"], "votes", ["meeting_id", "number"]),
    )
    op.create_table(
        "ballot_history",
        sa.Column("meeting_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("vote", sa.Integer, nullable=False),
        *_ballot_columns(),
        sa.Column("cast_at", sa.String(40), nullable=False),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("nonce", sa.String(32), nullable=False),
        sa.Column("receipt", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("meeting_id", "seq", name="pk_ballot_history"),
        _fk("ballot_history", ["meeting_id", "vote"], "votes", ["meeting_id", "number"]),
    )
    op.create_index(
        "uq_ballot_history_meeting_id_vote_key",
        "ballot_history",
        ["meeting_id", "vote", "key"],
        unique=True,
    )
    op.create_table(
        "endorsements",
        sa.Column("meeting_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("organisation", sa.String(64), nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("meeting_id", "version", "organisation", name="pk_endorsements"),
        _fk("endorsements", ["meeting_id", "version"], "versions", ["meeting_id", "number"]),
    )
    op.create_table(
        "signing_closures",
        sa.Column("meeting_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("closed_at", sa.String(40), nullable=False),
        sa.Column("closed_by", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("meeting_id", "version", name="pk_signing_closures"),
        _fk("signing_closures", ["meeting_id", "version"], "versions", ["meeting_id", "number"]),
    )
    op.create_table(
        "meeting_keys",
        sa.Column("meeting_id", sa.String(64), nullable=False),
        sa.Column("private_key", sa.Text, nullable=False),
        sa.Column("public_key", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("meeting_id", name="pk_meeting_keys"),
        _fk("meeting_keys", ["meeting_id"], "meetings", ["id"]),
    )
    op.create_table(
        "organisation_keys",
        sa.Column("meeting_id", sa.String(64), nullable=False),
        sa.Column("organisation", sa.String(64), nullable=False),
        sa.Column("public_key", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("meeting_id", "organisation", name="pk_organisation_keys"),
        _fk(
            "organisation_keys",
            ["meeting_id", "organisation"],
            "organisations",
            ["meeting_id", "id"],
        ),
    )


def downgrade() -> None:
    for table in (
        "organisation_keys",
        "meeting_keys",
        "signing_closures",
        "endorsements",
        "ballot_history",
        "ballots",
        "votes",
    ):
        op.drop_table(table)

"""Ballot idempotency keys are each organisation's own.

The unique index on ballot history was (meeting, vote, key): an organisation that reused
another's key was refused with a conflict, so one organisation could block another's ballot.
It becomes (meeting, vote, organisation, key).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("uq_ballot_history_meeting_id_vote_key", table_name="ballot_history")
    op.create_index(
        "uq_ballot_history_meeting_id_vote_organisation_key",
        "ballot_history",
        ["meeting_id", "vote", "organisation", "key"],
        unique=True,
    )


def downgrade() -> None:
    # fails, as it should, when two organisations used the same key in one vote
    op.drop_index("uq_ballot_history_meeting_id_vote_organisation_key", table_name="ballot_history")
    op.create_index(
        "uq_ballot_history_meeting_id_vote_key",
        "ballot_history",
        ["meeting_id", "vote", "key"],
        unique=True,
    )

"""The database schema (SQLAlchemy Core). No rules here: only shapes and constraints.

Per-language texts and other structured values are stored as JSON text; times as ISO 8601 text
(UTC) so that a value hashed before storage reads back byte for byte on SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = [
    "agenda",
    "amendments",
    "article_texts",
    "ballot_history",
    "ballots",
    "comments",
    "delegates",
    "ended_logins",
    "endorsements",
    "events",
    "login_attempts",
    "meeting_keys",
    "meetings",
    "metadata",
    "organisation_keys",
    "organisations",
    "pending_codes",
    "signing_closures",
    "speakers",
    "versions",
    "votes",
]

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = 64
HASH = 64
TIME = 40

meetings = Table(
    "meetings",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("head", Text, nullable=False),  # the Meeting without organisations and delegates, JSON
    Column("created_at", String(TIME), nullable=False),
    # changes to its organisations and delegates since loading: what the meeting caches check
    Column("revision", Integer, nullable=False, server_default="0"),
)

organisations = Table(
    "organisations",
    metadata,
    Column("meeting_id", String(ID), primary_key=True),
    Column("id", String(ID), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("name", Text, nullable=False),  # JSON lang -> text
    Column("country", String(2)),
    Column("country_name", Text),  # JSON lang -> official name of the country, or NULL
    Column("region", String(64)),
    Column("observer", Boolean, nullable=False),
    Column("weight", Integer, nullable=False),
    Column("withdrawn_at", String(TIME)),  # NULL: takes part
    ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE"),
)

delegates = Table(
    "delegates",
    metadata,
    Column("meeting_id", String(ID), primary_key=True),
    Column("id", String(ID), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("organisation_id", String(ID)),
    Column("roles", Text, nullable=False),  # JSON list, sorted
    Column("title", Text, nullable=False),
    Column("code_hash", String(HASH)),
    Column("withdrawn_at", String(TIME)),  # NULL: active
    ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE"),
    ForeignKeyConstraint(
        ["meeting_id", "organisation_id"], ["organisations.meeting_id", "organisations.id"]
    ),
    Index("ix_delegates_code_hash", "code_hash", unique=True),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(100), nullable=False),  # "address:<ip>" or "code:<hash>"
    Column("at", String(TIME), nullable=False),
    Column("failed", Boolean, nullable=False),
    Index("ix_login_attempts_key_at", "key", "at"),
    Index("ix_login_attempts_at", "at"),
)

# logins ended before their cookie or token expired (logging out): refused from then on
ended_logins = Table(
    "ended_logins",
    metadata,
    Column("meeting_id", String(ID), primary_key=True),
    Column("login", String(32), primary_key=True),
    Column("delegate", String(ID), nullable=False),
    Column("ended_at", String(TIME), nullable=False),
    ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE"),
)

pending_codes = Table(
    "pending_codes",
    metadata,
    Column("meeting_id", String(ID), primary_key=True),
    Column("delegate_id", String(ID), primary_key=True),
    Column("code", String(32), nullable=False),
    ForeignKeyConstraint(
        ["meeting_id", "delegate_id"], ["delegates.meeting_id", "delegates.id"], ondelete="CASCADE"
    ),
)

versions = Table(
    "versions",
    metadata,
    Column("meeting_id", String(ID), primary_key=True),
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("parent", Integer),
    Column("state", String(16), nullable=False),
    # JSON of the Declaration without its articles (title, subtitle, preamble, date, tracking)
    Column("declaration", Text, nullable=False),
    # JSON list of the article_texts ids of its articles, in order (migration 0013)
    Column("articles", Text, nullable=False, server_default="[]"),
    Column("content_hash", String(HASH), nullable=False),
    # how content_hash was computed (domain.hashing): 1 before issue 16, 2 = the words alone
    Column("hash_format", Integer, nullable=False, server_default="1"),
    Column("created_by", String(ID), nullable=False),
    Column("created_at", String(TIME), nullable=False),
    Column("note", Text, nullable=False),
    Column("frozen_at", String(TIME)),
    Column("frozen_by", String(ID)),
    ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE"),
)

# Each distinct article (id, texts, tracking) of a meeting, stored once: versions refer to
# them, so a version that changes one article of a thousand adds one row, not a thousand.
article_texts = Table(
    "article_texts",
    metadata,
    Column("meeting_id", String(ID), primary_key=True),
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("digest", String(HASH), nullable=False),  # SHA-256 of body
    Column("body", Text, nullable=False),  # JSON of one Article
    ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE"),
    UniqueConstraint("meeting_id", "digest"),
)

events = Table(
    "events",
    metadata,
    Column("meeting_id", String(ID), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("type", String(64), nullable=False),
    Column("actor", String(ID), nullable=False),
    Column("at", String(TIME), nullable=False),
    Column("body", Text, nullable=False),  # JSON of the event body, with its "type" tag
    Column("prev_hash", String(HASH), nullable=False),
    Column("hash", String(HASH), nullable=False),
    ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE"),
)

amendments = Table(
    "amendments",
    metadata,
    Column("meeting_id", String(ID), primary_key=True),
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("status", String(16), nullable=False),
    Column("article_id", String(ID)),  # the target article (replace, delete, move), for look-ups
    Column("doc", Text, nullable=False),  # JSON of the Amendment
    # JSON of its diff per language (amendment_diffs), written with the doc so that a page
    # listing a thousand amendments computes none; NULL in rows from before revision 0010
    Column("diffs", Text),
    ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE"),
    Index("ix_amendments_meeting_id_article_id", "meeting_id", "article_id"),
)

comments = Table(
    "comments",
    metadata,
    Column("meeting_id", String(ID), primary_key=True),
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("target", String(16), nullable=False),
    Column("target_id", String(ID), nullable=False),
    Column("doc", Text, nullable=False),  # JSON of the Comment
    ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE"),
    Index("ix_comments_meeting_id_target_target_id", "meeting_id", "target", "target_id"),
)

votes = Table(
    "votes",
    metadata,
    Column("meeting_id", String(ID), primary_key=True),
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("state", String(16), nullable=False),
    Column("amendment", Integer),
    Column("doc", Text, nullable=False),  # JSON of the Vote
    ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE"),
)

# the current ballot of each organisation: the primary key is the one-ballot rule
ballots = Table(
    "ballots",
    metadata,
    Column("meeting_id", String(ID), primary_key=True),
    Column("vote", Integer, primary_key=True, autoincrement=False),
    Column("organisation", String(ID), primary_key=True),
    Column("choice", String(16), nullable=False),
    Column("delegate", String(ID), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("cast_at", String(TIME), nullable=False),
    Column("key", String(100), nullable=False),
    Column("nonce", String(32), nullable=False),
    Column("receipt", String(HASH), nullable=False),
    ForeignKeyConstraint(
        ["meeting_id", "vote"], ["votes.meeting_id", "votes.number"], ondelete="CASCADE"
    ),
)

# every accepted ballot request, in order; a retried request finds its key here
ballot_history = Table(
    "ballot_history",
    metadata,
    Column("meeting_id", String(ID), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("vote", Integer, nullable=False),
    Column("organisation", String(ID), nullable=False),
    Column("choice", String(16), nullable=False),
    Column("delegate", String(ID), nullable=False),
    Column("cast_at", String(TIME), nullable=False),
    Column("key", String(100), nullable=False),
    Column("nonce", String(32), nullable=False),
    Column("receipt", String(HASH), nullable=False),
    ForeignKeyConstraint(
        ["meeting_id", "vote"], ["votes.meeting_id", "votes.number"], ondelete="CASCADE"
    ),
    # a key is the organisation's own: another organisation reusing it is another request
    Index(
        "uq_ballot_history_meeting_id_vote_organisation_key",
        "meeting_id",
        "vote",
        "organisation",
        "key",
        unique=True,
    ),
)

endorsements = Table(
    "endorsements",
    metadata,
    Column("meeting_id", String(ID), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("organisation", String(ID), primary_key=True),
    Column("doc", Text, nullable=False),  # JSON of the Endorsement
    ForeignKeyConstraint(
        ["meeting_id", "version"], ["versions.meeting_id", "versions.number"], ondelete="CASCADE"
    ),
)

signing_closures = Table(
    "signing_closures",
    metadata,
    Column("meeting_id", String(ID), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("closed_at", String(TIME), nullable=False),
    Column("closed_by", String(ID), nullable=False),
    ForeignKeyConstraint(
        ["meeting_id", "version"], ["versions.meeting_id", "versions.number"], ondelete="CASCADE"
    ),
)

meeting_keys = Table(
    "meeting_keys",
    metadata,
    Column("meeting_id", String(ID), primary_key=True),
    Column("private_key", Text, nullable=False),
    Column("public_key", Text, nullable=False),
    ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE"),
)

agenda = Table(
    "agenda",
    metadata,
    Column("meeting_id", String(ID), primary_key=True),
    Column("doc", Text, nullable=False),  # JSON of the AgendaItem
    ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE"),
)

organisation_keys = Table(
    "organisation_keys",
    metadata,
    Column("meeting_id", String(ID), primary_key=True),
    Column("organisation", String(ID), primary_key=True),
    Column("public_key", Text, nullable=False),
    ForeignKeyConstraint(
        ["meeting_id", "organisation"],
        ["organisations.meeting_id", "organisations.id"],
        ondelete="CASCADE",
    ),
)

# the speakers' list of each agenda item ("article:art-2", "general")
speakers = Table(
    "speakers",
    metadata,
    Column("meeting_id", String(ID), primary_key=True),
    Column("item", String(ID + 16), primary_key=True),
    Column("doc", Text, nullable=False),  # JSON of the SpeakersList
    ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE"),
)

"""Encodings shared by the row mappers: JSON codecs and fixed-width UTC times."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from sqlalchemy import Connection

from consensus_kit.domain.agenda import AgendaItem
from consensus_kit.domain.amendments import Amendment
from consensus_kit.domain.comments import Comment
from consensus_kit.domain.diff import DiffOp
from consensus_kit.domain.endorsements import Endorsement
from consensus_kit.domain.events import EventBody
from consensus_kit.domain.ids import Lang
from consensus_kit.domain.model import (
    Declaration,
    Meeting,
    Role,
)
from consensus_kit.domain.speakers import SpeakersList
from consensus_kit.domain.voting import Vote

__all__ = ["decode_time", "encode_time"]

_json = msgspec.json.Encoder()
_texts = msgspec.json.Decoder(dict[Lang, str])
_body = msgspec.json.Decoder(EventBody)
_declaration = msgspec.json.Decoder(Declaration)
_head = msgspec.json.Decoder(Meeting)
_roles = msgspec.json.Decoder(list[Role])
_amendment = msgspec.json.Decoder(Amendment)
_diffs = msgspec.json.Decoder(dict[Lang, list[DiffOp]])
_comment = msgspec.json.Decoder(Comment)
_vote = msgspec.json.Decoder(Vote)
_endorsement = msgspec.json.Decoder(Endorsement)
_agenda = msgspec.json.Decoder(AgendaItem)
_speakers = msgspec.json.Decoder(SpeakersList)


def encode_time(value: dt.datetime) -> str:
    """A UTC time as fixed-width ISO 8601 text (sorts and round-trips exactly)."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def decode_time(value: str) -> dt.datetime:
    """The inverse of :func:`encode_time`."""
    return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)


def _dumps(value: Any) -> str:
    return _json.encode(value).decode()


class _Rows:
    """Base of the row mappers: one SQLAlchemy connection."""

    def __init__(self, connection: Connection) -> None:
        self.c = connection
        # the last event this unit of work appended to each meeting: the next one chains to it
        # without reading it back (a batch of ballots appends one event per ballot)
        self.appended: dict[str, Any] = {}
        # each meeting's revision as this unit of work read it (under its lock, when it took it)
        self.revisions: dict[str, int] = {}
        # votes this unit of work read or wrote: a batch of ballots reads its vote (with every
        # eligible organisation) once, not once per ballot
        self.votes_seen: dict[tuple[str, int], Any] = {}
        # ballots by (meeting, vote, organisation, key) this unit of work read, looked for or
        # wrote (None: no such key); a batch of ballots looks all its keys up in one statement
        self.keys_seen: dict[tuple[str, int, str, str], Any] = {}
        # rows to insert at commit, by statement, while writes are deferred (see defer_writes)
        self.deferred: dict[Any, list[dict[str, Any]]] | None = None

    def defer_writes(self) -> None:
        """From now on keep the rows of events and ballots, and write them at :meth:`flush`:
        one ``executemany`` per statement instead of one round trip per row (a batch of 64
        ballots made 256 statements). Only for writes whose order across statements does not
        matter; reads of what is pending are answered from memory (``appended``,
        ``keys_seen``)."""
        if self.deferred is None:
            self.deferred = {}

    def _write(self, statement: Any, values: dict[str, Any]) -> None:
        if self.deferred is None:
            self.c.execute(statement, values)
        else:
            self.deferred.setdefault(statement, []).append(values)

    def flush(self) -> None:
        """Write the deferred rows (the unit of work does it before it commits)."""
        pending, self.deferred = self.deferred, None
        for statement, rows in (pending or {}).items():
            self.c.execute(statement, rows)

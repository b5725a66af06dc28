"""What every command module shares: the database option, the meeting, the acting delegate."""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from consensus_kit import CONSOLE, InvalidInput, open_service
from consensus_kit.domain.ids import MeetingId

if TYPE_CHECKING:  # loaded by the commands that use them, not by ``--help``
    from consensus_kit import MeetingService, Principal

__all__ = ["AS_HELP", "DEFAULT_DB", "Commands", "meeting_id", "principal", "service"]

DEFAULT_DB = "sqlite:///consensus.db"
AS_HELP = "act as this delegate (the library still checks the delegate's roles)"

Handler = Callable[[argparse.Namespace], int]


class Commands:
    """Registers sub-commands with the options every command shares."""

    def __init__(self, sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
        self.sub = sub

    def add(
        self, name: str, func: Handler, help_text: str, *, meeting: bool = True, db: bool = True
    ) -> argparse.ArgumentParser:
        """A sub-command ``name`` running ``func``, with ``--db`` and ``--meeting``."""
        p: argparse.ArgumentParser = self.sub.add_parser(
            name, help=help_text, description=help_text
        )
        if db:
            p.add_argument(
                "--db",
                default=os.environ.get("CK_DB", DEFAULT_DB),
                help="database URL or SQLite file path (default: $CK_DB or %(default)s)",
            )
            p.add_argument(
                "--at",
                metavar="TIME",
                help="act as if it were TIME, ISO 8601 with its offset (2010-11-05T10:00+08:00): "
                "to replay a historical meeting with its own dates",
            )
        if meeting:
            p.add_argument(
                "--meeting", help="meeting id (needed only when the database holds several)"
            )
        p.set_defaults(func=func)
        return p


def service(args: argparse.Namespace) -> MeetingService:
    """The service over ``--db``; with ``--at``, dated by that time (each later step of the
    command a microsecond later, so the event log stays in order)."""
    at = getattr(args, "at", None)
    return open_service(args.db, clock=_clock_at(at) if at else None)


def _clock_at(text: str) -> Callable[[], dt.datetime]:
    try:
        start = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"{text!r} is not an ISO 8601 time (e.g. 2010-11-05T10:00+08:00)", field="--at"
        ) from None
    if start.tzinfo is None:
        raise InvalidInput(
            f"{text!r} has no offset: say which time zone (e.g. +08:00 or Z)", field="--at"
        )
    steps = itertools.count()
    return lambda: (start + dt.timedelta(microseconds=next(steps))).astimezone(dt.UTC)


def meeting_id(svc: MeetingService, args: argparse.Namespace) -> MeetingId:
    """``--meeting``, or the only meeting in the database."""
    return svc.the_meeting(args.meeting)


def principal(svc: MeetingService, mid: MeetingId, args: argparse.Namespace) -> Principal:
    """``--as DELEGATE`` when given (the library still checks that delegate's roles)."""
    acting: str | None = getattr(args, "acting", None)
    return svc.delegate(mid, acting) if acting else CONSOLE

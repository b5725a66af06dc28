"""What every command module shares: the database option, the meeting, the acting delegate."""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from consensus_kit import CONSOLE, InvalidInput, open_service
from consensus_kit.domain.ids import MeetingId

if TYPE_CHECKING:  # loaded by the commands that use them, not by ``--help``
    from consensus_kit import MeetingService, Principal

__all__ = [
    "AS_HELP",
    "DEFAULT_DB",
    "OPENED",
    "Commands",
    "add_acting",
    "close_opened",
    "deadline",
    "duration",
    "lang_pairs",
    "meeting_id",
    "now",
    "principal",
    "read_utf8",
    "service",
]

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

    def group(self, name: str, help_text: str, *, dest: str = "action") -> Commands:
        """A command ``name`` whose sub-actions (``consensus-kit NAME ACTION``) are added to
        the returned :class:`Commands`, each with the shared options."""
        p: argparse.ArgumentParser = self.sub.add_parser(
            name, help=help_text, description=help_text
        )
        return Commands(
            p.add_subparsers(
                dest=dest, metavar="ACTION", required=True, help="what to do (see ACTION --help)"
            )
        )


def add_acting(p: argparse.ArgumentParser, *, required: bool = False) -> None:
    """``--as DELEGATE``: the delegate the command acts as (default: the console)."""
    p.add_argument("--as", dest="acting", metavar="DELEGATE", required=required, help=AS_HELP)


OPENED: list[MeetingService] = []
"""The services the running command opened (:func:`consensus_kit.cli.run` closes them)."""


def service(args: argparse.Namespace) -> MeetingService:
    """The service over ``--db``; with ``--at``, dated by that time (each later step of the
    command a microsecond later, so the event log stays in order)."""
    at = getattr(args, "at", None)
    opened = open_service(args.db, clock=_clock_at(at) if at else None)
    OPENED.append(opened)
    return opened


def close_opened() -> None:
    """Close the services the command opened: their connections, and with the last one to an
    SQLite file its write-ahead log (``…-wal``, ``…-shm``), are closed now, not left to the
    garbage collector."""
    while OPENED:
        OPENED.pop().store.close()


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


def now(args: argparse.Namespace) -> dt.datetime:
    """The time the command acts at: ``--at``, or now (to turn a duration into a deadline)."""
    at = getattr(args, "at", None)
    return _clock_at(at)() if at else dt.datetime.now(dt.UTC)


_UNITS = {"s": 1, "m": 60, "h": 3600}


def duration(text: str, *, field: str) -> dt.timedelta:
    """``90s``, ``10m`` or ``2h`` (a bare number is seconds) as a time span."""
    value = text.strip().lower()
    unit = _UNITS.get(value[-1:], 0)
    digits = value[:-1] if unit else value
    if not digits.isdigit() or int(digits) == 0:
        raise InvalidInput(f"{text!r} is not a duration: write e.g. 90s, 10m or 2h", field=field)
    return dt.timedelta(seconds=int(digits) * (unit or 1))


def deadline(text: str, args: argparse.Namespace, *, field: str) -> dt.datetime:
    """A duration from now (``15m``) or a time with its offset (``2027-05-11T17:00+03:00``)."""
    if text[:1].isdigit() and text.strip()[-1:].lower() in _UNITS:
        return now(args) + duration(text, field=field)
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"{text!r} is neither a duration (15m) nor an ISO 8601 time with its offset",
            field=field,
        ) from None
    if when.tzinfo is None:
        raise InvalidInput(
            f"{text!r} has no offset: say which time zone (e.g. +08:00 or Z)", field=field
        )
    return when.astimezone(dt.UTC)


def read_utf8(path: str, *, field: str) -> str:
    """The words of a UTF-8 text file, without surrounding blank lines; one clear error."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        cause = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise InvalidInput(f"cannot read {path} ({cause})", field=field) from None
    return text.replace("\r\n", "\n").strip()


def lang_pairs(items: list[str] | None, *, field: str) -> dict[str, str]:
    """``["en=words", "zh=…"]`` as ``{"en": "words", …}``; each language once."""
    found: dict[str, str] = {}
    for item in items or []:
        lang, sep, value = item.partition("=")
        lang = lang.strip()
        if not sep or not lang:
            raise InvalidInput(f"{item[:40]!r}: write LANG=VALUE, e.g. en=…", field=field)
        if lang in found:
            raise InvalidInput(f"{lang!r} is given twice", field=field)
        found[lang] = value
    return found


def meeting_id(svc: MeetingService, args: argparse.Namespace) -> MeetingId:
    """``--meeting``, or the only meeting in the database."""
    return svc.the_meeting(args.meeting)


def principal(svc: MeetingService, mid: MeetingId, args: argparse.Namespace) -> Principal:
    """``--as DELEGATE`` when given (the library still checks that delegate's roles)."""
    acting: str | None = getattr(args, "acting", None)
    return svc.delegate(mid, acting) if acting else CONSOLE

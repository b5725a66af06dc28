"""The ``consensus-kit`` command: thin commands over the public API.

Every command has help text; a mistake prints one clear line per problem on stderr and exits
with status 1 (2 for a malformed command line). Output into a pipe closed early
(``consensus-kit signatories | head -1``) ends the command quietly with status 141. The CLI
acts as the *console*: the person who holds the database, with the secretariat's rights and no
more; ``--as DELEGATE`` acts as a delegate, whose roles the library checks as it does for the
web UI.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence

from consensus_kit import ConsensusError, MeetingFileError, __version__
from consensus_kit.cli import (
    administration,
    amending,
    badges,
    documents,
    drafting,
    floor,
    meetings,
    signing,
    votes,
)
from consensus_kit.cli._common import Commands

__all__ = ["build_parser", "main", "older_forms"]


def build_parser() -> argparse.ArgumentParser:
    """The parser of every library command (the web UI adds ``serve`` and ``demo``)."""
    parser = argparse.ArgumentParser(
        prog="consensus-kit",
        description="Run a multilingual declaration negotiated by many organisations.",
    )
    parser.add_argument("--version", action="version", version=f"consensus-kit {__version__}")
    commands = Commands(parser.add_subparsers(dest="command", metavar="COMMAND", required=True))
    for module in (meetings, drafting, signing, documents, badges, administration):
        module.register(commands)
    for module in (amending, votes, floor):  # running the meeting, --as a delegate
        module.register(commands)
    return parser


def older_forms(argv: Sequence[str] | None = None) -> list[str]:
    """The command line (default: ``sys.argv``) with older forms of a command rewritten to
    today's: ``translate PART:LANG --file F`` is ``translate update PART:LANG --file F``."""
    return drafting.legacy_translate(list(sys.argv[1:] if argv is None else argv))


def _silence_stdout() -> None:
    """The reader of our output went away (``consensus-kit signatories | head -1``): point
    stdout at /dev/null so that Python's own flush at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - stdout without a file descriptor
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(older_forms(argv))
    # A command runs once and exits. Without this, the cyclic garbage collector spends about a
    # sixth of an export's time rescanning the objects that loading SQLAlchemy, python-docx and
    # lxml creates (bench/bench_docx.py); what a command allocates is freed at exit.
    collecting = gc.isenabled()
    gc.disable()
    try:
        status = int(args.func(args))
        sys.stdout.flush()  # a closed pipe shows here, not at exit with a traceback
        return status
    except BrokenPipeError:
        _silence_stdout()
        return 141  # 128 + SIGPIPE, as a command killed by the closed pipe would report
    except MeetingFileError as exc:
        for problem in exc.problems:
            print(f"error: {exc.source}: {problem}", file=sys.stderr)
        return 1
    except ConsensusError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    except OSError as exc:  # a file the command reads or writes: one line, never a traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        if collecting:
            gc.enable()

"""The ``consensus-kit`` command: thin commands over the public API.

Every command has help text; a mistake prints one clear line per problem on stderr and exits
with status 1 (2 for a malformed command line). The CLI acts as the *console*: the person who
holds the database, with the secretariat's rights and no more; ``--as DELEGATE`` acts as a
delegate, whose roles the library checks as it does for the web UI.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence

from consensus_kit import ConsensusError, MeetingFileError, __version__
from consensus_kit.cli import administration, badges, documents, drafting, meetings, signing
from consensus_kit.cli._common import Commands

__all__ = ["build_parser", "main"]


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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    # A command runs once and exits. Without this, the cyclic garbage collector spends about a
    # sixth of an export's time rescanning the objects that loading SQLAlchemy, python-docx and
    # lxml creates (bench/bench_docx.py); what a command allocates is freed at exit.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return int(args.func(args))
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

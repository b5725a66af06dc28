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
import importlib
import os
import sys
from collections.abc import Sequence

from consensus_kit import ConsensusError, MeetingFileError, __version__
from consensus_kit.cli._common import Commands, close_opened

__all__ = [
    "COMMAND_MODULES",
    "MODULES",
    "build_parser",
    "command_of",
    "ending",
    "main",
    "older_forms",
    "run",
]

# The modules of consensus_kit.cli that register commands, in the order ``--help`` lists them
# (the last three run the meeting, --as a delegate).
MODULES = (
    *("meetings", "drafting", "signing", "documents", "badges", "administration"),
    *("amending", "votes", "floor"),
)

COMMAND_MODULES: dict[str, str] = {
    **dict.fromkeys(("migrate", "load", "show", "versions", "compare", "verify"), "meetings"),
    "codes": "meetings",
    **dict.fromkeys(("diff", "lint", "confirm", "translate"), "drafting"),
    **dict.fromkeys(("freeze", "keygen", "register-key", "sign", "signatories"), "signing"),
    "public-key": "signing",
    **dict.fromkeys(("export", "import-docx"), "documents"),
    "badges": "badges",
    **dict.fromkeys(("organisations", "delegates"), "administration"),
    **dict.fromkeys(("amendments", "amend"), "amending"),
    "vote": "votes",
    **dict.fromkeys(("agenda", "signing"), "floor"),
}
"""The module that registers each command. A command line builds the parser of its command's
module alone and imports no other: the ~80 sub-parsers of every command cost ~50 ms to build
and the other modules ~50 ms to import, which a command that runs for a fraction of a second
(``export``) should not pay; ``--help`` and a mistyped command get every command.
tests/cli/test_cli.py checks this table against what the modules register."""


def command_of(argv: Sequence[str]) -> str | None:
    """The command a command line starts with (``None`` when it starts with an option, such as
    ``--help``, which then applies to every command)."""
    return argv[0] if argv and not argv[0].startswith("-") else None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of the library's commands (the web UI adds ``serve`` and ``demo``): of every
    command, or, given one of ours (see :data:`COMMAND_MODULES`), of the commands of its module
    only, which parses that command's line in the same way."""
    parser = argparse.ArgumentParser(
        prog="consensus-kit",
        description="Run a multilingual declaration negotiated by many organisations.",
    )
    parser.add_argument("--version", action="version", version=f"consensus-kit {__version__}")
    commands = Commands(parser.add_subparsers(dest="command", metavar="COMMAND", required=True))
    own = COMMAND_MODULES.get(command or "")
    for name in (own,) if own else MODULES:
        importlib.import_module(f"consensus_kit.cli.{name}").register(commands)
    return parser


def older_forms(argv: Sequence[str] | None = None) -> list[str]:
    """The command line (default: ``sys.argv``) with older forms of a command rewritten to
    today's: ``translate PART:LANG --file F`` is ``translate update PART:LANG --file F``."""
    words = list(sys.argv[1:] if argv is None else argv)
    if words[:1] != ["translate"]:
        return words
    from consensus_kit.cli.drafting import legacy_translate  # noqa: PLC0415

    return legacy_translate(words)


def _silence_stdout() -> None:
    """The reader of our output went away (``consensus-kit signatories | head -1``): point
    stdout at /dev/null so that Python's own flush at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - stdout without a file descriptor
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line (default: ``sys.argv``, as the program); returns the exit status."""
    words = older_forms(argv)
    status = run(build_parser(command_of(words)).parse_args(words))
    if argv is None:
        ending()
    return status


def ending() -> None:
    """The command ran as the program, which ends now: spare it the garbage collector's last
    pass over every object at exit (~0.1 s after a Word export, whose python-docx, lxml and
    SQLAlchemy objects are many), which frees nothing the operating system does not. Every
    object is moved out of the collector's reach (:func:`gc.freeze`); :func:`run` has closed
    the databases already, so nothing waits for a collection."""
    gc.freeze()


def run(args: argparse.Namespace) -> int:
    """Run a parsed command line (from :func:`build_parser`); returns the exit status."""
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
        close_opened()
        if collecting:
            gc.enable()

"""``consensus-kit``: the library's commands plus ``serve``, which runs the web UI.

The library must not import the web UI, so the console script points here; every other
command is the library's own.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from consensus_kit import ConsensusError
from consensus_kit.cli import build_parser, command_of, ending, older_forms
from consensus_kit.cli import run as library_run
from webui.serve import serve_command

__all__ = ["main", "parser"]


def _sub(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:  # type: ignore[type-arg]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise RuntimeError("the library's parser has no sub-commands")


def parser(command: str | None = None) -> argparse.ArgumentParser:
    """The library's parser with ``serve`` and ``demo`` added (given a library command: the
    parser of that command's module only, see :func:`consensus_kit.cli.build_parser`)."""
    full = build_parser(command)
    text = "Run the web UI (pages, JSON API, live feed) over a database."
    serve = _sub(full).add_parser("serve", help=text, description=text)
    serve.add_argument(
        "--db",
        default=os.environ.get("CK_DB", "consensus.db"),
        help="database URL or SQLite file path (default: $CK_DB or %(default)s)",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (%(default)s)")
    serve.add_argument("--port", type=int, default=8000, help="port (%(default)s)")
    serve.add_argument(
        "--redis",
        default=os.environ.get("CK_REDIS"),
        help="Redis URL for live notices across workers (default: $CK_REDIS, else in memory)",
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes (%(default)s; more need --redis "
        "for instant updates, and PostgreSQL is advised)",
    )
    serve.set_defaults(func=serve_command)

    text = "Replay the A20 summit up to a live vote and serve it (the one-command demo)."
    demo = _sub(full).add_parser("demo", help=text, description=text)
    demo.add_argument(
        "--db",
        default="a20-demo.db",
        help="SQLite file for the demo, replaced on each run (%(default)s)",
    )
    demo.add_argument("--host", default="127.0.0.1", help="address to listen on (%(default)s)")
    demo.add_argument("--port", type=int, default=8000, help="port (%(default)s)")
    demo.add_argument(
        "--no-serve",
        action="store_true",
        help="prepare the database and print the codes, do not serve",
    )
    demo.set_defaults(func=_demo)
    return full


def _demo(args: argparse.Namespace) -> int:
    from webui.demo import demo_command  # noqa: PLC0415 - only this command needs the replay

    return demo_command(args)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``consensus-kit``: ``serve`` here, every other command in the library."""
    words = older_forms(argv)
    args = parser(command_of(words)).parse_args(words)
    if args.command not in ("serve", "demo"):
        status = library_run(args)
        if argv is None:  # the program, which ends now (see consensus_kit.cli.ending)
            ending()
        return status
    try:
        return int(args.func(args))
    except ConsensusError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

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
from consensus_kit.cli import build_parser
from consensus_kit.cli import main as library_main

__all__ = ["main", "parser"]


def _sub(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:  # type: ignore[type-arg]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise RuntimeError("the library's parser has no sub-commands")


def parser() -> argparse.ArgumentParser:
    """The library's parser with the ``serve`` command added."""
    full = build_parser()
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


def serve_command(args: argparse.Namespace) -> int:
    """Start uvicorn with :func:`webui.app.create_app`; settings travel in the environment."""
    import uvicorn  # noqa: PLC0415 - only this command needs it

    from consensus_kit import SqlStore  # noqa: PLC0415 - loads SQLAlchemy and Alembic
    from webui.settings import Settings  # noqa: PLC0415

    try:  # refuse to serve a database whose schema is missing or outdated, with the fix
        SqlStore.open(args.db, migrate=False).close()
    except ConsensusError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    os.environ["CK_DB"] = args.db
    if args.redis:
        os.environ["CK_REDIS"] = args.redis
    if args.workers > 1 and not args.redis:
        print(
            "warning: several workers without --redis: each worker notices changes made by the "
            "others within about a second (its poll), not at once",
            file=sys.stderr,
        )
    # fewer, rarer garbage collections in each worker: with 2,000 open live streams a full
    # collection paused the event loop for hundreds of milliseconds (bench/bench_live.py: p99
    # time-to-all 540-600 ms with Python's default thresholds, 240-290 ms with these)
    os.environ.setdefault("CK_GC_THRESHOLDS", "5000,20,1000")
    # resolve the secret once, so that every worker signs cookies with the same key
    os.environ["CK_SECRET"] = Settings.from_env().secret
    uvicorn.run(
        "webui.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=True,
        timeout_graceful_shutdown=3,  # live streams never end by themselves
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``consensus-kit``: ``serve`` here, every other command in the library."""
    args = parser().parse_args(argv)
    if args.command in ("serve", "demo"):
        try:
            return int(args.func(args))
        except ConsensusError as exc:
            print(f"error: {exc.message}", file=sys.stderr)
            return 1
    return library_main(argv)


if __name__ == "__main__":
    sys.exit(main())

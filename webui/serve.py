"""``consensus-kit serve``: run the web UI under uvicorn (the demo serves through it too)."""

from __future__ import annotations

import argparse
import os
import sys

from consensus_kit import ConsensusError

__all__ = ["serve_command"]


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

"""What a load balancer asks a server: ``/healthz`` (the process is up) and ``/readyz`` (it can
serve: the database and Redis answer, and it is not stopping), and what a stopping server does.

On SIGTERM (or SIGINT) the server first tells its live streams to reconnect elsewhere
(:meth:`webui.live.LiveHub.drain`) and answers ``/readyz`` with 503; uvicorn then stops accepting
connections and finishes the requests under way. A client's ``EventSource`` reconnects through
the balancer to another server with its ``Last-Event-ID`` and misses nothing.
"""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

import anyio
import msgspec
from anyio import to_thread
from litestar import Request, Response, get
from litestar.openapi.datastructures import ResponseSpec

from webui.live import LiveHub

__all__ = ["ReadyOut", "drain_on_signals", "health_handlers"]

_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class HealthOut(msgspec.Struct, frozen=True, kw_only=True):
    """``/healthz``: the process answers."""

    status: str


class ReadyOut(msgspec.Struct, frozen=True, kw_only=True):
    """``/readyz``: whether this server can serve, and what it checked."""

    status: str
    """``ready`` or ``unavailable``."""
    database: str
    """``ok`` or ``unreachable``."""
    redis: str
    """``ok``, ``unreachable`` or ``not used`` (no ``--redis``: live notices stay in process)."""
    stopping: bool
    """Whether the server received SIGTERM and is finishing its requests."""


@get(
    "/healthz",
    summary="Liveness: the process is up",
    description=(
        "Answers 200 as long as the server process runs and its event loop turns; it reads "
        "neither the database nor Redis. For a supervisor that restarts a hung process; a "
        "load balancer should ask `/readyz`."
    ),
    tags=["operations"],
    cache_control=None,
)
async def healthz() -> HealthOut:
    """The process is up."""
    return HealthOut(status="ok")


async def _database_ok(request: Request[Any, Any, Any]) -> bool:
    store = request.app.state.service.store

    def ping() -> None:
        with store.reading():  # a pooled connection is pinged before use, then BEGIN
            pass

    for _ in range(2):  # a connection the server just ended is dropped; the second is fresh
        try:
            with anyio.fail_after(2.0):
                await to_thread.run_sync(ping, abandon_on_cancel=True)
            return True
        except Exception:  # any fault of the database means "not ready"
            continue
    return False


@get(
    "/readyz",
    summary="Readiness: the database and Redis are reachable",
    description=(
        "Answers 200 when this server can serve requests: the database accepts a connection "
        "and, when the server runs with `--redis`, Redis answers a PING (each within 2 s). "
        "Answers 503 with the same body when either is unreachable or the server is stopping "
        "(it received SIGTERM): a load balancer sends no new request to it until it answers "
        "200 again. No login needed; reveals no address or error text."
    ),
    tags=["operations"],
    responses={
        503: ResponseSpec(
            data_container=ReadyOut,
            description=(
                "Not ready: `database` or `redis` is `unreachable`, or `stopping` is true. "
                "Sent with `Retry-After: 2`."
            ),
        )
    },
    cache_control=None,
)
async def readyz(request: Request[Any, Any, Any]) -> Response[ReadyOut]:
    """Whether the database and Redis answer; 503 otherwise or while stopping."""
    hub: LiveHub = request.app.state.hub
    backend = hub.link
    reachable: Callable[[], Any] | None = getattr(backend, "reachable", None)
    database, redis = await asyncio.gather(
        _database_ok(request), reachable() if reachable else _not_used()
    )
    redis_state = "not used" if redis is None else "ok" if redis else "unreachable"
    ready = database and redis is not False and not hub.draining
    body = ReadyOut(
        status="ready" if ready else "unavailable",
        database="ok" if database else "unreachable",
        redis=redis_state,
        stopping=hub.draining,
    )
    headers = {"Cache-Control": "no-store"}
    if not ready:
        headers["Retry-After"] = "2"
    return Response(body, status_code=200 if ready else 503, headers=headers)


async def _not_used() -> None:
    return None


health_handlers = [healthz, readyz]


def drain_on_signals(hub: LiveHub) -> None:
    """On SIGTERM or SIGINT, drain ``hub`` first, then let uvicorn's own handler stop the server.

    Called at application start-up, after uvicorn installed its handlers (it restores its
    originals when it stops). Does nothing outside the main thread (a test client)."""
    if threading.current_thread() is not threading.main_thread():
        return
    loop = asyncio.get_running_loop()
    for sig in _SIGNALS:
        previous = signal.getsignal(sig)

        def handler(number: int, frame: FrameType | None, previous: Any = previous) -> None:
            loop.call_soon_threadsafe(hub.drain)
            if callable(previous):
                previous(number, frame)
            elif previous == signal.SIG_DFL:  # nobody else handles it: stop as by default
                signal.signal(number, signal.SIG_DFL)
                signal.raise_signal(number)

        signal.signal(sig, handler)

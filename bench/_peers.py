"""The peers our HTTP benchmarks are compared with: Litestar apps built the way ours is.

    python bench/_peers.py ballots DB PORT WORKERS   # POST /ballots/{vote}
    python bench/_peers.py live DB PORT WORKERS      # GET /live (SSE), POST /publish

Served by uvicorn exactly as ``consensus-kit serve`` serves ours. Each peer keeps the parts of
our design that make it fast and drops the rules, so the ratio shows what the rules cost:

- **ballots**: checks the same bearer token (``webui.tokens.read_token``, the same key) and
  hands the ballot to the same group commit (``consensus_kit.service.group_commit``), awaited
  in the event loop, which inserts each batch in one transaction into the same kind of
  database with the same settings (our engine: SQLite WAL, ``synchronous=FULL``, ``BEGIN
  IMMEDIATE``; the same PostgreSQL). No membership or vote rules, no tally, no event log.
  (The former ceiling skipped the token and committed each request alone: ours beat it.)
- **live**: one subscription to the channel per process, a pump that wakes every stream, each
  message encoded once and sent as raw bytes by every stream, as ``webui/live.py`` does; no
  event log read. (The former peer subscribed once per stream and re-encoded per stream, which
  made it slower than ours.) For reconnections (``bench_live_accept.py``) it has our cookie
  session and CSRF middleware with the same keys, refuses a stream without a session naming a
  delegate (a bearer header is taken unchecked: the fan-out bench does not time connecting) and
  replays the messages after ``after=`` / ``Last-Event-ID`` from memory: no database at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import hashlib
import os
import sys
import time
from collections.abc import AsyncGenerator
from pathlib import Path
from typing import Any

import msgspec
from litestar import Litestar, Request, get, post
from litestar.channels import ChannelsPlugin
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.exceptions import NotAuthorizedException
from litestar.middleware.session.client_side import CookieBackendConfig
from litestar.params import FromPath, FromQuery, RequestBody
from litestar.response import Stream
from litestar.response.sse import ServerSentEventMessage

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from consensus_kit import NotAuthenticated  # noqa: E402
from consensus_kit.service.group_commit import GroupCommit  # noqa: E402
from consensus_kit.storage.engine import make_engine  # noqa: E402
from webui.tokens import read_token  # noqa: E402

TABLE = (
    "CREATE TABLE IF NOT EXISTS peer_ballots (vote INTEGER NOT NULL, key VARCHAR(100) NOT NULL, "
    "choice VARCHAR(10) NOT NULL, token VARCHAR(1000) NOT NULL, PRIMARY KEY (vote, key))"
)
INSERT = "INSERT INTO peer_ballots (vote, key, choice, token) VALUES (%s, %s, %s, %s)"


class BallotIn(msgspec.Struct, frozen=True):
    choice: str
    key: str


class Stored(msgspec.Struct, frozen=True):
    vote: int
    key: str


@get("/ready", sync_to_thread=False)
def ready() -> str:
    return "ok"


@post("/ballots/{vote:int}", status_code=200)
async def cast(
    request: Request[Any, Any, Any], vote: FromPath[int], data: RequestBody[BallotIn]
) -> Stored:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    try:  # the token check ours makes (ours also re-checks the login once a second)
        if scheme.lower() != "bearer":
            raise NotAuthenticated("no bearer token")
        read_token(request.app.state.token_key, token.strip(), time.time())
    except NotAuthenticated as exc:
        raise NotAuthorizedException(exc.message) from None
    group: GroupCommit[tuple[int, str, str, str], None] = request.app.state.group
    await group.submit_async((vote, data.key, data.choice, token))
    return Stored(vote=vote, key=data.key)


def _gc_as_ours() -> None:
    gc.set_threshold(5000, 20, 1000)  # what ``consensus-kit serve`` sets in each worker


def ballots_app() -> Litestar:
    """The ballot ceiling over the database in ``BENCH_PEER_DB``."""
    _gc_as_ours()
    engine = make_engine(os.environ["BENCH_PEER_DB"])
    with engine.begin() as connection:
        connection.exec_driver_sql(TABLE)
    insert = INSERT if engine.dialect.name == "postgresql" else INSERT.replace("%s", "?")

    def insert_batch(items: list[tuple[int, str, str, str]]) -> list[None]:
        with engine.begin() as connection:  # one transaction, one commit for the batch
            connection.exec_driver_sql(insert, items)
        return [None] * len(items)

    secret = os.environ["BENCH_PEER_SECRET"]
    return Litestar(
        route_handlers=[ready, cast],
        state=State(
            {
                "engine": engine,
                "group": GroupCommit(insert_batch),
                # the key webui.settings.Settings.key("token") derives from the same secret
                "token_key": hashlib.sha256(f"consensus-kit/token/{secret}".encode()).digest(),
            }
        ),
        on_shutdown=[engine.dispose],
    )


CHANNEL = "meeting:bench"


class _Listener:
    __slots__ = ("wake",)

    def __init__(self) -> None:
        self.wake = asyncio.Event()


class _Hub:
    """One subscription per process; each notice is encoded once and wakes every stream."""

    def __init__(self) -> None:
        self.listeners: set[_Listener] = set()
        self.messages: dict[int, bytes] = {}
        self.latest = 0

    async def pump(self, channels: ChannelsPlugin) -> None:
        subscriber = await channels.subscribe(CHANNEL)
        try:
            async for data in subscriber.iter_events():
                notice = msgspec.json.decode(data)
                seq, kind = int(notice["seq"]), str(notice["type"])
                body = msgspec.json.encode({"seq": seq, "type": kind}).decode()
                self.messages[seq] = ServerSentEventMessage(id=seq, event=kind, data=body).encode()
                self.latest = max(self.latest, seq)
                for listener in self.listeners:
                    listener.wake.set()
        finally:
            await channels.unsubscribe(subscriber)


_OPENING = ServerSentEventMessage(comment="peer live feed", retry=2000).encode()


@get("/live", sync_to_thread=False)
async def live(request: Request[Any, Any, Any], after: FromQuery[int | None] = None) -> Stream:
    hub: _Hub = request.app.state.hub
    if not request.headers.get("authorization") and not request.session.get("delegate"):
        raise NotAuthorizedException("log in")
    resume = request.headers.get("last-event-id") or after
    start = hub.latest if resume is None else int(resume)

    async def stream() -> AsyncGenerator[bytes, None]:
        listener = _Listener()
        hub.listeners.add(listener)
        after = start
        try:
            yield _OPENING
            while True:
                listener.wake.clear()
                while after < hub.latest:
                    after += 1
                    message = hub.messages.get(after)
                    if message is not None:
                        yield message
                await listener.wake.wait()
        finally:
            hub.listeners.discard(listener)

    return Stream(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


@post("/publish/{seq:int}", sync_to_thread=False, status_code=200)
async def publish(request: Request[Any, Any, Any], seq: FromPath[int]) -> int:
    channels: ChannelsPlugin = request.app.state.channels
    channels.publish({"seq": seq, "type": "agenda_set"}, CHANNEL)
    return seq


def live_app() -> Litestar:
    """The live peer: our fan-out design, without the event log or authentication."""
    _gc_as_ours()
    channels = ChannelsPlugin(
        backend=MemoryChannelsBackend(),
        channels=[CHANNEL],
        subscriber_max_backlog=50,
        subscriber_backlog_strategy="dropleft",
    )
    hub = _Hub()
    tasks: list[asyncio.Task[None]] = []

    async def start() -> None:
        tasks.append(asyncio.create_task(hub.pump(channels)))

    async def stop() -> None:
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    secret = os.environ["BENCH_PEER_SECRET"]
    key = hashlib.sha256(f"consensus-kit/session/{secret}".encode()).digest()
    session = CookieBackendConfig(secret=key, key="ck_session", httponly=True, samesite="lax")
    csrf_key = hashlib.sha256(f"consensus-kit/csrf/{secret}".encode()).hexdigest()
    return Litestar(
        route_handlers=[ready, live, publish],
        plugins=[channels],
        middleware=[session.middleware],  # our session and CSRF middleware, our keys
        csrf_config=CSRFConfig(secret=csrf_key, cookie_name="ck_csrf", exclude=["/publish"]),
        state=State({"channels": channels, "hub": hub}),
        on_startup=[start],
        on_shutdown=[stop],
    )


def main() -> None:
    import uvicorn  # noqa: PLC0415

    kind, db, port, workers = sys.argv[1:5]
    os.environ["BENCH_PEER_DB"] = db
    uvicorn.run(
        f"_peers:{kind}_app",
        factory=True,
        app_dir=str(Path(__file__).resolve().parent),
        host="127.0.0.1",
        port=int(port),
        workers=int(workers),
        proxy_headers=True,
        timeout_graceful_shutdown=3,
    )


if __name__ == "__main__":
    main()

"""Bare Litestar apps: the ceilings our HTTP benchmarks are compared with.

    python bench/_peers.py ballots DB PORT WORKERS   # POST /ballots/{vote}: insert one row
    python bench/_peers.py live DB PORT WORKERS      # GET /live (SSE), POST /publish

Served by uvicorn exactly as ``consensus-kit serve`` serves ours. The ballot ceiling inserts one
row per request into the same kind of database with the same settings (our engine: SQLite WAL,
``synchronous=FULL``, ``BEGIN IMMEDIATE``; the same PostgreSQL), and does nothing else: no
authentication, no rules, no event log. The live ceiling broadcasts the same SSE message to every
connected stream through Litestar's channels (memory backend), without reading any event log.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncGenerator
from pathlib import Path
from typing import Any

import msgspec
from litestar import Litestar, Request, get, post
from litestar.channels import ChannelsPlugin
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.datastructures import State
from litestar.params import FromPath, RequestBody
from litestar.response import ServerSentEvent
from litestar.response.sse import ServerSentEventMessage

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from consensus_kit.storage.engine import make_engine  # noqa: E402

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


@post("/ballots/{vote:int}", sync_to_thread=True, status_code=200)
def cast(
    request: Request[Any, Any, Any], vote: FromPath[int], data: RequestBody[BallotIn]
) -> Stored:
    engine = request.app.state.engine
    insert = INSERT if engine.dialect.name == "postgresql" else INSERT.replace("%s", "?")
    token = request.headers.get("authorization", "")
    with engine.begin() as connection:
        connection.exec_driver_sql(insert, (vote, data.key, data.choice, token))
    return Stored(vote=vote, key=data.key)


def ballots_app() -> Litestar:
    """The ballot ceiling over the database in ``BENCH_PEER_DB``."""
    engine = make_engine(os.environ["BENCH_PEER_DB"])
    with engine.begin() as connection:
        connection.exec_driver_sql(TABLE)
    return Litestar(
        route_handlers=[ready, cast],
        state=State({"engine": engine}),
        on_shutdown=[engine.dispose],
    )


CHANNEL = "meeting:bench"


@get("/live", sync_to_thread=False)
async def live(request: Request[Any, Any, Any]) -> ServerSentEvent:
    channels: ChannelsPlugin = request.app.state.channels

    async def stream() -> AsyncGenerator[ServerSentEventMessage, None]:
        wake: asyncio.Queue[bytes] = asyncio.Queue()

        async def on_message(data: bytes) -> None:
            wake.put_nowait(data)

        subscriber = await channels.subscribe(CHANNEL)
        try:
            async with subscriber.run_in_background(on_message, join=False):
                yield ServerSentEventMessage(comment="peer live feed", retry=2000)
                while True:
                    message = msgspec.json.decode(await wake.get())
                    yield ServerSentEventMessage(
                        id=message["seq"], event=message["type"], data=msgspec.json.encode(
                            {"seq": message["seq"], "type": message["type"]}
                        ).decode(),
                    )  # fmt: skip
        finally:
            await channels.unsubscribe(subscriber)

    return ServerSentEvent(stream(), headers={"Cache-Control": "no-store"})


@post("/publish/{seq:int}", sync_to_thread=False, status_code=200)
async def publish(request: Request[Any, Any, Any], seq: FromPath[int]) -> int:
    channels: ChannelsPlugin = request.app.state.channels
    channels.publish({"seq": seq, "type": "agenda_set"}, CHANNEL)
    return seq


def live_app() -> Litestar:
    """The live ceiling: a broadcast of one small SSE message to every stream."""
    channels = ChannelsPlugin(
        backend=MemoryChannelsBackend(),
        channels=[CHANNEL],
        subscriber_max_backlog=50,
        subscriber_backlog_strategy="dropleft",
    )
    return Litestar(
        route_handlers=[ready, live, publish],
        plugins=[channels],
        state=State({"channels": channels}),
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

"""The live feed's messages, as the bytes every stream sends (see :mod:`webui.live`)."""

from __future__ import annotations

import asyncio
from functools import lru_cache

import msgspec
from litestar.response.sse import ServerSentEventMessage

from consensus_kit import Event

__all__ = ["HEARTBEAT", "OPENING", "RECONNECT", "Listener", "event_type", "message"]

OPENING = ServerSentEventMessage(comment="consensus-kit live feed", retry=2000).encode()
HEARTBEAT = ServerSentEventMessage(comment="heartbeat").encode()
# the server is stopping: reconnect soon (the balancer sends the new stream elsewhere); no id,
# so the client's Last-Event-ID stays that of the last event it received
RECONNECT = ServerSentEventMessage(event="reconnect", data="{}", retry=250).encode()


def event_type(event: Event) -> str:
    """The event's kind as named in the log (``ballot_cast``, ``vote_opened``…)."""
    tag = type(event.body).__struct_config__.tag
    return str(tag)


@lru_cache(maxsize=4096)
def message(seq: int, kind: str) -> bytes:
    """An event's SSE message, encoded once for all the streams that send it."""
    data = msgspec.json.encode({"seq": seq, "type": kind}).decode()
    return ServerSentEventMessage(id=seq, event=kind, data=data).encode()


class Listener:
    """One stream's wake-up: set at each notice, with the newest event number announced; its
    login (meeting, delegate, credential), and whether a check of it found it ended."""

    __slots__ = ("login", "refused", "wake", "wanted")

    def __init__(self, login: tuple[str, str, str] | None = None) -> None:
        self.wake = asyncio.Event()
        self.wanted = 0
        self.login = login
        self.refused = False

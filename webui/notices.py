"""Live notices through Redis that survive Redis going away (``CK_REDIS``).

Redis only carries "meeting M changed, up to event N" between workers; the event log is the
source of truth, so Redis is optional at run time. Litestar's own Redis pub/sub backend has no
way back from a fault: one failed publish ends the plugin's publishing task (and every later
notice waits in its queue forever, so a SIGTERM never finishes), a lost subscription ends its
reading task, and a subscription refused at the start cuts the stream that asked for it. This
backend keeps the same interface but never lets a Redis error out:

- ``publish`` gives up after a short timeout and reports the fault; the hub then wakes its own
  streams at once and each worker's poller finds changes made elsewhere within its period;
- ``subscribe`` and ``unsubscribe`` remember the channels and never fail (a stream that opens
  while Redis is down still works, by polling);
- ``stream_events`` reconnects every ``retry`` seconds, subscribes again to every channel in
  use, and then the hub goes back to push;
- every call on Redis has a timeout, so shutdown ends even when Redis hangs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, Callable, Iterable
from typing import Any

from litestar.channels.backends.base import ChannelsBackend
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

__all__ = ["RedisNotices"]

log = logging.getLogger("consensus_kit.webui")


class RedisNotices(ChannelsBackend):
    """Litestar channels over Redis pub/sub, with timeouts and reconnection.

    ``up`` says whether notices go through Redis right now; ``on_trouble`` (set by the hub) is
    called when a notice may have been lost, and again when Redis is back."""

    def __init__(self, url: str, *, timeout: float = 1.0, retry: float = 1.0) -> None:
        self._redis: Redis = Redis.from_url(
            url,
            socket_connect_timeout=timeout,
            socket_timeout=timeout,
            retry=Retry(NoBackoff(), 0),  # no hidden retries: the loop below retries
        )
        self.timeout = timeout
        self.retry = retry
        self.up = True  # until a fault says otherwise
        self.on_trouble: Callable[[], None] = lambda: None
        self._channels: set[str] = set()
        self._pubsub: PubSub | None = None
        self._broken = False
        self._wanted: asyncio.Event | None = None
        self._connecting: asyncio.Lock | None = None

    def _lock(self) -> asyncio.Lock:
        if self._connecting is None:
            self._connecting = asyncio.Lock()
        return self._connecting

    def _event(self) -> asyncio.Event:
        if self._wanted is None:  # created inside the running loop
            self._wanted = asyncio.Event()
        return self._wanted

    def _lost(self, what: str, exc: BaseException) -> None:
        """Redis failed: fall back to polling until the loop reconnects."""
        self._broken = True
        if self.up:  # once per outage: the hub's streams re-read the log now, then poll
            log.warning("Redis unavailable (%s: %s): live updates fall back to polling", what, exc)
            self.up = False
            self.on_trouble()

    async def on_startup(self) -> None:
        """Nothing to do: the first subscription connects."""

    async def on_shutdown(self) -> None:
        """Close the subscription and the pool, giving up after the timeout."""
        await self._drop()
        with contextlib.suppress(Exception):
            async with asyncio.timeout(self.timeout):
                await self._redis.aclose()

    async def publish(self, data: bytes, channels: Iterable[str]) -> None:
        """Send ``data`` on each channel; a fault is reported, never raised."""
        if self._broken:  # already known: the hub wakes its streams itself until Redis is back
            return
        try:
            async with asyncio.timeout(self.timeout):
                for channel in channels:
                    await self._redis.publish(channel, data)
        except Exception as exc:  # any Redis fault means "poll instead"
            self._lost("publish", exc)

    async def subscribe(self, channels: Iterable[str]) -> None:
        """Listen on ``channels`` now if Redis answers, else as soon as it does."""
        added = set(channels) - self._channels
        self._channels |= added
        self._event().set()
        if self._broken or not added:
            return  # the loop subscribes again when Redis is back
        if self._pubsub is None:
            await self._connect()  # before the stream's first read: no notice falls between
            return
        try:
            async with asyncio.timeout(self.timeout):
                await self._pubsub.subscribe(*added)
        except Exception as exc:
            self._lost("subscribe", exc)

    async def unsubscribe(self, channels: Iterable[str]) -> None:
        """Stop listening on ``channels`` (Redis forgets them anyway if the link is down)."""
        gone = set(channels) & self._channels
        self._channels -= gone
        if self._pubsub is not None and not self._broken and gone:
            try:
                async with asyncio.timeout(self.timeout):
                    await self._pubsub.unsubscribe(*gone)
            except Exception as exc:
                self._lost("unsubscribe", exc)

    async def stream_events(self) -> AsyncGenerator[tuple[str, Any], None]:
        """The notices of the channels in use, forever; reconnects after any fault."""
        while True:
            if not self._channels:  # nothing to listen to: check on Redis now and then
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self.retry):
                        await self._event().wait()
                self._event().clear()
                if not self._channels and (self._broken or not self.up):
                    await self._ping()
                continue
            if self._pubsub is None or self._broken:
                if not await self._connect():
                    await asyncio.sleep(self.retry)
                continue
            pubsub = self._pubsub
            try:
                message = await pubsub.get_message(
                    ignore_subscribe_messages=True, timeout=self.retry
                )
            except Exception as exc:
                self._lost("subscription", exc)
                continue
            if message is None or message.get("type") != "message":
                continue
            channel = message["channel"]
            channel = channel.decode() if isinstance(channel, bytes) else str(channel)
            if channel in self._channels:
                yield channel, message["data"]

    async def reachable(self) -> bool:
        """Whether Redis answers a PING within the timeout (for ``/readyz``; changes nothing)."""
        try:
            async with asyncio.timeout(self.timeout):
                await self._redis.ping()
        except Exception:  # any Redis fault means "not reachable"
            return False
        return True

    async def _ping(self) -> None:
        try:
            async with asyncio.timeout(self.timeout):
                await self._redis.ping()
        except Exception as exc:
            self._lost("ping", exc)
            return
        self._back()

    async def _connect(self) -> bool:
        """A new subscription to every channel in use; ``False`` if Redis does not answer."""
        async with self._lock():
            if self._pubsub is not None and not self._broken:
                return True  # another task connected meanwhile
            return await self._reconnect()

    async def _reconnect(self) -> bool:
        await self._drop()
        pubsub = self._redis.pubsub()
        done: set[str] = set()
        try:
            async with asyncio.timeout(self.timeout):
                while self._channels - done:  # a stream may open meanwhile
                    wanted = self._channels - done
                    await pubsub.subscribe(*wanted)
                    done |= wanted
        except Exception as exc:
            self._lost("subscribe", exc)
            with contextlib.suppress(Exception):
                async with asyncio.timeout(self.timeout):
                    await pubsub.aclose()
            return False
        self._pubsub = pubsub
        self._back()
        return True

    def _back(self) -> None:
        was_down = self._broken or not self.up
        self._broken = False
        self.up = True
        if was_down:
            log.info("Redis reachable: live updates are pushed again")
            self.on_trouble()  # a notice may have been missed while reconnecting

    async def _drop(self) -> None:
        pubsub, self._pubsub = self._pubsub, None
        if pubsub is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(self.timeout):
                    await pubsub.aclose()

    async def get_history(self, channel: str, limit: int | None = None) -> list[bytes]:
        """Pub/sub keeps no history (the event log does)."""
        return []

"""The live feed: every page learns within a second that the meeting changed.

Why Server-Sent Events: the feed only goes one way (server → page; every change a delegate
makes is an ordinary form POST), SSE is plain HTTP that passes proxies and needs no protocol
upgrade, the browser's ``EventSource`` reconnects by itself and sends ``Last-Event-ID``, and
our event log already numbers every change, so that id is all a client needs to get exactly
what it missed. WebSockets would add a second protocol for no gain.

How: the event log in the database is the source of truth. After a request changed a meeting
(after its transaction committed), :meth:`LiveHub.changed` has a small notice published
``{"meeting": M, "seq": N}`` on the meeting's one channel (a fixed set of names: Litestar never
frees dynamic channel names). Each process subscribes to that channel once per meeting and
wakes its streams; each then takes the events after its last id (read once per change for all
streams). Changes made elsewhere (the CLI, another worker without Redis) are found by one
poller per process that checks each watched meeting's log every second and publishes the same
notice; each stream also re-reads by itself every few seconds as a safety net, and sends a
heartbeat comment every 15 to 20 seconds. A new stream replays what it missed from the events
this process keeps (one read shared by the streams opened together when they lack some), and
the hub re-checks the logins of all its streams in one read, so a stream's check before it
sends costs nothing: 2,000 phones reconnecting, or one notice to 2,000 streams, make a few
reads of the database rather than thousands.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import threading
import time
from collections.abc import AsyncGenerator, Callable
from functools import partial
from typing import Any, Protocol, runtime_checkable

import anyio
import msgspec
from anyio import to_thread
from litestar.channels import ChannelsPlugin
from litestar.channels.subscriber import Subscriber

from consensus_kit import (
    CONSOLE,
    ConsensusError,
    Event,
    GroupCommit,
    MeetingId,
    MeetingService,
    NotAuthenticated,
    Unavailable,
)
from webui.live_messages import HEARTBEAT, OPENING, RECONNECT, Listener, event_type, message

__all__ = ["LiveHub", "event_type"]

log = logging.getLogger("consensus_kit.webui")

SAFETY_POLL = 5.0
LOGIN_CHECK = 1.0  # a stream re-checks its login (logged out, code re-issued) this often
# the hub re-checks the logins of all its streams in one read this often, so that a stream's
# own check (before it sends) finds its login checked within the last second (trusted, no read)
LOGIN_REFRESH = 0.7
BATCH = 200
RECENT = 1000


@runtime_checkable
class Link(Protocol):
    """A channel backend that can be away (Redis): ``up`` says whether notices go through it;
    it calls ``on_trouble`` when a notice may have been lost and when it is back."""

    up: bool
    on_trouble: Callable[[], None]


class LiveHub:
    """Notices per meeting, the last sequence number seen, and the fallback poller."""

    def __init__(
        self,
        service: MeetingService,
        channels: ChannelsPlugin,
        *,
        poll_interval: float = 1.0,
        heartbeat: float = 15.0,
        link: Link | None = None,
    ) -> None:
        self.service = service
        self.channels = channels
        # while the link is down, notices go straight to this process's streams and each
        # process's poller finds the changes made by the others within ``poll_interval``
        self.link = link
        if link is not None:
            link.on_trouble = self.wake_all
        self.poll_interval = poll_interval
        self.heartbeat = heartbeat
        self._known: dict[str, int] = {}
        self._published: dict[str, int] = {}
        self._task: asyncio.Task[None] | None = None
        self._logins_task: asyncio.Task[None] | None = None
        # the latest events of each meeting as this process last read them, and when: a notice
        # wakes every stream at once, and 2,000 streams each reading the log took ~1.7 s
        self._recent: dict[str, list[Event]] = {}
        self._read_at: dict[str, float] = {}
        self._lock = threading.Lock()
        self._dirty: set[str] = set()
        self._notifiers: dict[str, asyncio.Future[None]] = {}
        # the newest event number each meeting's notices announced here
        self._announced: dict[str, int] = {}
        # new streams' reads of the log: those arriving together share one (2,000 phones
        # reconnecting at once), which begins after they arrived, so it holds all they missed
        self._reads: GroupCommit[str, int | BaseException] = GroupCommit(
            self._read_latest, limit=100_000
        )
        # one channel subscription per meeting and process, shared by its streams: a notice
        # wakes each stream directly (a subscription per stream meant a queue and a task per
        # stream to wake at every notice)
        self._listeners: dict[str, set[Listener]] = {}
        self._subscriptions: dict[str, tuple[Subscriber, asyncio.Task[None]]] = {}
        self._subscribing = asyncio.Lock()
        # the server is stopping (SIGTERM): every stream is told to reconnect elsewhere
        self.draining = False

    @staticmethod
    def channel(meeting: str) -> str:
        """The one channel of a meeting."""
        return f"meeting:{meeting}"

    def known_seq(self, meeting: str) -> int:
        """The meeting's latest event number, read now (sync: call from a worker thread)."""
        last = self._known.get(meeting, 0)
        newer = self.service.events_after(CONSOLE, MeetingId(meeting), last, limit=None)
        self._remember(meeting, newer, time.monotonic())
        if newer:
            last = max(self._known.get(meeting, 0), newer[-1].seq)
            self._known[meeting] = last
        return last

    def _remember(self, meeting: str, events: list[Event], read_at: float) -> None:
        """Keep ``events`` (read from the log at ``read_at``) as the meeting's latest."""
        with self._lock:
            recent = self._recent.setdefault(meeting, [])
            for event in events:
                if recent and event.seq <= recent[-1].seq:
                    continue
                if recent and event.seq != recent[-1].seq + 1:
                    recent.clear()  # a gap: keep only what follows it
                recent.append(event)
            del recent[:-RECENT]
            if not events or (recent and recent[-1].seq == events[-1].seq):
                self._read_at[meeting] = max(self._read_at.get(meeting, 0.0), read_at)

    def _cached(self, meeting: str, after: int, wanted: int) -> list[Event] | None:
        """The events after ``after`` if the meeting's latest, read within the safety poll,
        hold all of them up to at least ``wanted``; else ``None`` (read the log)."""
        with self._lock:
            recent = self._recent.get(meeting)
            fresh = time.monotonic() - self._read_at.get(meeting, 0.0) < SAFETY_POLL
            if not recent or not fresh or recent[-1].seq < max(wanted, after):
                return None
            if recent[0].seq > after + 1:
                return None
            start = after + 1 - recent[0].seq  # the numbers are consecutive: no search
            return recent[start : start + BATCH]

    async def _events(
        self, actor: Any, meeting: str, after: int, wanted: int, first: bool
    ) -> list[Event]:
        """Events after ``after``: from the shared latest when they hold them, else the log. A
        new stream whose events they lack waits for the read it shares with those opened with
        it. (What the latest miss because it was committed by another process without a notice
        comes, as to every stream, after the poller's next read.)"""
        cached = self._cached(meeting, after, wanted)
        if cached is None and first:  # the latest lack some: read them, with the others
            cached = self._cached(meeting, after, max(wanted, await self.latest(meeting)))
        if cached is not None:
            return cached
        read_at = time.monotonic()
        events = await to_thread.run_sync(
            partial(self.service.events_after, actor, MeetingId(meeting), after, BATCH)
        )
        if len(events) < BATCH:
            self._remember(meeting, events, read_at)
        return events

    async def latest(self, meeting: str) -> int:
        """The meeting's latest event number, read after this call began, in one read shared
        with the new streams asking at the same time (each read was a thread and a
        transaction of its own); the events read are kept as the meeting's latest."""
        return await self._reads.submit_async(meeting)  # type: ignore[return-value]

    def _read_latest(self, meetings: list[str]) -> list[int | BaseException]:
        """In the reads' thread: :meth:`known_seq` once per meeting asked for."""
        seqs: dict[str, int | BaseException] = {}
        for meeting in dict.fromkeys(meetings):
            try:
                seqs[meeting] = self.known_seq(meeting)
            except ConsensusError as exc:
                seqs[meeting] = exc
        return [seqs[m] for m in meetings]

    async def advanced(self, meeting: str) -> None:
        """The poller: tell every stream of ``meeting`` that it moved on past the last notice
        published (a change made elsewhere: the CLI, another worker without Redis)."""
        seq = await to_thread.run_sync(self.known_seq, meeting)
        if seq > self._published.get(meeting, 0):
            self._publish(meeting, seq)

    def changed(self, meeting: str) -> None:
        """After a request's change committed: a notice follows soon. A burst of changes (2,000
        ballots) shares a few reads of the log and notices: one task per meeting reads and
        publishes while changes keep coming, and each change costs the request nothing more."""
        self._dirty.add(meeting)
        task = self._notifiers.get(meeting)
        if task is None or task.done():
            self._notifiers[meeting] = asyncio.ensure_future(self._announce(meeting))

    async def _announce(self, meeting: str) -> None:
        # a read that began before a change committed may miss it: the change marked the
        # meeting dirty again, so one more read follows
        while meeting in self._dirty:
            self._dirty.discard(meeting)
            try:
                seq = await to_thread.run_sync(self.known_seq, meeting)
            except Exception:  # the database is away: the streams' own safety read catches up
                log.warning("live notice for %s not sent: the event log cannot be read", meeting)
                return
            self._publish(meeting, seq)

    def _publish(self, meeting: str, seq: int) -> None:
        self._published[meeting] = max(seq, self._published.get(meeting, 0))
        if self.link is not None and not self.link.up:
            self._wake(meeting, seq)  # Redis is away: this process's streams, at once
            return
        try:
            self.channels.publish({"meeting": meeting, "seq": seq}, self.channel(meeting))
        except RuntimeError:  # the channels are already shut down: the server is stopping
            log.debug("live notice for %s not sent: shutting down", meeting)

    def _wake(self, meeting: str, seq: int) -> None:
        """Wake every stream of ``meeting`` in this process: events up to ``seq`` are due."""
        self._announced[meeting] = max(seq, self._announced.get(meeting, 0))
        for listener in self._listeners.get(meeting, ()):
            listener.wanted = max(listener.wanted, seq)
            listener.wake.set()

    def wake_all(self) -> None:
        """Wake every stream of this process to re-read the log (a notice may be lost)."""
        for meeting in list(self._listeners):
            self._wake(meeting, self._published.get(meeting, 0))

    def drain(self) -> None:
        """The server is stopping: every stream sends a reconnect message and ends; the client
        resumes through the balancer on another server from its ``Last-Event-ID``."""
        self.draining = True
        for listeners in self._listeners.values():
            for listener in listeners:
                listener.wake.set()

    async def start(self) -> None:
        """Start the poller and the logins' re-check (on application start-up)."""
        self._task = asyncio.create_task(self._poll())
        self._logins_task = asyncio.create_task(self._recheck_logins())

    async def stop(self) -> None:
        """Stop the poller and the notices under way (on shutdown)."""
        pumps = [pump for _, pump in self._subscriptions.values()]
        started = (self._task, self._logins_task, *self._notifiers.values(), *pumps)
        tasks = [t for t in started if t is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _recheck_logins(self) -> None:
        """Every LOGIN_REFRESH seconds, re-check the logins of every stream here in one read
        (a notice woke 2,000 streams whose own checks had lapsed: 2,000 checks before the
        event went out); a stream whose login ended is woken, and ends."""
        while True:
            await asyncio.sleep(LOGIN_REFRESH)
            listeners = [x for xs in self._listeners.values() for x in xs if x.login]
            if not listeners:
                continue
            logins = [x.login for x in listeners if x.login is not None]
            try:
                valid = await to_thread.run_sync(self.service.recheck_logins, logins)
            except ConsensusError:  # the database is away: each stream checks by itself
                continue
            for listener, ok in zip(listeners, valid, strict=True):
                if not ok:
                    listener.refused = True
                    listener.wake.set()

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self.poll_interval)
            for meeting in list(self._listeners):  # the meetings with a stream here
                try:
                    await self.advanced(meeting)
                except Exception:
                    continue

    async def stream(
        self,
        actor: Any,
        meeting: str,
        after: int,
        login: tuple[str, str, str] | None = None,
    ) -> AsyncGenerator[bytes, None]:
        """Events of ``meeting`` after ``after`` as SSE messages, then every new one, until
        ``login`` (meeting, delegate, credential: checked within the last second before
        anything is sent) is found ended.

        The caller has checked that ``actor`` may read the meeting's events (the first events
        may come from those this process keeps: no read of the log per new stream)."""
        listener = await self._listen(meeting, login)
        try:
            yield OPENING
            beat = checked = time.monotonic()
            first = True
            while True:
                listener.wake.clear()
                if self.draining:
                    yield RECONNECT
                    return
                if listener.refused:  # the hub's re-check found the login ended
                    return
                if login is not None and time.monotonic() - checked >= LOGIN_CHECK:
                    try:
                        await self.service.resume_async(*login)
                        checked = time.monotonic()
                    except NotAuthenticated:  # logged out, or the code was re-issued
                        return
                    except ConsensusError:  # the database is away: check again next time
                        pass
                try:
                    events = await self._events(actor, meeting, after, listener.wanted, first)
                except Unavailable:
                    if first:
                        raise
                    events = []  # the database is away: read again at the next wake-up
                first = False
                for event in events:
                    after = event.seq
                    yield message(event.seq, event_type(event))
                if len(events) == BATCH:
                    continue
                # the safety re-read comes at a random point of its period, so that 2,000
                # streams opened together do not all wake at once every few seconds
                pause = min(self.heartbeat, SAFETY_POLL) * random.uniform(0.5, 1.0)
                with contextlib.suppress(TimeoutError):  # no task per wait, as wait_for has
                    async with asyncio.timeout(pause):
                        await listener.wake.wait()
                if time.monotonic() - beat >= self.heartbeat:
                    beat = time.monotonic()
                    yield HEARTBEAT
        finally:
            with anyio.CancelScope(shield=True):
                await self._unlisten(meeting, listener)

    async def _listen(self, meeting: str, login: tuple[str, str, str] | None) -> Listener:
        """A new stream's wake-up; the first stream of a meeting subscribes to its channel."""
        listener = Listener(login)
        # the events announced here so far: the shared latest must reach them to be used
        listener.wanted = max(self._announced.get(meeting, 0), self._published.get(meeting, 0))
        async with self._subscribing:
            if meeting not in self._subscriptions:
                subscriber = await self.channels.subscribe(self.channel(meeting))
                pump = asyncio.create_task(self._pump(meeting, subscriber))
                self._subscriptions[meeting] = (subscriber, pump)
            self._listeners.setdefault(meeting, set()).add(listener)
        return listener

    async def _unlisten(self, meeting: str, listener: Listener) -> None:
        """A stream ended; the last stream of a meeting unsubscribes."""
        async with self._subscribing:
            listeners = self._listeners.get(meeting, set())
            listeners.discard(listener)
            if listeners or meeting not in self._subscriptions:
                return
            del self._listeners[meeting]
            subscriber, pump = self._subscriptions.pop(meeting)
            pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pump
            await self.channels.unsubscribe(subscriber)

    async def _pump(self, meeting: str, subscriber: Subscriber) -> None:
        """Wake every stream of ``meeting`` in this process at each notice on its channel."""
        async for data in subscriber.iter_events():
            seq = 0
            with contextlib.suppress(msgspec.DecodeError, KeyError, TypeError, ValueError):
                seq = int(msgspec.json.decode(data)["seq"])
            self._wake(meeting, seq)

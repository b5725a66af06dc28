"""Group commit: concurrent requests of one kind share a transaction, each gets its own answer.

A burst of ballots (2,000 organisations voting at once) would otherwise pay one commit — one
fsync, one turn at the database's write lock — per ballot. Requests are handed to a
:class:`GroupCommit`; its writer thread runs everything waiting as one batch (one transaction)
and hands each request its own result or error. While a batch runs, the next one gathers, so
the busier the meeting, the larger the batches.

Threads wait with :meth:`GroupCommit.submit`; coroutines await :meth:`GroupCommit.submit_async`
without holding a worker thread: the writer settles all of a batch's coroutines in one call
into their event loop, not one wake-up each. The writer starts with the first request and ends
after a second without any, so an idle service (or a test's thousand services) keeps no thread.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

__all__ = ["GroupCommit"]

T = TypeVar("T")
R = TypeVar("R")

IDLE_SECONDS = 1.0
"""How long the writer thread waits for a request before it ends (the next one starts it)."""


class _Waiting(Generic[T, R]):
    __slots__ = ("error", "future", "item", "loop", "result", "wake")

    def __init__(
        self,
        item: T,
        loop: asyncio.AbstractEventLoop | None = None,
        future: asyncio.Future[R] | None = None,
    ) -> None:
        self.item = item
        self.loop, self.future = loop, future  # a coroutine's; else a thread waits on ``wake``
        self.wake = threading.Event() if future is None else None
        self.result: R | None = None
        self.error: BaseException | None = None


def _settle(batch: list[_Waiting[T, R]]) -> None:
    """In the event loop: give each awaiting coroutine its answer (unless it stopped waiting)."""
    for waiting in batch:
        future = waiting.future
        if future is None or future.done():  # cancelled: the client went away
            continue
        if waiting.error is not None:
            future.set_exception(waiting.error)
        else:
            future.set_result(waiting.result)  # type: ignore[arg-type]


class GroupCommit(Generic[T, R]):
    """Run ``run_batch`` over the items submitted meanwhile, in a writer thread.

    ``run_batch(items)`` returns one result per item, in order: a value, or an exception that
    is raised to that item's caller alone. An exception raised by ``run_batch`` itself (the
    transaction failed: nothing of the batch was kept) is raised to every caller of the batch.
    """

    def __init__(
        self, run_batch: Callable[[list[T]], Sequence[R | BaseException]], *, limit: int = 64
    ) -> None:
        self._run_batch = run_batch
        self._limit = limit
        self._ready = threading.Condition(threading.Lock())
        self._queue: list[_Waiting[T, R]] = []
        self._writer: threading.Thread | None = None

    def submit(self, item: T) -> R:
        """Run ``item`` in the next batch; its result, or raise its error (blocks the thread)."""
        mine: _Waiting[T, R] = _Waiting(item)
        self._enqueue(mine)
        assert mine.wake is not None
        mine.wake.wait()
        if mine.error is not None:
            raise mine.error
        return mine.result  # type: ignore[return-value]

    async def submit_async(self, item: T) -> R:
        """Run ``item`` in the next batch; its result, or raise its error (awaits, no thread)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[R] = loop.create_future()
        self._enqueue(_Waiting(item, loop, future))
        return await future

    def _enqueue(self, waiting: _Waiting[T, R]) -> None:
        with self._ready:
            self._queue.append(waiting)
            if self._writer is None:
                self._writer = threading.Thread(
                    target=self._write, name="consensus-kit group commit", daemon=True
                )
                self._writer.start()
            else:
                self._ready.notify()

    def _write(self) -> None:
        """The writer thread: batch after batch while requests keep coming."""
        while True:
            with self._ready:
                if not self._queue:
                    self._ready.wait(IDLE_SECONDS)
                if not self._queue:
                    self._writer = None  # the next request starts another writer
                    return
                batch, self._queue = self._queue[: self._limit], self._queue[self._limit :]
            self._run(batch)

    def _run(self, batch: list[_Waiting[T, R]]) -> None:
        try:
            results: Sequence[R | BaseException] = self._run_batch([w.item for w in batch])
            if len(results) != len(batch):
                raise RuntimeError("a batch must return one result per item")
        except BaseException as exc:  # the whole batch failed: every request sees why
            results = [exc] * len(batch)
        loops: dict[asyncio.AbstractEventLoop, list[_Waiting[T, R]]] = {}
        for waiting, result in zip(batch, results, strict=True):
            if isinstance(result, BaseException):
                waiting.error = result
            else:
                waiting.result = result
            if waiting.wake is not None:
                waiting.wake.set()
            else:
                assert waiting.loop is not None
                loops.setdefault(waiting.loop, []).append(waiting)
        for loop, waiting_there in loops.items():
            try:
                loop.call_soon_threadsafe(_settle, waiting_there)
            except RuntimeError:  # that loop is closed: nobody is left to answer
                continue

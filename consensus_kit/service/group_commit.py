"""Group commit: concurrent requests of one kind share a transaction, each gets its own answer.

A burst of ballots (2,000 organisations voting at once) would otherwise pay one commit — one
fsync, one turn at the database's write lock — per ballot. Threads hand their request to a
:class:`GroupCommit`; one of them at a time, the leader, runs everything waiting as one batch
(one transaction) and hands each request its own result or error. A lone caller (the CLI, a
quiet meeting) simply runs a batch of one, in its own thread, as before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

__all__ = ["GroupCommit"]

T = TypeVar("T")
R = TypeVar("R")


class _Waiting(Generic[T, R]):
    __slots__ = ("error", "finished", "item", "lead", "result", "wake")

    def __init__(self, item: T) -> None:
        self.item = item
        self.wake = threading.Event()
        self.finished = False
        self.lead = False
        self.result: R | None = None
        self.error: BaseException | None = None


class GroupCommit(Generic[T, R]):
    """Run ``run_batch`` over the items submitted meanwhile by other threads.

    ``run_batch(items)`` returns one result per item, in order: a value, or an exception that
    is raised in that item's thread alone. An exception raised by ``run_batch`` itself (the
    transaction failed: nothing of the batch was kept) is raised in every item's thread.
    """

    def __init__(
        self, run_batch: Callable[[list[T]], Sequence[R | BaseException]], *, limit: int = 64
    ) -> None:
        self._run_batch = run_batch
        self._limit = limit
        self._lock = threading.Lock()
        self._queue: list[_Waiting[T, R]] = []
        self._leading = False

    def submit(self, item: T) -> R:
        """Run ``item`` in the next batch; its result, or raise its error."""
        mine: _Waiting[T, R] = _Waiting(item)
        with self._lock:
            self._queue.append(mine)
            mine.lead = not self._leading
            self._leading = True
        while True:
            if mine.lead:
                self._lead(mine)
                break
            mine.wake.wait()
            mine.wake.clear()
            if mine.finished:
                break
        if mine.error is not None:
            raise mine.error
        return mine.result  # type: ignore[return-value]

    def _lead(self, mine: _Waiting[T, R]) -> None:
        """Run batches until ``mine`` is done; then pass the lead to a waiting request."""
        while not mine.finished:
            with self._lock:
                batch, self._queue = self._queue[: self._limit], self._queue[self._limit :]
            assert batch, "a request that is not finished is still queued"
            try:
                results: Sequence[R | BaseException] = self._run_batch([w.item for w in batch])
                if len(results) != len(batch):
                    raise RuntimeError("a batch must return one result per item")
            except BaseException as exc:  # the whole batch failed: every request sees why
                results = [exc] * len(batch)
            for waiting, result in zip(batch, results, strict=True):
                if isinstance(result, BaseException):
                    waiting.error = result
                else:
                    waiting.result = result
                waiting.finished = True
                waiting.wake.set()
        with self._lock:
            if self._queue:
                following = self._queue[0]
                following.lead = True
                following.wake.set()  # it sees ``lead`` and runs the next batch
            else:
                self._leading = False

"""Group commit: concurrent requests share batches, and each gets exactly its own answer."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from consensus_kit.service import group_commit
from consensus_kit.service.group_commit import GroupCommit


class Recorder:
    """A batch runner that records its batches; item ``"bad-…"`` is refused on its own and
    ``"boom"`` fails its whole batch."""

    def __init__(self, pause: float = 0.0) -> None:
        self.batches: list[list[str]] = []
        self.threads: set[threading.Thread] = set()
        self.pause = pause

    def __call__(self, items: list[str]) -> list[str | BaseException]:
        self.batches.append(list(items))
        self.threads.add(threading.current_thread())
        time.sleep(self.pause)
        if "boom" in items:
            raise RuntimeError("the transaction failed")
        return [ValueError(i) if i.startswith("bad-") else i.upper() for i in items]


def submit_all(group: GroupCommit[str, str], items: list[str]) -> dict[str, object]:
    answers: dict[str, object] = {}
    lock = threading.Lock()
    start = threading.Barrier(len(items))

    def one(item: str) -> None:
        start.wait()
        try:
            answer: object = group.submit(item)
        except BaseException as exc:
            answer = exc
        with lock:
            answers[item] = answer

    threads = [threading.Thread(target=one, args=(i,)) for i in items]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a request was never answered"
    return answers


def test_a_lone_request_is_a_batch_of_one_and_the_idle_writer_ends(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(group_commit, "IDLE_SECONDS", 0.05)
    runner = Recorder()
    group: GroupCommit[str, str] = GroupCommit(runner)
    assert group.submit("a") == "A"
    assert runner.batches == [["a"]]
    [writer] = runner.threads
    assert writer is not threading.current_thread()  # the writer ran it, not the caller
    writer.join(timeout=5)
    assert not writer.is_alive(), "an idle writer thread stayed"
    assert group.submit("b") == "B"  # a new writer starts for the next request
    assert runner.batches == [["a"], ["b"]]
    assert len(runner.threads) == 2


def test_concurrent_requests_share_batches_and_each_gets_its_own_answer() -> None:
    runner = Recorder(pause=0.01)
    group: GroupCommit[str, str] = GroupCommit(runner, limit=16)
    items = [f"item-{i}" for i in range(120)]
    answers = submit_all(group, items)
    assert answers == {i: i.upper() for i in items}
    done = [i for batch in runner.batches for i in batch]
    assert sorted(done) == sorted(items)  # each exactly once
    assert len(runner.batches) < len(items) / 2  # they were grouped
    assert max(len(b) for b in runner.batches) <= 16


def test_a_refusal_is_raised_only_in_its_own_thread() -> None:
    group: GroupCommit[str, str] = GroupCommit(Recorder(pause=0.005))
    items = [f"ok-{i}" for i in range(30)] + [f"bad-{i}" for i in range(5)]
    answers = submit_all(group, items)
    for item, answer in answers.items():
        if item.startswith("bad-"):
            assert isinstance(answer, ValueError) and str(answer) == item
        else:
            assert answer == item.upper()


def test_a_failed_batch_fails_each_of_its_requests_and_the_next_ones_go_on() -> None:
    runner = Recorder()
    group: GroupCommit[str, str] = GroupCommit(runner)
    with pytest.raises(RuntimeError, match="transaction failed"):
        group.submit("boom")
    answers = submit_all(group, [f"after-{i}" for i in range(20)])
    assert answers == {f"after-{i}": f"AFTER-{i}" for i in range(20)}


async def _gather(group: GroupCommit[str, str], items: list[str]) -> dict[str, object]:
    async def one(item: str) -> object:
        try:
            return await group.submit_async(item)
        except BaseException as exc:
            return exc

    answers = await asyncio.wait_for(asyncio.gather(*(one(i) for i in items)), timeout=30)
    return dict(zip(items, answers, strict=True))


def test_coroutines_share_batches_without_threads_and_each_gets_its_own_answer() -> None:
    runner = Recorder(pause=0.005)
    group: GroupCommit[str, str] = GroupCommit(runner, limit=16)
    items = [f"c-{i}" for i in range(150)] + [f"bad-{i}" for i in range(10)]
    threads_before = threading.active_count()
    answers = asyncio.run(_gather(group, items))
    for item, answer in answers.items():
        if item.startswith("bad-"):
            assert isinstance(answer, ValueError) and str(answer) == item
        else:
            assert answer == item.upper()
    done = [i for batch in runner.batches for i in batch]
    assert sorted(done) == sorted(items)
    assert len(runner.batches) < len(items) / 2
    assert max(len(b) for b in runner.batches) <= 16
    assert threading.active_count() <= threads_before + 1  # the writer, no thread per request


def test_a_failed_batch_fails_each_waiting_coroutine_and_threads_and_coroutines_mix() -> None:
    runner = Recorder(pause=0.002)
    group: GroupCommit[str, str] = GroupCommit(runner)
    with pytest.raises(RuntimeError, match="transaction failed"):
        asyncio.run(group.submit_async("boom"))

    async def both() -> tuple[dict[str, object], dict[str, object]]:
        threaded = asyncio.to_thread(submit_all, group, [f"t-{i}" for i in range(20)])
        return await asyncio.gather(threaded, _gather(group, [f"a-{i}" for i in range(40)]))

    by_thread, by_coroutine = asyncio.run(both())
    assert by_thread == {f"t-{i}": f"T-{i}" for i in range(20)}
    assert by_coroutine == {f"a-{i}": f"A-{i}" for i in range(40)}


def test_a_coroutine_that_stops_waiting_leaves_the_others_their_answers() -> None:
    started = threading.Event()

    def slow(items: list[str]) -> list[str | BaseException]:
        started.set()
        time.sleep(0.1)
        return [i.upper() for i in items]

    group: GroupCommit[str, str] = GroupCommit(slow)

    async def scenario() -> tuple[str, str]:
        gone = asyncio.create_task(group.submit_async("gone"))
        await asyncio.to_thread(started.wait, 5)
        stay = asyncio.create_task(group.submit_async("stay"))
        gone.cancel()
        with pytest.raises(asyncio.CancelledError):
            await gone
        # the cancelled request still ran (a ballot may have been stored: its key makes a
        # retry safe); the next one is answered
        return await stay, await group.submit_async("later")

    assert asyncio.run(scenario()) == ("STAY", "LATER")

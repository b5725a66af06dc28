"""Group commit: concurrent requests share batches, and each gets exactly its own answer."""

from __future__ import annotations

import threading
import time

import pytest

from consensus_kit.service.group_commit import GroupCommit


class Recorder:
    """A batch runner that records its batches; item ``"bad-…"`` is refused on its own and
    ``"boom"`` fails its whole batch."""

    def __init__(self, pause: float = 0.0) -> None:
        self.batches: list[list[str]] = []
        self.threads: set[int] = set()
        self.pause = pause

    def __call__(self, items: list[str]) -> list[str | BaseException]:
        self.batches.append(list(items))
        self.threads.add(threading.get_ident())
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


def test_a_lone_request_runs_in_its_own_thread_as_a_batch_of_one() -> None:
    runner = Recorder()
    group: GroupCommit[str, str] = GroupCommit(runner)
    assert group.submit("a") == "A"
    assert runner.batches == [["a"]]
    assert runner.threads == {threading.get_ident()}


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

"""Redis is optional at run time (issue 17): a private ``redis-server`` that the test stops,
pauses and restarts under real ``consensus-kit serve`` processes.

While Redis is away, live updates come from each worker's poll (``CK_POLL``, 1 s here) rather
than the streams' own safety re-read (2.5 to 5 s with a 15 s heartbeat), requests are not slowed
and push returns when Redis does; SIGTERM ends ``serve`` within 10 s in every state.
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import redis

from consensus_kit import open_service
from tests.builders import load_meeting
from tests.office import need
from tests.web.test_live import Server, free_port, start_server, stop_server

pytestmark = pytest.mark.timeout(240)

ENV = {"CK_POLL": "1", "CK_HEARTBEAT": "15"}
POLL_BOUND = 2.0  # the poll period (1 s) plus reading; the safety re-read takes 2.5 s or more


class PrivateRedis:
    """A ``redis-server`` of our own on a free port (never the shared one on 6379)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(redis.RedisError):
                if self.client().ping():
                    return
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def pause(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_timeout=2, socket_connect_timeout=2)

    def subscribers(self, channel: str) -> int:
        return int(dict(self.client().pubsub_numsub(channel))[channel.encode()])


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    need("redis-server")
    server = PrivateRedis()
    try:
        yield server
    finally:
        if server.process is not None:
            server.resume()
        server.stop()


class Feed:
    """A ``/live`` stream read by a thread that notes when each event arrived."""

    def __init__(self, server: Server, who: str) -> None:
        self.arrived: list[tuple[int, float]] = []
        self.status = 0
        self._client = httpx.Client(timeout=httpx.Timeout(5.0, read=60.0))
        self._headers = {"Authorization": f"Bearer {server.token(who)}",
                         "Last-Event-ID": str(server.last_seq())}  # fmt: skip
        self._url = f"{server.base}/live"
        self._open = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        assert self._open.wait(10), "the stream did not open"

    def _read(self) -> None:
        with (
            contextlib.suppress(httpx.HTTPError),
            self._client.stream("GET", self._url, headers=self._headers) as response,
        ):
            self.status = response.status_code
            self._open.set()
            for line in response.iter_lines():
                if line.startswith("id:"):
                    self.arrived.append((int(line[3:]), time.monotonic()))

    @property
    def ended(self) -> bool:
        return not self._thread.is_alive()

    def latency(self, change: Callable[[], int]) -> float:
        """Seconds from the start of ``change`` (which returns its event's number) until that
        event arrived on the stream; infinity if it did not within 10 s."""
        started = time.monotonic()
        seq = change()
        deadline = started + 10
        while time.monotonic() < deadline:
            for got, at in list(self.arrived):
                if got >= seq:
                    return at - started
            time.sleep(0.01)
        return float("inf")

    def close(self) -> None:
        self._client.close()


def mover(server: Server) -> Callable[[], int]:
    """A change through ``server``: the chair moves the agenda; returns its event's number."""
    turn = [0]

    def move() -> int:
        turn[0] += 1
        answer = server.api(
            "chair", "PUT", "/agenda", {"kind": "article", "ref": f"art-{turn[0] % 2 + 1}"}
        )
        assert answer.status_code == 200, answer.text
        return server.last_seq()

    return move


def until(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while True:
        with contextlib.suppress(redis.RedisError):
            if check():
                return
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def meeting(folder: Path) -> tuple[str, dict[str, str], str]:
    db = f"sqlite:///{folder / 'meeting.db'}"
    service = open_service(db)
    loaded = load_meeting(service)
    service.store.close()
    return db, dict(loaded.codes), loaded.meeting.id


@contextlib.contextmanager
def serve(
    db: str, codes: dict[str, str], mid: str, redis_url: str, *extra: str
) -> Iterator[Server]:
    port = free_port()
    process = start_server(db, port, "--redis", redis_url, *extra, **ENV)
    server = Server(f"http://127.0.0.1:{port}", db, codes, mid)
    server.process = process  # type: ignore[attr-defined]
    try:
        yield server
    finally:
        stop_server(process)


def sigterm_seconds(server: Server) -> float:
    """Send SIGTERM to ``server``'s process; seconds until it exited (killed after 30 s)."""
    process: subprocess.Popen[bytes] = server.process  # type: ignore[attr-defined]
    started = time.monotonic()
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
        return float("inf")
    return time.monotonic() - started


def test_live_updates_fall_back_to_the_poll_while_redis_is_away_and_push_returns(
    tmp_path: Path, private_redis: PrivateRedis
) -> None:
    private_redis.start()
    db, codes, mid = meeting(tmp_path)
    channel = f"meeting:{mid}"
    with (
        serve(db, codes, mid, private_redis.url) as a,
        serve(db, codes, mid, private_redis.url) as b,
    ):
        feed = Feed(a, "observer")
        via_a, via_b = mover(a), mover(b)
        until(lambda: private_redis.subscribers(channel) >= 1, 10, "A never subscribed")
        pushed = [feed.latency(via_b) for _ in range(3)]
        assert min(pushed) < 0.5, pushed

        private_redis.stop()
        polled = [feed.latency(move) for move in (via_b, via_a, via_b, via_a, via_b, via_a)]
        assert max(polled) < POLL_BOUND, polled
        started = time.monotonic()
        assert a.api("delegate-1", "GET", "/amendments").status_code == 200
        assert time.monotonic() - started < 1.0  # a request does not wait for Redis

        private_redis.start()
        until(lambda: private_redis.subscribers(channel) >= 1, 10, "A did not subscribe again")
        listener = private_redis.client().pubsub()
        listener.subscribe(channel)
        listener.get_message(timeout=1)  # the subscription's confirmation
        back = [feed.latency(via_b) for _ in range(3)]
        notices = [listener.get_message(timeout=2) for _ in range(3)]
        assert all(n is not None and n["type"] == "message" for n in notices), notices
        assert min(back) < 0.5, back
        listener.close()
        assert not feed.ended and feed.status == 200
        feed.close()


def _stream_and_move(server: Server) -> tuple[Feed, float]:
    """A stream on ``server`` and the time a change through it took to arrive there."""
    feed = Feed(server, "observer")
    return feed, feed.latency(mover(server))


STATES = ["up", "down after a failed publish", "down from the start", "back after a restart",
          "hung", "down after a failed publish, two workers"]  # fmt: skip


@pytest.mark.parametrize("state", STATES)
def test_sigterm_ends_serve_within_ten_seconds(
    tmp_path: Path, private_redis: PrivateRedis, state: str
) -> None:
    db, codes, mid = meeting(tmp_path)
    if state != "down from the start":
        private_redis.start()
    workers = ("--workers", "2") if state.endswith("two workers") else ()
    with serve(db, codes, mid, private_redis.url, *workers) as server:
        feed, seconds = _stream_and_move(server)
        assert feed.status == 200 and seconds < POLL_BOUND + 1, (state, seconds)
        if state.startswith("down after a failed publish") or state == "back after a restart":
            private_redis.stop()
            assert feed.latency(mover(server)) < POLL_BOUND
        if state == "back after a restart":
            private_redis.start()
            until(lambda: private_redis.subscribers(f"meeting:{mid}") >= 1, 10, "no subscription")
            assert feed.latency(mover(server)) < POLL_BOUND
        if state == "hung":
            private_redis.pause()
            started = time.monotonic()
            move = mover(server)
            assert feed.latency(move) < POLL_BOUND + 1
            assert time.monotonic() - started < POLL_BOUND + 1
        assert not feed.ended, "the stream was cut"
        took = sigterm_seconds(server)
        feed.close()
    assert took < 10, f"SIGTERM took {took:.1f} s with Redis {state}"
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{server.base}/login", timeout=2)  # the port is free again

"""Live pages for the cluster tests: ``/live`` streams through the balancer that reconnect with
``Last-Event-ID`` as ``EventSource`` does, and the meeting's last event read from the database."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter

import httpx
from sqlalchemy import text

from consensus_kit import open_service


class Watcher:
    """A live page: one ``/live`` stream through the balancer that reconnects whenever it is
    cut or told to, with ``Last-Event-ID``, as ``EventSource`` does."""

    def __init__(self, url: str, token: str, after: int) -> None:
        self.url, self.after = url, after
        self.ids: list[int] = []
        self.arrived: dict[int, float] = {}
        self.connections = 0
        self.told = 0  # "reconnect" messages from a stopping server
        self._headers = {"Authorization": f"Bearer {token}"}
        self._stop = threading.Event()
        self._open = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        assert self._open.wait(15), "the stream did not open"

    def _run(self) -> None:
        with httpx.Client(timeout=httpx.Timeout(5.0, read=30.0)) as client:
            while not self._stop.is_set():
                last = self.ids[-1] if self.ids else self.after
                with contextlib.suppress(httpx.HTTPError):
                    self._read(client, {**self._headers, "Last-Event-ID": str(last)})
                time.sleep(0.25)  # the retry the server asks for

    def _read(self, client: httpx.Client, headers: dict[str, str]) -> None:
        with client.stream("GET", f"{self.url}/live", headers=headers) as response:
            if response.status_code != 200:
                return
            self.connections += 1
            self._open.set()
            message: dict[str, str] = {}
            for line in response.iter_lines():
                if self._stop.is_set():
                    return
                if line:
                    name, _, value = line.partition(":")
                    message[name] = value.strip()
                    continue
                if "id" in message:
                    self.ids.append(int(message["id"]))
                    self.arrived.setdefault(int(message["id"]), time.monotonic())
                elif message.get("event") == "reconnect":
                    self.told += 1
                message = {}

    def wait_for(self, seq: int, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.ids and self.ids[-1] >= seq:
                return True
            time.sleep(0.05)
        return False

    def missed(self, last: int) -> tuple[int, int]:
        """(events missed, events received twice) between the start and ``last``."""
        got = Counter(self.ids)
        return (
            sum(1 for seq in range(self.after + 1, last + 1) if seq not in got),
            sum(n - 1 for n in got.values()),
        )

    def stop(self) -> None:
        """Stop reading (at the next line: a heartbeat, or the cluster going down)."""
        self._stop.set()


def last_seq(pg: str, meeting: str) -> int:
    """The meeting's latest event number, read from the database."""
    service = open_service(pg, migrate=False)
    try:
        with service.store.engine.connect() as c:
            found = c.execute(
                text("SELECT max(seq) FROM events WHERE meeting_id = :m"), {"m": meeting}
            ).scalar_one()
    finally:
        service.store.close()
    return int(found or 0)

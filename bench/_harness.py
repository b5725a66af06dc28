"""What the HTTP benchmarks share: a test meeting, real server processes, PostgreSQL schemas.

Servers are separate processes on a free loopback port: ``consensus-kit serve`` for ours (as a
deployment runs it) and uvicorn with the same settings for the bare peers in ``_peers.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import httpx
from sqlalchemy import create_engine, text

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:  # run as a script from a checkout
    sys.path.insert(0, str(ROOT))

from consensus_kit import CONSOLE, LoadedMeeting, MeetingService, parse_meeting_file  # noqa: E402
from consensus_kit.storage.engine import normalise_url  # noqa: E402

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
SECRET = "bench-secret"


def p99(values: Sequence[float]) -> float:
    """The 99th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def median(values: Sequence[float]) -> float:
    """The median of ``values``."""
    return float(statistics.median(values))


def raise_fd_limit(wanted: int) -> int:
    """Raise this process's open-file limit towards ``wanted``; the limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def meeting_toml(orgs: int, articles: int = 3) -> str:
    """A meeting of ``orgs`` organisations, each with one delegate (a voting role), a chair."""
    parts = [
        "[meeting]",
        'id = "bench"',
        'title = { en = "Benchmark summit" }',
        'place = { en = "Loopback" }',
        "start = 2026-03-18",
        "end = 2026-03-20",
        'languages = ["en"]',
        'negotiating_language = "en"',
        "",
        "[decision]",
        'rule = "simple_majority"',
        "quorum = 0.5",
        "secret = false",
    ]
    for i in range(1, orgs + 1):
        parts += ["", "[[organisations]]", f'id = "org-{i}"', f'name = {{ en = "Org {i}" }}']
        parts += ['country = "KE"', 'region = "Africa"']
    for i in range(1, orgs + 1):
        parts += ["", "[[delegates]]", f'id = "delegate-{i}"', f'name = "Delegate {i}"']
        parts += [f'organisation = "org-{i}"', 'roles = ["delegate"]']
    parts += ["", "[[delegates]]", 'id = "chair"', 'name = "The Chair"', 'roles = ["chair"]']
    parts += ["", "[[delegates]]", 'id = "secretariat"', 'name = "Secretariat"']
    parts += ['roles = ["secretariat"]']
    parts += ["", "[declaration]", "date = 2026-03-20", 'title = { en = "Declaration" }']
    parts += ['preamble = { en = "We agree" }']
    for i in range(1, articles + 1):
        parts += ["", "[[declaration.articles]]", f'id = "art-{i}"']
        parts += [f'text = {{ en = "Article {i} says what the bench needs it to say." }}']
    return "\n".join(parts) + "\n"


def load(service: MeetingService, orgs: int, articles: int = 3) -> LoadedMeeting:
    """Load the benchmark meeting into ``service``."""
    meeting_file = parse_meeting_file(meeting_toml(orgs, articles), source="bench.toml")
    return service.load_meeting(meeting_file, actor=CONSOLE)


def pg_base_url(option: str | None) -> str | None:
    """The PostgreSQL URL to use: ``--pg``, else ``CK_TEST_PG_URL``, else none."""
    return option or os.environ.get("CK_TEST_PG_URL") or None


@contextmanager
def pg_schema(base_url: str) -> Iterator[str]:
    """A private, fresh schema on the server at ``base_url``, dropped afterwards."""
    base = normalise_url(base_url)
    schema = f"ck_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def free_port() -> int:
    """A TCP port that is free on the loopback interface now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def process(command: list[str], ready: str, **env: str) -> Iterator[subprocess.Popen[bytes]]:
    """Start ``command``; wait until GET ``ready`` answers (any status); stop it afterwards.

    Its output goes to a file, as a deployment's log would (a closed pipe made every access-log
    line a logging error, and nobody read a pipe left open): ``$BENCH_LOG`` if set, else a
    temporary one."""
    environ = {**os.environ, **env}
    named = os.environ.get("BENCH_LOG")  # a file to keep it in, to read after the run
    with open(named, "w+b") if named else tempfile.TemporaryFile() as log:
        child = subprocess.Popen(command, env=environ, stdout=log, stderr=log, cwd=ROOT)
        deadline = time.monotonic() + 60
        try:
            while True:
                try:
                    httpx.get(ready, timeout=2)
                    break
                except httpx.TransportError:
                    pass
                if child.poll() is not None:
                    log.seek(0)
                    message = log.read().decode(errors="replace")
                    raise RuntimeError(f"{command[2:5]} exited: {message[-2000:]}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{command[2:5]} did not start within 60 s")
                time.sleep(0.1)
            yield child
        finally:
            child.terminate()
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(timeout=5)


@contextmanager
def serve(db: str, *extra: str, **env: str) -> Iterator[str]:
    """``consensus-kit serve`` over ``db``; yields the base URL."""
    port = free_port()
    command = [sys.executable, "-m", "webui.cli", "serve", "--db", db, "--port", str(port)]
    with process([*command, *extra], f"http://127.0.0.1:{port}/login", CK_SECRET=SECRET, **env):
        yield f"http://127.0.0.1:{port}"


@contextmanager
def serve_peer(kind: str, db: str, workers: int = 1) -> Iterator[str]:
    """A peer app of ``_peers.py`` under uvicorn, as ``serve`` runs ours; the base URL."""
    port = free_port()
    command = [sys.executable, str(HERE / "_peers.py"), kind, db, str(port), str(workers)]
    with process(command, f"http://127.0.0.1:{port}/ready", BENCH_PEER_SECRET=SECRET):
        yield f"http://127.0.0.1:{port}"


def tokens(base: str, codes: dict[str, str], who: Sequence[str]) -> dict[str, str]:
    """Bearer tokens for ``who`` from POST /api/v1/token (before any timing)."""
    out = {}
    with httpx.Client(base_url=base, timeout=30) as client:
        for delegate in who:
            answer = client.post("/api/v1/token", json={"code": codes[delegate]})
            answer.raise_for_status()
            out[delegate] = answer.json()["token"]
    return out


class HttpConnection:
    """One keep-alive HTTP/1.1 connection over asyncio streams: a load generator cheap enough
    to leave the two cores to the server (httpx's pool costs milliseconds per request when a
    hundred are in flight, more than the server it measures)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        """Send one request, read the whole response: (status, body)."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        head += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if body or method in ("POST", "PUT"):
            head += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
        status_line = await self.reader.readline()
        status = int(status_line.split(b" ", 2)[1])
        length, chunked, close = 0, False, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
            elif name == "connection" and "close" in value.lower():
                close = True
        if chunked:
            parts = []
            while size := int((await self.reader.readline()).strip(), 16):
                parts.append(await self.reader.readexactly(size))
                await self.reader.readline()
            await self.reader.readline()
            data = b"".join(parts)
        else:
            data = await self.reader.readexactly(length)
        if close:
            await self.close()
        return status, data

    async def close(self) -> None:
        """Close the connection (it reopens on the next request)."""
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError, ConnectionError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

"""The one-command demo: the A20 room, replayed to a live vote, answers on its URL."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.timeout(180)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_demo_starts_serves_the_room_and_stops(tmp_path: Path) -> None:
    port = free_port()
    db = tmp_path / "a20-demo.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "webui.cli", "demo", "--db", str(db), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    lines: list[str] = []
    try:
        while not any("Ctrl-C stops the demo" in line for line in lines):
            line = process.stdout.readline()
            assert line, "the demo ended early:\n" + "".join(lines)
            lines.append(line)
        output = "".join(lines)
        assert f"http://127.0.0.1:{port}/" in output
        codes = dict(re.findall(r"([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})  (.+)", output))
        assert len(codes) >= 5 and "the chair (佟丽华)" in codes.values()
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            for _ in range(100):
                try:
                    response = client.get("/", follow_redirects=True)
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            assert response.status_code == 200
            token = client.post("/api/v1/token", json={"code": next(iter(codes))}).json()["token"]
            votes = client.get("/api/v1/votes", headers={"Authorization": f"Bearer {token}"})
            assert votes.status_code == 200
            assert any(v["state"] == "open" for v in votes.json())
            # everyone printed who can vote does so: the chair's close then reaches quorum
            number = next(v["number"] for v in votes.json() if v["state"] == "open")
            tokens = {
                who: client.post("/api/v1/token", json={"code": code}).json()["token"]
                for code, who in codes.items()
            }
            for i, (who, token) in enumerate(tokens.items()):
                if "delegate" in who and "observer" not in who:
                    cast = client.post(
                        f"/api/v1/votes/{number}/ballots",
                        json={"choice": "yes", "key": f"demo-{i}"},
                        headers={"Authorization": f"Bearer {token}"},
                    )
                    assert cast.status_code == 200, cast.text
            chair = {"Authorization": f"Bearer {tokens['the chair (佟丽华)']}"}
            closed = client.post(f"/api/v1/votes/{number}/close", headers=chair).json()
            assert closed["result"]["outcome"] != "no_quorum", closed["result"]
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_the_demo_will_not_replace_a_database_that_is_not_a_demo(tmp_path: Path) -> None:
    other = tmp_path / "precious.db"
    other.write_bytes(b"not a demo")
    result = subprocess.run(
        [sys.executable, "-m", "webui.cli", "demo", "--db", str(other), "--no-serve"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "is not a demo database" in result.stderr
    assert other.read_bytes() == b"not a demo"


def test_serve_refuses_a_database_without_the_current_schema(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "webui.cli", "serve", "--db", str(tmp_path / "empty.db")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "run 'consensus-kit migrate --db URL'" in result.stderr

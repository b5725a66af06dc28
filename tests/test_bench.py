"""The benchmarks run in their quick mode, so they never rot. Timings are not asserted.

The rows expected do not depend on the machine, except the PostgreSQL configuration of ballot
intake, which runs only when ``CK_TEST_PG_URL`` is set (under ``CI=true`` its absence makes the
benchmark fail instead): README command 2 passes on a laptop with no database server.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_every_benchmark_runs_in_quick_mode_beside_its_peer() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert result.stdout.startswith("| benchmark |"), result.stderr
    rows = [line.split(" | ") for line in result.stdout.splitlines()[2:] if line.startswith("|")]
    names = [row[0].removeprefix("| ") for row in rows]
    with_pg = bool(os.environ.get("CK_TEST_PG_URL"))
    expected = {
        "diff:": 13,  # en and zh, natural and synthetic, 1/5/30 %; the amendments
        "start-up:": 3,
        "bilingual DOCX": 2,  # as commands; in process
        "Chinese DOCX": 2,
        "article page": 1,
        "ballot intake": 2 if with_pg else 1,  # + PostgreSQL
        "live fan-out": 1,
        "live reconnect:": 1,
        "storage:": 1,
    }
    counted = {prefix: sum(n.startswith(prefix) for n in names) for prefix in expected}
    assert counted == expected, result.stdout
    assert all(row[1] != "—" for row in rows)  # every row measured our code
    # every row but the article page's names its peer and has its figure (storage: its size)
    timed = [row for row in rows if not row[0].startswith(("| article page", "| storage:"))]
    assert all(row[3] != "—" and row[4] != "—" for row in timed)
    (storage,) = [" | ".join(row) for row in rows if "storage:" in row[0]]
    assert "whole versions" in storage and "verify as a command" in storage and "'OK" in storage
    # correctness is counted, not timed: no ballot lost or doubled, every client reached
    ballots = [" | ".join(row) for row in rows if "ballot intake" in row[0]]
    assert all("0 refused, 0 lost, 0 doubled, tally right" in row for row in ballots)
    assert any("× 3 events: 0 missed or doubled" in " | ".join(row) for row in rows)
    counts = re.findall(r"(\d+) at \d+ amendments", result.stdout)
    assert len(counts) == 2 and len(set(counts)) == 1  # statements do not grow with amendments


@pytest.mark.slow
def test_the_comparison_with_another_commit_runs() -> None:
    """bench/compare_service.py (our service against the same work at a commit) runs: here
    against HEAD itself, one round."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "compare_service.py"), "HEAD", "--rounds", "1"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines()[1:]}
    assert set(rows) == {"propose", "ballot", "adopt", "read"}
    assert all(float(row[-1]) > 0 for row in rows.values())

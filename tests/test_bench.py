"""The benchmarks run in their quick mode, so they never rot. Timings are not asserted."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_every_benchmark_runs_in_quick_mode() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert result.stdout.startswith("| benchmark |"), result.stderr
    rows = [line for line in result.stdout.splitlines()[2:] if line.startswith("|")]
    assert len(rows) >= 13
    assert all(" — " not in row.split("|")[2] for row in rows)  # every row measured our code
    # correctness is counted, not timed: no ballot lost or doubled, every client reached
    ballots = [row for row in rows if "ballot intake" in row]
    assert len(ballots) == (2 if os.environ.get("CK_TEST_PG_URL") else 1)  # + PostgreSQL
    assert all("0 refused, 0 lost, 0 doubled, tally right" in row for row in ballots)
    assert any("× 3 events: 0 missed or doubled" in row for row in rows)
    counts = re.findall(r"(\d+) at \d+ amendments", "".join(rows))
    assert len(counts) == 2 and len(set(counts)) == 1  # statements do not grow with amendments

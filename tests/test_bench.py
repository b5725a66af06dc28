"""The benchmarks run in their quick mode, so they never rot. Timings are not asserted."""

from __future__ import annotations

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
    assert len(rows) >= 9
    assert all(" — " not in row.split("|")[2] for row in rows)  # every row measured our code

"""Benchmark of start-up: the commands a user types, against pandoc's, both as processes.

Run ``python bench/bench_startup.py`` (20 repetitions) or ``--quick`` (3). A bench runner can
``import`` this file and call :func:`run`.

Why pandoc: it is the other command a secretariat runs on these texts (bench_docx compares the
exports), and a native program that starts in tens of milliseconds: the bar for "starts at
once". Ours runs as users run it: the ``consensus-kit`` console script beside this Python.
Rows: ``--version`` and ``--help`` against pandoc's, and ``import consensus_kit`` in a new
interpreter against the bare interpreter (``python -c pass``), with the heavy packages the
import loaded counted from ``sys.modules`` (tests/test_startup.py keeps that count at 0).
Target: ≤ 300 ms for each command; the import loads no SQLAlchemy, Alembic, python-docx or
lxml. The ratio is the peer's median ÷ ours.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

Row = dict[str, Any]
LIMIT_MS = 300.0
HEAVY = ("sqlalchemy", "alembic", "docx", "lxml", "litestar")


def _command() -> list[str]:
    script = Path(sys.executable).with_name("consensus-kit")
    return [str(script)] if script.exists() else [sys.executable, "-m", "webui.cli"]


def _times(command: Sequence[str], reps: int) -> list[float]:
    subprocess.run(command, check=True, capture_output=True)  # warm-up: file caches
    out = []
    for _ in range(reps):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        out.append((time.perf_counter() - start) * 1000)
    return out


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def _row(name: str, mine: list[float], theirs: list[float], target: str, met: bool) -> Row:
    median = statistics.median(mine)
    peer = statistics.median(theirs) if theirs else None
    return {
        "name": name,
        "ours_median_ms": median,
        "ours_p99_ms": _p99(mine),
        "peer_median_ms": peer,
        "peer_p99_ms": _p99(theirs) if theirs else None,
        "ratio": peer / median if peer else None,
        "target": target,
        "met": met,
    }


def run(quick: bool) -> list[Row]:
    """One row per command (see the module docstring)."""
    reps = 3 if quick else 20
    pandoc = shutil.which("pandoc")
    rows: list[Row] = []
    for flag in ("--version", "--help"):
        mine = _times([*_command(), flag], reps)
        theirs = _times([pandoc, flag], reps) if pandoc else []
        row = _row(
            f"start-up: `consensus-kit {flag}` vs `pandoc {flag}`",
            mine,
            theirs,
            f"≤ {LIMIT_MS:g} ms" + ("" if pandoc else " (pandoc not installed)"),
            statistics.median(mine) <= LIMIT_MS,
        )
        row["peer"] = "pandoc (command)"
        rows.append(row)
    probe = (
        "import sys, json, consensus_kit; "
        f"print(json.dumps(sorted({{h for h in {HEAVY!r} for m in sys.modules "
        "if m == h or m.startswith(h + '.')})))"
    )
    loaded = json.loads(
        subprocess.run(
            [sys.executable, "-c", probe], check=True, capture_output=True, text=True
        ).stdout
    )
    mine = _times([sys.executable, "-c", "import consensus_kit"], reps)
    theirs = _times([sys.executable, "-c", "pass"], reps)
    row = _row(
        "start-up: `import consensus_kit` in a new interpreter vs `python -c pass`",
        mine,
        theirs,
        "loads none of " + ", ".join(HEAVY),
        not loaded,
    )
    row["peer"] = "bare interpreter"
    row["notes"] = f"heavy packages loaded: {', '.join(loaded) or 'none'}"
    rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="3 repetitions")
    args = parser.parse_args(argv)
    rows = run(args.quick)
    for r in rows:
        print(f"{r['name']}: {r['ours_median_ms']:.0f} ms (peer {r['peer_median_ms']}); {r['met']}")
    return 0 if all(r["met"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())

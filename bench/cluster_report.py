"""Run the cluster scenarios (tests/cluster) and write their figures into bench/RESULTS.md.

    CK_TEST_PG_URL=… CK_TEST_REDIS_URL=… python bench/cluster_report.py

Each scenario of ``tests/cluster/test_cluster.py`` appends one JSON line to the file named by
``CK_CLUSTER_REPORT``; this script sets it, runs those tests, and replaces the section between
the two ``cluster`` markers of RESULTS.md (``bench/run.py --write`` keeps that section).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
START, END = "<!-- cluster:start -->", "<!-- cluster:end -->"


def section(rows: list[dict[str, Any]], machine: str) -> str:
    """The RESULTS.md section for ``rows`` (one per scenario)."""
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    lines = [
        START,
        "## Several app servers behind HAProxy (tests/cluster)",
        "",
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC with "
        f"`python bench/cluster_report.py` on: {machine}. Every request and live stream goes "
        "through HAProxy (deploy/haproxy.cfg, no stickiness); clients retry a 502/503/504 with "
        "the same key and live pages reconnect with Last-Event-ID. Latency is every attempt's, "
        "through the balancer, with 48 requests in flight; on a machine shared with other jobs "
        f"(load average {load} when this was written) it says more about the load than about "
        "the cluster. In the statuses, 0 counts requests whose connection was cut (those under "
        "way on a killed server); each was retried with its key. Lost, doubled and missed must "
        "be 0 (the tests fail otherwise).",
        "",
        "| scenario | acknowledged | stored | lost | doubled | events missed | p99 | notes |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['scenario']} | {r['acknowledged']:,} | {r['stored']:,} | {r['lost']} | "
            f"{r['doubled']} | {r['events_missed']} | {r['p99_ms']:,.0f} ms | {r['notes']} |"
        )
    lines.append(END)
    return "\n".join(lines)


def replace_section(document: str, new: str) -> str:
    """``document`` with its cluster section replaced by ``new`` (appended if it has none)."""
    if START in document and END in document:
        before, rest = document.split(START, 1)
        return before + new + rest.split(END, 1)[1]
    return document.rstrip("\n") + "\n\n" + new + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="source", help="a JSON-lines report already made")
    args = parser.parse_args(argv)
    if args.source:
        path, code = Path(args.source), 0
    else:
        path = Path(tempfile.mkstemp(suffix=".jsonl")[1])
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "tests/cluster", "-q", "-p", "no:cacheprovider"],
            cwd=HERE.parent,
            env={**os.environ, "CK_CLUSTER_REPORT": str(path)},
            check=False,
        )
        code = run.returncode
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    if not rows:
        print("error: no scenario reported (are CK_TEST_PG_URL and CK_TEST_REDIS_URL set?)",
              file=sys.stderr)  # fmt: skip
        return 1
    sys.path.insert(0, str(HERE))
    from run import machine  # noqa: PLC0415 - bench/run.py describes the machine the same way

    new = section(rows, machine())
    RESULTS.write_text(replace_section(RESULTS.read_text(encoding="utf-8"), new), "utf-8")
    print(new)
    return code


if __name__ == "__main__":
    sys.exit(main())

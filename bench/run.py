"""Run every benchmark on this machine and print one table; ``--write`` updates RESULTS.md.

    python bench/run.py            # full sizes, several repetitions each
    python bench/run.py --quick    # small sizes: what CI runs so the benchmarks never rot

Each benchmark module exposes ``run(quick) -> list[row]`` and times our code and its peer (or a
ceiling) in the same run, so the ratio holds even on a noisy machine; rows report medians and
p99 over repetitions, never one run. A benchmark measures: nothing here fails on a slow machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import inspect
import os
import platform
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
MODULES = (
    "bench_diff",
    "bench_startup",
    "bench_docx",
    "bench_page",
    "bench_ballots",
    "bench_live",
    "bench_storage",
    "bench_live_accept",
)


INTRO = """\
Each row times our code and its peer in the same run, alternating where it can, so the ratio
holds on a noisy machine (this one is shared with other jobs: absolute times vary by 2-3x
between runs, ratios much less). The ratio is the peer's median ÷ ours (ballots: our
ballots/s ÷ the ceiling's), so above 1 means faster than the peer. Each benchmark's docstring
says why its peer is the one a competent user would pick:

- **diff** (bench_diff.py): difflib on whitespace words, default and `autojunk=False`;
  diff-match-patch in word mode; rapidfuzz `Indel.opcodes` as the practical limit; Chinese
  against diff-match-patch on characters. Natural texts (the A20 summary reports) and
  synthetic ones. The peer column names the binding peer; the notes give every peer.
- **start-up** (bench_startup.py) and **export** (bench_docx.py): `pandoc` as a command
  against `consensus-kit` as a command, and our exporter in process against pandoc's
  conversion net of its start-up.
- **ballots** (bench_ballots.py): a ceiling with our token check and our group commit.
- **fan-out** (bench_live.py): a peer built like our feed (one subscription per process,
  each message encoded once), without the event log.
- **reconnect** (bench_live_accept.py): a cookie-session SSE endpoint on the same stack that
  replays what was missed from memory: what our login check and event log cost per stream.
- **article page** (bench_page.py): no peer; the notes count SQL statements per render.
- **storage** (bench_storage.py): the same history stored whole, as before migration 0013 (a
  copy migrated back); the ratio is of sizes, and the notes give `verify`'s peak memory.

These figures replace those of 2026-12-02, whose peers flattered us: difflib ran on our own
token stream (every other token a space: its pathological case), the Word export ran in process
against pandoc as a process, the ballot ceiling committed each request alone without a token
check, and the fan-out peer subscribed and encoded once per stream. Ratios fell accordingly;
rows marked NO are targets missed; the notes after the table say why.\
"""


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def machine() -> str:
    """CPU, cores, memory and Python, as one line."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        kib = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        memory = "unknown memory"
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def table(rows: list[dict[str, Any]]) -> str:
    """The rows as one Markdown table."""
    lines = [
        "| benchmark | ours median | ours p99 | peer | peer median | peer p99 | ratio | target "
        "| met | notes |",
        "|---|---:|---:|---|---:|---:|---:|---|---|---|",
    ]

    def ms(row: dict[str, Any], key: str) -> str:
        value = row.get(key)
        return f"{value:,.2f} ms" if isinstance(value, int | float) else "—"

    for r in rows:
        ratio = r.get("ratio")
        lines.append(
            f"| {r['name']} | {ms(r, 'ours_median_ms')} | {ms(r, 'ours_p99_ms')} | "
            f"{r.get('peer', '—')} | {ms(r, 'peer_median_ms')} | {ms(r, 'peer_p99_ms')} | "
            f"{f'{ratio:,.1f}×' if isinstance(ratio, int | float) else '—'} | "
            f"{r.get('target', '')} | {'yes' if r.get('met') else 'NO'} | {r.get('notes', '')} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, few repetitions")
    parser.add_argument("--write", action="store_true", help="write bench/RESULTS.md")
    parser.add_argument("--pg", help="PostgreSQL URL for ballot intake (default: $CK_TEST_PG_URL)")
    parser.add_argument("--only", nargs="+", choices=MODULES, help="run only these benchmarks")
    args = parser.parse_args(argv)
    rows: list[dict[str, Any]] = []
    for name in args.only or MODULES:
        module = _load(name)
        if "pg" in inspect.signature(module.run).parameters:
            rows += module.run(args.quick, pg=args.pg)
        else:
            rows += module.run(args.quick)
    report = table(rows)
    print(report)
    if args.write:
        results = HERE / "RESULTS.md"
        # the sections after the table are kept: notes on a run, benchmarks run by hand
        # (bench_pdf.py) and the cluster scenarios (written by bench/cluster_report.py)
        kept = results.read_text(encoding="utf-8") if results.exists() else ""
        found = [i for i in (kept.find("\n## "), kept.find("<!-- cluster:start -->")) if i >= 0]
        start = min(found) if found else -1
        cluster = f"\n{kept[start:].strip()}\n" if start >= 0 else ""
        results.write_text(
            "# Benchmark results\n\n"
            f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC with `python bench/run.py"
            f"{' --quick' if args.quick else ''}` on: {machine()}.\n\n"
            f"{INTRO}\n\n"
            f"{report}\n{cluster}",
            encoding="utf-8",
        )
    missed = [r["name"] for r in rows if not r.get("met")]
    if missed:  # reported, not failed: a benchmark measures (see the module docstring)
        print(f"\n{len(missed)} of {len(rows)} targets missed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

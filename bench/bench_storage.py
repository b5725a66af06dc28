"""Benchmark of storage: a long history of a long text, its size on disk, and ``verify``.

Run ``python bench/bench_storage.py`` (1,000 versions of a 1,000-article bilingual text) or
``--quick`` (50 × 50). A bench runner can ``import`` this file and call :func:`run`.

A meeting's text grows to ``articles`` articles (English ~60 words and Chinese ~90 characters
each, about the A20 consensus's own length), then ``versions`` versions are published through
the service, each changing one article: the history of a long negotiation, where most versions
change little. Measured: the time of each publication (median and p99), the size of the SQLite
file (checkpointed and vacuumed), and ``consensus-kit verify`` on it as a command (its time and
peak resident memory, from the process itself).

The peer is the same history stored the way releases before migration 0013 stored it, every
version whole: a copy of the database is migrated back to 0012 (which writes each version's whole
declaration again), vacuumed and measured. It is the fair comparison because it is the same data
through the same database; only the layout differs. Its "time" columns are not comparable to
ours and are left empty; the ratio is of sizes (theirs ÷ ours).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as h
from alembic import command
from msgspec.structs import replace

from consensus_kit import (
    CONSOLE,
    Article,
    ArticleId,
    MeetingService,
    SqlStore,
    parse_meeting_file,
)
from consensus_kit.storage.engine import make_engine
from consensus_kit.storage.migrate import _config

Row = dict[str, Any]
MB = 1024 * 1024
# the bounds at 1,000 versions × 1,000 articles
SIZE_TARGET_MB = 60.0
VERIFY_TARGET_MB = 100.0

_WORDS = [
    "children",
    "families",
    "states",
    "organisations",
    "protection",
    "education",
    "health",
    "rights",
    "cooperation",
    "communities",
    "schools",
    "support",
    "every",
    "child",
    "shall",
    "have",
    "access",
    "to",
    "care",
    "and",
    "the",
    "means",
    "to",
    "grow",
    "in",
    "dignity",
    "safety",
    "and",
    "peace",
]
_HANZI = "儿童家庭国家组织保护教育健康权利合作社区学校支持每个都应当获得关爱成长尊严安全和平发展"


def _article(i: int, change: int = 0) -> Article:
    words = [_WORDS[(i * 7 + k * 3 + change) % len(_WORDS)] for k in range(60)]
    hanzi = "".join(_HANZI[(i * 5 + k + change) % len(_HANZI)] for k in range(90))
    return Article(
        id=ArticleId(f"art-{i}"),
        text={"en": f"{' '.join(words).capitalize()}.", "zh": f"{hanzi}。"},  # type: ignore[dict-item]
    )


def _size(path: Path) -> int:
    with sqlite3.connect(path) as c:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        c.execute("VACUUM")
    return path.stat().st_size


def _verify(path: Path) -> tuple[float, float, str]:
    """``consensus-kit verify`` as a command: seconds, peak memory (MB) and its last line."""
    # VmHWM, the peak of this process's own memory: ru_maxrss would keep the peak of the
    # parent process it was forked from (Linux keeps it across exec), here the bench runner
    code = (
        "import pathlib, resource, sys\n"
        "from consensus_kit.cli import main\n"
        f"status = main(['verify', '--db', {str(path)!r}])\n"
        "status_file = pathlib.Path('/proc/self/status')\n"
        "hwm = [l.split()[1] for l in status_file.read_text().splitlines()\n"
        "       if l.startswith('VmHWM:')] if status_file.exists() else []\n"
        "peak = hwm[0] if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(peak, file=sys.stderr)\n"
        "sys.exit(status)\n"
    )
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - start
    peak_kib = int(done.stderr.strip().splitlines()[-1])
    return seconds, peak_kib / 1024, done.stdout.strip().splitlines()[-1]


def measure(articles: int, versions: int, folder: Path) -> Row:
    path = folder / "history.sqlite"
    store = SqlStore.open(f"sqlite:///{path}")
    service = MeetingService(store)
    bilingual = (
        h.meeting_toml(3, 1)
        .replace('languages = ["en"]', 'languages = ["en", "zh"]')
        .replace('title = { en = "Benchmark summit" }', 'title = { en = "Summit", zh = "峰会" }')
        .replace('place = { en = "Loopback" }', 'place = { en = "Loopback", zh = "本机" }')
        .replace('title = { en = "Declaration" }', 'title = { en = "Declaration", zh = "宣言" }')
    )
    loaded = service.load_meeting(parse_meeting_file(bilingual, source="bench.toml"), actor=CONSOLE)
    mid = loaded.meeting.id
    chair = service.delegate(mid, "chair")
    base = loaded.version.declaration
    texts = [_article(i) for i in range(1, articles + 1)]
    service.publish_version(chair, mid, replace(base, articles=tuple(texts)))
    times: list[float] = []
    for n in range(1, versions):
        i = (n * 37) % articles
        texts[i] = _article(i + 1, change=n)
        declaration = replace(base, articles=tuple(texts))
        start = time.perf_counter()
        service.publish_version(chair, mid, declaration, note=f"change {n}")
        times.append((time.perf_counter() - start) * 1000)
    store.close()
    ours = _size(path)
    seconds, peak, verdict = _verify(path)

    whole = folder / "whole.sqlite"  # the same history, every version whole (before 0013)
    shutil.copy(path, whole)
    engine = make_engine(f"sqlite:///{whole}")
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0012")
    engine.dispose()
    theirs = _size(whole)

    scale = articles * versions / 1_000_000
    size_target = SIZE_TARGET_MB * scale
    met = ours / MB <= size_target and peak < VERIFY_TARGET_MB and verdict.startswith("OK")
    return {
        "name": f"storage: {versions:,} versions of a {articles:,}-article en+zh text, "
        "one article changed per version",
        "ours_median_ms": h.median(times),
        "ours_p99_ms": h.p99(times),
        "peer": "the same history stored whole (as before migration 0013)",
        "ratio": theirs / ours,
        "target": f"≤ {size_target:,.1f} MB (60 MB at 1,000 × 1,000); verify < 100 MB",
        "met": met,
        "notes": f"database {ours / MB:,.1f} MB, whole versions {theirs / MB:,.1f} MB; "
        f"times are each publication's; verify as a command: {seconds:,.1f} s, peak memory "
        f"{peak:,.0f} MB, '{verdict}'",
    }


def run(quick: bool) -> list[Row]:
    size = 50 if quick else 1000
    with tempfile.TemporaryDirectory(prefix="ck-bench-storage-") as folder:
        return [measure(size, size, Path(folder))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="50 versions of 50 articles")
    parser.add_argument("--size", type=int, help="versions and articles (default 1,000)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ck-bench-storage-") as folder:
        size = args.size or (50 if args.quick else 1000)
        row = measure(size, size, Path(folder))
    for key, value in row.items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

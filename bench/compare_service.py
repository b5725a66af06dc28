"""The service's own cost at two commits, in the same run: is a restructuring free?

    python bench/compare_service.py c586da0          # the commit before the service rooms
    python bench/compare_service.py HEAD~5 --rounds 10

The peer is this project at another commit (``git archive`` into a temporary folder), running
the same in-process work on an SQLite file: 40 proposals (one per article, so that no
adoption moves another's words: the work is the same at any commit), 200 ballots (25 rounds of
8 organisations), 14 adoptions and 50 reads of the amendment list and the latest version. The two
trees alternate round by round in separate processes, so a busy machine slows both alike; the
table gives each operation's median and p99 per call and the ratio (ours / theirs, lower is
better). It is the fair comparison for a refactoring: the same library call, the same data.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WORK = r"""
import json, sys, tempfile, time
sys.path.insert(0, sys.argv[1])
from consensus_kit import MeetingService, SqlStore
from tests.builders import load_meeting
folder = tempfile.mkdtemp()
service = MeetingService(SqlStore.open(f"sqlite:///{folder}/m.db"))
loaded = load_meeting(service, orgs=8, articles=40)
mid = loaded.meeting.id
p = {d.id: d for d in loaded.meeting.delegates}
times = {"propose": [], "ballot": [], "adopt": [], "read": []}
def timed(name, call):
    start = time.perf_counter()
    call()
    times[name].append(time.perf_counter() - start)
for i in range(40):
    timed("propose", lambda: service.propose_amendment(
        p[f"delegate-{i % 8 + 1}"], mid, kind="replace", article=f"art-{i + 1}",
        texts={"en": f"Text {i} of the article."}))
vote = service.open_vote(p["chair"], mid, version=service.version(p["chair"], mid).number,
                         rule="simple_majority")
for r in range(25):
    for i in range(8):
        timed("ballot", lambda: service.cast_ballot(
            p[f"delegate-{i + 1}"], mid, vote.number, ("yes", "no")[r % 2], key=f"k{r}-{i}"))
service.close_vote(p["chair"], mid, vote.number)
for n in range(1, 41, 3):  # one amendment per article: no adoption moves another's words
    timed("adopt", lambda: service.adopt_amendment(p["chair"], mid, n))
for _ in range(50):
    timed("read", lambda: (service.amendments(p["chair"], mid), service.version(p["chair"], mid)))
service.store.close()
print(json.dumps(times))
"""


def run(tree: Path) -> dict[str, list[float]]:
    out = subprocess.run(
        [sys.executable, "-c", WORK, str(tree)],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode:
        raise SystemExit(f"{tree}: {out.stderr[-2000:]}")
    return json.loads(out.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def p99(values: list[float]) -> float:
    return sorted(values)[min(len(values) - 1, int(len(values) * 0.99))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ref", help="the commit to compare with (e.g. c586da0)")
    parser.add_argument("--rounds", type=int, default=6, help="alternating runs of each tree")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        theirs = Path(folder)
        archive = subprocess.run(
            ["git", "archive", args.ref], cwd=ROOT, capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(theirs)], input=archive.stdout, check=True)
        ours_times: dict[str, list[float]] = {}
        their_times: dict[str, list[float]] = {}
        for _ in range(args.rounds):
            for tree, into in ((ROOT, ours_times), (theirs, their_times)):
                for name, values in run(tree).items():
                    into.setdefault(name, []).extend(values)
    print(f"{'operation':<10} {'ours ms (median / p99)':>24} {args.ref + ' ms':>24} {'ratio':>7}")
    for name, ours in ours_times.items():
        old = their_times[name]
        ratio = statistics.median(ours) / statistics.median(old)
        print(
            f"{name:<10} {statistics.median(ours) * 1e3:>11.2f} / {p99(ours) * 1e3:<10.2f}"
            f" {statistics.median(old) * 1e3:>11.2f} / {p99(old) * 1e3:<10.2f} {ratio:>7.2f}"
        )


if __name__ == "__main__":
    main()

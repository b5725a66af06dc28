"""Benchmark of the two ways to print the final text as PDF, by speed and by fidelity.

Run ``python bench/bench_pdf.py`` (5 repetitions, a 200-article declaration in English and
Chinese, side by side, with 200 signatories) or ``--quick`` (1 repetition, 20 articles, 20
signatories). A bench runner can ``import`` this file and call :func:`run`.

The two candidates of issue 22, each run the way it would be used:

- **WeasyPrint from HTML** (ours): ``export_bilingual_pdf`` lays out the HTML and prints it in
  process (the declaration read once, as the service does).
- **LibreOffice from our Word export** (the peer): ``export_bilingual_docx`` in process, then
  ``soffice --headless --convert-to pdf`` on it, as a command with a private profile (what a
  server would run; LibreOffice cannot be called in process from Python).

Both are also timed as ``consensus-kit export`` commands (``--format bilingual-pdf`` against
``--format bilingual-docx`` followed by ``soffice``), start-up included: what a user waits for.

**Fidelity** is judged by poppler (``pdftotext``, ``pdffonts``), a reader neither wrote: the
share of the articles whose words (whitespace removed) appear in each language; whether the
library's line numbers are printed (each numbered line as "N words" on a line of its own);
the page count; and whether a CJK font is embedded. The notes give the figures; the target is
that ours is complete (every article, every numbered line) and no slower than the peer.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

try:
    import consensus_kit  # noqa: F401
except ImportError:  # run as a script from a checkout: python bench/bench_pdf.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from consensus_kit import number_lines
from consensus_kit.domain.ids import Lang
from consensus_kit.domain.model import Meeting, Version
from consensus_kit.formats.docx_export import export_bilingual_docx
from consensus_kit.formats.pdf_export import export_bilingual_pdf

Row = dict[str, Any]
HERE = Path(__file__).resolve().parent


def _bench_docx() -> Any:
    """bench_docx.py (its meeting builder), loaded beside this file."""
    spec = importlib.util.spec_from_file_location("bench_docx_for_pdf", HERE / "bench_docx.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _times(action: Callable[[], None], reps: int) -> list[float]:
    action()  # warm-up (imports, fonts, LibreOffice's first start), not timed
    out = []
    for _ in range(reps):
        start = time.perf_counter()
        action()
        out.append((time.perf_counter() - start) * 1000)
    return out


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def _soffice(source: Path, outdir: Path, profile: Path) -> Path:
    subprocess.run(
        [
            *("soffice", f"-env:UserInstallation=file://{profile}", "--headless"),
            *("--convert-to", "pdf", "--outdir", str(outdir), str(source)),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return outdir / f"{source.stem}.pdf"


def _column(pdf: Path, half: int) -> str:
    """The text of the left (0) or right (1) half of every page above the footer, in drawing
    order, without the column headers."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True)
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info.stdout)
    assert size, info.stdout
    width, height = float(size.group(1)), float(size.group(2))
    crop = ["-x", str(int(half * width / 2)), "-y", "0", "-W", str(int(width / 2))]
    crop += ["-H", str(int(height - 60))]  # above the footer (both put it in the margin)
    text = subprocess.run(
        ["pdftotext", "-raw", *crop, str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    return re.sub(r"(?m)^\f?(English|中文)\n", "", text)  # the table's header, repeated per page


def fidelity(pdf: Path, meeting: Meeting, version: Version) -> dict[str, Any]:
    """What poppler reads in ``pdf``: articles found per language (each language read from its
    half of the page, a number and space opening a printed line taken for a line number and
    dropped, whitespace ignored), numbered lines printed as such, pages, a CJK font."""
    found: dict[str, float] = {}
    numbered = 0
    total = 0
    for half, lang in enumerate(("en", "zh")):
        text = _column(pdf, half)
        rows = {re.sub(r"\s+", " ", row).strip() for row in text.splitlines()}
        squashed = re.sub(r"\s+", "", re.sub(r"(?m)^\d+\s", "", text)).replace("-", "")
        hits = 0
        for article in version.declaration.articles:
            words = article.text[Lang(lang)]
            hits += re.sub(r"\s+", "", words).replace("-", "") in squashed
            for line in number_lines(words, lang, meeting.lines):
                total += 1
                words_of_line = re.sub(r"\s+", " ", line.text)
                numbered += f"{line.number} {words_of_line}" in rows
        found[lang] = hits / len(version.declaration.articles)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True, text=True)
    return {
        "articles_en": found["en"],
        "articles_zh": found["zh"],
        "numbered_lines": numbered / total if total else 0.0,
        "pages": pages,
        "cjk_font": "CJK" in fonts.stdout,
    }


def _describe(f: dict[str, Any]) -> str:
    return (
        f"articles found en {f['articles_en']:.0%} zh {f['articles_zh']:.0%}, "
        f"numbered lines {f['numbered_lines']:.0%}, {f['pages']} pages, "
        f"CJK font {'yes' if f['cjk_font'] else 'no'}"
    )


def run(quick: bool, reps: int | None = None) -> list[Row]:
    """Two rows: in process (plus soffice), and as commands. See the module docstring."""
    default, articles, signatories = (1, 20, 20) if quick else (5, 200, 200)
    reps = reps or default
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        return [{"name": "PDF", "notes": "soffice or pdftotext missing: not measured"}]
    bench_docx = _bench_docx()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        profile = work / "lo-profile"
        db = work / "bench.db"
        meeting, version, lines = bench_docx.make_database(db, articles, signatories)
        ours_pdf = work / "ours.pdf"
        docx_path = work / "theirs.docx"

        def weasy() -> None:
            ours_pdf.write_bytes(export_bilingual_pdf(meeting, version, "en", "zh", lines))

        def office() -> None:
            docx_path.write_bytes(export_bilingual_docx(meeting, version, "en", "zh", lines))
            _soffice(docx_path, work, profile)

        ours = _times(weasy, reps)
        theirs = _times(office, reps)
        mine, peer = (
            fidelity(ours_pdf, meeting, version),
            fidelity(work / "theirs.pdf", meeting, version),
        )
        complete = mine["articles_en"] == mine["articles_zh"] == mine["numbered_lines"] == 1
        label = f"bilingual PDF en+zh, {articles} articles, {signatories} signatories"
        median, their_median = statistics.median(ours), statistics.median(theirs)
        rows.append(
            {
                "name": f"{label}: WeasyPrint vs LibreOffice from our DOCX, in process",
                "reps": reps,
                "ours_median_ms": median,
                "ours_p99_ms": _p99(ours),
                "peer": "export_bilingual_docx + soffice",
                "peer_median_ms": their_median,
                "peer_p99_ms": _p99(theirs),
                "ratio": their_median / median,
                "target": "complete, no slower than LibreOffice",
                "met": complete and their_median >= median,
                "notes": f"ours: {_describe(mine)}; LibreOffice: {_describe(peer)}",
            }
        )
        script = Path(sys.executable).with_name("consensus-kit")
        command = [str(script)] if script.exists() else [sys.executable, "-m", "webui.cli"]
        base = [*command, "export", "--db", str(db)]
        as_pdf = [*base, "--format", "bilingual-pdf", "--lang", "en,zh", "--out", str(ours_pdf)]
        as_docx = [*base, "--format", "bilingual-docx", "--lang", "en,zh", "--out", str(docx_path)]

        def ours_command() -> None:
            subprocess.run(as_pdf, check=True, capture_output=True)

        def their_command() -> None:
            subprocess.run(as_docx, check=True, capture_output=True)
            _soffice(docx_path, work, profile)

        ours = _times(ours_command, reps)
        theirs = _times(their_command, reps)
        median, their_median = statistics.median(ours), statistics.median(theirs)
        rows.append(
            {
                "name": f"{label}: `consensus-kit export` commands (LibreOffice after the DOCX)",
                "reps": reps,
                "ours_median_ms": median,
                "ours_p99_ms": _p99(ours),
                "peer": "export bilingual-docx + soffice",
                "peer_median_ms": their_median,
                "peer_p99_ms": _p99(theirs),
                "ratio": their_median / median,
                "target": "no slower than LibreOffice",
                "met": their_median >= median,
                "notes": "start-up included on both sides",
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="1 repetition, 20 articles")
    parser.add_argument("--reps", type=int, help="repetitions (default: 5, or 1 with --quick)")
    args = parser.parse_args(argv)
    for row in run(args.quick, args.reps):
        print(row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

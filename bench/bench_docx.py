"""Benchmark of the Word exports against pandoc converting the same text from Markdown.

Run ``python bench/bench_docx.py`` (15 repetitions, a 200-article declaration in English and
Chinese with 200 signatories) or ``--quick`` (3 repetitions, 20 articles and 20 signatories). A
bench runner can ``import`` this file and call :func:`run`.

The declaration repeats the four A20 articles (English and Chinese, numbered so that no two
rows are equal: "… (17)"). Scenarios:

- the bilingual side-by-side DOCX (:func:`export_bilingual_docx`) against
  ``pandoc -f markdown -t docx`` on the same content as Markdown (a two-column pipe table of the
  articles, then the signatory table);
- the Chinese DOCX (:func:`export_docx`) against pandoc on that language's Markdown.

Ours is timed in-process and includes writing the file; pandoc is timed as a process,
start-up included. Every document is first read back (python-docx) and checked to hold every
article. A target is met when our median is at most 1 s and no slower than pandoc's median
(when pandoc is not installed, only the time limit counts and the row says so). The exit
status is 0 when every target is met.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx

try:
    from consensus_kit import read_meeting_file
except ImportError:  # run as a script from a checkout: python bench/bench_docx.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from consensus_kit import read_meeting_file

from consensus_kit.domain.endorsements import SignatoryLine
from consensus_kit.domain.hashing import declaration_hash
from consensus_kit.domain.ids import ArticleId, Lang, MeetingId, OrgId
from consensus_kit.domain.model import Article, Meeting, Organisation, Version
from consensus_kit.formats.docx_export import export_bilingual_docx, export_docx

Row = dict[str, Any]
ROOT = Path(__file__).resolve().parents[1]
LIMIT_MS = 1000.0
COUNTRIES = ["KE", "CN", "HU", "BD", "AL", "MN", "TZ", "PH", "IN", "TH", "VN", "LA", "ID", "KH"]


def make_data(articles: int, signatories: int) -> tuple[Meeting, Version, list[SignatoryLine]]:
    """A two-language meeting and declaration of ``articles`` articles, with signatories."""
    a20 = read_meeting_file(ROOT / "examples" / "a20_2018" / "meeting.toml")
    base = a20.declaration
    texts = [a.text for a in base.articles]
    orgs = tuple(
        Organisation(
            id=OrgId(f"org-{i}"),
            name={Lang("en"): f"Child Rights Organisation {i}", Lang("zh"): f"儿童权利组织 {i}"},
            country=COUNTRIES[i % len(COUNTRIES)],
        )
        for i in range(signatories)
    )
    meeting = Meeting(
        id=MeetingId("bench"),
        title=a20.meeting.title,
        place=a20.meeting.place,
        start=a20.meeting.start,
        end=a20.meeting.end,
        languages=(Lang("en"), Lang("zh")),
        negotiating_language=Lang("en"),
        organisations=orgs,
    )
    declaration = type(base)(
        title=base.title,
        subtitle=base.subtitle,
        preamble=base.preamble,
        articles=tuple(
            Article(
                id=ArticleId(f"art-{i + 1}"),
                text={lang: f"{t} ({i + 1})" for lang, t in texts[i % len(texts)].items()},
            )
            for i in range(articles)
        ),
        date=base.date,
    )
    version = Version(
        meeting=meeting.id,
        number=1,
        declaration=declaration,
        content_hash=declaration_hash(declaration),
        parent=None,
        created_by="bench",
        created_at=dt.datetime(2018, 3, 23, 10, 0, tzinfo=dt.UTC),
    )
    lines = [
        SignatoryLine(
            organisation=org.id,
            names=dict(org.name),
            country=org.country,
            region=None,
            signer=f"Signer {i}",
            signer_title="Executive Director",
            signed_at=dt.datetime(2018, 3, 23, 15, 0, tzinfo=dt.UTC),
        )
        for i, org in enumerate(orgs)
    ]
    return meeting, version, lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(version: Version, lines: list[SignatoryLine], langs: tuple[str, ...]) -> str:
    """The same content as Markdown for pandoc: title, preamble, articles, signatories."""
    d = version.declaration
    out = [f"# {' / '.join(d.title[Lang(lg)] for lg in langs)}", ""]
    if len(langs) == 1:
        lang = Lang(langs[0])
        out += [d.preamble[lang], ""]
        out += [f"{i}. {a.text[lang]}\n" for i, a in enumerate(d.articles, start=1)]
    else:
        out += ["| " + " | ".join(langs) + " |", "|" + "---|" * len(langs)]
        out.append("| " + " | ".join(_cell(d.preamble[Lang(lg)]) for lg in langs) + " |")
        for i, a in enumerate(d.articles, start=1):
            out.append("| " + " | ".join(f"{i}. {_cell(a.text[Lang(lg)])}" for lg in langs) + " |")
        out.append("")
    out += ["## Signatories", "", "| No. | Organisation | Country | Signed by | Title | Date |"]
    out.append("|---|---|---|---|---|---|")
    for i, line in enumerate(lines, start=1):
        names = " / ".join(line.names[Lang(lg)] for lg in langs)
        out.append(
            f"| {i}. | {names} | {line.country} | {line.signer} | {line.signer_title} "
            f"| {line.signed_at.date()} |"
        )
    return "\n".join(out) + "\n"


def _times(action: Callable[[], None], reps: int) -> list[float]:
    action()  # warm-up (imports, caches), not timed
    out = []
    for _ in range(reps):
        start = time.perf_counter()
        action()
        out.append((time.perf_counter() - start) * 1000)
    return out


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def _check(data: bytes, version: Version, langs: tuple[str, ...]) -> None:
    """Every article of every language is in the document."""
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    for article in version.declaration.articles:
        for lang in langs:
            assert article.text[Lang(lang)] in text, (article.id, lang)


def _row(
    name: str,
    ours: Callable[[], bytes],
    md: str,
    version: Version,
    langs: tuple[str, ...],
    reps: int,
    workdir: Path,
) -> Row:
    _check(ours(), version, langs)
    out_path = workdir / "ours.docx"
    mine = _times(lambda: out_path.write_bytes(ours()) and None, reps)
    pandoc = shutil.which("pandoc")
    theirs: list[float] = []
    if pandoc:
        source, target = workdir / "in.md", workdir / "out.docx"
        source.write_text(md, encoding="utf-8")
        command = [pandoc, "-f", "markdown", "-t", "docx", "-o", str(target), str(source)]
        theirs = _times(lambda: subprocess.run(command, check=True) and None, reps)
        _check(target.read_bytes(), version, langs)
    median = statistics.median(mine)
    peer = statistics.median(theirs) if theirs else None
    return {
        "name": name,
        "reps": reps,
        "ours_median_ms": median,
        "ours_p99_ms": _p99(mine),
        "peer_median_ms": peer,
        "peer_p99_ms": _p99(theirs) if theirs else None,
        "ratio": peer / median if peer else None,
        "target": f"≤ {LIMIT_MS:g} ms, no slower than pandoc"
        + ("" if pandoc else " (pandoc not installed: time only)"),
        "met": median <= LIMIT_MS and (peer is None or median <= peer),
    }


def run(quick: bool) -> list[Row]:
    """Time every scenario; one row per scenario (see the module docstring)."""
    reps, articles, signatories = (3, 20, 20) if quick else (15, 200, 200)
    meeting, version, lines = make_data(articles, signatories)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        both = ("en", "zh")
        rows.append(
            _row(
                f"bilingual DOCX en+zh, {articles} articles, {signatories} signatories",
                lambda: export_bilingual_docx(meeting, version, "en", "zh", lines),
                markdown(version, lines, both),
                version,
                both,
                reps,
                workdir,
            )
        )
        rows.append(
            _row(
                f"Chinese DOCX, {articles} articles, {signatories} signatories",
                lambda: export_docx(meeting, version, "zh", lines),
                markdown(version, lines, ("zh",)),
                version,
                ("zh",),
                reps,
                workdir,
            )
        )
    return rows


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table."""

    def ms(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.0f} ms"

    lines = [
        "| scenario | ours median | ours p99 | pandoc median | pandoc p99 | pandoc/ours | target "
        "| met |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        ratio = "n/a" if r["ratio"] is None else f"{r['ratio']:.1f}×"
        lines.append(
            f"| {r['name']} | {ms(r['ours_median_ms'])} | {ms(r['ours_p99_ms'])} "
            f"| {ms(r['peer_median_ms'])} | {ms(r['peer_p99_ms'])} | {ratio} "
            f"| {r['target']} | {'yes' if r['met'] else 'NO'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="3 repetitions, 20 articles")
    args = parser.parse_args(argv)
    rows = run(args.quick)
    print(table(rows))
    return 0 if all(r["met"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())

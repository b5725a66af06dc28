"""Benchmark of the Word exports against pandoc, each run the way its users run it.

Run ``python bench/bench_docx.py`` (15 repetitions, a 200-article declaration in English and
Chinese with 200 signatories) or ``--quick`` (3 repetitions, 20 articles and 20 signatories). A
bench runner can ``import`` this file and call :func:`run`.

The declaration repeats the four A20 articles (English and Chinese, numbered so that no two
rows are equal: "… (17)"); it is loaded into an SQLite file, frozen, and endorsed by every
organisation. pandoc converts the same content from Markdown (the bilingual document: a
two-column pipe table of the articles, then the signatory table).

**Why pandoc.** It is what a secretariat without consensus-kit would use to turn a text into a
Word file, and a fast native program (Haskell): a demanding peer. Two pairings, both fair:

- *command against command*: ``consensus-kit export --db … --format bilingual-docx`` (or
  ``docx --lang zh``) run as a process, start-up, database read and file write included, against
  ``pandoc -f markdown -t docx -o …`` run as a process. This is what a user waits for. The two
  commands run in turn, one repetition each, so load from other jobs falls on both alike.
- *in-process against in-process*: our exporter called in Python (file write included) against
  pandoc's own conversion time, i.e. its command's median minus the median of ``pandoc
  --version`` (its start-up), since pandoc cannot be called in-process from Python.

Every document is first read back (python-docx) and checked to hold every article. A target is
met when our median is no slower than pandoc's (ratio = pandoc ÷ ours ≥ 1) and, in process,
at most 1 s. Without pandoc the rows say so and count the time limit only.
"""

from __future__ import annotations

import argparse
import io
import json
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

from consensus_kit import CONSOLE, open_service, parse_meeting_file
from consensus_kit.domain.endorsements import SignatoryLine
from consensus_kit.domain.ids import Lang
from consensus_kit.domain.model import Meeting, Version
from consensus_kit.formats.docx_export import export_bilingual_docx, export_docx
from consensus_kit.formats.docx_lines import JOINS

Row = dict[str, Any]
ROOT = Path(__file__).resolve().parents[1]
LIMIT_MS = 1000.0
COUNTRIES = ["KE", "CN", "HU", "BD", "AL", "MN", "TZ", "PH", "IN", "TH", "VN", "LA", "ID", "KH"]


def _toml(value: object) -> str:
    """A TOML value (JSON strings and arrays are valid TOML)."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    return json.dumps(value, ensure_ascii=False, default=str)


def meeting_toml(articles: int, signatories: int) -> str:
    """A two-language meeting file: the A20 articles repeated, one signatory per organisation."""
    a20 = read_meeting_file(ROOT / "examples" / "a20_2018" / "meeting.toml")
    d = a20.declaration
    m = a20.meeting
    out = ["[meeting]", 'id = "bench-docx"', f"title = {_toml(dict(m.title))}"]
    out += [f"place = {_toml(dict(m.place))}", f"start = {m.start}", f"end = {m.end}"]
    out += ['languages = ["en", "zh"]', 'negotiating_language = "en"']
    for i in range(signatories):
        name = {"en": f"Child Rights Organisation {i}", "zh": f"儿童权利组织 {i}"}
        country = COUNTRIES[i % len(COUNTRIES)]
        out += ["", "[[organisations]]", f'id = "org-{i}"', f"name = {_toml(name)}"]
        out += [f'country = "{country}"', 'region = "Asia"' if i % 2 else 'region = "Africa"']
    for i in range(signatories):
        out += ["", "[[delegates]]", f'id = "signer-{i}"', f'name = "Signer {i}"']
        out += [f'organisation = "org-{i}"', 'roles = ["delegate", "signatory"]']
        out += ['title = "Executive Director"']
    out += ["", "[[delegates]]", 'id = "chair"', 'name = "The Chair"', 'roles = ["chair"]']
    out += ["", "[[delegates]]", 'id = "desk"', 'name = "Secretariat"', 'roles = ["secretariat"]']
    out += ["", "[declaration]", f"date = {d.date}", f"title = {_toml(dict(d.title))}"]
    out += [f"preamble = {_toml(dict(d.preamble))}"]
    texts = [a.text for a in d.articles]
    for i in range(articles):
        text = {lang: f"{t} ({i + 1})" for lang, t in texts[i % len(texts)].items()}
        out += ["", "[[declaration.articles]]", f'id = "art-{i + 1}"', f"text = {_toml(text)}"]
    return "\n".join(out) + "\n"


def make_database(
    path: Path, articles: int, signatories: int
) -> tuple[Meeting, Version, list[SignatoryLine]]:
    """The meeting in an SQLite file at ``path``: version 1 frozen and endorsed by everyone."""
    service = open_service(f"sqlite:///{path}")
    try:
        meeting_file = parse_meeting_file(meeting_toml(articles, signatories), source="bench")
        mid = service.load_meeting(meeting_file, actor=CONSOLE).meeting.id
        service.freeze_version(service.delegate(mid, "chair"), mid, 1)
        for i in range(signatories):
            service.endorse(service.delegate(mid, f"signer-{i}"), mid, 1)
        version = service.version(CONSOLE, mid, 1)
        return service.meeting(mid), version, service.signatories(CONSOLE, mid, 1)
    finally:
        service.store.close()


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


def _alternating(
    ours: Callable[[], None], theirs: Callable[[], None] | None, reps: int
) -> tuple[list[float], list[float]]:
    """Time ``ours`` and ``theirs`` in turn, ``reps`` times each (one warm-up each first), so a
    burst of load from other jobs on a shared machine falls on both sides alike."""
    mine: list[float] = []
    peer: list[float] = []
    ours()
    if theirs is not None:
        theirs()
    for _ in range(reps):
        for action, out in ((ours, mine), (theirs, peer)):
            if action is None:
                continue
            start = time.perf_counter()
            action()
            out.append((time.perf_counter() - start) * 1000)
    return mine, peer


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def _plain(paragraphs: Any) -> str:
    """The paragraphs' text, our line numbers left out and our numbered lines joined back."""
    out: list[str] = []
    for p in paragraphs:
        text = "".join(
            r.text for r in p.runs if r.style is None or r.style.name != "CK Line Number"
        )
        if p.style is not None and p.style.name in JOINS and out:
            out[-1] += JOINS[p.style.name] + text
        else:
            out.append(text)
    return "\n".join(out)


def _check(data: bytes, version: Version, langs: tuple[str, ...]) -> None:
    """Every article of every language is in the document."""
    document = docx.Document(io.BytesIO(data))
    text = _plain(document.paragraphs)
    text += "\n".join(
        _plain(c.paragraphs) for t in document.tables for r in t.rows for c in r.cells
    )
    for article in version.declaration.articles:
        for lang in langs:
            assert article.text[Lang(lang)] in text, (article.id, lang)


def _command() -> list[str]:
    """How a user runs consensus-kit: the installed console script beside this Python."""
    script = Path(sys.executable).with_name("consensus-kit")
    return [str(script)] if script.exists() else [sys.executable, "-m", "webui.cli"]


def _stats(mine: list[float], theirs: list[float]) -> Row:
    median = statistics.median(mine)
    peer = statistics.median(theirs) if theirs else None
    return {
        "reps": len(mine),
        "ours_median_ms": median,
        "ours_p99_ms": _p99(mine),
        "peer_median_ms": peer,
        "peer_p99_ms": _p99(theirs) if theirs else None,
        "ratio": peer / median if peer else None,
    }


def _rows(
    label: str,
    export_args: list[str],
    ours: Callable[[], bytes],
    md: str,
    version: Version,
    langs: tuple[str, ...],
    reps: int,
    workdir: Path,
    db: Path,
) -> list[Row]:
    """Command against command, then in-process against pandoc's own conversion time."""
    _check(ours(), version, langs)
    out_path = workdir / "ours.docx"
    command = [*_command(), "export", "--db", str(db), *export_args, "--out", str(out_path)]
    pandoc = shutil.which("pandoc")
    source, target = workdir / "in.md", workdir / "out.docx"
    source.write_text(md, encoding="utf-8")
    convert = [str(pandoc), "-f", "markdown", "-t", "docx", "-o", str(target), str(source)]
    as_command, converting = _alternating(  # the two commands in turn
        lambda: subprocess.run(command, check=True, capture_output=True) and None,
        (lambda: subprocess.run(convert, check=True) and None) if pandoc else None,
        reps,
    )
    _check(out_path.read_bytes(), version, langs)
    in_process = _times(lambda: out_path.write_bytes(ours()) and None, reps)
    starting: list[float] = []
    if pandoc:
        _check(target.read_bytes(), version, langs)
        version_only = [pandoc, "--version"]
        starting = _times(
            lambda: subprocess.run(version_only, check=True, capture_output=True) and None, reps
        )
    start_up = statistics.median(starting) if starting else 0.0
    net = [max(t - start_up, 0.01) for t in converting]
    missing = "" if pandoc else " (pandoc not installed: time only)"
    first = {"name": f"{label}: `consensus-kit export` vs `pandoc`, both as commands"}
    first |= _stats(as_command, converting)
    first["peer"] = "pandoc (command)"
    first["target"] = "no slower than pandoc" + missing
    first["met"] = first["ratio"] is None or first["ratio"] >= 1
    first["notes"] = f"pandoc starts in {start_up:.0f} ms (`pandoc --version`)" if pandoc else ""
    second = {"name": f"{label}: in process vs pandoc's conversion without its start-up"}
    second |= _stats(in_process, net)
    second["peer"] = "pandoc, net of start-up"
    second["target"] = f"≤ {LIMIT_MS:g} ms, no slower than pandoc" + missing
    second["met"] = second["ours_median_ms"] <= LIMIT_MS and (
        second["ratio"] is None or second["ratio"] >= 1
    )
    return [first, second]


def run(quick: bool) -> list[Row]:
    """Time every scenario; two rows per scenario (see the module docstring)."""
    reps, articles, signatories = (3, 20, 20) if quick else (15, 200, 200)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        db = workdir / "bench.db"
        meeting, version, lines = make_database(db, articles, signatories)
        label = f"{articles} articles, {signatories} signatories"
        both = ("en", "zh")
        rows += _rows(
            f"bilingual DOCX en+zh, {label}",
            ["--format", "bilingual-docx", "--lang", "en,zh"],
            lambda: export_bilingual_docx(meeting, version, "en", "zh", lines),
            markdown(version, lines, both),
            version,
            both,
            reps,
            workdir,
            db,
        )
        rows += _rows(
            f"Chinese DOCX, {label}",
            ["--format", "docx", "--lang", "zh"],
            lambda: export_docx(meeting, version, "zh", lines),
            markdown(version, lines, ("zh",)),
            version,
            ("zh",),
            reps,
            workdir,
            db,
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

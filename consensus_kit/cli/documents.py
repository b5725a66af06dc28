"""Commands about documents: export a version, import a Word draft."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from consensus_kit import (
    CONSOLE,
    ExportFormat,
    InvalidInput,
    MarkdownDraft,
    import_docx,
    pair_drafts,
)
from consensus_kit.cli._common import AS_HELP, Commands, meeting_id, principal, service
from consensus_kit.domain.model import Declaration

__all__ = ["register"]


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr (only on a terminal), as a ``progress(done, total)`` callback."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    with Progress(
        TextColumn("exporting"), BarColumn(), MofNCompleteColumn(), transient=True
    ) as bar:
        task = bar.add_task("export", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def cmd_export(args: argparse.Namespace) -> int:
    """Export a version to a file (or a folder, when the format gives several files)."""
    svc = service(args)
    mid = meeting_id(svc, args)
    langs = [lang.strip() for lang in args.lang.split(",")] if args.lang else None
    with _progress(True) as progress:
        files = svc.export(
            principal(svc, mid, args),
            mid,
            args.format,
            langs=langs,
            version=args.version,
            from_version=args.old,
            progress=progress,
        )
    out = Path(args.out)
    if len(files) == 1 and not out.is_dir():
        targets = [out]
    else:
        out.mkdir(parents=True, exist_ok=True)
        targets = [out / f.filename for f in files]
    for target, exported in zip(targets, files, strict=True):
        target.write_bytes(exported.data)
        print(f"wrote {target} ({len(exported.data):,} bytes)")
    return 0


def _read_docx(path: str, lang: str) -> MarkdownDraft:
    return import_docx(Path(path), lang)  # read with its size checked before it is loaded


def cmd_import_docx(args: argparse.Namespace) -> int:
    """Turn Word drafts (one per language) into a new version of the declaration."""
    langs = [lang.strip() for lang in args.lang.split(",")]
    if len(langs) != len(args.files):
        raise InvalidInput(
            f"{len(args.files)} file(s) but {len(langs)} language(s): give one language per file",
            field="--lang",
        )
    svc = service(args)
    mid = meeting_id(svc, args)
    meeting = svc.meeting(mid)
    drafts = {lang: _read_docx(path, lang) for path, lang in zip(args.files, langs, strict=True)}
    latest = svc.version(CONSOLE, mid)
    imported: Declaration = pair_drafts(
        drafts, meeting.negotiating_language, date=latest.declaration.date
    )
    version = svc.publish_version(
        principal(svc, mid, args),
        mid,
        imported,
        note=f"imported from {', '.join(Path(f).name for f in args.files)}",
        parent=latest.number,
    )
    print(
        f"version {version.number}: {len(imported.articles)} articles imported "
        f"({', '.join(langs)}), content hash {version.content_hash[:12]}"
    )
    return 0


def register(c: Commands) -> None:
    """Add this module's commands."""
    p = c.add(
        "export",
        cmd_export,
        "Export a version: Word, side-by-side, redline, Markdown, JSON or Akoma Ntoso.",
    )
    p.add_argument(
        "--format",
        required=True,
        choices=[f.value for f in ExportFormat],
        help="docx: one per language; bilingual-docx: two languages side by side; "
        "redline-docx: tracked changes since --from; md; json; akn",
    )
    p.add_argument("--lang", help="language(s), comma-separated (default: every language)")
    p.add_argument("--version", dest="version", type=int, help="version (default: the latest)")
    p.add_argument(
        "--from",
        dest="old",
        type=int,
        help="the older version of a redline (default: the one before)",
    )
    p.add_argument("--out", required=True, help="output file, or folder for several files")
    p.add_argument("--as", dest="acting", metavar="DELEGATE", help=AS_HELP)

    p = c.add(
        "import-docx",
        cmd_import_docx,
        "Import Word drafts (numbered paragraphs are articles) as a new version.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="one .docx per language")
    p.add_argument("--lang", required=True, help="the files' languages, comma-separated, in order")
    p.add_argument("--as", dest="acting", metavar="DELEGATE", help=AS_HELP)

"""Commands about documents: export a version, import a Word draft."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from consensus_kit import CONSOLE, InvalidInput
from consensus_kit.cli._common import AS_HELP, Commands, meeting_id, principal, service
from consensus_kit.cli._files import plan_targets, write_atomically

if TYPE_CHECKING:
    from consensus_kit.domain.model import Declaration

__all__ = ["EXPORT_FORMATS", "register"]

# The values of consensus_kit.ExportFormat, written out so that ``--help`` need not load the
# exporters (python-docx, lxml); tests/cli checks that the two lists agree.
EXPORT_FORMATS = (
    *("docx", "bilingual-docx", "parallel-docx", "redline-docx", "md", "json", "akn"),
    *("pdf", "bilingual-pdf", "parallel-pdf", "votes-pdf"),
)


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr (only on a terminal), as a ``progress(done, total)`` callback."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import (  # noqa: PLC0415 - only a terminal needs it
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
    )

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
            line_numbers=not args.no_line_numbers,
        )
    targets = plan_targets(Path(args.out), [f.filename for f in files])
    write_atomically([(t, f.data) for t, f in zip(targets, files, strict=True)])
    for target, exported in zip(targets, files, strict=True):
        print(f"wrote {target} ({len(exported.data):,} bytes)")
    return 0


def cmd_import_docx(args: argparse.Namespace) -> int:
    """Turn Word drafts (one per language, or one side-by-side) into a new version."""
    from consensus_kit import (  # noqa: PLC0415 - commands load what they use
        import_docx,
        import_parallel_docx,
        pair_drafts,
    )

    langs = [lang.strip() for lang in args.lang.split(",")]
    if len(args.files) == 1 and len(langs) > 1:
        drafts = import_parallel_docx(Path(args.files[0]), langs, source=args.files[0])
        sources = dict.fromkeys(langs, args.files[0])
    elif len(langs) != len(args.files):
        raise InvalidInput(
            f"{len(args.files)} file(s) but {len(langs)} language(s): give one language per "
            "file (or one side-by-side file and its languages)",
            field="--lang",
        )
    else:
        sources = dict(zip(langs, args.files, strict=True))
        drafts = {lang: import_docx(Path(path), lang, source=path)
                  for lang, path in sources.items()}  # fmt: skip
    svc = service(args)
    mid = meeting_id(svc, args)
    meeting = svc.meeting(mid)
    latest = svc.version(CONSOLE, mid)
    imported: Declaration = pair_drafts(
        drafts, meeting.negotiating_language, date=latest.declaration.date, sources=sources
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
        "Export a version: Word, PDF, side by side (2-6 languages), redline, Markdown, JSON or "
        "Akoma Ntoso; or the record of votes as PDF.",
    )
    p.add_argument(
        "--format",
        required=True,
        choices=EXPORT_FORMATS,
        help="docx: one per language; parallel-docx: two to six languages side by side "
        "(default: every language; three or more on landscape pages); bilingual-docx: the same, "
        "default the first two; redline-docx: tracked changes since --from; md; json; akn; pdf: "
        "one per language, numbered lines; bilingual-pdf: two languages side by side; "
        "parallel-pdf: two to six languages side by side (default: every language); "
        "votes-pdf: the record of votes, one per language (PDFs need consensus-kit[pdf])",
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
    p.add_argument(
        "--no-line-numbers",
        action="store_true",
        help="Word exports (docx, bilingual-docx, parallel-docx): articles as plain paragraphs, "
        "without the numbered lines",
    )
    p.add_argument("--as", dest="acting", metavar="DELEGATE", help=AS_HELP)

    p = c.add(
        "import-docx",
        cmd_import_docx,
        "Import Word drafts as a new version: one file per language, or one side-by-side file.",
    )
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="one .docx per language, or one with the languages side by side in a table",
    )
    p.add_argument("--lang", required=True, help="the files' languages, comma-separated, in order")
    p.add_argument("--as", dest="acting", metavar="DELEGATE", help=AS_HELP)

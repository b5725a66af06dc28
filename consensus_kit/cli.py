"""The ``consensus-kit`` command: thin commands over the public API.

Every command has help text; a mistake prints one clear line per problem on stderr and exits
with status 1 (2 for a malformed command line). The CLI acts as the *console*: the person who
holds the database, with the secretariat's rights and no more.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import msgspec

from consensus_kit import (
    CONSOLE,
    ConsensusError,
    Declaration,
    DiffOp,
    InvalidInput,
    MeetingFileError,
    MeetingService,
    Severity,
    __version__,
    diff_texts,
    open_service,
    read_meeting_file,
    render_html,
    verify_store,
)
from consensus_kit.domain.ids import DelegateId, Lang, MeetingId
from consensus_kit.domain.locales import is_language_code, language_name

__all__ = ["main"]

DEFAULT_DB = "sqlite:///consensus.db"


def _service(args: argparse.Namespace) -> MeetingService:
    return open_service(args.db)


def _meeting_id(service: MeetingService, args: argparse.Namespace) -> MeetingId:
    return service.the_meeting(args.meeting)


def cmd_load(args: argparse.Namespace) -> int:
    """Load a meeting file into the database."""
    meeting_file = read_meeting_file(args.file)
    for warning in meeting_file.warnings:
        print(f"warning: {args.file}: {warning}", file=sys.stderr)
    service = _service(args)
    loaded = service.load_meeting(meeting_file, actor=CONSOLE)
    meeting = loaded.meeting
    voting = sum(1 for o in meeting.organisations if not o.observer)
    print(f"loaded meeting {meeting.id!r}: {meeting.title[meeting.negotiating_language]}")
    print(
        f"  {voting} organisations, {len(meeting.organisations) - voting} observer organisations, "
        f"{len(meeting.delegates)} delegates; languages {', '.join(meeting.languages)} "
        f"(negotiating: {meeting.negotiating_language})"
    )
    version = loaded.version
    print(
        f"  version {version.number}: {len(version.declaration.articles)} articles, "
        f"content hash {version.content_hash[:12]}"
    )
    print(f"access codes were issued: print them once with 'consensus-kit codes --db {args.db}'")
    return 0


def render_declaration(declaration: Declaration, lang: Lang) -> str:
    """A declaration in one language as plain text."""
    lines = [declaration.title.get(lang, "")]
    if declaration.subtitle.get(lang):
        lines.append(declaration.subtitle[lang])
    lines.append("")
    if declaration.preamble.get(lang):
        lines += [declaration.preamble[lang], ""]
    for number, article in enumerate(declaration.articles, 1):
        text = article.text.get(lang)
        lines.append(
            f"{number}. {text}" if text is not None else f"{number}. [translation pending]"
        )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def cmd_show(args: argparse.Namespace) -> int:
    """Print a version of the declaration."""
    service = _service(args)
    meeting_id = _meeting_id(service, args)
    meeting = service.meeting(meeting_id)
    version = service.version(CONSOLE, meeting_id, args.version)
    langs = [args.lang] if args.lang else list(meeting.languages)
    for lang in langs:
        if lang not in meeting.languages:
            raise ConsensusError(
                f"--lang: {lang!r} is not one of the meeting's languages "
                f"({', '.join(meeting.languages)})"
            )
    if args.format == "json":
        sys.stdout.write(msgspec.json.format(msgspec.json.encode(version).decode()) + "\n")
        return 0
    for i, lang in enumerate(langs):
        if i:
            print()
        state = version.state.value
        print(
            f"== version {version.number} ({state}), {language_name(lang, 'en')} "
            f"[{lang}], content hash {version.content_hash[:12]} =="
        )
        sys.stdout.write(render_declaration(version.declaration, Lang(lang)))
    return 0


def cmd_versions(args: argparse.Namespace) -> int:
    """List the versions of the declaration."""
    service = _service(args)
    meeting_id = _meeting_id(service, args)
    for v in service.versions(CONSOLE, meeting_id):
        parent = f"from {v.parent}" if v.parent else "first"
        print(
            f"{v.number:>4}  {v.state.value:<6}  {v.content_hash[:12]}  "
            f"{v.created_at:%Y-%m-%d %H:%M}  {v.created_by:<16} {parent}  {v.note}"
        )
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """Report which articles changed between two versions."""
    service = _service(args)
    meeting_id = _meeting_id(service, args)
    changes = service.compare_versions(CONSOLE, meeting_id, args.old, args.new, args.lang)
    for change in changes:
        old = change.old_position or "-"
        new = change.new_position or "-"
        print(f"{change.kind.value:<18} {change.article:<24} {old!s:>4} -> {new!s:<4}")
    return 0


def _terminal_diff(ops: list[DiffOp]) -> str:
    """A diff for a terminal: ``[-deleted-]{+inserted+}``, as git's word diff writes it."""
    marks = {"equal": ("", ""), "delete": ("[-", "-]"), "insert": ("{+", "+}")}
    return "".join(f"{marks[o.op][0]}{o.text}{marks[o.op][1]}" for o in ops)


def _print_ops(ops: list[DiffOp], fmt: str) -> None:
    if fmt == "json":
        print(msgspec.json.encode(ops).decode())
    elif fmt == "html":
        print(render_html(ops))
    else:
        print(_terminal_diff(ops))


def _read_text(path: str) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(
            f"cannot read {path} ({getattr(exc, 'strerror', None) or exc})"
        ) from None
    return text.replace("\r\n", "\n")


def cmd_diff(args: argparse.Namespace) -> int:
    """Diff two text files, or two stored versions (--db --from --to)."""
    if args.files:
        if len(args.files) != 2 or args.old is not None or args.new is not None:
            raise InvalidInput("give two files, or --from and --to with --db (not both)")
        if args.lang and not is_language_code(args.lang):
            raise InvalidInput(f"--lang: {args.lang!r} is not a known language code")
        a, b = (_read_text(f) for f in args.files)
        _print_ops(diff_texts(a, b, lang=args.lang), args.format)
        return 0
    if args.old is None or args.new is None or not args.lang:
        raise InvalidInput("give two files, or --from N --to M --lang L to diff stored versions")
    service = _service(args)
    meeting_id = _meeting_id(service, args)
    result = service.diff_versions(CONSOLE, meeting_id, args.old, args.new, args.lang)
    if args.format == "json":
        print(msgspec.json.encode(result).decode())
        return 0
    parts = [("title", result.title), ("subtitle", result.subtitle), ("preamble", result.preamble)]
    for name, ops in parts:
        if any(o.op != "equal" for o in ops):
            print(f"== {name} ==")
            _print_ops(ops, args.format)
    for item in result.articles:
        change = item.change
        where = change.new_position or change.old_position
        print(f"== article {where} ({change.article}): {change.kind.value} ==")
        if change.kind.value != "unchanged":
            _print_ops(item.ops, args.format)
    return 0


def cmd_lint(args: argparse.Namespace) -> int:
    """Language-parity check of a version; exit 1 when there are errors."""
    service = _service(args)
    meeting_id = _meeting_id(service, args)
    findings = service.lint(CONSOLE, meeting_id, args.version)
    if args.format == "json":
        print(msgspec.json.encode(findings).decode())
    else:
        for finding in findings:
            print(finding)
        errors = sum(1 for f in findings if f.severity is Severity.ERROR)
        print(f"{errors} error(s), {len(findings) - errors} warning(s)")
    return 1 if any(f.severity is Severity.ERROR for f in findings) else 0


def cmd_amendments(args: argparse.Namespace) -> int:
    """List amendments with their status and diff."""
    service = _service(args)
    meeting_id = _meeting_id(service, args)
    for view in service.amendments(CONSOLE, meeting_id, article=args.article, open_only=args.open):
        a = view.amendment
        target = a.article or (f"after {a.after}" if a.after else a.kind.value)
        pending = f" (translation pending: {', '.join(view.pending)})" if view.pending else ""
        print(
            f"#{a.number} {a.kind.value} {target} by {a.sponsor} on v{a.base_version}: "
            f"{a.status.value}{pending}"
        )
        if a.conflict:
            print(f"   conflict: {a.conflict}")
        for lang, ops in view.diffs.items():
            print(f"   [{lang}] {_terminal_diff(ops)}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    """Verify the event chain and every content hash."""
    service = _service(args)
    meeting_id = MeetingId(args.meeting) if args.meeting else None
    if meeting_id:
        service.the_meeting(meeting_id)
    report = verify_store(service.store, CONSOLE, meeting_id)
    for finding in report.findings:
        print(f"MISMATCH {finding}")
    status = "OK" if report.ok else f"FAILED: {len(report.findings)} finding(s)"
    print(
        f"{status} — {report.meetings} meeting(s), {report.events} events, "
        f"{report.versions} versions checked"
    )
    return 0 if report.ok else 1


def cmd_codes(args: argparse.Namespace) -> int:
    """Print each delegate's access code (once), or re-issue codes."""
    service = _service(args)
    meeting_id = _meeting_id(service, args)
    meeting = service.meeting(meeting_id)
    if args.reissue or args.delegate:
        codes = service.issue_codes(CONSOLE, meeting_id, args.delegate or None)
    else:
        codes = service.take_pending_codes(CONSOLE, meeting_id)
        if not codes:
            raise ConsensusError(
                "no codes to show: codes are stored hashed and shown only once after loading; "
                "issue new ones with --reissue (all) or --delegate ID"
            )
    for delegate_id, code in codes.items():
        delegate = meeting.delegate(delegate_id)
        assert delegate is not None
        org = meeting.organisation(delegate.organisation) if delegate.organisation else None
        org_name = org.name_in(meeting.negotiating_language) if org else "—"
        roles = ",".join(sorted(delegate.roles))
        print(f"{code}  {delegate_id:<28} {roles:<20} {delegate.name} ({org_name})")
    print(f"# {len(codes)} code(s); they will not be shown again", file=sys.stderr)
    return 0


def _example_file() -> Path:
    here = Path(__file__).resolve().parent.parent / "examples" / "a20_2018" / "meeting.toml"
    if not here.is_file():
        raise ConsensusError(
            "the A20 example is not here: run the demo from a source checkout of consensus-kit"
        )
    return here


def cmd_demo(args: argparse.Namespace) -> int:
    """Load the A20 example into a fresh SQLite file and print its declaration."""
    db = Path(args.db)
    if db.exists():
        if not args.fresh:
            raise ConsensusError(
                f"{db} already exists: pass --fresh to replace it, or choose another --db path"
            )
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{db}"
    cmd_load(argparse.Namespace(file=str(_example_file()), db=url))
    print()
    cmd_show(argparse.Namespace(db=url, meeting=None, version=None, lang=None, format="text"))
    print()
    cmd_verify(argparse.Namespace(db=url, meeting=None))
    service = open_service(url)
    meeting = service.meeting(service.the_meeting())
    codes = service.take_pending_codes(CONSOLE, meeting.id)
    print("\nsome access codes (all of them: consensus-kit codes --reissue --db " + url + "):")
    shown = ["chair", "secretariat"]
    shown += [d.id for d in meeting.delegates if d.organisation and "signatory" in d.roles][:2]
    for delegate_id in shown:
        delegate = meeting.delegate(DelegateId(delegate_id))
        assert delegate is not None
        print(f"  {codes[delegate.id]}  {delegate.name} ({', '.join(sorted(delegate.roles))})")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="consensus-kit",
        description="Run a multilingual declaration negotiated by many organisations.",
    )
    parser.add_argument("--version", action="version", version=f"consensus-kit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(
        name: str,
        func: Callable[[argparse.Namespace], int],
        help_text: str,
        *,
        meeting: bool = True,
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument(
            "--db",
            default=os.environ.get("CK_DB", DEFAULT_DB),
            help="database URL or SQLite file path (default: $CK_DB or %(default)s)",
        )
        if meeting:
            p.add_argument(
                "--meeting", help="meeting id (needed only when the database holds several)"
            )
        p.set_defaults(func=func)
        return p

    p = sub.add_parser(
        "demo",
        help="Load the A20 example into a fresh SQLite file and print it.",
        description="Load the A20 example (Beijing, 2018) into a fresh SQLite file and print it.",
    )
    p.add_argument(
        "--db", default="a20-demo.db", help="SQLite file to create (default: %(default)s)"
    )
    p.add_argument("--fresh", action="store_true", help="replace the file if it exists")
    p.set_defaults(func=cmd_demo)

    p = command("load", cmd_load, "Load a meeting file (TOML) and its first draft.", meeting=False)
    p.add_argument("file", help="the meeting file, e.g. examples/a20_2018/meeting.toml")

    p = command("show", cmd_show, "Print a version of the declaration.")
    p.add_argument(
        "--version", dest="version", type=int, help="version number (default: the latest)"
    )
    p.add_argument("--lang", help="one language code (default: every meeting language)")
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format")

    command("versions", cmd_versions, "List every version of the declaration.")

    p = command("compare", cmd_compare, "Report which articles changed between two versions.")
    p.add_argument("--from", dest="old", type=int, required=True, help="the older version")
    p.add_argument("--to", dest="new", type=int, required=True, help="the newer version")
    p.add_argument("--lang", required=True, help="language code")

    p = command("diff", cmd_diff, "Diff two text files, or two stored versions of the declaration.")
    p.add_argument("files", nargs="*", metavar="FILE", help="two plain-text files to compare")
    p.add_argument("--from", dest="old", type=int, help="the older stored version")
    p.add_argument("--to", dest="new", type=int, help="the newer stored version")
    p.add_argument(
        "--lang", help="language of the texts (words or characters are compared by script)"
    )
    p.add_argument(
        "--format",
        choices=["text", "json", "html"],
        default="text",
        help="text: [-deleted-]{+inserted+}; json: a list of {op, text}; html: <del>/<ins>",
    )

    p = command("lint", cmd_lint, "Check that the language versions agree (exit 1 on errors).")
    p.add_argument(
        "--version", dest="version", type=int, help="version number (default: the latest)"
    )
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format")

    p = command("amendments", cmd_amendments, "List amendments with their status and diffs.")
    p.add_argument("--article", help="only amendments on this article id")
    p.add_argument("--open", action="store_true", help="only amendments still in play")

    command(
        "verify",
        cmd_verify,
        "Verify the event hash chain and every version's content hash; exit 0 only if all verify.",
    )

    p = command(
        "codes",
        cmd_codes,
        "Print delegates' access codes (shown once after loading) or re-issue them.",
    )
    p.add_argument("--reissue", action="store_true", help="issue new codes to every delegate")
    p.add_argument(
        "--delegate",
        action="append",
        metavar="ID",
        help="issue a new code to this delegate only (repeatable)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except MeetingFileError as exc:
        for problem in exc.problems:
            print(f"error: {exc.source}: {problem}", file=sys.stderr)
        return 1
    except ConsensusError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

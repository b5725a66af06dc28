"""Commands about meetings and versions: migrate, load, show, versions, compare, verify, codes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Collection

import msgspec

from consensus_kit import CONSOLE, ConsensusError, Declaration, schema_revision
from consensus_kit.cli._common import Commands, meeting_id, service
from consensus_kit.domain.ids import Lang, MeetingId
from consensus_kit.domain.locales import language_name

__all__ = ["STALE_MARK", "register", "render_declaration"]


def cmd_load(args: argparse.Namespace) -> int:
    """Load a meeting file into the database."""
    from consensus_kit import read_meeting_file  # noqa: PLC0415 - commands load what they use

    meeting_file = read_meeting_file(args.file)
    for warning in meeting_file.warnings:
        print(f"warning: {args.file}: {warning}", file=sys.stderr)
    svc = service(args)
    loaded = svc.load_meeting(meeting_file, actor=CONSOLE)
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


STALE_MARK = "[stale]"
"""Printed before a part whose words lag behind its latest substantive change."""


def render_declaration(declaration: Declaration, lang: Lang, stale: Collection[str] = ()) -> str:
    """A declaration in one language as plain text; the parts named in ``stale`` (``"title"``,
    ``"preamble"``, an article id) are marked ``[stale]``."""

    def mark(part: str, text: str) -> str:
        return f"{STALE_MARK} {text}" if part in stale else text

    lines = [mark("title", declaration.title.get(lang, ""))]
    if declaration.subtitle.get(lang):
        lines.append(mark("subtitle", declaration.subtitle[lang]))
    lines.append("")
    if declaration.preamble.get(lang):
        lines += [mark("preamble", declaration.preamble[lang]), ""]
    for number, article in enumerate(declaration.articles, 1):
        text = article.text.get(lang)
        body = mark(article.id, text) if text is not None else "[translation pending]"
        lines.append(f"{number}. {body}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def cmd_show(args: argparse.Namespace) -> int:
    """Print a version of the declaration."""
    svc = service(args)
    mid = meeting_id(svc, args)
    meeting = svc.meeting(mid)
    version = svc.version(CONSOLE, mid, args.version)
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
    stale = svc.stale_translations(CONSOLE, mid, version.number)
    for i, lang in enumerate(langs):
        if i:
            print()
        state = version.state.value
        print(
            f"== version {version.number} ({state}), {language_name(lang, 'en')} "
            f"[{lang}], content hash {version.content_hash[:12]} =="
        )
        parts = [s for s in stale if s.lang == lang]
        sys.stdout.write(
            render_declaration(version.declaration, Lang(lang), {s.article for s in parts})
        )
        if parts:
            print(
                f"{STALE_MARK} {len(parts)} part(s) behind a substantive change: "
                f"{', '.join(s.part for s in parts)} (update them, or confirm with "
                f"'consensus-kit confirm {parts[0].article}:{lang}')"
            )
    return 0


def cmd_versions(args: argparse.Namespace) -> int:
    """List the versions of the declaration."""
    svc = service(args)
    mid = meeting_id(svc, args)
    for v in svc.versions(CONSOLE, mid):
        parent = f"from {v.parent}" if v.parent else "first"
        print(
            f"{v.number:>4}  {v.state.value:<6}  {v.content_hash[:12]}  "
            f"{v.created_at:%Y-%m-%d %H:%M}  {v.created_by:<16} {parent}  {v.note}"
        )
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """Report which articles changed between two versions."""
    svc = service(args)
    mid = meeting_id(svc, args)
    changes = svc.compare_versions(CONSOLE, mid, args.old, args.new, args.lang)
    for change in changes:
        old = change.old_position or "-"
        new = change.new_position or "-"
        print(f"{change.kind.value:<18} {change.article:<24} {old!s:>4} -> {new!s:<4}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    """Verify the event chain and every content hash."""
    from consensus_kit import verify_store  # noqa: PLC0415 - commands load what they use

    svc = service(args)
    mid = MeetingId(args.meeting) if args.meeting else None
    if mid:
        svc.the_meeting(mid)
    report = verify_store(svc.store, CONSOLE, mid)
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
    svc = service(args)
    mid = meeting_id(svc, args)
    meeting = svc.meeting(mid)
    if args.reissue or args.delegate:
        codes = svc.issue_codes(CONSOLE, mid, args.delegate or None)
    else:
        codes = svc.take_pending_codes(CONSOLE, mid)
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


def cmd_migrate(args: argparse.Namespace) -> int:
    """Bring the database schema up to date (or create it)."""
    from consensus_kit import SqlStore  # noqa: PLC0415 - commands load what they use

    store = SqlStore.open(args.db, migrate=True)
    store.close()
    print(f"the database schema is up to date ({schema_revision()})")
    return 0


def register(c: Commands) -> None:
    """Add this module's commands."""
    c.add(
        "migrate", cmd_migrate, "Create the database schema or bring it up to date.", meeting=False
    )

    p = c.add("load", cmd_load, "Load a meeting file (TOML) and its first draft.", meeting=False)
    p.add_argument("file", help="the meeting file, e.g. examples/a20_2018/meeting.toml")

    p = c.add("show", cmd_show, "Print a version of the declaration.")
    p.add_argument("--version", dest="version", type=int, help="version (default: the latest)")
    p.add_argument("--lang", help="one language code (default: every meeting language)")
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format")

    c.add("versions", cmd_versions, "List every version of the declaration.")

    p = c.add("compare", cmd_compare, "Report which articles changed between two versions.")
    p.add_argument("--from", dest="old", type=int, required=True, help="the older version")
    p.add_argument("--to", dest="new", type=int, required=True, help="the newer version")
    p.add_argument("--lang", required=True, help="language code")

    c.add(
        "verify",
        cmd_verify,
        "Verify the event chain, every content hash, ballot and seal; exit 0 only if all verify.",
    )

    p = c.add(
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

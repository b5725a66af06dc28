"""Commands about drafting: diff, lint, keeping translations in step."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import msgspec

from consensus_kit import (
    CONSOLE,
    DiffOp,
    InvalidInput,
    Severity,
    diff_texts,
    render_html,
)
from consensus_kit.cli._common import (
    Commands,
    add_acting,
    meeting_id,
    principal,
    read_utf8,
    service,
)
from consensus_kit.domain.locales import is_language_code

__all__ = ["legacy_translate", "register", "terminal_diff"]


def terminal_diff(ops: list[DiffOp]) -> str:
    """A diff for a terminal: ``[-deleted-]{+inserted+}``, as git's word diff writes it."""
    marks = {"equal": ("", ""), "delete": ("[-", "-]"), "insert": ("{+", "+}")}
    return "".join(f"{marks[o.op][0]}{o.text}{marks[o.op][1]}" for o in ops)


def _print_ops(ops: list[DiffOp], fmt: str) -> None:
    if fmt == "json":
        print(msgspec.json.encode(ops).decode())
    elif fmt == "html":
        print(render_html(ops))
    else:
        print(terminal_diff(ops))


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
    svc = service(args)
    mid = meeting_id(svc, args)
    result = svc.diff_versions(CONSOLE, mid, args.old, args.new, args.lang)
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
    svc = service(args)
    mid = meeting_id(svc, args)
    findings = svc.lint(CONSOLE, mid, args.version)
    if args.format == "json":
        print(msgspec.json.encode(findings).decode())
    else:
        for finding in findings:
            print(finding)
        errors = sum(1 for f in findings if f.severity is Severity.ERROR)
        print(f"{errors} error(s), {len(findings) - errors} warning(s)")
    return 1 if any(f.severity is Severity.ERROR for f in findings) else 0


def _part_lang(item: str, field: str) -> tuple[str, str]:
    part, sep, lang = item.rpartition(":")
    if not sep or not part or not lang:
        raise InvalidInput(f"{item!r}: write PART:LANG, e.g. preamble:zh or art-2:zh", field=field)
    return part, lang


def cmd_confirm(args: argparse.Namespace) -> int:
    """Confirm on purpose that stale translations still match (a new version, same words)."""
    pairs = [_part_lang(item, f"parts[{i}]") for i, item in enumerate(args.parts)]
    svc = service(args)
    mid = meeting_id(svc, args)
    actor = principal(svc, mid, args)
    made = svc.confirm_translations(actor, mid, pairs, note=args.note, version=args.version)
    print(
        f"version {made.number}: confirmed {', '.join(args.parts)} "
        f"(same words, content hash {made.content_hash[:12]})"
    )
    return 0


def cmd_translate(args: argparse.Namespace) -> int:
    """Correct the translation of one part (a new version)."""
    part, lang = _part_lang(args.part, "PART:LANG")
    if (args.file is None) == (args.text is None):
        raise InvalidInput("give the new words with --file or --text (one of them)", field="--file")
    text = read_utf8(args.file, field="--file") if args.file else args.text
    svc = service(args)
    mid = meeting_id(svc, args)
    made = svc.update_translations(
        principal(svc, mid, args), mid, {(part, lang): text}, note=args.note
    )
    print(f"version {made.number}: {args.part} updated, content hash {made.content_hash[:12]}")
    return 0


def cmd_stale(args: argparse.Namespace) -> int:
    """List the translations that lag behind the negotiating-language words."""
    svc = service(args)
    mid = meeting_id(svc, args)
    found = svc.stale_translations(principal(svc, mid, args), mid, args.version)
    for stale in found:
        print(f"{stale.article}:{stale.lang}  {stale}")
    print(f"# {len(found)} stale translation(s)", file=sys.stderr)
    return 0


TRANSLATE_ACTIONS = ("update", "confirm", "stale")


def legacy_translate(argv: list[str]) -> list[str]:
    """``translate PART:LANG --file F`` (the form before ``translate update``) still works,
    options first or last."""
    if not argv or argv[0] != "translate":
        return argv
    rest = iter(argv[1:])
    for word in rest:
        if word in ("-h", "--help"):
            return argv
        if word.startswith("-"):
            if "=" not in word:
                next(rest, None)  # every option of translate update takes a value
            continue
        return argv if word in TRANSLATE_ACTIONS else ["translate", "update", *argv[1:]]
    return argv


def _confirm_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "parts", nargs="+", metavar="PART:LANG", help="e.g. preamble:zh, title:zh or art-2:zh"
    )
    p.add_argument("--note", default="", help="why (kept in the version and the event log)")
    p.add_argument(
        "--version", dest="version", type=int, help="the version checked (must be the latest)"
    )
    add_acting(p)


def register(c: Commands) -> None:
    """Add this module's commands."""
    p = c.add("diff", cmd_diff, "Diff two text files, or two stored versions of the declaration.")
    p.add_argument("files", nargs="*", metavar="FILE", help="two plain-text files to compare")
    p.add_argument("--from", dest="old", type=int, help="the older stored version")
    p.add_argument("--to", dest="new", type=int, help="the newer stored version")
    p.add_argument(
        "--lang", help="language of the texts (compared by word, or by character in Chinese…)"
    )
    p.add_argument(
        "--format",
        choices=["text", "json", "html"],
        default="text",
        help="text: [-old-]{+new+}; json: a list of {op, text}; html: <del>/<ins>",
    )

    p = c.add("lint", cmd_lint, "Check that the language versions agree (exit 1 on errors).")
    p.add_argument("--version", dest="version", type=int, help="version (default: the latest)")
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format")

    p = c.add(
        "confirm",
        cmd_confirm,
        "Confirm on purpose that stale translations still match (the secretariat); "
        "the same as 'translate confirm'.",
    )
    _confirm_options(p)

    translate = c.group(
        "translate",
        "Keep the translations in step (the secretariat): list the stale ones, correct one "
        "(update), or confirm that one still matches. 'translate PART:LANG --file F' is "
        "short for 'translate update'.",
    )
    p = translate.add(
        "update", cmd_translate, "Correct the translation of one part (a new version)."
    )
    p.add_argument("part", metavar="PART:LANG", help="e.g. preamble:zh, title:zh or art-2:zh")
    p.add_argument("--file", help="a UTF-8 text file holding the new words")
    p.add_argument("--text", help="the new words themselves (instead of --file)")
    p.add_argument("--note", default="", help="why (kept in the version and the event log)")
    add_acting(p)
    p = translate.add(
        "confirm", cmd_confirm, "Confirm on purpose that stale translations still match."
    )
    _confirm_options(p)
    p = translate.add("stale", cmd_stale, "List the translations that lag behind.")
    p.add_argument("--version", dest="version", type=int, help="version (default: the latest)")
    add_acting(p)

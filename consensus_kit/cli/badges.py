"""``consensus-kit badges``: print one card per delegate with a QR code that logs them in."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from consensus_kit import CONSOLE, ConsensusError, InvalidInput
from consensus_kit.cli._common import Commands, meeting_id, service
from consensus_kit.cli._files import OutputError, write_atomically

__all__ = ["register"]


def _check_output(out: Path) -> None:
    """Refuse an output the PDF could not be written to *before* codes are issued."""
    if out.is_dir():
        raise OutputError(f"cannot write {out}: it is a folder", field="--out")
    folder = out.parent
    if not folder.is_dir():
        cause = "is a file, not a folder" if folder.exists() else "does not exist"
        raise OutputError(f"cannot write {out}: the folder {folder} {cause}", field="--out")


def cmd_badges(args: argparse.Namespace) -> int:
    """Issue or take access codes and print one badge per delegate to a PDF."""
    from consensus_kit import (  # noqa: PLC0415 - commands load what they use
        badge_url,
        export_badges,
        require_badge_tools,
    )

    if not args.url:
        raise InvalidInput(
            "give the address delegates open, e.g. --url https://summit.example.org "
            "(or set CK_PUBLIC_URL)",
            field="--url",
        )
    badge_url(args.url, "check")  # a bad address is refused before any code changes
    out = Path(args.out)
    _check_output(out)
    require_badge_tools()
    svc = service(args)
    mid = meeting_id(svc, args)
    meeting = svc.meeting(mid)
    if args.lang and args.lang not in meeting.languages:
        raise InvalidInput(
            f"{args.lang!r} is not one of the meeting's languages ({', '.join(meeting.languages)})",
            field="--lang",
        )
    if args.delegate or args.reissue:
        codes = svc.issue_codes(CONSOLE, mid, args.delegate or None)
    else:
        codes = svc.take_pending_codes(CONSOLE, mid)
        if not codes:
            raise ConsensusError(
                "no codes to print: codes are stored hashed and shown only once after loading; "
                "make new badges with --reissue (all; the old badges stop working) or "
                "--delegate ID"
            )
    data = export_badges(meeting, codes, args.url, lang=args.lang)
    try:
        write_atomically([(out, data)])
    except OutputError as exc:
        raise OutputError(
            f"{exc.reason}; the codes just taken are not shown again: "
            "make new badges with --reissue"
        ) from None
    print(f"wrote {out}: {len(codes)} badge(s), eight to an A4 page")
    if args.delegate or args.reissue:
        print("# new codes: the badges printed before for these delegates no longer log in",
              file=sys.stderr)  # fmt: skip
    return 0


def register(c: Commands) -> None:
    """Add this module's commands."""
    p = c.add(
        "badges",
        cmd_badges,
        "Print one badge per delegate (name, organisation, role, a QR code that logs in) to PDF.",
    )
    p.add_argument("--out", required=True, help="the PDF file to write, e.g. badges.pdf")
    p.add_argument(
        "--url",
        default=os.environ.get("CK_PUBLIC_URL"),
        help="the web UI's public address the QR codes open (default: $CK_PUBLIC_URL)",
    )
    p.add_argument("--lang", help="language of the cards (default: the negotiating language)")
    p.add_argument(
        "--reissue",
        action="store_true",
        help="issue new codes to every delegate (the old badges stop working)",
    )
    p.add_argument(
        "--delegate",
        action="append",
        metavar="ID",
        help="issue a new code and badge for this delegate only (repeatable)",
    )

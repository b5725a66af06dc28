"""``consensus-kit agenda`` (what is on the floor) and ``consensus-kit signing`` (open, close,
reopen the final text for signature), acting ``--as`` the chair. The rules are the library's.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from consensus_kit import CONSOLE, AgendaKind
from consensus_kit.cli._common import Commands, add_acting, meeting_id, principal, service

if TYPE_CHECKING:
    from consensus_kit import MeetingService

__all__ = ["register"]

KINDS = tuple(k.value for k in AgendaKind)


def cmd_agenda_show(args: argparse.Namespace) -> int:
    """Print the item on the floor."""
    svc = service(args)
    mid = meeting_id(svc, args)
    item = svc.agenda(principal(svc, mid, args), mid)
    if item.kind is AgendaKind.NONE:
        print("on the floor: nothing (the room sees the current text)")
    else:
        print(f"on the floor: {item.kind.value} {item.ref}")
    if item.note:
        print(f"   note: {item.note}")
    if item.set_at is not None:
        print(f"   set by {item.set_by} at {item.set_at:%Y-%m-%d %H:%M:%S} UTC")
    return 0


def cmd_agenda_set(args: argparse.Namespace) -> int:
    """Put an item on the floor (the chair)."""
    svc = service(args)
    mid = meeting_id(svc, args)
    item = svc.set_agenda(principal(svc, mid, args), mid, args.kind, args.ref, note=args.note)
    shown = f"{item.kind.value} {item.ref}".strip()
    print(f"on the floor: {shown}")
    return 0


def cmd_agenda_clear(args: argparse.Namespace) -> int:
    """Clear the floor (the chair): the room sees the current text."""
    svc = service(args)
    mid = meeting_id(svc, args)
    svc.set_agenda(principal(svc, mid, args), mid, AgendaKind.NONE, note=args.note)
    print("on the floor: nothing (the room sees the current text)")
    return 0


def _number(svc: MeetingService, args: argparse.Namespace) -> int:
    if args.version is not None:
        return int(args.version)
    return svc.versions(CONSOLE, meeting_id(svc, args))[-1].number


def cmd_signing_open(args: argparse.Namespace) -> int:
    """Freeze the version as the final text (the chair): signatories may endorse it."""
    svc = service(args)
    mid = meeting_id(svc, args)
    version = svc.freeze_version(
        principal(svc, mid, args), mid, _number(svc, args), override_lint=args.override_lint or ""
    )
    print(
        f"version {version.number} frozen and open for signature, "
        f"content hash {version.content_hash}"
    )
    if args.override_lint:
        print(f"lint errors overridden: {args.override_lint}")
    return 0


def cmd_signing_close(args: argparse.Namespace) -> int:
    """Close signing of the final text (the chair)."""
    svc = service(args)
    mid = meeting_id(svc, args)
    number = _number(svc, args)
    count = svc.close_signing(principal(svc, mid, args), mid, number)
    print(f"version {number}: signing closed with {count} endorsement(s)")
    return 0


def cmd_signing_reopen(args: argparse.Namespace) -> int:
    """Reopen signing after it was closed (the chair), for a reason: late signatures."""
    svc = service(args)
    mid = meeting_id(svc, args)
    number = _number(svc, args)
    svc.reopen_signing(principal(svc, mid, args), mid, number, reason=args.reason)
    print(f"version {number}: signing reopened ({args.reason})")
    return 0


def cmd_signing_status(args: argparse.Namespace) -> int:
    """Whether the final text is open for signature, and how many organisations signed."""
    svc = service(args)
    mid = meeting_id(svc, args)
    actor = principal(svc, mid, args)
    number = _number(svc, args)
    version = svc.version(actor, mid, number)
    if version.state.value != "frozen":
        print(f"version {number}: a draft, not open for signature ('signing open' freezes it)")
        return 0
    state = "open" if svc.signing_open(actor, mid, number) else "closed"
    count = len(svc.endorsements(actor, mid, number))
    print(f"version {number}: signing {state}, {count} endorsement(s)")
    return 0


def _version(p: argparse.ArgumentParser) -> None:
    p.add_argument("--version", dest="version", type=int, help="version (default: the latest)")


def register(c: Commands) -> None:
    """Add ``agenda`` and ``signing``."""
    agenda = c.group("agenda", "Show or set what is on the floor (setting it: the chair).")
    p = agenda.add("show", cmd_agenda_show, "Print the item on the floor.")
    add_acting(p)
    p = agenda.add(
        "set", cmd_agenda_set, "Put an article, amendment, vote or signing on the floor."
    )
    p.add_argument("kind", choices=KINDS, help="what goes on the floor")
    p.add_argument(
        "ref",
        nargs="?",
        default="",
        help="which one: an article id, an amendment, vote or version number",
    )
    p.add_argument("--note", default="", help="a line shown with it")
    add_acting(p)
    p = agenda.add("clear", cmd_agenda_clear, "Clear the floor: the room sees the current text.")
    p.add_argument("--note", default="", help="a line shown with it")
    add_acting(p)

    signing = c.group(
        "signing",
        "Open the final text for signature (freeze it), close signing, or reopen it with a "
        "reason (the chair); status shows where it stands.",
    )
    p = signing.add(
        "open", cmd_signing_open, "Freeze the version as the final text, open for signature."
    )
    _version(p)
    p.add_argument(
        "--override-lint",
        metavar="REASON",
        help="freeze although lint finds numbers or dates that differ between languages; the "
        "reason is recorded with the findings",
    )
    add_acting(p)
    p = signing.add("close", cmd_signing_close, "Close signing of the final text.")
    _version(p)
    add_acting(p)
    p = signing.add(
        "reopen", cmd_signing_reopen, "Reopen signing after it was closed: late signatures."
    )
    _version(p)
    p.add_argument("--reason", required=True, help="why it reopens (kept in the event log)")
    add_acting(p)
    p = signing.add("status", cmd_signing_status, "Whether signing is open; how many signed.")
    _version(p)
    add_acting(p)

"""``consensus-kit organisations`` and ``consensus-kit delegates``: administration after loading.

Each act runs as the console (the secretariat's rights) or ``--as`` a delegate, whose roles the
library checks; each is one event in the chain with ``--reason``.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from consensus_kit import InvalidInput, record_tag
from consensus_kit.cli._common import AS_HELP, Commands, meeting_id, principal, service

if TYPE_CHECKING:
    from consensus_kit import Administered, MeetingService, Principal
    from consensus_kit.domain.ids import MeetingId

__all__ = ["register"]

REASON_HELP = "why (recorded in the event log with who and when)"
EXPECTED_HELP = (
    "the revision of the record you saw (from 'list'): refused if someone changed it since"
)


def _texts(pairs: list[str] | None, option: str) -> dict[str, str]:
    """``LANG=TEXT`` options as a dict."""
    found: dict[str, str] = {}
    for pair in pairs or []:
        lang, sep, words = pair.partition("=")
        if not sep or not lang.strip():
            raise InvalidInput(f"{pair!r} is not LANG=TEXT (e.g. zh=救助儿童会)", field=option)
        found[lang.strip()] = words
    return found


def _done(what: str, done: Administered, who: str = "") -> int:
    print(f"{what} (event {done.event.seq})")
    if done.code:
        print(f"access code for {who}: {done.code} (shown once)")
    return 0


def _run(args: argparse.Namespace) -> tuple[MeetingService, MeetingId, Principal]:
    svc = service(args)
    mid = meeting_id(svc, args)
    return svc, mid, principal(svc, mid, args)


# -- organisations ----------------------------------------------------------------------------


def cmd_org_add(args: argparse.Namespace) -> int:
    """Add an organisation."""
    svc, mid, actor = _run(args)
    done = svc.add_organisation(
        actor,
        mid,
        args.id,
        name=_texts(args.name, "--name"),
        country=args.country,
        region=args.region,
        observer=args.observer,
        weight=args.weight,
        country_name=_texts(args.country_name, "--country-name"),
        reason=args.reason,
    )
    return _done(f"added organisation {args.id}", done)


def cmd_org_rename(args: argparse.Namespace) -> int:
    """Rename an organisation or its country."""
    svc, mid, actor = _run(args)
    done = svc.rename_organisation(
        actor,
        mid,
        args.organisation,
        name=_texts(args.name, "--name"),
        country_name=_texts(args.country_name, "--country-name"),
        reason=args.reason,
        expected=args.expected,
    )
    return _done(f"renamed organisation {args.organisation}", done)


def cmd_org_withdraw(args: argparse.Namespace) -> int:
    """Withdraw an organisation."""
    svc, mid, actor = _run(args)
    done = svc.withdraw_organisation(
        actor, mid, args.organisation, reason=args.reason, expected=args.expected
    )
    return _done(f"organisation {args.organisation} withdrew", done)


def cmd_org_list(args: argparse.Namespace) -> int:
    """List organisations with the revision of each record."""
    svc = service(args)
    meeting = svc.meeting(meeting_id(svc, args))
    for org in meeting.organisations:
        names = " / ".join(f"{k}: {v}" for k, v in org.name.items())
        state = f"withdrew {org.withdrawn_at:%Y-%m-%d %H:%M}" if org.withdrawn_at else "active"
        role = "observer" if org.observer else (org.country or "")
        print(f"{org.id}\t{names}\t{role}\t{state}\trevision {record_tag(org)}")
    return 0


# -- delegates --------------------------------------------------------------------------------


def cmd_del_add(args: argparse.Namespace) -> int:
    """Add a delegate."""
    svc, mid, actor = _run(args)
    done = svc.add_delegate(
        actor,
        mid,
        args.id,
        name=args.name,
        organisation=args.organisation,
        roles=args.roles.split(","),
        title=args.title,
        reason=args.reason,
    )
    return _done(f"added delegate {args.id}", done, args.id)


def cmd_del_rename(args: argparse.Namespace) -> int:
    """Rename a delegate."""
    svc, mid, actor = _run(args)
    done = svc.rename_delegate(
        actor,
        mid,
        args.delegate,
        name=args.name,
        title=args.title,
        reason=args.reason,
        expected=args.expected,
    )
    return _done(f"renamed delegate {args.delegate}", done)


def cmd_del_withdraw(args: argparse.Namespace) -> int:
    """Withdraw a delegate."""
    svc, mid, actor = _run(args)
    done = svc.withdraw_delegate(
        actor, mid, args.delegate, reason=args.reason, expected=args.expected
    )
    return _done(f"delegate {args.delegate} withdrew", done)


def cmd_del_roles(args: argparse.Namespace) -> int:
    """Set a delegate's roles."""
    svc, mid, actor = _run(args)
    done = svc.change_roles(
        actor,
        mid,
        args.delegate,
        [r.strip() for r in args.roles.split(",") if r.strip()],
        reason=args.reason,
        expected=args.expected,
    )
    return _done(f"delegate {args.delegate} now holds: {args.roles}", done)


def cmd_del_substitute(args: argparse.Namespace) -> int:
    """Substitute a head of delegation."""
    svc, mid, actor = _run(args)
    done = svc.substitute_delegate(
        actor,
        mid,
        args.delegate,
        by=args.by,
        name=args.name,
        title=args.title,
        reason=args.reason,
        expected=args.expected,
    )
    return _done(f"{args.by} substitutes {args.delegate}", done, args.by)


def cmd_del_reissue(args: argparse.Namespace) -> int:
    """Re-issue one delegate's access code."""
    svc, mid, actor = _run(args)
    code = svc.reissue_code(actor, mid, args.delegate)
    print(f"access code for {args.delegate}: {code}")
    return 0


def cmd_del_list(args: argparse.Namespace) -> int:
    """List delegates with the revision of each record."""
    svc = service(args)
    meeting = svc.meeting(meeting_id(svc, args))
    for d in meeting.delegates:
        state = f"withdrew {d.withdrawn_at:%Y-%m-%d %H:%M}" if d.withdrawn_at else "active"
        roles = ",".join(sorted(r.value for r in d.roles))
        print(
            f"{d.id}\t{d.name}\t{d.organisation or '-'}\t{roles}\t{state}\trevision {record_tag(d)}"
        )
    return 0


# -- the command line -------------------------------------------------------------------------


def _group(c: Commands, name: str, help_text: str) -> Commands:
    parent = c.add(name, _no_action, help_text, meeting=False, db=False)
    return Commands(
        parent.add_subparsers(
            dest="action", metavar="ACTION", required=True, help="what to do (see ACTION --help)"
        )
    )


def _no_action(args: argparse.Namespace) -> int:  # pragma: no cover - argparse requires one
    return 2


def _acting(p: argparse.ArgumentParser, *, reason: bool = True, expected: bool = True) -> None:
    p.add_argument("--as", dest="acting", metavar="DELEGATE", help=AS_HELP)
    if reason:
        p.add_argument("--reason", required=True, help=REASON_HELP)
    if expected:
        p.add_argument("--expected", metavar="REVISION", help=EXPECTED_HELP)


def register(c: Commands) -> None:
    """Add this module's commands."""
    _register_organisations(c)
    _register_delegates(c)


def _register_organisations(c: Commands) -> None:
    orgs = _group(c, "organisations", "Add, rename, withdraw or list the organisations.")
    p = orgs.add("add", cmd_org_add, "Add an organisation (a late delegation).")
    p.add_argument("id", help="its id (lowercase letters, digits and '-')")
    p.add_argument("--name", action="append", metavar="LANG=TEXT", help="name per language")
    p.add_argument("--country", help="ISO 3166-1 alpha-2 code (required unless --observer)")
    p.add_argument("--region", help="region (required unless --observer)")
    p.add_argument("--observer", action="store_true", help="reads and comments, never votes")
    p.add_argument("--weight", type=int, default=1, help="weight in weighted votes (default 1)")
    p.add_argument(
        "--country-name", action="append", metavar="LANG=TEXT", help="official country name"
    )
    _acting(p, expected=False)
    p = orgs.add("rename", cmd_org_rename, "Change an organisation's name or its country's name.")
    p.add_argument("organisation", help="organisation id")
    p.add_argument("--name", action="append", metavar="LANG=TEXT", help="new name per language")
    p.add_argument(
        "--country-name",
        action="append",
        metavar="LANG=TEXT",
        help="official country name per language (LANG= with nothing: back to CLDR's)",
    )
    _acting(p)
    p = orgs.add("withdraw", cmd_org_withdraw, "Record that an organisation left the meeting.")
    p.add_argument("organisation", help="organisation id")
    _acting(p)
    orgs.add("list", cmd_org_list, "List the organisations and the revision of each.")


def _register_delegates(c: Commands) -> None:
    people = _group(c, "delegates", "Add, rename, withdraw, substitute delegates; set roles.")
    p = people.add("add", cmd_del_add, "Add a delegate and print their access code.")
    p.add_argument("id", help="their id (lowercase letters, digits and '-')")
    p.add_argument("--name", required=True, help="their name as printed")
    p.add_argument("--organisation", help="the organisation they act for")
    p.add_argument("--roles", default="delegate", help="comma-separated roles (default delegate)")
    p.add_argument("--title", default="", help="their title, printed under a signature")
    _acting(p, expected=False)
    p = people.add("rename", cmd_del_rename, "Change a delegate's name or title.")
    p.add_argument("delegate", help="delegate id")
    p.add_argument("--name", help="new name")
    p.add_argument("--title", help="new title")
    _acting(p)
    p = people.add("withdraw", cmd_del_withdraw, "Record that a delegate left; their code ends.")
    p.add_argument("delegate", help="delegate id")
    _acting(p)
    p = people.add(
        "roles",
        cmd_del_roles,
        "Set a delegate's roles (chair, secretariat, signatory, delegate, observer).",
    )
    p.add_argument("delegate", help="delegate id")
    p.add_argument("roles", help="comma-separated roles, e.g. delegate,signatory")
    _acting(p)
    p = people.add(
        "substitute",
        cmd_del_substitute,
        "Substitute a head of delegation: --by takes over the roles, the delegate withdraws.",
    )
    p.add_argument("delegate", help="the delegate who leaves")
    p.add_argument("--by", required=True, help="who takes over (a delegate id, or a new one)")
    p.add_argument("--name", help="the new delegate's name (when --by is new)")
    p.add_argument("--title", help="the new delegate's title (default: the one who leaves)")
    _acting(p)
    p = people.add(
        "reissue-code", cmd_del_reissue, "Issue a new access code for one delegate (shown once)."
    )
    p.add_argument("delegate", help="delegate id")
    _acting(p, reason=False, expected=False)
    people.add("list", cmd_del_list, "List the delegates and the revision of each.")

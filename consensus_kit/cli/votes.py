"""``consensus-kit vote``: the chair opens, calls for consensus, closes or puts a question to the
fallback rule; delegates cast their organisation's ballot. The library checks every role and
rule; the commands read the command line and print what happened.

The first line a command prints starts with ``vote N`` (or ``ballot`` for a cast).
"""

from __future__ import annotations

import argparse
import datetime as dt
import secrets
from typing import TYPE_CHECKING

from consensus_kit import Choice, DecisionRule
from consensus_kit.cli._common import (
    Commands,
    add_acting,
    deadline,
    duration,
    meeting_id,
    principal,
    service,
)
from consensus_kit.cli.amending import print_stale

if TYPE_CHECKING:  # loaded by the commands that use them, not by ``--help``
    from consensus_kit import MeetingService, Tally, Vote

__all__ = ["describe_vote", "register"]

RULES = tuple(r.value for r in DecisionRule)
CHOICES = tuple(c.value for c in Choice)


def _words(value: str) -> str:
    return value.replace("_", " ")


def describe_vote(vote: Vote) -> str:
    """``vote 2 on amendment 1: two thirds, quorum 50%, roll-call, open``."""
    if vote.mode.value == "consensus_call":
        how = "call for consensus"
    else:
        secrecy = "secret" if vote.secret else "roll-call"
        weighted = ", weighted" if vote.weighted else ""
        how = f"{_words(vote.rule.value)}, quorum {vote.quorum:.0%}, {secrecy}{weighted}"
    until = f", until {vote.deadline:%Y-%m-%d %H:%M:%S} UTC" if vote.deadline else ""
    state = vote.state.value
    if vote.result is not None:
        state = f"closed: {_words(vote.result.outcome.value)}"
    return f"vote {vote.number} on {vote.subject}: {how}{until}; {state}"


def _tally(tally: Tally) -> str:
    counts = f"{tally.yes} yes, {tally.no} no, {tally.abstain} abstain"
    if tally.object:
        counts += f", {tally.object} object"
    return f"{counts} ({tally.cast} of {tally.eligible} cast)"


def _print_outcome(svc: MeetingService, args: argparse.Namespace, vote: Vote) -> None:
    print(describe_vote(vote))
    if vote.result is not None:
        print(f"   tally: {_tally(vote.result.tally)}")
        print(f"   {vote.result.reason}")
        if vote.result.objectors:
            print(f"   objected: {', '.join(vote.result.objectors)}")
    if vote.amendment is not None and vote.result is not None:
        mid = vote.meeting
        actor = principal(svc, mid, args)
        made = svc.amendment(actor, mid, vote.amendment).amendment
        if made.adopted_in is not None:
            print(f"   amendment {made.number} adopted: version {made.adopted_in}")
            print_stale(svc, mid, actor)
        else:
            print(f"   amendment {made.number} is {_words(made.status.value)}")


def cmd_open(args: argparse.Namespace) -> int:
    """Open a recorded vote on an amendment or on adopting the whole text."""
    when = deadline(args.deadline, args, field="--deadline") if args.deadline else None
    svc = service(args)
    mid = meeting_id(svc, args)
    vote = svc.open_vote(
        principal(svc, mid, args),
        mid,
        amendment=args.amendment,
        version=args.version,
        rule=args.rule,
        quorum=args.quorum,
        secret=args.secret,
        weighted=args.weighted,
        deadline=when,
    )
    print(describe_vote(vote))
    return 0


def cmd_call(args: argparse.Namespace) -> int:
    """Call for consensus on an amendment: adopted unless an organisation objects in time."""
    svc = service(args)
    mid = meeting_id(svc, args)
    if args.window is None:  # the shortest the rules of procedure allow
        window = dt.timedelta(seconds=svc.meeting(mid).procedure.min_consensus_window)
    else:
        window = duration(args.window, field="--window")
    vote = svc.call_for_consensus(principal(svc, mid, args), mid, args.amendment, window=window)
    print(describe_vote(vote))
    print(f"   to object: consensus-kit vote cast {vote.number} object --as DELEGATE")
    print(f"   no objection by then: consensus-kit vote declare {vote.number} --as CHAIR")
    return 0


def cmd_cast(args: argparse.Namespace) -> int:
    """Cast (or change) the acting delegate's organisation's ballot."""
    svc = service(args)
    mid = meeting_id(svc, args)
    key = args.key or f"cli-{secrets.token_hex(8)}"
    actor = principal(svc, mid, args)
    receipt = svc.cast_ballot(actor, mid, args.vote, args.choice, key=key)
    again = " (already recorded with this key)" if receipt.replayed else ""
    print(
        f"ballot in vote {receipt.vote}: {receipt.organisation} {receipt.choice.value}{again}; "
        f"receipt {receipt.receipt}"
    )
    if svc.vote(actor, mid, args.vote).vote.secret:
        print(f"   check code {receipt.check}: your choice is published under it at closing")
    return 0


def cmd_close(args: argparse.Namespace) -> int:
    """Close a vote (the chair): the rule decides from the stored ballots."""
    svc = service(args)
    mid = meeting_id(svc, args)
    _print_outcome(svc, args, svc.close_vote(principal(svc, mid, args), mid, args.vote))
    return 0


def cmd_declare(args: argparse.Namespace) -> int:
    """Declare consensus (the chair) once a call's time is up without an objection."""
    svc = service(args)
    mid = meeting_id(svc, args)
    _print_outcome(svc, args, svc.declare_consensus(principal(svc, mid, args), mid, args.vote))
    return 0


def cmd_fallback(args: argparse.Namespace) -> int:
    """After an objection, put the question to a recorded vote under the fallback rule."""
    svc = service(args)
    mid = meeting_id(svc, args)
    vote = svc.put_to_fallback(principal(svc, mid, args), mid, args.vote)
    print(describe_vote(vote))
    print(f"   the call for consensus (vote {args.vote}) ended after a formal objection")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """A vote with its tally; who voted how in a roll-call vote."""
    svc = service(args)
    mid = meeting_id(svc, args)
    view = svc.vote(principal(svc, mid, args), mid, args.vote)
    print(describe_vote(view.vote))
    if view.tally is None:
        print(f"   {view.cast} of {view.eligible} organisations cast (a secret vote: no tally yet)")
    else:
        print(f"   tally: {_tally(view.tally)}")
    if view.forecast is not None:
        print(f"   closed now: {_words(view.forecast.outcome.value)} — {view.forecast.reason}")
    if view.fallback is not None:
        print(
            f"   an objection was made: 'vote fallback {view.vote.number}' puts it to "
            f"{_words(view.fallback.value)}"
        )
    for ballot in view.ballots:
        who = ballot.organisation or f"check {ballot.check}"
        print(f"   {who}: {ballot.choice.value if ballot.choice else '?'}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """The meeting's votes, oldest first."""
    svc = service(args)
    mid = meeting_id(svc, args)
    for vote in svc.votes(principal(svc, mid, args), mid, open_only=args.open):
        print(describe_vote(vote))
    return 0


def _vote(p: argparse.ArgumentParser) -> None:
    p.add_argument("vote", type=int, metavar="VOTE", help="the vote's number")


def register(c: Commands) -> None:
    """Add ``vote`` and its actions."""
    vote = c.group(
        "vote",
        "Open, call for consensus, cast, close or put to the fallback rule, acting --as a "
        "delegate (the library checks the delegate's roles).",
    )

    p = vote.add("open", cmd_open, "Open a recorded vote (the chair); prints 'vote N on …'.")
    p.add_argument("--amendment", type=int, metavar="N", help="the amendment voted on")
    p.add_argument(
        "--version", type=int, metavar="N", help="adopt this whole version (the latest) instead"
    )
    p.add_argument("--rule", choices=RULES, help="the decision rule (default: the meeting's rules)")
    p.add_argument(
        "--quorum", type=float, help="share of eligible organisations that must cast, 0 to 1"
    )
    secrecy = p.add_mutually_exclusive_group()
    secrecy.add_argument(
        "--secret",
        dest="secret",
        action="store_const",
        const=True,
        help="secret ballot: totals only, each choice published under a check code",
    )
    secrecy.add_argument(
        "--roll-call",
        dest="secret",
        action="store_const",
        const=False,
        help="roll-call: who voted how is public (default: the meeting's setting)",
    )
    p.add_argument("--weighted", action="store_true", help="count each organisation's weight")
    p.add_argument(
        "--deadline",
        metavar="WHEN",
        help="closes by itself: a duration from now (15m, 2h) or a time with its offset",
    )
    add_acting(p)

    p = vote.add(
        "call",
        cmd_call,
        "Call for consensus on an amendment (the chair): adopted unless someone objects.",
    )
    p.add_argument("amendment", type=int, metavar="AMENDMENT", help="the amendment's number")
    p.add_argument(
        "--window",
        metavar="DURATION",
        help="how long organisations may object: 90s, 10m, 1h "
        "(default: the shortest the rules of procedure allow)",
    )
    add_acting(p)

    p = vote.add("cast", cmd_cast, "Cast your organisation's ballot (or change it).")
    _vote(p)
    p.add_argument(
        "choice",
        choices=CHOICES,
        help="yes, no, abstain; object (a formal objection) under consensus",
    )
    p.add_argument(
        "--key",
        help="a retry key: sending the same key again records the ballot once (default: new)",
    )
    add_acting(p)

    p = vote.add("close", cmd_close, "Close a vote (the chair): the rule decides.")
    _vote(p)
    add_acting(p)

    p = vote.add(
        "declare",
        cmd_declare,
        "Declare consensus (the chair) when a call's window passed without an objection.",
    )
    _vote(p)
    add_acting(p)

    p = vote.add(
        "fallback",
        cmd_fallback,
        "After an objection to a call for consensus, put the question to a recorded vote "
        "under the rules' fallback rule (the chair).",
    )
    _vote(p)
    add_acting(p)

    p = vote.add("show", cmd_show, "Show a vote and its tally.")
    _vote(p)
    add_acting(p)

    p = vote.add("list", cmd_list, "List the meeting's votes.")
    p.add_argument("--open", action="store_true", help="only open votes")
    add_acting(p)

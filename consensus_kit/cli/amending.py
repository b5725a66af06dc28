"""``consensus-kit amend``: propose, revise, withdraw, adopt… an amendment, acting ``--as``
a delegate; and ``amendments``, the list. Every rule is the library's: the commands only read
the command line, call the service and print what it did.

The first line a command prints starts with ``amendment N`` (scripts read the number there).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from consensus_kit import InvalidInput
from consensus_kit.cli._common import (
    Commands,
    add_acting,
    lang_pairs,
    meeting_id,
    principal,
    read_utf8,
    service,
)
from consensus_kit.cli.drafting import terminal_diff

if TYPE_CHECKING:  # loaded by the commands that use them, not by ``--help``
    from consensus_kit import AmendmentView, MeetingId, MeetingService, Principal

__all__ = ["print_amendment", "print_stale", "register"]

KINDS = ("replace", "insert", "delete", "move", "title", "preamble")
INTENTS = ("changed", "confirmed", "secretariat")


def print_amendment(view: AmendmentView, *, full: bool = False) -> None:
    """One amendment: number, kind, target, sponsor, status; its diff per language."""
    a = view.amendment
    target = a.article or (f"after {a.after}" if a.after else a.kind.value)
    if a.kind.value == "move":
        target = f"{a.article} after {a.after}" if a.after else f"{a.article} to the start"
    pending = f" (translation pending: {', '.join(view.pending)})" if view.pending else ""
    print(
        f"#{a.number} {a.kind.value} {target} by {a.sponsor} on v{a.base_version}: "
        f"{a.status.value}{pending}"
    )
    if full and a.cosponsors:
        print(f"   co-sponsors: {', '.join(a.cosponsors)}")
    if full and a.rationale:
        print(f"   rationale: {a.rationale}")
    if full and a.intent:
        print("   intent: " + ", ".join(f"{k}={v.value}" for k, v in sorted(a.intent.items())))
    if a.conflict:
        print(f"   conflict: {a.conflict}")
    if a.adopted_in is not None:
        print(f"   adopted in version {a.adopted_in}")
    if view.reconsiderable:
        print("   the rules of procedure let the chair reconsider it (amend reconsider)")
    if view.motion is not None:
        print(f"   a motion to reconsider it is open: vote {view.motion} (vote close)")
    for lang, ops in view.diffs.items():
        print(f"   [{lang}] {terminal_diff(ops)}")


def print_stale(svc: MeetingService, mid: MeetingId, actor: Principal) -> None:
    """After a new version: each translation it left stale, and the two ways to clear it."""
    for stale in svc.stale_translations(actor, mid):
        item = f"{stale.article}:{stale.lang}"
        print(
            f"   stale: {stale.part} [{stale.lang}] — 'translate update {item} --file F' "
            f"or 'translate confirm {item}'"
        )


def _texts(args: argparse.Namespace) -> dict[str, str]:
    texts = lang_pairs(args.text, field="--text")
    for lang, path in lang_pairs(args.file, field="--file").items():
        if lang in texts:
            raise InvalidInput(f"{lang!r} is given by --text and by --file", field="--file")
        texts[lang] = read_utf8(path, field="--file")
    return texts


def _intent(args: argparse.Namespace) -> dict[str, str] | None:
    intent = lang_pairs(args.intent, field="--intent")
    for lang, value in intent.items():
        if value not in INTENTS:
            raise InvalidInput(
                f"{lang}={value!r}: the intent is one of {', '.join(INTENTS)}", field="--intent"
            )
    return intent or None


def _kind_and_target(args: argparse.Namespace) -> tuple[str, str | None]:
    part: str | None = args.part
    kind: str | None = args.kind
    if kind is None:
        if part is None:
            raise InvalidInput("say which part: an article id, title or preamble", field="PART")
        kind = part if part in ("title", "preamble") else "replace"
    if kind in ("title", "preamble", "insert"):
        if part is not None and part != kind:
            raise InvalidInput(
                f"a {kind} amendment names no article ({part!r} given)", field="PART"
            )
        return kind, None
    return kind, part


def cmd_propose(args: argparse.Namespace) -> int:
    """Propose an amendment for the acting delegate's organisation."""
    kind, article = _kind_and_target(args)
    texts, intent = _texts(args), _intent(args)
    svc = service(args)
    mid = meeting_id(svc, args)
    actor = principal(svc, mid, args)
    made = svc.propose_amendment(
        actor,
        mid,
        kind=kind,
        texts=texts,
        article=article,
        after=args.after,
        rationale=args.rationale,
        base_version=args.base_version,
        draft=args.draft,
        intent=intent,
    )
    print(f"amendment {made.number} proposed ({made.status.value})")
    print_amendment(svc.amendment(actor, mid, made.number))
    return 0


def cmd_revise(args: argparse.Namespace) -> int:
    """Revise an amendment's words, rationale or intent (its sponsor; the secretariat may add
    a missing translation)."""
    texts, intent = _texts(args), _intent(args)
    if not texts and intent is None and args.rationale is None:
        raise InvalidInput("nothing to revise: give --text, --file, --intent or --rationale")
    svc = service(args)
    mid = meeting_id(svc, args)
    actor = principal(svc, mid, args)
    made = svc.revise_amendment(
        actor, mid, args.number, texts=texts or None, rationale=args.rationale, intent=intent
    )
    print(f"amendment {made.number} revised ({made.status.value})")
    print_amendment(svc.amendment(actor, mid, made.number))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """One amendment with its rationale, intent and diffs."""
    svc = service(args)
    mid = meeting_id(svc, args)
    print_amendment(svc.amendment(principal(svc, mid, args), mid, args.number), full=True)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """List amendments with their status and diff."""
    svc = service(args)
    mid = meeting_id(svc, args)
    actor = principal(svc, mid, args)
    for view in svc.amendments(actor, mid, article=args.article, open_only=args.open):
        print_amendment(view)
    return 0


def _status_change(
    method: str, done: str, *, with_reason: bool = False
) -> Callable[[argparse.Namespace], int]:
    """A command that moves amendment N through the service operation ``method`` (given
    ``--reason`` when ``with_reason``) and prints ``amendment N <done> (<status>)``."""

    def run(args: argparse.Namespace) -> int:
        svc = service(args)
        mid = meeting_id(svc, args)
        actor = principal(svc, mid, args)
        operation = getattr(svc, method)
        kwargs = {"reason": args.reason} if with_reason else {}
        made = operation(actor, mid, args.number, **kwargs)
        print(f"amendment {args.number} {done} ({made.status.value})")
        print_amendment(svc.amendment(actor, mid, args.number))
        return 0

    return run


def cmd_reconsider(args: argparse.Namespace) -> int:
    """Reconsider a rejected amendment: reopen it (the chair decides) or put the motion to
    reconsider it to a vote, whichever the meeting's rules of procedure say."""
    svc = service(args)
    mid = meeting_id(svc, args)
    actor = principal(svc, mid, args)
    if svc.meeting(mid).procedure.reconsideration.value == "vote":
        motion = svc.move_to_reconsider(actor, mid, args.number, reason=args.reason)
        rule = motion.rule.value.replace("_", " ")
        print(
            f"vote {motion.number} opened: reconsider amendment {args.number}? ({rule}; "
            f"'vote close {motion.number}' decides it)"
        )
        return 0
    made = svc.reconsider_amendment(actor, mid, args.number, reason=args.reason)
    print(f"amendment {args.number} reconsidered ({made.status.value})")
    print_amendment(svc.amendment(actor, mid, args.number))
    return 0


def cmd_adopt(args: argparse.Namespace) -> int:
    """Adopt an amendment (the chair): it makes the next version."""
    svc = service(args)
    mid = meeting_id(svc, args)
    actor = principal(svc, mid, args)
    version = svc.adopt_amendment(actor, mid, args.number, reason=args.reason)
    print(
        f"amendment {args.number} adopted: version {version.number}, "
        f"content hash {version.content_hash[:12]}"
    )
    print_stale(svc, mid, actor)
    return 0


def _number(p: argparse.ArgumentParser) -> None:
    p.add_argument("number", type=int, metavar="N", help="the amendment's number")


def _words(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--text",
        action="append",
        metavar="LANG=WORDS",
        help='the new words in one language, e.g. en="Every child…" (repeatable)',
    )
    p.add_argument(
        "--file",
        action="append",
        metavar="LANG=PATH",
        help="the new words in one language from a UTF-8 text file, e.g. zh=art-2.zh.txt "
        "(repeatable)",
    )
    p.add_argument(
        "--intent",
        action="append",
        metavar="LANG=INTENT",
        help="what the sponsor means for a language: changed, confirmed (its current words "
        "still match) or secretariat (the default: the secretariat sees to it); repeatable",
    )


def register(c: Commands) -> None:
    """Add ``amend`` and ``amendments``."""
    p = c.add("amendments", cmd_list, "List amendments with their status and diffs.")
    p.add_argument("--article", help="only amendments on this article id")
    p.add_argument("--open", action="store_true", help="only amendments still in play")
    add_acting(p)

    amend = c.group(
        "amend",
        "Propose, revise, withdraw, adopt or reject an amendment, acting --as a delegate "
        "(the library checks the delegate's roles).",
    )

    p = amend.add(
        "propose",
        cmd_propose,
        "Propose an amendment for your organisation; prints 'amendment N proposed'.",
    )
    p.add_argument(
        "part",
        nargs="?",
        metavar="PART",
        help="the article id to change (or title, preamble); none for --kind insert",
    )
    p.add_argument(
        "--kind",
        choices=KINDS,
        help="replace an article's words (the default for an article), insert a new article, "
        "delete or move an article, change the title or the preamble",
    )
    p.add_argument(
        "--after", metavar="ARTICLE", help="insert or move: after this article (default: first)"
    )
    _words(p)
    p.add_argument("--rationale", default="", help="why the change is proposed")
    p.add_argument("--base-version", type=int, help="the version it amends (default: the latest)")
    p.add_argument("--draft", action="store_true", help="keep it as a draft (submit it later)")
    add_acting(p)

    p = amend.add("revise", cmd_revise, "Revise an amendment's words, rationale or intent.")
    _number(p)
    _words(p)
    p.add_argument("--rationale", help="the new rationale")
    add_acting(p)

    simple = (
        ("submit", "submit_amendment", "submitted", "Submit a draft amendment (its sponsor)."),
        ("withdraw", "withdraw_amendment", "withdrawn", "Withdraw an amendment (its sponsor)."),
        (
            "cosponsor",
            "cosponsor_amendment",
            "co-sponsored",
            "Join an amendment as co-sponsor for your organisation.",
        ),
    )
    for name, method, done, help_text in simple:
        p = amend.add(name, _status_change(method, done), help_text)
        _number(p)
        add_acting(p)

    p = amend.add("adopt", cmd_adopt, "Adopt an amendment (the chair): the next version.")
    _number(p)
    p.add_argument("--reason", default="", help="why (kept in the event log)")
    add_acting(p)

    chaired = (
        ("reject", "reject_amendment", "rejected", False, "Reject an amendment (the chair)."),
        (
            "set-aside",
            "set_aside_amendment",
            "set aside",
            True,
            "Set an amendment aside (the chair): it is not considered further.",
        ),
        (
            "request-update",
            "request_update",
            "sent back for an update",
            True,
            "Ask the sponsor to update an amendment (the chair); an open vote on it is cancelled.",
        ),
    )
    for name, method, done, required, help_text in chaired:
        p = amend.add(name, _status_change(method, done, with_reason=True), help_text)
        _number(p)
        p.add_argument(
            "--reason",
            required=required,
            default="",
            help="why (kept in the event log)" + (", required" if required else ""),
        )
        add_acting(p)

    p = amend.add(
        "reconsider",
        cmd_reconsider,
        "Reconsider a rejected amendment (the chair), as the rules of procedure say: reopen it "
        '(reconsideration = "chair") or open a recorded vote on the motion to reconsider it '
        '(reconsideration = "vote"; close it with "vote close").',
    )
    _number(p)
    p.add_argument("--reason", required=True, help="why (kept in the event log), required")
    add_acting(p)

    p = amend.add("show", cmd_show, "Show one amendment with its rationale and diffs.")
    _number(p)
    add_acting(p)

    p = amend.add("list", cmd_list, "List amendments with their status and diffs.")
    p.add_argument("--article", help="only amendments on this article id")
    p.add_argument("--open", action="store_true", help="only amendments still in play")
    add_acting(p)

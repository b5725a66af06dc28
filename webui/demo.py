"""``consensus-kit demo``: the A20 summit replayed up to a live moment, then served.

The replay (examples/a20_2018/replay.py, illustrative, not the historical record) stops with
the majority vote on article 3 open and seven ballots cast; the demo prints login codes for the
chair, the secretariat, an observer and enough delegates who have not voted yet for the vote to
reach its quorum, then serves the room so a newcomer can vote, close the vote, freeze and sign.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import sqlite3
import sys
from pathlib import Path
from types import ModuleType

import consensus_kit as ck

__all__ = ["DEMO_PEOPLE", "demo_command", "prepare_demo"]

REPLAY = Path(__file__).resolve().parents[1] / "examples" / "a20_2018" / "replay.py"
DEMO_PEOPLE = ("chair", "secretariat", "marunda", "hazizaj", "rana-flower")
"""Who gets a printed login code: the chair, the secretariat, Zimbabwe's and Albania's
delegates (their organisations have not voted yet) and UNICEF's observer."""


def _replay_module() -> ModuleType:
    if not REPLAY.is_file():
        raise ck.ConsensusError(
            "the A20 example is not here: run the demo from a source checkout of consensus-kit"
        )
    spec = importlib.util.spec_from_file_location("a20_replay", REPLAY)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["a20_replay"] = module
    spec.loader.exec_module(module)
    return module


def _clear(path: Path) -> None:
    """Remove an earlier demo database; refuse any other file."""
    if not path.exists():
        return
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as c:
            ids = [row[0] for row in c.execute("SELECT id FROM meetings")]
    except sqlite3.DatabaseError:
        ids = []
    if ids != ["a20-2018"]:
        raise ck.ConsensusError(f"{path} exists and is not a demo database: choose another --db")
    for suffix in ("", "-wal", "-shm", ".secret"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def prepare_demo(path: Path, *, log: bool = True) -> dict[str, str]:
    """Replay the A20 session into ``path`` up to the open vote; return fresh login codes."""
    _clear(path)
    service = _replay_module().replay(
        f"sqlite:///{path}", until="vote-open", log=print if log else (lambda _: None)
    )
    meeting = service.the_meeting()
    codes = service.issue_codes(ck.CONSOLE, meeting, [*DEMO_PEOPLE, *_to_quorum(service, meeting)])
    service.store.close()
    return {str(k): v for k, v in codes.items()}


def _to_quorum(service: ck.MeetingService, meeting_id: ck.MeetingId) -> list[str]:
    """Delegates of organisations that have not voted yet, beyond the printed two, enough for
    the open vote to reach its quorum when everyone printed votes (else closing it always
    gives "no quorum")."""
    meeting = service.meeting(meeting_id)
    chair = next(d for d in meeting.delegates if d.has(ck.Role.CHAIR))
    extra: list[str] = []
    for vote in service.votes(chair, meeting_id, open_only=True):
        view = service.vote(chair, meeting_id, vote.number)
        needed = math.ceil(vote.quorum * len(vote.eligible)) - view.cast
        printed = {d.organisation for d in meeting.delegates if d.id in DEMO_PEOPLE}
        needed -= len(printed & set(vote.eligible))
        voted = {b.organisation for b in view.ballots if b.organisation}  # roll-call: public
        for delegate in meeting.delegates:
            org = delegate.organisation
            if needed <= 0:
                break
            if (
                org in vote.eligible
                and org not in voted | printed
                and delegate.has(ck.Role.DELEGATE)
            ):
                extra.append(delegate.id)
                printed.add(org)
                needed -= 1
    return extra


def _delegate_of(meeting: ck.Meeting, person: str) -> str:
    delegate = meeting.delegate(ck.DelegateId(person))
    org = (
        meeting.organisation(delegate.organisation) if delegate and delegate.organisation else None
    )
    return f"{org.name_in(ck.Lang('en'))}'s delegate" if org else person


def demo_command(args: argparse.Namespace) -> int:
    """Prepare the demo database, print the URL and codes, and serve (unless --no-serve)."""
    from webui.serve import serve_command  # noqa: PLC0415 - only when serving

    path = Path(args.db)
    codes = prepare_demo(path)
    url = f"http://{args.host}:{args.port}/"
    print(f"\nThe A20 room is live at {url} — log in with one of these codes:")
    names = {
        "chair": "the chair (佟丽华)",
        "secretariat": "the secretariat",
        "marunda": "Zimbabwe's delegate",
        "hazizaj": "Albania's delegate",
        "rana-flower": "UNICEF (observer)",
    }
    meeting = ck.read_meeting_file(REPLAY.parent / "meeting.toml").meeting
    for person, code in codes.items():
        print(f"  {code}  {names.get(person) or _delegate_of(meeting, person)}")
    print("Vote, close the vote, freeze the text and sign; Ctrl-C stops the demo.\n", flush=True)
    if args.no_serve:
        return 0
    serve = argparse.Namespace(db=str(path), host=args.host, port=args.port, redis=None, workers=1)
    return serve_command(serve)

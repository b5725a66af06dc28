"""``verify``: walk every meeting's event chain and recompute every content hash.

Finds rows altered directly in the database: an event whose content no longer matches its hash,
a broken link between events, a version whose texts no longer match its content hash (or the
hash its publication event recorded), a meeting whose organisations or delegates changed since
it was loaded.
"""

from __future__ import annotations

import msgspec

from consensus_kit.domain.events import (
    Event,
    MeetingLoaded,
    VersionFrozen,
    VersionPublished,
    chain_problems,
)
from consensus_kit.domain.hashing import declaration_hash, meeting_hash
from consensus_kit.domain.ids import MeetingId
from consensus_kit.domain.model import Declaration, VersionState
from consensus_kit.domain.permissions import Action, Principal, authorize
from consensus_kit.service.ports import Repository, Store

__all__ = ["Finding", "VerifyReport", "verify_store"]

_declaration = msgspec.json.Decoder(Declaration)


class Finding(msgspec.Struct, frozen=True, kw_only=True):
    """One thing that does not verify: where, and what is wrong."""

    meeting: str
    location: str
    problem: str

    def __str__(self) -> str:
        return f"{self.meeting}: {self.location}: {self.problem}"


class VerifyReport(msgspec.Struct, frozen=True, kw_only=True):
    """The outcome of :func:`verify_store`: what was checked and every finding."""

    meetings: int
    events: int
    versions: int
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        """Whether everything verified."""
        return not self.findings


def verify_store(
    store: Store, actor: Principal, meeting_id: MeetingId | None = None
) -> VerifyReport:
    """Verify one meeting, or every meeting in ``store``."""
    authorize(actor, Action.VERIFY)
    findings: list[Finding] = []
    n_events = n_versions = 0
    with store.reading() as uow:
        ids = [meeting_id] if meeting_id else uow.repo.meeting_ids()
        for mid in ids:
            events = uow.repo.events_after(mid, 0, None)
            n_events += len(events)
            n_versions += _check_meeting(uow.repo, mid, events, findings)
    return VerifyReport(
        meetings=len(ids), events=n_events, versions=n_versions, findings=tuple(findings)
    )


def _check_meeting(
    repo: Repository, mid: MeetingId, events: list[Event], findings: list[Finding]
) -> int:
    def find(location: str, problem: str) -> None:
        findings.append(Finding(meeting=mid, location=location, problem=problem))

    for problem in chain_problems(events):
        location, _, detail = problem.partition(": ")
        find(location, detail)

    loaded = [e.body for e in events if isinstance(e.body, MeetingLoaded)]
    meeting = repo.get_meeting(mid)
    if not loaded:
        find("event log", "no meeting_loaded event")
    elif meeting is not None and meeting_hash(meeting) != loaded[0].meeting_hash:
        find("meeting", "organisations, delegates or meeting details differ from what was loaded")

    published = {e.body.number: e.body for e in events if isinstance(e.body, VersionPublished)}
    frozen = {e.body.number: e.body for e in events if isinstance(e.body, VersionFrozen)}
    stored = repo.stored_versions(mid)
    for row in stored:
        summary = row.summary
        where = f"version {summary.number}"
        try:
            recomputed = declaration_hash(_declaration.decode(row.declaration_json))
        except msgspec.ValidationError as exc:
            find(where, f"stored text cannot be read ({exc})")
            continue
        if recomputed != summary.content_hash:
            find(where, "texts do not match the version's content hash (altered after publication)")
        event = published.get(summary.number)
        if event is None:
            find(where, "has no version_published event")
        elif event.content_hash != summary.content_hash:
            find(where, "content hash differs from the one recorded when it was published")
        is_frozen = summary.state is VersionState.FROZEN
        if is_frozen != (summary.number in frozen):
            find(where, "frozen state does not match the event log")
    missing = set(published) - {r.summary.number for r in stored}
    for number in sorted(missing):
        find(f"version {number}", "published in the event log but missing from the database")
    return len(stored)

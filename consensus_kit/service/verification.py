"""``verify``: walk every meeting's event chain and recompute every content hash.

Finds rows altered directly in the database: an event whose content no longer matches its hash,
a broken link between events, a version whose texts no longer match its content hash (or the
hash its publication event recorded), a meeting whose organisations or delegates changed since
it was loaded.
"""

from __future__ import annotations

from collections.abc import Callable

import msgspec

from consensus_kit.domain.endorsements import detached_payload, seal_payload
from consensus_kit.domain.events import (
    BallotCast,
    Event,
    MeetingChanged,
    MeetingKeyCreated,
    MeetingLoaded,
    OrganisationKeyRegistered,
    VersionFrozen,
    VersionPublished,
    chain_problems,
)
from consensus_kit.domain.hashing import declaration_hash, meeting_hash, tracking_hash
from consensus_kit.domain.ids import MeetingId
from consensus_kit.domain.model import Declaration, VersionState
from consensus_kit.domain.permissions import Action, Principal, authorize
from consensus_kit.domain.seals import verify
from consensus_kit.domain.voting import Ballot, ballot_receipt, decide
from consensus_kit.service.ports import Repository, Store

__all__ = ["Finding", "VerifyReport", "verify_store"]


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

    loaded = [e.body for e in events if isinstance(e.body, MeetingLoaded | MeetingChanged)]
    meeting = repo.get_meeting(mid)
    if not loaded or not isinstance(loaded[0], MeetingLoaded):
        find("event log", "no meeting_loaded event")
    elif meeting is not None and meeting_hash(meeting) != loaded[-1].meeting_hash:
        since = "what was loaded" if len(loaded) == 1 else "their last recorded change"
        find("meeting", f"organisations, delegates or meeting details differ from {since}")

    published = {e.body.number: e.body for e in events if isinstance(e.body, VersionPublished)}
    frozen = {e.body.number: e.body for e in events if isinstance(e.body, VersionFrozen)}
    # the versions are read one at a time (a long history does not fit in memory at once);
    # what the endorsement check needs of each is kept: the hash of its texts as stored now
    text_hashes: dict[int, str] = {}
    for row in repo.stored_versions(mid):
        summary = row.summary
        where = f"version {summary.number}"
        text_hashes[summary.number] = ""
        declaration = row.declaration
        if declaration is None:
            find(where, f"stored text cannot be read ({row.unreadable})")
            continue
        try:
            recomputed = declaration_hash(declaration, summary.hash_format)
        except ValueError:
            find(where, f"unknown content hash format {summary.hash_format}")
            continue
        text_hashes[summary.number] = recomputed
        if recomputed != summary.content_hash:
            find(where, "texts do not match the version's content hash (altered after publication)")
        event = published.get(summary.number)
        if event is None:
            find(where, "has no version_published event")
        else:
            if event.content_hash != summary.content_hash:
                find(where, "content hash differs from the one recorded when it was published")
            _check_tracking(event, summary.hash_format, declaration, where, find)
        is_frozen = summary.state is VersionState.FROZEN
        if is_frozen != (summary.number in frozen):
            find(where, "frozen state does not match the event log")
    missing = set(published) - set(text_hashes)
    for number in sorted(missing):
        find(f"version {number}", "published in the event log but missing from the database")
    _check_votes(repo, mid, events, find)
    _check_endorsements(repo, mid, events, text_hashes, find)
    return len(text_hashes)


def _check_tracking(
    event: VersionPublished,
    hash_format: int,
    declaration: Declaration,
    where: str,
    find: Callable[[str, str], None],
) -> None:
    """Format-1 versions carry their tracking inside the content hash; later ones in the
    ``tracking_hash`` of their publication event."""
    recorded = event.tracking_hash
    if hash_format == 1:
        if isinstance(recorded, str):
            find(where, "hash format 1 does not match its publication event (altered format)")
    elif not isinstance(recorded, str):
        find(where, f"hash format {hash_format} does not match its publication event")
    elif recorded != tracking_hash(declaration):
        find(where, "translation status differs from the one recorded when it was published")


def _receipt_holds(mid: MeetingId, ballot: Ballot) -> bool:
    """Whether a stored ballot still matches the receipt its delegate was given."""
    recomputed = ballot_receipt(
        meeting=mid,
        vote=ballot.vote,
        organisation=ballot.organisation,
        choice=ballot.choice,
        seq=ballot.seq,
        nonce=ballot.nonce,
    )
    return recomputed == ballot.receipt


def _check_votes(
    repo: Repository, mid: MeetingId, events: list[Event], find: Callable[[str, str], None]
) -> None:
    """Every stored ballot must match its receipt and its event; closed tallies their ballots."""
    cast = {e.seq: e.body for e in events if isinstance(e.body, BallotCast)}
    for vote in repo.list_votes(mid):
        where = f"vote {vote.number}"
        history = repo.ballot_history(mid, vote.number)
        for ballot in history:
            event = cast.get(ballot.seq)
            if not _receipt_holds(mid, ballot):
                find(
                    where,
                    f"ballot {ballot.seq} of {ballot.organisation} does not match its "
                    "receipt (altered after it was cast)",
                )
            elif (
                event is None
                or event.receipt != ballot.receipt
                or (event.organisation != ballot.organisation)
            ):
                find(
                    where,
                    f"ballot {ballot.seq} of {ballot.organisation} differs from the "
                    "ballot recorded in the event log",
                )
        last: dict[str, int] = {}
        for ballot in history:
            last[ballot.organisation] = ballot.seq
        current = repo.current_ballots(mid, vote.number)
        if {b.organisation: b.seq for b in current} != last:
            find(where, "current ballots differ from the last ballot each organisation cast")
        for ballot in current:
            if not _receipt_holds(mid, ballot):
                find(
                    where,
                    f"current ballot of {ballot.organisation} does not match its receipt "
                    "(altered after it was cast)",
                )
        if vote.result is not None and vote.result.outcome.value != "cancelled":
            recount = decide(
                vote.rule, vote.quorum, vote.eligible, {b.organisation: b.choice for b in current}
            )
            if recount.tally != vote.result.tally:
                find(where, "the stored tally differs from the stored ballots")


def _check_endorsements(
    repo: Repository,
    mid: MeetingId,
    events: list[Event],
    text_hashes: dict[int, str],
    find: Callable[[str, str], None],
) -> None:
    """Every endorsement's seal, detached signature, and the text it signed."""
    keys = [e.body.public_key for e in events if isinstance(e.body, MeetingKeyCreated)]
    stored_key = repo.meeting_key(mid)
    if stored_key is not None and (not keys or stored_key[1] != keys[0]):
        find("meeting key", "the stored signing key is not the one recorded in the event log")
    org_keys: dict[str, str] = {}
    for e in events:
        if isinstance(e.body, OrganisationKeyRegistered):
            org_keys[e.body.organisation] = e.body.public_key
    for endorsement in repo.list_endorsements(mid):
        where = f"endorsement of version {endorsement.version} by {endorsement.organisation}"
        if not keys or not verify(keys[0], seal_payload(endorsement), endorsement.seal):
            find(where, "its seal does not verify (forged or altered)")
        if endorsement.detached:
            payload = detached_payload(
                meeting=mid,
                version=endorsement.version,
                content_hash=endorsement.content_hash,
                organisation=endorsement.organisation,
                signer=endorsement.signer,
                signer_title=endorsement.signer_title,
            )
            key = org_keys.get(endorsement.organisation)
            if key is None or not verify(key, payload, endorsement.detached):
                find(where, "its detached signature does not verify with the organisation's key")
        text_hash = text_hashes.get(endorsement.version)
        if text_hash is None:
            find(where, "the version it signed is missing")
            continue
        if text_hash != endorsement.content_hash:
            find(where, "the version's text no longer matches the hash it signed")

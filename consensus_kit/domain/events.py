"""Events: the append-only, hash-chained record of every change to a meeting.

Each event has a sequence number per meeting (1, 2, 3…), the actor, the time, a typed body, the
previous event's hash and its own hash. Changing any stored event breaks the chain at that event
and every later one, which :func:`chain_problems` reports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import msgspec

from consensus_kit.domain.administration import MeetingChanged
from consensus_kit.domain.events_floor import FloorEventBody
from consensus_kit.domain.hashing import canonical_json, sha256_hex
from consensus_kit.domain.ids import MeetingId

__all__ = [
    "GENESIS_HASH",
    "AccessCodesIssued",
    "AgendaSet",
    "AmendmentAdopted",
    "AmendmentProposed",
    "AmendmentRevised",
    "AmendmentStatusChanged",
    "BallotCast",
    "CommentEdited",
    "CommentPosted",
    "CommentWithdrawn",
    "CosponsorJoined",
    "EndorsementAdded",
    "EndorsementRevoked",
    "Event",
    "EventBody",
    "MeetingChanged",
    "MeetingKeyCreated",
    "MeetingLoaded",
    "OrganisationKeyRegistered",
    "SigningClosed",
    "SigningReopened",
    "TranslationsConfirmed",
    "TranslationsUpdated",
    "VersionFrozen",
    "VersionPublished",
    "VoteClosed",
    "VoteConverted",
    "VoteOpened",
    "chain_problems",
    "event_hash",
    "seal_event",
]

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of a meeting's first event."""


class MeetingLoaded(msgspec.Struct, frozen=True, kw_only=True, tag="meeting_loaded"):
    """A meeting file was loaded: the meeting exists, with version 1 as its first draft."""

    meeting_hash: str
    title: dict[str, str]
    organisations: int
    delegates: int
    source: str = ""


class AccessCodesIssued(msgspec.Struct, frozen=True, kw_only=True, tag="access_codes_issued"):
    """New access codes were issued (only their hashes are stored; the event never holds a code)."""

    delegates: list[str]


class VersionPublished(msgspec.Struct, frozen=True, kw_only=True, tag="version_published"):
    """A new version of the declaration was published."""

    number: int
    parent: int | None
    content_hash: str
    note: str = ""
    # versions hashed with format 2 on: the hash of their translation tracking (unset before,
    # so the events written then keep their hashes)
    tracking_hash: str | msgspec.UnsetType = msgspec.UNSET


class VersionFrozen(msgspec.Struct, frozen=True, kw_only=True, tag="version_frozen"):
    """The chair froze a version as the final text, open for signature; when lint's blocking
    findings were overridden, the chair's reason and the findings (unset otherwise)."""

    number: int
    content_hash: str
    lint_override: str | msgspec.UnsetType = msgspec.UNSET
    overridden: list[str] | msgspec.UnsetType = msgspec.UNSET


class AmendmentProposed(msgspec.Struct, frozen=True, kw_only=True, tag="amendment_proposed"):
    """An organisation proposed an amendment (the whole proposal is recorded)."""

    number: int
    kind: str
    base_version: int
    sponsor: str
    status: str
    article: str | None = None
    after: str | None = None
    texts: dict[str, str] = msgspec.field(default_factory=dict)
    rationale: str = ""
    # the sponsor's word per language: "changed" or "confirmed" (unset when none was given)
    intent: dict[str, str] | msgspec.UnsetType = msgspec.UNSET


class AmendmentRevised(msgspec.Struct, frozen=True, kw_only=True, tag="amendment_revised"):
    """An amendment's texts or rationale changed: by its sponsor, a translation, or a rebase."""

    number: int
    base_version: int
    texts: dict[str, str]
    rationale: str
    reason: str
    # the sponsor's word per language after the revision (unset when it did not change)
    intent: dict[str, str] | msgspec.UnsetType = msgspec.UNSET


class AmendmentStatusChanged(
    msgspec.Struct, frozen=True, kw_only=True, tag="amendment_status_changed"
):
    """An amendment moved from one status to another, with the reason."""

    number: int
    old: str
    new: str
    reason: str = ""


class CosponsorJoined(msgspec.Struct, frozen=True, kw_only=True, tag="cosponsor_joined"):
    """Another organisation joined an amendment as co-sponsor."""

    number: int
    organisation: str


class AmendmentAdopted(msgspec.Struct, frozen=True, kw_only=True, tag="amendment_adopted"):
    """An amendment was adopted; it made version ``version``."""

    number: int
    version: int
    content_hash: str


class CommentPosted(msgspec.Struct, frozen=True, kw_only=True, tag="comment_posted"):
    """A comment was posted (the body is recorded, so the history keeps what was said)."""

    id: int
    target: str
    target_id: str
    body: str
    parent: int | None = None
    quote: str | None = None


class CommentEdited(msgspec.Struct, frozen=True, kw_only=True, tag="comment_edited"):
    """A comment's author changed its wording."""

    id: int
    body: str


class CommentWithdrawn(msgspec.Struct, frozen=True, kw_only=True, tag="comment_withdrawn"):
    """A comment's author withdrew it."""

    id: int


class TranslationsUpdated(msgspec.Struct, frozen=True, kw_only=True, tag="translations_updated"):
    """Translations were brought in step with the negotiating text, making version ``version``."""

    version: int
    articles: dict[str, list[str]]  # part ("title", "preamble", an article id) -> languages


class TranslationsConfirmed(
    msgspec.Struct, frozen=True, kw_only=True, tag="translations_confirmed"
):
    """Unchanged translations were confirmed as still matching: version ``version``, same hash."""

    version: int
    parts: dict[str, list[str]]  # part ("title", "preamble", an article id) -> languages
    note: str = ""


class VoteOpened(msgspec.Struct, frozen=True, kw_only=True, tag="vote_opened"):
    """The chair opened a vote (or called for consensus) on an amendment or a whole version."""

    number: int
    amendment: int | None
    version: int | None
    rule: str
    quorum: float
    secret: bool
    weighted: bool
    mode: str
    deadline: dt.datetime | None
    eligible: dict[str, int]
    reason: str | msgspec.UnsetType = msgspec.UNSET  # a motion to reconsider's; else unset


class BallotCast(msgspec.Struct, frozen=True, kw_only=True, tag="ballot_cast"):
    """An organisation cast (or changed) its ballot. ``choice`` is ``None`` in a secret vote."""

    vote: int
    organisation: str
    choice: str | None
    receipt: str


class VoteConverted(msgspec.Struct, frozen=True, kw_only=True, tag="vote_converted"):
    """A formal objection turned the chair's call for consensus into a recorded vote."""

    number: int
    organisation: str


class VoteClosed(msgspec.Struct, frozen=True, kw_only=True, tag="vote_closed"):
    """A vote closed; the outcome was computed once, from the stored ballots."""

    number: int
    outcome: str
    reason: str
    tally: dict[str, int]
    objectors: list[str]


class MeetingKeyCreated(msgspec.Struct, frozen=True, kw_only=True, tag="meeting_key_created"):
    """The meeting's Ed25519 signing key was created; its public half is recorded here."""

    public_key: str


class OrganisationKeyRegistered(
    msgspec.Struct, frozen=True, kw_only=True, tag="organisation_key_registered"
):
    """An organisation registered the public key of its own signing key."""

    organisation: str
    public_key: str


class EndorsementAdded(msgspec.Struct, frozen=True, kw_only=True, tag="endorsement_added"):
    """An organisation endorsed a frozen version, sealed by the meeting's key."""

    version: int
    organisation: str
    content_hash: str
    signer: str
    signer_title: str
    seal: str
    detached: str


class EndorsementRevoked(msgspec.Struct, frozen=True, kw_only=True, tag="endorsement_revoked"):
    """An organisation withdrew its endorsement before signing closed."""

    version: int
    organisation: str


class SigningClosed(msgspec.Struct, frozen=True, kw_only=True, tag="signing_closed"):
    """The chair closed signing of a version: endorsements can no longer change."""

    version: int
    endorsements: int


class SigningReopened(msgspec.Struct, frozen=True, kw_only=True, tag="signing_reopened"):
    """The chair reopened signing of a version, with the reason: late endorsements count."""

    version: int
    reason: str


class AgendaSet(msgspec.Struct, frozen=True, kw_only=True, tag="agenda_set"):
    """The chair put an item on the floor (the projector follows)."""

    kind: str
    ref: str
    note: str = ""


EventBody = (
    MeetingLoaded
    | AccessCodesIssued
    | VersionPublished
    | VersionFrozen
    | AmendmentProposed
    | AmendmentRevised
    | AmendmentStatusChanged
    | CosponsorJoined
    | AmendmentAdopted
    | CommentPosted
    | CommentEdited
    | CommentWithdrawn
    | TranslationsUpdated
    | TranslationsConfirmed
    | VoteOpened
    | BallotCast
    | VoteConverted
    | VoteClosed
    | MeetingKeyCreated
    | OrganisationKeyRegistered
    | EndorsementAdded
    | EndorsementRevoked
    | SigningClosed
    | SigningReopened
    | AgendaSet
    | FloorEventBody  # the speakers' list, compromise texts, modified adoptions
    | MeetingChanged
)


class Event(msgspec.Struct, frozen=True, kw_only=True):
    """One sealed record in a meeting's event log."""

    meeting: MeetingId
    seq: int
    actor: str
    at: dt.datetime
    body: EventBody
    prev_hash: str
    hash: str

    @property
    def type(self) -> str:
        """The event's type tag, e.g. ``"version_published"``."""
        return str(self.body.__struct_config__.tag)


def event_hash(
    *, meeting: str, seq: int, actor: str, at: dt.datetime, body: EventBody, prev_hash: str
) -> str:
    """SHA-256 over the canonical encoding of everything an event says, and its predecessor."""
    sealed = {
        "meeting": meeting,
        "seq": seq,
        "actor": actor,
        "at": at,
        "body": body,
        "prev": prev_hash,
    }
    return sha256_hex(canonical_json(sealed))


def seal_event(
    *,
    meeting: MeetingId,
    previous: Event | None,
    actor: str,
    at: dt.datetime,
    body: EventBody,
) -> Event:
    """Build the next event after ``previous`` (``None`` for a meeting's first event).

    Pure: the time comes in as an argument.
    """
    seq = previous.seq + 1 if previous else 1
    prev_hash = previous.hash if previous else GENESIS_HASH
    digest = event_hash(
        meeting=meeting, seq=seq, actor=actor, at=at, body=body, prev_hash=prev_hash
    )
    return Event(
        meeting=meeting, seq=seq, actor=actor, at=at, body=body, prev_hash=prev_hash, hash=digest
    )


def chain_problems(events: Iterable[Event]) -> list[str]:
    """Walk a meeting's events in order; describe every break in the chain (empty when sound)."""
    problems: list[str] = []
    expected_seq = 1
    prev_hash = GENESIS_HASH
    for event in events:
        where = f"event {event.seq} ({event.type})"
        if event.seq != expected_seq:
            problems.append(f"{where}: expected sequence number {expected_seq}")
        if event.prev_hash != prev_hash:
            problems.append(f"{where}: does not link to the hash of the event before it")
        recomputed = event_hash(
            meeting=event.meeting,
            seq=event.seq,
            actor=event.actor,
            at=event.at,
            body=event.body,
            prev_hash=event.prev_hash,
        )
        if recomputed != event.hash:
            problems.append(
                f"{where}: content does not match its hash (altered after it was written)"
            )
        expected_seq = event.seq + 1
        prev_hash = event.hash
    return problems

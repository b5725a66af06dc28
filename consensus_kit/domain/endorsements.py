"""Endorsements: one organisation's signature on one frozen version, bound to its content hash.

Each endorsement is sealed with the meeting's Ed25519 key over a canonical payload (meeting,
version number, content hash, organisation, signer, time); an organisation may add a detached
signature made offline with its own key. The seal makes a forged or altered endorsement
detectable; the content hash makes a text changed after signing detectable.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from consensus_kit.domain.hashing import canonical_json
from consensus_kit.domain.ids import DelegateId, Lang, MeetingId, OrgId
from consensus_kit.domain.locales import country_in
from consensus_kit.domain.model import Meeting

__all__ = [
    "Endorsement",
    "SignatoryLine",
    "SigningRecord",
    "detached_payload",
    "seal_payload",
    "signatory_lines",
]


class Endorsement(msgspec.Struct, frozen=True, kw_only=True):
    """An organisation's signature on one version, bound to that version's content hash."""

    meeting: MeetingId
    version: int
    content_hash: str
    organisation: OrgId
    delegate: DelegateId
    signer: str
    signer_title: str = ""
    signed_at: dt.datetime
    seal: str = ""  # hex Ed25519 signature by the meeting's key over seal_payload()
    detached: str = ""  # hex Ed25519 signature by the organisation's own key, if it gave one
    revoked_at: dt.datetime | None = None

    @property
    def active(self) -> bool:
        """Whether the endorsement still stands (not revoked)."""
        return self.revoked_at is None


def seal_payload(endorsement: Endorsement) -> bytes:
    """The canonical bytes an endorsement's seal and detached signature sign."""
    return canonical_json(
        {
            "format": "consensus-kit/endorsement/1",
            "meeting": endorsement.meeting,
            "version": endorsement.version,
            "content_hash": endorsement.content_hash,
            "organisation": endorsement.organisation,
            "signer": endorsement.signer,
            "signer_title": endorsement.signer_title,
            "signed_at": endorsement.signed_at,
        }
    )


def detached_payload(
    *,
    meeting: str,
    version: int,
    content_hash: str,
    organisation: str,
    signer: str,
    signer_title: str,
) -> bytes:
    """What an organisation signs offline with its own key: everything but the time of day,
    which it cannot know in advance."""
    return canonical_json(
        {
            "format": "consensus-kit/organisation-signature/1",
            "meeting": meeting,
            "version": version,
            "content_hash": content_hash,
            "organisation": organisation,
            "signer": signer,
            "signer_title": signer_title,
        }
    )


class SignatoryLine(msgspec.Struct, frozen=True, kw_only=True):
    """One row of a signatory list: what exports and the endorsement wall print."""

    organisation: OrgId
    names: dict[Lang, str]
    country: str | None
    region: str | None
    signer: str
    signer_title: str
    signed_at: dt.datetime
    country_names: dict[Lang, str] = msgspec.field(default_factory=dict)
    """The official name of the country per language, when the meeting file gives one."""

    def country_in(self, lang: str) -> str:
        """The country's name in ``lang``: the official one, else CLDR's ("" without)."""
        return country_in(self.country, self.country_names, lang)


def signatory_lines(meeting: Meeting, endorsements: list[Endorsement]) -> list[SignatoryLine]:
    """The active endorsements as signatory rows, in the meeting's order of organisations."""
    order = {o.id: i for i, o in enumerate(meeting.organisations)}
    lines = []
    for e in sorted(endorsements, key=lambda e: order.get(e.organisation, len(order))):
        if not e.active:
            continue
        org = meeting.organisation(e.organisation)
        lines.append(
            SignatoryLine(
                organisation=e.organisation,
                names=dict(org.name) if org else {},
                country=org.country if org else None,
                region=org.region if org else None,
                signer=e.signer,
                signer_title=e.signer_title,
                signed_at=e.signed_at,
                country_names=dict(org.country_name) if org else {},
            )
        )
    return lines


class SigningRecord(msgspec.Struct, frozen=True, kw_only=True):
    """Signing of a version was closed (with how many endorsements it then had) or reopened
    (with the chair's reason): shown on the endorsement wall and the Word signature page."""

    kind: str  # "closed" or "reopened"
    at: dt.datetime
    by: str  # the delegate who did it
    endorsements: int | None = None  # closed: the endorsements it closed with
    reason: str = ""  # reopened: why

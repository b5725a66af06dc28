"""Signing: signatories endorse a frozen version for their own organisation.

Every endorsement is sealed with the meeting's Ed25519 key over a canonical payload bound to
the version's content hash; an organisation may also give a detached signature made offline
with its own registered key, verified on submission. ``consensus-kit verify`` re-checks all.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from consensus_kit.domain.endorsements import (
    Endorsement,
    SignatoryLine,
    SigningRecord,
    detached_payload,
    seal_payload,
    signatory_lines,
)
from consensus_kit.domain.events import (
    EndorsementAdded,
    EndorsementRevoked,
    MeetingKeyCreated,
    OrganisationKeyRegistered,
    SigningClosed,
    SigningReopened,
)
from consensus_kit.domain.ids import DelegateId, MeetingId, OrgId
from consensus_kit.domain.model import Meeting, Version, VersionState
from consensus_kit.domain.permissions import Action, Console, Principal
from consensus_kit.domain.seals import (
    check_public_key,
    new_private_key,
    public_key_of,
    sign,
    verify,
)
from consensus_kit.domain.text import LIMITS, check_text
from consensus_kit.errors import InvalidInput, InvalidState, NotFound, NotPermitted
from consensus_kit.service.context import Context
from consensus_kit.service.ports import Repository

__all__ = ["Signing"]


class Signing:
    """Endorse, revoke, close signing; keys; the signatory list (uses the context only)."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def _meeting_key(
        self, repo: Repository, meeting_id: MeetingId, actor: Principal, now: dt.datetime
    ) -> str:
        found = repo.meeting_key(meeting_id)
        if found is not None:
            return found[0]
        private = new_private_key()
        public = public_key_of(private)
        repo.set_meeting_key(meeting_id, private, public)
        self._ctx.append(repo, meeting_id, actor, now, MeetingKeyCreated(public_key=public))
        return private

    def _frozen(self, repo: Repository, meeting_id: MeetingId, number: int) -> Version:
        version = repo.get_version(meeting_id, number)
        if version is None:
            raise NotFound(f"no version {number} in meeting {meeting_id!r}")
        if version.state is not VersionState.FROZEN:
            raise InvalidState(f"version {number} is not frozen: only the final text is signed")
        return version

    def _signatory_org(self, meeting: Meeting, actor: Principal) -> OrgId:
        if isinstance(actor, Console) or actor.organisation is None:
            raise NotPermitted(
                "only a signatory of an organisation can sign for it",
                actor=actor.id,
                action=Action.ENDORSE.value,
            )
        return actor.organisation

    def endorse(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        version: int,
        *,
        signer: str | None = None,
        signer_title: str | None = None,
        detached_signature: str | None = None,
    ) -> Endorsement:
        """Endorse frozen ``version`` for the actor's organisation, as ``signer`` (default: the
        actor's name and title). One endorsement per organisation per version."""
        now = self._ctx.clock()
        with self._ctx.store.transaction() as uow:
            repo = uow.repo
            repo.lock_meeting(meeting_id)
            meeting = self._ctx.meeting(repo, meeting_id)
            self._ctx.member(meeting, actor, Action.ENDORSE)
            org = self._signatory_org(meeting, actor)
            assert not isinstance(actor, Console)
            name = check_text(
                signer if signer is not None else actor.name, field="signer", limit=LIMITS["name"]
            )
            title = check_text(
                signer_title if signer_title is not None else actor.title,
                field="signer_title",
                limit=LIMITS["title"],
                required=False,
            )
            target = self._frozen(repo, meeting_id, version)
            if repo.signing_closed(meeting_id, version):
                raise InvalidState(f"signing of version {version} is closed")
            existing = repo.get_endorsement(meeting_id, version, org)
            if existing is not None and existing.active:
                raise InvalidState(f"{org} has already endorsed version {version}")
            detached = ""
            if detached_signature is not None:
                detached = self._check_detached(
                    repo, meeting_id, target, org, name, title, detached_signature
                )
            endorsement = Endorsement(
                meeting=meeting_id,
                version=version,
                content_hash=target.content_hash,
                organisation=org,
                delegate=DelegateId(actor.id),
                signer=name,
                signer_title=title,
                signed_at=now,
                detached=detached,
            )
            seal = sign(self._meeting_key(repo, meeting_id, actor, now), seal_payload(endorsement))
            endorsement = msgspec.structs.replace(endorsement, seal=seal)
            repo.put_endorsement(endorsement)
            self._ctx.append(
                repo,
                meeting_id,
                actor,
                now,
                EndorsementAdded(
                    version=version,
                    organisation=org,
                    content_hash=target.content_hash,
                    signer=name,
                    signer_title=title,
                    seal=seal,
                    detached=detached,
                ),
            )
            uow.commit()
        return endorsement

    def _check_detached(
        self,
        repo: Repository,
        meeting_id: MeetingId,
        version: Version,
        org: OrgId,
        signer: str,
        title: str,
        signature: str,
    ) -> str:
        public = repo.organisation_key(meeting_id, org)
        if public is None:
            raise InvalidState(f"{org} has registered no public key to check its signature against")
        payload = detached_payload(
            meeting=meeting_id,
            version=version.number,
            content_hash=version.content_hash,
            organisation=org,
            signer=signer,
            signer_title=title,
        )
        if not verify(public, payload, signature):
            raise InvalidInput(
                f"the signature does not verify with {org}'s registered key for version "
                f"{version.number} (content hash {version.content_hash[:12]})",
                field="detached_signature",
            )
        return signature

    def revoke_endorsement(
        self, actor: Principal, meeting_id: MeetingId, version: int
    ) -> Endorsement:
        """Withdraw the actor's organisation's endorsement, until the chair closes signing."""
        now = self._ctx.clock()
        with self._ctx.store.transaction() as uow:
            repo = uow.repo
            repo.lock_meeting(meeting_id)
            meeting = self._ctx.meeting(repo, meeting_id)
            self._ctx.member(meeting, actor, Action.ENDORSE)
            org = self._signatory_org(meeting, actor)
            if repo.signing_closed(meeting_id, version):
                raise InvalidState(f"signing of version {version} is closed")
            existing = repo.get_endorsement(meeting_id, version, org)
            if existing is None or not existing.active:
                raise InvalidState(f"{org} has no endorsement of version {version} to revoke")
            revoked = msgspec.structs.replace(existing, revoked_at=now)
            repo.put_endorsement(revoked)
            self._ctx.append(
                repo, meeting_id, actor, now, EndorsementRevoked(version=version, organisation=org)
            )
            uow.commit()
        return revoked

    def close_signing(self, actor: Principal, meeting_id: MeetingId, version: int) -> int:
        """Close signing of a frozen version (the chair); returns the number of endorsements."""
        now = self._ctx.clock()
        with self._ctx.store.transaction() as uow:
            repo = uow.repo
            repo.lock_meeting(meeting_id)
            meeting = self._ctx.meeting(repo, meeting_id)
            self._ctx.member(meeting, actor, Action.CLOSE_SIGNING)
            self._frozen(repo, meeting_id, version)
            if repo.signing_closed(meeting_id, version):
                raise InvalidState(f"signing of version {version} is already closed")
            count = sum(1 for e in repo.list_endorsements(meeting_id, version) if e.active)
            repo.close_signing(meeting_id, version, now, actor.id)
            self._ctx.append(
                repo, meeting_id, actor, now, SigningClosed(version=version, endorsements=count)
            )
            uow.commit()
        return count

    def reopen_signing(
        self, actor: Principal, meeting_id: MeetingId, version: int, *, reason: str
    ) -> None:
        """Reopen signing of a frozen version after it was closed (the chair), for ``reason``:
        late signatures are accepted until it is closed again."""
        reason = check_text(reason, field="reason", limit=LIMITS["note"])
        now = self._ctx.clock()
        with self._ctx.store.transaction() as uow:
            repo = uow.repo
            repo.lock_meeting(meeting_id)
            meeting = self._ctx.meeting(repo, meeting_id)
            self._ctx.member(meeting, actor, Action.CLOSE_SIGNING)
            self._frozen(repo, meeting_id, version)
            if not repo.signing_closed(meeting_id, version):
                raise InvalidState(f"signing of version {version} is open: nothing to reopen")
            repo.reopen_signing(meeting_id, version)
            self._ctx.append(
                repo, meeting_id, actor, now, SigningReopened(version=version, reason=reason)
            )
            uow.commit()

    def signing_open(self, actor: Principal, meeting_id: MeetingId, version: int) -> bool:
        """Whether signatories may still endorse (or withdraw from) frozen version ``version``."""
        with self._ctx.store.reading() as uow:
            meeting = self._ctx.meeting(uow.repo, meeting_id)
            self._ctx.member(meeting, actor, Action.READ)
            return not uow.repo.signing_closed(meeting_id, version)

    def signing_record(
        self, actor: Principal, meeting_id: MeetingId, version: int
    ) -> list[SigningRecord]:
        """Each time signing of ``version`` was closed or reopened, in order (empty while it
        was never closed): when, by whom, with how many endorsements or for what reason."""
        with self._ctx.store.reading() as uow:
            meeting = self._ctx.meeting(uow.repo, meeting_id)
            self._ctx.member(meeting, actor, Action.READ)
            found = uow.repo.events_of(meeting_id, ["signing_closed", "signing_reopened"])
        records = []
        for event in found:
            body = event.body
            if isinstance(body, SigningClosed) and body.version == version:
                records.append(
                    SigningRecord(
                        kind="closed", at=event.at, by=event.actor, endorsements=body.endorsements
                    )
                )
            elif isinstance(body, SigningReopened) and body.version == version:
                records.append(
                    SigningRecord(kind="reopened", at=event.at, by=event.actor, reason=body.reason)
                )
        return records

    def register_organisation_key(
        self, actor: Principal, meeting_id: MeetingId, organisation: str, public_key: str
    ) -> None:
        """Register an organisation's own Ed25519 public key (PEM), for detached signatures.

        A signatory registers their own organisation's key; the secretariat any organisation's.
        """
        check_public_key(check_text(public_key, field="public_key", limit=2000))
        now = self._ctx.clock()
        with self._ctx.store.transaction() as uow:
            repo = uow.repo
            repo.lock_meeting(meeting_id)
            meeting = self._ctx.meeting(repo, meeting_id)
            self._ctx.member(meeting, actor, Action.REGISTER_KEY)
            org = meeting.organisation(OrgId(organisation))
            if org is None or org.observer:
                raise InvalidInput(
                    f"{organisation!r} is not a signing organisation", field="organisation"
                )
            self._ctx.acts_for(actor, org.id, Action.REGISTER_KEY, secretariat_too=True)
            repo.set_organisation_key(meeting_id, org.id, public_key)
            self._ctx.append(
                repo,
                meeting_id,
                actor,
                now,
                OrganisationKeyRegistered(organisation=org.id, public_key=public_key),
            )
            uow.commit()

    # -- reading ------------------------------------------------------------------------------

    def endorsements(
        self,
        actor: Principal,
        meeting_id: MeetingId,
        version: int,
        *,
        include_revoked: bool = False,
    ) -> list[Endorsement]:
        """The endorsements of a version (active ones unless ``include_revoked``)."""
        with self._ctx.store.reading() as uow:
            meeting = self._ctx.meeting(uow.repo, meeting_id)
            self._ctx.member(meeting, actor, Action.READ)
            found = uow.repo.list_endorsements(meeting_id, version)
        return [e for e in found if include_revoked or e.active]

    def signatories(
        self, actor: Principal, meeting_id: MeetingId, version: int
    ) -> list[SignatoryLine]:
        """The signatory list of a version: organisation names, country, signer, date."""
        found = self.endorsements(actor, meeting_id, version)
        return signatory_lines(self._ctx.read_meeting(meeting_id), found)

    def meeting_public_key(self, meeting_id: MeetingId) -> str:
        """The meeting's public signing key (PEM): anyone can check the seals with it."""
        with self._ctx.store.reading() as uow:
            found = uow.repo.meeting_key(meeting_id)
        if found is None:
            raise NotFound(f"meeting {meeting_id!r} has no signing key yet (nothing was signed)")
        return found[1]

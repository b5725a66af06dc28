"""Endorsements: sealed, bound to the version's hash, verifiable; detached signatures."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from consensus_kit import (
    CONSOLE,
    InvalidInput,
    InvalidState,
    MeetingService,
    NotPermitted,
    verify_store,
)
from consensus_kit.domain.endorsements import detached_payload, seal_payload
from consensus_kit.domain.seals import new_private_key, public_key_of, sign, verify
from consensus_kit.formats.export_common import long_date
from tests.builders import load_meeting
from tests.integration.test_exports import styled


@pytest.fixture
def final(service: MeetingService):  # type: ignore[no-untyped-def]
    loaded = load_meeting(service)
    mid = loaded.meeting.id
    p = {d.id: d for d in loaded.meeting.delegates}
    service.freeze_version(p["chair"], mid, 1)
    return service, mid, p


def test_signatories_endorse_the_frozen_version_and_the_seal_verifies(final) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = final
    e1 = service.endorse(p["signatory-1"], mid, 1)
    e2 = service.endorse(p["signatory-2"], mid, 1, signer="Dr. 王芳", signer_title="主任")
    assert (e1.signer, e1.signer_title, e1.organisation) == ("Signatory 1", "Director", "org-1")
    assert (
        e2.signer == "Dr. 王芳" and e1.content_hash == service.version(CONSOLE, mid, 1).content_hash
    )
    public = service.meeting_public_key(mid)
    assert verify(public, seal_payload(e1), e1.seal)
    lines = service.signatories(p["observer"], mid, 1)
    assert [(line.organisation, line.country, line.signer) for line in lines] == [
        ("org-1", "KE", "Signatory 1"),
        ("org-2", "CN", "Dr. 王芳"),
    ]
    assert verify_store(service.store, CONSOLE).ok


def test_only_a_signatory_signs_and_only_for_their_organisation(final) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = final
    for who in ("delegate-1", "observer", "chair", "secretariat"):
        with pytest.raises(NotPermitted):
            service.endorse(p[who], mid, 1)
    service.endorse(p["signatory-1"], mid, 1)
    with pytest.raises(InvalidState, match="org-1 has already endorsed version 1"):
        service.endorse(p["signatory-1"], mid, 1)


def test_an_unfrozen_version_cannot_be_endorsed(service: MeetingService) -> None:
    loaded = load_meeting(service)
    p = {d.id: d for d in loaded.meeting.delegates}
    with pytest.raises(InvalidState, match="version 1 is not frozen"):
        service.endorse(p["signatory-1"], loaded.meeting.id, 1)


def test_revoking_leaves_a_trace_until_signing_closes(final) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = final
    service.endorse(p["signatory-1"], mid, 1)
    revoked = service.revoke_endorsement(p["signatory-1"], mid, 1)
    assert revoked.revoked_at is not None
    assert service.endorsements(CONSOLE, mid, 1) == []
    assert len(service.endorsements(CONSOLE, mid, 1, include_revoked=True)) == 1
    again = service.endorse(p["signatory-1"], mid, 1)
    assert again.active
    assert service.close_signing(p["chair"], mid, 1) == 1
    with pytest.raises(InvalidState, match="signing of version 1 is closed"):
        service.revoke_endorsement(p["signatory-1"], mid, 1)
    with pytest.raises(InvalidState, match="signing of version 1 is closed"):
        service.endorse(p["signatory-2"], mid, 1)
    types = [e.type for e in service.events_after(CONSOLE, mid)]
    assert types.count("endorsement_added") == 2 and "endorsement_revoked" in types


def test_a_detached_signature_made_offline_is_verified_on_submission(final) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = final
    org_key = new_private_key()
    service.register_organisation_key(p["signatory-1"], mid, "org-1", public_key_of(org_key))
    with pytest.raises(NotPermitted):
        service.register_organisation_key(p["signatory-2"], mid, "org-1", public_key_of(org_key))
    version = service.version(CONSOLE, mid, 1)
    payload = detached_payload(
        meeting=mid,
        version=1,
        content_hash=version.content_hash,
        organisation="org-1",
        signer="Signatory 1",
        signer_title="Director",
    )
    with pytest.raises(InvalidInput, match="detached_signature: the signature does not verify"):
        service.endorse(
            p["signatory-1"], mid, 1, detached_signature=sign(new_private_key(), payload)
        )
    e = service.endorse(p["signatory-1"], mid, 1, detached_signature=sign(org_key, payload))
    assert e.detached and verify_store(service.store, CONSOLE).ok
    with pytest.raises(InvalidInput, match="public_key: not a readable public key"):
        service.register_organisation_key(p["secretariat"], mid, "org-2", "not a key")


def test_a_text_altered_after_signing_is_reported(final) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = final
    service.endorse(p["signatory-1"], mid, 1)
    with service.store.engine.begin() as c:
        c.execute(
            text(
                "UPDATE article_texts SET body = REPLACE(body, 'Article 1 (en)', "
                "'Article 1, amended quietly (en)')"
            )
        )
    findings = [str(f) for f in verify_store(service.store, CONSOLE).findings]
    assert any(
        "endorsement of version 1 by org-1: the version's text no longer matches the hash it signed"
        in f
        for f in findings
    ), findings


def test_a_forged_endorsement_is_reported(final) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = final
    service.endorse(p["signatory-1"], mid, 1)
    with service.store.engine.begin() as c:
        c.execute(text("UPDATE endorsements SET doc = REPLACE(doc, 'Signatory 1', 'Someone Else')"))
    findings = [str(f) for f in verify_store(service.store, CONSOLE).findings]
    assert any("its seal does not verify" in f for f in findings), findings


def test_a_swapped_meeting_key_is_reported(final) -> None:  # type: ignore[no-untyped-def]
    service, mid, p = final
    service.endorse(p["signatory-1"], mid, 1)
    other = new_private_key()
    with service.store.engine.begin() as c:
        c.execute(
            text("UPDATE meeting_keys SET private_key = :k, public_key = :p"),
            {"k": other, "p": public_key_of(other)},
        )
    findings = [str(f) for f in verify_store(service.store, CONSOLE).findings]
    assert any("not the one recorded in the event log" in f for f in findings), findings


def test_the_chair_reopens_signing_for_a_late_signature(service: MeetingService) -> None:
    """Signing closed too early: the chair reopens it with a reason, a late delegation signs,
    and signing closes again; every step is in the event log and verify stays green."""
    loaded = load_meeting(service, orgs=3)
    mid, p = loaded.meeting.id, {d.id: d for d in loaded.meeting.delegates}
    service.freeze_version(p["chair"], mid, 1)
    service.endorse(p["signatory-1"], mid, 1)
    service.close_signing(p["chair"], mid, 1)
    with pytest.raises(InvalidState):
        service.endorse(p["signatory-2"], mid, 1)
    with pytest.raises(InvalidInput) as no_reason:
        service.reopen_signing(p["chair"], mid, 1, reason="")
    assert no_reason.value.field == "reason"
    with pytest.raises(NotPermitted):
        service.reopen_signing(p["signatory-2"], mid, 1, reason="let us sign")

    service.reopen_signing(p["chair"], mid, 1, reason="the delegation of org-2 arrived late")
    service.endorse(p["signatory-2"], mid, 1)
    with pytest.raises(InvalidState, match="is open"):
        service.reopen_signing(p["chair"], mid, 1, reason="again")

    assert service.close_signing(p["chair"], mid, 1) == 2
    kinds = [type(e.body).__name__ for e in service.events_after(p["chair"], mid)][-4:]
    assert kinds == ["SigningClosed", "SigningReopened", "EndorsementAdded", "SigningClosed"]
    assert verify_store(service.store, CONSOLE).ok

    # the record everyone reads (the wall) and the Word signature page print
    record = service.signing_record(p["signatory-3"], mid, 1)
    assert [(r.kind, r.by, r.endorsements, r.reason) for r in record] == [
        ("closed", "chair", 1, ""),
        ("reopened", "chair", None, "the delegation of org-2 arrived late"),
        ("closed", "chair", 2, ""),
    ]
    assert service.signing_record(p["signatory-3"], mid, 2) == []  # another version: none
    (word,) = service.export(p["secretariat"], mid, "docx", langs=["en"])
    notes = [t for style, t in styled(word.data) if style == "CK Signature Note"]
    day = long_date(record[0].at.date(), "en")
    assert notes[1:] == [
        f"Signing was closed on {day}; signatures: 1.",
        f"Signing was reopened on {day}: the delegation of org-2 arrived late",
        f"Signing was closed on {day}; signatures: 2.",
    ]
    (both,) = service.export(p["secretariat"], mid, "parallel-docx", langs=["en", "zh"])
    assert f"签署已于{long_date(record[1].at.date(), 'zh')}重新开放：the delegation" in " ".join(
        t for _, t in styled(both.data)
    )

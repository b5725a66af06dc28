"""Commands about the final text: freeze, keys, signing, the signatory list."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from consensus_kit import CONSOLE, Delegate, InvalidInput, InvalidState
from consensus_kit.cli._common import AS_HELP, Commands, meeting_id, principal, service
from consensus_kit.domain.endorsements import detached_payload

__all__ = ["register"]


def cmd_freeze(args: argparse.Namespace) -> int:
    """Freeze a version as the final text (act as the chair with --as)."""
    svc = service(args)
    mid = meeting_id(svc, args)
    number = args.version or svc.versions(CONSOLE, mid)[-1].number
    version = svc.freeze_version(
        principal(svc, mid, args), mid, number, override_lint=args.override_lint or ""
    )
    print(f"version {version.number} frozen, content hash {version.content_hash}")
    if args.override_lint:
        print(f"lint errors overridden: {args.override_lint}")
    return 0


def cmd_keygen(args: argparse.Namespace) -> int:
    """Write a new Ed25519 private key, and its public key beside it (``.pub``)."""
    from consensus_kit.domain.seals import new_private_key, public_key_of  # noqa: PLC0415

    out = Path(args.out)
    public_out = out.with_suffix(".pub")
    if public_out == out:
        raise InvalidInput(f"{out}: the private key's name must not end in .pub", field="--out")
    for path in (out, public_out):
        if path.exists():
            raise InvalidInput(f"{path} exists: choose another path", field="--out")
    private = new_private_key()
    public = public_key_of(private)
    out.write_text(private, encoding="ascii")
    out.chmod(0o600)
    public_out.write_text(public, encoding="ascii")
    print(public, end="")
    print(
        f"# private key written to {out} (keep it secret); public key to {public_out} "
        "(register it with register-key)",
        file=sys.stderr,
    )
    return 0


def _read_key(path: str) -> str:
    try:
        return Path(path).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read the key {path} ({exc})", field="--key") from None


def cmd_register_key(args: argparse.Namespace) -> int:
    """Register an organisation's public key (for detached signatures)."""
    svc = service(args)
    mid = meeting_id(svc, args)
    public = _read_key(args.public_key)
    svc.register_organisation_key(principal(svc, mid, args), mid, args.organisation, public)
    print(f"registered the public key of {args.organisation}")
    return 0


def cmd_sign(args: argparse.Namespace) -> int:
    """Sign a frozen version with an organisation's own key; --as submits the endorsement."""
    svc = service(args)
    mid = meeting_id(svc, args)
    actor = principal(svc, mid, args)
    version = svc.version(actor, mid, args.version)
    if version.state.value != "frozen":
        raise InvalidState(f"version {version.number} is not frozen: only the final text is signed")
    signer = args.signer or (actor.name if isinstance(actor, Delegate) else None)
    title = (
        args.title
        if args.title is not None
        else (actor.title if isinstance(actor, Delegate) else "")
    )
    organisation = args.organisation or (
        actor.organisation if isinstance(actor, Delegate) else None
    )
    if not signer or not organisation:
        raise InvalidInput("give --signer and --organisation, or --as a signatory delegate")
    signature = None
    if args.key is not None:
        payload = detached_payload(
            meeting=mid,
            version=version.number,
            content_hash=version.content_hash,
            organisation=organisation,
            signer=signer,
            signer_title=title,
        )
        from consensus_kit.domain.seals import sign  # noqa: PLC0415 - loads cryptography

        signature = sign(_read_key(args.key), payload)
    elif not isinstance(actor, Delegate):
        raise InvalidInput("give --key to print a detached signature, or --as a signatory")
    if isinstance(actor, Delegate):
        endorsement = svc.endorse(
            actor,
            mid,
            version.number,
            signer=signer,
            signer_title=title,
            detached_signature=signature,
        )
        print(
            f"{endorsement.organisation} endorsed version {endorsement.version} "
            f"(content hash {endorsement.content_hash[:12]}); seal {endorsement.seal[:16]}…"
        )
    else:
        print(signature)
    return 0


def cmd_signatories(args: argparse.Namespace) -> int:
    """Print the signatory list of a frozen version."""
    svc = service(args)
    mid = meeting_id(svc, args)
    meeting = svc.meeting(mid)
    lang = args.lang or meeting.negotiating_language
    if lang not in meeting.languages:
        raise InvalidInput(
            f"{lang!r} is not one of the meeting's languages ({', '.join(meeting.languages)})",
            field="--lang",
        )
    number = args.version or svc.versions(CONSOLE, mid)[-1].number
    for line in svc.signatories(CONSOLE, mid, number):
        name = (
            line.names.get(lang)
            or line.names.get(meeting.negotiating_language)
            or next(iter(line.names.values()))
        )
        country = line.country_in(lang) if args.lang else line.country
        print(
            f"{line.signed_at:%Y-%m-%d %H:%M}  {country or '--'}  {name} — "
            f"{line.signer}{', ' + line.signer_title if line.signer_title else ''}"
        )
    return 0


def cmd_public_key(args: argparse.Namespace) -> int:
    """Print the meeting's public signing key (PEM)."""
    svc = service(args)
    print(svc.meeting_public_key(meeting_id(svc, args)), end="")
    return 0


def register(c: Commands) -> None:
    """Add this module's commands."""
    p = c.add("freeze", cmd_freeze, "Freeze a version as the final text (the chair: --as).")
    p.add_argument("--version", dest="version", type=int, help="version (default: the latest)")
    p.add_argument("--as", dest="acting", metavar="DELEGATE", required=True, help=AS_HELP)
    p.add_argument(
        "--override-lint",
        metavar="REASON",
        help="freeze although lint finds numbers or dates that differ between languages; the "
        "reason is recorded with the findings",
    )

    p = c.add(
        "keygen",
        cmd_keygen,
        "Write a new Ed25519 private key, and its public key beside it (.pub), and print the "
        "public key.",
        meeting=False,
        db=False,
    )
    p.add_argument(
        "--out",
        required=True,
        help="file for the private key (mode 600); the public key goes beside it, as .pub",
    )

    p = c.add(
        "register-key",
        cmd_register_key,
        "Register an organisation's public key for detached signatures.",
    )
    p.add_argument("--organisation", required=True, help="organisation id")
    p.add_argument("--public-key", required=True, help="PEM file with the public key")
    p.add_argument("--as", dest="acting", metavar="DELEGATE", help=AS_HELP)

    p = c.add(
        "sign",
        cmd_sign,
        "Endorse a frozen version --as a signatory (sealed by the meeting); with --key, also "
        "signed with the organisation's own key (without --as: print that signature).",
    )
    p.add_argument("--key", help="the organisation's private key (PEM), for a detached signature")
    p.add_argument("--version", dest="version", type=int, help="version (default: the latest)")
    p.add_argument("--as", dest="acting", metavar="DELEGATE", help=AS_HELP)
    p.add_argument("--organisation", help="organisation id (default: that of --as)")
    p.add_argument("--signer", help="signer's name as it should print (default: --as's name)")
    p.add_argument("--title", help="signer's title (default: --as's title)")

    p = c.add("signatories", cmd_signatories, "Print the signatory list of a version.")
    p.add_argument("--version", dest="version", type=int, help="version (default: the latest)")
    p.add_argument(
        "--lang",
        help="print organisations and countries in this meeting language (default: the "
        "negotiating language, countries as codes)",
    )

    c.add("public-key", cmd_public_key, "Print the meeting's public signing key (PEM).")

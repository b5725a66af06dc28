"""Ed25519 keys and signatures (the ``cryptography`` package) for sealing endorsements."""

from __future__ import annotations

from typing import TYPE_CHECKING

from consensus_kit.errors import InvalidInput

# ``cryptography`` (~15 ms to import) is loaded by the first seal made or checked, not by every
# command that opens the service (an export reads the seals, it does not check them)
if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

__all__ = ["check_public_key", "new_private_key", "public_key_of", "sign", "verify"]


def new_private_key() -> str:
    """A new Ed25519 private key as PEM (PKCS #8, unencrypted)."""
    from cryptography.hazmat.primitives import serialization  # noqa: PLC0415
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (  # noqa: PLC0415
        Ed25519PrivateKey,
    )

    key = Ed25519PrivateKey.generate()
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def _private(pem: str) -> Ed25519PrivateKey:
    from cryptography.hazmat.primitives import serialization  # noqa: PLC0415
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (  # noqa: PLC0415
        Ed25519PrivateKey,
    )

    try:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError) as exc:
        raise InvalidInput(f"not a readable private key ({exc})", field="key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InvalidInput("the key is not an Ed25519 key", field="key")
    return key


def _public(pem: str) -> Ed25519PublicKey:
    from cryptography.hazmat.primitives import serialization  # noqa: PLC0415
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (  # noqa: PLC0415
        Ed25519PublicKey,
    )

    try:
        key = serialization.load_pem_public_key(pem.encode())
    except (ValueError, TypeError) as exc:
        raise InvalidInput(f"not a readable public key ({exc})", field="public_key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise InvalidInput("the key is not an Ed25519 public key", field="public_key")
    return key


def public_key_of(private_pem: str) -> str:
    """The public key (PEM, SubjectPublicKeyInfo) of a private key."""
    from cryptography.hazmat.primitives import serialization  # noqa: PLC0415

    return (
        _private(private_pem)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def check_public_key(pem: str) -> str:
    """``pem`` if it is an Ed25519 public key, else :class:`InvalidInput`."""
    _public(pem)
    return pem


def sign(private_pem: str, payload: bytes) -> str:
    """The hex Ed25519 signature of ``payload``."""
    return _private(private_pem).sign(payload).hex()


def verify(public_pem: str, payload: bytes, signature_hex: str) -> bool:
    """Whether ``signature_hex`` is a valid signature of ``payload`` by ``public_pem``."""
    from cryptography.exceptions import InvalidSignature  # noqa: PLC0415

    try:
        _public(public_pem).verify(bytes.fromhex(signature_hex), payload)
    except (InvalidSignature, ValueError, InvalidInput):
        return False
    return True
